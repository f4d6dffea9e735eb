"""A series of sessions for a client (issue 14), and "book again in N weeks".

The dates are wall-clock rules in the practitioner's zone: the same weekday and local time
every N weeks, so across a clock change the local time stays and the UTC instant moves
(series_starts, pure). Whether each date is free is asked of the one definition of free,
sessions.availability.free_slots_for, over the whole span at once (preview_series); the
write path (sessions.booking.book_series) re-checks every date under its lock.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from practitioners.models import Practitioner, Service
from reflexbook.lib.local_time import local_instant
from sessions.availability import free_slots_for
from sessions.booking import PASSED

# How far ahead "book again" is offered, in weeks (the series' own choices).
AGAIN_IN_WEEKS = (1, 2, 3, 4)
NEAREST = 3  # free times offered for a clash


def series_starts(
    *, first: datetime, tz: ZoneInfo, every_weeks: int, count: int
) -> list[datetime | None]:
    """The UTC starts of `count` sessions every `every_weeks` weeks from `first` (aware): the
    same weekday and local wall-clock time in `tz`. A date on which a clock change skips that
    time gets None (no such moment); a time that happens twice is its first occurrence."""
    wall = first.astimezone(tz)
    return [
        local_instant(wall.date() + timedelta(weeks=every_weeks * n), wall.time(), tz)
        for n in range(count)
    ]


def nearest_times(free: list[datetime], wanted: time, tz: ZoneInfo, limit: int = NEAREST):
    """Of one day's `free` starts, the `limit` whose local time is closest to `wanted`, in
    time order (earlier first on a tie)."""

    def distance(instant: datetime) -> tuple[int, datetime]:
        local = instant.astimezone(tz)
        minutes = local.hour * 60 + local.minute - (wanted.hour * 60 + wanted.minute)
        return abs(minutes), instant

    return sorted(sorted(free, key=distance)[:limit])


def again_starts(starts_at: datetime, tz: ZoneInfo) -> list[tuple[int, datetime]]:
    """(weeks, start) for "book again in N weeks" after a session at `starts_at`: the same
    local time and weekday N weeks later in `tz`, for each N of AGAIN_IN_WEEKS (a date on
    which a clock change skips that time is left out)."""
    again = []
    for weeks in AGAIN_IN_WEEKS:
        start = series_starts(first=starts_at, tz=tz, every_weeks=weeks, count=2)[1]
        if start is not None:
            again.append((weeks, start))
    return again


# Why a date clashes, as the preview can tell without a query per date: a passed time in
# the write path's own words (sessions.booking.PASSED); the others sum up refusals the write
# path words one by one (a closed day, working hours; time off, a booking, a hold), or that
# it never sees (a start the clocks skip has no instant to book).
NOT_A_TIME = gettext_noop("The clocks change that night, so this time does not exist on this day.")
OUTSIDE_HOURS = gettext_noop("Outside your working hours, or a day you are closed.")
BUSY = gettext_noop("Another booking, someone's hold or your time off is at this time.")


@dataclass(frozen=True)
class SeriesDate:
    """One date of a previewed series: the start asked for (UTC; None if a clock change skips
    it), the practitioner's local day, whether it is free, and if not why and the nearest
    free times that day."""

    number: int
    day: date
    wanted: datetime | None
    free: bool
    reason: str = ""
    nearest: list[datetime] = field(default_factory=list)


def preview_series(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    first: datetime,
    every_weeks: int,
    count: int,
    now: datetime,
) -> list[SeriesDate]:
    """Each date of the series with whether it is free for the practitioner to book (their
    notice and horizon for clients do not apply), in eight queries whatever the span."""
    tz = ZoneInfo(practitioner.timezone)
    wall = first.astimezone(tz)
    starts = series_starts(first=first, tz=tz, every_weeks=every_weeks, count=count)
    days = [wall.date() + timedelta(weeks=every_weeks * n) for n in range(count)]
    options = {
        "practitioner": practitioner,
        "service": service,
        "minutes": minutes,
        "first_day": days[0],
        "last_day": days[-1],
        "now": now,
        "as_practitioner": True,
    }
    free = free_slots_for(**options)
    working = set(free_slots_for(**options, ignore_busy=True))
    free_by_day: dict[date, list[datetime]] = defaultdict(list)
    for instant in free:
        free_by_day[instant.astimezone(tz).date()].append(instant)
    dates = []
    for number, (day, wanted) in enumerate(zip(days, starts, strict=True), start=1):
        if wanted is not None and wanted in free:
            dates.append(SeriesDate(number, day, wanted, free=True))
            continue
        if wanted is None:
            reason = _(NOT_A_TIME)
        elif wanted <= now:
            reason = _(PASSED)
        elif wanted not in working:
            reason = _(OUTSIDE_HOURS)
        else:
            reason = _(BUSY)
        nearest = nearest_times(free_by_day[day], wall.time(), tz)
        dates.append(SeriesDate(number, day, wanted, False, reason, nearest))
    return dates
