"""Busy times from the practitioner's own calendars (issue 17): add and remove a feed, fetch
it (practitioners.calendar_fetch), expand it (practitioners.busy_ical) and store its busy
intervals; `refresh_due_busy_calendars` is the run_due_jobs job that does so every 15 minutes.

A fetch that fails keeps the last good copy (the intervals stay) and records the error and
its time for the settings page and the calendar. The intervals of a feed are replaced in one
transaction (delete, then insert), and only when they changed: each write moves the
practitioner's public_version (a trigger), which empties their cached public pages.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners import busy_ical, calendar_fetch
from practitioners.models import BusyCalendar, BusyInterval, Practitioner
from practitioners.services import announce_calendar_change
from reflexbook.lib.mail import enqueue_on_commit

logger = logging.getLogger(__name__)

# How often each feed is fetched (by run_due_jobs, which cron runs every few minutes).
REFRESH_EVERY = timedelta(minutes=15)
# Feeds a practitioner may add: enough for a personal, a family and a work calendar.
MAX_CALENDARS = 5
UNREADABLE = gettext_lazy("The calendar could not be read.")


def add_busy_calendar(*, practitioner: Practitioner, name: str, url: str) -> BusyCalendar:
    """Save a feed (the form has checked the address) and fetch it once the transaction
    commits, in the background."""
    calendar = BusyCalendar(practitioner=practitioner, name=name, url=url)
    calendar.full_clean()
    calendar.save()
    enqueue_on_commit(fetch_busy_calendar, calendar_id=calendar.pk)
    return calendar


def remove_busy_calendar(calendar: BusyCalendar) -> None:
    """Delete a feed and the busy times it gave (the times become free at once)."""
    calendar.delete()
    announce_calendar_change(calendar.practitioner)


@task
def fetch_busy_calendar(*, calendar_id: int) -> None:
    """Fetch one feed now (a feed just added); nothing if it was removed meanwhile."""
    calendar = BusyCalendar.objects.select_related("practitioner").filter(pk=calendar_id).first()
    if calendar is not None:
        refresh_busy_calendar(calendar)


def refresh_due_busy_calendars(now: datetime | None = None) -> int:
    """Fetch every feed not fetched in the last REFRESH_EVERY; returns how many were fetched.
    One failing feed never stops the others."""
    now = now or timezone.now()
    due = BusyCalendar.objects.select_related("practitioner").filter(
        Q(fetched_at__isnull=True) | Q(fetched_at__lte=now - REFRESH_EVERY)
    )
    count = 0
    for calendar in due.order_by("fetched_at", "pk"):
        refresh_busy_calendar(calendar, now=now)
        count += 1
    return count


def refresh_busy_calendar(calendar: BusyCalendar, *, now: datetime | None = None) -> bool:
    """Fetch `calendar` and store its busy intervals; on failure keep the stored ones and
    record the error. True when the feed was read (or had not changed)."""
    now = now or timezone.now()
    horizon = timedelta(days=calendar.practitioner.booking_horizon_days)
    # A 304 keeps the stored intervals, so ask "has it changed?" only while they still reach
    # past the horizon; once it has moved beyond them, read the whole feed again.
    conditional = calendar.covered_until is not None and calendar.covered_until >= now + horizon
    try:
        fetched = calendar_fetch.fetch(
            calendar.url,
            etag=calendar.etag if conditional else "",
            last_modified=calendar.last_modified if conditional else "",
            timeout=settings.CALENDAR_IMPORT_TIMEOUT,
            max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES,
            allow_private=settings.CALENDAR_IMPORT_ALLOW_PRIVATE,
        )
    except calendar_fetch.FetchFailed as failure:
        _record_error(calendar, str(failure), now)
        return False
    if fetched.not_modified:
        BusyCalendar.objects.filter(pk=calendar.pk).update(
            fetched_at=now, succeeded_at=now, error="", error_at=None
        )
        return True
    stored = store_busy_times(
        calendar,
        fetched.body,
        now=now,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
    )
    return stored


def store_busy_times(
    calendar: BusyCalendar,
    data: bytes,
    *,
    now: datetime,
    etag: str = "",
    last_modified: str = "",
) -> bool:
    """Expand the calendar file `data` over the booking horizon and make its busy intervals
    the feed's (seed_demo reads its shipped file through here too). On a file that cannot be
    read, keep the stored intervals and record why; returns whether it was read."""
    practitioner = calendar.practitioner
    start, end = busy_ical.whole_window(now, practitioner.booking_horizon_days)
    try:
        intervals = busy_ical.busy_intervals(
            data, start=start, end=end, tz=ZoneInfo(practitioner.timezone)
        )
    except busy_ical.CalendarUnreadable as unreadable:
        _record_error(calendar, _(unreadable.message) % unreadable.params, now)
        return False
    except Exception as error:
        # A file the calendar libraries trip over: one feed's problem, not the job's. Only
        # the error's kind is logged: its message or traceback could quote the calendar.
        logger.error(
            "Busy calendar %s could not be expanded: %s", calendar.code, type(error).__name__
        )
        _record_error(calendar, str(UNREADABLE), now)
        return False
    with transaction.atomic():
        # Locked, so two fetches of one feed replace its intervals one after the other, and
        # a feed removed meanwhile is not filled again.
        if not BusyCalendar.objects.select_for_update().filter(pk=calendar.pk).exists():
            return False
        changed = _replace_intervals(calendar, intervals)
        BusyCalendar.objects.filter(pk=calendar.pk).update(
            fetched_at=now,
            succeeded_at=now,
            etag=etag[:200],
            last_modified=last_modified[:100],
            covered_until=end,
            error="",
            error_at=None,
        )
        if changed:
            announce_calendar_change(practitioner)
    return True


def _replace_intervals(calendar: BusyCalendar, intervals: list[busy_ical.Interval]) -> bool:
    """Make `intervals` the feed's, deleting the old ones and inserting the new (inside the
    caller's transaction), unless they are the same; returns whether anything changed."""
    wanted = [(i.starts_at, i.ends_at) for i in intervals]
    if list(calendar.intervals.order_by("starts_at").values_list("starts_at", "ends_at")) == wanted:
        return False
    calendar.intervals.all().delete()
    BusyInterval.objects.bulk_create(
        BusyInterval(
            calendar=calendar,
            practitioner_id=calendar.practitioner_id,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        for starts_at, ends_at in wanted
    )
    return True


def _record_error(calendar: BusyCalendar, error: str, now: datetime) -> None:
    """Note a failed attempt; the intervals of the last good copy stay."""
    BusyCalendar.objects.filter(pk=calendar.pk).update(
        fetched_at=now, error=error[:300], error_at=now
    )
