"""Reads a practitioner's calendar from the database and asks sessions.slots for free times."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from practitioners.models import DateException, Practitioner, Service
from sessions import slots
from sessions.models import Booking


def weekly_ranges(practitioner: Practitioner) -> list[slots.WeeklyRange]:
    """The practitioner's weekly hours, as sessions.slots reads them (one query)."""
    rows = practitioner.weekly_hours.values_list("weekday", "starts", "ends")
    return [slots.WeeklyRange(*row) for row in rows]


def date_rules(practitioner: Practitioner, first_day: date, last_day: date) -> list[slots.DateRule]:
    """The practitioner's closed days and extra hours between two local dates, as
    sessions.slots reads them (one query)."""
    return [
        slots.DateRule(day, kind == DateException.Kind.CLOSED, starts, ends)
        for day, kind, starts, ends in practitioner.date_exceptions.filter(
            date__range=(first_day, last_day)
        ).values_list("date", "kind", "starts", "ends")
    ]


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
) -> list[datetime]:
    """Free start times (UTC) between two local dates of the practitioner, in four queries
    whatever the number of bookings. `ignore` leaves out a booking being rescheduled;
    `ignore_busy` gives the times working hours allow, booked or not."""
    now = now or timezone.now()
    tz = ZoneInfo(practitioner.timezone)
    # Busy times that could touch the window: a day of slack each side covers any zone.
    window_start = datetime.combine(first_day - timedelta(days=1), datetime.min.time(), tz)
    window_end = datetime.combine(last_day + timedelta(days=2), datetime.min.time(), tz)
    bookings = practitioner.bookings.active().filter(
        starts_at__lt=window_end, blocks_until__gt=window_start
    )
    if ignore is not None:
        bookings = bookings.exclude(pk=ignore.pk)
    busy = []
    if not ignore_busy:
        busy += [slots.Busy(s, e) for s, e in bookings.values_list("starts_at", "blocks_until")]
        busy += [
            slots.Busy(s, e)
            for s, e in practitioner.time_off.filter(
                starts_at__lt=window_end, ends_at__gt=window_start
            ).values_list("starts_at", "ends_at")
        ]
    return slots.free_slots(
        weekly=weekly_ranges(practitioner),
        rules=date_rules(practitioner, first_day, last_day),
        busy=busy,
        length=timedelta(minutes=minutes),
        buffer=timedelta(minutes=service.buffer_minutes),
        tz=tz,
        now=now,
        notice=timedelta(hours=practitioner.min_notice_hours),
        horizon=timedelta(days=practitioner.booking_horizon_days),
        first_day=first_day,
        last_day=last_day,
    )
