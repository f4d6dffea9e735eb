"""The practitioner's calendar as a time grid: one column per day, 15-minute rows on the
practice's wall clock, bookings as blocks spanning their rows. Pure, no ORM: the days, the
working hours (sessions.slots), the time off, the busy times imported from the practitioner's
own calendars and the bookings come in as plain values.

Rows follow the wall clock, not UTC. A day the clocks go forward has 23 hours: its column
shows the skipped hour's rows as "no such time", so every column keeps the same rows and
the columns line up. A day the clocks go back has 25 hours: the repeated hour gets its own
rows ("01:00 again") after the first one, empty ("no such time") in the other columns.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reflexbook.lib.translation import gettext, gettext_lazy
from sessions.slots import DateRule, WeeklyRange, working_ranges

STEP = timedelta(minutes=15)
# The hours shown when neither working hours nor bookings say otherwise.
DEFAULT_HOURS = (8, 18)

# What an empty cell is, in words (the grid shades each kind; text never relies on colour).
FREE, BREAK, OUTSIDE, CLOSED, AWAY, ELSEWHERE, SKIPPED, BOOKED = (
    "free",
    "break",
    "outside",
    "closed",
    "away",
    "elsewhere",
    "skipped",
    "booked",
)
KIND_LABELS = {
    FREE: gettext_lazy("Free"),
    BREAK: gettext_lazy("Break"),
    OUTSIDE: gettext_lazy("Outside your hours"),
    CLOSED: gettext_lazy("Closed"),
    AWAY: gettext_lazy("Time off"),
    ELSEWHERE: gettext_lazy("Busy in your calendar"),
    SKIPPED: gettext_lazy("No such time (the clocks change)"),
    BOOKED: gettext_lazy("Booked"),
}


@dataclass(frozen=True)
class Span:
    """A booking on the calendar (UTC): the session, and what it keeps busy around it
    (travel before, buffer and travel after). `item` is handed back untouched."""

    item: object
    starts_at: datetime
    ends_at: datetime
    blocks_from: datetime
    blocks_until: datetime


@dataclass(frozen=True)
class Row:
    """One row of the grid: a quarter hour of the wall clock (`repeated` for the second
    occurrence on the day the clocks go back)."""

    number: int  # 1-based, as CSS grid rows count
    wall: time
    repeated: bool

    @property
    def on_the_hour(self) -> bool:
        return self.wall.minute == 0

    @property
    def label(self) -> str:
        if self.repeated:
            return gettext("%(time)s again") % {"time": f"{self.wall:%H:%M}"}
        return f"{self.wall:%H:%M}"


@dataclass(frozen=True)
class Cell:
    """An empty quarter hour of one day: `starts_at` in UTC (None where the wall time does
    not exist that day), `local` in the practice's zone, `kind` one of KIND_LABELS, `note`
    the time off's reason, `past` when it starts before now, and `first` when it opens a run
    of its kind (where the page writes the kind out: "Break", "Time off: Dentist")."""

    row: Row
    kind: str
    starts_at: datetime | None = None
    local: datetime | None = None
    note: str = ""
    past: bool = False
    first: bool = False

    is_block = False

    @property
    def label(self) -> str:
        if self.past:
            return gettext("Past")
        if self.note:
            return gettext("%(kind)s: %(note)s") % {
                "kind": KIND_LABELS[self.kind],
                "note": self.note,
            }
        return str(KIND_LABELS[self.kind])

    @property
    def names_its_run(self) -> bool:
        """The first row of a break, of time off or of a busy time imported from the
        practitioner's own calendar, which shows its label even unhovered."""
        return self.first and self.kind in (BREAK, AWAY, ELSEWHERE)

    @property
    def bookable(self) -> bool:
        # A quarter hour that a booking's blocked span meets is never offered, even where
        # that booking could not be drawn (it overlaps another: bad data); nor one already
        # gone, as nobody can book in the past.
        return self.starts_at is not None and self.kind != BOOKED and not self.past


@dataclass(frozen=True)
class Part:
    """A slice of a block: "travel", "session" or "buffer", `rows` rows tall."""

    kind: str
    rows: int


@dataclass(frozen=True)
class Block:
    """A booking placed in a day's column, `rows` tall from `row`, cut into parts."""

    span: Span
    row: Row
    rows: int
    parts: tuple[Part, ...]
    # Started the day before (a session running past midnight): shown again, marked so.
    continued: bool = False

    is_block = True

    @property
    def item(self) -> object:
        return self.span.item


@dataclass
class Day:
    """One column: its date, the working ranges it has (wall clock), whether a date
    exception closes it, its cells and blocks in row order (`entries`), any booking whose
    time overlaps another already placed (`overlapping`; only bad data does that; the rows it
    meets are BOOKED cells, never free), and any left with no row of its own (`crowded`)."""

    date: date
    ranges: list[tuple[time, time]]
    closed: bool
    # Time off takes the whole day (all its working time; all of it on a day with none).
    time_off: bool = False
    time_off_reason: str = ""
    entries: list[Cell | Block] = field(default_factory=list)
    overlapping: list[Span] = field(default_factory=list)
    # Bookings whose time on this day lies wholly in a quarter hour another block already
    # fills (a short tail before midnight): listed, as no row is left to draw them in.
    crowded: list[Span] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        """No working time (not working, closed or away all day) and nothing booked: a phone
        shows such a day as one line."""
        working = self.ranges and not self.closed and not self.time_off
        booked = self.overlapping or self.crowded or any(e.is_block for e in self.entries)
        return not working and not booked


@dataclass
class Grid:
    rows: list[Row]
    days: list[Day]
    first_hour: int
    last_hour: int


def _quarters(day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The day's quarter hours as (UTC instant, local time), from its first instant to the
    next day's: 92 on a 23-hour day, 100 on a 25-hour day. Steps are taken in UTC, so the
    repeated hour comes out twice (the second with fold=1) and the skipped one not at all."""
    start = datetime.combine(day, time.min, tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tz).astimezone(UTC)
    quarters, instant = [], start
    while instant < end:
        quarters.append((instant, instant.astimezone(tz)))
        instant += STEP
    return quarters


def _key(local: datetime) -> tuple[int, int, int]:
    # The repeated hour (fold=1) sorts after the first occurrence of the same hour.
    return (local.hour, local.fold, local.minute)


def _ceil_hour(moment: datetime) -> int:
    return moment.hour + (1 if moment.minute or moment.second else 0)


def _window(
    days: Sequence[date],
    ranges: dict[date, list[tuple[time, time]]],
    spans: Iterable[Span],
    tz: ZoneInfo,
) -> tuple[int, int]:
    """Whole hours [first, last) taking in every working range and every booking of the days
    (travel and buffer included); DEFAULT_HOURS when there are none. A booking across
    midnight stretches its first day to 24:00 and its last from 00:00."""
    hours: list[int] = []
    for day in days:
        for begin, end in ranges[day]:
            hours += [begin.hour, end.hour + (1 if end.minute else 0)]
    for span in spans:
        begin = span.blocks_from.astimezone(tz)
        # The last instant it blocks, so a block ending at midnight stays on its day.
        end = (span.blocks_until - timedelta(microseconds=1)).astimezone(tz)
        if begin.date() in ranges:
            hours += [begin.hour, _ceil_hour(end) if end.date() == begin.date() else 24]
        if end.date() in ranges and end.date() != begin.date():
            hours += [0, _ceil_hour(end)]
    if not hours:
        return DEFAULT_HOURS
    first, last = min(hours), max(hours)
    return first, max(last, first + 1)


def _away_at(instant: datetime, away: Sequence[tuple[datetime, datetime, str]]) -> str | None:
    """The reason of the time off meeting the quarter hour from `instant` ("" when it gives
    none), or None when no time off meets it."""
    for begin, end, reason in away:
        if begin < instant + STEP and instant < end:
            return reason
    return None


def _whole_day_off(
    day: date,
    tz: ZoneInfo,
    ranges: list[tuple[time, time]],
    away: Sequence[tuple[datetime, datetime, str]],
) -> tuple[bool, str]:
    """Whether time off takes all of `day`'s working time (the whole day when it has none),
    and the reasons given, in order."""
    reasons: list[str] = []
    for instant, local in _quarters(day, tz):
        wall = local.time().replace(fold=0)
        if ranges and not any(begin <= wall < end for begin, end in ranges):
            continue
        reason = _away_at(instant, away)
        if reason is None:
            return False, ""
        if reason and reason not in reasons:
            reasons.append(reason)
    return True, ", ".join(reasons)


def _kind(
    instant: datetime,
    local: datetime,
    ranges: list[tuple[time, time]],
    closed: bool,
    away: Sequence[tuple[datetime, datetime, str]],
    elsewhere: Sequence[tuple[datetime, datetime]] = (),
) -> str:
    if _away_at(instant, away) is not None:
        return AWAY
    if any(begin < instant + STEP and instant < end for begin, end in elsewhere):
        return ELSEWHERE
    if closed:
        return CLOSED
    wall = local.time().replace(fold=0)
    if any(begin <= wall < end for begin, end in ranges):
        return FREE
    if ranges and ranges[0][0] <= wall < max(end for _, end in ranges):
        return BREAK
    return OUTSIDE


def build_grid(
    days: Sequence[date],
    *,
    tz: ZoneInfo,
    weekly: Iterable[WeeklyRange],
    rules: Iterable[DateRule],
    away: Iterable[tuple[datetime, datetime, str]],
    spans: Iterable[Span],
    full_day: bool = False,
    now: datetime | None = None,
    elsewhere: Iterable[tuple[datetime, datetime]] = (),
) -> Grid:
    """The grid of `days` (consecutive local dates) in `tz`: working time from the weekly
    hours and date rules (sessions.slots.working_ranges), `away` (time off: UTC start, end
    and reason) shaded and named, `elsewhere` (busy times imported from the practitioner's
    own calendars: UTC start and end, nothing else is known of them) shaded grey and
    named, each Span a block, quarter hours starting before `now`
    past. Rows run over whole hours taking in the working hours and bookings of the days
    (all 24 with `full_day`)."""
    weekly, rules, away, spans = list(weekly), list(rules), list(away), list(spans)
    elsewhere = list(elsewhere)
    ranges = {day: working_ranges(day, weekly, rules) for day in days}
    first_hour, last_hour = (0, 24) if full_day else _window(days, ranges, spans, tz)
    quarters = {
        day: [(i, loc) for i, loc in _quarters(day, tz) if first_hour <= loc.hour < last_hour]
        for day in days
    }
    keys = sorted({_key(local) for day in days for _, local in quarters[day]})
    rows = [
        Row(number=n, wall=time(hour, minute), repeated=bool(fold))
        for n, (hour, fold, minute) in enumerate(keys, start=1)
    ]
    row_of = dict(zip(keys, rows, strict=True))

    grid_days = []
    for day in days:
        closed = any(rule.closed for rule in rules if rule.date == day)
        time_off, reason = _whole_day_off(day, tz, ranges[day], away)
        column = Day(
            date=day,
            ranges=ranges[day],
            closed=closed,
            time_off=time_off,
            time_off_reason=reason,
        )
        here = {_key(local): (instant, local) for instant, local in quarters[day]}
        order = [row_of[_key(local)] for _, local in quarters[day]]

        def rows_meeting(begin: datetime, end: datetime, _day=day, _order=order) -> list[Row]:
            return [
                row
                for (instant, _), row in zip(quarters[_day], _order, strict=True)
                if instant < end and begin < instant + STEP
            ]

        placed: dict[int, Block] = {}
        drawn: list[Span] = []
        covered: set[int] = set()
        busy: set[int] = set()
        for span in sorted(spans, key=lambda s: s.blocks_from):
            meeting = rows_meeting(span.blocks_from, span.blocks_until)
            if not meeting:
                continue
            # A real overlap is decided on the instants, not on the rows: a booking starting
            # at 10:10 right after one blocking until 10:10 shares the 10:00 row but not a
            # minute of time.
            if any(
                other.blocks_from < span.blocks_until and span.blocks_from < other.blocks_until
                for other in drawn
            ):
                column.overlapping.append(span)
                busy |= {row.number for row in meeting}
                continue
            first, last = meeting[0].number, meeting[-1].number + 1
            # Drawn in start order without overlapping, so blocks can only share the row
            # where one ends and the next begins: start the later one on the next row.
            first = max(first, max(covered, default=0) + 1)
            if first >= last:  # its whole time that day lies in a row already drawn
                column.crowded.append(span)
                continue
            session = rows_meeting(span.starts_at, span.ends_at)
            if session:
                session_first = max(session[0].number, first)
                session_end = max(session[-1].number + 1, session_first)
            else:  # only its travel or buffer falls on this day
                session_first = session_end = last
            parts = [
                Part(kind, size)
                for kind, size in (
                    ("travel", session_first - first),
                    ("session", session_end - session_first),
                    ("buffer", last - session_end),
                )
                if size > 0
            ]
            placed[first] = Block(
                span=span,
                row=rows[first - 1],
                rows=last - first,
                parts=tuple(parts),
                continued=span.blocks_from.astimezone(tz).date() < day,
            )
            drawn.append(span)
            covered |= set(range(first, last))

        previous = None  # the (kind, note) of the cell just above, to mark where runs start
        for row in rows:
            if row.number in placed:
                column.entries.append(placed[row.number])
                previous = None
            elif row.number in covered:
                continue
            elif (key := (row.wall.hour, int(row.repeated), row.wall.minute)) in here:
                instant, local = here[key]
                kind = (
                    BOOKED
                    if row.number in busy
                    else _kind(instant, local, ranges[day], closed, away, elsewhere)
                )
                note = (_away_at(instant, away) or "") if kind == AWAY else ""
                column.entries.append(
                    Cell(
                        row=row,
                        kind=kind,
                        starts_at=instant,
                        local=local,
                        note=note,
                        past=now is not None and instant < now,
                        first=(kind, note) != previous,
                    )
                )
                previous = (kind, note)
            else:
                column.entries.append(Cell(row=row, kind=SKIPPED))
                previous = None
        grid_days.append(column)
    return Grid(rows=rows, days=grid_days, first_hour=first_hour, last_hour=last_hour)
