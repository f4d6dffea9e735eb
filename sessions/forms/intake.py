"""Forms around the intake: consent and signature, the pre-session check-in, and the
clearance-note upload. The questions themselves are
sessions.forms.intake_questions.IntakeQuestions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from practitioners.uploads import evidence_content_type
from reflexbook.lib.text import NAME_VALIDATORS
from sessions.forms.intake_questions import CONSENT_STEP, STEPS, YES_NO
from sessions.intake import (
    CONSENT_STATEMENTS,
    CONSENT_TEXT_VERSION,
    PHYSICIAN_CONTACT_TEXT,
    normalise_name,
)
from sessions.safety import CHANGE_CHOICES


class ConsentForm(forms.Form):
    """The consent statements and the typed signature: the account's name, or for a client
    under 18 the full name of the parent or guardian who agreed (`guardian`), who signs."""

    consent_complementary = forms.BooleanField(
        label=CONSENT_STATEMENTS["consent_complementary"],
        error_messages={
            "required": gettext_lazy(
                "Tick this box to confirm you understand reflexology is complementary."
            )
        },
    )
    consent_after_effects = forms.BooleanField(
        label=CONSENT_STATEMENTS["consent_after_effects"],
        error_messages={
            "required": gettext_lazy(
                "Tick this box to confirm you know the possible after-effects and "
                "what may be used on your skin."
            )
        },
    )
    consent_truthful = forms.BooleanField(
        label=CONSENT_STATEMENTS["consent_truthful"],
        error_messages={
            "required": gettext_lazy(
                "Tick this box to confirm your answers are true and you will report changes."
            )
        },
    )
    consent_cancellation = forms.BooleanField(
        label=CONSENT_STATEMENTS["consent_cancellation"],
        error_messages={
            "required": gettext_lazy("Tick this box to accept the cancellation policy.")
        },
    )
    physician_contact_allowed = forms.BooleanField(label=PHYSICIAN_CONTACT_TEXT, required=False)
    signature = forms.CharField(
        label=gettext_lazy("Signature: type your full name"),
        max_length=150,
        validators=NAME_VALIDATORS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Sign by typing your full name.")},
    )

    def __init__(
        self,
        *args,
        user: User,
        guardian: str = "",
        submit_label: str | None = None,
        heading_level: int = 2,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        self.guardian = guardian
        self.fields["signature"].help_text = _(
            "As on your account: %(name)s. Typing it is your signature, dated today. If you "
            "are under 18, your parent or guardian signs instead, by typing their own full "
            "name."
        ) % {"name": escape(user.full_name)}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                f'<h{heading_level} class="h4 mb-0">{escape(_("Consent and signature"))}'
                f"</h{heading_level}>"
                '<span class="d-block fs-6">'
                + escape(_("Consent text version %(version)s") % {"version": CONSENT_TEXT_VERSION})
                + "</span>",
                *self.fields,
                css_class="rb-intake-section",
            )
        )
        if submit_label:
            self.helper.add_input(Submit("submit", submit_label))

    def clean_signature(self):
        typed = self.cleaned_data["signature"]
        if not normalise_name(typed):
            raise ValidationError(_("Sign by typing your full name."), code="required")
        if self.guardian:
            if normalise_name(typed) != normalise_name(self.guardian):
                raise ValidationError(
                    _(
                        "You are under 18, so your parent or guardian signs: they type their own "
                        "full name, as given above (%(name)s)."
                    ),
                    code="guardian_signature_mismatch",
                    params={"name": self.guardian},
                )
            return " ".join(typed.split())
        if not normalise_name(self.user.full_name):
            raise ValidationError(
                _("Your account has no full name to sign with. Add it on your account page first."),
                code="no_account_name",
            )
        if normalise_name(typed) != normalise_name(self.user.full_name):
            raise ValidationError(
                _(
                    "The signature must be your full name as on your account (%(name)s). Type it "
                    "exactly, or change the name on your account page."
                ),
                code="signature_mismatch",
                params={"name": self.user.full_name},
            )
        return " ".join(typed.split())


class MayBePregnantForm(forms.Form):
    """On the About you step: whether the pregnancy step is asked at all."""

    may_be_pregnant = forms.TypedChoiceField(
        label=gettext_lazy("Could you be pregnant, or are you trying for a baby?"),
        help_text=gettext_lazy(
            "If yes, the next step asks about pregnancy. If you cannot be pregnant, "
            "that step is left out."
        ),
        choices=[
            (True, gettext_lazy("Yes, or possibly")),
            (False, gettext_lazy("No, I cannot be pregnant now")),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Answer yes or no.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                f'<h2 class="h4 mb-0">{escape(_("Pregnancy"))}</h2>',
                "may_be_pregnant",
                css_class="rb-intake-section",
            )
        )


class ChangedStepsForm(forms.Form):
    """A returning client ticks the parts of their health form that changed: only those
    steps are asked again."""

    steps = forms.MultipleChoiceField(
        label=gettext_lazy("What has changed? Tick each part to update."),
        choices=[(step.slug, step.title) for step in STEPS if step.slug != CONSENT_STEP],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy(
                "Tick at least one part that has changed, or confirm that nothing has changed."
            ),
            "invalid_choice": gettext_lazy("Choose from the list."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", _("Update these parts")))


class CheckInForm(forms.Form):
    """Before a session: "Has anything changed since last time?", and if so what (the
    choices are scored by sessions.safety.SESSION_RULES) with details."""

    changed = forms.TypedChoiceField(
        label=gettext_lazy(
            "Has anything changed in your health, medication or pregnancy since last time?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Answer yes or no.")},
    )
    changes = forms.MultipleChoiceField(
        label=gettext_lazy("If yes: what has changed? Tick all that apply."),
        choices=list(CHANGE_CHOICES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose from the list.")},
    )
    details = forms.CharField(
        label=gettext_lazy("If yes: tell your practitioner a little more"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("submit", _("Send my answer")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("changed") and not cleaned.get("changes"):
            self.add_error(
                "changes",
                ValidationError(
                    _("You answered yes: tick what has changed."), code="changes_required"
                ),
            )
        if cleaned.get("changed") and not (cleaned.get("details") or "").strip():
            self.add_error(
                "details",
                ValidationError(
                    _("You answered yes: say what has changed, so your practitioner can prepare."),
                    code="details_required",
                ),
            )
        return cleaned


class ClearanceNoteForm(forms.Form):
    """An optional note from the client's doctor or midwife (PDF, JPEG or PNG, up to 10 MB)."""

    note = forms.FileField(
        label=gettext_lazy("Note from your doctor or midwife"),
        help_text=gettext_lazy("A PDF, or a photo (JPEG or PNG), up to 10 MB."),
        error_messages={"required": gettext_lazy("Choose the file to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Upload note")))

    def clean_note(self):
        upload = self.cleaned_data["note"]
        try:
            self.content_type = evidence_content_type(upload)
        except ValidationError as error:
            if error.code != "bad_evidence_type":
                raise
            raise ValidationError(
                _(
                    "%(name)s is not a PDF, JPEG or PNG file (whatever its name says). Upload a "
                    "scan or photo of the note."
                ),
                code="bad_note_type",
                params={"name": upload.name},
            ) from None
        return upload
