"""Forms of the practitioner's calendar: moving a booking on the client's behalf. They
validate input and nothing else; sessions.booking.reschedule_booking decides whether the move
can be made."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reflexbook.lib.local_time import local_instant
from sessions.forms.agenda import _reason_field
from sessions.forms.booking import (
    FIRST_START_YEAR,
    LAST_START_YEAR,
    instant_field,
    shown_instant,
)
from sessions.slots import on_grid

# The calendar's rows: a session moved by hand starts on a quarter hour.
QUARTER_HOUR = dt.timedelta(minutes=15)


class MoveForm(forms.Form):
    """A new date and time in the practice's zone (`zone`), whether a time outside working
    hours is meant, and the reason the client is given; `cleaned_data["start"]` is the UTC
    instant."""

    date = forms.DateField(
        label=gettext_lazy("New date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Choose the new date."),
            "invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2026-03-09."),
        },
    )
    time = forms.TimeField(
        label=gettext_lazy("New start time"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose the new start time."),
            "invalid": gettext_lazy("Enter the time as HH:MM, e.g. 14:30."),
        },
    )
    # The calendar cell's UTC instant (static/js/calendar.js): tells the two 01:15s of the
    # night the clocks go back apart, where the date and time alone mean the first.
    instant = instant_field()
    outside_hours = forms.BooleanField(
        label=gettext_lazy(
            "Outside my hours: move it to this time even if it is outside my working hours"
        ),
        required=False,
    )
    reason = _reason_field(
        gettext_lazy("Reason for moving the session"),
        gettext_lazy("Give the client a reason for moving their session."),
        gettext_lazy("Sent to the client in the email with the new time."),
    )

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_date(self) -> dt.date:
        value = self.cleaned_data["date"]
        if not FIRST_START_YEAR <= value.year <= LAST_START_YEAR:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_START_YEAR, "last": LAST_START_YEAR},
                code="out_of_range",
            )
        return value

    def clean_time(self) -> dt.time:
        value = self.cleaned_data["time"]
        if not on_grid(dt.datetime.combine(dt.date.min, value), QUARTER_HOUR):
            raise forms.ValidationError(
                _("Choose a time on the quarter hour (:00, :15, :30 or :45)."), code="off_grid"
            )
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        if shown := shown_instant(cleaned.get("instant", ""), day, time, self.zone):
            cleaned["start"] = shown
            return cleaned
        cleaned["start"] = local_instant(day, time, self.zone)
        if cleaned["start"] is None:
            self.add_error(
                "time",
                forms.ValidationError(
                    _(
                        "%(time)s does not exist on %(day)s: the clocks go forward. Choose a "
                        "time after the change."
                    )
                    % {"time": f"{time:%H:%M}", "day": dateformat.format(day, _("j F"))},
                    code="nonexistent",
                ),
            )
        return cleaned
