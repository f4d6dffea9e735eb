"""Where the session is: the booking page, every booking email and the calendar file name
the address (or the client's home), the practitioner's phone and a plain OpenStreetMap link."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from sessions.booking import cancel_booking, confirm_booking
from sessions.models import Booking
from sessions.records import send_due_checkins
from tests.factories import (
    BookingFactory,
    ServiceFactory,
    ServiceLengthFactory,
    SessionRecordFactory,
)
from tests.sessions.booking_helpers import NOW, event_of, to

pytestmark = pytest.mark.time_machine(NOW, tick=False)

ADDRESS = "415 SW Oak Street, Portland, Oregon 97204, United States"
MAP = (
    "https://www.openstreetmap.org/search?query="
    "415+SW+Oak+Street%2C+Portland%2C+Oregon+97204%2C+United+States"
)


@pytest.fixture
def practitioner(practitioner):
    practitioner.street = "415 SW Oak Street"
    practitioner.postcode = "97204"
    practitioner.phone = "+1 503 555 0142"
    practitioner.premises_note = "Second floor; parking on Oak Street."
    practitioner.save()
    return practitioner


@pytest.fixture
def booking(practitioner, client_user, intake):
    return BookingFactory(practitioner=practitioner, client=client_user, intake=intake)


@pytest.fixture
def home_booking(practitioner, client_user, intake):
    service = ServiceFactory(practitioner=practitioner, name="At home", home_visit=True)
    ServiceLengthFactory(service=service)
    return BookingFactory(
        practitioner=practitioner,
        client=client_user,
        intake=intake,
        service=service,
        starts_at=NOW.replace(hour=18) + timedelta(days=8),
        client_address="12 Elm Street, Portland, 97201",
    )


def test_the_practice_address_is_one_line_from_its_parts(practitioner):
    assert practitioner.practice_address == ADDRESS
    practitioner.city = ""
    assert practitioner.practice_address == ""


def test_the_booking_knows_its_place_and_map_link(booking, home_booking):
    assert booking.place == ADDRESS
    assert booking.map_url == MAP
    assert home_booking.place == "At your home: 12 Elm Street, Portland, 97201"
    assert (
        home_booking.place_for_practitioner
        == "At the client's home: 12 Elm Street, Portland, 97201"
    )
    assert home_booking.map_url.endswith("query=12+Elm+Street%2C+Portland%2C+97201")


def test_the_booking_page_shows_the_client_where_to_go_and_how_to_call(
    client, client_user, booking
):
    client.force_login(client_user)
    page = client.get(booking.get_absolute_url())
    assert page.status_code == 200
    assert ADDRESS in page.text
    assert f'href="{MAP.replace("&", "&amp;")}"' in page.text
    assert "Open in OpenStreetMap" in page.text
    assert "Second floor; parking on Oak Street." in page.text
    assert 'href="tel:+1 503 555 0142"' in page.text
    # Nothing is embedded or loaded from the map site.
    assert "<iframe" not in page.text
    assert '<script src="https://www.openstreetmap' not in page.text


def test_the_booking_page_of_a_home_visit_names_the_clients_home(
    client, client_user, practitioner, home_booking
):
    client.force_login(client_user)
    page = client.get(home_booking.get_absolute_url())
    assert "At your home: 12 Elm Street, Portland, 97201" in page.text
    assert "Second floor; parking" not in page.text  # the practice's directions do not apply

    client.force_login(practitioner.user)
    page = client.get(home_booking.get_absolute_url())
    assert "At the client&#x27;s home: 12 Elm Street, Portland, 97201" in page.text


def test_the_calendar_file_carries_the_address_as_location(
    client, client_user, booking, home_booking
):
    client.force_login(client_user)
    for each, location in [(booking, ADDRESS), (home_booking, "12 Elm Street, Portland, 97201")]:
        response = client.get(reverse("sessions:booking-ics", kwargs={"code": each.code}))
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["LOCATION"]) == location


def test_every_booking_email_names_the_place_phone_and_map(
    practitioner, client_user, booking, mailoutbox
):
    booking.status = Booking.Status.REQUESTED
    booking.save()
    confirm_booking(booking=booking)
    cancel_booking(booking=booking, by=client_user, reason="")

    sent = to(mailoutbox, client_user)
    assert len(sent) == 2  # confirmed, cancelled
    for message in sent:
        assert f"Where: {ADDRESS}" in message.body
        assert f"Map: {MAP}" in message.body
        assert "Directions and parking: Second floor; parking on Oak Street." in message.body
        assert "Phone: Pat Practitioner, +1 503 555 0142" in message.body
        assert str(event_of(message)["LOCATION"]) == ADDRESS
    (to_practitioner,) = to(mailoutbox, practitioner.user)
    assert f"Where: {ADDRESS}" in to_practitioner.body
    assert "Phone:" not in to_practitioner.body  # their own number


def test_a_home_visit_email_says_at_your_home(client_user, practitioner, home_booking, mailoutbox):
    cancel_booking(booking=home_booking, by=practitioner.user, reason="My car broke down.")
    (message,) = to(mailoutbox, client_user)
    assert "Where: At your home: 12 Elm Street, Portland, 97201" in message.body
    assert "Directions and parking" not in message.body
    assert "Phone: Pat Practitioner, +1 503 555 0142" in message.body


def test_the_check_in_email_after_a_session_names_the_place_and_phone(
    client_user, practitioner, mailoutbox
):
    starts = NOW - timedelta(days=3)
    with time_machine.travel(starts + timedelta(hours=2), tick=False):
        SessionRecordFactory(
            signed=True,
            booking__practitioner=practitioner,
            booking__client=client_user,
            booking__starts_at=starts,
            booking__status=Booking.Status.COMPLETED,
        )
    send_due_checkins(now=starts + timedelta(hours=49))
    (message,) = to(mailoutbox, client_user)
    assert "How are you feeling" in message.subject
    assert f"Where: {ADDRESS}" in message.body
    assert "Phone: Pat Practitioner, +1 503 555 0142" in message.body
