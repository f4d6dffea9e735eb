"""Forms for a series of sessions (issue 14): they validate input and nothing else; the write
path (sessions.booking.book_series) decides whether the dates can be booked."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from practitioners.models import Practitioner, ServiceLength
from sessions.booking import START_TIMES
from sessions.forms.agenda import REASON_MAX
from sessions.forms.booking import LengthChoiceField, parse_start
from sessions.models.series import EVERY_WEEKS, SERIES_COUNTS
from sessions.series import SeriesDate
from sessions.slots import on_grid

EVERY_CHOICES = [
    (
        n,
        gettext_lazy("Every week")
        if n == 1
        else format_lazy(gettext_lazy("Every {count} weeks"), count=n),
    )
    for n in EVERY_WEEKS
]


class SeriesForm(forms.Form):
    """Step 1: the session, the first date and time, how often and how many (GET: the choice
    only shows the preview; the confirmation posts it again with the chosen dates)."""

    length = LengthChoiceField(
        label=gettext_lazy("Session"),
        queryset=ServiceLength.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choose a session and its length."),
            "invalid_choice": gettext_lazy(
                "That session is not offered for a series. Choose one from the list."
            ),
        },
    )
    first_date = forms.DateField(
        label=gettext_lazy("First date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Choose the date of the first session."),
            "invalid": gettext_lazy("Enter the first date as a date, e.g. 2026-06-08."),
        },
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose the start time."),
            "invalid": gettext_lazy("Enter the start time as hours and minutes, e.g. 10:30."),
        },
    )
    every_weeks = forms.TypedChoiceField(
        label=gettext_lazy("How often"),
        choices=EVERY_CHOICES,
        coerce=int,
        initial=2,
        error_messages={
            "required": gettext_lazy("Choose how often the sessions repeat."),
            "invalid_choice": gettext_lazy("A series repeats every 1, 2, 3 or 4 weeks."),
        },
    )
    count = forms.TypedChoiceField(
        label=gettext_lazy("Number of sessions"),
        choices=[(n, str(n)) for n in SERIES_COUNTS],
        coerce=int,
        initial=6,
        error_messages={
            "required": gettext_lazy("Choose how many sessions to book."),
            "invalid_choice": gettext_lazy("A series has 2 to 12 sessions."),
        },
    )

    def __init__(self, *args, practitioner: Practitioner, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner
        self.today = today
        # Home visits need the client's address for each date: booked one at a time.
        self.fields["length"].queryset = (
            ServiceLength.objects.filter(
                service__practitioner=practitioner,
                service__is_active=True,
                service__is_home_visit=False,
            )
            .select_related("service")
            .order_by("service__name", "minutes")
        )
        interval = practitioner.start_interval_minutes
        self.fields["start_time"].widget.attrs["step"] = interval * 60
        self.fields["start_time"].help_text = _(
            "In your time zone (%(zone)s); sessions start every %(interval)s minutes (%(times)s)."
        ) % {"zone": practitioner.timezone, "interval": interval, "times": START_TIMES[interval]}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_first_date(self) -> date:
        first = self.cleaned_data["first_date"]
        if first < self.today:
            raise ValidationError(
                _("The first date has passed. Choose today or a later date."), code="past"
            )
        return first

    def clean_start_time(self) -> time:
        wall = self.cleaned_data["start_time"]
        interval = self.practitioner.start_interval_minutes
        if not on_grid(datetime.combine(date.min, wall), timedelta(minutes=interval)):
            raise ValidationError(
                _("Sessions start every %(interval)s minutes (%(times)s).")
                % {"interval": interval, "times": START_TIMES[interval]},
                code="off_grid",
            )
        return wall

    def first_start(self) -> datetime:
        """The first session's start, aware, in the practitioner's zone (valid form only)."""
        data = self.cleaned_data
        return datetime.combine(
            data["first_date"], data["start_time"], ZoneInfo(self.practitioner.timezone)
        )


NOT_OFFERED = gettext_noop(
    "A chosen time is not one of the times offered for its date, so nothing was booked. The "
    "dates below are up to date: choose again and confirm."
)
NOT_OFFERED_HERE = gettext_noop("Not one of the times offered for this date.")


def chosen_starts(data, dates: list[SeriesDate]) -> tuple[dict[int, str], list[datetime], set[int]]:
    """The confirmation's choice per date of the preview `dates` (`date-<n>`: a start written
    YYYYMMDDTHHMMZ, or empty for "do not book"), as posted; the starts chosen; and the
    numbers of the dates whose choice is neither their wanted time nor one of the nearest
    free times offered that day (another day, a second time on a day: never booked)."""
    posted, starts, stray = {}, [], set()
    for item in dates:
        posted[item.number] = value = data.get(f"date-{item.number}", "")
        if not value:
            continue
        offered = [start for start in (item.wanted, *item.nearest) if start is not None]
        start = parse_start(value)
        if start in offered:
            starts.append(start)
        else:
            stray.add(item.number)
    return posted, starts, stray


class CancelOnwardForm(forms.Form):
    """Cancel a series from one of its upcoming dates onward, with the reason the client is
    emailed (`dates`: (start written YYYYMMDDTHHMMZ, label) of the upcoming dates)."""

    starting = forms.ChoiceField(
        label=gettext_lazy("Cancel from"),
        error_messages={
            "required": gettext_lazy("Choose the first session to cancel."),
            "invalid_choice": gettext_lazy(
                "That session is no longer upcoming. Choose one from the list."
            ),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for cancelling"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the client in one email listing the cancelled sessions."),
        error_messages={
            "required": gettext_lazy("Give the client a reason for cancelling."),
            "max_length": gettext_lazy("Keep it under %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, dates: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starting"].choices = dates
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the client a reason for cancelling."), code="required")
        return reason

    def starts_at(self) -> datetime:
        return parse_start(self.cleaned_data["starting"])
