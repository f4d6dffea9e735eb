"""The form for joining a practitioner's waitlist: it validates input and nothing else;
sessions.waitlist.join_waitlist decides whether the entry can be made."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions import waitlist_rules
from sessions.slots import DAY_PARTS

PART_HOURS = (
    gettext_lazy("before 12:00"),
    gettext_lazy("12:00 to 17:00"),
    gettext_lazy("from 17:00"),
)


class WaitlistForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Which days suit you?"),
        choices=[(str(n), name) for n, name in enumerate(waitlist_rules.WEEKDAY_NAMES)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one day of the week.")},
    )
    parts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Which parts of the day?"),
        choices=[
            (str(n), format_lazy("{} ({})", name, hours))
            for n, ((name, _first), hours) in enumerate(zip(DAY_PARTS, PART_HOURS, strict=True))
        ],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one part of the day.")},
    )
    first_day = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the first day you could come, e.g. 2026-03-09."),
            "invalid": gettext_lazy("Enter the first day as a date, e.g. 2026-03-09."),
        },
    )
    last_day = forms.DateField(
        label=gettext_lazy("Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the last day you could come, e.g. 2026-04-09."),
            "invalid": gettext_lazy("Enter the last day as a date, e.g. 2026-04-09."),
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own form has its token
        self.helper.layout = Layout(
            "weekdays",
            "parts",
            Row(
                Column("first_day", css_class="col-sm-6"),
                Column("last_day", css_class="col-sm-6"),
            ),
        )

    def clean_first_day(self) -> date:
        first_day = self.cleaned_data["first_day"]
        if first_day < self.today:
            raise ValidationError(
                _("The first day has passed. Choose today or a later day."), code="past"
            )
        return first_day

    def clean(self):
        cleaned = super().clean()
        first_day, last_day = cleaned.get("first_day"), cleaned.get("last_day")
        if first_day and last_day and last_day < first_day:
            self.add_error(
                "last_day",
                ValidationError(
                    _("The last day must be on or after the first day."), code="before_first"
                ),
            )
        return cleaned

    def weekday_mask(self) -> int:
        return waitlist_rules.mask(self.cleaned_data["weekdays"])

    def part_mask(self) -> int:
        return waitlist_rules.mask(self.cleaned_data["parts"])
