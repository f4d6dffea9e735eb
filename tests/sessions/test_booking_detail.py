"""The booking page: the same booking read by its client, its practitioner and staff, each in
their own time zone and with what their role may do."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory
from tests.two_factor import log_in_verified

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # 10:00 Los Angeles, 13:00 New York

FLAGS = [
    {
        "code": "pregnancy",
        "tier": "clearance",
        "label": "Pregnant",
        "detail": "Talk to your midwife before booking.",
        "reason": "Pregnancy: ask for the midwife's clearance.",
        "area": "",
    }
]


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def booking(client_user, practitioner):
    practitioner.user.timezone = "America/Los_Angeles"
    practitioner.user.save()
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=STARTS,
        status=Booking.Status.REQUESTED,
        flags=FLAGS,
        client_message="Ground floor please.",
        policy_text="Cancel at least 24 hours ahead.",
    )


def detail(client, booking):
    return client.get(reverse("sessions:booking-detail", kwargs={"code": booking.code}))


def test_client_sees_their_session_in_their_zone_with_their_links(client, client_user, booking):
    client.force_login(client_user)
    response = detail(client, booking)
    assert response.status_code == 200
    text = response.text
    assert f"Your session with {booking.practitioner.display_name}" in text
    assert "Monday 8 June 2026, 13:00–14:00 (America/New_York)" in text
    assert "works in America/Los_Angeles." in text
    assert f"Requested: waiting for {booking.practitioner.display_name} to confirm" in text
    assert "Foot reflexology" in text
    assert "60 minutes" in text
    assert "$80" in text
    assert "Ground floor please." in text
    assert "Cancel at least 24 hours ahead." in text
    assert "<dt>Rescheduled</dt>\n      <dd>No" in text  # never, so far
    assert "Talk to your midwife before booking." in text  # the client's wording of the flag
    assert "ask for the midwife" not in text
    for name in ("booking-ics", "booking-cancel", "booking-reschedule"):
        assert reverse(f"sessions:{name}", kwargs={"code": booking.code}) in text
    assert reverse("sessions:booking-confirm", kwargs={"code": booking.code}) not in text


def test_practitioner_sees_it_in_their_own_zone_with_their_actions(client, practitioner, booking):
    client.force_login(practitioner.user)
    response = detail(client, booking)
    assert response.status_code == 200
    text = response.text
    assert "10:00–11:00 (America/Los_Angeles)" in text
    assert f"Session: {booking.client.full_name} with {practitioner.display_name}" in text
    assert "works in" not in text
    assert "Requested: waiting for your answer" in text
    assert "Pregnancy: ask for the midwife" in text  # the practitioner's wording of the flag
    assert reverse("sessions:booking-confirm", kwargs={"code": booking.code}) in text
    assert reverse("sessions:booking-ics", kwargs={"code": booking.code}) in text
    assert reverse("sessions:booking-cancel", kwargs={"code": booking.code}) not in text
    assert reverse("sessions:booking-reschedule", kwargs={"code": booking.code}) not in text


def test_staff_read_it_without_actions(client, staff, booking):
    staff.timezone = "Europe/London"
    staff.save()
    log_in_verified(client, staff)
    response = detail(client, booking)
    text = response.text
    assert "18:00–19:00 (Europe/London)" in text
    assert "Requested: waiting for the practitioner to confirm" in text
    assert "Pregnancy: ask for the midwife" in text
    assert reverse("sessions:booking-confirm", kwargs={"code": booking.code}) not in text
    assert reverse("sessions:booking-cancel", kwargs={"code": booking.code}) not in text


def test_a_late_cancellation_shows_as_late_with_its_reason(client, client_user, booking):
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.CANCELLED_BY_CLIENT,
        is_late_cancellation=True,
        cancellation_reason="Flu.",
        cancelled_at=STARTS - timedelta(hours=3),
        reschedule_count=2,
    )
    client.force_login(client_user)
    text = detail(client, booking).text
    assert "Cancelled (late) by you" in text
    assert "Yes: cancelled less than 24 hours before the start." in text
    assert "Flu." in text
    assert "2 times" in text
    assert reverse("sessions:booking-cancel", kwargs={"code": booking.code}) not in text


def test_a_declined_request_shows_the_reason(client, client_user, booking):
    Booking.objects.filter(pk=booking.pk).update(
        status=Booking.Status.DECLINED, decline_reason="Fully booked that week."
    )
    client.force_login(client_user)
    text = detail(client, booking).text
    assert "Declined" in text
    assert "Fully booked that week." in text
    assert reverse("sessions:booking-reschedule", kwargs={"code": booking.code}) not in text


def test_a_past_session_cannot_be_changed(client, client_user, booking):
    client.force_login(client_user)
    with time_machine.travel(STARTS + timedelta(minutes=5), tick=False):
        text = detail(client, booking).text
    assert reverse("sessions:booking-ics", kwargs={"code": booking.code}) in text
    assert reverse("sessions:booking-cancel", kwargs={"code": booking.code}) not in text
    assert reverse("sessions:booking-reschedule", kwargs={"code": booking.code}) not in text


def test_client_and_practitioner_see_how_to_reach_each_other(client, client_user, practitioner):
    practitioner.user.phone = "+1 503 555 0100"
    practitioner.user.save()
    booking = BookingFactory(client=client_user, practitioner=practitioner)
    url = reverse("sessions:booking-detail", kwargs={"code": booking.code})
    client.force_login(client_user)
    page = client.get(url).text
    assert f'href="mailto:{practitioner.user.email}"' in page
    assert "+1 503 555 0100" in page
    client.force_login(practitioner.user)
    assert f'href="mailto:{client_user.email}"' in client.get(url).text
