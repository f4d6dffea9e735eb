"""The verification report's date range."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_DAYS = 30
DATE_ERRORS = {"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2026-05-01.")}


class ReportRangeForm(forms.Form):
    """From and to (both included); left empty, the last 30 days up to today."""

    start = forms.DateField(
        label=gettext_lazy("From"),
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
        self.default_start = today - timedelta(days=DEFAULT_DAYS - 1)

    def clean(self):
        cleaned = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        start = cleaned.get("start") or self.default_start
        end = cleaned.get("end") or self.today
        if end < start:
            self.add_error(
                "end",
                ValidationError(
                    _(
                        "The end date (%(end)s) is before the start date (%(start)s): choose an "
                        "end on or after the start."
                    ),
                    code="end_before_start",
                    params={"end": end.isoformat(), "start": start.isoformat()},
                ),
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
