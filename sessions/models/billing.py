"""Money for sessions: the fees a booking carries, invoices and the payments against them.

Rows are written only by sessions.billing. An invoice copies what it states (names, address,
credential, service, amounts) when it is made, so it reads the same however the profile or
the booking changes later. Payments are recorded by the practitioner, not taken online;
`processor_reference` is where a card processor's id would go if one is added."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from practitioners.models import Practitioner
from reflexbook.lib import money


class BookingFees(models.Model):
    """The late-cancellation and no-show fees in force when the booking was made (copied then,
    so a fee changed later does not change them), and the practitioner's charge-or-waive
    decision once the booking is marked late-cancelled or a no-show. A table of its own: the
    booking table carries triggers that a new column would make SQLite drop."""

    class Decision(models.TextChoices):
        CHARGED = "charged", pgettext_lazy("fee decision", "Charged")
        WAIVED = "waived", pgettext_lazy("fee decision", "Waived")

    booking = models.OneToOneField(
        "reflex_sessions.Booking", on_delete=models.CASCADE, related_name="fees"
    )
    currency = models.CharField(max_length=3, default=money.DEFAULT_CURRENCY)
    late_cancel_fee = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    no_show_fee = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = gettext_lazy("booking fees")
        constraints = [
            models.CheckConstraint(
                condition=Q(late_cancel_fee__gte=0) & Q(no_show_fee__gte=0),
                name="reflex_sessions_bookingfees_not_negative",
                violation_error_message=gettext_lazy("A fee cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"Fees of booking {self.booking_id}"


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scope for invoices: the practitioner's own and the client's own; nobody
        else's (staff have no business with a practice's money)."""
        if not user.is_authenticated:
            return self.none()
        practitioner = getattr(user, "practitioner", None)
        if practitioner is not None:
            return self.filter(Q(practitioner=practitioner) | Q(client=user))
        return self.filter(client=user)

    def issued_by(self, user):
        """The invoices `user` issued as a practitioner (what they may record payments on)."""
        practitioner = getattr(user, "practitioner", None)
        if not user.is_authenticated or practitioner is None:
            return self.none()
        return self.filter(practitioner=practitioner)


class Invoice(models.Model):
    class Kind(models.TextChoices):
        SESSION = "session", pgettext_lazy("invoice kind", "Session")
        LATE_CANCELLATION = (
            "late_cancellation",
            pgettext_lazy("invoice kind", "Late cancellation fee"),
        )
        NO_SHOW = "no_show", pgettext_lazy("invoice kind", "No-show fee")

    class State(models.TextChoices):
        OPEN = money.OPEN, pgettext_lazy("invoice state", "Open")
        PARTLY_PAID = money.PARTLY_PAID, pgettext_lazy("invoice state", "Partly paid")
        PAID = money.PAID, pgettext_lazy("invoice state", "Paid")
        VOID = money.VOID, pgettext_lazy("invoice state", "Void")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="invoices"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices"
    )
    booking = models.ForeignKey(
        "reflex_sessions.Booking", on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SESSION)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    issued_at = models.DateTimeField()
    # What the invoice states, copied when it is made.
    practitioner_name = models.CharField(max_length=150)
    practice_address = models.CharField(max_length=400, blank=True)
    credential = models.CharField(max_length=200, blank=True)
    client_name = models.CharField(max_length=150)
    service_name = models.CharField(max_length=200)
    session_starts_at = models.DateTimeField()
    session_zone = models.CharField(max_length=64)
    minutes = models.PositiveSmallIntegerField()
    currency = models.CharField(max_length=3, default=money.DEFAULT_CURRENCY)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    discount = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    # The sum of the payments (refunds count negative), kept with them under the row's lock.
    paid = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    void_reason = models.CharField(max_length=300, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        indexes = [models.Index(fields=["client", "issued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "number"],
                name="reflex_sessions_invoice_number_once_per_practitioner",
                violation_error_message=gettext_lazy("That invoice number is already used."),
            ),
            models.UniqueConstraint(
                fields=["booking"],
                name="reflex_sessions_invoice_one_per_booking",
                violation_error_message=gettext_lazy("This booking already has an invoice."),
            ),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(discount__lte=F("amount")),
                name="reflex_sessions_invoice_discount_within_amount",
                violation_error_message=gettext_lazy(
                    "A discount is between nothing and the whole amount."
                ),
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0),
                name="reflex_sessions_invoice_never_more_refunded_than_paid",
                violation_error_message=gettext_lazy("More cannot be refunded than was paid."),
            ),
            models.CheckConstraint(
                condition=~Q(state="void") | ~Q(void_reason=""),
                name="reflex_sessions_invoice_void_has_reason",
                violation_error_message=gettext_lazy("Say why the invoice is void."),
            ),
        ]

    def __str__(self):
        return f"Invoice {self.number} of practitioner {self.practitioner_id}"

    def get_absolute_url(self):
        return reverse("sessions:invoice-detail", kwargs={"code": self.code})

    @property
    def total(self) -> Decimal:
        return self.amount - self.discount

    @property
    def balance(self) -> Decimal:
        return Decimal(0) if self.is_void else self.total - self.paid

    @property
    def is_void(self) -> bool:
        return self.state == self.State.VOID

    @property
    def is_settled(self) -> bool:
        """Paid in full (the calendar's "paid" marker)."""
        return self.state == self.State.PAID

    @property
    def reference(self) -> str:
        """The number as printed: "INV-0007"."""
        return f"INV-{self.number:04d}"

    @property
    def description(self) -> str:
        length = ngettext(
            "%(service)s, %(minutes)s minute", "%(service)s, %(minutes)s minutes", self.minutes
        ) % {"service": self.service_name, "minutes": self.minutes}
        if self.kind == self.Kind.SESSION:
            return length
        return _("%(kind)s: %(session)s") % {"kind": self.get_kind_display(), "session": length}


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", pgettext_lazy("payment method", "Cash")
        CARD_TERMINAL = "card_terminal", pgettext_lazy("payment method", "Card terminal")
        BANK_TRANSFER = "bank_transfer", pgettext_lazy("payment method", "Bank transfer")
        PACKAGE_CREDIT = "package_credit", pgettext_lazy("payment method", "Package credit")
        OTHER = "other", pgettext_lazy("payment method", "Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=20, choices=Method.choices)
    # Negative: a refund, with its reason.
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    received_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    # A card processor's id for the charge, should one be added (none is reachable now).
    processor_reference = models.CharField(max_length=100, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="reflex_sessions_payment_not_zero",
                violation_error_message=gettext_lazy("A payment is an amount other than zero."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) | ~Q(reason=""),
                name="reflex_sessions_payment_refund_has_reason",
                violation_error_message=gettext_lazy("Say why you are refunding this amount."),
            ),
        ]

    def __str__(self):
        return f"{self.amount} on invoice {self.invoice_id}"

    @property
    def is_refund(self) -> bool:
        return self.amount < 0
