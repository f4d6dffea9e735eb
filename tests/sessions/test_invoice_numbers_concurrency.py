"""Invoice numbers under a race: twenty sessions of one practitioner completed at once.

Real threads, each with its own connection, released together by a Barrier (as in
test_booking_concurrency). The counter row locked inside each invoice's transaction
(PostgreSQL) or the IMMEDIATE transaction (SQLite) serialises them. Run with
DATABASE_URL=postgres://... to cover PostgreSQL.
"""

import pytest

from sessions.booking import finish_booking
from sessions.models import Booking, Invoice
from tests.factories import ListedPractitionerFactory
from tests.sessions.billing_helpers import past_booking
from tests.sessions.test_booking_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def test_twenty_sessions_completed_at_once_take_twenty_consecutive_numbers():
    practitioner = ListedPractitionerFactory()
    bookings = [
        past_booking(practitioner=practitioner, days_ago=2 + index // 5, hour=8 + 2 * (index % 5))
        for index in range(THREADS)
    ]

    results = race(
        [
            lambda booking=booking: finish_booking(booking=booking, status=Booking.Status.COMPLETED)
            for booking in bookings
        ]
    )

    assert [type(result).__name__ for result in results] == ["Booking"] * THREADS
    numbers = sorted(
        Invoice.objects.filter(practitioner=practitioner).values_list("number", flat=True)
    )
    assert numbers == list(range(1, THREADS + 1))
    assert Invoice.objects.values("booking").distinct().count() == THREADS
