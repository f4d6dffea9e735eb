"""The client's view of a signed session record, who may open it, and that no private part
of a record reaches any page the client can open."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Booking, RecordAddendum, ReflexPoint, SessionRecord
from sessions.records import answer_checkin
from tests.factories import PointWorkedFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

# One distinctive string per private field of a record.
PRIVATE = {
    "subjective": "SUBJ-zq81 client says stressed at work",
    "objective": "OBJ-zq82 callus left heel",
    "assessment": "ASSESS-zq83 kidney reflex tender",
    "plan": "PLAN-zq84 weekly for four weeks",
    "reactions_notes": "REACT-zq85 sighed a lot",
    "oil_override_reason": "OILOVR-zq86 client asked for lavender",
    "area_override_reason": "AREAOVR-zq87 worked around the wound",
}
OBSERVATION = "OBSERV-zq88 dry skin on both heels"
POINT_COMMENT = "PTCOMMENT-zq89 grainy under the ball"
ADDENDUM = "ADDENDUM-zq90 client phoned about headache"
SECRETS = [*PRIVATE.values(), OBSERVATION, POINT_COMMENT, ADDENDUM]


@pytest.fixture
def booking(client_user, practitioner):
    record = SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status=Booking.Status.COMPLETED,
        actual_minutes=45,
        client_summary="We worked both feet; your shoulders felt tight.",
        aftercare="Drink plenty of water and rest this evening.",
    )
    points = ReflexPoint.objects.in_bulk(
        ["foot-kidney", "foot-liver", "foot-heart"], field_name="slug"
    )
    PointWorkedFactory(record=record, point=points["foot-kidney"], side="L", tenderness=2)
    PointWorkedFactory(record=record, point=points["foot-liver"], side="R", tenderness=1)
    PointWorkedFactory(record=record, point=points["foot-heart"], side="L", tenderness=0)
    return record.booking


def _group_of(page: str, text: str) -> str:
    """The heading of the point-list group (e.g. "Left foot") that `text` is listed under."""
    before = page[: page.rindex(text)]
    return max(("Left foot", "Right foot"), key=lambda title: before.rfind(f"{title}</p>"))


def _fill_private_fields(record: SessionRecord) -> None:
    for name, value in PRIVATE.items():
        setattr(record, name, value)
    record.observations = {"skin": OBSERVATION}
    record.save()
    record.points.update(comment=POINT_COMMENT)
    RecordAddendum.objects.create(
        record=record, author=record.booking.practitioner.user, text=ADDENDUM
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 200),
        ("other client", 404),
        ("practitioner", 200),
        ("other practitioner", 404),
        ("staff", 200),
    ],
    indirect=["who"],
)
def test_summary_is_for_the_client_their_practitioner_and_staff(client, booking, who, status):
    url = reverse("sessions:record-summary", kwargs={"code": booking.code})
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert "We worked both feet" in response.text


def test_client_sees_date_actual_length_points_summary_aftercare_and_checkin_link(
    client, client_user, booking
):
    client.force_login(client_user)
    response = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert response.status_code == 200
    page = response.text
    local_start = booking.starts_at.astimezone(ZoneInfo(client_user.timezone))
    assert f"Your session on {local_start.day} {local_start:%B %Y}" in page
    assert "45 minutes" in page
    # Every point as text (the map include's list, grouped by foot), not by colour alone.
    assert _group_of(page, "Kidney reflex area: tenderness 2 (moderate)") == "Left foot"
    assert _group_of(page, "Liver reflex area: tenderness 1 (mild)") == "Right foot"
    assert _group_of(page, "Heart reflex area: tenderness 0 (none)") == "Left foot"
    assert "We worked both feet; your shoulders felt tight." in page
    assert "Drink plenty of water and rest this evening." in page
    assert reverse("sessions:checkin", kwargs={"code": booking.code}) in page


def test_summary_speaks_of_reflex_areas_not_organs(client, client_user, booking):
    client.force_login(client_user)
    response = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    page = response.text
    assert "<title>Left foot: Heart reflex area: tenderness 0 (none)</title>" in page
    assert "How tender a reflex area feels says nothing about that organ" in page
    assert "Heart: tenderness" not in page
    assert "Reflex areas worked" in page


def test_summary_shows_the_points_on_the_map(client, client_user, booking):
    client.force_login(client_user)
    response = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert "sessions/records/includes/map.html" in [t.name for t in response.templates]
    assert "<svg" in response.text


def test_practitioner_is_told_this_is_the_clients_view(client, practitioner, booking):
    client.force_login(practitioner.user)
    response = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert "This is what Cara Client sees of the signed record" in response.text
    # The check-in is the client's: the practitioner is not sent to a page that refuses them.
    assert reverse("sessions:checkin", kwargs={"code": booking.code}) not in response.text


@pytest.mark.parametrize("state", ["draft", "none"])
def test_unsigned_or_missing_record_shows_not_finished_page_without_record_data(
    client, client_user, booking, state
):
    record = booking.record
    if state == "draft":
        _fill_private_fields(record)
        SessionRecord.objects.filter(pk=record.pk).update(state="draft", signed_at=None)
    else:
        record.points.all().delete()
        record.delete()
    client.force_login(client_user)
    response = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert response.status_code == 200
    assert "has not finished the notes for your session" in response.text
    assert "We worked both feet" not in response.text
    assert "Drink plenty of water and rest this evening." not in response.text
    assert "Kidney" not in response.text
    for secret in SECRETS:
        assert secret not in response.text


def test_no_private_record_text_on_any_page_the_client_can_open(
    client, client_user, practitioner, booking
):
    record = booking.record
    _fill_private_fields(record)
    client.force_login(client_user)
    pages = [
        reverse("sessions:record-summary", kwargs={"code": booking.code}),
        reverse("sessions:my-bookings"),
        reverse("sessions:booking-detail", kwargs={"code": booking.code}),
        reverse("sessions:checkin", kwargs={"code": booking.code}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in response.text, (url, secret)
    # ... and once the check-in is answered, its page shows the answers, still nothing private.
    answer_checkin(record=record, sleep="As usual", energy="As usual", reaction="none", notes="")
    response = client.get(reverse("sessions:checkin", kwargs={"code": booking.code}))
    assert "Your answers" in response.text
    for secret in SECRETS:
        assert secret not in response.text
    # The practitioner's record and history pages are where those notes live; the client
    # cannot open them.
    record_page = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert record_page.status_code in (403, 404)
    history = client.get(reverse("sessions:client-history", kwargs={"booking_code": booking.code}))
    assert history.status_code == 403


def test_summary_is_read_only(client, client_user, booking):
    client.force_login(client_user)
    response = client.post(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert response.status_code == 405


def test_summary_offers_the_answers_once_the_check_in_is_answered(client):
    record = SessionRecordFactory(signed=True, checkin_answered_at=timezone.now())
    client.force_login(record.booking.client)
    page = client.get(reverse("sessions:record-summary", kwargs={"code": record.booking.code}))
    assert "See your check-in answers" in page.text
    assert "Answer the check-in" not in page.text
