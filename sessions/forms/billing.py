"""Forms for the practice's money: a payment or refund, voiding an invoice, a fee's fate."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from sessions.models import Payment

# The ways a practitioner records money received by hand: a package credit pays through its
# own button (sessions.package_credits), which takes the credit from the client's package.
PAID_BY_HAND = [c for c in Payment.Method.choices if c[0] != Payment.Method.PACKAGE_CREDIT]


class PaymentForm(forms.Form):
    submit_label = gettext_lazy("Record payment")
    method = forms.ChoiceField(
        label=gettext_lazy("Paid by"),
        choices=PAID_BY_HAND,
        initial=Payment.Method.CASH,
        error_messages={
            "required": gettext_lazy("Choose how it was paid."),
            "invalid_choice": gettext_lazy("Choose one of the ways listed."),
        },
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        max_digits=9,
        decimal_places=2,
        help_text=gettext_lazy(
            "For a refund, enter a negative amount (e.g. -20.00) and say why below."
        ),
        error_messages={
            "required": gettext_lazy("Enter the amount paid."),
            "invalid": gettext_lazy("Enter an amount such as 40 or 40.50."),
            "max_decimal_places": gettext_lazy(
                "Enter the amount to the cent: at most 2 decimal places."
            ),
            "max_digits": gettext_lazy("That amount is too large."),
        },
    )
    received_on = forms.DateField(
        label=gettext_lazy("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("Enter the date you received it."),
            "invalid": gettext_lazy("Enter a date such as 2026-11-30."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (for a refund)"),
        max_length=300,
        required=False,
        error_messages={"max_length": "Keep the reason to 300 characters."},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(
                gettext_lazy("Enter an amount other than zero."), code="zero"
            )
        return amount

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None and amount < 0 and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(
                    gettext_lazy("Say why you are refunding this amount."), code="no_reason"
                ),
            )
        return cleaned


class DiscountForm(forms.Form):
    submit_label = gettext_lazy("Save discount")
    discount = forms.DecimalField(
        label=gettext_lazy("Discount"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text=gettext_lazy("Taken off the amount; 0 for none."),
        error_messages={
            "required": gettext_lazy("Enter the discount, or 0 for none."),
            "invalid": gettext_lazy("Enter an amount such as 10 or 10.50."),
            "min_value": gettext_lazy("A discount cannot be negative."),
            "max_decimal_places": gettext_lazy(
                "Enter the discount to the cent: at most 2 decimal places."
            ),
            "max_digits": gettext_lazy("That discount is too large."),
        },
    )


class VoidForm(forms.Form):
    submit_label = gettext_lazy("Void invoice")
    reason = forms.CharField(
        label=gettext_lazy("Why is this invoice void?"),
        max_length=300,
        help_text=gettext_lazy("Shown on the invoice. Its number stays used."),
        error_messages={
            "required": gettext_lazy("Say why you are voiding this invoice."),
            "max_length": gettext_lazy("Keep the reason to 300 characters."),
        },
    )


class FeeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("charge", gettext_lazy("Charge the fee")),
            ("waive", gettext_lazy("Waive the fee")),
        ],
        error_messages={
            "required": gettext_lazy("Choose to charge or waive the fee."),
            "invalid_choice": gettext_lazy("Choose to charge or waive the fee."),
        },
    )
