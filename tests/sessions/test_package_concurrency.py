"""Package credits under a race: six bookings at once against a package of five.

Real threads, each with its own connection, released together by a Barrier (as in
test_booking_concurrency). The conditional UPDATE that takes a credit (PostgreSQL re-checks
`used < sessions` on the row as committed) or the IMMEDIATE transaction (SQLite) serialises
them, and the check constraint is the backstop: exactly five credits are used, and the sixth
booking stands unpaid, or is refused, as the practitioner chose. Run with
DATABASE_URL=postgres://... to cover PostgreSQL.
"""

from collections import Counter
from datetime import timedelta

import pytest

from sessions.booking import BookingRefused
from sessions.models import Booking, ClientPackage, CreditUse
from tests.factories import IntakeFormFactory, ListedPractitionerFactory, UserFactory
from tests.sessions.package_helpers import refuse_without_credit, sold
from tests.sessions.test_booking_concurrency import booking_job, next_monday_at, race

pytestmark = pytest.mark.django_db(transaction=True)

BOOKINGS = 6


def six_bookings_at_once(practitioner, client, intake) -> list:
    """Six 60-minute sessions, none overlapping another: five on one Monday from 09:00 every
    90 minutes (an hour and its buffer, on the half-hour grid), one the Monday after."""
    starts = [next_monday_at(9) + timedelta(minutes=90 * n) for n in range(BOOKINGS - 1)]
    starts.append(next_monday_at(9) + timedelta(days=7))
    return race([booking_job(practitioner, client, intake, start) for start in starts])


@pytest.fixture
def setting():
    practitioner = ListedPractitionerFactory(
        user__full_name="Maya Okafor", max_active_bookings_per_client=None
    )
    client = UserFactory()
    intake = IntakeFormFactory(client=client)
    package = sold(client, practitioner)  # five credits
    return practitioner, client, intake, package


def test_six_bookings_at_once_use_exactly_five_credits_and_the_sixth_stands_unpaid(setting):
    practitioner, client, intake, package = setting

    results = six_bookings_at_once(practitioner, client, intake)

    assert [type(result).__name__ for result in results] == ["Booking"] * BOOKINGS, results
    package.refresh_from_db()
    assert package.used == 5
    assert CreditUse.objects.filter(client_package=package).count() == 5
    notes = Counter(
        "credit" if "uses a credit" in r.package_note else r.package_note for r in results
    )
    assert notes == {
        "credit": 5,
        "Your package has no credit left for a session of this length, so this session is "
        "booked unpaid: you pay Maya Okafor for it on the day.": 1,
    }
    unpaid = Booking.objects.filter(package_credit__isnull=True)
    assert unpaid.count() == 1


def test_six_bookings_at_once_when_the_practitioner_refuses_book_five(setting):
    practitioner, client, intake, package = setting
    refuse_without_credit(practitioner)

    results = six_bookings_at_once(practitioner, client, intake)

    outcomes = Counter(type(result).__name__ for result in results)
    assert outcomes == {"Booking": 5, "BookingRefused": 1}, results
    (refused,) = [r for r in results if isinstance(r, BookingRefused)]
    assert str(refused) == (
        "Your package with Maya Okafor has no credit left for a session of this length, and "
        "Maya Okafor books these sessions only from a package. Please ask them for a new package."
    )
    assert ClientPackage.objects.get(pk=package.pk).used == 5
    assert Booking.objects.count() == 5
    assert not Booking.objects.filter(package_credit__isnull=True).exists()
