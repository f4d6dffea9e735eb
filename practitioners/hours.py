"""Rules on working time (weekly hours, extra hours on a date, time off as whole days): plain
values in, messages that name the range out. No database access, so the edge cases test fast."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

# The start of a local day is every app's; it lives with the other wall-clock conversions.
from reflexbook.lib.local_time import day_start

WEEKDAY_NAMES = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)
MONDAY = 0
# "Copy Monday to weekdays" copies onto these; the weekend keeps its own hours.
WEEKDAYS_AFTER_MONDAY = (1, 2, 3, 4)


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
            problems.append(
                RangeProblem(index, _("%(range)s ends before it starts.") % {"range": name(index)})
            )
        elif ends == starts:
            problems.append(
                RangeProblem(index, _("%(range)s ends when it starts.") % {"range": name(index)})
            )
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
                message = _("%(range)s is entered twice.") % {"range": name(index)}
            else:
                message = _("%(range)s overlaps %(other)s.") % {
                    "range": name(index),
                    "other": name(earlier),
                }
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


def copy_monday_to_weekdays[Row](days: Mapping[int, Sequence[Row]]) -> dict[int, list[Row]]:
    """The week `days` (weekday -> that day's rows) with Tuesday to Friday replaced by copies
    of Monday's rows; Saturday and Sunday are kept as they are."""
    week = {weekday: list(days.get(weekday, ())) for weekday in range(7)}
    for weekday in WEEKDAYS_AFTER_MONDAY:
        week[weekday] = list(week[MONDAY])
    return week


def minutes_worked(ranges: Iterable[tuple[dt.time, dt.time]]) -> int:
    """Minutes covered by the (start, end) ranges of one day; time covered twice (ranges
    that overlap, so not yet saved) counts once, and backwards ranges count nothing."""

    def minute(time: dt.time) -> int:
        return time.hour * 60 + time.minute

    total, reached = 0, 0
    for starts, ends in sorted((minute(s), minute(e)) for s, e in ranges if s < e):
        if ends > reached:
            total += ends - max(starts, reached)
            reached = ends
    return total


class DaySummary(NamedTuple):
    """One weekday's line in the week summary."""

    weekday: int
    name: str
    minutes: int
    ranges: list[tuple[dt.time, dt.time]]

    @property
    def duration(self) -> str:
        return format_duration(self.minutes)

    @property
    def ranges_text(self) -> str:
        return ", ".join(format_range(s, e) for s, e in self.ranges)


def week_summary(ranges: Iterable[tuple[int, dt.time, dt.time]]) -> list[DaySummary]:
    """Each weekday, Monday first, with its ranges in order and the minutes worked; a range
    that does not end after it starts (not saved as it is) is left out."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {weekday: [] for weekday in range(7)}
    for weekday, starts, ends in ranges:
        if starts < ends:
            by_day[weekday].append((starts, ends))
    return [
        DaySummary(weekday, WEEKDAY_NAMES[weekday], minutes_worked(day), sorted(day))
        for weekday, day in by_day.items()
    ]


def format_duration(minutes: int) -> str:
    """`7 h 30 min`, `8 h`, `45 min`, `0 h`: how lengths of working time are shown."""
    whole, rest = divmod(minutes, 60)
    if not rest:
        return _("%(hours)d h") % {"hours": whole}
    if whole:
        return _("%(hours)d h %(minutes)d min") % {"hours": whole, "minutes": rest}
    return _("%(minutes)d min") % {"minutes": rest}


def whole_days_span(
    first: dt.date, last: dt.date, zone: ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC (start, end) of the whole days `first` to `last` inclusive in `zone`: from
    the start of `first` to the start of the day after `last` (23 or 25 hours on a day the
    clocks change)."""
    return day_start(first, zone), day_start(last + dt.timedelta(days=1), zone)


def whole_days(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo
) -> tuple[dt.date, dt.date] | None:
    """The first and last day (inclusive) if starts_at–ends_at is whole days in `zone`, else
    None (time off that starts or ends during a day)."""
    first = starts_at.astimezone(zone).date()
    after = ends_at.astimezone(zone).date()
    if after <= first or (starts_at, ends_at) != whole_days_span(
        first, after - dt.timedelta(days=1), zone
    ):
        return None
    return first, after - dt.timedelta(days=1)


def hours_gained(
    old: Iterable[tuple[int, dt.time, dt.time]], new: Iterable[tuple[int, dt.time, dt.time]]
) -> bool:
    """Whether the `new` week of (weekday, start, end) ranges has working time the `old` one
    did not: a longer day, a new range or a new weekday (what can free time for the
    waitlist). Shortening or removing hours gains nothing."""
    before: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, starts, ends in old:
        before.setdefault(weekday, []).append((starts, ends))
    for weekday, starts, ends in new:
        uncovered = starts
        for old_starts, old_ends in sorted(before.get(weekday, [])):
            if old_starts > uncovered:
                break  # a gap from `uncovered` to `old_starts` is new time
            uncovered = max(uncovered, old_ends)
            if uncovered >= ends:
                break
        if uncovered < ends:
            return True
    return False
