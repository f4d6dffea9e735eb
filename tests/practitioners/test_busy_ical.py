"""practitioners.busy_ical: which times a calendar file keeps the practitioner busy (pure, on
plain bytes): recurring series with exceptions and moved instances, time zones across a DST
change, all-day events in the practitioner's zone, free and cancelled events skipped."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from practitioners.busy_ical import (
    MAX_OCCURRENCES,
    CalendarUnreadable,
    Interval,
    busy_intervals,
    merged,
)
from tests.practitioners.calendar_files import calendar_file, one_event

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
JUNE = (datetime(2026, 5, 31, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def spans(intervals) -> list[tuple[datetime, datetime]]:
    return [(i.starts_at, i.ends_at) for i in intervals]


def test_weekly_series_skips_its_exdate_and_moves_its_moved_instance():
    start, end = JUNE
    found = busy_intervals(
        calendar_file("weekly_with_exceptions.ics"), start=start, end=end, tz=NEW_YORK
    )
    # Mondays 10:00-11:30 New York (EDT, UTC-4); 15 June is cancelled (EXDATE) and 22 June
    # moved to Wednesday 24 June 16:00-17:30 (RECURRENCE-ID).
    assert spans(found) == [
        (utc(2026, 6, 1, 14), utc(2026, 6, 1, 15, 30)),
        (utc(2026, 6, 8, 14), utc(2026, 6, 8, 15, 30)),
        (utc(2026, 6, 24, 20), utc(2026, 6, 24, 21, 30)),
        (utc(2026, 6, 29, 14), utc(2026, 6, 29, 15, 30)),
    ]


def test_an_all_day_event_is_busy_for_the_whole_day_in_the_practitioners_zone():
    start, end = JUNE
    data = calendar_file("all_day_and_transparent.ics")
    in_new_york = busy_intervals(data, start=start, end=end, tz=NEW_YORK)
    in_los_angeles = busy_intervals(data, start=start, end=end, tz=LOS_ANGELES)
    assert (utc(2026, 6, 3, 4), utc(2026, 6, 4, 4)) in spans(in_new_york)
    assert (utc(2026, 6, 3, 7), utc(2026, 6, 4, 7)) in spans(in_los_angeles)


def test_transparent_events_are_free():
    start, end = JUNE
    found = spans(
        busy_intervals(
            calendar_file("all_day_and_transparent.ics"), start=start, end=end, tz=NEW_YORK
        )
    )
    # The transparent all-day birthday (5 June) and the transparent reminder at 14:00 UTC on
    # 4 June are not there; the opaque wedding day and dentist are.
    assert found == [
        (utc(2026, 6, 3, 4), utc(2026, 6, 4, 4)),
        (utc(2026, 6, 4, 17), utc(2026, 6, 4, 18)),
    ]


def test_outlook_timezone_series_keeps_its_wall_time_across_the_dst_change():
    found = busy_intervals(
        calendar_file("outlook_across_dst.ics"),
        start=utc(2026, 10, 20),
        end=utc(2026, 11, 20),
        tz=LOS_ANGELES,
    )
    # Mondays 09:00 "Eastern Standard Time" (its VTIMEZONE): EDT before 1 November, EST after;
    # the UNTIL ends it after 9 November; the event shown as free in Outlook is skipped.
    assert spans(found) == [
        (utc(2026, 10, 26, 13), utc(2026, 10, 26, 14)),
        (utc(2026, 11, 2, 14), utc(2026, 11, 2, 15)),
        (utc(2026, 11, 9, 14), utc(2026, 11, 9, 15)),
    ]


def test_cancelled_events_are_free():
    data = one_event("20260608T170000Z", "20260608T180000Z", "STATUS:CANCELLED")
    assert busy_intervals(data, start=JUNE[0], end=JUNE[1], tz=NEW_YORK) == []


def test_a_floating_time_is_read_on_the_practitioners_wall_clock():
    data = one_event("20260608T100000", "20260608T110000")
    found = busy_intervals(data, start=JUNE[0], end=JUNE[1], tz=LOS_ANGELES)
    assert spans(found) == [(utc(2026, 6, 8, 17), utc(2026, 6, 8, 18))]


def test_intervals_are_clipped_to_the_window_and_events_outside_it_left_out():
    data = one_event(";VALUE=DATE:20260530", ";VALUE=DATE:20260602")
    found = busy_intervals(data, start=utc(2026, 6, 1, 12), end=utc(2026, 6, 1, 18), tz=NEW_YORK)
    assert spans(found) == [(utc(2026, 6, 1, 12), utc(2026, 6, 1, 18))]
    assert busy_intervals(data, start=utc(2026, 7, 1), end=utc(2026, 7, 8), tz=NEW_YORK) == []


def test_only_start_and_end_come_out():
    start, end = JUNE
    found = busy_intervals(
        calendar_file("weekly_with_exceptions.ics"), start=start, end=end, tz=NEW_YORK
    )
    assert all(type(i) is Interval for i in found)
    assert set(Interval.__dataclass_fields__) == {"starts_at", "ends_at"}


def test_overlapping_and_touching_intervals_are_merged():
    a = Interval(utc(2026, 6, 1, 9), utc(2026, 6, 1, 10))
    b = Interval(utc(2026, 6, 1, 9, 30), utc(2026, 6, 1, 11))
    c = Interval(utc(2026, 6, 1, 11), utc(2026, 6, 1, 12))
    d = Interval(utc(2026, 6, 1, 13), utc(2026, 6, 1, 14))
    assert merged([d, c, b, a]) == [Interval(a.starts_at, c.ends_at), d]


@pytest.mark.parametrize(
    "data",
    [b"<html><body>Sign in</body></html>", b"", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"],
    ids=["html", "empty", "no calendar"],
)
def test_anything_but_a_calendar_is_refused_in_words(data):
    with pytest.raises(CalendarUnreadable, match="not in iCalendar format"):
        busy_intervals(data, start=JUNE[0], end=JUNE[1], tz=NEW_YORK)


def test_a_series_with_too_many_occurrences_is_refused():
    data = one_event("20260601T000000Z", "20260601T000100Z", "RRULE:FREQ=MINUTELY;INTERVAL=5")
    with pytest.raises(CalendarUnreadable, match=f"more than {MAX_OCCURRENCES} events"):
        busy_intervals(data, start=JUNE[0], end=JUNE[1], tz=NEW_YORK)


def test_a_moved_instance_marked_free_frees_its_original_time_too():
    data = calendar_file("weekly_with_exceptions.ics").replace(
        b"SUMMARY:Pilates (moved)\r\nTRANSP:OPAQUE",
        b"SUMMARY:Pilates (moved)\r\nTRANSP:TRANSPARENT",
    )
    assert b"TRANSP:TRANSPARENT" in data
    found = spans(busy_intervals(data, start=JUNE[0], end=JUNE[1], tz=NEW_YORK))
    assert (utc(2026, 6, 22, 14), utc(2026, 6, 22, 15, 30)) not in found
    assert (utc(2026, 6, 24, 20), utc(2026, 6, 24, 21, 30)) not in found
    assert len(found) == 3
