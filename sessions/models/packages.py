"""Packages of sessions (issue 18): what a practitioner offers, what a client bought, and each
credit a booking used.

Rows are written only by sessions.package_credits. A sold package copies the offer's length,
count, price and currency, so a later change to the offer does not reach it. Its `used`
count moves only by a conditional UPDATE (`used < sessions`), and the database refuses a
count above the package's or below zero, so credits never go negative however many bookings
race for the last one.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practitioners.models import Practitioner
from reflexbook.lib import money
from sessions.models.billing import Payment


class PackagePolicy(models.Model):
    """What a practitioner does when a client with a package of this length has no credit left
    (their own table: a new column would make SQLite rebuild the practitioner table and drop
    its public_version triggers). No row: book unpaid."""

    class WhenNoCredit(models.TextChoices):
        BOOK_UNPAID = "unpaid", _("Book the session unpaid (paid on the day)")
        REFUSE = "refuse", _("Refuse the booking until the client buys a new package")

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, related_name="package_policy"
    )
    when_no_credit = models.CharField(
        _("when a client's package has no credit left"),
        max_length=10,
        choices=WhenNoCredit.choices,
        default=WhenNoCredit.BOOK_UNPAID,
    )

    def __str__(self):
        return f"Package policy of {self.practitioner_id}"


class Package(models.Model):
    """A package a practitioner offers: `sessions` sessions of `minutes` for `price`, usable
    for `valid_months` months from the sale."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="packages"
    )
    name = models.CharField(_("name"), max_length=100)
    minutes = models.PositiveSmallIntegerField(_("session length (minutes)"))
    sessions = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    price = models.DecimalField(
        _("price"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "minutes", "sessions", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gte=1) & Q(sessions__lte=50),
                name="reflex_sessions_package_sessions_1_to_50",
                violation_error_message=_("A package holds from 1 to 50 sessions."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="reflex_sessions_package_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(valid_months__gte=1) & Q(valid_months__lte=60),
                name="reflex_sessions_package_valid_1_to_60_months",
                violation_error_message=_("A package is valid for 1 to 60 months."),
            ),
        ]

    def __str__(self):
        return f"Package {self.name} of practitioner {self.practitioner_id}"


class ClientPackageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scope for sold packages: the client's own and the selling practitioner's."""
        if not user.is_authenticated:
            return self.none()
        practitioner = getattr(user, "practitioner", None)
        if practitioner is not None:
            return self.filter(Q(practitioner=practitioner) | Q(client=user))
        return self.filter(client=user)


class ClientPackage(models.Model):
    """A package sold to a client, with the payment the practitioner recorded for it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="sold")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="client_packages"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="packages"
    )
    # Copied from the offer when sold.
    name = models.CharField(max_length=100)
    minutes = models.PositiveSmallIntegerField()
    sessions = models.PositiveSmallIntegerField()
    price = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3, default=money.DEFAULT_CURRENCY)
    # Credits used by bookings still holding them; moved only by sessions.package_credits.
    used = models.PositiveSmallIntegerField(default=0)
    sold_on = models.DateField()
    expires_on = models.DateField()
    # The sale's payment, as the practitioner recorded it (never "package credit").
    payment_method = models.CharField(max_length=20, choices=Payment.Method.choices)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientPackageQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "pk"]
        indexes = [models.Index(fields=["client", "practitioner", "minutes"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(used__gte=0) & Q(used__lte=F("sessions")),
                name="reflex_sessions_clientpackage_used_within_sessions",
                violation_error_message=_("A package has no credit left."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(sessions__gte=1),
                name="reflex_sessions_clientpackage_price_and_sessions",
                violation_error_message=_("A package holds at least one session."),
            ),
            models.CheckConstraint(
                condition=~Q(payment_method=Payment.Method.PACKAGE_CREDIT),
                name="reflex_sessions_clientpackage_not_paid_by_credit",
                violation_error_message=_("A package cannot be paid with a package credit."),
            ),
        ]

    def __str__(self):
        return f"Package {self.name} of client {self.client_id}"

    @property
    def left(self) -> int:
        return self.sessions - self.used


class CreditUse(models.Model):
    """One credit a booking took from a package; `returned_at` once a cancellation within the
    policy gave it back, `payment` once it paid the session's invoice."""

    client_package = models.ForeignKey(ClientPackage, on_delete=models.PROTECT, related_name="uses")
    booking = models.OneToOneField(
        "reflex_sessions.Booking", on_delete=models.PROTECT, related_name="package_credit"
    )
    value = models.DecimalField(max_digits=9, decimal_places=2)
    used_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="package_credit"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="reflex_sessions_credituse_value_not_negative",
                violation_error_message=_("A credit's value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(payment__isnull=True),
                name="reflex_sessions_credituse_returned_or_paid",
                violation_error_message=_("A credit given back pays no invoice."),
            ),
        ]

    def __str__(self):
        return f"Credit of package {self.client_package_id} for booking {self.booking_id}"
