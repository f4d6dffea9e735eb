"""Private pages are never stored by a browser or proxy cache (`Cache-Control: no-store,
private`); public pages seen anonymously keep their cacheable headers."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, SessionRecordFactory
from tests.two_factor import log_in_verified

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime(2026, 3, 4, 20, 0, tzinfo=UTC)),
]


def assert_no_store(response):
    assert response.status_code == 200, response
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


@pytest.fixture
def booking(client_user, practitioner):
    intake = IntakeFormFactory(client=client_user)
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=intake,
        starts_at=datetime(2026, 3, 9, 17, 0, tzinfo=UTC),
    )


def test_the_clients_pages_are_not_stored(client, client_user, booking):
    client.force_login(client_user)
    for url in [
        reverse("accounts:account"),
        reverse("sessions:my-bookings"),
        booking.get_absolute_url(),
        reverse("sessions:intake"),
        reverse("sessions:intake-access"),
        reverse("password_change"),
        reverse("home"),
    ]:
        assert_no_store(client.get(url))


def test_the_practitioners_pages_are_not_stored(client, practitioner, booking):
    client.force_login(practitioner.user)
    for url in [
        reverse("sessions:agenda"),
        booking.get_absolute_url(),
        reverse("sessions:todo"),
        reverse("practitioners:dashboard"),
        reverse("practitioners:credentials"),
    ]:
        assert_no_store(client.get(url))


def test_a_session_record_and_its_summary_are_not_stored(client, client_user, practitioner):
    past = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=IntakeFormFactory(client=client_user),
        starts_at=datetime(2026, 3, 2, 17, 0, tzinfo=UTC),
        status=Booking.Status.COMPLETED,
    )
    SessionRecordFactory(booking=past, signed=True)
    client.force_login(practitioner.user)
    assert_no_store(client.get(reverse("sessions:record", kwargs={"code": past.code})))
    assert_no_store(
        client.get(reverse("sessions:client-history", kwargs={"booking_code": past.code}))
    )
    client.force_login(client_user)
    assert_no_store(client.get(reverse("sessions:record-summary", kwargs={"code": past.code})))


def test_staff_pages_are_not_stored(client, staff):
    log_in_verified(client, staff)
    assert_no_store(client.get(reverse("practitioners:queue")))
    assert_no_store(client.get(reverse("admin:index")))


def test_the_directory_stays_cacheable_for_visitors(client, practitioner):
    for url in [reverse("practitioners:directory"), practitioner.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
