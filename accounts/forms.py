from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from accounts.models import User
from accounts.timezones import timezone_choices
from reflexbook.lib.mail import queue_email
from reflexbook.lib.text import NAME_VALIDATORS, single_line


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Booking times are shown to you in this zone.")
        super().__init__(choices=timezone_choices, **kwargs)


class SignupForm(forms.Form):
    """Sign-up for a client or a practitioner: the account details both need."""

    full_name = forms.CharField(label="Full name", max_length=150, validators=NAME_VALIDATORS)
    email = forms.EmailField(label="Email address")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    timezone = TimezoneField(initial=settings.TIME_ZONE)

    def __init__(self, *args, submit_label: str = "Create account", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account with this email address already exists. "
                "Log in, or reset your password if you have forgotten it.",
                code="duplicate_email",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                ValidationError("The two passwords do not match.", code="password_mismatch"),
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
        # The model's fields carry no such validators yet (accounts has no migration for it).
        self.fields["full_name"].validators += NAME_VALIDATORS
        self.fields["phone"].validators.append(single_line)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save changes"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 7 or any(c not in "0123456789+-() ." for c in phone)):
            raise ValidationError(
                "Enter a phone number of at least 7 digits, such as +1 555 123 4567.",
                code="invalid_phone",
            )
        return phone


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by the task worker instead of the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=[to_email], subject=subject, body=body)
