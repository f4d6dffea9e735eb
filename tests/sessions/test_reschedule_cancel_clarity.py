"""Rescheduling and cancelling clearly: the current time is marked as current, never offered
as a new one; the cancel page says before confirming whether it will count as late."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.booking import BookingRefused, cancellation_policy, reschedule_booking
from tests.factories import BookingFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # Monday 10:00 Los Angeles, 13:00 New York

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(client_user, practitioner):
    with time_machine.travel(NOW, tick=False):
        return BookingFactory(
            client=client_user,
            practitioner=practitioner,
            starts_at=STARTS,
            policy_text=cancellation_policy(practitioner),
        )


def move_url(booking, **query):
    url = reverse("sessions:booking-reschedule", kwargs={"code": booking.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cancel_url(booking):
    return reverse("sessions:booking-cancel", kwargs={"code": booking.code})


@time_machine.travel(NOW, tick=False)
def test_the_week_marks_the_current_time_as_current_and_offers_it_as_no_new_time(
    client, client_user, booking
):
    client.force_login(client_user)
    text = client.get(move_url(booking, week="2026-06-08")).text
    assert (
        '<span class="btn btn-secondary btn-sm rb-time pe-none" aria-current="true">'
        '<span class="visually-hidden">Monday 8 June at </span>13:00 (current time)</span>'
    ) in text
    assert "start=20260608T1700Z" not in text
    assert text.count("(current time)") == 1
    # The times around it are still offered.
    assert move_url(booking, start="20260608T1600Z", week="2026-06-08").replace("&", "&amp;") in (
        text
    )


@time_machine.travel(NOW, tick=False)
def test_asking_to_move_to_the_current_time_asks_nothing(client, client_user, booking):
    client.force_login(client_user)
    text = client.get(move_url(booking, start="20260608T1700Z", week="2026-06-08")).text
    assert "Move to" not in text
    assert 'name="start"' not in text


@time_machine.travel(NOW, tick=False)
def test_moving_to_the_current_time_is_refused_and_changes_nothing(
    client, client_user, booking, mailoutbox
):
    client.force_login(client_user)
    response = client.post(move_url(booking), {"start": "20260608T1700Z"})
    assert response.status_code == 200
    assert "That is the session&#x27;s current time." in response.text
    booking.refresh_from_db()
    assert booking.reschedule_count == 0
    assert mailoutbox == []
    with pytest.raises(BookingRefused, match="current time"):
        reschedule_booking(booking=booking, new_starts_at=STARTS)


def test_the_cancel_page_says_before_the_window_that_cancelling_will_not_be_late(
    client, client_user, booking
):
    client.force_login(client_user)
    with time_machine.travel(STARTS - timedelta(days=3), tick=False):
        text = client.get(cancel_url(booking)).text
    assert "Cancelling now will not count as late." in text
    assert (
        "From Sunday 7 June 2026, 13:00 (America/New_York), a cancellation would count as late."
    ) in text
    assert "This will be recorded as a late cancellation." not in text
    # The policy says it once: cancelling because unwell is never late.
    assert booking.policy_text in text
    assert text.count("Cancelling because you are unwell is never counted as late.") == 1


def test_the_cancel_page_says_inside_the_window_that_cancelling_will_be_late(
    client, client_user, booking
):
    client.force_login(client_user)
    with time_machine.travel(STARTS - timedelta(hours=5), tick=False):
        text = client.get(cancel_url(booking)).text
    assert "This will be recorded as a late cancellation." in text
    assert "will not count as late" not in text
    assert "tick the box below: that is never counted as late." in text
