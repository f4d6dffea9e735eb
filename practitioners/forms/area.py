"""Forms of the practitioner's own area: profile, services, weekly hours, date exceptions
and time off. They validate input and nothing else; the views save."""

import datetime as dt
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.forms import TimezoneField
from practitioners import hours, services, uploads
from practitioners.models import (
    DateException,
    Practitioner,
    Service,
    ServiceLength,
    WeeklyHours,
)
from practitioners.scope import find_claims

SCOPE_ACK_FIELD = "confirm_wording"
SCOPE_ACK_LABEL = "I have checked this wording and want to save it"
LENGTH_CHOICE_ERROR = "Sessions are 30, 45 or 60 minutes long."

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def long_date(day: dt.date) -> str:
    """`Monday 6 April 2026`: how dates are named in messages."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _quoted(phrases: list[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)


class ScopeGuardMixin:
    """Scope of practice (ARCB standards bar claims to diagnose, treat or cure): a form
    whose `scope_guarded_field` gains wording that reads as a medical claim is not valid
    until the practitioner ticks "I have checked this wording and want to save it".

    Only claims the saved text does not already contain count, so an acknowledged bio does
    not warn again each time some other field is edited. The tick box exists only while
    there is something to acknowledge; add `scope_guard_fields()` to the layout after the
    guarded field."""

    scope_guarded_field: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_claims: list[str] = []
        if self.is_bound:
            typed = self.data.get(self.add_prefix(self.scope_guarded_field), "")
            saved = {
                claim.lower()
                for claim in find_claims(self.initial.get(self.scope_guarded_field) or "")
            }
            self.scope_claims = [
                claim for claim in find_claims(typed) if claim.lower() not in saved
            ]
        if self.scope_claims:
            self.fields[SCOPE_ACK_FIELD] = forms.BooleanField(
                label=SCOPE_ACK_LABEL,
                required=False,
                help_text="Tick this only if the wording makes no claim to diagnose, treat or cure.",
            )

    def scope_guard_fields(self) -> list[str]:
        return [SCOPE_ACK_FIELD] if SCOPE_ACK_FIELD in self.fields else []

    def clean(self):
        cleaned = super().clean()
        if self.scope_claims and not cleaned.get(SCOPE_ACK_FIELD):
            self.add_error(
                self.scope_guarded_field,
                ValidationError(
                    "This wording may read as a medical claim: %(phrases)s. ARCB standards bar "
                    "reflexologists from claiming to diagnose, treat or cure any condition, so "
                    "describe what a session offers instead (for example relaxation and "
                    "wellbeing). If you have checked the wording and it makes no such claim, "
                    "tick “%(ack)s” below and save again.",
                    code="scope_of_practice",
                    params={"phrases": _quoted(self.scope_claims), "ack": SCOPE_ACK_LABEL},
                ),
            )
        return cleaned


def _range_field(name: str, *, minimum: int, maximum: int, unit: str) -> forms.IntegerField:
    message = f"{name} is between {minimum} and {maximum} {unit}."
    return forms.IntegerField(
        label=f"{name} ({unit})",
        min_value=minimum,
        max_value=maximum,
        error_messages={"min_value": message, "max_value": message},
    )


class ProfileForm(ScopeGuardMixin, forms.ModelForm):
    """Everything on the practitioner's profile, and their booking rules."""

    scope_guarded_field = "bio"

    # A plain file field: uploads.clean_photo decides what is an image (and says so clearly),
    # instead of Django's ImageField with its generic message.
    photo = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text="A JPEG or PNG of at most 5 MB. We resize it and remove its hidden details (such as where it was taken).",
    )
    timezone = TimezoneField(help_text="Your hours and time off are in this zone.")
    min_notice_hours = _range_field("Minimum notice", minimum=0, maximum=24 * 14, unit="hours")
    booking_horizon_days = _range_field(
        "Booking horizon", minimum=1, maximum=365, unit="days ahead"
    )
    late_cancel_hours = _range_field(
        "Late cancellation window", minimum=0, maximum=24 * 7, unit="hours"
    )
    years_in_practice = forms.IntegerField(
        label="Years in practice",
        required=False,
        min_value=0,
        max_value=70,
        error_messages={
            "min_value": "Years in practice is between 0 and 70.",
            "max_value": "Years in practice is between 0 and 70.",
        },
    )

    class Meta:
        model = Practitioner
        fields = [
            "display_name",
            "slug",
            "photo",
            "bio",
            "city",
            "region",
            "postcode",
            "country",
            "timezone",
            "premises_note",
            "offers_foot",
            "offers_hand",
            "offers_ear",
            "languages",
            "years_in_practice",
            "accepting_new_clients",
            "min_notice_hours",
            "booking_horizon_days",
            "late_cancel_hours",
            "auto_confirm",
            "approve_first_time_clients",
            "max_active_bookings_per_client",
            "max_reschedules",
            "is_hidden",
        ]
        labels = {"display_name": "Display name", "slug": "Web address name", "bio": "About you"}
        help_texts = {
            "display_name": "The name clients see, e.g. Jane Doe, RRT.",
            "slug": "Your profile's address: /practitioners/jane-doe/. Letters, numbers, hyphens.",
            "bio": "Your training, your approach, what a first session is like.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "slug": {
                "invalid": "Use only letters, numbers, hyphens and underscores, e.g. jane-doe.",
                "required": "Choose a web address name, e.g. jane-doe.",
            },
            "display_name": {"required": "Enter the name clients will see."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "min_notice_hours"
        ].help_text = "How soon before a session clients may still book it (0 to 336)."
        self.fields[
            "booking_horizon_days"
        ].help_text = "How far ahead clients may book a session (1 to 365)."
        self.fields[
            "late_cancel_hours"
        ].help_text = "Cancelling closer to the session than this counts as late (0 to 168)."
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["country"].widget.attrs["autocomplete"] = "country-name"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "About you",
                "display_name",
                "slug",
                "photo",
                "bio",
                *self.scope_guard_fields(),
            ),
            Fieldset(
                "Where you practise",
                Row(Column("city", css_class="col-sm-6"), Column("region", css_class="col-sm-6")),
                Row(
                    Column("postcode", css_class="col-sm-6"),
                    Column("country", css_class="col-sm-6"),
                ),
                "timezone",
                "premises_note",
            ),
            Fieldset(
                "Reflexology you offer",
                "offers_foot",
                "offers_hand",
                "offers_ear",
                "languages",
                "years_in_practice",
                "accepting_new_clients",
            ),
            Fieldset(
                "Booking rules",
                "min_notice_hours",
                "booking_horizon_days",
                "late_cancel_hours",
                "auto_confirm",
                "approve_first_time_clients",
                "max_active_bookings_per_client",
                "max_reschedules",
            ),
            Fieldset("Directory", "is_hidden"),
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in services.RESERVED_SLUGS:
            raise ValidationError(
                "“%(slug)s” is kept for the site's own pages. Choose another, such as %(suggestion)s.",
                code="reserved_slug",
                params={
                    "slug": slug,
                    "suggestion": services.unique_slug(
                        self.cleaned_data.get("display_name") or "my-practice"
                    ),
                },
            )
        taken = Practitioner.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                "Another practitioner already uses “%(slug)s”. Choose another, such as %(suggestion)s.",
                code="duplicate_slug",
                params={"slug": slug, "suggestion": services.unique_slug(slug)},
            )
        return slug

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            # The stored file is the re-encoded one, never the upload itself.
            return uploads.clean_photo(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"offers_{kind}") for kind in ("foot", "hand", "ear")):
            self.add_error(
                "offers_foot",
                ValidationError(
                    "Choose at least one: foot, hand or ear reflexology.", code="no_modality"
                ),
            )
        return cleaned


class ServiceForm(ScopeGuardMixin, forms.ModelForm):
    """A service's name, description, buffer and whether it is offered."""

    scope_guarded_field = "description"

    buffer_minutes = forms.IntegerField(
        label="Buffer after each session (minutes)",
        min_value=0,
        max_value=30,
        initial=15,
        help_text="Time for hand washing, linen and notes, 0 to 30 minutes. It blocks your calendar; clients never see it.",
        error_messages={
            "min_value": "The buffer is between 0 and 30 minutes.",
            "max_value": "The buffer is between 0 and 30 minutes.",
            "required": "Enter a buffer between 0 and 30 minutes (0 for none).",
        },
    )

    class Meta:
        model = Service
        fields = ["name", "description", "buffer_minutes", "is_active"]
        labels = {"name": "Name", "description": "Description", "is_active": "Offered"}
        help_texts = {
            "name": "E.g. Foot reflexology.",
            "description": "What happens in a session, in a sentence or two.",
            "is_active": "Untick to stop offering this service. Past bookings keep it.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Give the service a name, e.g. Foot reflexology."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "name", "description", *self.scope_guard_fields(), "buffer_minutes", "is_active"
        )


class ServiceLengthForm(forms.ModelForm):
    class Meta:
        model = ServiceLength
        fields = ["minutes", "price"]
        labels = {"minutes": "Length", "price": "Price ($)"}
        error_messages = {
            "minutes": {"invalid_choice": LENGTH_CHOICE_ERROR},
        }
        widgets = {"price": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].choices = [
            ("", "Choose a length"),
            *self.fields["minutes"].choices[1:],
        ]
        self.fields["price"].error_messages["min_value"] = "A price cannot be negative."
        self.fields["price"].error_messages["invalid"] = "Enter a price such as 45 or 45.50."
        # Rows may be left empty (so no asterisk). Django skips an empty extra row before
        # clean(), so any row that gets here is in use and needs both parts.
        self.fields["minutes"].required = self.fields["price"].required = False
        self.fields["minutes"].empty_value = None

    def clean(self):
        cleaned = super().clean()
        if "minutes" not in self.errors and cleaned.get("minutes") is None:
            self.add_error("minutes", ValidationError("Choose a length.", code="required"))
        if "price" not in self.errors and cleaned.get("price") is None:
            self.add_error(
                "price", ValidationError("Enter the price for this length.", code="required")
            )
        return cleaned


class BaseServiceLengthFormSet(forms.BaseInlineFormSet):
    def clean(self):
        if any(self.errors):
            return
        # Rows left empty have no cleaned data; rows ticked "Delete" do not count.
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("minutes") and not self._should_delete_form(form)
        ]
        if not kept:
            raise ValidationError("Add at least one length with its price.", code="no_length")
        seen: set[int] = set()
        for form in kept:
            minutes = form.cleaned_data["minutes"]
            if minutes in seen:
                form.add_error(
                    "minutes",
                    ValidationError(
                        "You entered the %(minutes)d-minute length twice: give each length once, with its price.",
                        code="duplicate_length",
                        params={"minutes": minutes},
                    ),
                )
            seen.add(minutes)
        # Skip the model formset's generic "Please correct the duplicate data" check: the
        # loop above says the same thing more plainly.


ServiceLengthFormSet = forms.inlineformset_factory(
    Service,
    ServiceLength,
    form=ServiceLengthForm,
    formset=BaseServiceLengthFormSet,
    extra=3,
    max_num=3,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class HoursRangeForm(forms.Form):
    """One range of working time on a weekday. Rows may be left empty (so no field is
    marked required); Django skips an empty extra row before clean(), so any row that
    gets there is in use and needs all three parts."""

    weekday = forms.TypedChoiceField(
        label="Day",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "Choose a day"), *WeeklyHours.Weekday.choices],
    )
    starts = forms.TimeField(label="From", widget=TIME_INPUT, required=False)
    ends = forms.TimeField(label="Until", widget=TIME_INPUT, required=False)

    MISSING = {
        "weekday": "Choose the day.",
        "starts": "Enter the start time.",
        "ends": "Enter the end time.",
    }

    def clean(self):
        cleaned = super().clean()
        for name, message in self.MISSING.items():
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(name, ValidationError(message, code="required"))
        return cleaned


class BaseHoursFormSet(forms.BaseFormSet):
    def _kept_forms(self) -> list[forms.Form]:
        # Empty extra rows have no cleaned data; rows ticked "Delete" do not count.
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        rows = self._kept_forms()
        ranges = [
            (f.cleaned_data["weekday"], f.cleaned_data["starts"], f.cleaned_data["ends"])
            for f in rows
        ]
        for problem in hours.weekly_range_problems(ranges):
            rows[problem.index].add_error(None, ValidationError(problem.message, code="bad_range"))

    def ranges(self) -> list[tuple[int, dt.time, dt.time]]:
        """The (weekday, start, end) ranges to keep, once the formset is valid."""
        return [
            (form.cleaned_data["weekday"], form.cleaned_data["starts"], form.cleaned_data["ends"])
            for form in self._kept_forms()
        ]


HoursFormSet = forms.formset_factory(
    HoursRangeForm, formset=BaseHoursFormSet, extra=3, can_delete=True, can_delete_extra=False
)


class DateExceptionForm(forms.ModelForm):
    """One date that differs from the weekly hours: extra hours, or closed all day."""

    class Meta:
        model = DateException
        fields = ["date", "kind", "starts", "ends"]
        labels = {"date": "Date", "kind": "On that date", "starts": "From", "ends": "Until"}
        help_texts = {"starts": "Only for extra hours.", "ends": "Only for extra hours."}
        widgets = {
            "date": DATE_INPUT,
            "kind": forms.RadioSelect,
            "starts": TIME_INPUT,
            "ends": TIME_INPUT,
        }
        error_messages = {
            "date": {"required": "Enter the date.", "invalid": "Enter a date such as 2026-04-06."},
            "kind": {"required": "Choose extra hours or closed all day."},
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
        self.helper.add_input(Submit("submit", "Add this date"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate(timezone=ZoneInfo(self.practitioner.timezone))
        if day < today:
            raise ValidationError(
                "%(date)s has passed. Choose today or a later date.",
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
                    "%(date)s is already marked closed."
                    if closed
                    else "You have extra hours on %(date)s. Delete them first to close the day."
                )
                self.add_error(
                    "date",
                    ValidationError(message, code="date_taken", params={"date": long_date(day)}),
                )
            return cleaned

        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if not starts:
            self.add_error(
                "starts", ValidationError("Enter when the extra hours start.", code="required")
            )
        if not ends:
            self.add_error(
                "ends", ValidationError("Enter when the extra hours end.", code="required")
            )
        if not starts or not ends:
            return cleaned
        if ends <= starts:
            self.add_error(
                "ends",
                ValidationError(
                    "%(range)s ends before it starts.",
                    code="backwards_range",
                    params={"range": hours.format_range(starts, ends)},
                ),
            )
            return cleaned
        if any(e.kind == DateException.Kind.CLOSED for e in same_day):
            self.add_error(
                "date",
                ValidationError(
                    "%(date)s is marked closed. Delete that first to add hours.",
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
                    "%(range)s overlaps your extra hours %(other)s on %(date)s.",
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
    """A stretch of time off, typed in the practitioner's zone; `starts_at`/`ends_at` in
    cleaned_data are the UTC instants to store."""

    starts_date = forms.DateField(
        label="From (date)", widget=DATE_INPUT, error_messages={"required": "Enter the first date."}
    )
    starts_time = forms.TimeField(
        label="From (time)", widget=TIME_INPUT, error_messages={"required": "Enter the start time."}
    )
    ends_date = forms.DateField(
        label="Until (date)", widget=DATE_INPUT, error_messages={"required": "Enter the last date."}
    )
    ends_time = forms.TimeField(
        label="Until (time)", widget=TIME_INPUT, error_messages={"required": "Enter the end time."}
    )
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        required=False,
        help_text="Only you see this, e.g. Holiday or Training course.",
    )

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(practitioner.timezone)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("starts_date", css_class="col-6"), Column("starts_time", css_class="col-6")),
            Row(Column("ends_date", css_class="col-6"), Column("ends_time", css_class="col-6")),
            Field("reason"),
        )
        self.helper.add_input(Submit("submit", "Add time off"))

    def _instant(self, which: str) -> dt.datetime | None:
        day, time = self.cleaned_data.get(f"{which}_date"), self.cleaned_data.get(f"{which}_time")
        if day is None or time is None:
            return None
        try:
            return hours.local_to_utc(day, time, self.zone)
        except hours.NonexistentLocalTime:
            self.add_error(
                f"{which}_time",
                ValidationError(
                    "%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward "
                    "then. Choose a time an hour later.",
                    code="nonexistent_time",
                    params={"time": f"{time:%H:%M}", "date": long_date(day), "zone": self.zone.key},
                ),
            )
            return None

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = self._instant("starts"), self._instant("ends")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error(
                    "ends_date",
                    ValidationError(
                        "The time off must end after it starts.", code="backwards_range"
                    ),
                )
            elif ends_at <= timezone.now():
                self.add_error(
                    "ends_date",
                    ValidationError(
                        "This time off is already over. Enter dates still to come.",
                        code="past_time_off",
                    ),
                )
        cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned
