"""What a practitioner offers: services, each in one or more lengths with a price."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reflexbook.lib.text import NAME_VALIDATORS, postcode_key, single_line

SESSION_LENGTHS = [30, 45, 60]
DESCRIPTION_MAX_LENGTH = 1000
MAX_TRAVEL_MINUTES = 90
MAX_BUFFER_MINUTES = 30
# Said to a client booking a home visit without giving the address (the form and the write
# path say it the same way).


def _minutes_label(minutes: int) -> str:
    return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}


# "30 minutes" as a choice label: built at import, translated when shown.
minutes_label = lazy(_minutes_label, str)


NO_HOME_ADDRESS = gettext_lazy("Enter the address where you would like the session.")


class Service(models.Model):
    """Something a practitioner offers, in one or more lengths, each with its own price."""

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=100, validators=NAME_VALIDATORS)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("buffer after each session (minutes)"),
        default=15,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=gettext_lazy(
            "Time for hand washing, linen and notes. Blocks your calendar; clients never see it."
        ),
    )
    is_home_visit = models.BooleanField(
        gettext_lazy("home visit"),
        default=False,
        help_text=gettext_lazy("You go to the client, who gives their address when booking."),
    )
    visit_postcodes = models.CharField(
        gettext_lazy("postcodes you visit"),
        max_length=500,
        blank=True,
        validators=[single_line],
        help_text=gettext_lazy(
            "Separated by commas. A client's postcode matches one that it starts with: "
            "972 covers 97201 and 97232; SW1A covers SW1A 1AA."
        ),
    )
    travel_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("travel time each way (minutes)"),
        default=0,
        validators=[MaxValueValidator(MAX_TRAVEL_MINUTES)],
        help_text=gettext_lazy("Home visits: blocks your calendar before and after each session."),
    )
    is_active = models.BooleanField(gettext_lazy("offered"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=30),
                name="practitioners_service_buffer_0_30",
                violation_error_message=gettext_lazy("The buffer is between 0 and 30 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(travel_minutes__lte=MAX_TRAVEL_MINUTES),
                name="practitioners_service_travel_0_90",
                violation_error_message=gettext_lazy(
                    "The travel time is between 0 and 90 minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_home_visit=False) | ~Q(visit_postcodes=""),
                name="practitioners_service_home_visit_postcodes",
                violation_error_message=gettext_lazy("List the postcodes you visit."),
            ),
            models.CheckConstraint(
                condition=Q(is_home_visit=True) | Q(travel_minutes=0),
                name="practitioners_service_travel_only_home_visits",
                violation_error_message=gettext_lazy("Only home visits have a travel time."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def postcode_list(self) -> list[str]:
        """The postcodes listed for home visits, as the practitioner typed them."""
        return [code.strip() for code in self.visit_postcodes.split(",") if code.strip()]

    def visits(self, postcode: str) -> bool:
        """Whether this home visit covers `postcode`: it starts with a listed postcode
        (compared by reflexbook.lib.text.postcode_key)."""
        key = postcode_key(postcode)
        return bool(key) and any(
            key.startswith(postcode_key(listed)) for listed in self.postcode_list
        )

    def visit_refusal(self, postcode: str) -> str:
        """Why this home visit cannot come to `postcode`, in the client's words, or ""."""
        if not postcode.strip():
            return _("Enter the postcode of the address where you would like the session.")
        if self.visits(postcode):
            return ""
        return _(
            "%(name)s visits homes only in these postcodes: %(postcodes)s. %(postcode)s is "
            "not one of them, so please choose a practitioner nearer to you, or a session at "
            "a practice."
        ) % {
            "name": self.practitioner.display_name,
            "postcodes": ", ".join(self.postcode_list),
            "postcode": postcode.strip(),
        }


class ServiceLength(models.Model):
    """One bookable length of a service (30, 45 or 60 minutes) and its price."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="lengths")
    minutes = models.PositiveSmallIntegerField(
        gettext_lazy("length"), choices=[(m, minutes_label(m)) for m in SESSION_LENGTHS]
    )
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["minutes"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__in=SESSION_LENGTHS),
                name="practitioners_servicelength_30_45_60",
                violation_error_message=gettext_lazy("Sessions are 30, 45 or 60 minutes long."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="practitioners_servicelength_price_not_negative",
                violation_error_message=gettext_lazy("A price cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["service", "minutes"],
                name="practitioners_servicelength_one_price_per_length",
                violation_error_message=gettext_lazy(
                    "This service already has a price for that length."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.minutes} min ${self.price}"
