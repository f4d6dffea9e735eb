"""The practitioner's history of one client: every session, record state, check-in answers,
tenderness per point over time, the "start from last session's points" link, and a query
count that does not grow with the number of sessions."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking, ReflexPoint
from sessions.records import answer_checkin
from tests.factories import BookingFactory, PointWorkedFactory, SessionRecordFactory
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
COMPLETED = Booking.Status.COMPLETED


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _point(slug):
    return ReflexPoint.objects.get(slug=slug)


def _signed(client_user, practitioner, starts_at, points=(), **kw):
    """A completed booking with a signed record and points [(slug, side, tenderness)]."""
    record = SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__starts_at=starts_at,
        booking__status=COMPLETED,
        **kw,
    )
    for slug, side, tenderness in points:
        PointWorkedFactory(record=record, point=_point(slug), side=side, tenderness=tenderness)
    return record


def _url(booking):
    return reverse("sessions:client-history", kwargs={"booking_code": booking.code})


@pytest.fixture
def booking(client_user, practitioner):
    return _signed(
        client_user, practitioner, NOW - dt.timedelta(days=7), [("foot-kidney", "R", 2)]
    ).booking


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("practitioner", 200),
        ("other practitioner", 404),
        ("staff", 200),
    ],
    indirect=["who"],
)
def test_history_is_for_the_practitioner_and_staff(client, booking, who, status):
    response = client.get(_url(booking))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert "Client history: Cara Client" in response.text


def test_every_session_with_this_practitioner_is_listed_in_their_zone(
    client, client_user, other_client, practitioner, other_practitioner, booking
):
    # 03:00 UTC on 3 March is 19:00 on Monday 2 March in Los Angeles (the practitioner's zone).
    draft = SessionRecordFactory(
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__starts_at=dt.datetime(2026, 3, 3, 3, 0, tzinfo=UTC),
        actual_minutes=45,
    )
    cancelled = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=dt.datetime(2026, 2, 9, 18, 0, tzinfo=UTC),
        status=Booking.Status.CANCELLED_BY_CLIENT,
    )
    elsewhere = BookingFactory(
        client=client_user,
        practitioner=other_practitioner,
        starts_at=dt.datetime(2026, 2, 16, 18, 0, tzinfo=UTC),
    )
    someone_else = BookingFactory(
        client=other_client,
        practitioner=practitioner,
        starts_at=dt.datetime(2026, 2, 23, 18, 0, tzinfo=UTC),
    )
    client.force_login(practitioner.user)
    page = client.get(_url(booking)).text
    assert "Sessions (3)" in page
    assert "Mon 2 Mar 2026, 19:00" in page
    assert "45 min (booked 60)" in page
    assert "Draft" in page and "Signed" in page
    assert "Cancelled by client" in page
    assert reverse("sessions:record", kwargs={"code": draft.booking.code}) in page
    assert reverse("sessions:record", kwargs={"code": booking.code}) in page
    assert reverse("sessions:record", kwargs={"code": cancelled.code}) not in page
    assert str(elsewhere.code) not in page
    assert str(someone_else.code) not in page
    assert "America/Los_Angeles" in page


def test_checkin_answers_are_shown_and_a_strong_reaction_stands_out(client, practitioner, booking):
    answer_checkin(
        record=booking.record,
        sleep="Worse than usual",
        energy="Less energy than usual",
        reaction="strong",
        notes="Headache for two days.",
    )
    client.force_login(practitioner.user)
    page = client.get(_url(booking)).text
    assert "Strong reaction reported" in page
    assert "Sleep: Worse than usual" in page
    assert "Energy: Less energy than usual" in page
    assert "Reaction: Strong: “Headache for two days.”" in page


def test_points_summary_counts_sessions_and_shows_tenderness_over_time(
    client, client_user, practitioner
):
    first = _signed(
        client_user,
        practitioner,
        dt.datetime(2026, 3, 2, 18, 0, tzinfo=UTC),
        [("foot-kidney", "R", 2), ("foot-liver", "R", 3)],
    )
    _signed(
        client_user,
        practitioner,
        dt.datetime(2026, 3, 9, 18, 0, tzinfo=UTC),
        [
            ("ear-shen-men", "L", 0),
            ("hand-heart", "L", 1),
            ("foot-kidney", "R", 1),
            ("foot-kidney", "L", 0),
        ],
    )
    third = _signed(
        client_user,
        practitioner,
        dt.datetime(2026, 3, 16, 18, 0, tzinfo=UTC),
        [("foot-kidney", "R", 1)],
    )
    # A draft's points are not part of the summary until it is signed.
    draft = SessionRecordFactory(
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__starts_at=dt.datetime(2026, 3, 23, 18, 0, tzinfo=UTC),
    )
    PointWorkedFactory(record=draft, point=_point("foot-kidney"), side="R", tenderness=3)

    client.force_login(practitioner.user)
    response = client.get(_url(first.booking))
    rows = {entry.place + ": " + entry.name: entry for entry in response.context["points"]}
    assert rows["Right foot: Kidney reflex area"].sessions == 3
    assert rows["Right foot: Kidney reflex area"].sequence == "2 → 1 → 1"
    assert rows["Left foot: Kidney reflex area"].sequence == "0"
    assert rows["Right foot: Liver reflex area"].sessions == 1
    # Feet, then hands, then ears; catalogue order within each; the right side first.
    assert list(rows) == [
        "Right foot: Liver reflex area",
        "Right foot: Kidney reflex area",
        "Left foot: Kidney reflex area",
        "Left hand: Heart reflex area",
        "Left ear: Shen Men reflex area",
    ]
    page = response.text
    assert "says nothing about that organ or about anyone's health" in page
    assert "2 → 1 → 1" in page
    assert "2 Mar 2026: 2; 9 Mar 2026: 1; 16 Mar 2026: 1" in page
    assert third.booking.code  # the newest signed session is part of the sequence


def test_start_from_last_session_links_the_next_record_form_with_the_previous_points(
    client, client_user, practitioner, booking
):
    waiting = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - dt.timedelta(days=1),
        status=COMPLETED,
    )
    BookingFactory(  # upcoming: not a record to write yet
        client=client_user, practitioner=practitioner, starts_at=NOW + dt.timedelta(days=6)
    )
    client.force_login(practitioner.user)
    page = client.get(_url(booking)).text
    link = reverse("sessions:record", kwargs={"code": waiting.code}) + f"?from={booking.code}"
    assert f'href="{link}"' in page
    assert "Start from last session's points" in page


def test_no_start_from_link_without_a_session_waiting_for_its_record(
    client, practitioner, booking, staff
):
    client.force_login(practitioner.user)
    page = client.get(_url(booking)).text
    assert "Start from last session" not in page
    assert "There is no past session waiting for its record" in page


def test_staff_do_not_get_the_start_from_link(client, client_user, practitioner, booking, staff):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - dt.timedelta(days=1),
        status=COMPLETED,
    )
    log_in_verified(client, staff)
    page = client.get(_url(booking)).text
    assert "Start from last session" not in page


def _sessions(client_user, practitioner, count):
    points = [("foot-kidney", "R", 2), ("foot-liver", "R", 1), ("foot-heart", "L", 0)]
    records = [
        _signed(
            client_user,
            practitioner,
            NOW - dt.timedelta(days=7 * (n + 1)),
            points,
            checkin_sleep="As usual",
            checkin_energy="As usual",
            checkin_reaction="none",
            checkin_answered_at=NOW,
        )
        for n in range(count)
    ]
    BookingFactory(  # one without a record, one with a draft
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - dt.timedelta(hours=2),
        status=COMPLETED,
    )
    return records[0].booking


@pytest.mark.parametrize("count", [3, 60])
def test_history_query_count_does_not_grow_with_sessions(
    client, client_user, practitioner, django_assert_max_num_queries, count
):
    booking = _sessions(client_user, practitioner, count)
    client.force_login(practitioner.user)
    with django_assert_max_num_queries(7):  # 6 reads, and the one insert logging this read
        response = client.get(_url(booking))
    assert response.status_code == 200
    assert f"Sessions ({count + 1})" in response.text
    assert response.text.count("Signed") == count


def test_history_is_read_only(client, practitioner, booking):
    client.force_login(practitioner.user)
    assert client.post(_url(booking)).status_code == 405


def test_a_cancellation_because_unwell_shows_as_cancelled_unwell(
    client, client_user, practitioner, booking
):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - dt.timedelta(days=2),
        status=Booking.Status.CANCELLED_BY_CLIENT,
        cancelled_for_illness=True,
    )
    client.force_login(practitioner.user)
    response = client.get(_url(booking))
    assert '<td data-label="Status">Cancelled: unwell</td>' in response.text
