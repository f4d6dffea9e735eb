"""The client cancels: the policy first, a warning inside the late window, then the result."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking, Reminder
from tests.factories import BookingFactory, ReminderFactory

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)
EARLY = STARTS - timedelta(days=3)
LATE = STARTS - timedelta(hours=5)  # inside the practitioner's 24-hour window


@pytest.fixture
def booking(client_user, practitioner):
    with time_machine.travel(EARLY - timedelta(days=1), tick=False):
        booking = BookingFactory(
            client=client_user,
            practitioner=practitioner,
            starts_at=STARTS,
            policy_text="Cancel at least 24 hours ahead, or it counts as late.",
        )
        ReminderFactory(booking=booking)
    return booking


def cancel_url(booking):
    return reverse("sessions:booking-cancel", kwargs={"code": booking.code})


def test_cancel_page_shows_the_policy_without_a_warning_when_early(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(EARLY, tick=False):
        response = client.get(cancel_url(booking))
    assert response.status_code == 200
    assert "Cancel at least 24 hours ahead, or it counts as late." in response.text
    assert "recorded as a late cancellation" not in response.text
    assert "Cancel my session" in response.text


def test_cancel_page_warns_inside_the_late_window(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(LATE, tick=False):
        response = client.get(cancel_url(booking))
    assert "This will be recorded as a late cancellation." in response.text
    assert "less than 24 hours before your session" in response.text
    assert "If you are cancelling because you are unwell, tick the box below" in response.text
    assert "Cancel my session" in response.text


def test_early_cancellation_is_not_late_and_tells_the_practitioner(
    client, client_user, booking, practitioner, mailoutbox
):
    client.force_login(client_user)
    with time_machine.travel(EARLY, tick=False):
        response = client.post(cancel_url(booking), {"reason": ""})
        page = client.get(response.url)
    assert response.url == booking.get_absolute_url()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert booking.is_late_cancellation is False
    assert booking.cancellation_reason == ""
    assert not Reminder.objects.filter(booking=booking, state=Reminder.State.PENDING).exists()
    assert "Cancelled." in page.text
    assert "Cancelled by you" in page.text
    assert "(late)" not in page.text
    assert {m.to[0] for m in mailoutbox} == {client_user.email, practitioner.user.email}


def test_late_cancellation_is_recorded_and_shown_as_late(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(LATE, tick=False):
        response = client.post(cancel_url(booking), {"reason": "  Caught a cold.  "})
        page = client.get(response.url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert booking.is_late_cancellation is True
    assert booking.cancellation_reason == "Caught a cold."
    assert "Cancelled (late)" in page.text
    assert "recorded as a late cancellation" in page.text
    assert "Caught a cold." in page.text


def test_a_cancelled_booking_cannot_be_cancelled_again(client, client_user, booking):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED_BY_CLIENT)
    client.force_login(client_user)
    with time_machine.travel(EARLY, tick=False):
        page = client.get(cancel_url(booking))
        response = client.post(cancel_url(booking), {"reason": "again"})
    assert "so it cannot be cancelled" in page.text
    assert "Cancel my session" not in page.text
    assert response.status_code == 200
    assert "This booking is cancelled by client, so it cannot be cancelled." in response.text


def test_a_started_session_cannot_be_cancelled(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(STARTS + timedelta(minutes=10), tick=False):
        response = client.post(cancel_url(booking), {"reason": ""})
    assert "This session has already started, so it cannot be cancelled." in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_too_long_reason_is_refused_and_kept(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(EARLY, tick=False):
        response = client.post(cancel_url(booking), {"reason": "x" * 501})
    assert "Keep the reason under 500 characters." in response.text
    assert "x" * 501 in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_the_cancel_page_offers_cancelling_because_unwell_and_says_it_is_never_late(
    client, client_user, booking
):
    client.force_login(client_user)
    with time_machine.travel(LATE, tick=False):
        response = client.get(cancel_url(booking))
    assert "I am cancelling because I am unwell" in response.text
    assert "Cancelling because you are unwell is never counted as late." in response.text


def test_cancelling_because_unwell_inside_the_window_is_not_late_and_shows_as_unwell(
    client, client_user, practitioner, booking, mailoutbox
):
    client.force_login(client_user)
    with time_machine.travel(LATE, tick=False):
        response = client.post(cancel_url(booking), {"unwell": "on", "reason": ""})
        page = client.get(response.url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert booking.cancelled_for_illness is True
    assert booking.is_late_cancellation is False
    assert "Cancelled. Pat Practitioner has been told." in page.text
    assert "Cancelled: unwell" in page.text
    assert "(late)" not in page.text and "Late cancellation" not in page.text

    client.force_login(practitioner.user)
    with time_machine.travel(LATE, tick=False):
        detail = client.get(booking.get_absolute_url())
        agenda = client.get(reverse("sessions:agenda") + "?date=2026-06-08")
    assert '<dd class="rb-status">Cancelled: unwell' in detail.text
    assert "Late cancellation" not in detail.text
    assert "Cancelled: unwell" in agenda.text
    assert "(late cancellation)" not in agenda.text
