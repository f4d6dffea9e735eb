"""The agenda costs the same number of queries with 10 bookings as with 500."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    ClearanceNoteFactory,
    IntakeFormFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, practitioner profile, requests, the week's bookings, weekly hours and the
# day's date exceptions: flags live on the booking row, clients and services are joined.
QUERY_BUDGET = 7
MONDAY_MIDNIGHT_LA = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
FLAGS = [
    {"code": "pregnancy", "tier": "clearance", "label": "Pregnant", "detail": "d", "reason": "r"},
    {"code": "dvt", "tier": "postpone", "label": "Possible clot", "detail": "d", "reason": "r"},
]
STATUSES = [
    Booking.Status.REQUESTED,
    Booking.Status.CONFIRMED,
    Booking.Status.CONFIRMED,
    Booking.Status.CANCELLED_BY_CLIENT,
    Booking.Status.COMPLETED,
]


def fill_calendar(practitioner, count: int) -> None:
    """`count` back-to-back 30-minute bookings from Monday 00:00, several clients, every
    status and some flags: requests, past and future sessions, cancellations."""
    clients = [UserFactory() for _ in range(5)]
    intakes = {c.pk: IntakeFormFactory(client=c) for c in clients}
    ClearanceNoteFactory(intake=intakes[clients[0].pk])  # read as "clearance confirmed"
    rows = []
    for n in range(count):
        client = clients[n % len(clients)]
        starts_at = MONDAY_MIDNIGHT_LA + timedelta(minutes=30 * n)
        rows.append(
            BookingFactory.build(
                practitioner=practitioner,
                service=practitioner.services.get(),
                client=client,
                intake=intakes[client.pk],
                minutes=30,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=30),
                blocks_until=starts_at + timedelta(minutes=30),
                status=STATUSES[n % len(STATUSES)],
                flags=FLAGS if n % 3 == 0 else [],
                clearance_confirmed_at=starts_at if n % 3 == 0 else None,
            )
        )
    Booking.objects.bulk_create(rows)


@pytest.mark.parametrize("count", [10, 500])
def test_the_agenda_uses_a_fixed_number_of_queries(
    client, practitioner, django_assert_max_num_queries, count
):
    fill_calendar(practitioner, count)
    client.force_login(practitioner.user)
    with (
        time_machine.travel(datetime(2026, 3, 9, 20, 0, tzinfo=UTC), tick=False),
        django_assert_max_num_queries(QUERY_BUDGET),
    ):
        response = client.get(reverse("sessions:agenda") + "?date=2026-03-09")
    assert response.status_code == 200
    assert response.text.count('class="list-group-item" id="request-') == (count + 4) // 5
    assert "(clearance confirmed: note uploaded)" in response.text
    assert "(client says their doctor or midwife agrees)" in response.text
