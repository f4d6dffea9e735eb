"""Adding one of the practitioner's own calendars (issue 17): a name and its secret iCal
address. Validates input and nothing else; practitioners.busy_import saves and fetches."""

from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.busy_import import MAX_CALENDARS
from practitioners.models import BusyCalendar, Practitioner
from reflexbook.lib.text import single_line


class BusyCalendarForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        validators=[single_line],
        help_text=gettext_lazy(
            "For you, to tell your calendars apart, e.g. “Personal” or “Family”."
        ),
    )
    url = forms.CharField(
        label=gettext_lazy("Secret address in iCal format"),
        max_length=2000,
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=gettext_lazy(
            "Starts with https:// or webcal://. Google: Settings → your calendar → "
            "“Secret address in iCal format”. Apple: share the calendar as public and copy the "
            "link. Outlook: Settings → Shared calendars → Publish, the ICS link."
        ),
    )

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Add calendar")))

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        # Apple and others hand out webcal:// links: the same address over HTTPS.
        if url.lower().startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValidationError(
                _("Enter the whole address, starting with https:// (or webcal://)."),
                code="scheme",
            )
        try:
            if not parts.hostname or parts.port == 0:
                raise ValueError
        except ValueError:
            raise ValidationError(
                _("This address has no valid server name. Copy it again from your calendar app."),
                code="host",
            ) from None
        if any(character.isspace() for character in url):
            raise ValidationError(
                _("The address cannot contain spaces. Copy it again from your calendar app."),
                code="spaces",
            )
        if BusyCalendar.objects.filter(practitioner=self.practitioner, url=url).exists():
            raise ValidationError(_("You have already added this calendar address."), code="taken")
        return url

    def clean(self):
        cleaned = super().clean()
        if BusyCalendar.objects.filter(practitioner=self.practitioner).count() >= MAX_CALENDARS:
            raise ValidationError(
                _("You can add up to %(max)s calendars. Remove one to add another.")
                % {"max": MAX_CALENDARS},
                code="too_many",
            )
        return cleaned
