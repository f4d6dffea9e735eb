"""The dates of a series and "book again" (sessions.series, pure): the same weekday and local
wall-clock time every N weeks in the practitioner's zone, across clock changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sessions.series import again_starts, nearest_times, series_starts

LA = ZoneInfo("America/Los_Angeles")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LA)


def test_a_fortnightly_series_keeps_the_weekday_and_local_time():
    starts = series_starts(first=local(2026, 6, 8, 10, 30), tz=LA, every_weeks=2, count=6)

    assert len(starts) == 6
    assert [s.astimezone(LA).date().isoformat() for s in starts] == [
        "2026-06-08",
        "2026-06-22",
        "2026-07-06",
        "2026-07-20",
        "2026-08-03",
        "2026-08-17",
    ]
    assert {s.astimezone(LA).time() for s in starts} == {time(10, 30)}
    assert all(s.tzinfo is UTC for s in starts)


def test_across_the_autumn_clock_change_the_local_time_stays_and_utc_moves():
    # Los Angeles falls back on Sunday 1 November 2026: 10:00 is 17:00 UTC before, 18:00 after.
    starts = series_starts(first=local(2026, 10, 26, 10), tz=LA, every_weeks=1, count=3)

    assert [s.astimezone(LA).hour for s in starts] == [10, 10, 10]
    assert [s.hour for s in starts] == [17, 18, 18]


def test_across_the_spring_clock_change_the_local_time_stays():
    # Spring forward on Sunday 8 March 2026: 10:00 is 18:00 UTC before, 17:00 after.
    starts = series_starts(first=local(2026, 3, 2, 10), tz=LA, every_weeks=1, count=2)

    assert [s.hour for s in starts] == [18, 17]


def test_a_time_the_clock_change_skips_has_no_start_that_day():
    # 02:30 on Sunday 8 March 2026 does not exist in Los Angeles.
    starts = series_starts(first=local(2026, 3, 1, 2, 30), tz=LA, every_weeks=1, count=3)

    assert starts[1] is None
    assert starts[0].astimezone(LA).time() == starts[2].astimezone(LA).time() == time(2, 30)


def test_every_four_weeks_for_twelve_sessions_spans_forty_four_weeks():
    starts = series_starts(first=local(2026, 6, 8, 9), tz=LA, every_weeks=4, count=12)

    assert starts[-1].astimezone(LA).date() - starts[0].astimezone(LA).date() == timedelta(weeks=44)


def test_nearest_free_times_are_the_closest_in_local_time_shown_in_order():
    day = [
        local(2026, 6, 8, h, m).astimezone(UTC)
        for h, m in [(9, 0), (11, 0), (11, 30), (14, 0), (16, 0)]
    ]

    nearest = nearest_times(day, time(12, 0), LA)

    assert [t.astimezone(LA).strftime("%H:%M") for t in nearest] == ["11:00", "11:30", "14:00"]


def test_nearest_free_times_of_a_day_without_any_are_none():
    assert nearest_times([], time(10, 0), LA) == []


def test_book_again_offers_the_same_local_time_one_to_four_weeks_later_across_a_clock_change():
    again = again_starts(local(2026, 10, 19, 10).astimezone(UTC), LA)

    assert [weeks for weeks, _ in again] == [1, 2, 3, 4]
    assert [s.astimezone(LA).strftime("%a %d %H:%M") for _, s in again] == [
        "Mon 26 10:00",
        "Mon 02 10:00",
        "Mon 09 10:00",
        "Mon 16 10:00",
    ]
    assert [s.hour for _, s in again] == [17, 18, 18, 18]  # UTC moves with the clocks
