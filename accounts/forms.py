from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import throttle
from accounts.activity import subject_words
from accounts.models import User
from accounts.password_reset import queue_password_reset
from accounts.timezones import timezone_choices
from reflexbook.lib.text import phone_number


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Time zone"))
        kwargs.setdefault("help_text", gettext_lazy("Booking times are shown to you in this zone."))
        super().__init__(choices=timezone_choices, **kwargs)


class SignupForm(forms.Form):
    """Sign-up for a client or a practitioner: the account details both need."""

    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=150,
        # The account's own rules (one line, no direction overrides), not a copy of them.
        validators=User._meta.get_field("full_name").validators,
    )
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=User.EMAIL_MAX_LENGTH)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    timezone = TimezoneField(initial=settings.TIME_ZONE)

    def __init__(self, *args, submit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Create account")))

    def clean_email(self):
        # Whether the address already has an account is not a form error: the sign-up
        # answers alike either way and emails the owner (accounts.signup).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                ValidationError(_("The two passwords do not match."), code="password_mismatch"),
            )
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AccountForm(forms.ModelForm):
    """The details a person edits on their account page."""

    timezone = TimezoneField()

    class Meta:
        model = User
        fields = ["full_name", "phone", "timezone"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save changes")))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            phone_number(phone)
        return phone


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email made and sent by the task worker: only the user's id
    is queued (accounts.password_reset), and the link is built from SITE_URL. The view's
    template, domain and token-generator arguments are not used."""

    def get_users(self, email):
        """Active accounts with this address, including one a practitioner made for an invited
        client (no usable password yet: accounts.invitation), so a lost invitation is never a
        dead end. The link still goes only to the address."""
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            queue_password_reset(user)


class LoginForm(AuthenticationForm):
    """Django's login form, refusing an over-long email before it reaches the database and
    counting failed log-ins per address (IP) across all accounts (django-axes counts them per
    email and address)."""

    error_messages = AuthenticationForm.error_messages | {
        "email_too_long": gettext_lazy(
            "An email address has at most %(max)s characters: check the one you typed."
        ),
        "network_paused": gettext_lazy(
            "Too many failed log-ins came from your network in the last hour. "
            "Try again later, or reset your password by email."
        ),
    }

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > User.EMAIL_MAX_LENGTH:
            raise ValidationError(
                self.error_messages["email_too_long"],
                code="email_too_long",
                params={"max": User.EMAIL_MAX_LENGTH},
            )
        return username

    def clean(self):
        ip = throttle.client_ip(self.request)
        if throttle.login_failures_from(ip) >= throttle.LOGIN_FAILURES_PER_IP:
            raise ValidationError(self.error_messages["network_paused"], code="network_paused")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.hit(throttle.LOGIN_FAILURE, ip)
            raise


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked through authenticate() so a
    wrong one counts toward the log-in lock-out like a failed log-in (and a locked-out
    account cannot be probed here)."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.email, password=old_password) is None:
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class StaffActivityFilterForm(forms.Form):
    """The staff activity log's filters (all optional); dates are days in the viewer's zone."""

    DATE_FORMAT_ERROR = gettext_lazy("Enter the date as YYYY-MM-DD, for example 2026-11-30.")

    actor = forms.ModelChoiceField(
        label=gettext_lazy("Staff member"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Anyone"),
        # Emails, not database ids, in the page's address (no integer keys in URLs).
        to_field_name="email",
        error_messages={"invalid_choice": gettext_lazy("Choose a staff member from the list.")},
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an action from the list.")},
    )
    subject_type = forms.ChoiceField(
        label=gettext_lazy("About"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose what the action was about from the list.")
        },
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_FORMAT_ERROR},
    )
    date_to = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_FORMAT_ERROR},
    )

    def __init__(self, *args, actors, actions: dict[str, str], subject_types: list[str], **kw):
        super().__init__(*args, **kw)
        self.fields["actor"].queryset = actors
        self.fields["action"].choices = [("", _("Any action")), *actions.items()]
        self.fields["subject_type"].choices = [
            ("", _("Anything")),
            *((kind, subject_words(kind)) for kind in subject_types),
        ]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control" if name.startswith("date") else "form-select"
            )

    # No staff action is older than the site, and dates far off have no start of day in
    # every zone (the year 1 in Tokyo, the day after 31 December 9999).
    FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)

    def _clean_day(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not self.FIRST_DAY <= day <= self.LAST_DAY:
            raise ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": f"{self.FIRST_DAY:%Y-%m-%d}", "last": f"{self.LAST_DAY:%Y-%m-%d}"},
                code="date_out_of_range",
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                ValidationError(
                    _("The end date is before the start date: choose an end on or after %(start)s.")
                    % {"start": f"{start:%Y-%m-%d}"},
                    code="dates_reversed",
                ),
            )
        return data
