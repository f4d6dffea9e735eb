"""The practitioner's form for booking on a client's behalf (sessions.views.on_behalf): it
validates input and nothing else; sessions.booking.book_for_client decides whether the
booking can be made."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from practitioners.models import Practitioner, ServiceLength
from reflexbook.lib.local_time import local_instant
from reflexbook.lib.text import phone_number, single_line
from sessions.forms.booking import (
    LengthChoiceField,
    format_start,
    instant_field,
    shown_instant,
)

EXISTING, NEW = "existing", "new"
# Practitioners type their own times: any five-minute mark, not only their clients' grid.
MINUTE_STEP = 5


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})"


class BookForClientForm(forms.Form):
    """Who (one of the practitioner's clients, or a new client to invite), what and when (a
    date and time in the practice's zone), and whether a time outside working hours is meant."""

    who = forms.ChoiceField(
        label=gettext_lazy("Who is the session for?"),
        choices=[
            (EXISTING, gettext_lazy("A client who has booked with you")),
            (NEW, gettext_lazy("A new client to invite")),
        ],
        initial=EXISTING,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose an existing client or a new one.")},
    )
    client = ClientChoiceField(
        label=gettext_lazy("Client"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose a client"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "That person is not one of your clients. Choose one from the list."
            )
        },
    )
    full_name = forms.CharField(
        label=gettext_lazy("New client's full name"),
        max_length=150,
        required=False,
        validators=User._meta.get_field("full_name").validators,
    )
    email = forms.EmailField(
        label=gettext_lazy("New client's email address"),
        max_length=User.EMAIL_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "They are emailed a link to set a password and fill in their health form."
        ),
        error_messages={
            "invalid": gettext_lazy("Enter an email address such as name@example.com.")
        },
    )
    phone = forms.CharField(
        label=gettext_lazy("New client's phone (optional)"),
        max_length=32,
        required=False,
        validators=[single_line],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    length = LengthChoiceField(
        label=gettext_lazy("Session"),
        queryset=ServiceLength.objects.none(),
        empty_label=gettext_lazy("Choose a session and length"),
        error_messages={
            "required": gettext_lazy("Choose a session and its length."),
            "invalid_choice": gettext_lazy(
                "That session is no longer offered. Choose one from the list."
            ),
        },
    )
    day = forms.DateField(
        label=gettext_lazy("Date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Choose the date of the session."),
            "invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2026-03-09."),
        },
    )
    start = forms.TimeField(
        label=gettext_lazy("Start time"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time", "step": 60 * MINUTE_STEP}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Choose the start time."),
            "invalid": gettext_lazy("Enter the time as HH:MM, e.g. 14:30."),
        },
    )
    # The calendar's UTC instant (?start): tells the two 01:15s of the night the clocks go
    # back apart, where the date and time alone mean the first.
    instant = instant_field()
    outside_hours = forms.BooleanField(
        label=gettext_lazy(
            "Outside my hours: book this time even if it is outside my working hours"
        ),
        required=False,
    )
    home_address = forms.CharField(
        label=gettext_lazy("Client's address (home visits only)"),
        max_length=200,
        required=False,
        validators=[single_line],
    )
    home_postcode = forms.CharField(
        label=gettext_lazy("Client's postcode (home visits only)"),
        max_length=12,
        required=False,
        validators=[single_line],
    )

    def __init__(self, *args, practitioner: Practitioner, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner
        self.tz = ZoneInfo(practitioner.timezone)
        self.fields["client"].queryset = clients.order_by("full_name", "email")
        self.fields["day"].help_text = _("Date and time in %(zone)s.") % {
            "zone": practitioner.timezone
        }
        lengths = (
            ServiceLength.objects.filter(
                service__practitioner=practitioner, service__is_active=True
            )
            .select_related("service")
            .order_by("service__name", "minutes")
        )
        self.fields["length"].queryset = lengths
        self.home_visits = any(length.service.is_home_visit for length in lengths)
        if not self.home_visits:
            del self.fields["home_address"], self.fields["home_postcode"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        return User.objects.normalize_email(email).lower() if email else ""

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone:
            phone_number(phone)
        return phone

    def clean_start(self) -> time:
        start = self.cleaned_data["start"]
        if start.minute % MINUTE_STEP or start.second:
            raise ValidationError(
                _("Choose a time on a %(step)s-minute mark, such as 10:15.")
                % {"step": MINUTE_STEP},
                code="step",
            )
        return start

    def clean(self):
        cleaned = super().clean()
        typed_new = bool(
            self.data.get("full_name", "").strip() or self.data.get("email", "").strip()
        )
        if cleaned.get("who") == EXISTING and not cleaned.get("client") and typed_new:
            # Both sections show without JavaScript: say which choice is ticked, not only
            # that no client was chosen.
            self.add_error(
                "who",
                ValidationError(
                    _(
                        "You typed a new client's name or email, but “A client who has booked "
                        "with you” is ticked: choose “A new client to invite”, or pick an "
                        "existing client from the list."
                    ),
                    code="typed_new_client",
                ),
            )
        elif (
            cleaned.get("who") == EXISTING
            and not cleaned.get("client")
            and "client" not in self.errors
        ):
            self.add_error("client", ValidationError(_("Choose the client."), code="required"))
        if cleaned.get("who") == NEW and cleaned.get("client") and not typed_new:
            self.add_error(
                "who",
                ValidationError(
                    _(
                        "You picked an existing client, but “A new client to invite” is ticked: "
                        "choose “A client who has booked with you”, or type the new client's "
                        "name and email."
                    ),
                    code="picked_existing_client",
                ),
            )
        elif cleaned.get("who") == NEW:
            if not cleaned.get("full_name") and "full_name" not in self.errors:
                self.add_error(
                    "full_name",
                    ValidationError(_("Enter the new client's full name."), code="required"),
                )
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error(
                    "email",
                    ValidationError(_("Enter the new client's email address."), code="required"),
                )
        day, start = cleaned.get("day"), cleaned.get("start")
        if day and start:
            instant = shown_instant(cleaned.get("instant", ""), day, start, self.tz)
            instant = instant or local_instant(day, start, self.tz)
            if instant is None:
                self.add_error(
                    "start",
                    ValidationError(
                        _(
                            "%(time)s does not exist on %(day)s: the clocks go forward then. "
                            "Choose another time."
                        )
                        % {"time": f"{start:%H:%M}", "day": date_format(day, _("j F Y"))},
                        code="skipped",
                    ),
                )
            else:
                cleaned["starts_at"] = instant
        return cleaned

    @staticmethod
    def initial_for(practitioner: Practitioner, starts_at: datetime | None) -> dict:
        """The date and time fields for a start chosen on the calendar (in the practice's
        zone); tomorrow with no time chosen."""
        tz = ZoneInfo(practitioner.timezone)
        if starts_at is None:
            return {"day": datetime.now(tz).date() + timedelta(days=1)}
        local = starts_at.astimezone(tz)
        return {
            "day": local.date(),
            "start": local.time().replace(second=0, microsecond=0),
            "instant": format_start(starts_at),
        }
