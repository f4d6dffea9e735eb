"""sessions.booking.reschedule_booking: moving a booking, its cap, and its refusals."""

from datetime import timedelta

import pytest

from sessions.booking import BookingRefused, SlotTaken, cancel_booking, reschedule_booking
from sessions.models import Booking, Reminder
from tests.factories import IntakeFormFactory, UserFactory
from tests.sessions.booking_helpers import MONDAY, NOW, Status, book, event_of, existing, la, to

pytestmark = pytest.mark.time_machine(NOW, tick=False)


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
