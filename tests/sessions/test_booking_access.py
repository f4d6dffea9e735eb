"""Who may open a booking's pages: its client, its practitioner and staff may read; only the
client changes it here; anyone else gets 404 and anonymous visitors are sent to log in."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
PAGES = ["booking-detail", "booking-cancel", "booking-reschedule", "booking-ics"]
READ_ONLY = {"booking-cancel": 403, "booking-reschedule": 403}
EXPECTED = {
    "anonymous": dict.fromkeys(PAGES, 302),
    "client": dict.fromkeys(PAGES, 200),
    "other client": dict.fromkeys(PAGES, 404),
    "practitioner": dict.fromkeys(PAGES, 200) | READ_ONLY,
    "other practitioner": dict.fromkeys(PAGES, 404),
    "staff": dict.fromkeys(PAGES, 200) | READ_ONLY,
}


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=datetime(2026, 6, 8, 17, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [(who, name, status) for who, row in EXPECTED.items() for name, status in row.items()],
    indirect=["who"],
)
def test_booking_pages_answer_each_person_as_their_role_allows(
    client, booking, who, name, expected
):
    url = reverse(f"sessions:{name}", kwargs={"code": booking.code})
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["booking-cancel", "booking-reschedule"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other client", 404),
        ("practitioner", 403),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_client_can_cancel_or_move_their_booking(client, booking, who, status, name):
    url = reverse(f"sessions:{name}", kwargs={"code": booking.code})
    response = client.post(url, {"reason": "No", "start": "20260608T1800Z"})
    assert response.status_code == status
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.starts_at == datetime(2026, 6, 8, 17, 0, tzinfo=UTC)


def test_an_unknown_booking_is_not_found(client, client_user):
    client.force_login(client_user)
    url = reverse(
        "sessions:booking-detail", kwargs={"code": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.get(url).status_code == 404


def test_my_bookings_needs_a_login(client):
    url = reverse("sessions:my-bookings")
    assert client.get(url).url == f"{reverse('login')}?next={url}"
