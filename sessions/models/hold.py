import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from practitioners.models import Practitioner, ServiceLength


class SlotHoldQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None):
        """Holds that still hold their time: a hold lapses by itself once `expires_at` has
        passed (every query compares it with now; no job has to run for that)."""
        return self.filter(expires_at__gt=now or timezone.now())

    def lapsed(self, now: datetime | None = None):
        return self.filter(expires_at__lte=now or timezone.now())

    def of_holder(self, *, key: str, user=None):
        """The holds of one visitor: taken in this browser (`key`, kept in the session across
        log in) or by this account."""
        who = Q(holder_key=key) if key else Q(pk__in=[])
        if user is not None and user.is_authenticated:
            who |= Q(user=user)
        return self.filter(who)


class SlotHold(models.Model):
    """A start time held for one visitor for settings.SLOT_HOLD_MINUTES while they sign up,
    fill in their health form and confirm: nobody else is offered it meanwhile. Taken and
    released only through sessions.holds; book_session turns it into the booking."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="holds")
    length = models.ForeignKey(ServiceLength, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    # What the calendar keeps free, as for a booking (sessions.booking._blocked_span): from
    # the start less the travel to a home visit to the end plus the buffer and travel back.
    blocks_from = models.DateTimeField(
        help_text=gettext_lazy("The start of the session less the travel to a home visit.")
    )
    blocks_until = models.DateTimeField(
        help_text=gettext_lazy(
            "The end of the session plus its buffer and the travel back from a home visit."
        )
    )
    expires_at = models.DateTimeField()
    # A random key kept in the visitor's session (it survives logging in), and the account
    # once they have one.
    holder_key = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlotHoldQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "expires_at"]),
            models.Index(fields=["holder_key"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("blocks_until")),
                name="reflex_sessions_slothold_ends_after_start",
                violation_error_message=gettext_lazy("A hold must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(blocks_from__lte=F("starts_at")),
                name="reflex_sessions_slothold_travel_before_start",
                violation_error_message=gettext_lazy(
                    "The travel to a home visit comes before the session."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(holder_key="") | Q(user__isnull=False),
                name="reflex_sessions_slothold_has_holder",
                violation_error_message=gettext_lazy("A hold belongs to a visitor."),
            ),
        ]

    def __str__(self) -> str:
        return f"Hold on {self.practitioner} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        """The review page of the held time (where the visitor books it)."""
        kwargs = {
            "slug": self.practitioner.slug,
            "length_id": self.length_id,
            "start": self.starts_at,
        }
        return reverse("sessions:review", kwargs=kwargs)

    def minutes_left(self, now: datetime | None = None) -> int:
        """Whole minutes until the hold lapses, rounded up (0 once it has)."""
        seconds = (self.expires_at - (now or timezone.now())).total_seconds()
        return max(0, -int(-seconds // 60))
