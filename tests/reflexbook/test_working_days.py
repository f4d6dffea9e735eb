"""Working days between two dates (reflexbook.lib.working_days): weekends are not counted,
and the cut-off for "over the target" agrees with the count for every day."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from reflexbook.lib.working_days import last_start_over, working_days_between

# 2026-12-07 is a Monday.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 12, 7) + timedelta(days=n) for n in range(7))
NEXT_MON = MON + timedelta(days=7)
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_the_same_day_and_earlier_ends_are_no_working_days():
    assert working_days_between(WED, WED) == 0
    assert working_days_between(WED, MON) == 0


def test_days_after_the_start_count_up_to_and_including_the_end():
    assert working_days_between(MON, TUE) == 1
    assert working_days_between(MON, WED) == 2
    assert working_days_between(MON, FRI) == 4


def test_weekends_are_not_counted():
    assert working_days_between(FRI, SAT) == 0
    assert working_days_between(FRI, SUN) == 0
    assert working_days_between(FRI, NEXT_MON) == 1
    assert working_days_between(SAT, NEXT_MON) == 1
    assert working_days_between(SAT, SUN) == 0
    assert working_days_between(MON, NEXT_MON) == 5


def test_long_spans_count_five_a_week():
    assert working_days_between(MON, MON + timedelta(weeks=52)) == 260
    assert working_days_between(WED, WED + timedelta(weeks=3, days=2)) == 17


@given(DAYS, DAYS)
def test_the_count_is_the_weekdays_after_the_start(start, end):
    days = [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]
    assert working_days_between(start, end) == sum(day.weekday() < 5 for day in days)


def test_the_cut_off_for_two_working_days():
    # On a Thursday, something started on Monday has waited 3 working days: over 2.
    assert last_start_over(THU, 2) == MON
    # On a Monday, the Wednesday before (Thu, Fri, Mon).
    assert last_start_over(NEXT_MON, 2) == WED
    # On a Saturday, as on the Friday before it.
    assert last_start_over(SAT, 2) == TUE


@given(DAYS, st.integers(min_value=0, max_value=15))
def test_started_on_or_before_the_cut_off_is_exactly_over_the_target(today, target):
    cut_off = last_start_over(today, target)
    assert working_days_between(cut_off, today) > target
    assert working_days_between(cut_off + timedelta(days=1), today) <= target
