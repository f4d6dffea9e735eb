"""Forms for the practice's money: a payment or refund, voiding an invoice, a fee's fate."""

from decimal import Decimal

from django import forms

from sessions.models import Payment


class PaymentForm(forms.Form):
    submit_label = "Record payment"
    method = forms.ChoiceField(
        label="Paid by",
        # A package credit pays through its own button (sessions.package_credits), which
        # takes the credit from the client's package.
        choices=[c for c in Payment.Method.choices if c[0] != Payment.Method.PACKAGE_CREDIT],
        initial=Payment.Method.CASH,
        error_messages={
            "required": "Choose how it was paid.",
            "invalid_choice": "Choose one of the ways listed.",
        },
    )
    amount = forms.DecimalField(
        label="Amount",
        max_digits=9,
        decimal_places=2,
        help_text="For a refund, enter a negative amount (e.g. -20.00) and say why below.",
        error_messages={
            "required": "Enter the amount paid.",
            "invalid": "Enter an amount such as 40 or 40.50.",
            "max_decimal_places": "Enter the amount to the cent: at most 2 decimal places.",
            "max_digits": "That amount is too large.",
        },
    )
    received_on = forms.DateField(
        label="Date received",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date you received it.",
            "invalid": "Enter a date such as 2026-11-30.",
        },
    )
    reason = forms.CharField(
        label="Reason (for a refund)",
        max_length=300,
        required=False,
        error_messages={"max_length": "Keep the reason to 300 characters."},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("Enter an amount other than zero.", code="zero")
        return amount

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None and amount < 0 and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                forms.ValidationError("Say why you are refunding this amount.", code="no_reason"),
            )
        return cleaned


class DiscountForm(forms.Form):
    submit_label = "Save discount"
    discount = forms.DecimalField(
        label="Discount",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text="Taken off the amount; 0 for none.",
        error_messages={
            "required": "Enter the discount, or 0 for none.",
            "invalid": "Enter an amount such as 10 or 10.50.",
            "min_value": "A discount cannot be negative.",
            "max_decimal_places": "Enter the discount to the cent: at most 2 decimal places.",
            "max_digits": "That discount is too large.",
        },
    )


class VoidForm(forms.Form):
    submit_label = "Void invoice"
    reason = forms.CharField(
        label="Why is this invoice void?",
        max_length=300,
        help_text="Shown on the invoice. Its number stays used.",
        error_messages={
            "required": "Say why you are voiding this invoice.",
            "max_length": "Keep the reason to 300 characters.",
        },
    )


class FeeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("charge", "Charge the fee"), ("waive", "Waive the fee")],
        error_messages={
            "required": "Choose to charge or waive the fee.",
            "invalid_choice": "Choose to charge or waive the fee.",
        },
    )
