"""Moving a booking on the client's behalf (sessions:booking-move): the form, the write path
(reschedule_booking(by_practitioner=True)), its refusals, the email and who may do it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from practitioners.models import DateException
from sessions.booking import BookingRefused, OutsideWorkingHours, SlotTaken, reschedule_booking
from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.factories import (
    DateExceptionFactory,
    IntakeFormFactory,
    SlotHoldFactory,
    TimeOffFactory,
)
from tests.sessions.booking_helpers import MONDAY, NOW, book, existing, la, to

pytestmark = pytest.mark.time_machine(NOW, tick=False)
Status = Booking.Status
REASON = "I have a training course that morning, sorry."


@pytest.fixture
def booking(practitioner, client_user, intake):
    return book(practitioner, client_user, intake)


def move_url(booking) -> str:
    return reverse("sessions:booking-move", kwargs={"code": booking.code})


def post(client, booking, *, day=MONDAY, time="13:30", reason=REASON, **extra):
    data = {"date": day.isoformat(), "time": time, "reason": reason} | extra
    return client.post(move_url(booking), data)


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


# --- the write path ---------------------------------------------------------------------


def test_the_practitioner_moves_outside_the_clients_limits_without_using_them_up(
    practitioner, booking
):
    practitioner.max_reschedules = 0  # clients may not move bookings online at all
    practitioner.min_notice_hours = 72
    practitioner.save()

    # Outside working hours (said so), on a quarter the client's 30-minute grid does not offer.
    moved = reschedule_booking(
        booking=booking,
        new_starts_at=la(MONDAY, 18, 15),
        by_practitioner=True,
        reason=REASON,
        outside_hours=True,
    )

    assert moved.starts_at == la(MONDAY, 18, 15)
    assert moved.blocks_until == la(MONDAY, 19, 30)
    assert (moved.reschedule_count, moved.sequence) == (0, 1)


def test_the_practitioner_moves_outside_working_hours_only_when_they_say_so(booking):
    with pytest.raises(OutsideWorkingHours):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 18), by_practitioner=True, reason=REASON
        )
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)

    moved = reschedule_booking(
        booking=booking,
        new_starts_at=la(MONDAY, 18),
        by_practitioner=True,
        reason=REASON,
        outside_hours=True,
    )

    assert moved.starts_at == la(MONDAY, 18)


def test_the_practitioner_never_moves_onto_a_closed_day(practitioner, booking):
    DateExceptionFactory(
        practitioner=practitioner, date=MONDAY + timedelta(days=1), kind=DateException.Kind.CLOSED
    )
    for outside_hours in (False, True):
        with pytest.raises(BookingRefused, match="is closed on Tuesday 9 June"):
            reschedule_booking(
                booking=booking,
                new_starts_at=la(MONDAY + timedelta(days=1), 10),
                by_practitioner=True,
                reason=REASON,
                outside_hours=outside_hours,
            )
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)


def test_the_practitioner_must_give_a_reason(booking):
    with pytest.raises(BookingRefused, match="Give the client a reason"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 13), by_practitioner=True, reason="  "
        )


def test_the_practitioner_never_moves_over_another_booking(practitioner, booking, other_client):
    existing(practitioner, other_client, IntakeFormFactory(client=other_client), la(MONDAY, 13))
    # 12:30 for an hour meets the 13:00 booking.
    with pytest.raises(SlotTaken, match="Another booking"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 12, 30), by_practitioner=True, reason=REASON
        )
    # Nor its buffer: 12:00 + 60 + 15 runs into 13:00 too.
    with pytest.raises(SlotTaken, match="Another booking"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 12), by_practitioner=True, reason=REASON
        )
    # Back to back with it is fine: 11:45 + 60 + 15 ends at 13:00.
    moved = reschedule_booking(
        booking=booking, new_starts_at=la(MONDAY, 11, 45), by_practitioner=True, reason=REASON
    )
    assert moved.starts_at == la(MONDAY, 11, 45)


def test_the_practitioner_never_moves_over_time_off_or_a_hold(practitioner, booking):
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 15), ends_at=la(MONDAY, 16))
    SlotHoldFactory(practitioner=practitioner, starts_at=la(MONDAY, 12))
    with pytest.raises(BookingRefused, match="You have time off"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 14, 30), by_practitioner=True, reason=REASON
        )
    with pytest.raises(SlotTaken, match="held for them"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 12), by_practitioner=True, reason=REASON
        )


def test_the_practitioner_never_moves_into_the_past_nor_a_finished_session(booking):
    with pytest.raises(BookingRefused, match="already passed"):
        reschedule_booking(
            booking=booking,
            new_starts_at=NOW - timedelta(hours=1),
            by_practitioner=True,
            reason=REASON,
        )
    Booking.objects.filter(pk=booking.pk).update(status=Status.CANCELLED_BY_CLIENT)
    with pytest.raises(BookingRefused, match="cancelled by client, so it cannot be moved"):
        reschedule_booking(
            booking=booking, new_starts_at=la(MONDAY, 13), by_practitioner=True, reason=REASON
        )


# --- the page -------------------------------------------------------------------------------


def test_the_form_starts_at_the_sessions_current_time_in_the_practice_zone(logged_in, booking):
    response = logged_in.get(move_url(booking))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Move Cara Client’s session" in html
    assert 'value="2026-06-08"' in html and 'value="10:00"' in html
    assert "Monday 8 June 2026, 10:00–11:00 (America/Los_Angeles)" in html


def test_a_move_saves_emails_the_client_the_reason_and_returns_to_the_calendar(
    logged_in, booking, client_user, practitioner, mailoutbox
):
    mailoutbox.clear()
    week = f"{reverse('sessions:calendar-week')}?date=2026-06-08"

    response = post(logged_in, booking, next=week)

    assert response.status_code == 302 and response["Location"] == week
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 13, 30)
    (to_client,) = to(mailoutbox, client_user)
    # The client reads their own zone (New York); the practitioner's page, Los Angeles.
    assert to_client.subject.startswith("Moved: reflexology now on 8 June, 16:30")
    assert f"Pat Practitioner moved it. The reason given: {REASON}" in to_client.body
    (to_practitioner,) = to(mailoutbox, practitioner.user)
    assert f"You moved it. The reason given: {REASON}" in to_practitioner.body
    page = logged_in.get(week).content.decode()
    assert "Moved: Cara Client’s session is now on Monday 8 June at 13:30" in page


def test_the_clients_own_reschedule_email_has_no_reason_line(booking, client_user, mailoutbox):
    mailoutbox.clear()
    reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13))
    (message,) = to(mailoutbox, client_user)
    assert "reason given" not in message.body


def test_a_refused_move_shows_why_and_keeps_what_was_typed(
    logged_in, booking, practitioner, other_client, mailoutbox
):
    existing(practitioner, other_client, IntakeFormFactory(client=other_client), la(MONDAY, 13))
    mailoutbox.clear()

    response = post(logged_in, booking, time="13:15")

    html = response.content.decode()
    assert response.status_code == 409
    assert "Another booking (with its buffer or travel) overlaps that time." in html
    assert 'value="13:15"' in html and REASON in html
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)
    assert mailoutbox == []


def test_a_move_outside_hours_is_refused_without_the_box_and_made_with_it(
    logged_in, booking, mailoutbox
):
    refused = post(logged_in, booking, time="18:00")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "That time is outside your working hours." in html
    assert "Outside my hours" in html
    assert 'value="18:00"' in html and REASON in html
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)

    moved = post(logged_in, booking, time="18:00", outside_hours="on")

    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 18)


def test_a_move_onto_a_closed_day_shows_why(logged_in, practitioner, booking):
    DateExceptionFactory(
        practitioner=practitioner, date=MONDAY + timedelta(days=1), kind=DateException.Kind.CLOSED
    )

    response = post(
        logged_in, booking, day=MONDAY + timedelta(days=1), time="10:00", outside_hours="on"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "is closed on Tuesday 9 June" in html
    assert 'value="2026-06-09"' in html and REASON in html
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)


def test_the_drag_dialog_offers_outside_my_hours(logged_in, booking):
    html = logged_in.get(reverse("sessions:calendar-week"), {"date": "2026-06-08"}).content
    assert b'name="outside_hours"' in html
    assert b"Outside my hours" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Give the client a reason for moving their session."),
        ({"time": "13:10"}, "Choose a time on the quarter hour"),
        ({"time": "1pm"}, "Enter the time as HH:MM"),
        ({"date": "0001-01-01"}, "Choose a date between 2000 and 2999."),
    ],
)
def test_form_errors_are_specific(logged_in, booking, data, message):
    response = post(logged_in, booking, **data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_time_the_clocks_skip_is_refused_in_words(logged_in, practitioner, client_user, intake):
    # 02:30 on 14 March 2027 does not exist in Los Angeles.
    booking = book(practitioner, client_user, intake)
    response = post(
        logged_in, booking, day=MONDAY.replace(year=2027, month=3, day=14), time="02:30"
    )
    assert response.status_code == 400
    assert "02:30 does not exist on 14 March: the clocks go forward." in response.content.decode()


def test_an_offsite_next_is_ignored(logged_in, booking):
    response = post(logged_in, booking, next="https://evil.example/agenda/week/")
    assert response["Location"] == f"{reverse('sessions:calendar-day')}?date=2026-06-08"


# --- who may move it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("client", 403), ("other client", 404), ("other practitioner", 404), ("staff", 403)],
    indirect=["who"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_bookings_practitioner_may_move_it(client, booking, who, status, method):
    data = {"date": "2026-06-08", "time": "13:30", "reason": REASON} if method == "post" else None
    response = getattr(client, method)(move_url(booking), data)
    assert response.status_code == status
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 10)


def test_anonymous_visitors_are_sent_to_log_in(client, booking):
    response = client.get(move_url(booking))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the night the clocks go back (1 November 2026 in Los Angeles: 01:00-01:59 twice) ------

FALL_BACK = MONDAY.replace(month=11, day=1)
FIRST_0115 = datetime(2026, 11, 1, 8, 15, tzinfo=UTC)  # 01:15 PDT
SECOND_0115 = datetime(2026, 11, 1, 9, 15, tzinfo=UTC)  # 01:15 PST, "01:15 again"


def test_the_calendar_cells_of_the_repeated_hour_carry_their_own_instants(logged_in, booking):
    html = logged_in.get(
        reverse("sessions:calendar-day"), {"date": "2026-11-01", "hours": "all"}
    ).content.decode()
    for instant in (FIRST_0115, SECOND_0115):
        assert f'data-start="{format_start(instant)}" data-date="2026-11-01" data-time="01:15"' in (
            html
        )


@pytest.mark.parametrize(
    ("dropped_on", "expected"), [(FIRST_0115, FIRST_0115), (SECOND_0115, SECOND_0115)]
)
def test_a_drop_on_either_0115_of_the_fall_back_night_moves_to_that_one(
    logged_in, booking, dropped_on, expected
):
    response = post(
        logged_in,
        booking,
        day=FALL_BACK,
        time="01:15",
        instant=format_start(dropped_on),
        outside_hours="on",
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == expected


def test_a_retyped_time_wins_over_the_dropped_cells_instant(logged_in, booking):
    # Dropped on "01:15 again", then the time changed by hand on the refused form.
    response = post(
        logged_in,
        booking,
        day=FALL_BACK,
        time="01:30",
        instant=format_start(SECOND_0115),
        outside_hours="on",
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)  # the first 01:30
