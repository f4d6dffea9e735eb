"""The practitioner's private calendar feed and its settings page: the secret address, what
the feed holds (and never holds), and revoking it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions.ics import booking_uid
from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, UserFactory

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
MONDAY_10_LA = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
SECRET_FLAG = {
    "code": "dvt",
    "tier": "postpone",
    "label": "FLAG-LABEL-Possible blood clot",
    "detail": "FLAG-DETAIL-see your doctor",
    "reason": "FLAG-REASON-signs of thrombosis",
    "area": "FLAG-AREA-left calf",
}


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def feed_url(practitioner) -> str:
    return reverse("sessions:calendar-feed", kwargs={"token": practitioner.calendar_token})


def fetch(client, practitioner) -> Calendar:
    response = client.get(feed_url(practitioner))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_standing_and_completed_sessions_with_utc_times(
    client, practitioner, other_practitioner
):
    starts = {
        "requested": MONDAY_10_LA,
        "confirmed": MONDAY_10_LA + timedelta(days=1),
        "completed": NOW - timedelta(days=29),
        "cancelled_by_client": MONDAY_10_LA + timedelta(days=2),
        "cancelled_by_practitioner": MONDAY_10_LA + timedelta(days=3),
        "declined": MONDAY_10_LA + timedelta(days=4),
        "no_show": NOW - timedelta(days=2),
    }
    made = {
        status: BookingFactory(practitioner=practitioner, starts_at=start, status=status)
        for status, start in starts.items()
    }
    too_old = BookingFactory(
        practitioner=practitioner, starts_at=NOW - timedelta(days=31), status="completed"
    )
    not_theirs = BookingFactory(practitioner=other_practitioner, starts_at=MONDAY_10_LA)

    found = events(fetch(client, practitioner))

    wanted = {booking_uid(made[s]) for s in ("requested", "confirmed", "completed")}
    assert set(found) == wanted
    assert booking_uid(too_old) not in found and booking_uid(not_theirs) not in found
    confirmed = found[booking_uid(made["confirmed"])]
    assert confirmed.decoded("DTSTART") == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert confirmed.decoded("DTEND") == datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    assert confirmed.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    assert str(found[booking_uid(made["requested"])]["STATUS"]) == "TENTATIVE"


def test_the_feed_carries_no_health_details(client, practitioner):
    patient = UserFactory(full_name="Cara Client")
    intake = IntakeFormFactory(
        client=patient,
        answers={"medications": "INTAKE-ANSWER-warfarin", "notes": "INTAKE-NOTE-varicose"},
        flags=[SECRET_FLAG],
    )
    BookingFactory(
        practitioner=practitioner,
        client=patient,
        intake=intake,
        starts_at=MONDAY_10_LA,
        status=Booking.Status.REQUESTED,
        flags=[SECRET_FLAG],
        clearance_confirmed_at=NOW,
        client_message="CLIENT-MESSAGE-my calf has been sore",
        safety_note="SAFETY-NOTE-asked about the swelling",
    )

    body = client.get(feed_url(practitioner)).content.decode()

    assert "Cara Client" in body  # names and times are what the feed is for
    for secret in (
        "FLAG-",
        "INTAKE-",
        "CLIENT-MESSAGE",
        "SAFETY-NOTE",
        "blood clot",
        "thrombosis",
        "calf",
        "warfarin",
        "clearance",
    ):
        assert secret not in body


def test_an_unknown_token_is_not_found(client, practitioner):
    response = client.get(reverse("sessions:calendar-feed", kwargs={"token": "guess"}))
    assert response.status_code == 404


def test_the_feed_is_private_to_caches(client, practitioner):
    response = client.get(feed_url(practitioner))
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("count", [2, 60])
def test_the_feed_uses_a_fixed_number_of_queries(
    client, practitioner, django_assert_max_num_queries, count
):
    patient = UserFactory()
    intake = IntakeFormFactory(client=patient)
    for n in range(count):
        BookingFactory(
            practitioner=practitioner,
            client=patient,
            intake=intake,
            starts_at=MONDAY_10_LA + timedelta(hours=2 * n),
        )
    with django_assert_max_num_queries(2):  # the practitioner, then their bookings
        calendar = fetch(client, practitioner)
    assert len(calendar.walk("VEVENT")) == count


# --- the settings page ---------------------------------------------------------------------------


def test_the_settings_page_shows_the_absolute_private_address(client, practitioner):
    client.force_login(practitioner.user)
    page = client.get(reverse("sessions:calendar-settings")).text
    assert (
        f'readonly aria-describedby="feed-url-help">http://testserver{feed_url(practitioner)}<'
        in page
    )
    assert f'href="webcal://testserver{feed_url(practitioner)}"' in page
    assert "Google Calendar" in page
    assert "never contains health information" in page


def test_regenerating_the_address_revokes_the_old_one(client, practitioner):
    old_url = feed_url(practitioner)
    client.force_login(practitioner.user)

    response = client.post(reverse("sessions:calendar-settings"), follow=True)

    practitioner.refresh_from_db()
    assert feed_url(practitioner) != old_url
    assert len(practitioner.calendar_token) >= 40
    assert "You have a new calendar address. The old one no longer works" in response.text
    assert f"http://testserver{feed_url(practitioner)}" in response.text
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(practitioner)).status_code == 200


def test_regenerating_touches_only_your_own_address(client, practitioner, other_practitioner):
    theirs = other_practitioner.calendar_token
    client.force_login(practitioner.user)
    client.post(reverse("sessions:calendar-settings"))
    other_practitioner.refresh_from_db()
    assert other_practitioner.calendar_token == theirs


def test_a_completed_session_is_not_shown_as_cancelled(client, practitioner):
    done = BookingFactory(
        practitioner=practitioner, starts_at=NOW - timedelta(days=2), status="completed"
    )
    event = events(fetch(client, practitioner))[booking_uid(done)]
    assert str(event["STATUS"]) == "CONFIRMED"
