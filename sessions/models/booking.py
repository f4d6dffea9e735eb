import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from practitioners.models import SESSION_LENGTHS, Practitioner, Service


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scope for bookings: a client's own, a practitioner's (made with them, and
        their own as a client), everything for staff; nothing for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        practitioner = getattr(user, "practitioner", None)
        if practitioner is not None:
            return self.filter(Q(practitioner=practitioner) | Q(client=user))
        return self.filter(client=user)

    def active(self):
        """Bookings that hold their time: requested or confirmed."""
        return self.filter(status__in=Booking.ACTIVE)


class Booking(models.Model):
    """A client's session with a practitioner. Times are UTC; price and length are copied at
    booking time so later price changes do not alter it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by client"
        CANCELLED_BY_PRACTITIONER = "cancelled_by_practitioner", "Cancelled by practitioner"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    class SafetyDecision(models.TextChoices):
        PROCEED = "proceed", "Proceed"
        POSTPONE = "postpone", "Postpone"

    ACTIVE = (Status.REQUESTED, Status.CONFIRMED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    minutes = models.PositiveSmallIntegerField()
    price = models.DecimalField(max_digits=7, decimal_places=2)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # End of the session plus the service's buffer: what the calendar keeps free.
    blocks_until = models.DateTimeField()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.REQUESTED)
    client_message = models.TextField(blank=True)
    policy_text = models.TextField(help_text="The cancellation policy the client accepted.")
    intake = models.ForeignKey(
        "reflex_sessions.IntakeForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text="The intake version in force when the booking was made.",
    )
    flags = models.JSONField(
        default=list, blank=True, help_text="Safety flags shown at booking time."
    )
    clearance_confirmed_at = models.DateTimeField(null=True, blank=True)
    safety_decision = models.CharField(max_length=10, choices=SafetyDecision.choices, blank=True)
    safety_note = models.TextField(blank=True)
    is_late_cancellation = models.BooleanField(default=False)
    cancellation_reason = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # iCalendar SEQUENCE: bumped on every change the client or practitioner should see.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["practitioner", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="reflex_sessions_booking_ends_after_start",
                violation_error_message="A booking must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(blocks_until__gte=F("ends_at")),
                name="reflex_sessions_booking_buffer_after_end",
                violation_error_message="The buffer follows the session.",
            ),
            models.CheckConstraint(
                condition=Q(minutes__in=SESSION_LENGTHS),
                name="reflex_sessions_booking_30_45_60",
                violation_error_message="Sessions are 30, 45 or 60 minutes long.",
            ),
            # A backstop on every database; PostgreSQL also refuses any overlap (migration 0002).
            models.UniqueConstraint(
                fields=["practitioner", "starts_at"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="reflex_sessions_booking_one_active_per_start",
                violation_error_message="That time was just taken.",
            ),
        ]

    def __str__(self):
        return f"{self.client} with {self.practitioner} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self):
        return reverse("sessions:booking-detail", kwargs={"code": self.code})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def needs_safety_decision(self) -> bool:
        """A "talk first" flag: the practitioner decides (proceed or postpone) before confirming."""
        return any(flag.get("tier") == "postpone" for flag in self.flags)


class Reminder(models.Model):
    """Outbox row for a reminder email: one per booking and kind, swept by run_due_jobs.

    The sweeper queues the email (a row in the task queue) and marks the reminder sent in
    the same transaction, so there is no half-sent state for a crash to leave behind."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", "24 hours before"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (session already started)"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind"],
                name="reflex_sessions_reminder_one_per_booking_and_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.booking_id} due {self.due_at}"
