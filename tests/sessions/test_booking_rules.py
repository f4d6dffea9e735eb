"""The rules about one booking, on Booking itself: each asked both ways at a fixed `now`."""

from datetime import UTC, datetime, timedelta

import pytest

from sessions.models import Booking
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)
BEFORE = STARTS - timedelta(days=2)
AFTER = STARTS + timedelta(minutes=5)
Status = Booking.Status


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(client=client_user, practitioner=practitioner, starts_at=STARTS)


def with_status(booking, status):
    booking.status = status
    return booking


# --- time -------------------------------------------------------------------------------------


def test_a_session_has_started_from_its_start_time(booking):
    assert not booking.has_started(BEFORE)
    assert booking.has_started(STARTS)
    assert booking.has_started(AFTER)


def test_an_active_booking_before_its_start_is_upcoming(booking):
    assert booking.is_upcoming(BEFORE)
    assert not booking.is_upcoming(AFTER)
    assert not with_status(booking, Status.CANCELLED_BY_CLIENT).is_upcoming(BEFORE)


def test_the_upcoming_queryset_matches_the_rule(booking, client_user, practitioner):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=STARTS + timedelta(days=1),
        status=Status.DECLINED,
    )
    assert list(Booking.objects.upcoming(BEFORE)) == [booking]
    assert list(Booking.objects.upcoming(AFTER)) == []


# --- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "recordable"),
    [
        (Status.CONFIRMED, True),
        (Status.COMPLETED, True),
        (Status.REQUESTED, False),
        (Status.NO_SHOW, False),
        (Status.CANCELLED_BY_CLIENT, False),
        (Status.DECLINED, False),
    ],
)
def test_a_session_that_stood_can_have_a_record_once_started(booking, status, recordable):
    with_status(booking, status)
    assert booking.can_have_record(AFTER) is recordable
    assert not booking.can_have_record(BEFORE)


def test_the_recordable_queryset_matches_the_rule(booking):
    assert list(Booking.objects.recordable(AFTER)) == [booking]
    assert list(Booking.objects.recordable(BEFORE)) == []


# --- cancelling -------------------------------------------------------------------------------


def test_the_client_and_the_practitioner_can_cancel_before_the_start(booking, practitioner):
    assert booking.cancel_refusal(booking.client, BEFORE) == ""
    assert booking.cancel_refusal(practitioner.user, BEFORE) == ""


def test_nobody_else_can_cancel(booking, staff, other_client):
    refusal = "Only the client or the practitioner can cancel this booking."
    assert booking.cancel_refusal(staff, BEFORE) == refusal
    assert booking.cancel_refusal(other_client, BEFORE) == refusal


def test_a_started_or_finished_booking_cannot_be_cancelled(booking):
    assert booking.cancel_refusal(booking.client, AFTER) == (
        "This session has already started, so it cannot be cancelled."
    )
    with_status(booking, Status.CANCELLED_BY_CLIENT)
    assert booking.cancel_refusal(booking.client, BEFORE) == (
        "This booking is cancelled by client, so it cannot be cancelled."
    )


def test_a_cancellation_inside_the_window_is_late(booking, practitioner):
    practitioner.late_cancel_hours = 24
    assert booking.is_late_cancellation_at(STARTS - timedelta(hours=23))
    assert not booking.is_late_cancellation_at(STARTS - timedelta(hours=25))


# --- rescheduling -----------------------------------------------------------------------------


def test_without_a_cap_the_client_can_move_an_upcoming_booking(booking, practitioner):
    practitioner.max_reschedules = None
    booking.reschedule_count = 5
    assert booking.reschedule_refusal(BEFORE) == ""
    assert booking.reschedules_left is None


def test_under_the_cap_the_client_can_move_it(booking, practitioner):
    practitioner.max_reschedules = 2
    booking.reschedule_count = 1
    assert booking.reschedule_refusal(BEFORE) == ""
    assert booking.reschedules_left == 1


def test_at_the_cap_the_client_cannot_move_it(booking, practitioner):
    practitioner.max_reschedules = 2
    booking.reschedule_count = 2
    assert booking.reschedules_left == 0
    assert booking.reschedule_refusal(BEFORE) == (
        "This booking has been moved 2 times, the most Pat Practitioner allows. You can cancel "
        "it and book again instead."
    )


def test_a_cap_of_zero_means_rescheduling_is_not_offered_online(booking, practitioner):
    practitioner.max_reschedules = 0
    assert not booking.reschedule_offered
    assert booking.reschedule_refusal(BEFORE) == (
        "Pat Practitioner does not offer rescheduling online. To move this session, contact "
        "them, or cancel it and book a new time."
    )
    practitioner.max_reschedules = 1
    assert booking.reschedule_offered


def test_a_started_or_finished_booking_cannot_be_moved(booking):
    assert booking.reschedule_refusal(AFTER) == (
        "This session has already started, so it cannot be moved."
    )
    with_status(booking, Status.DECLINED)
    assert booking.reschedule_refusal(BEFORE) == (
        "This booking is declined, so it cannot be moved."
    )


# --- marking the session ----------------------------------------------------------------------


def test_a_confirmed_session_can_be_marked_once_started(booking):
    assert booking.finish_refusal(AFTER) == ""
    assert booking.finish_refusal(BEFORE) == (
        "You can mark the session once its start time has passed."
    )


def test_only_a_confirmed_session_can_be_marked(booking):
    with_status(booking, Status.REQUESTED)
    assert booking.finish_refusal(AFTER) == (
        "This booking is requested; only confirmed sessions can be marked."
    )


# --- safety -----------------------------------------------------------------------------------


def test_a_talk_first_flag_needs_a_safety_decision(booking):
    booking.flags = [{"code": "acute_illness", "tier": "postpone", "label": "Unwell"}]
    assert booking.needs_safety_decision
    booking.flags = [{"code": "epilepsy", "tier": "caution", "label": "Epilepsy"}]
    assert not booking.needs_safety_decision


@pytest.mark.parametrize(
    ("status", "practitioner_sees"),
    [("confirmed", True), ("requested", True), ("declined", False), ("cancelled_by_client", False)],
)
def test_health_details_stay_open_to_client_and_staff_and_to_the_practitioner_while_needed(
    client_user, practitioner, staff, status, practitioner_sees
):
    booking = BookingFactory(client=client_user, practitioner=practitioner, status=status)
    assert booking.health_open_to(client_user)
    assert booking.health_open_to(staff)
    assert booking.health_open_to(practitioner.user) is practitioner_sees


def test_a_booking_has_health_notes_when_it_carries_flags_or_the_clients_words():
    assert not Booking(flags=[]).has_health_notes
    assert Booking(flags=[], client_message="Sore knee").has_health_notes
    assert Booking(flags=[], decline_reason="Unwell since Monday").has_health_notes
    assert Booking(flags=[{"code": "dvt_history"}]).has_health_notes
