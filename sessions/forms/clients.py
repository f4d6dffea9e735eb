"""The clients list's search (GET ?q=): it validates the words and nothing else;
sessions.clients.search decides what matches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reflexbook.lib.text import single_line

QUERY_MAX = 100


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search your clients"),
        required=False,
        max_length=QUERY_MAX,
        validators=[single_line],
        help_text=_("A name, email address or phone number, or part of one."),
        # The validator fills in the limit (QUERY_MAX).
        error_messages={"max_length": _("Keep the search under %(limit_value)d characters.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    @property
    def query(self) -> str:
        """The words to search for; "" when the form is empty or not valid."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
