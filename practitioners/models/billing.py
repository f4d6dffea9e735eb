"""A practitioner's money settings, in their own table (one row per practitioner, made on
first use): adding columns to the practitioner table would make SQLite rebuild it and drop its
public_version triggers. The row also holds the invoice counter, locked while an invoice takes
its number (sessions.billing), so numbers run without gaps per practitioner."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from reflexbook.lib import money


class FeeKind(models.TextChoices):
    NONE = money.FEE_NONE, gettext_lazy("No fee")
    AMOUNT = money.FEE_AMOUNT, gettext_lazy("A fixed amount")
    PERCENT = money.FEE_PERCENT, gettext_lazy("A percentage of the session's price")


class PracticeBilling(models.Model):
    practitioner = models.OneToOneField(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="billing"
    )
    currency = models.CharField(
        gettext_lazy("currency"),
        max_length=3,
        choices=[(code, code) for code in money.CURRENCIES],
        default=money.DEFAULT_CURRENCY,
        help_text=gettext_lazy("Prices, invoices and receipts are in this currency."),
    )
    late_cancel_fee_kind = models.CharField(
        gettext_lazy("late cancellation fee"),
        max_length=10,
        choices=FeeKind.choices,
        default=FeeKind.NONE,
    )
    late_cancel_fee_value = models.DecimalField(
        gettext_lazy("late cancellation fee: amount or percentage"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    no_show_fee_kind = models.CharField(
        gettext_lazy("no-show fee"), max_length=10, choices=FeeKind.choices, default=FeeKind.NONE
    )
    no_show_fee_value = models.DecimalField(
        gettext_lazy("no-show fee: amount or percentage"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    # The next invoice's number; only sessions.billing moves it, with this row locked.
    next_invoice_number = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(late_cancel_fee_value__gte=0) & Q(no_show_fee_value__gte=0),
                name="practitioners_practicebilling_fees_not_negative",
                violation_error_message=gettext_lazy("A fee cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(
                    ~Q(late_cancel_fee_kind=FeeKind.PERCENT) | Q(late_cancel_fee_value__lte=100)
                )
                & (~Q(no_show_fee_kind=FeeKind.PERCENT) | Q(no_show_fee_value__lte=100)),
                name="practitioners_practicebilling_percent_at_most_100",
                violation_error_message=gettext_lazy(
                    "A percentage fee is at most 100% of the price."
                ),
            ),
            models.CheckConstraint(
                condition=Q(next_invoice_number__gte=1),
                name="practitioners_practicebilling_numbers_from_1",
                violation_error_message=gettext_lazy("Invoice numbers start at 1."),
            ),
        ]

    def __str__(self):
        return f"Billing settings of {self.practitioner_id}"

    @classmethod
    def for_practitioner(cls, practitioner) -> "PracticeBilling":
        """The practitioner's settings row, made with the defaults on first use."""
        billing, _created = cls.objects.get_or_create(practitioner=practitioner)
        return billing

    def fee_words(self, kind: str, value: Decimal) -> str:
        return money.fee_words(kind, value, self.currency)

    @property
    def late_cancel_fee_words(self) -> str:
        return self.fee_words(self.late_cancel_fee_kind, self.late_cancel_fee_value)

    @property
    def no_show_fee_words(self) -> str:
        return self.fee_words(self.no_show_fee_kind, self.no_show_fee_value)
