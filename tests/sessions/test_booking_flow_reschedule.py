"""The client moves a booking to another free time of the same length."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from sessions.booking import BookingRefused, reschedule_booking
from sessions.models import Booking
from tests.factories import BookingFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # Monday 10:00 Los Angeles, 13:00 New York
NEW_START = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)  # the Monday after, 13:00 Los Angeles


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(client=client_user, practitioner=practitioner, starts_at=STARTS)


def move_url(booking, **query):
    url = reverse("sessions:booking-reschedule", kwargs={"code": booking.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_week_offers_the_times_around_the_booking_itself(client, client_user, booking):
    client.force_login(client_user)
    response = client.get(move_url(booking, week="2026-06-08"))
    assert response.status_code == 200
    text = response.text
    assert "Now: Monday 8 June 2026, 13:00–14:00 (America/New_York)" in text
    # Its own buffer would block 09:00-10:00 LA, but the booking is being moved: ignored.
    assert "Monday 8 June at </span>12:00" in text
    assert "Monday 8 June at </span>13:00" in text
    assert (
        move_url(booking, start="20260608T1600Z", week="2026-06-08").replace("&", "&amp;") in text
    )


def test_choosing_a_time_asks_for_confirmation_first(client, client_user, booking):
    client.force_login(client_user)
    response = client.get(move_url(booking, start="20260615T2000Z", week="2026-06-15"))
    assert "Move to Monday 15 June 2026, 16:00–17:00?" in response.text
    assert 'name="start" value="20260615T2000Z"' in response.text
    booking.refresh_from_db()
    assert booking.starts_at == STARTS


def test_moving_secures_the_new_time_and_tells_both_sides(
    client, client_user, practitioner, booking, mailoutbox
):
    client.force_login(client_user)
    response = client.post(move_url(booking), {"start": "20260615T2000Z"})
    assert response.status_code == 302
    assert response.url == booking.get_absolute_url()
    booking.refresh_from_db()
    assert booking.starts_at == NEW_START
    assert booking.ends_at == NEW_START + timedelta(minutes=60)
    assert booking.reschedule_count == 1
    assert booking.sequence == 1
    assert booking.status == Booking.Status.CONFIRMED
    page = client.get(response.url)
    assert "Moved." in page.text
    assert "Monday 15 June 2026, 16:00–17:00" in page.text
    assert "1 time" in page.text
    assert {m.to[0] for m in mailoutbox} == {client_user.email, practitioner.user.email}


def test_a_taken_time_is_refused_with_409_and_the_week_again(
    client, client_user, practitioner, booking
):
    BookingFactory(practitioner=practitioner, starts_at=NEW_START)
    client.force_login(client_user)
    response = client.post(move_url(booking), {"start": "20260615T2000Z"})
    assert response.status_code == 409
    assert "That time was just taken. Please choose another time." in response.text
    assert "Week of Monday" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == STARTS
    assert booking.reschedule_count == 0


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("20260615T2015Z", "start every 30 minutes"),
        ("20260616T2000Z", "outside"),  # a Tuesday
        ("20260601T1700Z", "That time has already passed."),
        ("yesterday", "That is not a start time we offered. Choose one of the times shown."),
        ("", "Choose a new time from the week shown."),
    ],
)
def test_a_bad_new_time_is_refused_in_words(client, client_user, booking, start, message):
    client.force_login(client_user)
    response = client.post(move_url(booking), {"start": start})
    assert response.status_code == 200
    assert message in response.text
    booking.refresh_from_db()
    assert booking.starts_at == STARTS


def test_the_reschedule_cap_is_explained(client, client_user, practitioner, booking):
    practitioner.max_reschedules = 1
    practitioner.save()
    Booking.objects.filter(pk=booking.pk).update(reschedule_count=1)
    client.force_login(client_user)
    response = client.get(move_url(booking))
    assert "This booking has been moved once, the most" in response.text
    assert "Week of" not in response.text
    response = client.post(move_url(booking), {"start": "20260615T2000Z"})
    assert "This booking has been moved once, the most" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == STARTS


def test_a_cancelled_booking_cannot_be_moved(client, client_user, booking):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED_BY_CLIENT)
    client.force_login(client_user)
    response = client.get(move_url(booking))
    assert "This booking is cancelled by client, so it cannot be moved." in response.text


NOT_OFFERED = "Pat Practitioner does not offer rescheduling online."


def test_without_online_rescheduling_the_client_is_told_how_to_reach_the_practitioner(
    client, client_user, practitioner, booking
):
    practitioner.max_reschedules = 0
    practitioner.save()
    practitioner.user.phone = "+1 503 555 0100"
    practitioner.user.save()
    client.force_login(client_user)

    page = client.get(booking.get_absolute_url()).text
    assert NOT_OFFERED in page
    assert "moved 0 times" not in page
    assert move_url(booking) not in page  # no Reschedule button
    assert reverse("sessions:booking-cancel", kwargs={"code": booking.code}) in page

    for response in (
        client.get(move_url(booking)),
        client.post(move_url(booking), {"start": "20260615T2000Z"}),
    ):
        assert response.text.count(NOT_OFFERED) == 1
        assert "moved 0 times" not in response.text
        assert "Week of" not in response.text
        assert f'href="mailto:{practitioner.user.email}"' in response.text
        assert 'href="tel:+1 503 555 0100"' in response.text
    booking.refresh_from_db()
    assert booking.starts_at == STARTS
    assert booking.reschedule_count == 0


def test_without_online_rescheduling_the_service_refuses_too(practitioner, booking):
    practitioner.max_reschedules = 0
    practitioner.save()
    with pytest.raises(BookingRefused, match=NOT_OFFERED):
        reschedule_booking(booking=booking, new_starts_at=NEW_START)
    booking.refresh_from_db()
    assert booking.starts_at == STARTS
