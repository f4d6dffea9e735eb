"""Forms for ARCB credentials: the practitioner's details and evidence, and staff decisions."""

from datetime import date
from uuid import UUID

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.certification import DETAIL_FIELDS
from practitioners.certification_rules import RULES, Action, reason_refusal
from practitioners.models.certification import REJECT_REASON_CHOICES
from practitioners.uploads import EVIDENCE_MAX_BYTES, MB, evidence_content_type
from reflexbook.lib.text import single_line

FIRST_ARCB_YEAR = 1991  # ARCB has certified reflexologists since 1991


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """One or more evidence files. Cleans to a list of (upload, content type) pairs, and
    names every file it refuses, not just the first."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        checked, errors = [], []
        for upload in uploads:
            try:
                if not upload.size:
                    raise ValidationError(
                        _("%(name)s is empty. Choose the file again."),
                        code="empty",
                        params={"name": upload.name},
                    )
                upload = super().clean(upload, initial)
                checked.append((upload, evidence_content_type(upload)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


class CredentialForm(forms.Form):
    """An ARCB credential's details, plus any new evidence files."""

    credential_id = forms.CharField(
        label=gettext_lazy("ARCB credential ID"),
        max_length=50,
        required=False,
        validators=[single_line],
        help_text=gettext_lazy("As printed on your certificate or ID card, if it has one."),
    )
    year_certified = forms.IntegerField(
        label=gettext_lazy("Year certified"),
        error_messages={
            "required": gettext_lazy("Enter the year ARCB certified you, e.g. 2019."),
            "invalid": gettext_lazy("Enter the year as four digits, e.g. 2019."),
        },
    )
    ce_cycle_end = forms.DateField(
        label=gettext_lazy("End of your current CE cycle"),
        help_text=gettext_lazy(
            "ARCB asks for 12 CE hours every 2 years; a cycle ends on 31 December."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy(
                "Enter the date your current continuing-education cycle ends."
            ),
            "invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2027-12-31."),
        },
    )
    listing_url = forms.URLField(
        label=gettext_lazy("Link to your ARCB listing"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Optional: the page that lists you on arcb.net."),
        error_messages={
            "invalid": gettext_lazy("Enter a full web address, e.g. https://arcb.net/…")
        },
    )
    evidence = EvidenceFilesField(
        label=gettext_lazy("Evidence files"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, today: date, action: str, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.this_year = today.year
        self.fields["evidence"].help_text = _(
            "A scan or photo of your certificate or ID card: PDF, JPEG or PNG, up to "
            "%(mb)s MB each. You can choose several files. Files you have already added are kept."
        ) % {"mb": EVIDENCE_MAX_BYTES // MB}
        year = self.fields["year_certified"]
        year.widget.attrs.update(min=FIRST_ARCB_YEAR, max=self.this_year, inputmode="numeric")
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(Submit("save", submit_label))

    def clean_credential_id(self) -> str:
        return self.cleaned_data["credential_id"].strip()

    def clean_year_certified(self) -> int:
        year = self.cleaned_data["year_certified"]
        if not FIRST_ARCB_YEAR <= year <= self.this_year:
            raise ValidationError(
                _("Enter a year from %(first)d (when ARCB began certifying) to %(this)d."),
                code="year_out_of_range",
                params={"first": FIRST_ARCB_YEAR, "this": self.this_year},
            )
        return year

    def clean(self):
        cleaned = super().clean()
        year, cycle_end = cleaned.get("year_certified"), cleaned.get("ce_cycle_end")
        if year and cycle_end and cycle_end.year <= year:
            self.add_error(
                "ce_cycle_end",
                ValidationError(
                    _(
                        "The CE cycle ends after the year you were certified (%(year)d): your "
                        "first cycle ends on 31 December %(first_end)d."
                    ),
                    code="cycle_before_certification",
                    params={"year": year, "first_end": year + 2},
                ),
            )
        return cleaned

    @property
    def details(self) -> dict:
        return {field: self.cleaned_data[field] for field in DETAIL_FIELDS}

    @property
    def new_files(self) -> list[tuple[UploadedFile, str]]:
        return self.cleaned_data["evidence"]


class EvidenceSeenField(forms.Field):
    """The codes of the evidence files a decision form was shown with (hidden inputs), as
    UUIDs; anything that is not a code is dropped, and the service keeps only the
    credential's own files."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[UUID]:
        codes = []
        for item in value or []:
            try:
                codes.append(UUID(str(item)))
            except ValueError:
                continue
        return codes


# The words each decision asks for: (label, help text) of its reason field.
REASON_FIELDS = {
    Action.REJECT: (
        gettext_lazy("Note for the practitioner (optional; needed with “Other”)"),
        gettext_lazy(
            "They read it in their email and on their credentials page, with what to do next "
            "for the reason you chose."
        ),
    ),
    Action.REQUEST_INFO: (
        gettext_lazy("What do you need from the practitioner?"),
        gettext_lazy(
            "For example: “the back of your ID card, where the expiry date is”. They read it in "
            "their email and on their credentials page, and the credential comes back to the "
            "queue when they resubmit."
        ),
    ),
    Action.REVOKE: (gettext_lazy("Reason (the practitioner sees it)"), ""),
}


class DecisionForm(forms.Form):
    """A staff decision on a credential (`action`: an Action's value, or "confirm_revocation"
    / "withdraw_revocation"): a stock reason for a rejection, the words the practitioner
    reads, and the evidence files on the page. Whether the words are enough is the rules'
    call (certification_rules.reason_refusal), shown here as a field error."""

    seen = EvidenceSeenField(required=False)

    def __init__(self, *args, action: str, evidence_codes=(), **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["seen"].initial = [str(code) for code in evidence_codes]
        rule_action = Action(action) if action in Action else None
        if rule_action is not None and RULES[rule_action].needs_reason_code:
            self.fields["reason_code"] = forms.ChoiceField(
                label=_("Why can it not be verified?"),
                choices=REJECT_REASON_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        if rule_action in REASON_FIELDS:
            label, help_text = REASON_FIELDS[rule_action]
            self.fields["reason"] = forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=2000,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        cleaned = super().clean()
        if self.action in Action:
            refusal = reason_refusal(
                action=Action(self.action),
                reason=cleaned.get("reason", ""),
                reason_code=cleaned.get("reason_code", ""),
            )
            if refusal is not None and refusal.field in self.fields:
                self.add_error(
                    refusal.field, ValidationError(_(refusal.message), code="reason_missing")
                )
        return cleaned

    @property
    def decision(self) -> dict:
        """The service's arguments: the reason, its stock code and the files seen."""
        return {
            "reason": self.cleaned_data.get("reason", ""),
            "reason_code": self.cleaned_data.get("reason_code", ""),
            "evidence_seen": self.cleaned_data["seen"],
        }
