"""The practitioner's money settings: currency and the late-cancellation and no-show fees.
Validates input and nothing else; the view saves."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from practitioners.models import FeeKind, PracticeBilling

# Each fee's fields, and its two refusals (whole sentences, for translation).
FEES = (
    (
        "late_cancel_fee_kind",
        "late_cancel_fee_value",
        gettext_lazy("A late cancellation fee is at most 100% of the session's price."),
        gettext_lazy("Enter the late cancellation fee, or choose “No fee”."),
    ),
    (
        "no_show_fee_kind",
        "no_show_fee_value",
        gettext_lazy("A no-show fee is at most 100% of the session's price."),
        gettext_lazy("Enter the no-show fee, or choose “No fee”."),
    ),
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
            "late_cancel_fee_value": gettext_lazy(
                "An amount (e.g. 40.00) or a percentage (e.g. 50)."
            ),
            "no_show_fee_value": gettext_lazy("An amount (e.g. 80.00) or a percentage (e.g. 100)."),
        }
        error_messages = {
            field: {
                "invalid": gettext_lazy("Enter a number such as 40 or 40.50."),
                "min_value": gettext_lazy("A fee cannot be negative."),
                "max_decimal_places": gettext_lazy(
                    "Enter it to the cent: at most 2 decimal places."
                ),
                "max_digits": gettext_lazy("That fee is too large."),
            }
            for field in ("late_cancel_fee_value", "no_show_fee_value")
        }

    def clean(self):
        cleaned = super().clean()
        for kind_field, value_field, over_100, zero_fee in FEES:
            kind, value = cleaned.get(kind_field), cleaned.get(value_field)
            if value is None:
                continue
            if kind == FeeKind.PERCENT and value > 100:
                self.add_error(
                    value_field,
                    forms.ValidationError(over_100, code="over_100"),
                )
            elif kind in (FeeKind.AMOUNT, FeeKind.PERCENT) and value == 0:
                self.add_error(
                    value_field,
                    forms.ValidationError(zero_fee, code="zero_fee"),
                )
            elif kind == FeeKind.NONE:
                cleaned[value_field] = Decimal("0.00")
        return cleaned
