"""sessions.booking: the one write path (book, confirm, decline, safety, cancel, reschedule,
finish), its refusals, and the emails it sends."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from sessions.booking import (
    BookingRefused,
    SlotTaken,
    book_session,
    cancel_booking,
    confirm_booking,
    decline_booking,
    finish_booking,
    record_safety_decision,
    reschedule_booking,
)
from sessions.intake import current_intake
from sessions.models import Booking, Reminder
from sessions.reminders import send_due_reminders
from tests.factories import (
    BookingFactory,
    DateExceptionFactory,
    IntakeFormFactory,
    ServiceFactory,
    ServiceLengthFactory,
    StaffFactory,
    TimeOffFactory,
    UserFactory,
)

LA = ZoneInfo("America/Los_Angeles")  # the practitioner's zone (ListedPractitionerFactory)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # Monday 05:00 in Los Angeles
MONDAY = date(2026, 6, 8)  # next Monday: working hours 09:00-17:00 Los Angeles time
Status = Booking.Status

# Safety flags in the shape sessions.safety writes them (issue 4).
POSTPONE_FLAG = {
    "code": "pregnancy_first_trimester",
    "tier": "postpone",
    "label": "Pregnant (first trimester)",
    "detail": "Your practitioner will talk to you before your first session.",
    "reason": "First-trimester pregnancy: postpone until the second trimester.",
    "area": "",
}
CLEARANCE_FLAG = {
    "code": "dvt_history",
    "tier": "clearance",
    "label": "Blood clot history",
    "detail": "Please ask your doctor whether reflexology is right for you.",
    "reason": "History of deep vein thrombosis in the left leg.",
    "area": "left leg",
}
CAUTION_FLAG = {
    "code": "diabetes",
    "tier": "caution",
    "label": "Diabetes",
    "detail": "Tell your practitioner about any numbness in your feet.",
    "reason": "Diabetes with reduced sensation: light pressure only.",
    "area": "both feet",
}


def la(day: date, hour: int, minute: int = 0) -> datetime:
    """A Los Angeles wall time as the UTC instant the write path takes."""
    return datetime.combine(day, time(hour, minute), LA).astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def intake(client_user):
    return IntakeFormFactory(client=client_user)


def book(practitioner, client, intake, **kwargs) -> Booking:
    options = {
        "service": practitioner.services.get(),
        "minutes": 60,
        "starts_at": la(MONDAY, 10),
    } | kwargs
    return book_session(client=client, practitioner=practitioner, intake=intake, **options)


def existing(practitioner, client, intake, starts_at, **kwargs) -> Booking:
    """A booking already on the calendar, written directly (60 minutes + 15 buffer)."""
    return BookingFactory(
        practitioner=practitioner,
        client=client,
        intake=intake,
        starts_at=starts_at,
        **kwargs,
    )


def to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


def calendar_of(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "booking.ics"
    assert attachment.mimetype.startswith("text/calendar")
    return Calendar.from_ical(attachment.content)


def event_of(message):
    (event,) = calendar_of(message).walk("VEVENT")
    return event


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
    intake = IntakeFormFactory(client=client_user, flags=[POSTPONE_FLAG])

    booking = book(practitioner, client_user, intake)

    assert booking.status == Status.REQUESTED
    assert booking.flags == [POSTPONE_FLAG]
    assert booking.needs_safety_decision
    assert "request" in to(mailoutbox, client_user)[0].subject


def test_a_clearance_flag_needs_the_client_to_confirm_clearance(
    practitioner, client_user, mailoutbox
):
    intake = IntakeFormFactory(client=client_user, flags=[CLEARANCE_FLAG])

    with pytest.raises(BookingRefused, match="talked to your doctor or midwife"):
        book(practitioner, client_user, intake)
    assert not Booking.objects.exists()
    assert mailoutbox == []

    booking = book(practitioner, client_user, intake, clearance_confirmed=True)
    assert booking.clearance_confirmed_at == NOW
    assert booking.flags == [CLEARANCE_FLAG]
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
    "off the grid": (_off_grid, "start on the quarter hour"),
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
    newer = IntakeFormFactory(client=client_user, flags=[POSTPONE_FLAG])
    assert current_intake(client_user) == newer
    with pytest.raises(BookingRefused, match="intake changed while you were booking"):
        book(practitioner, client_user, intake)
    assert book(practitioner, client_user, newer).flags == [POSTPONE_FLAG]


# --- cancel -----------------------------------------------------------------------------------


def test_a_client_cancelling_inside_the_window_is_recorded_as_late(
    practitioner, client_user, intake, mailoutbox
):
    booking = existing(practitioner, client_user, intake, NOW + timedelta(hours=10))
    assert booking.is_late_cancellation_at(NOW)

    cancelled = cancel_booking(booking=booking, by=client_user, reason="Car trouble")

    cancelled.refresh_from_db()
    assert cancelled.status == Status.CANCELLED_BY_CLIENT
    assert cancelled.is_late_cancellation is True
    assert cancelled.cancellation_reason == "Car trouble"
    assert cancelled.cancelled_at == NOW
    assert cancelled.sequence == 1
    (to_practitioner,) = to(mailoutbox, practitioner.user)
    assert to_practitioner.subject.startswith("Cancelled: reflexology on")
    assert "This was a late cancellation" in to_practitioner.body
    assert "Reason: Car trouble" in to_practitioner.body
    assert len(to(mailoutbox, client_user)) == 1  # the client's own confirmation


def test_a_client_cancelling_before_the_window_is_not_late(
    practitioner, client_user, intake, mailoutbox
):
    booking = existing(practitioner, client_user, intake, la(MONDAY, 10))
    assert not booking.is_late_cancellation_at(NOW)
    cancelled = cancel_booking(booking=booking, by=client_user, reason="")
    assert cancelled.status == Status.CANCELLED_BY_CLIENT
    assert cancelled.is_late_cancellation is False
    assert "late cancellation" not in to(mailoutbox, practitioner.user)[0].body


def test_the_practitioner_must_give_a_reason_to_cancel(
    practitioner, client_user, intake, mailoutbox
):
    booking = existing(practitioner, client_user, intake, NOW + timedelta(hours=10))
    with pytest.raises(BookingRefused, match="Give the client a reason"):
        cancel_booking(booking=booking, by=practitioner.user, reason="  ")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert mailoutbox == []

    cancelled = cancel_booking(booking=booking, by=practitioner.user, reason="I am unwell")
    assert cancelled.status == Status.CANCELLED_BY_PRACTITIONER
    assert cancelled.is_late_cancellation is False  # lateness is the client's policy
    (to_client,) = to(mailoutbox, client_user)
    assert "cancelled by Pat Practitioner" in to_client.body
    assert "Reason: I am unwell" in to_client.body


def test_someone_else_cannot_cancel_a_booking(practitioner, client_user, intake, mailoutbox):
    booking = existing(practitioner, client_user, intake, la(MONDAY, 10))
    with pytest.raises(BookingRefused, match="Only the client or the practitioner"):
        cancel_booking(booking=booking, by=StaffFactory(), reason="Tidying up")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert mailoutbox == []


def test_a_cancelled_booking_cannot_be_cancelled_again(practitioner, client_user, intake):
    booking = existing(practitioner, client_user, intake, la(MONDAY, 10))
    cancel_booking(booking=booking, by=client_user, reason="")
    with pytest.raises(BookingRefused, match="cancelled by client, so it cannot be cancelled"):
        cancel_booking(booking=booking, by=client_user, reason="")


def test_a_started_session_cannot_be_cancelled(practitioner, client_user, intake):
    booking = existing(practitioner, client_user, intake, NOW - timedelta(minutes=15))
    with pytest.raises(BookingRefused, match="already started"):
        cancel_booking(booking=booking, by=client_user, reason="")


def test_a_cancelled_slot_can_be_booked_again(practitioner, client_user, other_client, intake):
    first = book(practitioner, client_user, intake)
    cancel_booking(booking=first, by=client_user, reason="")
    assert not Reminder.objects.filter(booking=first).exists()

    again = book(practitioner, other_client, IntakeFormFactory(client=other_client))
    assert again.starts_at == first.starts_at
    assert Booking.objects.active().get() == again


# --- reschedule --------------------------------------------------------------------------------


def test_a_reschedule_moves_the_times_the_reminder_and_bumps_the_counters(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    mailoutbox.clear()

    moved = reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13, 30))

    moved.refresh_from_db()
    assert moved.starts_at == la(MONDAY, 13, 30)
    assert moved.ends_at == la(MONDAY, 14, 30)
    assert moved.blocks_until == la(MONDAY, 14, 45)
    assert (moved.reschedule_count, moved.sequence) == (1, 1)
    assert moved.status == Status.REQUESTED
    (reminder,) = Reminder.objects.filter(booking=booking)
    assert reminder.due_at == la(MONDAY, 13, 30) - timedelta(hours=24)
    assert not Reminder.objects.filter(due_at=la(MONDAY, 10) - timedelta(hours=24)).exists()
    for person in (client_user, practitioner.user):
        (message,) = to(mailoutbox, person)
        assert message.subject.startswith("Moved: reflexology now on 8 June")
        event = event_of(message)
        assert event["SEQUENCE"] == 1
        assert event["DTSTART"].to_ical() == b"20260608T203000Z"
    # The old time is free again.
    other = UserFactory()
    assert book(practitioner, other, IntakeFormFactory(client=other)).starts_at == la(MONDAY, 10)


def test_a_reschedule_into_a_taken_time_changes_nothing(
    practitioner, client_user, other_client, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    existing(practitioner, other_client, IntakeFormFactory(client=other_client), la(MONDAY, 13))
    mailoutbox.clear()
    before = Booking.objects.values().get(pk=booking.pk)

    with pytest.raises(SlotTaken):
        reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13, 30))

    assert Booking.objects.values().get(pk=booking.pk) == before
    assert Reminder.objects.get(booking=booking).due_at == la(MONDAY, 10) - timedelta(hours=24)
    assert mailoutbox == []


def test_a_reschedule_within_its_own_time_is_allowed(practitioner, client_user, intake):
    booking = book(practitioner, client_user, intake)
    # Half an hour later overlaps only the booking itself, which is being moved.
    assert reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 10, 30)).starts_at == la(
        MONDAY, 10, 30
    )


def test_a_reschedule_outside_hours_is_refused(practitioner, client_user, intake):
    booking = book(practitioner, client_user, intake)
    with pytest.raises(BookingRefused, match="outside Pat Practitioner's working hours"):
        reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 18))


def test_the_reschedule_cap_is_enforced(practitioner, client_user, intake, mailoutbox):
    practitioner.max_reschedules = 1
    practitioner.save()
    booking = book(practitioner, client_user, intake)
    reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13))
    mailoutbox.clear()

    with pytest.raises(BookingRefused, match="moved once, the most Pat Practitioner allows"):
        reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 15))
    booking.refresh_from_db()
    assert booking.starts_at == la(MONDAY, 13)
    assert mailoutbox == []


def test_a_cap_of_zero_means_no_rescheduling(practitioner, client_user, intake):
    practitioner.max_reschedules = 0
    practitioner.save()
    booking = book(practitioner, client_user, intake)
    with pytest.raises(BookingRefused, match="does not offer rescheduling online"):
        reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13))


def test_a_cancelled_booking_cannot_be_rescheduled(practitioner, client_user, intake):
    booking = book(practitioner, client_user, intake)
    cancel_booking(booking=booking, by=client_user, reason="")
    with pytest.raises(BookingRefused, match="cannot be moved"):
        reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 13))


# --- confirm, decline, safety decisions, finish ------------------------------------------------


def test_the_practitioner_confirms_a_request_and_the_client_is_told(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    mailoutbox.clear()

    confirmed = confirm_booking(booking=booking)

    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED
    assert confirmed.sequence == 1
    (message,) = mailoutbox
    assert message.to == [client_user.email]
    assert message.subject == "Booking confirmed with Pat Practitioner"
    assert event_of(message)["STATUS"] == "CONFIRMED"

    with pytest.raises(BookingRefused, match="confirmed, so it cannot be confirmed"):
        confirm_booking(booking=booking)


def test_a_postpone_flag_needs_a_decision_before_confirming(practitioner, client_user, mailoutbox):
    intake = IntakeFormFactory(client=client_user, flags=[POSTPONE_FLAG])
    booking = book(practitioner, client_user, intake)
    with pytest.raises(BookingRefused, match="Record your decision on the safety flags"):
        confirm_booking(booking=booking)

    decided = record_safety_decision(
        booking=booking, decision="proceed", note="Second trimester now."
    )
    assert decided.status == Status.REQUESTED
    assert (decided.safety_decision, decided.safety_note) == ("proceed", "Second trimester now.")
    assert confirm_booking(booking=booking).status == Status.CONFIRMED


def test_postponing_declines_the_request_without_emailing_the_note(
    practitioner, client_user, mailoutbox
):
    intake = IntakeFormFactory(client=client_user, flags=[POSTPONE_FLAG])
    booking = book(practitioner, client_user, intake)
    mailoutbox.clear()

    decided = record_safety_decision(
        booking=booking, decision="postpone", note="Pregnant, 9 weeks: wait until 14 weeks."
    )

    decided.refresh_from_db()
    assert decided.status == Status.DECLINED
    assert decided.safety_note == "Pregnant, 9 weeks: wait until 14 weeks."
    assert "9 weeks" not in decided.decline_reason
    assert not Reminder.objects.filter(booking=booking).exists()
    (message,) = mailoutbox
    assert message.to == [client_user.email]
    assert "would like to talk with you before booking this session" in message.body
    assert "health" not in message.body.lower()
    assert "Pregnant" not in message.body and "9 weeks" not in message.body


@pytest.mark.parametrize(
    "decision,note,message",
    [("maybe", "Hmm", "proceed or postpone"), ("proceed", " ", "Write a short note")],
)
def test_a_safety_decision_needs_a_known_choice_and_a_note(
    practitioner, client_user, decision, note, message
):
    intake = IntakeFormFactory(client=client_user, flags=[POSTPONE_FLAG])
    booking = book(practitioner, client_user, intake)
    with pytest.raises(BookingRefused, match=message):
        record_safety_decision(booking=booking, decision=decision, note=note)
    booking.refresh_from_db()
    assert booking.safety_decision == ""


def test_declining_needs_a_reason_tells_the_client_and_frees_the_time(
    practitioner, client_user, other_client, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    mailoutbox.clear()
    with pytest.raises(BookingRefused, match="Give the client a reason for declining"):
        decline_booking(booking=booking, reason="")

    declined = decline_booking(booking=booking, reason="Fully booked that week.")

    declined.refresh_from_db()
    assert declined.status == Status.DECLINED
    assert declined.sequence == 1
    assert not Reminder.objects.filter(booking=booking).exists()
    (message,) = mailoutbox
    assert message.to == [client_user.email]
    assert "Their reason: Fully booked that week." in message.body
    assert calendar_of(message)["METHOD"] == "CANCEL"
    assert book(practitioner, other_client, IntakeFormFactory(client=other_client))


def test_a_session_is_finished_only_after_it_starts_and_only_as_completed_or_no_show(
    practitioner, client_user, intake, mailoutbox
):
    booking = existing(practitioner, client_user, intake, NOW + timedelta(hours=2))
    with pytest.raises(BookingRefused, match="once its start time has passed"):
        finish_booking(booking=booking, status="completed")
    with pytest.raises(BookingRefused, match="completed or a no-show"):
        finish_booking(booking=booking, status="cancelled_by_client")

    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert finish_booking(booking=booking, status="no_show").status == Status.NO_SHOW
    booking.refresh_from_db()
    assert booking.status == Status.NO_SHOW
    with pytest.raises(BookingRefused, match="only confirmed sessions can be marked"):
        finish_booking(booking=booking, status="completed")
    assert mailoutbox == []


def test_a_request_cannot_be_marked_completed(practitioner, client_user, intake):
    booking = existing(
        practitioner, client_user, intake, NOW - timedelta(hours=2), status=Status.REQUESTED
    )
    with pytest.raises(BookingRefused, match="requested; only confirmed sessions"):
        finish_booking(booking=booking, status="completed")


# --- emails: the right people, their own zone, calendars, no health details -------------------


def test_emails_show_times_in_each_recipients_zone_and_name_it(
    practitioner, client_user, intake, mailoutbox
):
    client_user.timezone = "Europe/London"
    client_user.save()
    practitioner.user.timezone = "America/Los_Angeles"
    practitioner.user.save()

    booking = book(practitioner, client_user, intake)  # 10:00 Los Angeles = 18:00 London

    (to_client,) = to(mailoutbox, client_user)
    (to_practitioner,) = to(mailoutbox, practitioner.user)
    assert "Monday 8 June 2026, 18:00–19:00 (Europe/London)" in to_client.body
    assert "Monday 8 June 2026, 10:00–11:00 (America/Los_Angeles)" in to_practitioner.body
    for message in (to_client, to_practitioner):
        event = event_of(message)
        assert event["DTSTART"].to_ical() == b"20260608T170000Z"
        assert event["DTEND"].to_ical() == b"20260608T180000Z"
        assert str(event["UID"]) == f"{booking.code}@reflexbook"
        assert calendar_of(message)["METHOD"] == "REQUEST"
    assert "with Pat Practitioner" in str(event_of(to_client)["SUMMARY"])
    assert "with Cara Client" in str(event_of(to_practitioner)["SUMMARY"])


def test_a_cancellation_email_carries_a_cancel_calendar_with_the_same_uid(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    cancel_booking(booking=booking, by=client_user, reason="")
    created, cancelled = to(mailoutbox, practitioner.user)
    assert event_of(created)["UID"] == event_of(cancelled)["UID"]
    assert calendar_of(cancelled)["METHOD"] == "CANCEL"
    assert event_of(cancelled)["STATUS"] == "CANCELLED"
    assert event_of(cancelled)["SEQUENCE"] > event_of(created)["SEQUENCE"]


def test_no_email_or_calendar_file_carries_health_details(
    practitioner, client_user, other_client, mailoutbox
):
    answers = {"conditions": "Diabetes, blood clot in 2019", "medications": "Warfarin"}
    flagged = IntakeFormFactory(
        client=client_user, answers=answers, flags=[CLEARANCE_FLAG, CAUTION_FLAG]
    )
    booking = book(
        practitioner,
        client_user,
        flagged,
        clearance_confirmed=True,
        client_message="Looking forward to it",
    )
    confirm_booking(booking=booking)
    booking = reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 14))
    with time_machine.travel(la(MONDAY, 14) - timedelta(hours=20), tick=False):
        assert send_due_reminders() == 1
    cancel_booking(booking=booking, by=practitioner.user, reason="Emergency closure")

    postponer = IntakeFormFactory(client=other_client, flags=[POSTPONE_FLAG])
    request = book(practitioner, other_client, postponer, starts_at=la(MONDAY, 10))
    record_safety_decision(booking=request, decision="postpone", note="Pregnant, 9 weeks.")

    events = {m.subject.split(" ")[0] for m in mailoutbox}
    assert {"Your", "New", "Booking", "Moved:", "Reminder:", "Cancelled:"} <= events
    health_words = ["Warfarin", "Diabetes", "blood clot", "Blood clot", "Pregnant", "trimester"]
    for flag in (CLEARANCE_FLAG, CAUTION_FLAG, POSTPONE_FLAG):
        health_words += [flag["label"], flag["detail"], flag["reason"], flag["area"]]
    for message in mailoutbox:
        text = message.subject + message.body + "".join(a.content for a in message.attachments)
        for word in filter(None, health_words):
            assert word not in text, (message.subject, word)


def test_booking_emails_are_plain_text_without_html_entities(client_user, practitioner, mailoutbox):
    practitioner.display_name = "Grace O'Neill & Co"
    practitioner.save()
    booking = BookingFactory(client=client_user, practitioner=practitioner, status="requested")
    confirm_booking(booking=booking)
    (message,) = mailoutbox
    assert "Grace O'Neill & Co" in message.subject + message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
