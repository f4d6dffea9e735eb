"""sessions.availability lays free times out for the booking pages: by day in the viewer's
zone, a week at a time, and reads the hours the agenda shares with the slot finder."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from practitioners.models import DateException
from sessions import slots
from sessions.availability import date_rules, slots_by_day, week_of_slots, weekly_ranges
from tests.factories import DateExceptionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)  # Wednesday
MONDAY = date(2026, 6, 8)
NEW_YORK = ZoneInfo("America/New_York")


def url_for(instant: datetime) -> str:
    return instant.strftime("/at/%H%M/")


def week(practitioner, asked, tz=NEW_YORK):
    return week_of_slots(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        asked=asked,
        tz=tz,
        now=NOW,
        url_for=url_for,
    )


def test_the_week_holds_the_day_asked_for_monday_to_sunday(practitioner):
    shown = week(practitioner, MONDAY + timedelta(days=3))
    assert shown.monday == MONDAY
    assert [day["date"] for day in shown.days] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert shown.previous == date(2026, 6, 1)
    assert shown.next == date(2026, 6, 15)
    assert not shown.is_empty


def test_without_a_day_or_before_this_week_it_is_this_week(practitioner):
    assert week(practitioner, None).monday == date(2026, 6, 1)
    earlier = week(practitioner, date(2026, 1, 5))
    assert earlier.monday == date(2026, 6, 1)
    assert earlier.previous is None


def test_it_stops_at_the_week_of_the_booking_horizon(practitioner):
    practitioner.booking_horizon_days = 10  # up to Saturday 13 June
    shown = week(practitioner, date(2026, 9, 7))
    assert shown.monday == MONDAY
    assert shown.next is None


def test_times_are_grouped_by_the_viewers_day_with_their_links(practitioner):
    # Monday 09:00-17:00 in Los Angeles is 12:00-20:00 in New York.
    (monday,) = slots_by_day(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        first=MONDAY,
        last=MONDAY,
        tz=NEW_YORK,
        now=NOW,
        url_for=url_for,
    )
    assert monday["date"] == MONDAY
    assert monday["times"][0]["local"] == datetime.combine(MONDAY, time(12, 0), NEW_YORK)
    assert monday["times"][0]["url"] == "/at/1600/"
    assert monday["times"][-1]["local"].time() == time(19, 0)


def test_the_hours_read_as_the_slot_finder_reads_them(practitioner):
    DateExceptionFactory(practitioner=practitioner, date=MONDAY, kind=DateException.Kind.CLOSED)
    DateExceptionFactory(
        practitioner=practitioner,
        date=MONDAY + timedelta(days=1),
        kind=DateException.Kind.EXTRA,
        starts=time(10, 0),
        ends=time(12, 0),
    )
    weekly = weekly_ranges(practitioner)
    assert weekly == [slots.WeeklyRange(0, time(9, 0), time(17, 0))]
    rules = date_rules(practitioner, MONDAY, MONDAY + timedelta(days=1))
    assert slots.working_ranges(MONDAY, weekly, rules) == []
    assert slots.working_ranges(MONDAY + timedelta(days=1), weekly, rules) == [
        (time(10, 0), time(12, 0))
    ]
    assert date_rules(practitioner, MONDAY + timedelta(days=2), MONDAY + timedelta(days=9)) == []
