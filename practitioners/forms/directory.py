"""The directory's search and filter form (GET): it validates the query and nothing else."""

from django import forms
from django.utils.translation import gettext_lazy

from practitioners.models import SESSION_LENGTHS, Modality
from practitioners.models.services import minutes_label
from reflexbook.lib.text import single_line


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or place"),
        required=False,
        max_length=100,
        validators=[single_line],
        help_text=gettext_lazy("A name, city, state or ZIP code."),
    )
    modality = forms.ChoiceField(
        label=gettext_lazy("Reflexology"),
        required=False,
        choices=[("", gettext_lazy("Any"))] + [(m.value, m.label) for m in Modality],
        error_messages={
            "invalid_choice": gettext_lazy("Choose foot, hand or ear reflexology, or any.")
        },
    )
    length = forms.TypedChoiceField(
        label=gettext_lazy("Session length"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("Any"))] + [(str(m), minutes_label(m)) for m in SESSION_LENGTHS],
        error_messages={"invalid_choice": gettext_lazy("Sessions are 30, 45 or 60 minutes long.")},
    )
    language = forms.CharField(
        label=gettext_lazy("Language"), required=False, max_length=50, validators=[single_line]
    )
    verified = forms.BooleanField(label=gettext_lazy("ARCB verified only"), required=False)
    accepting = forms.BooleanField(label=gettext_lazy("Accepting new clients"), required=False)
    free = forms.BooleanField(
        label=gettext_lazy("Free this week"),
        required=False,
        help_text=gettext_lazy("A free time in the next 7 days."),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("", gettext_lazy("Certified first")),
            ("soonest", gettext_lazy("Soonest free time")),
        ],
        error_messages={
            "invalid_choice": gettext_lazy("Sort by certified first or by soonest free time.")
        },
    )

    @property
    def checkboxes(self) -> list[forms.BoundField]:
        """The on/off filters, in the order the page shows them."""
        return [self["verified"], self["accepting"], self["free"]]

    def filters(self) -> dict:
        """The valid filters, ready for `directory_search`; invalid ones are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": data.get("q") or "",
            "modality": data.get("modality") or "",
            "minutes": data.get("length"),
            "language": data.get("language") or "",
            "verified_only": bool(data.get("verified")),
            "accepting_only": bool(data.get("accepting")),
            "free_this_week": bool(data.get("free")),
            "soonest": data.get("sort") == "soonest",
        }

    @property
    def is_filtered(self) -> bool:
        """Whether any filter narrows the list (sorting alone does not)."""
        filters = self.filters()
        filters.pop("soonest")
        return any(filters.values())
