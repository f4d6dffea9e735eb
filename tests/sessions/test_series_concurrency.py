"""A series booked while clients book one of its dates at the same moment: the series is
booked whole or not at all, no two active bookings overlap, the loser is told in words, and
nothing escapes as a 500. Real threads released together (tests.sessions.
test_booking_concurrency.race); run with DATABASE_URL=postgres://... to cover PostgreSQL."""

from collections import Counter
from datetime import timedelta

import pytest

from sessions.booking import BookingRefused, SeriesRefused, SlotTaken, book_series, book_session
from sessions.models import Booking, BookingSeries
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)
from tests.sessions.test_booking_concurrency import (
    next_monday_at,
    overlapping_active_pairs,
    race,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 6


def outcome(result) -> str:
    if isinstance(result, BookingSeries):
        return "series"
    if isinstance(result, Booking):
        return "client"
    if isinstance(result, SeriesRefused):
        return "series refused"
    if isinstance(result, SlotTaken | BookingRefused):
        return "client refused"
    return f"ERROR {type(result).__name__}: {result}"


def test_a_series_and_clients_booking_one_of_its_dates_never_overlap(mailoutbox):
    practitioner = ListedPractitionerFactory()
    service = practitioner.services.get()
    regular = UserFactory()
    IntakeFormFactory(client=regular)
    BookingFactory(
        practitioner=practitioner,
        client=regular,
        starts_at=next_monday_at(10) - timedelta(weeks=3),
        status=Booking.Status.COMPLETED,
    )
    starts = [next_monday_at(10) + timedelta(weeks=2 * n) for n in range(6)]
    # Clients want the third date, 15 to 45 minutes after the series' time: still overlapping.
    wanted = [starts[2] + timedelta(minutes=30 * (n % 2)) for n in range(CLIENTS)]
    people = [
        (person, IntakeFormFactory(client=person)) for person in UserFactory.create_batch(CLIENTS)
    ]

    def series_job():
        return book_series(
            practitioner=practitioner,
            client=regular,
            service=service,
            minutes=60,
            every_weeks=2,
            count=6,
            starts=starts,
            created_by=practitioner.user,
        )

    def client_job(person, intake, start):
        return lambda: book_session(
            client=person,
            practitioner=practitioner,
            service=service,
            minutes=60,
            starts_at=start,
            intake=intake,
        )

    jobs = [series_job] + [
        client_job(person, intake, start)
        for (person, intake), start in zip(people, wanted, strict=True)
    ]
    results = race(jobs)

    outcomes = Counter(outcome(r) for r in results)
    assert not [o for o in outcomes if o.startswith("ERROR")], outcomes
    assert outcomes["client"] <= 1, outcomes
    assert overlapping_active_pairs(practitioner) == []
    if outcomes["series"]:
        # The series won: all six dates, every client told the time was taken.
        assert BookingSeries.objects.get().bookings.count() == 6
        assert outcomes["client refused"] == CLIENTS
    else:
        # A client won the third date: nothing of the series was booked, and it says which.
        assert outcomes["series refused"] == 1 and outcomes["client"] == 1, outcomes
        refused = results[0]
        assert list(refused.refusals) == [starts[2]]
        assert not BookingSeries.objects.exists()
        assert not Booking.objects.filter(client=regular, series__isnull=False).exists()


def test_a_client_booking_first_leaves_the_series_refused_in_words():
    """The sequential case both ways round, so each branch above is known to be reachable."""
    practitioner = ListedPractitionerFactory()
    service = practitioner.services.get()
    regular, person = UserFactory(), UserFactory()
    IntakeFormFactory(client=regular)
    intake = IntakeFormFactory(client=person)
    starts = [next_monday_at(10) + timedelta(weeks=2 * n) for n in range(3)]
    BookingFactory(  # the practitioner's client, whom they may book a series for
        practitioner=practitioner,
        client=regular,
        starts_at=starts[0] - timedelta(weeks=3),
        status=Booking.Status.COMPLETED,
    )
    book_session(
        client=person,
        practitioner=practitioner,
        service=service,
        minutes=60,
        starts_at=starts[1] + timedelta(minutes=30),
        intake=intake,
    )

    with pytest.raises(SeriesRefused) as refused:
        book_series(
            practitioner=practitioner,
            client=regular,
            service=service,
            minutes=60,
            every_weeks=2,
            count=3,
            starts=starts,
            created_by=practitioner.user,
        )

    assert list(refused.value.refusals) == [starts[1]]
    assert "just taken" in refused.value.refusals[starts[1]]
    assert not Booking.objects.filter(series__isnull=False).exists()
