"""sessions.waitlist_rules: which starts suit an entry (in the client's zone, across a DST
change), how long an offer lasts, and how entries are written."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sessions.waitlist_rules import (
    ALL_PARTS,
    ALL_WEEKDAYS,
    describe_days,
    describe_parts,
    fits_in_freed_time,
    indexes,
    mask,
    offer_expiry,
    suits,
    uses_freed_time,
)

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


def test_masks_round_trip():
    assert mask([0, 2, 6]) == 0b1000101
    assert indexes(0b1000101) == [0, 2, 6]
    assert mask(range(7)) == ALL_WEEKDAYS and mask(range(3)) == ALL_PARTS


def entry(**kwargs):
    return {
        "weekdays": mask([0]),
        "parts": mask([0]),
        "first_day": date(2026, 3, 1),
        "last_day": date(2026, 3, 31),
    } | kwargs


def test_a_start_suits_by_the_clients_weekday_part_of_day_and_dates():
    monday_morning = datetime(2026, 3, 9, 11, 59, tzinfo=NEW_YORK)
    assert suits(monday_morning, **entry())
    assert not suits(monday_morning.replace(hour=12), **entry())  # afternoon from 12:00
    assert suits(monday_morning.replace(hour=17), **entry(parts=mask([2])))  # evening
    assert not suits(monday_morning + timedelta(days=1), **entry())  # a Tuesday
    assert not suits(monday_morning, **entry(last_day=date(2026, 3, 8)))


def test_parts_of_the_day_follow_wall_time_across_the_dst_change():
    # 8 March 2026: New York moves to summer time. 14:30 UTC is 09:30 before, 10:30 after.
    before = datetime(2026, 3, 7, 14, 30, tzinfo=UTC).astimezone(NEW_YORK)
    after = datetime(2026, 3, 9, 16, 30, tzinfo=UTC).astimezone(NEW_YORK)
    assert (before.hour, after.hour) == (9, 12)
    assert suits(before, **entry(weekdays=ALL_WEEKDAYS))
    assert not suits(after, **entry(weekdays=ALL_WEEKDAYS))  # 12:30 is the afternoon


def test_an_offer_lasts_its_minutes_but_never_past_the_notice_limit():
    starts = NOW + timedelta(days=2)
    assert offer_expiry(now=NOW, starts_at=starts, offer_minutes=120, notice_hours=24) == (
        NOW + timedelta(minutes=120)
    )
    soon = NOW + timedelta(hours=25)
    assert offer_expiry(now=NOW, starts_at=soon, offer_minutes=120, notice_hours=24) == (
        NOW + timedelta(hours=1)
    )
    assert offer_expiry(now=NOW, starts_at=soon, offer_minutes=120, notice_hours=25) is None


def test_freed_time_is_used_or_filled():
    a, b = NOW, NOW + timedelta(minutes=75)
    assert uses_freed_time(a - timedelta(minutes=30), a + timedelta(minutes=30), a, b)
    assert not uses_freed_time(a - timedelta(minutes=60), a, a, b)  # only touches it
    assert fits_in_freed_time(a, b, a, b)
    assert not fits_in_freed_time(a - timedelta(minutes=30), b, a, b)


def test_entries_are_written_in_words():
    assert describe_days(ALL_WEEKDAYS) == "Any day"
    assert describe_days(mask(range(5))) == "Weekdays"
    assert describe_days(mask([0, 3])) == "Mondays and Thursdays"
    assert describe_days(mask([0, 2, 4])) == "Mondays, Wednesdays and Fridays"
    assert describe_parts(ALL_PARTS) == "any time of day"
    assert describe_parts(mask([0, 2])) == "mornings and evenings"
