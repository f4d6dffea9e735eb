"""Free start times for a session: pure, no ORM, so edge cases (DST, buffers) are cheap to test.

Working hours are wall-clock rules in the practitioner's zone, expanded date by date with
zoneinfo; everything else is an instant in UTC. A local start time that does not exist on a
spring-forward day is never offered; one that occurs twice on a fall-back day is offered once,
at its first occurrence.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reflexbook.lib.local_time import local_instant
from reflexbook.lib.translation import pgettext_lazy

# Parts of the day, (name, first hour) in the viewer's zone: the week of times is grouped by
# them and a waitlist entry names the ones that suit.
DAY_PARTS = (
    (pgettext_lazy("part of the day", "Morning"), 0),
    (pgettext_lazy("part of the day", "Afternoon"), 12),
    (pgettext_lazy("part of the day", "Evening"), 17),
)


def part_of_day(hour: int) -> int:
    """The index in DAY_PARTS of the part of the day holding `hour` (0-23): morning before
    12:00, afternoon from 12:00 to 17:00, evening from 17:00."""
    return max(index for index, (_, first) in enumerate(DAY_PARTS) if first <= hour)


def on_grid(wall: datetime, interval: timedelta) -> bool:
    """Whether the wall-clock time `wall` is a start the practitioner offers: a whole
    multiple of `interval` (15, 30 or 60 minutes) past midnight, to the second."""
    since_midnight = timedelta(hours=wall.hour, minutes=wall.minute, seconds=wall.second)
    return not wall.microsecond and since_midnight % interval == timedelta(0)


@dataclass(frozen=True)
class WeeklyRange:
    weekday: int  # Monday is 0
    starts: time
    ends: time


@dataclass(frozen=True)
class DateRule:
    """A date that differs from the weekly hours: closed, or with extra ranges."""

    date: date
    closed: bool = False
    starts: time | None = None
    ends: time | None = None


@dataclass(frozen=True)
class Busy:
    """Time that cannot be booked, in UTC: a booking with its travel and buffer, or time off."""

    starts_at: datetime
    ends_at: datetime


def working_ranges(
    day: date, weekly: Iterable[WeeklyRange], rules: Iterable[DateRule]
) -> list[tuple[time, time]]:
    """The wall-clock ranges worked on `day`: weekly hours plus extras, none if closed."""
    day_rules = [rule for rule in rules if rule.date == day]
    if any(rule.closed for rule in day_rules):
        return []
    ranges = [(r.starts, r.ends) for r in weekly if r.weekday == day.weekday()]
    ranges += [(r.starts, r.ends) for r in day_rules if r.starts and r.ends]
    return sorted(ranges)


def _range_bounds(day: date, starts: time, ends: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A range's UTC bounds; a bound inside a skipped hour moves to the instant the clock
    jumps (the first real minute after it)."""

    def bound(wall: time) -> datetime:
        instant = local_instant(day, wall, tz)
        if instant is not None:
            return instant
        # Inside a gap: the wall time read with the pre-change offset lands after the jump.
        naive = datetime.combine(day, wall)
        before = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
        after = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
        return min(before, after)

    return bound(starts), bound(ends)


def in_working_hours(
    *,
    starts_at: datetime,
    length: timedelta,
    weekly: Iterable[WeeklyRange],
    rules: Iterable[DateRule] = (),
    tz: ZoneInfo,
) -> bool:
    """Whether a session from `starts_at` (aware) lasting `length` lies inside one of the
    working ranges of its local day: free_slots' working-hours rule, without its start grid,
    notice, horizon or busy time."""
    day = starts_at.astimezone(tz).date()
    for wall_start, wall_end in working_ranges(day, weekly, rules):
        range_start, range_end = _range_bounds(day, wall_start, wall_end, tz)
        if range_start <= starts_at and starts_at + length <= range_end:
            return True
    return False


def working_minutes(
    *,
    weekly: Iterable[WeeklyRange],
    rules: Iterable[DateRule] = (),
    off: Iterable[Busy] = (),
    tz: ZoneInfo,
    since: datetime,
    until: datetime,
) -> int:
    """Minutes of working time between the instants `since` and `until`: the working ranges
    of each local day in `tz` (as free_slots reads them, so a day the clocks change has its
    real length), less the `off` intervals (time off); time covered twice counts once."""
    weekly, rules = list(weekly), list(rules)
    worked: list[Busy] = []
    day = since.astimezone(tz).date()
    while day <= until.astimezone(tz).date():
        for wall_start, wall_end in working_ranges(day, weekly, rules):
            begin, end = _range_bounds(day, wall_start, wall_end, tz)
            begin, end = max(begin, since), min(end, until)
            if begin < end:
                worked.append(Busy(begin, end))
        day += timedelta(days=1)
    total = timedelta(0)
    gaps = _merge(off)
    for interval in _merge(worked):
        total += interval.ends_at - interval.starts_at
        for gap in gaps:
            overlap = min(interval.ends_at, gap.ends_at) - max(interval.starts_at, gap.starts_at)
            if overlap > timedelta(0):
                total -= overlap
    return int(total.total_seconds() // 60)


def _merge(busy: Iterable[Busy]) -> list[Busy]:
    """Busy intervals merged into disjoint ones, sorted: their ends then rise with their starts."""
    merged: list[Busy] = []
    for interval in sorted(busy, key=lambda b: b.starts_at):
        if merged and interval.starts_at <= merged[-1].ends_at:
            last = merged[-1]
            merged[-1] = Busy(last.starts_at, max(last.ends_at, interval.ends_at))
        else:
            merged.append(interval)
    return merged


def _overlaps(merged: list[Busy], starts: list[datetime], begin: datetime, end: datetime) -> bool:
    """Whether [begin, end) meets a busy interval. Half-open, so back-to-back is fine."""
    index = bisect_left(starts, end)  # intervals starting before `end`
    return index > 0 and merged[index - 1].ends_at > begin


def free_slots(
    *,
    weekly: Iterable[WeeklyRange],
    rules: Iterable[DateRule] = (),
    busy: Iterable[Busy] = (),
    length: timedelta,
    buffer: timedelta,
    interval: timedelta,
    travel: timedelta = timedelta(0),
    tz: ZoneInfo,
    now: datetime,
    notice: timedelta,
    horizon: timedelta,
    first_day: date,
    last_day: date,
) -> list[datetime]:
    """Start times (aware, UTC) from `first_day` to `last_day` (local dates) at which a session
    of `length` fits inside working hours, and the session with its `buffer` after and a home
    visit's `travel` before and after meets no busy time; none earlier than now + notice or
    later than now + horizon. Travel may fall outside working hours (the session may not).
    Starts fall on the practitioner's local `interval` grid (every 15, 30 or 60 minutes from
    midnight)."""
    weekly, rules = list(weekly), list(rules)
    busy = _merge(busy)
    busy_starts = [b.starts_at for b in busy]
    earliest, latest = now + notice, now + horizon
    slots: set[datetime] = set()
    day = first_day
    while day <= last_day:
        for wall_start, wall_end in working_ranges(day, weekly, rules):
            range_start, range_end = _range_bounds(day, wall_start, wall_end, tz)
            # Walk the local grid from the first grid time at or after the range's start.
            midnight = datetime.combine(day, time.min)
            past = (datetime.combine(day, wall_start) - midnight) % interval
            wall = datetime.combine(day, wall_start) + (interval - past if past else timedelta(0))
            while wall.date() == day and wall.time() < wall_end:
                start = local_instant(day, wall.time(), tz)
                wall += interval
                if start is None or start < range_start:
                    continue
                end = start + length
                if end > range_end or start < earliest or start > latest:
                    continue
                if _overlaps(busy, busy_starts, start - travel, end + buffer + travel):
                    continue
                slots.add(start)
        day += timedelta(days=1)
    return sorted(slots)
