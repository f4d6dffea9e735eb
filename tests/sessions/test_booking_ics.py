"""The booking's .ics download parses, carries the right UTC times, keeps its UID, raises its
SEQUENCE on a change and says METHOD:CANCEL once cancelled."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions.booking import cancel_booking, reschedule_booking
from tests.factories import BookingFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # Monday 10:00 in Los Angeles


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(client=client_user, practitioner=practitioner, starts_at=STARTS)


def download(client, booking):
    response = client.get(reverse("sessions:booking-ics", kwargs={"code": booking.code}))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return response, calendar, event


def test_download_is_a_calendar_file_with_the_utc_start_and_end(client, client_user, booking):
    client.force_login(client_user)
    response, calendar, event = download(client, booking)
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="reflexology-2026-06-08.ics"'
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == STARTS + timedelta(minutes=60)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(event["UID"]) == f"{booking.code}@reflexbook"
    assert event["STATUS"] == "CONFIRMED"
    assert booking.practitioner.display_name in str(event["SUMMARY"])


def test_file_name_uses_the_viewers_date(client, client_user, practitioner):
    late = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=datetime(2026, 6, 9, 2, 0, tzinfo=UTC),  # Monday evening in New York
    )
    client.force_login(client_user)
    response, _, _ = download(client, late)
    assert response["Content-Disposition"] == 'attachment; filename="reflexology-2026-06-08.ics"'


def test_practitioners_copy_names_the_client(client, practitioner, booking):
    client.force_login(practitioner.user)
    _, _, event = download(client, booking)
    assert booking.client.full_name in str(event["SUMMARY"])


def test_uid_stays_and_sequence_rises_after_a_reschedule(client, client_user, booking):
    client.force_login(client_user)
    _, _, before = download(client, booking)
    moved = reschedule_booking(booking=booking, new_starts_at=STARTS + timedelta(days=7))
    _, _, after = download(client, moved)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == STARTS + timedelta(days=7)


def test_a_cancelled_booking_downloads_as_a_cancellation(client, client_user, booking):
    client.force_login(client_user)
    _, _, before = download(client, booking)
    cancel_booking(booking=booking, by=client_user, reason="")
    _, calendar, after = download(client, booking)
    assert calendar["METHOD"] == "CANCEL"
    assert after["STATUS"] == "CANCELLED"
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
