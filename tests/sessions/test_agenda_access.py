"""Who may open the agenda and calendar settings, and who may act on a booking."""

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

ACTIONS = {
    "sessions:booking-confirm": {},
    "sessions:booking-decline": {"reason": "Fully booked that week."},
    "sessions:booking-safety": {"decision": "proceed", "note": "Talked it through by phone."},
    "sessions:booking-finish": {"status": "completed"},
    "sessions:booking-practitioner-cancel": {"reason": "I am unwell."},
}


@pytest.mark.parametrize("name", ["sessions:agenda", "sessions:calendar-settings"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("practitioner", 200),
        ("other practitioner", 200),
    ],
    indirect=["who"],
)
def test_agenda_pages_are_for_practitioners_only(client, name, who, status):
    response = client.get(reverse(name))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_another_practitioner_sees_their_own_agenda_not_this_one(
    client, practitioner, other_practitioner, client_user
):
    BookingFactory(practitioner=practitioner, client=client_user, status="requested")
    client.force_login(other_practitioner.user)
    response = client.get(reverse("sessions:agenda"))
    assert response.status_code == 200
    assert "Cara Client" not in response.text
    assert "No requests are waiting for you." in response.text


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_bookings_practitioner_may_act_on_it(
    client, practitioner, client_user, mailoutbox, name, who, status
):
    booking = BookingFactory(
        practitioner=practitioner, client=client_user, status=Booking.Status.REQUESTED
    )
    with time_machine.travel(booking.starts_at, tick=False):  # "finish" needs a started session
        response = client.post(reverse(name, kwargs={"code": booking.code}), ACTIONS[name])
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert booking.safety_note == ""
    assert mailoutbox == []


@pytest.mark.parametrize("name", list(ACTIONS))
def test_actions_refuse_get(client, practitioner, name):
    booking = BookingFactory(practitioner=practitioner)
    client.force_login(practitioner.user)
    assert client.get(reverse(name, kwargs={"code": booking.code})).status_code == 405


def test_a_practitioner_cannot_act_on_a_booking_they_made_as_a_client(
    client, practitioner, other_practitioner
):
    # Practitioners book each other too: the one who is the client may not confirm it.
    booking = BookingFactory(
        practitioner=other_practitioner, client=practitioner.user, status="requested"
    )
    client.force_login(practitioner.user)
    response = client.post(reverse("sessions:booking-confirm", kwargs={"code": booking.code}))
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_the_calendar_feed_needs_no_login_but_the_secret_address(client, practitioner):
    url = reverse("sessions:calendar-feed", kwargs={"token": practitioner.calendar_token})
    assert client.get(url).status_code == 200
    wrong = reverse("sessions:calendar-feed", kwargs={"token": "not-the-token"})
    assert client.get(wrong).status_code == 404
