import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from practitioners.models import Practitioner, Service

EVERY_WEEKS = (1, 2, 3, 4)
SERIES_COUNTS = range(2, 13)


class BookingSeries(models.Model):
    """A course of sessions a practitioner booked for a client at once: the same weekday, local
    time and length every `every_weeks` weeks, `count` dates asked for (sessions.series). Its
    bookings (Booking.series) are ordinary bookings; the series only ties them together."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="booking_series"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="booking_series"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    every_weeks = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = gettext_lazy("booking series")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_weeks__gte=min(EVERY_WEEKS), every_weeks__lte=max(EVERY_WEEKS)),
                name="reflex_sessions_bookingseries_every_1_to_4_weeks",
                violation_error_message=gettext_lazy("A series repeats every 1, 2, 3 or 4 weeks."),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=SERIES_COUNTS.start, count__lte=SERIES_COUNTS.stop - 1),
                name="reflex_sessions_bookingseries_2_to_12_sessions",
                violation_error_message=gettext_lazy("A series has 2 to 12 sessions."),
            ),
        ]

    def __str__(self):
        return f"{self.count} sessions every {self.every_weeks} weeks for {self.client}"

    def get_absolute_url(self):
        return reverse("sessions:series", kwargs={"code": self.code})
