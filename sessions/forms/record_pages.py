"""The client's 48-hour check-in: three short questions after a session."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sessions.models import SessionRecord

# The record stores the English words (its check-in fields are free text), so every page
# that shows an answer reads the sentence the client chose, in the reader's language
# (answer_words; the choices show them in the client's).
SLEEP_WORDS = {
    "better": gettext_noop("Better than usual"),
    "usual": gettext_noop("As usual"),
    "worse": gettext_noop("Worse than usual"),
}
ENERGY_WORDS = {
    "more": gettext_noop("More energy than usual"),
    "usual": gettext_noop("As usual"),
    "less": gettext_noop("Less energy than usual"),
}
SLEEP_CHOICES = [(key, gettext_lazy(words)) for key, words in SLEEP_WORDS.items()]
ENERGY_CHOICES = [(key, gettext_lazy(words)) for key, words in ENERGY_WORDS.items()]
_ANSWER_WORDS = {*SLEEP_WORDS.values(), *ENERGY_WORDS.values()}
REACTION_CHOICES = [
    (SessionRecord.Reaction.NONE, gettext_lazy("None: I noticed nothing unusual")),
    (
        SessionRecord.Reaction.MILD,
        gettext_lazy("Mild: I noticed something, and it was easy to live with"),
    ),
    (
        SessionRecord.Reaction.STRONG,
        gettext_lazy("Strong: it bothered me or is still bothering me"),
    ),
]


def answer_words(text: str) -> str:
    """A stored sleep or energy answer in the active language (other text unchanged)."""
    return _(text) if text in _ANSWER_WORDS else text


class CheckinForm(forms.Form):
    """Sleep, energy and any reaction since the session; a strong reaction needs words."""

    sleep = forms.ChoiceField(
        label=gettext_lazy("How did you sleep after the session?"),
        choices=SLEEP_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how you slept.")},
    )
    energy = forms.ChoiceField(
        label=gettext_lazy("How has your energy been?"),
        choices=ENERGY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how your energy has been.")},
    )
    reaction = forms.ChoiceField(
        label=gettext_lazy("Did you notice any reaction?"),
        help_text=gettext_lazy(
            "For example tiredness, headache, thirst, feeling emotional, or a brief "
            "flare of an existing symptom."
        ),
        choices=REACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose none, mild or strong.")},
    )
    notes = forms.CharField(
        label=gettext_lazy("What did you notice, and is it still going on?"),
        help_text=gettext_lazy("Needed for a strong reaction; optional otherwise."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": gettext_lazy(
                "Please keep this under %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template has the token
        self.helper.add_input(Submit("submit", _("Send my answers")))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("reaction") == SessionRecord.Reaction.STRONG
            and not cleaned.get("notes", "").strip()
        ):
            self.add_error(
                "notes",
                ValidationError(
                    _(
                        "Tell your practitioner what the strong reaction was, so they can "
                        "follow up."
                    ),
                    code="strong_needs_notes",
                ),
            )
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as answer_checkin takes them (sleep and energy as words)."""
        data = self.cleaned_data
        return {
            "sleep": SLEEP_WORDS[data["sleep"]],
            "energy": ENERGY_WORDS[data["energy"]],
            "reaction": data["reaction"],
            "notes": data["notes"],
        }
