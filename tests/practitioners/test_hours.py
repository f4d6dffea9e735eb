import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from practitioners.hours import (
    copy_monday_to_weekdays,
    day_start,
    first_overlap,
    format_duration,
    minutes_worked,
    overlaps,
    week_summary,
    weekly_range_problems,
    whole_days,
    whole_days_span,
)

MON, TUE, SAT = 0, 1, 5
LA = ZoneInfo("America/Los_Angeles")


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def messages(ranges):
    return [problem.message for problem in weekly_range_problems(ranges)]


def test_separate_and_touching_ranges_are_fine():
    ranges = [
        (MON, t("09:00"), t("12:00")),
        (MON, t("12:00"), t("17:00")),
        (TUE, t("09:00"), t("17:00")),
    ]
    assert weekly_range_problems(ranges) == []


def test_a_break_is_a_gap_between_two_ranges():
    assert messages([(MON, t("09:00"), t("12:00")), (MON, t("13:00"), t("17:00"))]) == []


def test_overlap_names_both_ranges():
    ranges = [(MON, t("09:00"), t("13:00")), (MON, t("12:00"), t("14:00"))]
    assert messages(ranges) == ["Monday 12:00–14:00 overlaps Monday 09:00–13:00."]


def test_overlap_is_reported_on_the_later_range_whatever_the_order_typed():
    ranges = [(MON, t("12:00"), t("14:00")), (MON, t("09:00"), t("13:00"))]
    problems = weekly_range_problems(ranges)
    assert [(p.index, p.message) for p in problems] == [
        (0, "Monday 12:00–14:00 overlaps Monday 09:00–13:00.")
    ]


def test_a_range_inside_another_overlaps_it():
    ranges = [(MON, t("09:00"), t("17:00")), (MON, t("10:00"), t("11:00"))]
    assert messages(ranges) == ["Monday 10:00–11:00 overlaps Monday 09:00–17:00."]


def test_same_times_on_different_days_do_not_overlap():
    assert messages([(MON, t("09:00"), t("17:00")), (TUE, t("09:00"), t("17:00"))]) == []


def test_backwards_range_is_named():
    assert messages([(TUE, t("17:00"), t("09:00"))]) == [
        "Tuesday 17:00–09:00 ends before it starts."
    ]


def test_empty_range_is_named():
    assert messages([(TUE, t("09:00"), t("09:00"))]) == ["Tuesday 09:00–09:00 ends when it starts."]


def test_same_range_twice_is_named():
    ranges = [(MON, t("09:00"), t("12:00")), (MON, t("09:00"), t("12:00"))]
    assert [(p.index, p.message) for p in weekly_range_problems(ranges)] == [
        (1, "Monday 09:00–12:00 is entered twice.")
    ]


def test_a_backwards_range_is_not_also_reported_as_overlapping():
    ranges = [(MON, t("09:00"), t("17:00")), (MON, t("16:00"), t("10:00"))]
    assert messages(ranges) == ["Monday 16:00–10:00 ends before it starts."]


def test_every_problem_is_reported_in_input_order():
    ranges = [
        (TUE, t("17:00"), t("09:00")),
        (MON, t("09:00"), t("13:00")),
        (MON, t("12:00"), t("14:00")),
        (6, t("10:00"), t("12:00")),
        (6, t("11:00"), t("15:00")),
    ]
    assert [(p.index, p.message) for p in weekly_range_problems(ranges)] == [
        (0, "Tuesday 17:00–09:00 ends before it starts."),
        (2, "Monday 12:00–14:00 overlaps Monday 09:00–13:00."),
        (4, "Sunday 11:00–15:00 overlaps Sunday 10:00–12:00."),
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("09:00", "12:00"), ("12:00", "13:00"), False),
        (("09:00", "12:00"), ("11:59", "13:00"), True),
        (("09:00", "12:00"), ("08:00", "09:00"), False),
        (("09:00", "12:00"), ("08:00", "18:00"), True),
    ],
)
def test_overlaps_excludes_touching_ends(a, b, expected):
    assert overlaps((t(a[0]), t(a[1])), (t(b[0]), t(b[1]))) is expected


def test_first_overlap_returns_the_earliest_clashing_range():
    others = [(t("15:00"), t("18:00")), (t("09:00"), t("11:00")), (t("10:30"), t("12:00"))]
    assert first_overlap(t("10:00"), t("16:00"), others) == (t("09:00"), t("11:00"))
    assert first_overlap(t("11:00"), t("15:00"), others[:2]) is None


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_copy_monday_replaces_tuesday_to_friday_and_keeps_the_weekend():
    week = copy_monday_to_weekdays({0: ["a", "b"], 1: ["x"], 5: ["sat"], 6: []})
    assert week == {
        0: ["a", "b"],
        1: ["a", "b"],
        2: ["a", "b"],
        3: ["a", "b"],
        4: ["a", "b"],
        5: ["sat"],
        6: [],
    }


def test_copy_of_an_empty_monday_empties_the_weekdays():
    assert copy_monday_to_weekdays({2: ["x"]})[2] == []


def test_copies_are_separate_lists():
    week = copy_monday_to_weekdays({0: ["a"]})
    week[1].append("b")
    assert week[0] == ["a"]


def test_minutes_worked_adds_the_ranges_of_a_day():
    assert minutes_worked([(t("09:00"), t("12:30")), (t("13:30"), t("17:00"))]) == 420


def test_minutes_worked_counts_overlapping_time_once_and_backwards_ranges_not_at_all():
    ranges = [
        (t("09:00"), t("12:00")),
        (t("11:00"), t("13:00")),
        (t("10:00"), t("10:30")),
        (t("17:00"), t("16:00")),
    ]
    assert minutes_worked(ranges) == 240


def test_minutes_worked_of_no_ranges_is_zero():
    assert minutes_worked([]) == 0


def test_week_summary_leaves_out_a_backwards_range():
    summary = week_summary([(SAT, t("10:00"), t("09:00"))])
    assert summary[SAT].ranges == []
    assert summary[SAT].minutes == 0


def test_week_summary_lists_every_day_with_its_ranges_in_order():
    summary = week_summary([(TUE, t("13:30"), t("17:00")), (TUE, t("09:00"), t("12:30"))])
    assert [day.name for day in summary][:2] == ["Monday", "Tuesday"]
    assert len(summary) == 7
    assert summary[MON].minutes == 0
    assert summary[TUE].duration == "7 h"
    assert summary[TUE].ranges_text == "09:00–12:30, 13:30–17:00"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 h"), (45, "45 min"), (60, "1 h"), (450, "7 h 30 min"), (2325, "38 h 45 min")],
)
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


def test_day_start_is_local_midnight_in_utc():
    assert day_start(dt.date(2026, 3, 7), LA) == utc(2026, 3, 7, 8)
    assert day_start(dt.date(2026, 3, 9), LA) == utc(2026, 3, 9, 7)


def test_day_start_where_the_clocks_skip_midnight_is_the_first_moment_that_exists():
    # Santiago moves from 00:00 to 01:00 on Sunday 6 September 2026 (-04:00 to -03:00).
    santiago = ZoneInfo("America/Santiago")
    start = day_start(dt.date(2026, 9, 6), santiago)
    assert start == utc(2026, 9, 6, 4)
    assert start.astimezone(santiago).time() == dt.time(1)


def test_whole_days_over_the_march_change_are_one_hour_short():
    # Los Angeles springs forward on Sunday 8 March 2026.
    starts_at, ends_at = whole_days_span(dt.date(2026, 3, 7), dt.date(2026, 3, 9), LA)
    assert (starts_at, ends_at) == (utc(2026, 3, 7, 8), utc(2026, 3, 10, 7))
    assert ends_at - starts_at == dt.timedelta(days=3, hours=-1)


def test_one_whole_day_in_november_has_25_hours():
    starts_at, ends_at = whole_days_span(dt.date(2026, 11, 1), dt.date(2026, 11, 1), LA)
    assert ends_at - starts_at == dt.timedelta(hours=25)


def test_whole_days_reads_back_the_dates_of_a_whole_days_span():
    span = whole_days_span(dt.date(2026, 3, 7), dt.date(2026, 3, 9), LA)
    assert whole_days(*span, LA) == (dt.date(2026, 3, 7), dt.date(2026, 3, 9))


def test_whole_days_is_none_for_time_off_that_starts_or_ends_during_a_day():
    assert whole_days(utc(2026, 3, 7, 18), utc(2026, 3, 10, 7), LA) is None
    assert whole_days(utc(2026, 3, 7, 8), utc(2026, 3, 9, 17), LA) is None


def test_whole_days_depend_on_the_zone():
    span = whole_days_span(dt.date(2026, 3, 7), dt.date(2026, 3, 7), LA)
    assert whole_days(*span, ZoneInfo("Europe/London")) is None
