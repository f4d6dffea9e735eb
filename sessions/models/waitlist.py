"""The waitlist (issue 17): a client waiting for a time with a practitioner, and the offers
made to them when time frees up (sessions.waitlist makes them, from the practitioners'
FreedTime outbox)."""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from practitioners.models import FreedTime, Practitioner, ServiceLength
from sessions import waitlist_rules

# The most entries a client may have waiting at once (the database holds it: an active entry
# takes one of this many numbered places, each place once per client).
MAX_ACTIVE_ENTRIES = 3
AT_MOST_ENTRIES = format_lazy(
    gettext_lazy("You can wait for at most {count} times at once."), count=MAX_ACTIVE_ENTRIES
)


class WaitlistEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=WaitlistEntry.Status.ACTIVE)

    def with_open_offer(self, now: datetime):
        """Each entry with the code, start and end of its latest open offer (None when it
        has none) as offer_code, offer_starts_at, offer_expires_at, in the same query."""
        latest = (
            WaitlistOffer.objects.live(now).filter(entry=OuterRef("pk")).order_by("-offered_at")
        )
        return self.annotate(
            offer_code=Subquery(latest.values("code")[:1]),
            offer_starts_at=Subquery(latest.values("starts_at")[:1]),
            offer_expires_at=Subquery(latest.values("expires_at")[:1]),
        )


class WaitlistEntry(models.Model):
    """A client waiting for a session of one length with one practitioner: on some weekdays,
    in some parts of the day (both as wall-clock time in the client's zone), between two
    dates. Offers go to active entries in the order they joined."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("waitlist entry status", "Waiting")
        LEFT = "left", pgettext_lazy("waitlist entry status", "Left the waitlist")
        BOOKED = "booked", pgettext_lazy("waitlist entry status", "Booked from an offer")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    length = models.ForeignKey(ServiceLength, on_delete=models.CASCADE, related_name="+")
    weekdays = models.PositiveSmallIntegerField(help_text="Bit n: weekday n (Monday is 0).")
    parts = models.PositiveSmallIntegerField(help_text="Bit n: morning, afternoon, evening.")
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # 1..MAX_ACTIVE_ENTRIES while active, empty otherwise: the database's count limit.
    place = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    joined_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = gettext_lazy("waitlist entries")
        indexes = [
            models.Index(
                fields=["practitioner", "joined_at"],
                condition=Q(status="active"),
                name="waitlist_active_entries",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=waitlist_rules.ALL_WEEKDAYS),
                name="reflex_sessions_waitlistentry_weekdays",
                violation_error_message=gettext_lazy("Choose at least one day of the week."),
            ),
            models.CheckConstraint(
                condition=Q(parts__gte=1, parts__lte=waitlist_rules.ALL_PARTS),
                name="reflex_sessions_waitlistentry_parts",
                violation_error_message=gettext_lazy("Choose at least one part of the day."),
            ),
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")),
                name="reflex_sessions_waitlistentry_dates_in_order",
                violation_error_message=gettext_lazy(
                    "The last day must be on or after the first day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="active", place__gte=1, place__lte=MAX_ACTIVE_ENTRIES)
                | (~Q(status="active") & Q(place__isnull=True)),
                name="reflex_sessions_waitlistentry_place",
                violation_error_message=AT_MOST_ENTRIES,
            ),
            models.UniqueConstraint(
                fields=["client", "place"],
                condition=Q(status="active"),
                name="reflex_sessions_waitlistentry_one_per_place",
                violation_error_message=AT_MOST_ENTRIES,
            ),
        ]

    def __str__(self):
        return f"{self.client} waiting for {self.practitioner} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def days_text(self) -> str:
        return waitlist_rules.describe_days(self.weekdays)

    @property
    def parts_text(self) -> str:
        return waitlist_rules.describe_parts(self.parts)

    def waits_on(self, day: date) -> bool:
        """Whether the entry would take a time on `day` (in its date range, on one of its
        weekdays), whatever the part of the day."""
        return self.first_day <= day <= self.last_day and bool(self.weekdays >> day.weekday() & 1)

    def suits(self, local_start: datetime) -> bool:
        """Whether a start (wall-clock time in the client's zone) is one this entry waits
        for (sessions.waitlist_rules.suits)."""
        return waitlist_rules.suits(
            local_start,
            weekdays=self.weekdays,
            parts=self.parts,
            first_day=self.first_day,
            last_day=self.last_day,
        )


class WaitlistOfferQuerySet(models.QuerySet):
    def live(self, now: datetime | None = None):
        """Offers still open: made and not answered, and their time not run out."""
        return self.filter(
            status=WaitlistOffer.Status.OFFERED, expires_at__gt=now or timezone.now()
        )

    def ran_out(self, now: datetime | None = None):
        return self.filter(
            status=WaitlistOffer.Status.OFFERED, expires_at__lte=now or timezone.now()
        )


class WaitlistOffer(models.Model):
    """One start time offered by email to one waiting client, from one freed time, valid
    until `expires_at`. Each entry is offered each freed time, and each start, once."""

    class Status(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("waitlist offer status", "Offered")
        CLAIMED = "claimed", pgettext_lazy("waitlist offer status", "Booked")
        DECLINED = "declined", pgettext_lazy("waitlist offer status", "Declined")
        EXPIRED = "expired", pgettext_lazy("waitlist offer status", "Ran out")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    freed = models.ForeignKey(FreedTime, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = WaitlistOfferQuerySet.as_manager()

    class Meta:
        ordering = ["offered_at", "pk"]
        indexes = [
            models.Index(
                fields=["expires_at"], condition=Q(status="offered"), name="waitlist_offer_open"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "freed"],
                name="reflex_sessions_waitlistoffer_once_per_freed_time",
                violation_error_message=gettext_lazy(
                    "This freed time was already offered to this entry."
                ),
            ),
            models.UniqueConstraint(
                fields=["entry", "starts_at"],
                name="reflex_sessions_waitlistoffer_once_per_start",
                violation_error_message=gettext_lazy(
                    "This time was already offered to this entry."
                ),
            ),
            models.CheckConstraint(
                condition=Q(offered_at__lt=F("expires_at")),
                name="reflex_sessions_waitlistoffer_expires_after_offer",
                violation_error_message=gettext_lazy("An offer must run out after it is made."),
            ),
        ]

    def __str__(self):
        return f"Offer of {self.starts_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    def is_live(self, now: datetime) -> bool:
        return self.status == self.Status.OFFERED and self.expires_at > now
