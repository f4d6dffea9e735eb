"""Time off added over sessions already booked: they stay booked, the success message counts
them, and the time off page lists each under its stretch (client, time) with links to open the
booking (to cancel it) and to move it; cancelled bookings and other practitioners' are not
listed, and the page's queries do not grow with the bookings."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, TimeOffFactory, UserFactory
from tests.practitioners.test_area_time_off import time_off_data
from tests.sessions.booking_helpers import MONDAY, NOW, la

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]
URL = reverse("practitioners:time-off")


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_the_message_and_page_list_the_sessions_booked_in_new_time_off(
    logged_in, practitioner, other_practitioner
):
    kept = BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Ben Carter"),
        starts_at=la(MONDAY, 10),
    )
    BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Cancelled Client"),
        starts_at=la(MONDAY, 12),
        status=Booking.Status.CANCELLED_BY_CLIENT,
    )
    BookingFactory(
        practitioner=other_practitioner,
        client=UserFactory(full_name="Someone Else"),
        starts_at=la(MONDAY, 11),
    )
    BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Later Client"),
        starts_at=la(MONDAY, 16),
    )

    response = logged_in.post(URL, time_off_data("2026-06-08 09:00", "2026-06-08 13:00", "Dentist"))

    assert response.status_code == 302
    html = logged_in.get(response.url).content.decode()
    assert "Your time off was added. 1 booked session falls in it" in html
    assert "Mon 8 Jun, 10:00 Ben Carter" in html
    assert reverse("sessions:booking-detail", kwargs={"code": kept.code}) in html
    assert reverse("sessions:booking-move", kwargs={"code": kept.code}) in html
    for absent in ("Cancelled Client", "Someone Else", "Later Client"):
        assert absent not in html
    kept.refresh_from_db()
    assert kept.status == Booking.Status.CONFIRMED  # time off never cancels by itself


def test_time_off_over_no_booking_says_only_that_it_was_added(logged_in, practitioner):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 15))

    response = logged_in.post(URL, time_off_data("2026-06-08 09:00", "2026-06-08 13:00"))

    html = logged_in.get(response.url).content.decode()
    assert "Your time off was added." in html
    assert "booked session" not in html and "Booked in this time" not in html


@pytest.mark.parametrize("count", [1, 12])
def test_the_time_off_page_runs_a_fixed_number_of_queries(
    logged_in, practitioner, count, django_assert_max_num_queries
):
    for n in range(count):
        day = MONDAY + dt.timedelta(days=7 * n)
        TimeOffFactory(practitioner=practitioner, starts_at=la(day, 9), ends_at=la(day, 17))
        BookingFactory(practitioner=practitioner, starts_at=la(day, 10))

    with django_assert_max_num_queries(12):
        html = logged_in.get(URL).content.decode()

    assert html.count("Booked in this time (1)") == count
