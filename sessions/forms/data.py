"""The form of the account deletion page: the client confirms in words. It validates the
input and nothing else; sessions.erasure decides whether the account can be erased."""

from django import forms
from django.core.exceptions import ValidationError

from sessions.erasure import CONFIRM_WORDS


class EraseAccountForm(forms.Form):
    confirm = forms.CharField(
        label=f"To confirm, type “{CONFIRM_WORDS}”",
        max_length=100,
        help_text="This cannot be undone.",
        error_messages={"required": f"Type “{CONFIRM_WORDS}” to confirm."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    understood = forms.BooleanField(
        label=(
            "I understand that my account is deleted at once, and that my practitioners keep "
            "my signed session records and health forms, locked, until the law lets them go."
        ),
        error_messages={"required": "Tick the box to say you understand what is kept."},
    )

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split()).lower()
        if typed != CONFIRM_WORDS:
            raise ValidationError(
                f"Type the words “{CONFIRM_WORDS}” exactly (you typed something else).",
                code="words",
            )
        return typed
