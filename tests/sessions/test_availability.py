"""sessions.availability: free start times read from the database (hours, date exceptions,
time off, active bookings with their buffers), in a fixed number of queries."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sessions.availability import free_slots_for
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    DateExceptionFactory,
    ListedPractitionerFactory,
    TimeOffFactory,
    UserFactory,
)

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # Monday 05:00 in Los Angeles
MONDAY = date(2026, 6, 8)
Status = Booking.Status


@pytest.fixture
def practitioner(practitioner):
    """These tests walk buffers and clock changes minute by minute: the practitioner offers
    a start every 15 minutes (the default is 30)."""
    practitioner.start_interval_minutes = 15
    practitioner.save()
    return practitioner


def la(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LA).astimezone(UTC)


def local_times(slots) -> list[str]:
    return [slot.astimezone(LA).strftime("%H:%M") for slot in slots]


def day_of_quarters(first: str, last: str) -> list[str]:
    """Every quarter hour from `first` to `last` inclusive, as HH:MM."""
    wall = datetime.combine(MONDAY, time.fromisoformat(first))
    end = datetime.combine(MONDAY, time.fromisoformat(last))
    out = []
    while wall <= end:
        out.append(wall.strftime("%H:%M"))
        wall += timedelta(minutes=15)
    return out


def find(practitioner, first_day=MONDAY, last_day=MONDAY, minutes=60, **kwargs):
    return free_slots_for(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=minutes,
        first_day=first_day,
        last_day=last_day,
        now=NOW,
        **kwargs,
    )


def test_an_empty_monday_offers_every_quarter_hour_that_fits(practitioner):
    slots = find(practitioner)
    assert local_times(slots) == day_of_quarters("09:00", "16:00")
    assert all(slot.tzinfo == UTC for slot in slots)
    assert slots[0] == datetime(2026, 6, 8, 16, 0, tzinfo=UTC)


def test_bookings_block_their_time_and_buffer_but_only_while_active(practitioner):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 10))  # 10:00-11:15 with buffer
    BookingFactory(
        practitioner=practitioner, starts_at=la(MONDAY, 14), status=Status.CANCELLED_BY_CLIENT
    )
    BookingFactory(practitioner=ListedPractitionerFactory(), starts_at=la(MONDAY, 15))

    shown = local_times(find(practitioner))

    # 60 minutes + 15 buffer must end by 10:00, so the last start before is 08:45 -> 09:00 is out.
    assert "09:00" not in shown and "10:00" not in shown and "11:00" not in shown
    assert shown[0] == "11:15"
    # A 30-minute session fits before it: 09:00-09:30 plus 15 minutes ends at 09:45.
    assert local_times(find(practitioner, minutes=30))[:3] == ["09:00", "09:15", "11:15"]
    # The cancelled booking and the other practitioner's booking block nothing.
    assert "14:00" in shown and "15:00" in shown


def test_a_requested_booking_holds_its_time_too(practitioner):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 9), status=Status.REQUESTED)
    assert local_times(find(practitioner))[0] == "10:15"


def test_time_off_blocks_slots_including_time_off_that_began_the_day_before(practitioner):
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 13), ends_at=la(MONDAY, 14))
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=la(MONDAY - timedelta(days=1), 20),
        ends_at=la(MONDAY, 10),
    )
    shown = local_times(find(practitioner))
    assert shown[0] == "10:00"
    # The session plus its buffer must be over by 13:00: the last start before is 11:45.
    assert "11:45" in shown and "12:00" not in shown
    assert "13:45" not in shown and "14:00" in shown


def test_date_exceptions_close_a_day_or_add_hours(practitioner):
    tuesday = MONDAY + timedelta(days=1)
    DateExceptionFactory(practitioner=practitioner, date=MONDAY, kind="closed")
    DateExceptionFactory(
        practitioner=practitioner, date=tuesday, kind="extra", starts=time(18), ends=time(20)
    )
    slots = find(practitioner, last_day=tuesday)
    assert all(slot.astimezone(LA).date() == tuesday for slot in slots)
    assert local_times(slots) == ["18:00", "18:15", "18:30", "18:45", "19:00"]


def test_notice_and_horizon_come_from_the_practitioner(practitioner):
    practitioner.min_notice_hours = 24 * 7 + 6  # until Monday 8 June 11:00 in Los Angeles
    practitioner.booking_horizon_days = 15  # until Tuesday 16 June 05:00 in Los Angeles
    practitioner.save()
    slots = find(practitioner, last_day=MONDAY + timedelta(weeks=3))
    assert slots[0] == la(MONDAY, 11)
    assert slots[-1] <= NOW + timedelta(days=15)
    assert {slot.astimezone(LA).date() for slot in slots} == {MONDAY, MONDAY + timedelta(weeks=1)}


def test_ignore_frees_the_time_of_the_booking_being_moved(practitioner):
    moving = BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 10))
    assert "10:30" not in local_times(find(practitioner))
    assert "10:30" in local_times(find(practitioner, ignore=moving))


def test_ignore_busy_gives_what_the_working_hours_allow(practitioner):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 10))
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 13), ends_at=la(MONDAY, 14))
    assert local_times(find(practitioner, ignore_busy=True)) == day_of_quarters("09:00", "16:00")


def test_the_working_day_stays_09_to_17_local_across_the_clock_change(db):
    practitioner = ListedPractitionerFactory(timezone="Europe/London", start_interval_minutes=15)
    # Monday 30 March 2026 is the day after London's clocks go forward.
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    before = free_slots_for(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        first_day=date(2026, 3, 23),
        last_day=date(2026, 3, 30),
        now=now,
    )
    london = ZoneInfo("Europe/London")
    by_day: dict[date, list[str]] = {}
    for slot in before:
        local = slot.astimezone(london)
        by_day.setdefault(local.date(), []).append(local.strftime("%H:%M"))
    assert (
        by_day[date(2026, 3, 23)] == by_day[date(2026, 3, 30)] == day_of_quarters("09:00", "16:00")
    )
    assert before[0] == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # GMT
    assert min(s for s in before if s.date() == date(2026, 3, 30)) == datetime(
        2026, 3, 30, 8, 0, tzinfo=UTC
    )  # BST


def make_bookings(practitioner, count: int) -> None:
    """`count` active, non-overlapping 30-minute bookings (no buffer) every 40 minutes
    across the two weeks being searched, written in one go."""
    client = UserFactory()
    service = practitioner.services.get()
    start = la(MONDAY - timedelta(days=1), 0)
    rows = []
    for n in range(count):
        starts_at = start + timedelta(minutes=40 * n)
        rows.append(
            Booking(
                client=client,
                practitioner=practitioner,
                service=service,
                minutes=30,
                price="45.00",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=30),
                blocks_from=starts_at,
                blocks_until=starts_at + timedelta(minutes=30),
                status=Status.CONFIRMED,
                policy_text="Policy",
            )
        )
    Booking.objects.bulk_create(rows)


@pytest.mark.parametrize("count", [10, 500])
def test_the_query_count_does_not_grow_with_the_bookings(
    practitioner, count, django_assert_max_num_queries
):
    make_bookings(practitioner, count)
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 13), ends_at=la(MONDAY, 14))
    DateExceptionFactory(practitioner=practitioner, date=MONDAY + timedelta(days=7))
    service = practitioner.services.get()

    with django_assert_max_num_queries(3):
        slots = free_slots_for(
            practitioner=practitioner,
            service=service,
            minutes=30,
            first_day=MONDAY - timedelta(days=1),
            last_day=MONDAY + timedelta(days=13),
            now=NOW,
        )

    busy = Booking.objects.filter(practitioner=practitioner).values_list(
        "starts_at", "blocks_until"
    )
    for slot in slots:
        end = slot + timedelta(minutes=30 + service.buffer_minutes)
        assert all(end <= s or slot >= e for s, e in busy)
    if count == 10:
        assert len(slots) > 0  # the bookings cover only Sunday night and Monday morning
