"""Races on held slots: visitors choosing the same time at once get one hold and clear
refusals; holds and bookings never overlap. Real threads, as in test_booking_concurrency.py:
on PostgreSQL the practitioner row lock and the holds' exclusion constraint (migration 0013)
serialise them; on SQLite IMMEDIATE transactions do. Run with DATABASE_URL=postgres://... to
cover PostgreSQL (the constraint's own tests are skipped on SQLite)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sessions.booking import HELD_BY_SOMEONE, BookingRefused, SlotTaken, book_session, hold_slot
from sessions.models import Booking, SlotHold
from tests.factories import (
    IntakeFormFactory,
    ListedPractitionerFactory,
    SlotHoldFactory,
    UserFactory,
)
from tests.sessions.test_booking_concurrency import THREADS, next_monday_at, race

pytestmark = pytest.mark.django_db(transaction=True)
CONSTRAINT = "reflex_sessions_slothold_no_overlap"
only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Exclusion constraints exist only on PostgreSQL; set DATABASE_URL=postgres://...",
)


def outcome(result) -> str:
    if isinstance(result, SlotHold):
        return "held"
    if isinstance(result, Booking):
        return "booked"
    if isinstance(result, SlotTaken):
        return "taken"
    if isinstance(result, BookingRefused):
        return "refused"
    return f"ERROR {type(result).__name__}: {result}"


def hold_job(practitioner, key, starts_at):
    service = practitioner.services.get()
    return lambda: hold_slot(
        practitioner=practitioner,
        service=service,
        minutes=60,
        starts_at=starts_at,
        holder_key=key,
    )


def live_overlaps(practitioner) -> list:
    """Pairs of live holds and active bookings (any mix) of one practitioner that overlap."""
    now = timezone.now()
    spans = [
        (f"hold {h.pk}", h.blocks_from, h.blocks_until)
        for h in SlotHold.objects.live(now).filter(practitioner=practitioner)
    ] + [
        (f"booking {b.pk}", b.blocks_from, b.blocks_until)
        for b in Booking.objects.active().filter(practitioner=practitioner)
    ]
    return [
        (a[0], b[0])
        for i, a in enumerate(spans)
        for b in spans[i + 1 :]
        if a[1] < b[2] and b[1] < a[2]
    ]


@pytest.fixture
def practitioner():
    return ListedPractitionerFactory()


def test_visitors_choosing_the_same_time_at_once_get_one_hold_and_clear_refusals(practitioner):
    slot = next_monday_at(10)

    results = race([hold_job(practitioner, f"visitor-{n}", slot) for n in range(THREADS)])

    outcomes = Counter(outcome(r) for r in results)
    assert outcomes == {"held": 1, "taken": THREADS - 1}, outcomes
    for result in results:
        if isinstance(result, SlotTaken):
            assert str(result) == HELD_BY_SOMEONE
    assert SlotHold.objects.get().starts_at == slot
    assert live_overlaps(practitioner) == []


def test_visitors_choosing_overlapping_times_at_once_get_one_hold(practitioner):
    # 60 minutes + 15 of buffer: starts from 10:00 to 11:00 all overlap one another; the
    # practitioner offers a start every 15 minutes (the default is 30) so all are on the grid.
    practitioner.start_interval_minutes = 15
    practitioner.save()
    starts = [next_monday_at(10) + timedelta(minutes=15 * (n % 5)) for n in range(THREADS)]

    results = race([hold_job(practitioner, f"visitor-{n}", s) for n, s in enumerate(starts)])

    outcomes = Counter(outcome(r) for r in results)
    assert outcomes == {"held": 1, "taken": THREADS - 1}, outcomes
    assert live_overlaps(practitioner) == []


def test_holding_and_booking_the_same_time_at_once_leave_one_of_them(practitioner):
    slot = next_monday_at(10)
    service = practitioner.services.get()
    people = UserFactory.create_batch(THREADS // 2)
    intakes = [IntakeFormFactory(client=person) for person in people]
    bookers = [
        lambda c=c, i=i: book_session(
            client=c,
            practitioner=practitioner,
            service=service,
            minutes=60,
            starts_at=slot,
            intake=i,
        )
        for c, i in zip(people, intakes, strict=True)
    ]
    holders = [hold_job(practitioner, f"visitor-{n}", slot) for n in range(THREADS // 2)]

    results = race([job for pair in zip(bookers, holders, strict=True) for job in pair])

    outcomes = Counter(outcome(r) for r in results)
    assert outcomes["held"] + outcomes["booked"] == 1, outcomes
    assert outcomes["taken"] == THREADS - 1, outcomes
    assert live_overlaps(practitioner) == []


def test_a_lapsed_hold_does_not_stand_in_the_way_of_a_new_one(practitioner):
    slot = next_monday_at(10)
    SlotHoldFactory(
        practitioner=practitioner,
        starts_at=slot,
        blocks_until=slot + timedelta(minutes=75),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    hold = hold_job(practitioner, "newcomer", slot)()

    assert list(SlotHold.objects.all()) == [hold]


@only_postgresql
def test_the_database_refuses_overlapping_holds_of_one_practitioner(practitioner):
    first = SlotHoldFactory(practitioner=practitioner, starts_at=next_monday_at(10))

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        SlotHoldFactory(
            practitioner=practitioner, starts_at=first.starts_at + timedelta(minutes=30)
        )

    assert refused.value.__cause__.diag.constraint_name == CONSTRAINT
    back_to_back = SlotHoldFactory(practitioner=practitioner, starts_at=first.blocks_until)
    other = SlotHoldFactory(practitioner=ListedPractitionerFactory(), starts_at=first.starts_at)
    assert SlotHold.objects.count() == 3 and back_to_back.pk and other.pk


@only_postgresql
def test_the_holds_constraint_exists_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            [CONSTRAINT],
        )
        ((contype, definition),) = cursor.fetchall()
    assert contype == "x"
    assert "tstzrange(blocks_from, blocks_until, '[)'::text) WITH &&" in definition
