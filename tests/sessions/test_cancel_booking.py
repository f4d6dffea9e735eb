"""sessions.booking.cancel_booking: late or not, who may cancel, and the time it frees."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from sessions.booking import BookingRefused, cancel_booking
from sessions.models import Booking, Reminder
from tests.factories import IntakeFormFactory, StaffFactory
from tests.sessions.booking_helpers import MONDAY, NOW, Status, book, existing, la, to

pytestmark = pytest.mark.time_machine(NOW, tick=False)


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


def test_a_client_cancelling_because_they_are_unwell_is_never_late(
    practitioner, client_user, intake, mailoutbox
):
    booking = existing(practitioner, client_user, intake, NOW + timedelta(hours=10))
    assert booking.is_late_cancellation_at(NOW)

    cancelled = cancel_booking(booking=booking, by=client_user, reason="", for_illness=True)

    cancelled.refresh_from_db()
    assert cancelled.status == Status.CANCELLED_BY_CLIENT
    assert cancelled.cancelled_for_illness is True
    assert cancelled.is_late_cancellation is False
    for message in mailoutbox:
        assert "This was a late cancellation" not in message.body
        assert "A cancellation because of illness is never counted as late." in message.body
        assert "unwell" not in message.subject + message.body  # emails carry no health detail


def test_only_the_client_cancels_because_they_are_unwell(practitioner, client_user, intake):
    booking = existing(practitioner, client_user, intake, NOW + timedelta(hours=10))

    cancelled = cancel_booking(
        booking=booking, by=practitioner.user, reason="Closed today", for_illness=True
    )

    assert cancelled.status == Status.CANCELLED_BY_PRACTITIONER
    assert cancelled.cancelled_for_illness is False


def test_the_database_refuses_an_illness_cancellation_marked_late(
    practitioner, client_user, intake
):
    booking = existing(
        practitioner, client_user, intake, la(MONDAY, 10), status=Status.CANCELLED_BY_CLIENT
    )
    booking.cancelled_for_illness = True
    booking.is_late_cancellation = True
    with pytest.raises(IntegrityError), transaction.atomic():
        booking.save()
