"""The directory's search and filter form (GET): it validates the query and nothing else."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["type"] = "search"
        self.fields["language"].widget.attrs["placeholder"] = "e.g. Spanish"
        # The template writes the <form method="get"> and its buttons (Search, Clear).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form: the token would end up in the URL
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-6 col-lg-4"),
                Column("modality", css_class="col-6 col-md-3 col-lg-2"),
                Column("length", css_class="col-6 col-md-3 col-lg-2"),
                Column("language", css_class="col-md-6 col-lg-4"),
            ),
            Row(
                Column("verified", css_class="col-auto"),
                Column("accepting", css_class="col-auto"),
                Column("free", css_class="col-auto"),
                Column("sort", css_class="col-sm-6 col-lg-3"),
            ),
        )

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
