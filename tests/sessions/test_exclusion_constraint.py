"""PostgreSQL's exclusion constraint (migration 0002): the database itself refuses two active
bookings of one practitioner whose time plus buffer overlap. Run with
DATABASE_URL=postgres://... ; SQLite has no exclusion constraints (there the write path's
IMMEDIATE transaction is the guard, see test_booking_concurrency.py)."""

import importlib
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

import sessions.booking
from practitioners.models import Practitioner
from reflexbook.lib.prepared import PreparedQuery
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)
from tests.sessions.test_booking_concurrency import (
    THREADS,
    booking_job,
    next_monday_at,
    outcome,
    overlapping_active_pairs,
    race,
)

CONSTRAINT = "reflex_sessions_booking_no_overlap"
no_overlap = importlib.import_module("sessions.migrations.0002_booking_no_overlap_postgresql")
with_travel = importlib.import_module("sessions.migrations.0013_booking_place_and_travel")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Exclusion constraints exist only on PostgreSQL; set DATABASE_URL=postgres://...",
)
Status = Booking.Status


def violates_no_overlap(**fields) -> str:
    """Insert a booking directly (no write path) and return the constraint that refused it."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        BookingFactory(**fields)
    return refused.value.__cause__.diag.constraint_name


@pytest.fixture
def taken(db):
    """A confirmed 10:00-11:00 booking with a 15-minute buffer (blocks until 11:15)."""
    return BookingFactory(starts_at=next_monday_at(10))


@pytest.mark.django_db
def test_the_constraint_exists_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            [CONSTRAINT],
        )
        ((contype, definition),) = cursor.fetchall()
    assert contype == "x"
    assert "EXCLUDE USING gist" in definition
    assert "tstzrange(blocks_from, blocks_until, '[)'::text) WITH &&" in definition
    assert "practitioner_id WITH =" in definition
    assert "'requested'" in definition and "'confirmed'" in definition


def test_an_overlapping_active_booking_cannot_be_inserted(taken):
    later = taken.starts_at + timedelta(minutes=30)
    assert violates_no_overlap(practitioner=taken.practitioner, starts_at=later) == CONSTRAINT
    assert Booking.objects.count() == 1


def test_a_booking_starting_inside_the_buffer_cannot_be_inserted(taken):
    in_buffer = taken.ends_at + timedelta(minutes=5)
    assert violates_no_overlap(practitioner=taken.practitioner, starts_at=in_buffer) == CONSTRAINT


def test_the_travel_to_a_home_visit_cannot_overlap_another_booking(taken):
    # 11:30 is clear of the 11:15 end, but the 30-minute drive there starts at 11:00.
    visit = taken.blocks_until + timedelta(minutes=15)
    assert (
        violates_no_overlap(
            practitioner=taken.practitioner,
            starts_at=visit,
            blocks_from=visit - timedelta(minutes=30),
        )
        == CONSTRAINT
    )


def test_a_request_overlapping_a_confirmed_booking_cannot_be_inserted(taken):
    earlier = taken.starts_at - timedelta(minutes=30)
    assert (
        violates_no_overlap(
            practitioner=taken.practitioner, starts_at=earlier, status=Status.REQUESTED
        )
        == CONSTRAINT
    )


@pytest.mark.parametrize(
    "status",
    [
        Status.CANCELLED_BY_CLIENT,
        Status.CANCELLED_BY_PRACTITIONER,
        Status.DECLINED,
        Status.COMPLETED,
        Status.NO_SHOW,
    ],
)
def test_a_booking_that_no_longer_holds_its_time_may_overlap(taken, status):
    BookingFactory(practitioner=taken.practitioner, starts_at=taken.starts_at, status=status)
    BookingFactory(
        practitioner=taken.practitioner,
        starts_at=taken.starts_at + timedelta(minutes=30),
        status=status,
    )
    assert Booking.objects.count() == 3


def test_back_to_back_bookings_are_allowed(taken):
    after = BookingFactory(practitioner=taken.practitioner, starts_at=taken.blocks_until)
    assert after.starts_at == taken.blocks_until
    before = BookingFactory(
        practitioner=taken.practitioner, starts_at=taken.starts_at - timedelta(minutes=75)
    )
    assert before.blocks_until == taken.starts_at


def test_another_practitioner_may_have_the_same_time(taken):
    BookingFactory(practitioner=ListedPractitionerFactory(), starts_at=taken.starts_at)
    assert Booking.objects.active().count() == 2


def test_reviving_a_cancelled_booking_over_a_new_one_is_refused(taken):
    taken.status = Status.CANCELLED_BY_CLIENT
    taken.save()
    BookingFactory(
        practitioner=taken.practitioner, starts_at=taken.starts_at + timedelta(minutes=15)
    )
    taken.status = Status.CONFIRMED
    with pytest.raises(IntegrityError), transaction.atomic():
        taken.save()


# --- the constraint under a real race, without the write path's lock -----------------------


@pytest.fixture
def clients():
    people = UserFactory.create_batch(THREADS)
    return [(person, IntakeFormFactory(client=person)) for person in people]


@pytest.fixture
def unlocked_write_path(monkeypatch):
    """The write path with its practitioner lock removed and a 50 ms gap between the
    re-check and the insert: what a forgotten lock looks like."""
    # The lock is a prepared read (its SQL built once per process): swap in one without it.
    monkeypatch.setattr(
        sessions.booking,
        "LOCKED_PRACTITIONER",
        PreparedQuery(
            lambda *, pk: Practitioner.objects.select_related("user", "billing").filter(pk=pk)
        ),
    )
    check = sessions.booking._refuse_unless_free

    def slow_check(**kwargs):
        check(**kwargs)
        time.sleep(0.05)

    monkeypatch.setattr(sessions.booking, "_refuse_unless_free", slow_check)


def overlapping_jobs(practitioner, clients):
    # Five different starts, all overlapping: the one-row-per-start backstop cannot help.
    # They are a quarter of an hour apart, so the practitioner offers a start every 15 minutes.
    practitioner.start_interval_minutes = 15
    practitioner.save()
    starts = [next_monday_at(10) + timedelta(minutes=15 * (n % 5)) for n in range(THREADS)]
    return [booking_job(practitioner, c, i, s) for (c, i), s in zip(clients, starts, strict=True)]


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_constraint_alone_lets_exactly_one_win(unlocked_write_path, clients):
    practitioner = ListedPractitionerFactory()
    results = race(overlapping_jobs(practitioner, clients))

    outcomes = Counter(outcome(r) for r in results)
    # The losers hit the constraint (IntegrityError) and still get the friendly SlotTaken.
    assert outcomes["won"] == 1, outcomes
    assert outcomes["won"] + outcomes["taken"] == THREADS, outcomes
    assert overlapping_active_pairs(practitioner) == []


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_lock_or_constraint_the_race_double_books(
    unlocked_write_path, clients
):
    """Proves the harness can see a race: with both guards gone, overlaps get in."""
    practitioner = ListedPractitionerFactory()
    with connection.schema_editor() as editor:
        no_overlap.drop_exclusion(None, editor)
    try:
        race(overlapping_jobs(practitioner, clients))
        assert len(overlapping_active_pairs(practitioner)) >= 1
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            no_overlap.add_exclusion(None, editor)
            with_travel.exclude_from_blocks_from(None, editor)  # as migrated, with the travel
