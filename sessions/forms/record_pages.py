"""The client's 48-hour check-in: three short questions after a session."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from sessions.models import SessionRecord

# The record stores the words (its check-in fields are free text), so every page that shows
# an answer reads the same sentence the client chose.
SLEEP_CHOICES = [
    ("better", "Better than usual"),
    ("usual", "As usual"),
    ("worse", "Worse than usual"),
]
ENERGY_CHOICES = [
    ("more", "More energy than usual"),
    ("usual", "As usual"),
    ("less", "Less energy than usual"),
]
REACTION_CHOICES = [
    (SessionRecord.Reaction.NONE, "None: I noticed nothing unusual"),
    (SessionRecord.Reaction.MILD, "Mild: I noticed something, and it was easy to live with"),
    (SessionRecord.Reaction.STRONG, "Strong: it bothered me or is still bothering me"),
]


class CheckinForm(forms.Form):
    """Sleep, energy and any reaction since the session; a strong reaction needs words."""

    sleep = forms.ChoiceField(
        label="How did you sleep after the session?",
        choices=SLEEP_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you slept."},
    )
    energy = forms.ChoiceField(
        label="How has your energy been?",
        choices=ENERGY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how your energy has been."},
    )
    reaction = forms.ChoiceField(
        label="Did you notice any reaction?",
        help_text="For example tiredness, headache, thirst, feeling emotional, or a brief "
        "flare of an existing symptom.",
        choices=REACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose none, mild or strong."},
    )
    notes = forms.CharField(
        label="What did you notice, and is it still going on?",
        help_text="Needed for a strong reaction; optional otherwise.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Please keep this under %(limit_value)d characters "
            "(it has %(show_value)d)."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template has the token
        self.helper.add_input(Submit("submit", "Send my answers"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reaction") == SessionRecord.Reaction.STRONG
            and not cleaned.get("notes", "").strip()
        ):
            self.add_error(
                "notes",
                ValidationError(
                    "Tell your practitioner what the strong reaction was, so they can follow up.",
                    code="strong_needs_notes",
                ),
            )
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as answer_checkin takes them (sleep and energy as words)."""
        data = self.cleaned_data
        return {
            "sleep": dict(SLEEP_CHOICES)[data["sleep"]],
            "energy": dict(ENERGY_CHOICES)[data["energy"]],
            "reaction": data["reaction"],
            "notes": data["notes"],
        }
