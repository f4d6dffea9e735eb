"""The booking's re-check asks about one start (sessions.slots.is_free_start and
availability.is_free_start_for) rather than working out the day's free times: for every
start, its answer is the slot finder's, across clock changes, grids, busy time and dates."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from practitioners.models import DateException, TimeOff
from sessions.availability import free_slots_for, is_free_start_for
from sessions.models import SlotHold
from sessions.slots import Busy, DateRule, WeeklyRange, free_slots, is_free_start
from tests.factories import BookingFactory
from tests.sessions.booking_helpers import MONDAY, NOW, la

# A spring-forward and a fall-back day in both hemispheres, and an ordinary day.
DAYS = [
    ("America/Los_Angeles", date(2026, 3, 8)),
    ("America/Los_Angeles", date(2026, 11, 1)),
    ("Australia/Sydney", date(2026, 4, 5)),
    ("Australia/Sydney", date(2026, 10, 4)),
    ("Europe/London", date(2026, 6, 10)),
]
walls = st.integers(min_value=0, max_value=24 * 12 - 1).map(
    lambda n: time(n // 12, n % 12 * 5)  # every five minutes, off the grid too
)


@st.composite
def ranges(draw):
    a, b = sorted([draw(walls), draw(walls)])
    return (a, b) if a != b else (a, time(23, 55))


def every_five_minutes(day: date, tz: ZoneInfo):
    """Every instant five minutes apart whose local date is `day` (a repeated hour twice)."""
    instant = datetime.combine(day, time.min, tz).astimezone(UTC) - timedelta(hours=2)
    while instant < datetime.combine(day + timedelta(days=1), time.min, tz) + timedelta(hours=2):
        if instant.astimezone(tz).date() == day:
            yield instant
        instant += timedelta(minutes=5)


@settings(max_examples=120, deadline=None)
@given(
    place=st.sampled_from(DAYS),
    hours=st.lists(ranges(), min_size=1, max_size=3),
    extra=st.lists(ranges(), max_size=1),
    closed=st.booleans(),
    busy_at=st.lists(st.integers(min_value=0, max_value=24 * 12), max_size=4),
    length=st.sampled_from([30, 45, 60]),
    buffer=st.sampled_from([0, 10, 15]),
    travel=st.sampled_from([0, 20]),
    interval=st.sampled_from([15, 30, 60]),
    notice_hours=st.sampled_from([0, 3, 30]),
    horizon_hours=st.sampled_from([12, 40, 24 * 30]),
)
def test_one_start_is_free_exactly_when_the_slot_finder_offers_it(
    place,
    hours,
    extra,
    closed,
    busy_at,
    length,
    buffer,
    travel,
    interval,
    notice_hours,
    horizon_hours,
):
    tz_name, day = place
    tz = ZoneInfo(tz_name)
    midnight = datetime.combine(day, time.min, tz).astimezone(UTC)
    rules = {
        "weekly": [WeeklyRange(day.weekday(), a, b) for a, b in hours],
        "rules": [DateRule(day, closed=closed and not extra)]
        + [DateRule(day, starts=a, ends=b) for a, b in extra],
        "busy": [
            Busy(midnight + timedelta(minutes=5 * n), midnight + timedelta(minutes=5 * n + 50))
            for n in busy_at
        ],
        "length": timedelta(minutes=length),
        "buffer": timedelta(minutes=buffer),
        "travel": timedelta(minutes=travel),
        "interval": timedelta(minutes=interval),
        "tz": tz,
        "now": midnight - timedelta(hours=20),
        "notice": timedelta(hours=notice_hours),
        "horizon": timedelta(hours=horizon_hours),
    }
    offered = set(free_slots(**rules, first_day=day, last_day=day))

    answers = {start: is_free_start(start=start, **rules) for start in every_five_minutes(day, tz)}

    assert {start for start, free in answers.items() if free} == offered


def test_a_start_a_few_seconds_off_the_grid_is_not_free():
    tz = ZoneInfo("Europe/London")
    rules = {
        "weekly": [WeeklyRange(2, time(9), time(17))],
        "length": timedelta(minutes=60),
        "buffer": timedelta(0),
        "interval": timedelta(minutes=30),
        "tz": tz,
        "now": datetime(2026, 6, 1, tzinfo=UTC),
        "notice": timedelta(0),
        "horizon": timedelta(days=30),
    }
    start = datetime(2026, 6, 10, 10, 0, tzinfo=tz)

    assert is_free_start(start=start, **rules)
    assert not is_free_start(start=start + timedelta(seconds=1), **rules)


def test_the_calendar_check_for_one_start_agrees_with_the_days_free_times(
    time_machine, practitioner
):
    time_machine.move_to(NOW, tick=False)
    service = practitioner.services.get()
    BookingFactory(practitioner=practitioner, service=service, starts_at=la(MONDAY, 10))
    TimeOff.objects.create(
        practitioner=practitioner, starts_at=la(MONDAY, 13), ends_at=la(MONDAY, 14, 30)
    )
    length = service.lengths.get(minutes=60)
    SlotHold.objects.create(
        practitioner=practitioner,
        length=length,
        starts_at=la(MONDAY, 15),
        blocks_from=la(MONDAY, 15),
        blocks_until=la(MONDAY, 16),
        expires_at=NOW + timedelta(minutes=10),
        holder_key="someone else",
    )
    DateException.objects.create(
        practitioner=practitioner,
        date=MONDAY,
        kind=DateException.Kind.EXTRA,
        starts=time(18),
        ends=time(20),
    )
    options = {"practitioner": practitioner, "service": service, "minutes": 60, "now": NOW}
    offered = free_slots_for(**options, first_day=MONDAY, last_day=MONDAY)
    starts = [la(MONDAY, 0) + timedelta(minutes=15 * n) for n in range(96)]

    free = [start for start in starts if is_free_start_for(**options, starts_at=start)]

    assert free == offered
    # Between the booking (10:00 and its buffer), the time off (13:00-14:30), the other
    # visitor's hold (15:00) and the extra hours (18:00-20:00).
    assert free == [
        la(MONDAY, 11, 30),
        la(MONDAY, 16),
        la(MONDAY, 18),
        la(MONDAY, 18, 30),
        la(MONDAY, 19),
    ]
