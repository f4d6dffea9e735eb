"""Forms for ARCB credentials: the practitioner's details and evidence, and staff decisions."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from practitioners.certification import DETAIL_FIELDS
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
                        "%(name)s is empty. Choose the file again.",
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
        label="ARCB credential ID",
        max_length=50,
        required=False,
        validators=[single_line],
        help_text="As printed on your certificate or ID card, if it has one.",
    )
    year_certified = forms.IntegerField(
        label="Year certified",
        error_messages={
            "required": "Enter the year ARCB certified you, e.g. 2019.",
            "invalid": "Enter the year as four digits, e.g. 2019.",
        },
    )
    ce_cycle_end = forms.DateField(
        label="End of your current CE cycle",
        help_text="ARCB asks for 12 CE hours every 2 years; a cycle ends on 31 December.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date your current continuing-education cycle ends.",
            "invalid": "Enter the date as YYYY-MM-DD, e.g. 2027-12-31.",
        },
    )
    listing_url = forms.URLField(
        label="Link to your ARCB listing",
        required=False,
        assume_scheme="https",
        help_text="Optional: the page that lists you on arcb.net.",
        error_messages={"invalid": "Enter a full web address, e.g. https://arcb.net/…"},
    )
    evidence = EvidenceFilesField(
        label="Evidence files",
        required=False,
        help_text=(
            "A scan or photo of your certificate or ID card: PDF, JPEG or PNG, up to "
            f"{EVIDENCE_MAX_BYTES // MB} MB each. You can choose several files. "
            "Files you have already added are kept."
        ),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, today: date, action: str, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.this_year = today.year
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
                "Enter a year from %(first)d (when ARCB began certifying) to %(this)d.",
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
                    "The CE cycle ends after the year you were certified (%(year)d): your "
                    "first cycle ends on 31 December %(first_end)d.",
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


class DecisionForm(forms.Form):
    """A staff decision on a credential; rejecting or revoking needs a reason."""

    reason = forms.CharField(
        label="Reason (the practitioner sees it)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["reason"].required = action in ("reject", "revoke")
        self.fields["reason"].error_messages["required"] = (
            f"Give a reason to {action}: the practitioner sees it in their email and on "
            "their credentials page."
        )
