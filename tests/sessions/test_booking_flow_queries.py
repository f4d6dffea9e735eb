"""The week of free times costs the same number of SQL queries whatever the number of bookings."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import Booking
from tests.factories import IntakeFormFactory, UserFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
MONDAY_9AM_LA = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)
# Session and user (login), practitioner, length, free_slots_for's four reads (bookings,
# time off, weekly hours, date exceptions), and the menu's "is this a practitioner?".
QUERY_BUDGET = 9


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def bulk_bookings(practitioner, count: int) -> None:
    """`count` back-to-back bookings of the practitioner (45 minutes apart, buffer included)
    from two days before the viewed Monday on,
    some active and some cancelled, in a few INSERTs."""
    client = UserFactory()
    intake = IntakeFormFactory(client=client)
    service = practitioner.services.get()
    statuses = [
        Booking.Status.CONFIRMED,
        Booking.Status.REQUESTED,
        Booking.Status.CANCELLED_BY_CLIENT,
    ]
    Booking.objects.bulk_create(
        Booking(
            client=client,
            practitioner=practitioner,
            service=service,
            minutes=30,
            price="45.00",
            starts_at=(start := MONDAY_9AM_LA - timedelta(days=2) + timedelta(minutes=45 * n)),
            ends_at=start + timedelta(minutes=30),
            blocks_from=start,
            blocks_until=start + timedelta(minutes=45),
            status=statuses[n % 3],
            policy_text="Cancel a day ahead.",
            intake=intake,
        )
        for n in range(count)
    )


def slots_url(practitioner):
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    return f"{url}?week=2026-06-08"


@pytest.mark.parametrize("count", [10, 500])
def test_week_of_times_keeps_to_its_query_budget(
    client, client_user, practitioner, count, django_assert_max_num_queries
):
    bulk_bookings(practitioner, count)
    client.force_login(client_user)
    url = slots_url(practitioner)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(url)
    assert response.status_code == 200


def test_week_of_times_runs_the_same_queries_for_10_and_500_bookings(
    client, client_user, practitioner, other_practitioner
):
    bulk_bookings(practitioner, 10)
    bulk_bookings(other_practitioner, 500)
    client.force_login(client_user)
    counts = []
    for url in (slots_url(practitioner), slots_url(other_practitioner)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
