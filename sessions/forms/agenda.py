"""Forms of the practitioner's agenda and booking actions. They validate input and nothing
else; sessions.booking decides whether the change can be made."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.models import Booking

REASON_MAX = 1000


def _reason_field(label, required_message, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": required_message,
            # The validator fills in the limit (REASON_MAX).
            "max_length": _("Keep it under %(limit_value)d characters."),
        },
    )


class _ActionForm(forms.Form):
    """A booking action. The agenda writes these forms out by hand, one per booking (see
    sessions/includes/practitioner_actions.html); a submitted one that comes back with errors
    is shown again with `{{ form|crispy }}` and a button saying `submit_label`."""

    submit_label = _("Send")


class AgendaDateForm(forms.Form):
    """Which day the agenda shows (GET ?date=YYYY-MM-DD)."""

    date = forms.DateField(
        label=_("Go to date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose a date."),
            "invalid": _("Enter the date as YYYY-MM-DD, e.g. 2026-03-09. Showing today instead."),
        },
    )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise forms.ValidationError(
                _("Choose a date between 2000 and 2100. Showing today instead."),
                code="out_of_range",
            )
        return day


class DeclineForm(_ActionForm):
    submit_label = _("Decline request")
    reason = _reason_field(
        _("Reason for declining"),
        _("Give the client a reason for declining."),
        _("Sent to the client in the email."),
    )


class SafetyDecisionForm(_ActionForm):
    """The practitioner's decision on 'talk first' flags, with a note for the record."""

    submit_label = _("Record decision")
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (Booking.SafetyDecision.PROCEED, _("Proceed: confirm this booking")),
            (Booking.SafetyDecision.POSTPONE, _("Postpone: decline this booking for now")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to proceed or postpone."),
            "invalid_choice": _("Choose proceed or postpone."),
        },
    )
    note = _reason_field(
        _("Note about your decision"),
        _("Write a short note about your decision."),
        _(
            "For your records; it is not sent to the client. If you postpone, the client is "
            "told you will be in touch to talk it through."
        ),
    )


class FinishForm(_ActionForm):
    submit_label = _("Save")
    status = forms.ChoiceField(
        label=_("How did the session go?"),
        choices=[
            (Booking.Status.COMPLETED, _("Completed")),
            (Booking.Status.NO_SHOW, _("No-show")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose completed or no-show."),
            "invalid_choice": _("A session can only be marked completed or a no-show."),
        },
    )


class PractitionerCancelForm(_ActionForm):
    submit_label = _("Cancel session")
    reason = _reason_field(
        _("Reason for cancelling"),
        _("Give the client a reason for cancelling."),
        _("Sent to the client in the email."),
    )
