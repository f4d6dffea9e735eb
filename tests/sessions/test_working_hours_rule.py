"""sessions.slots.in_working_hours: whether a session lies inside the working hours of its
local day (the rule free_slots applies, without the start grid): what lets a practitioner
book off their grid, and asks them to confirm a time outside their hours."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessions.slots import DateRule, WeeklyRange, in_working_hours

LA = ZoneInfo("America/Los_Angeles")
MONDAY = date(2026, 6, 8)
WEEKLY = [WeeklyRange(0, time(9), time(12, 30)), WeeklyRange(0, time(13, 30), time(17))]
HOUR = timedelta(hours=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LA).astimezone(UTC)


def inside(starts_at: datetime, length: timedelta = HOUR, rules=()) -> bool:
    return in_working_hours(starts_at=starts_at, length=length, weekly=WEEKLY, rules=rules, tz=LA)


def test_a_session_inside_a_range_is_in_hours_on_or_off_the_grid():
    assert inside(at(MONDAY, 9))
    assert inside(at(MONDAY, 10, 25))
    assert inside(at(MONDAY, 16))  # ends exactly at 17:00


def test_a_session_over_the_lunch_break_or_past_the_end_is_not():
    assert not inside(at(MONDAY, 12))
    assert not inside(at(MONDAY, 16, 30))
    assert not inside(at(MONDAY, 8, 30))
    assert not inside(at(MONDAY + timedelta(days=1), 10))  # Tuesday: no hours


def test_date_exceptions_close_a_day_or_add_hours():
    closed = [DateRule(MONDAY, closed=True)]
    extra = [DateRule(MONDAY, starts=time(18), ends=time(20))]

    assert not inside(at(MONDAY, 10), rules=closed)
    assert inside(at(MONDAY, 18, 30), rules=extra)


def test_hours_follow_the_wall_clock_across_a_clock_change():
    """9:00 on the Monday after the clocks go back is 17:00 UTC, not 16:00."""
    after_change = date(2026, 11, 2)

    assert inside(datetime(2026, 11, 2, 17, 0, tzinfo=UTC))
    assert not inside(datetime(2026, 11, 2, 16, 0, tzinfo=UTC))
    assert at(after_change, 9) == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
