"""The client's 48-hour check-in page: aftercare, three questions, answers stored once on the
record, and a strong reaction on the practitioner's to-do list."""

import re

import pytest
from django.urls import reverse

from sessions.models import Booking, SessionRecord
from sessions.records import RecordRefused, answer_checkin, practitioner_todo
from tests.factories import SessionRecordFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"sleep": "better", "energy": "less", "reaction": "mild", "notes": "A slight headache."}


@pytest.fixture
def record(client_user, practitioner):
    return SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status=Booking.Status.COMPLETED,
        aftercare="Drink plenty of water and rest this evening.",
    )


def _url(record):
    return reverse("sessions:checkin", kwargs={"code": record.booking.code})


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", None),
        ("other client", 404),
        ("practitioner", 403),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_checkin_is_for_the_client_only(client, record, who, status, method):
    response = getattr(client, method)(_url(record), ANSWERS if method == "post" else None)
    if status is None:  # the client: the page, or a redirect after saving the answers
        status = 200 if method == "get" else 302
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("login"))
    record.refresh_from_db()
    saved = who is not None and who == record.booking.client and method == "post"
    assert (record.checkin_answered_at is not None) == saved


def test_page_shows_aftercare_and_the_three_questions(client, client_user, record):
    client.force_login(client_user)
    response = client.get(_url(record))
    page = response.text
    assert response.status_code == 200
    assert "Drink plenty of water and rest this evening." in page
    assert "How did you sleep after the session?" in page
    assert "Better than usual" in page and "Worse than usual" in page
    assert "How has your energy been?" in page
    assert "More energy than usual" in page and "Less energy than usual" in page
    assert "Did you notice any reaction?" in page
    for choice in ("None:", "Mild:", "Strong:"):
        assert choice in page


def test_without_written_aftercare_the_page_advises_water_unless_fluids_are_limited(
    client, client_user, record
):
    record.aftercare = ""
    record.save()
    client.force_login(client_user)
    page = client.get(_url(record)).text
    assert "Drink water if your doctor has not told you to limit fluids" in page
    assert "plenty of water" not in page


def test_answers_are_saved_on_the_record_and_shown_afterwards(client, client_user, record):
    client.force_login(client_user)
    response = client.post(_url(record), ANSWERS)
    assert response.status_code == 302
    assert response.url == _url(record)
    record.refresh_from_db()
    assert record.checkin_sleep == "Better than usual"
    assert record.checkin_energy == "Less energy than usual"
    assert record.checkin_reaction == SessionRecord.Reaction.MILD
    assert record.checkin_reaction_notes == "A slight headache."
    assert record.checkin_answered_at is not None

    page = client.get(_url(record)).text
    assert "will see your answers" in page
    assert "Your answers" in page
    assert "Better than usual" in page and "Less energy than usual" in page
    assert "A slight headache." in page
    assert '<form method="post"' not in page.split("</header>")[1]


def test_the_first_answer_stands(client, client_user, record):
    client.force_login(client_user)
    client.post(_url(record), ANSWERS)
    response = client.post(
        _url(record), {"sleep": "worse", "energy": "more", "reaction": "none", "notes": ""}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.checkin_sleep == "Better than usual"
    assert record.checkin_reaction == "mild"
    assert "You have already answered this check-in." in client.get(_url(record)).text


def test_strong_reaction_needs_words_and_keeps_what_was_typed(client, client_user, record):
    client.force_login(client_user)
    response = client.post(
        _url(record), {"sleep": "worse", "energy": "less", "reaction": "strong", "notes": "  "}
    )
    assert response.status_code == 400
    assert "Tell your practitioner what the strong reaction was" in response.text
    form = response.context["form"]
    assert form.data["sleep"] == "worse"
    assert re.search(r'value="worse"[^>]*checked', response.text)
    assert re.search(r'value="strong"[^>]*checked', response.text)
    record.refresh_from_db()
    assert record.checkin_answered_at is None


def test_missing_answers_are_named(client, client_user, record):
    client.force_login(client_user)
    response = client.post(_url(record), {})
    assert response.status_code == 400
    assert "Choose how you slept." in response.text
    assert "Choose how your energy has been." in response.text
    assert "Choose none, mild or strong." in response.text


def test_strong_reaction_goes_on_the_practitioners_todo_list(
    client, client_user, practitioner, record
):
    assert record not in practitioner_todo(practitioner)
    client.force_login(client_user)
    client.post(
        _url(record),
        {"sleep": "worse", "energy": "less", "reaction": "strong", "notes": "Migraine all day."},
    )
    assert list(practitioner_todo(practitioner)) == [record]


def test_mild_reaction_is_not_a_todo(client, client_user, practitioner, record):
    client.force_login(client_user)
    client.post(_url(record), ANSWERS)
    assert record not in practitioner_todo(practitioner)


@pytest.mark.parametrize("state", ["draft", "none"])
def test_a_completed_session_offers_the_questions_before_the_record_is_signed(
    client, client_user, record, state
):
    booking = record.booking
    if state == "draft":
        SessionRecord.objects.filter(pk=record.pk).update(state="draft", signed_at=None)
    else:
        record.delete()
    client.force_login(client_user)
    response = client.get(_url(record))
    assert response.status_code == 200
    assert "How did you sleep" in response.text
    # A draft's aftercare is not final: the client reads it once it is signed.
    assert "Drink plenty of water and rest this evening." not in response.text
    assert client.post(_url(record), ANSWERS).status_code == 302
    answered = SessionRecord.objects.get(booking=booking)
    assert answered.checkin_reaction == "mild"
    assert answered.state == SessionRecord.State.DRAFT


@pytest.mark.parametrize("state", ["draft", "none"])
def test_no_questions_for_a_session_not_completed_without_a_signed_record(
    client, client_user, record, state
):
    Booking.objects.filter(pk=record.booking_id).update(status=Booking.Status.CONFIRMED)
    if state == "draft":
        SessionRecord.objects.filter(pk=record.pk).update(state="draft", signed_at=None)
    else:
        record.delete()
    client.force_login(client_user)
    response = client.get(_url(record))
    assert response.status_code == 200
    assert "has not finished the notes for your session" in response.text
    assert "How did you sleep" not in response.text
    client.post(_url(record), ANSWERS)
    assert not SessionRecord.objects.filter(checkin_answered_at__isnull=False).exists()


def test_service_refuses_a_draft_and_a_second_answer(record):
    answer_checkin(record=record, sleep="As usual", energy="As usual", reaction="none", notes="")
    with pytest.raises(RecordRefused, match="already answered"):
        answer_checkin(record=record, sleep="x", energy="y", reaction="mild", notes="")
    draft = SessionRecordFactory()
    with pytest.raises(RecordRefused, match="not finished"):
        answer_checkin(record=draft, sleep="x", energy="y", reaction="none", notes="")


def test_service_refuses_a_strong_reaction_without_notes_and_an_unknown_reaction(record):
    with pytest.raises(RecordRefused):
        answer_checkin(record=record, sleep="x", energy="y", reaction="strong", notes=" ")
    with pytest.raises(RecordRefused):
        answer_checkin(record=record, sleep="x", energy="y", reaction="awful", notes="")
    record.refresh_from_db()
    assert record.checkin_answered_at is None
