"""Working days (Monday to Friday) between two dates, for service targets such as "staff
decide a credential within 2 working days". Pure: plain dates in, no Django, no clock.
Public holidays are not known here: only weekends are skipped.
"""

from datetime import date, timedelta

SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def working_days_between(start: date, end: date) -> int:
    """The working days after `start` up to and including `end` (0 if `end` is not after
    `start`): from a Monday to the Wednesday is 2, from a Friday to the Monday is 1."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, extra + 1):
        if is_working_day(start + timedelta(days=whole_weeks * 7 + offset)):
            count += 1
    return count


def last_start_over(today: date, working_days: int) -> date:
    """The latest date from which more than `working_days` working days have passed by
    `today`: anything started on or before it is over that target (a cut-off a database
    filter can use)."""
    day, counted = today, 0
    while counted <= working_days:
        if is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return day
