"""Busy intervals from an iCalendar file (a practitioner's Google, Apple, Outlook or Fastmail
calendar): pure, no Django and no I/O, so the expansion is unit-tested on plain bytes.

What counts as busy, as the calendar apps show it: every event occurrence in the window
(recurring series expanded with their EXDATEs and moved instances, RECURRENCE-ID, by
recurring-ical-events), in its own zone (VTIMEZONE, TZID, UTC or X-WR-TIMEZONE; a floating
time is the practitioner's wall clock), except events marked free (TRANSP:TRANSPARENT, or
Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE) and cancelled ones. An all-day event keeps the
practitioner busy for whole local days in their own zone. Only start and end come out:
titles, places and descriptions are never read into what is kept.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

# A feed expanding to more occurrences than this in the window is refused rather than
# stored: a series every few minutes is a broken or hostile file, not a diary.
MAX_OCCURRENCES = 5000


def gettext_noop(message: str) -> str:
    """Marks `message` for translation (makemessages finds it by this name) and returns it as
    it is: this module stays free of Django, and the Django side translates what it shows."""
    return message


class CalendarUnreadable(ValueError):
    """The bytes are not a calendar this module can read; the message says so in words.
    `message` is English, marked for translation, and `params` fill its placeholders:
    practitioners.busy_import stores it translated."""

    def __init__(self, message: str, params: dict | None = None):
        self.message, self.params = message, params or {}
        super().__init__(message % self.params if params else message)


@dataclass(frozen=True, order=True)
class Interval:
    """A busy stretch in UTC."""

    starts_at: datetime
    ends_at: datetime


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    """An event time as an aware UTC instant: a date is its local midnight in `tz`, a
    floating (naive) time is read on `tz`'s wall clock."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _is_free(event: icalendar.cal.Component) -> bool:
    """Events the calendar app shows as free or as called off hold no time."""
    transparent = str(event.get("TRANSP", "")).upper() == "TRANSPARENT"
    outlook_free = str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return transparent or outlook_free or cancelled


def _without_free_time(calendar: icalendar.Calendar) -> None:
    """Make every free or cancelled event last no time (its end at its start), so that its
    occurrences come out empty and are dropped. Not removed: a moved instance marked free must
    still replace the occurrence it moved, or the series would bring that one back."""
    for event in calendar.walk("VEVENT"):
        if _is_free(event) and "DTSTART" in event:
            event.pop("DURATION", None)
            event.pop("DTEND", None)
            event.add("DTEND", event.decoded("DTSTART"))


def merged(intervals: list[Interval]) -> list[Interval]:
    """The same busy time as sorted intervals that neither overlap nor touch."""
    result: list[Interval] = []
    for interval in sorted(intervals):
        if result and interval.starts_at <= result[-1].ends_at:
            last = result[-1]
            result[-1] = Interval(last.starts_at, max(last.ends_at, interval.ends_at))
        else:
            result.append(interval)
    return result


def busy_intervals(data: bytes, *, start: datetime, end: datetime, tz: ZoneInfo) -> list[Interval]:
    """The busy time of the calendar `data` between the aware instants `start` and `end`,
    merged and clipped to them, in UTC; `tz` is the practitioner's zone (all-day events and
    floating times). Raises CalendarUnreadable for anything that is not a calendar."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise CalendarUnreadable(
            gettext_noop(
                "The address did not return a calendar: the file is not in iCalendar format."
            )
        ) from error
    if calendar.name != "VCALENDAR":
        raise CalendarUnreadable(
            gettext_noop(
                "The address did not return a calendar: the file is not in iCalendar format."
            )
        )
    _without_free_time(calendar)
    try:
        series_list = recurring_ical_events.of(calendar).series
    except (ValueError, TypeError, KeyError, icalendar.InvalidCalendar) as error:
        raise CalendarUnreadable(
            gettext_noop(
                "The calendar could not be read: one of its events or repeat rules is not valid."
            )
        ) from error
    found: list[Interval] = []
    seen = 0
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    for series in series_list:
        try:
            # A generator: a series repeating every few minutes is cut off at the cap below,
            # never expanded in full.
            for occurrence in series.between(local_start, local_end):
                seen += 1
                if seen > MAX_OCCURRENCES:
                    raise CalendarUnreadable(
                        gettext_noop(
                            "The calendar has more than %(max)s events in the coming weeks; it "
                            "was not imported."
                        ),
                        {"max": MAX_OCCURRENCES},
                    )
                starts_at = _instant(occurrence.start, tz)
                ends_at = _instant(occurrence.end, tz)
                if ends_at <= starts_at or ends_at <= start or starts_at >= end:
                    continue
                found.append(Interval(max(starts_at, start), min(ends_at, end)))
        except CalendarUnreadable:
            raise
        except (ValueError, TypeError, KeyError, icalendar.InvalidCalendar):
            # One broken series (a bad repeat rule) is skipped, as calendar apps do; the
            # rest of the calendar still counts.
            continue
    return merged(found)


def whole_window(now: datetime, horizon_days: int) -> tuple[datetime, datetime]:
    """The window a feed is expanded over: from a day before `now` (today's past blocks
    still show on the calendar) to a day past the booking horizon (a day's slack, so a
    feed that has not changed need not be re-read as the horizon moves)."""
    return now - timedelta(days=1), now + timedelta(days=horizon_days + 1)
