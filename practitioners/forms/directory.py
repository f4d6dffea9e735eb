"""The directory's search and filter form (GET): it validates the query and nothing else."""

from django import forms

from practitioners.models import SESSION_LENGTHS, Modality
from reflexbook.lib.text import single_line


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label="Name or place",
        required=False,
        max_length=100,
        validators=[single_line],
        help_text="A name, city, state or ZIP code.",
    )
    modality = forms.ChoiceField(
        label="Reflexology",
        required=False,
        choices=[("", "Any")] + [(m.value, m.label) for m in Modality],
        error_messages={"invalid_choice": "Choose foot, hand or ear reflexology, or any."},
    )
    length = forms.TypedChoiceField(
        label="Session length",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any")] + [(str(m), f"{m} minutes") for m in SESSION_LENGTHS],
        error_messages={"invalid_choice": "Sessions are 30, 45 or 60 minutes long."},
    )
    language = forms.CharField(
        label="Language", required=False, max_length=50, validators=[single_line]
    )
    verified = forms.BooleanField(label="ARCB verified only", required=False)
    accepting = forms.BooleanField(label="Accepting new clients", required=False)
    free = forms.BooleanField(
        label="Free this week", required=False, help_text="A free time in the next 7 days."
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("", "Certified first"), ("soonest", "Soonest free time")],
        error_messages={"invalid_choice": "Sort by certified first or by soonest free time."},
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
