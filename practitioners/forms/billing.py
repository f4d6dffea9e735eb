"""The practitioner's money settings: currency and the late-cancellation and no-show fees.
Validates input and nothing else; the view saves."""

from decimal import Decimal

from django import forms

from practitioners.models import FeeKind, PracticeBilling

FEES = (
    ("late_cancel_fee_kind", "late_cancel_fee_value", "late cancellation"),
    ("no_show_fee_kind", "no_show_fee_value", "no-show"),
)


class BillingForm(forms.ModelForm):
    class Meta:
        model = PracticeBilling
        fields = [
            "currency",
            "late_cancel_fee_kind",
            "late_cancel_fee_value",
            "no_show_fee_kind",
            "no_show_fee_value",
        ]
        widgets = {
            "late_cancel_fee_kind": forms.RadioSelect,
            "no_show_fee_kind": forms.RadioSelect,
        }
        help_texts = {
            "late_cancel_fee_value": "An amount (e.g. 40.00) or a percentage (e.g. 50).",
            "no_show_fee_value": "An amount (e.g. 80.00) or a percentage (e.g. 100).",
        }
        error_messages = {
            field: {
                "invalid": "Enter a number such as 40 or 40.50.",
                "min_value": "A fee cannot be negative.",
                "max_decimal_places": "Enter it to the cent: at most 2 decimal places.",
                "max_digits": "That fee is too large.",
            }
            for field in ("late_cancel_fee_value", "no_show_fee_value")
        }

    def clean(self):
        cleaned = super().clean()
        for kind_field, value_field, name in FEES:
            kind, value = cleaned.get(kind_field), cleaned.get(value_field)
            if value is None:
                continue
            if kind == FeeKind.PERCENT and value > 100:
                self.add_error(
                    value_field,
                    forms.ValidationError(
                        f"A {name} fee is at most 100% of the session's price.",
                        code="over_100",
                    ),
                )
            elif kind in (FeeKind.AMOUNT, FeeKind.PERCENT) and value == 0:
                self.add_error(
                    value_field,
                    forms.ValidationError(
                        f"Enter the {name} fee, or choose “No fee”.", code="zero_fee"
                    ),
                )
            elif kind == FeeKind.NONE:
                cleaned[value_field] = Decimal("0.00")
        return cleaned
