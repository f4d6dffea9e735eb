"""Bad input on the review page is refused in words, with nothing written: each refusal comes
from sessions.booking.book_session and is shown on the page."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, ServiceLengthFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # a Wednesday
MONDAY_9AM_LA = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)  # the practitioner works Mondays 9-17


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def logged_in(client, client_user):
    IntakeFormFactory(client=client_user)
    client.force_login(client_user)
    return client


def review_url(practitioner, start, length=None):
    length = length or practitioner.services.get().lengths.get(minutes=60)
    return reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length.pk,
            "start": start.strftime("%Y%m%dT%H%MZ"),
        },
    )


def post(client, url, **data):
    return client.post(
        url, {"accept_policy": "on", "unwell_now": "False", "price_seen": "80.00"} | data
    )


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (NOW - timedelta(days=2), "That time has already passed. Choose a time in the future."),
        (NOW + timedelta(hours=4), "needs at least 24 hours' notice. Choose a later time."),
        (NOW + timedelta(days=70), "You can book up to 60 days ahead. Choose an earlier date."),
        (MONDAY_9AM_LA + timedelta(minutes=15), "start every 30 minutes (on the hour or half"),
        (MONDAY_9AM_LA - timedelta(hours=2), "outside"),  # 07:00 in Los Angeles
        (MONDAY_9AM_LA + timedelta(hours=7, minutes=30), "outside"),  # 16:30: runs past 17:00
        (MONDAY_9AM_LA + timedelta(days=1), "outside"),  # Tuesday: not a working day
    ],
    ids=[
        "past",
        "short-notice",
        "beyond-horizon",
        "off-grid",
        "before-hours",
        "too-late",
        "day-off",
    ],
)
def test_a_time_that_cannot_be_booked_is_refused_in_words(logged_in, practitioner, start, message):
    response = post(logged_in, review_url(practitioner, start), message="Hi")
    assert response.status_code == 200
    assert message in unescape(response.text)
    assert ">\nHi</textarea>" in response.text  # what the client typed is kept
    assert not Booking.objects.exists()


def test_outside_hours_names_the_reason(logged_in, practitioner):
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA - timedelta(hours=2)))
    assert f"That time is outside {practitioner.display_name}'s working hours" in unescape(
        response.text
    )


def test_a_taken_time_gets_409_and_fresh_times_that_day(logged_in, practitioner, mailoutbox):
    BookingFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA)
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA), message="Hi")
    assert response.status_code == 409
    assert "That time was just taken. Please choose another time." in response.text
    assert "Free times on Monday 8 June:" in response.text
    # 10:30 Los Angeles (after the 09:00 session and its buffer, on the 30-minute grid) is
    # 13:30 in New York.
    later = review_url(practitioner, MONDAY_9AM_LA + timedelta(hours=1, minutes=30))
    assert f'href="{later}"' in response.text
    assert ">\nHi</textarea>" in response.text
    assert Booking.objects.count() == 1
    assert mailoutbox == []


def test_a_tampered_price_is_refused(logged_in, practitioner):
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA), price_seen="1.00")
    assert response.status_code == 200
    assert "The price of this session is now $80.00. Check it and book again." in response.text
    # The page now carries the real price, so booking again (having seen it) works.
    assert 'name="price_seen" value="80.00"' in response.text
    assert not Booking.objects.exists()


def test_a_price_that_is_not_a_number_is_refused(logged_in, practitioner):
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA), price_seen="free")
    assert response.status_code == 200
    assert "The price shown is not a price. Reload the page and try again." in response.text
    assert not Booking.objects.exists()


def test_a_service_switched_off_since_the_week_was_shown_is_refused(logged_in, practitioner):
    url = review_url(practitioner, MONDAY_9AM_LA)
    practitioner.services.update(is_active=False)
    ServiceLengthFactory(service__practitioner=practitioner)  # the profile stays listed
    response = logged_in.get(url)
    assert "That service or length is not offered. Choose one from the list." in response.text
    assert "Book this session" not in response.text
    response = post(logged_in, url)
    assert response.status_code == 200
    assert "That service or length is not offered. Choose one from the list." in response.text
    assert not Booking.objects.exists()


def test_another_practitioners_length_is_not_found(logged_in, practitioner, other_practitioner):
    foreign = other_practitioner.services.get().lengths.get(minutes=60)
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA, length=foreign))
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_the_most_upcoming_bookings_per_client_is_refused(logged_in, client_user, practitioner):
    practitioner.max_active_bookings_per_client = 1
    practitioner.save()
    BookingFactory(
        client=client_user, practitioner=practitioner, starts_at=MONDAY_9AM_LA + timedelta(days=7)
    )
    response = post(logged_in, review_url(practitioner, MONDAY_9AM_LA))
    assert f"{practitioner.display_name} takes at most 1 upcoming booking per client." in (
        response.text
    )
    assert Booking.objects.count() == 1
