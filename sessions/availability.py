"""Reads a practitioner's calendar from the database and asks sessions.slots for free times;
lays them out by day and by week in the viewer's zone for the booking pages."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from practitioners.models import (
    BusyInterval,
    DateException,
    Practitioner,
    Service,
    TimeOff,
    WeeklyHours,
)
from reflexbook.lib.prepared import PreparedQuery
from sessions import slots
from sessions.models import Booking, SlotHold


def _weekly(*, practitioner_id):
    return WeeklyHours.objects.filter(practitioner_id=practitioner_id).values_list(
        "weekday", "starts", "ends"
    )


def _dates(*, practitioner_id, first_day, last_day):
    return DateException.objects.filter(
        practitioner_id=practitioner_id, date__range=(first_day, last_day)
    ).values_list("date", "kind", "starts", "ends")


def _busy(
    *, practitioner_id, window_start, window_end, starts_from, starts_before, now, ignore, mine
):
    """Bookings, live holds, time off and the busy times imported from the practitioner's
    own calendars (practitioners.busy_import) touching the window, in one query (a UNION):
    each is just busy time. Bookings are read past the present-clients filter
    (Booking.all_objects): an erasure cancels the client's upcoming bookings, so the filter
    would leave out no busy time and only add a subquery to every re-check."""
    touching = {"practitioner_id": practitioner_id}
    bookings = Booking.all_objects.active().filter(
        **touching,
        blocks_from__lt=window_end,
        blocks_until__gt=window_start,
        # Implied by the two above; bounds the (practitioner, starts_at) index walk to the
        # window, not to every booking the practitioner ever had (issue 13).
        starts_at__gte=starts_from,
        starts_at__lt=starts_before,
    )
    if ignore is not None:
        bookings = bookings.exclude(pk=ignore)
    # A hold lapses by itself: only those whose expiry is still ahead count (no job needed).
    holds = SlotHold.objects.live(now).filter(
        **touching, blocks_from__lt=window_end, blocks_until__gt=window_start
    )
    if mine is not None:
        holds = holds.exclude(pk=mine)
    times = {"starts_at__lt": window_end, "ends_at__gt": window_start}
    time_off = TimeOff.objects.filter(**touching, **times).order_by()
    imported = BusyInterval.objects.filter(**touching, **times).order_by()
    return (
        bookings.order_by()
        .values_list("blocks_from", "blocks_until")
        .union(
            holds.order_by().values_list("blocks_from", "blocks_until"),
            time_off.values_list("starts_at", "ends_at"),
            imported.values_list("starts_at", "ends_at"),
            all=True,
        )
        .order_by()
    )


# The calendar reads, their SQL built once per process (reflexbook.lib.prepared): building
# it cost more than running these small indexed queries (issue 13).
WEEKLY, DATES, BUSY = PreparedQuery(_weekly), PreparedQuery(_dates), PreparedQuery(_busy)


def weekly_ranges(practitioner: Practitioner) -> list[slots.WeeklyRange]:
    """The practitioner's weekly hours, as sessions.slots reads them (one query)."""
    return [slots.WeeklyRange(*row) for row in WEEKLY.rows(practitioner_id=practitioner.pk)]


def date_rules(practitioner: Practitioner, first_day: date, last_day: date) -> list[slots.DateRule]:
    """The practitioner's closed days and extra hours between two local dates, as
    sessions.slots reads them (one query)."""
    rows = DATES.rows(practitioner_id=practitioner.pk, first_day=first_day, last_day=last_day)
    return [
        slots.DateRule(day, kind == DateException.Kind.CLOSED, starts, ends)
        for day, kind, starts, ends in rows
    ]


# More than any booking blocks around its start: 60 minutes, a 30-minute buffer and 90
# minutes' travel each way at most (practitioners.models.services).
LONGEST_BLOCK = timedelta(days=1)


def free_slots_for(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    ignore: Booking | None = None,
    ignore_busy: bool = False,
    mine: SlotHold | None = None,
    as_practitioner: bool = False,
) -> list[datetime]:
    """Free start times (UTC) between two local dates of the practitioner, in three queries
    whatever the number of bookings. Active bookings, time off, busy times imported from the
    practitioner's calendars and the live holds of other visitors are busy; `mine` is the asking visitor's own hold, which is not. `ignore` leaves out a
    booking being rescheduled; `ignore_busy` gives the times working hours allow, booked or
    held or not. `as_practitioner`: the practitioner books their own calendar, so the notice
    and horizon they ask of clients do not apply."""
    now = now or timezone.now()
    tz = ZoneInfo(practitioner.timezone)
    # Busy times that could touch the window: a day of slack each side covers any zone.
    window_start = datetime.combine(first_day - timedelta(days=1), datetime.min.time(), tz)
    window_end = datetime.combine(last_day + timedelta(days=2), datetime.min.time(), tz)
    notice = timedelta(hours=practitioner.min_notice_hours)
    horizon = timedelta(days=practitioner.booking_horizon_days)
    if as_practitioner:
        notice, horizon = timedelta(0), max(window_end - now, timedelta(0))
    busy = []
    if not ignore_busy:
        rows = BUSY.rows(
            practitioner_id=practitioner.pk,
            window_start=window_start,
            window_end=window_end,
            starts_from=window_start - LONGEST_BLOCK,
            starts_before=window_end + LONGEST_BLOCK,
            now=now,
            ignore=getattr(ignore, "pk", None),
            mine=getattr(mine, "pk", None),
        )
        busy = [slots.Busy(s, e) for s, e in rows]
    return slots.free_slots(
        weekly=weekly_ranges(practitioner),
        rules=date_rules(practitioner, first_day, last_day),
        busy=busy,
        length=timedelta(minutes=minutes),
        buffer=timedelta(minutes=service.buffer_minutes),
        interval=timedelta(minutes=practitioner.start_interval_minutes),
        travel=timedelta(minutes=service.travel_minutes),
        tz=tz,
        now=now,
        notice=notice,
        horizon=horizon,
        first_day=first_day,
        last_day=last_day,
    )


def in_working_hours(*, practitioner: Practitioner, starts_at: datetime, minutes: int) -> bool:
    """Whether a session of `minutes` from `starts_at` lies inside the practitioner's working
    hours (weekly hours and date exceptions of its local day; sessions.slots decides), booked
    or not, on their start grid or not. Two queries."""
    tz = ZoneInfo(practitioner.timezone)
    day = starts_at.astimezone(tz).date()
    return slots.in_working_hours(
        starts_at=starts_at,
        length=timedelta(minutes=minutes),
        weekly=weekly_ranges(practitioner),
        rules=date_rules(practitioner, day, day),
        tz=tz,
    )


def day_parts(times: list[dict]) -> list[dict]:
    """A day's times (each with a "local" datetime) split into the parts of the day
    (slots.part_of_day: morning, afternoon, evening): [{"name", "times"}], empty parts left
    out, order kept."""
    parts = []
    for index, (name, _) in enumerate(slots.DAY_PARTS):
        in_part = [t for t in times if slots.part_of_day(t["local"].hour) == index]
        if in_part:
            parts.append({"name": name, "times": in_part})
    return parts


@dataclass(frozen=True)
class Week:
    """One Monday-to-Sunday week of free start times in the viewer's zone."""

    monday: date
    # {"date": date, "parts": day_parts(times),
    #  "times": [{"local": datetime, "label": "HH:MM", "url": str, "current": bool}]}
    days: list[dict]
    previous: date | None
    next: date | None

    @property
    def is_empty(self) -> bool:
        return not any(day["times"] for day in self.days)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def slots_by_day(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    first: date,
    last: date,
    tz: ZoneInfo,
    now: datetime,
    url_for: Callable[[datetime], str],
    ignore: Booking | None = None,
    mine: SlotHold | None = None,
) -> list[dict]:
    """Free start times from `first` to `last` (dates in the viewer's zone `tz`), local to
    `tz` and grouped by day (and by part of the day, day_parts); each time carries its label
    ("HH:MM") and the link `url_for(instant)`, "current" False (a page marks its own). The
    viewer's days
    are mapped to the practitioner's (a day either side at most) and trimmed back, so the
    grouping follows the viewer's calendar whatever the two zones. `ignore` and `mine` as for
    free_slots_for."""
    practitioner_tz = ZoneInfo(practitioner.timezone)
    window_start = datetime.combine(first, time.min, tz)
    window_end = datetime.combine(last + timedelta(days=1), time.min, tz)
    free = free_slots_for(
        practitioner=practitioner,
        service=service,
        minutes=minutes,
        first_day=window_start.astimezone(practitioner_tz).date(),
        last_day=window_end.astimezone(practitioner_tz).date(),
        now=now,
        ignore=ignore,
        mine=mine,
    )
    days = {first + timedelta(days=n): [] for n in range((last - first).days + 1)}
    for instant in free:
        local = instant.astimezone(tz)
        if local.date() in days:
            # The label is written here once, not by a template filter per button: a week
            # has some 200 of them (the page's cost, issue 13).
            days[local.date()].append(
                {
                    "local": local,
                    "label": f"{local:%H:%M}",
                    "url": url_for(instant),
                    "current": False,
                }
            )
    return [{"date": day, "times": times, "parts": day_parts(times)} for day, times in days.items()]


def week_of_slots(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    asked: date | None,
    tz: ZoneInfo,
    now: datetime,
    url_for: Callable[[datetime], str],
    ignore: Booking | None = None,
    mine: SlotHold | None = None,
) -> Week:
    """The Monday-to-Sunday week (in the viewer's zone `tz`) holding the day `asked` (this
    week when None), kept between this week and the one holding the practitioner's booking
    horizon; times as slots_by_day gives them."""
    this_monday = _monday(now.astimezone(tz).date())
    horizon = now + timedelta(days=practitioner.booking_horizon_days)
    last_monday = _monday(horizon.astimezone(tz).date())
    asked_monday = this_monday if asked is None else _monday(asked)
    monday = min(max(asked_monday, this_monday), last_monday)
    days = slots_by_day(
        practitioner=practitioner,
        service=service,
        minutes=minutes,
        first=monday,
        last=monday + timedelta(days=6),
        tz=tz,
        now=now,
        url_for=url_for,
        ignore=ignore,
        mine=mine,
    )
    previous = monday - timedelta(days=7)
    following = monday + timedelta(days=7)
    return Week(
        monday=monday,
        days=days,
        previous=previous if previous >= this_monday else None,
        next=following if following <= last_monday else None,
    )
