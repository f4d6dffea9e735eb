"""What a practitioner offers: services, each in one or more lengths with a price."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from reflexbook.lib.text import NAME_VALIDATORS

SESSION_LENGTHS = [30, 45, 60]
DESCRIPTION_MAX_LENGTH = 1000


class Service(models.Model):
    """Something a practitioner offers, in one or more lengths, each with its own price."""

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=100, validators=NAME_VALIDATORS)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(
        "buffer after each session (minutes)",
        default=15,
        validators=[MaxValueValidator(30)],
        help_text="Time for hand washing, linen and notes. Blocks your calendar; clients never see it.",
    )
    is_active = models.BooleanField("offered", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=30),
                name="practitioners_service_buffer_0_30",
                violation_error_message="The buffer is between 0 and 30 minutes.",
            ),
        ]

    def __str__(self):
        return self.name


class ServiceLength(models.Model):
    """One bookable length of a service (30, 45 or 60 minutes) and its price."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="lengths")
    minutes = models.PositiveSmallIntegerField(
        "length", choices=[(m, f"{m} minutes") for m in SESSION_LENGTHS]
    )
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["minutes"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__in=SESSION_LENGTHS),
                name="practitioners_servicelength_30_45_60",
                violation_error_message="Sessions are 30, 45 or 60 minutes long.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="practitioners_servicelength_price_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["service", "minutes"],
                name="practitioners_servicelength_one_price_per_length",
                violation_error_message="This service already has a price for that length.",
            ),
        ]

    def __str__(self):
        return f"{self.minutes} min ${self.price}"
