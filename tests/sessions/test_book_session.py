"""sessions.booking.book_session: who gets which status, the time it stores, and
the requests it refuses without writing anything."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sessions.booking import BookingRefused, SlotTaken
from sessions.intake import current_intake, sign_intake
from sessions.models import Booking, Reminder
from tests.factories import (
    DateExceptionFactory,
    IntakeFormFactory,
    ServiceFactory,
    ServiceLengthFactory,
    TimeOffFactory,
)
from tests.sessions.booking_helpers import (
    CLEARANCE_ANSWERS,
    MONDAY,
    NOW,
    POSTPONE_ANSWERS,
    Status,
    book,
    event_of,
    existing,
    intake_with,
    la,
    to,
)
from tests.sessions.intake_helpers import answers

pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def practitioner(practitioner):
    """These tests walk buffers and clock changes minute by minute: the practitioner offers
    a start every 15 minutes (the default is 30)."""
    practitioner.start_interval_minutes = 15
    practitioner.save()
    return practitioner


# --- booking: who gets what status -------------------------------------------------------


def test_a_booking_is_requested_and_copies_length_price_times_and_policy(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake, price_seen=Decimal("80.00"))

    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED
    assert (booking.minutes, booking.price) == (60, Decimal("80.00"))
    assert booking.starts_at == datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # 10:00 PDT
    assert booking.ends_at == booking.starts_at + timedelta(minutes=60)
    assert booking.blocks_until == booking.ends_at + timedelta(minutes=15)  # the buffer
    assert "at least 24 hours before" in booking.policy_text
    assert booking.intake == intake
    assert (booking.reschedule_count, booking.sequence) == (0, 0)
    assert Reminder.objects.get(booking=booking).due_at == booking.starts_at - timedelta(hours=24)
    assert [m.subject for m in to(mailoutbox, client_user)] == [
        "Your booking request with Pat Practitioner"
    ]
    assert [m.subject for m in to(mailoutbox, practitioner.user)] == [
        "New booking request from Cara Client"
    ]


def test_the_practitioner_email_links_to_the_booking_on_the_site(
    practitioner, client_user, intake, mailoutbox, settings
):
    settings.SITE_URL = "https://reflexbook.example"
    booking = book(practitioner, client_user, intake)
    (message,) = to(mailoutbox, practitioner.user)
    assert f"https://reflexbook.example/bookings/{booking.code}/" in message.body


def test_auto_confirm_confirms_a_returning_client_at_once(
    practitioner, client_user, intake, mailoutbox
):
    practitioner.auto_confirm = True
    practitioner.save()
    existing(practitioner, client_user, intake, NOW - timedelta(days=14), status=Status.COMPLETED)

    booking = book(practitioner, client_user, intake)

    assert booking.status == Status.CONFIRMED
    assert [m.subject for m in to(mailoutbox, client_user)] == [
        "Booking confirmed with Pat Practitioner"
    ]
    assert [m.subject for m in to(mailoutbox, practitioner.user)] == ["New booking: Cara Client"]


def test_a_first_time_client_stays_requested_when_the_practitioner_approves_newcomers(
    practitioner, client_user, intake
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = True
    practitioner.save()
    assert book(practitioner, client_user, intake).status == Status.REQUESTED


def test_a_first_time_client_is_confirmed_when_newcomers_need_no_approval(
    practitioner, client_user, intake
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    assert book(practitioner, client_user, intake).status == Status.CONFIRMED


def test_a_postpone_flag_keeps_the_booking_requested_even_with_auto_confirm(
    practitioner, client_user, mailoutbox
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    intake = intake_with(client_user, **POSTPONE_ANSWERS)

    booking = book(practitioner, client_user, intake)

    assert booking.status == Status.REQUESTED
    assert booking.flags == intake.flags
    assert booking.needs_safety_decision
    assert "request" in to(mailoutbox, client_user)[0].subject


def test_a_client_under_13_weeks_pregnant_at_the_session_is_never_auto_confirmed(
    practitioner, client_user
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    pregnant = answers(pregnancy="pregnant", pregnancy_weeks=11, midwife_aware=True)
    intake = sign_intake(
        client=client_user,
        answers=pregnant,
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )

    booking = book(practitioner, client_user, intake)  # a week later: 12 weeks

    assert booking.status == Status.REQUESTED
    assert [flag["code"] for flag in booking.flags] == ["pregnancy_first_trimester"]
    assert booking.needs_safety_decision


def test_weeks_of_pregnancy_are_those_at_the_session_not_at_signing(practitioner, client_user):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    intake = intake_with(client_user, pregnancy="pregnant", pregnancy_weeks=10, midwife_aware=True)

    # Signed at 10 weeks, for a session four weeks on: 14 weeks, caution, confirmed.
    booking = book(practitioner, client_user, intake, starts_at=la(MONDAY + timedelta(weeks=3), 10))

    assert [(flag["code"], flag["tier"]) for flag in booking.flags] == [("pregnancy", "caution")]
    assert "About 14 weeks pregnant on the day of the session" in booking.flags[0]["reason"]
    assert booking.status == Status.CONFIRMED
    assert intake.flags[0]["code"] == "pregnancy_first_trimester"  # as it was on signing


def test_a_clearance_flag_needs_the_client_to_confirm_clearance(
    practitioner, client_user, mailoutbox
):
    intake = intake_with(client_user, **CLEARANCE_ANSWERS)

    with pytest.raises(BookingRefused, match="talked to your doctor or midwife"):
        book(practitioner, client_user, intake)
    assert not Booking.objects.exists()
    assert mailoutbox == []

    booking = book(practitioner, client_user, intake, clearance_confirmed=True)
    assert booking.clearance_confirmed_at == NOW
    assert booking.flags == intake.flags
    assert not booking.needs_safety_decision


def test_a_start_given_in_another_zone_is_stored_and_shown_as_the_same_instant(
    practitioner, client_user, intake, mailoutbox
):
    london_evening = datetime(2026, 6, 8, 18, 0, tzinfo=ZoneInfo("Europe/London"))
    booking = book(practitioner, client_user, intake, starts_at=london_evening)
    assert booking.starts_at == la(MONDAY, 10)
    assert booking.starts_at.utcoffset() == timedelta(0)
    assert event_of(mailoutbox[0])["DTSTART"].to_ical() == b"20260608T170000Z"


def test_a_naive_start_is_a_programming_error(practitioner, client_user, intake):
    with pytest.raises(ValueError):
        book(practitioner, client_user, intake, starts_at=datetime(2026, 6, 8, 10, 0))


# --- booking: refusals, and nothing half-written ------------------------------------------


def _past(p):
    return {"starts_at": NOW - timedelta(hours=1)}


def _inside_notice(p):
    return {"starts_at": NOW + timedelta(hours=3)}


def _past_horizon(p):
    return {"starts_at": la(MONDAY + timedelta(weeks=9), 10)}  # 63 days ahead; horizon is 60


def _off_grid(p):
    return {"starts_at": la(MONDAY, 10, 7)}


def _before_hours(p):
    return {"starts_at": la(MONDAY, 8)}


def _ending_after_hours(p):
    return {"starts_at": la(MONDAY, 16, 15)}  # 60 minutes would end at 17:15


def _day_without_hours(p):
    return {"starts_at": la(MONDAY + timedelta(days=1), 10)}  # Tuesday


def _inside_time_off(p):
    TimeOffFactory(practitioner=p, starts_at=la(MONDAY, 9), ends_at=la(MONDAY, 12))
    return {}


def _on_a_closed_date(p):
    DateExceptionFactory(practitioner=p, date=MONDAY, kind="closed")
    return {}


def _inactive_service(p):
    service = p.services.get()
    service.is_active = False
    service.save()
    return {}


def _length_not_offered(p):
    return {"minutes": 45}


def _garbage_length(p):
    return {"minutes": "sixty"}


def _another_practitioners_service(p):
    other = ServiceFactory()
    ServiceLengthFactory(service=other, minutes=60)
    return {"service": other}


def _tampered_price(p):
    return {"price_seen": Decimal("1.00")}


def _garbage_price(p):
    return {"price_seen": "free"}


REFUSALS = {
    "past": (_past, "already passed"),
    "inside min notice": (_inside_notice, "needs at least 24 hours' notice"),
    "past the horizon": (_past_horizon, "up to 60 days ahead"),
    "off the grid": (_off_grid, r"start every 15 minutes \(:00, :15, :30 or :45\)"),
    "before hours": (_before_hours, "outside Pat Practitioner's working hours"),
    "ending after hours": (_ending_after_hours, "outside Pat Practitioner's working hours"),
    "day without hours": (_day_without_hours, "outside Pat Practitioner's working hours"),
    "time off": (_inside_time_off, "Pat Practitioner is away at that time"),
    "closed date": (_on_a_closed_date, "Pat Practitioner is closed on Monday 8 June"),
    "inactive service": (_inactive_service, "service or length is not offered"),
    "length not offered": (_length_not_offered, "service or length is not offered"),
    "garbage length": (_garbage_length, "length is not offered"),
    "another practitioner's service": (
        _another_practitioners_service,
        "service or length is not offered",
    ),
    "tampered price": (_tampered_price, r"price of this session is now \$80.00"),
    "garbage price": (_garbage_price, r"price of this session is now \$80.00"),
}


@pytest.mark.parametrize("setup,message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_request_is_refused_clearly_and_nothing_is_written(
    practitioner, client_user, intake, mailoutbox, setup, message
):
    with pytest.raises(BookingRefused, match=message) as refused:
        book(practitioner, client_user, intake, **setup(practitioner))
    assert not isinstance(refused.value, SlotTaken)  # not a race: the message says why
    assert not Booking.objects.exists()
    assert not Reminder.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "start",
    [la(MONDAY, 10), la(MONDAY, 10, 30), la(MONDAY, 11), la(MONDAY, 9, 15)],
    ids=["same start", "inside it", "inside its buffer", "own buffer runs into it"],
)
def test_a_time_overlapping_a_booking_or_its_buffer_is_taken(
    practitioner, client_user, other_client, intake, mailoutbox, start
):
    taken = existing(
        practitioner, other_client, IntakeFormFactory(client=other_client), la(MONDAY, 10)
    )
    intake = IntakeFormFactory(client=client_user)  # the client's current version

    with pytest.raises(SlotTaken, match="That time was just taken"):
        book(practitioner, client_user, intake, starts_at=start)
    assert list(Booking.objects.all()) == [taken]
    assert not Reminder.objects.exists()
    assert mailoutbox == []


def test_back_to_back_bookings_fit_once_the_buffer_is_over(
    practitioner, client_user, other_client, intake
):
    existing(practitioner, other_client, IntakeFormFactory(client=other_client), la(MONDAY, 10))
    intake = IntakeFormFactory(client=client_user)
    # Before: 09:00-09:30 plus its own 15-minute buffer ends exactly when 10:00 starts.
    assert book(practitioner, client_user, intake, minutes=30, starts_at=la(MONDAY, 9, 15))
    # After: 10:00-11:00 plus 15 minutes of buffer; 11:15 is free.
    assert book(practitioner, client_user, intake, starts_at=la(MONDAY, 11, 15))
    assert Booking.objects.active().count() == 3


def test_a_client_with_the_most_upcoming_bookings_is_refused(
    practitioner, client_user, intake, mailoutbox
):
    practitioner.max_active_bookings_per_client = 1
    practitioner.save()
    existing(practitioner, client_user, intake, la(MONDAY, 14))

    with pytest.raises(BookingRefused, match="takes at most 1 upcoming booking per client"):
        book(practitioner, client_user, intake)
    assert Booking.objects.count() == 1
    assert mailoutbox == []


def test_past_and_cancelled_bookings_do_not_count_towards_the_limit(
    practitioner, client_user, intake
):
    practitioner.max_active_bookings_per_client = 1
    practitioner.save()
    existing(practitioner, client_user, intake, NOW - timedelta(days=7), status=Status.COMPLETED)
    existing(practitioner, client_user, intake, la(MONDAY, 14), status=Status.CANCELLED_BY_CLIENT)
    assert book(practitioner, client_user, intake).status == Status.REQUESTED


def test_another_clients_intake_is_refused(practitioner, client_user, other_client, mailoutbox):
    theirs = IntakeFormFactory(client=other_client)
    with pytest.raises(BookingRefused, match="Fill in your own health intake"):
        book(practitioner, client_user, theirs)
    assert not Booking.objects.exists()
    assert mailoutbox == []


def test_no_intake_is_refused(practitioner, client_user):
    with pytest.raises(BookingRefused, match="Fill in your own health intake"):
        book(practitioner, client_user, None)


def test_an_intake_older_than_twelve_months_is_refused(practitioner, client_user):
    old = IntakeFormFactory(client=client_user, signed_at=NOW - timedelta(days=366))
    assert current_intake(client_user) is None
    with pytest.raises(BookingRefused, match="more than 12 months old"):
        book(practitioner, client_user, old)
    assert not Booking.objects.exists()


def test_an_intake_replaced_by_a_newer_version_is_refused(practitioner, client_user, intake):
    newer = intake_with(client_user, **POSTPONE_ANSWERS)
    assert current_intake(client_user) == newer
    with pytest.raises(BookingRefused, match="intake changed while you were booking"):
        book(practitioner, client_user, intake)
    assert book(practitioner, client_user, newer).flags == newer.flags
