"""The practitioner's day and week calendar: reads their hours, date exceptions, time off with
the busy times imported from their own calendars, bookings and those calendars' status (five
queries, whatever their number) and lays them out with sessions.calendar_grid. Working time
is sessions.availability's and sessions.slots' (no rule of its own here)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, CharField, Value
from django.utils import timezone

from practitioners.models import BusyCalendar, Practitioner
from sessions.availability import date_rules, weekly_ranges
from sessions.calendar_grid import Grid, Span, build_grid
from sessions.models import Booking


@dataclass
class Calendar:
    """The grid of some days, and each day's cancelled and declined bookings (which hold no
    time, so the grid leaves them out)."""

    grid: Grid
    dropped: dict[date, list[Booking]]
    # The practitioner's own calendars (practitioners.busy_import), for the key and for a
    # notice when one could not be read.
    busy_calendars: list[BusyCalendar] = field(default_factory=list)

    @property
    def failing_calendars(self) -> list[BusyCalendar]:
        return [c for c in self.busy_calendars if c.error]

    def columns(self) -> list[tuple]:
        """(grid day, its dropped bookings) for each day, for the template."""
        return [(day, self.dropped.get(day.date, [])) for day in self.grid.days]

    def flag_kinds(self) -> list[dict]:
        """One safety flag of each tier drawn on the grid, for the page's key (the
        safety_flags tags order them and give each its icon and words)."""
        kinds: dict[str, dict] = {}
        for day in self.grid.days:
            for entry in day.entries:
                if entry.is_block:
                    for flag in entry.item.flags:
                        kinds.setdefault(flag["tier"], flag)
        return list(kinds.values())


def practitioner_calendar(
    practitioner: Practitioner, days: list[date], *, full_day: bool = False
) -> Calendar:
    """The calendar of consecutive `days` in the practice's zone, in five queries."""
    tz = ZoneInfo(practitioner.timezone)
    window_start = datetime.combine(days[0], time.min, tz)
    window_end = datetime.combine(days[-1] + timedelta(days=1), time.min, tz)
    bookings = list(
        practitioner.bookings.filter(blocks_from__lt=window_end, blocks_until__gt=window_start)
        .select_related("client", "service")
        .with_clearance_note()
        .with_payment_state()
        .order_by("starts_at")
    )
    # Time off and the imported busy times in one query, told apart by the last column.
    away = (
        practitioner.time_off.order_by()
        .filter(starts_at__lt=window_end, ends_at__gt=window_start)
        .values_list("starts_at", "ends_at", "reason", Value(False, output_field=BooleanField()))
    )
    imported = (
        practitioner.busy_intervals.order_by()
        .filter(starts_at__lt=window_end, ends_at__gt=window_start)
        .values_list(
            "starts_at",
            "ends_at",
            Value("", output_field=CharField()),
            Value(True, output_field=BooleanField()),
        )
    )
    busy = list(away.union(imported, all=True))
    grid = build_grid(
        days,
        tz=tz,
        weekly=weekly_ranges(practitioner),
        rules=date_rules(practitioner, days[0], days[-1]),
        away=[(begin, end, reason) for begin, end, reason, elsewhere in busy if not elsewhere],
        elsewhere=[(begin, end) for begin, end, _, elsewhere in busy if elsewhere],
        spans=[
            Span(b, b.starts_at, b.ends_at, b.blocks_from, b.blocks_until)
            for b in bookings
            if b.status in Booking.HOLDS_TIME
        ],
        full_day=full_day,
        now=timezone.now(),
    )
    dropped = defaultdict(list)
    for booking in bookings:
        if booking.status not in Booking.HOLDS_TIME:
            dropped[booking.starts_at.astimezone(tz).date()].append(booking)
    busy_calendars = list(
        practitioner.busy_calendars.only("name", "error", "error_at", "succeeded_at")
    )
    return Calendar(grid=grid, dropped=dict(dropped), busy_calendars=busy_calendars)
