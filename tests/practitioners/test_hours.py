import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from practitioners.hours import (
    NonexistentLocalTime,
    first_overlap,
    local_to_utc,
    overlaps,
    weekly_range_problems,
)

MON, TUE = 0, 1
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


def test_local_to_utc_uses_winter_and_summer_offsets_across_the_march_change():
    # Clocks in Los Angeles go forward on Sunday 8 March 2026.
    assert local_to_utc(dt.date(2026, 3, 7), t("10:00"), LA) == dt.datetime(
        2026, 3, 7, 18, tzinfo=dt.UTC
    )
    assert local_to_utc(dt.date(2026, 3, 9), t("10:00"), LA) == dt.datetime(
        2026, 3, 9, 17, tzinfo=dt.UTC
    )


def test_local_to_utc_refuses_the_skipped_hour():
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(dt.date(2026, 3, 8), t("02:30"), LA)


def test_local_to_utc_takes_the_first_of_a_repeated_time_in_november():
    # 01:30 happens twice on Sunday 1 November 2026: first at -07:00, then at -08:00.
    assert local_to_utc(dt.date(2026, 11, 1), t("01:30"), LA) == dt.datetime(
        2026, 11, 1, 8, 30, tzinfo=dt.UTC
    )
