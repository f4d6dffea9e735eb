"""sessions.booking: the practitioner confirms, declines, decides on safety flags and
finishes a session."""

from datetime import timedelta

import pytest
import time_machine

from sessions.booking import (
    BookingRefused,
    confirm_booking,
    decline_booking,
    finish_booking,
    record_safety_decision,
)
from sessions.models import Reminder
from tests.factories import IntakeFormFactory
from tests.sessions.booking_helpers import (
    NOW,
    POSTPONE_ANSWERS,
    Status,
    book,
    calendar_of,
    event_of,
    existing,
    intake_with,
)

pytestmark = pytest.mark.time_machine(NOW, tick=False)


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
    intake = intake_with(client_user, **POSTPONE_ANSWERS)
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
    intake = intake_with(client_user, **POSTPONE_ANSWERS)
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
    assert message.subject == "Pat Practitioner would like to talk with you first"
    assert "would like to talk with you first and will be in touch" in message.body
    # Its own email: not the "declined, choose another time" one.
    assert "declined" not in (message.subject + message.body).lower()
    assert "choose another time" not in message.body
    assert "health" not in message.body.lower()
    assert "Pregnant" not in message.body and "9 weeks" not in message.body


@pytest.mark.parametrize(
    "decision,note,message",
    [("maybe", "Hmm", "proceed or postpone"), ("proceed", " ", "Write a short note")],
)
def test_a_safety_decision_needs_a_known_choice_and_a_note(
    practitioner, client_user, decision, note, message
):
    intake = intake_with(client_user, **POSTPONE_ANSWERS)
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
