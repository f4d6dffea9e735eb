"""The client's list of bookings: upcoming first, then past and called-off ones, in their zone."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
URL = reverse("sessions:my-bookings")


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def section(text: str, heading: str) -> str:
    """The part of the page from `heading` to the next h2 (or the end)."""
    start = text.index(heading)
    end = text.find("<h2", start + 1)
    return text[start : end if end != -1 else None]


def test_upcoming_and_past_bookings_are_listed_apart_in_the_clients_zone(
    client, client_user, practitioner
):
    client_user.timezone = "Europe/London"
    client_user.save()
    upcoming = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=datetime(2026, 6, 8, 17, 0, tzinfo=UTC),
        status=Booking.Status.REQUESTED,
    )
    later = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=datetime(2026, 6, 15, 17, 0, tzinfo=UTC),
    )
    done = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - timedelta(days=7),
        status=Booking.Status.COMPLETED,
    )
    called_off = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=datetime(2026, 6, 22, 17, 0, tzinfo=UTC),
        status=Booking.Status.CANCELLED_BY_CLIENT,
        is_late_cancellation=True,
    )
    client.force_login(client_user)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    coming = section(text, "Upcoming</h2>")
    past = section(text, "Past and cancelled</h2>")
    assert "Monday 8 June 2026, 18:00–19:00" in coming  # London, BST
    assert "Requested: waiting for" in coming
    assert coming.index(upcoming.get_absolute_url()) < coming.index(later.get_absolute_url())
    assert done.get_absolute_url() in past
    assert "Completed" in past
    assert called_off.get_absolute_url() in past
    assert "Cancelled (late) by you" in past
    # Most recent first in the past list.
    assert past.index(called_off.get_absolute_url()) < past.index(done.get_absolute_url())
    assert "Times are shown in your time zone, Europe/London." in text


def test_only_the_clients_own_bookings_are_listed(client, client_user, other_client, practitioner):
    theirs = BookingFactory(client=other_client, practitioner=practitioner)
    as_practitioner = BookingFactory(
        client=client_user, practitioner=practitioner, starts_at=NOW + timedelta(days=9)
    )
    client.force_login(practitioner.user)
    response = client.get(URL)
    # A practitioner's own list holds the sessions they booked as a client, not their clients'.
    assert theirs.get_absolute_url() not in response.text
    assert as_practitioner.get_absolute_url() not in response.text
    assert "You have no upcoming sessions." in response.text


def test_empty_list_points_to_the_directory(client, client_user):
    client.force_login(client_user)
    response = client.get(URL)
    assert "You have no upcoming sessions." in response.text
    assert reverse("practitioners:directory") in response.text


def bulk_bookings(client_user, practitioner, count: int) -> None:
    intake = IntakeFormFactory(client=client_user)
    service = practitioner.services.get()
    Booking.objects.bulk_create(
        Booking(
            client=client_user,
            practitioner=practitioner,
            service=service,
            minutes=60,
            price="80.00",
            starts_at=(start := NOW + timedelta(days=n - count // 2, hours=5)),
            ends_at=start + timedelta(minutes=60),
            blocks_from=start,
            blocks_until=start + timedelta(minutes=75),
            status=Booking.Status.CONFIRMED if n % 2 else Booking.Status.CANCELLED_BY_CLIENT,
            policy_text="Cancel a day ahead.",
            intake=intake,
        )
        for n in range(count)
    )


# Session, user, the bookings with their practitioner and service, the waitlist entries
# with their open offers, the menu's role check.
QUERY_BUDGET = 5


@pytest.mark.parametrize("count", [5, 50])
def test_list_keeps_to_its_query_budget(
    client, client_user, practitioner, count, django_assert_max_num_queries
):
    bulk_bookings(client_user, practitioner, count)
    client.force_login(client_user)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(URL)
    assert response.text.count('class="list-group-item"') == count
