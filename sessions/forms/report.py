"""The practice report's range: a month, or from and to dates."""

import calendar
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from sessions.practice_report import MAX_DAYS

DATE_ERRORS = {"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2026-05-01.")}
# The years a report can cover: a practice's own, with room either side (and far from the
# calendar's ends, where a day's bounds or the next month's link would not exist).
FIRST_YEAR, LAST_YEAR = 2000, 2099


def month_range(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


class MonthField(forms.DateField):
    """A month as YYYY-MM (what <input type="month"> sends), read as its first day."""

    input_formats = ["%Y-%m"]


class PracticeReportForm(forms.Form):
    """A month, or from and to (both included; they win over a month, the page sends one or
    the other); all empty, the current month."""

    month = MonthField(
        label=gettext_lazy("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Enter the month as YYYY-MM, e.g. 2026-05.")},
    )
    start = forms.DateField(
        label=gettext_lazy("Or from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=gettext_lazy("To (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        month, start, end = cleaned.get("month"), cleaned.get("start"), cleaned.get("end")
        if start or end:
            start = start or (end or self.today).replace(day=1)
            end = end or month_range(start)[1]
        else:
            start, end = month_range(month or self.today)
        if start.year < FIRST_YEAR or end.year > LAST_YEAR:
            self.add_error(
                None,
                ValidationError(
                    gettext_lazy("Choose days from %(first)s to %(last)s."),
                    code="out_of_range",
                    params={"first": FIRST_YEAR, "last": LAST_YEAR},
                ),
            )
        elif end < start:
            self.add_error(
                "end",
                ValidationError(
                    gettext_lazy(
                        "The end date (%(end)s) is before the start date (%(start)s): choose "
                        "an end on or after the start."
                    ),
                    code="end_before_start",
                    params={"end": end.isoformat(), "start": start.isoformat()},
                ),
            )
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "end",
                ValidationError(
                    gettext_lazy(
                        "The report covers at most a year (%(days)s days): choose an end "
                        "before %(limit)s."
                    ),
                    code="range_too_long",
                    params={
                        "days": MAX_DAYS,
                        "limit": (start + timedelta(days=MAX_DAYS)).isoformat(),
                    },
                ),
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
