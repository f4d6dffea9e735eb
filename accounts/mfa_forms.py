"""Forms of the two-factor and re-authentication pages. They validate the shape of what was
typed; whether a code or password is right is the view's call (through accounts.mfa and
authenticate()), and a wrong one comes back as a form error."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SetupCodeForm(forms.Form):
    """The first code from a newly added authenticator app."""

    code = forms.CharField(
        label=gettext_lazy("6-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(
                _("Enter the 6 digits your authenticator app shows for reflexbook."),
                code="code_format",
            )
        return code


class VerifyForm(forms.Form):
    """A code from the app, or one of the recovery codes."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "The 6-digit code from your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordForm(forms.Form):
    """The account's password, entered again."""

    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
