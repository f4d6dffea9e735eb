"""The practitioner's calendar: weekly hours, date exceptions and time off, typed in their
own zone. Validates input and nothing else; the views save."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from practitioners import hours
from practitioners.models import DateException, Practitioner
from reflexbook.lib.local_time import local_instant
from reflexbook.lib.text import single_line

# Time off is planned at most this far ahead; beyond it, hiding the profile says the same, and
# dates near year 9999 would overflow once turned into instants.
TIME_OFF_MAX_YEARS_AHEAD = 5
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def long_date(day: dt.date) -> str:
    """`Monday 6 April 2026`: how dates are named in messages (in the active language)."""
    return date_format(day, _("l j F Y"))


# Ranges a day may have; the "add a range" button goes once a day has this many.
MAX_RANGES_A_DAY = 6


class HoursRangeForm(forms.Form):
    """One range of working time on the weekday of its formset. A row may be left empty
    (so no field is marked required); Django skips an empty row before clean(), so any row
    that gets there is in use and needs both times."""

    starts = forms.TimeField(
        label=pgettext_lazy("time of day", "From"), widget=TIME_INPUT, required=False
    )
    ends = forms.TimeField(
        label=pgettext_lazy("time of day", "Until"), widget=TIME_INPUT, required=False
    )

    MISSING = {
        "starts": gettext_lazy("Enter the start time."),
        "ends": gettext_lazy("Enter the end time."),
    }

    def clean(self):
        cleaned = super().clean()
        for name, message in self.MISSING.items():
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(name, ValidationError(message, code="required"))
        return cleaned


class BaseDayFormSet(forms.BaseFormSet):
    """The ranges of one weekday, prefixed `day<weekday>`."""

    def __init__(self, *args, weekday: int, **kwargs):
        self.weekday = weekday
        self.name = hours.WEEKDAY_NAMES[weekday]
        super().__init__(*args, prefix=f"day{weekday}", **kwargs)

    def initial_form_count(self) -> int:
        # The week is replaced whole on saving, so a posted row is never "an existing one":
        # every row may be empty (and skipped), wherever it is.
        return 0 if self.is_bound else super().initial_form_count()

    def _kept_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if form.cleaned_data]

    def clean(self):
        if any(self.errors):
            return
        rows = self._kept_forms()
        ranges = [(self.weekday, f.cleaned_data["starts"], f.cleaned_data["ends"]) for f in rows]
        for problem in hours.weekly_range_problems(ranges):
            rows[problem.index].add_error(None, ValidationError(problem.message, code="bad_range"))

    def ranges(self) -> list[tuple[int, dt.time, dt.time]]:
        """The (weekday, start, end) ranges to keep, once the formset is valid."""
        return [
            (self.weekday, form.cleaned_data["starts"], form.cleaned_data["ends"])
            for form in self._kept_forms()
        ]

    def typed_rows(self) -> list[dict[str, str]]:
        """Each row as typed (strings, valid or not), empty rows included."""
        return [
            {name: form[name].value() or "" for name in ("starts", "ends")} for form in self.forms
        ]

    @property
    def can_add(self) -> bool:
        return self.total_form_count() < MAX_RANGES_A_DAY


DayFormSet = forms.formset_factory(
    HoursRangeForm,
    formset=BaseDayFormSet,
    extra=0,
    max_num=MAX_RANGES_A_DAY,
    validate_max=True,
    # Rows removed in the browser stay behind as empty ones, so allow some slack.
    absolute_max=4 * MAX_RANGES_A_DAY,
)
EMPTY_ROW = {"starts": "", "ends": ""}


class WeekHoursForm:
    """The whole week in one form: a formset of ranges per weekday. Posted with `add`
    (a weekday), `remove` (`<weekday>-<row>`) or `copy`, it is not saved but rearranged,
    keeping every row as typed: so ranges are added and removed without JavaScript."""

    copy_targets = hours.WEEKDAYS_AFTER_MONDAY

    def __init__(self, data=None, *, rows: dict[int, list[dict[str, str]]] | None = None):
        rows = rows or {}
        self.is_bound = data is not None
        self.days = []
        for weekday in range(7):
            # Every day shows at least one row to type in; empty rows mean no hours.
            initial = rows.get(weekday) or [EMPTY_ROW]
            self.days.append(
                DayFormSet(data, weekday=weekday, initial=None if self.is_bound else initial)
            )

    @classmethod
    def from_ranges(cls, ranges: Iterable[tuple[int, dt.time, dt.time]]) -> "WeekHoursForm":
        rows: dict[int, list[dict[str, str]]] = {}
        for weekday, starts, ends in ranges:
            rows.setdefault(weekday, []).append(
                {"starts": f"{starts:%H:%M}", "ends": f"{ends:%H:%M}"}
            )
        return cls(rows=rows)

    def rows(self) -> dict[int, list[dict[str, str]]]:
        """Each weekday's rows as typed (posted) or shown (not posted)."""
        if self.is_bound:
            return {day.weekday: day.typed_rows() for day in self.days}
        return {day.weekday: list(day.initial) for day in self.days}

    def rearranged(self, data) -> "WeekHoursForm | None":
        """The week to show after an `add`, `remove` or `copy` button, or None for a save."""
        rows = self.rows()
        if "copy" in data:
            rows = hours.copy_monday_to_weekdays(rows)
        elif "add" in data:
            weekday = _number(data["add"], below=7)
            if weekday is not None and len(rows[weekday]) < MAX_RANGES_A_DAY:
                rows[weekday] = [*rows[weekday], EMPTY_ROW]
        elif "remove" in data:
            weekday, _, index = str(data["remove"]).partition("-")
            weekday = _number(weekday, below=7)
            if weekday is not None:
                index = _number(index, below=len(rows[weekday]))
                if index is not None:
                    del rows[weekday][index]
        else:
            return None
        return WeekHoursForm(rows=rows)

    def is_valid(self) -> bool:
        # Validate every day (not only up to the first with a problem), to show every error.
        valid = [day.is_valid() for day in self.days]
        return all(valid)

    def ranges(self) -> list[tuple[int, dt.time, dt.time]]:
        """Every (weekday, start, end) range to keep, once the form is valid."""
        return [one for day in self.days for one in day.ranges()]

    @property
    def total_error_count(self) -> int:
        return sum(day.total_error_count() for day in self.days) if self.is_bound else 0

    @cached_property
    def summary(self) -> list[hours.DaySummary]:
        """The week summary of the rows whose times read as times, valid or not yet."""
        field = forms.TimeField()
        typed = []
        for weekday, rows in self.rows().items():
            for row in rows:
                try:
                    typed.append((weekday, field.clean(row["starts"]), field.clean(row["ends"])))
                except ValidationError:
                    continue
        return hours.week_summary(typed)

    @property
    def week_duration(self) -> str:
        return hours.format_duration(sum(day.minutes for day in self.summary))


def _number(text, *, below: int) -> int | None:
    """`text` as a whole number from 0 to below-1, or None (a tampered button value)."""
    text = str(text)
    return int(text) if text.isdigit() and int(text) < below else None


class DateExceptionForm(forms.ModelForm):
    """One date that differs from the weekly hours: extra hours, or closed all day."""

    class Meta:
        model = DateException
        fields = ["date", "kind", "starts", "ends"]
        labels = {
            "date": gettext_lazy("Date"),
            "kind": gettext_lazy("On that date"),
            "starts": pgettext_lazy("time of day", "From"),
            "ends": pgettext_lazy("time of day", "Until"),
        }
        help_texts = {
            "starts": gettext_lazy("Only for extra hours."),
            "ends": gettext_lazy("Only for extra hours."),
        }
        widgets = {
            "date": DATE_INPUT,
            "kind": forms.RadioSelect,
            "starts": TIME_INPUT,
            "ends": TIME_INPUT,
        }
        error_messages = {
            "date": {
                "required": gettext_lazy("Enter the date."),
                "invalid": gettext_lazy("Enter a date such as 2026-04-06."),
            },
            "kind": {"required": gettext_lazy("Choose extra hours or closed all day.")},
        }

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, instance=DateException(practitioner=practitioner), **kwargs)
        self.practitioner = practitioner
        self.fields["kind"].choices = DateException.Kind.choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "date",
            "kind",
            Row(Column("starts", css_class="col-6"), Column("ends", css_class="col-6")),
        )
        self.helper.add_input(Submit("submit", _("Add this date")))

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate(timezone=ZoneInfo(self.practitioner.timezone))
        if day < today:
            raise ValidationError(
                _("%(date)s has passed. Choose today or a later date."),
                code="past_date",
                params={"date": long_date(day)},
            )
        return day

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if not day or not kind:
            return cleaned
        same_day = list(self.practitioner.date_exceptions.filter(date=day))
        if kind == DateException.Kind.CLOSED:
            # A closed day has no times; ignore any that were typed.
            cleaned["starts"] = cleaned["ends"] = None
            if same_day:
                closed = any(e.kind == DateException.Kind.CLOSED for e in same_day)
                message = (
                    _("%(date)s is already marked closed.")
                    if closed
                    else _("You have extra hours on %(date)s. Delete them first to close the day.")
                )
                self.add_error(
                    "date",
                    ValidationError(message, code="date_taken", params={"date": long_date(day)}),
                )
            return cleaned

        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if not starts:
            self.add_error(
                "starts", ValidationError(_("Enter when the extra hours start."), code="required")
            )
        if not ends:
            self.add_error(
                "ends", ValidationError(_("Enter when the extra hours end."), code="required")
            )
        if not starts or not ends:
            return cleaned
        if ends <= starts:
            self.add_error(
                "ends",
                ValidationError(
                    _("%(range)s ends before it starts."),
                    code="backwards_range",
                    params={"range": hours.format_range(starts, ends)},
                ),
            )
            return cleaned
        if any(e.kind == DateException.Kind.CLOSED for e in same_day):
            self.add_error(
                "date",
                ValidationError(
                    _("%(date)s is marked closed. Delete that first to add hours."),
                    code="date_closed",
                    params={"date": long_date(day)},
                ),
            )
            return cleaned
        clash = hours.first_overlap(starts, ends, [(e.starts, e.ends) for e in same_day])
        if clash:
            self.add_error(
                "starts",
                ValidationError(
                    _("%(range)s overlaps your extra hours %(other)s on %(date)s."),
                    code="overlapping_range",
                    params={
                        "range": hours.format_range(starts, ends),
                        "other": hours.format_range(*clash),
                        "date": long_date(day),
                    },
                ),
            )
        return cleaned


class TimeOffForm(forms.Form):
    """A stretch of time off in the practitioner's zone: whole days (midnight to midnight,
    no times to type) or from a time to a time. `starts_at`/`ends_at` in cleaned_data are
    the UTC instants to store."""

    class Length(models.TextChoices):
        WHOLE_DAYS = "days", gettext_lazy("Whole days")
        PART_OF_A_DAY = "times", gettext_lazy("Part of a day (from a time to a time)")

    length = forms.ChoiceField(
        label=gettext_lazy("How long"),
        choices=Length.choices,
        initial=Length.WHOLE_DAYS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whole days or part of a day.")},
    )
    starts_date = forms.DateField(
        label=gettext_lazy("From (date)"),
        widget=DATE_INPUT,
        error_messages={"required": gettext_lazy("Enter the first date.")},
    )
    ends_date = forms.DateField(
        label=gettext_lazy("Until (date)"),
        widget=DATE_INPUT,
        help_text=gettext_lazy("For whole days, the last day you are away (included)."),
        error_messages={"required": gettext_lazy("Enter the last date.")},
    )
    starts_time = forms.TimeField(
        label=gettext_lazy("From (time)"),
        widget=TIME_INPUT,
        required=False,
        help_text=gettext_lazy("Only for part of a day."),
    )
    ends_time = forms.TimeField(
        label=gettext_lazy("Until (time)"),
        widget=TIME_INPUT,
        required=False,
        help_text=gettext_lazy("Only for part of a day."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        required=False,
        validators=[single_line],
        help_text=gettext_lazy("Only you see this, e.g. Holiday or Training course."),
    )

    TIMES_MISSING = {
        "starts_time": gettext_lazy("Enter the start time."),
        "ends_time": gettext_lazy("Enter the end time."),
    }

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(practitioner.timezone)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("length"),
            Row(Column("starts_date", css_class="col-6"), Column("ends_date", css_class="col-6")),
            Row(
                Column("starts_time", css_class="col-6"),
                Column("ends_time", css_class="col-6"),
                data_part_of_day_only="",
            ),
            Field("reason"),
        )
        self.helper.add_input(Submit("submit", _("Add time off")))

    def _check_date(self, which: str) -> dt.date:
        day = self.cleaned_data[f"{which}_date"]
        today = timezone.localdate(timezone=self.zone)
        try:
            last = today.replace(year=today.year + TIME_OFF_MAX_YEARS_AHEAD)
        except ValueError:  # 29 February, in a year that has none
            last = today.replace(year=today.year + TIME_OFF_MAX_YEARS_AHEAD, day=28)
        if day > last:
            raise ValidationError(
                _(
                    "Enter a date up to %(years)d years ahead (by %(last)s). For a longer break, "
                    "tick “hide my profile” on your profile instead."
                ),
                code="too_far_ahead",
                params={"years": TIME_OFF_MAX_YEARS_AHEAD, "last": long_date(last)},
            )
        if day.year < today.year - 1:
            raise ValidationError(
                _("Enter a date from last year onwards, such as %(today)s."),
                code="too_far_back",
                params={"today": f"{today:%Y-%m-%d}"},
            )
        return day

    def clean_starts_date(self) -> dt.date:
        return self._check_date("starts")

    def clean_ends_date(self) -> dt.date:
        return self._check_date("ends")

    def _instant(self, which: str) -> dt.datetime | None:
        day, time = self.cleaned_data.get(f"{which}_date"), self.cleaned_data.get(f"{which}_time")
        if day is None or time is None:
            return None
        instant = local_instant(day, time, self.zone)
        if instant is None:
            self.add_error(
                f"{which}_time",
                ValidationError(
                    _(
                        "%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward "
                        "then. Choose a time an hour later."
                    ),
                    code="nonexistent_time",
                    params={"time": f"{time:%H:%M}", "date": long_date(day), "zone": self.zone.key},
                ),
            )
        return instant

    def _whole_days(self) -> tuple[dt.datetime, dt.datetime] | None:
        first, last = self.cleaned_data.get("starts_date"), self.cleaned_data.get("ends_date")
        if first is None or last is None:
            return None
        if last < first:
            self.add_error(
                "ends_date",
                ValidationError(
                    _("The last day off must be on or after the first, %(first)s."),
                    code="backwards_range",
                    params={"first": long_date(first)},
                ),
            )
            return None
        return hours.whole_days_span(first, last, self.zone)

    def _part_of_a_day(self) -> tuple[dt.datetime, dt.datetime] | None:
        for name, message in self.TIMES_MISSING.items():
            if name not in self.errors and self.cleaned_data.get(name) is None:
                self.add_error(name, ValidationError(message, code="required"))
        starts_at, ends_at = self._instant("starts"), self._instant("ends")
        if starts_at is None or ends_at is None:
            return None
        if ends_at <= starts_at:
            self.add_error(
                "ends_date",
                ValidationError(
                    _("The time off must end after it starts."), code="backwards_range"
                ),
            )
            return None
        return starts_at, ends_at

    def clean(self):
        cleaned = super().clean()
        length = cleaned.get("length")
        span = None
        if length == self.Length.WHOLE_DAYS:
            span = self._whole_days()
        elif length == self.Length.PART_OF_A_DAY:
            span = self._part_of_a_day()
        if span and span[1] <= timezone.now():
            self.add_error(
                "ends_date",
                ValidationError(
                    _("This time off is already over. Enter dates still to come."),
                    code="past_time_off",
                ),
            )
            span = None
        cleaned["starts_at"], cleaned["ends_at"] = span or (None, None)
        return cleaned
