"""The trust-and-safety forms (issue 15): a client's report, staff decisions on the review
queue, hiding a profile and cancelling a hidden practitioner's bookings. They validate input
and nothing else; the views call practitioners.review (or sessions.booking) to write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.models import ClientReport

Reason = ClientReport.Reason


def _text(label: str, *, required: bool, max_length: int, help_text: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            # The field's label starts each message ("Reason for hiding: this is needed.").
            "required": format_lazy(gettext_lazy("{label}: this is needed."), label=label),
            "max_length": format_lazy(
                gettext_lazy(
                    "{label}: keep it under {max_length} characters (you have %(show_value)d)."
                ),
                label=label,
                max_length=max_length,
            ),
        },
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is the problem?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what the problem is."),
            "invalid_choice": gettext_lazy("Choose one of the reasons listed."),
        },
    )
    details = _text(
        gettext_lazy("What happened"),
        required=False,
        max_length=3000,
        help_text=gettext_lazy(
            "Needed when you choose “Other”. Only reflexbook staff read it; the "
            "practitioner is not told who reported them."
        ),
        rows=5,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not cleaned.get("details"):
            self.add_error(
                "details",
                ValidationError(
                    _(
                        "Tell us what happened: with “Other” chosen, we need your words to "
                        "look into it."
                    ),
                    code="details_needed",
                ),
            )
        return cleaned


class ReviewDecisionForm(forms.Form):
    """Staff's decision on a flagged text: fine as it is, or ask the practitioner to change."""

    FINE = "fine"
    CHANGE = "change"
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        choices=[
            (FINE, gettext_lazy("Fine as it is")),
            (CHANGE, gettext_lazy("Ask the practitioner to change it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Choose “Fine as it is” or “Ask the practitioner to change it”."
            )
        },
    )
    message = _text(
        gettext_lazy("Message to the practitioner"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Needed when you ask for a change: say what to change and why. It is "
            "emailed to them and shown in their area."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.CHANGE and not cleaned.get("message"):
            self.add_error(
                "message",
                ValidationError(
                    _("Write the practitioner a message saying what to change."),
                    code="message_needed",
                ),
            )
        return cleaned


class CloseReportForm(forms.Form):
    note = _text(
        gettext_lazy("What you found or did"),
        required=True,
        max_length=2000,
        help_text=gettext_lazy(
            "Kept with the report for staff; the client and the practitioner do not see it."
        ),
    )


class HideForm(forms.Form):
    reason = _text(
        gettext_lazy("Reason for hiding"),
        required=True,
        max_length=2000,
        help_text=gettext_lazy("Emailed to the practitioner and shown in their area."),
    )


class CancelBookingsForm(forms.Form):
    message = _text(
        gettext_lazy("Message to each client"),
        required=True,
        max_length=2000,
        help_text=gettext_lazy("Each client's cancellation email gives this as the reason."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Cancel every upcoming booking with this practitioner"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm: this cannot be undone.")
        },
    )
