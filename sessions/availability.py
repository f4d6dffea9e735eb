"""Reads a practitioner's calendar from the database and asks sessions.slots for free times."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from practitioners.models import Practitioner, Service
from sessions import slots
from sessions.models import Booking


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
    weekly = [
        slots.WeeklyRange(*row)
        for row in practitioner.weekly_hours.values_list("weekday", "starts", "ends")
    ]
    rules = [
        slots.DateRule(day, kind == "closed", starts, ends)
        for day, kind, starts, ends in practitioner.date_exceptions.filter(
            date__range=(first_day, last_day)
        ).values_list("date", "kind", "starts", "ends")
    ]
    return slots.free_slots(
        weekly=weekly,
        rules=rules,
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
