"""Checks on working-time ranges (weekly hours, extra hours on a date): plain values in,
messages that name the range out. No database access, so the edge cases test fast."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class RangeProblem(NamedTuple):
    """A problem with the range at `index` of the input, in the practitioner's words."""

    index: int
    message: str


def format_range(starts: dt.time, ends: dt.time) -> str:
    """`09:00–13:00`: how a range is named in messages."""
    return f"{starts:%H:%M}–{ends:%H:%M}"


def overlaps(a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]) -> bool:
    """Whether two (start, end) ranges share some time; ranges that only touch do not."""
    return a[0] < b[1] and b[0] < a[1]


def weekly_range_problems(ranges: Sequence[tuple[int, dt.time, dt.time]]) -> list[RangeProblem]:
    """What is wrong with a week of (weekday, start, end) ranges: each range that ends
    before (or when) it starts, and each that overlaps another on the same weekday.
    Touching ranges (09:00–12:00 and 12:00–17:00) are fine: a break is a gap."""
    problems: list[RangeProblem] = []

    def name(index: int) -> str:
        weekday, starts, ends = ranges[index]
        return f"{WEEKDAY_NAMES[weekday]} {format_range(starts, ends)}"

    valid: list[int] = []
    for index, (_weekday, starts, ends) in enumerate(ranges):
        if ends < starts:
            problems.append(RangeProblem(index, f"{name(index)} ends before it starts."))
        elif ends == starts:
            problems.append(RangeProblem(index, f"{name(index)} ends when it starts."))
        else:
            valid.append(index)

    # Report each overlapping pair once, on the range that starts later (for equal starts,
    # the one entered later), naming the one it overlaps.
    ordered = sorted(valid, key=lambda i: (ranges[i][0], ranges[i][1], i))
    for position, index in enumerate(ordered):
        weekday, starts, ends = ranges[index]
        for earlier in ordered[:position]:
            other_weekday, other_starts, other_ends = ranges[earlier]
            if other_weekday != weekday or not overlaps((starts, ends), (other_starts, other_ends)):
                continue
            if (starts, ends) == (other_starts, other_ends):
                message = f"{name(index)} is entered twice."
            else:
                message = f"{name(index)} overlaps {name(earlier)}."
            problems.append(RangeProblem(index, message))
            break
    return sorted(problems)


def first_overlap(
    starts: dt.time, ends: dt.time, others: Iterable[tuple[dt.time, dt.time]]
) -> tuple[dt.time, dt.time] | None:
    """The first of `others` that the range starts–ends overlaps, or None."""
    for other in sorted(others):
        if overlaps((starts, ends), other):
            return other
    return None


class NonexistentLocalTime(ValueError):
    """A wall-clock time that the zone skips (the hour the clocks go forward)."""


def local_to_utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock date and time in `zone`. A time that happens twice
    (the hour the clocks go back) means its first occurrence; a time the clocks skip raises
    NonexistentLocalTime rather than quietly moving by an hour."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    instant = local.astimezone(dt.UTC)
    # zoneinfo accepts skipped times and reads them with the offset from before the change;
    # the round trip gives a different wall-clock time exactly for those.
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {time:%H:%M} does not exist in {zone.key}")
    return instant
