"""sessions.slots.working_minutes: the working time in a stretch of instants (the practice
report's available hours), on clock-change days, with overlapping ranges and time off."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessions.slots import Busy, DateRule, WeeklyRange, working_minutes

NY = ZoneInfo("America/New_York")
EVERY_DAY = [WeeklyRange(weekday, time(0), time(23, 59)) for weekday in range(7)]


def day(d: date, zone=NY) -> tuple[datetime, datetime]:
    start = datetime.combine(d, time(0), zone).astimezone(UTC)
    end = datetime.combine(d + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def test_a_clock_change_day_has_its_real_length():
    # 1 November 2026, New York falls back: 1:00-1:59 happens twice.
    since, until = day(date(2026, 11, 1))
    assert working_minutes(weekly=EVERY_DAY, tz=NY, since=since, until=until) == 24 * 60 + 59
    since, until = day(date(2026, 3, 8))  # springs forward
    assert working_minutes(weekly=EVERY_DAY, tz=NY, since=since, until=until) == 22 * 60 + 59


def test_overlapping_ranges_count_once_and_time_off_comes_off():
    monday = date(2026, 5, 4)
    weekly = [WeeklyRange(0, time(9), time(13)), WeeklyRange(0, time(12), time(17))]
    extra = [DateRule(monday, starts=time(16), ends=time(18))]
    off = [
        Busy(datetime(2026, 5, 4, 8, tzinfo=NY), datetime(2026, 5, 4, 10, tzinfo=NY)),
        Busy(datetime(2026, 5, 4, 9, 30, tzinfo=NY), datetime(2026, 5, 4, 11, tzinfo=NY)),
    ]
    since, until = day(monday)
    minutes = working_minutes(weekly=weekly, rules=extra, off=off, tz=NY, since=since, until=until)
    assert minutes == (18 - 9) * 60 - 2 * 60  # 9:00-18:00, less 9:00-11:00


def test_the_stretch_cuts_the_days_it_starts_and_ends_in():
    weekly = [WeeklyRange(0, time(9), time(17))]
    since = datetime(2026, 5, 4, 12, tzinfo=NY)
    until = datetime(2026, 5, 4, 15, tzinfo=NY)
    assert working_minutes(weekly=weekly, tz=NY, since=since, until=until) == 180
    closed = [DateRule(date(2026, 5, 4), closed=True)]
    assert working_minutes(weekly=weekly, rules=closed, tz=NY, since=since, until=until) == 0
