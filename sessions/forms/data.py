"""The form of the account deletion page: the client confirms in words. It validates the
input and nothing else; sessions.erasure decides whether the account can be erased."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.erasure import CONFIRM_WORDS


class EraseAccountForm(forms.Form):
    confirm = forms.CharField(
        max_length=100,
        help_text=gettext_lazy("This cannot be undone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my account is deleted at once, and that my practitioners keep "
            "my signed session records and health forms, locked, until the law lets them go."
        ),
        error_messages={
            "required": gettext_lazy("Tick the box to say you understand what is kept.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The words are the reader's language's, so the label is made per request.
        words = {"words": CONFIRM_WORDS}
        self.fields["confirm"].label = _("To confirm, type “%(words)s”") % words
        self.fields["confirm"].error_messages["required"] = (
            _("Type “%(words)s” to confirm.") % words
        )

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split()).lower()
        if typed != str(CONFIRM_WORDS).lower():
            raise ValidationError(
                _("Type the words “%(words)s” exactly (you typed something else).")
                % {"words": CONFIRM_WORDS},
                code="words",
            )
        return typed
