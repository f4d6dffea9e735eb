import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from practitioners.models import SESSION_LENGTHS, Practitioner, Service
from reflexbook.lib.encrypted_fields import EncryptedJSONField, EncryptedTextField
from sessions.models.billing import Invoice
from sessions.models.erasure import of_present_clients
from sessions.models.intake import ClearanceNote
from sessions.safety import Tier, has_tier


def _years_on(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February, into a year without one
        return moment.replace(year=moment.year + years, day=28)


def retention_cutoff(now: datetime) -> datetime:
    """The start of the retention period (settings.RECORD_RETENTION_YEARS before `now`):
    sessions before it no longer open the client's health data to the practitioner."""
    return _years_on(now, -settings.RECORD_RETENTION_YEARS)


def retention_end(last_session: datetime) -> datetime:
    """When the retention period that a session at `last_session` starts ends
    (settings.RECORD_RETENTION_YEARS on): the records it keeps may go then."""
    return _years_on(last_session, settings.RECORD_RETENTION_YEARS)


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

    def upcoming(self, now: datetime):
        """Active bookings that have not started (Booking.is_upcoming)."""
        return self.active().filter(starts_at__gt=now)

    def recordable(self, now: datetime):
        """Bookings a session record can be written for (Booking.can_have_record)."""
        return self.filter(status__in=Booking.RECORDABLE, starts_at__lte=now)

    def open_to_intake(self, now: datetime):
        """Bookings through which their practitioner may read the client's intake
        (Booking.opens_intake): active ones, and completed ones inside the retention period.
        A cancelled, declined or missed booking opens nothing."""
        return self.filter(
            Q(status__in=Booking.ACTIVE)
            | Q(status=Booking.Status.COMPLETED, starts_at__gte=retention_cutoff(now))
        )

    def with_clearance_note(self):
        """Each booking with `has_clearance_note` worked out in the same query (for lists)."""
        return self.annotate(
            has_clearance_note=Exists(ClearanceNote.objects.filter(intake=OuterRef("intake")))
        )

    def with_payment_state(self):
        """Each booking with `payment_state`: its invoice's state (open, partly_paid, paid),
        or None with no invoice standing (none yet, or void), in the same query (the
        calendar's paid / unpaid marker)."""
        invoices = Invoice.objects.filter(booking=OuterRef("pk")).exclude(state=Invoice.State.VOID)
        return self.annotate(payment_state=Subquery(invoices.values("state")[:1]))


class BookingManager(models.Manager.from_queryset(BookingQuerySet)):
    def get_queryset(self):
        """Every booking but those of clients who erased their account: their retained
        records are out of every list and page (sessions.erasure; Booking.all_objects
        reaches them)."""
        return of_present_clients(super().get_queryset())


class Booking(models.Model):
    """A client's session with a practitioner. Times are UTC; price and length are copied at
    booking time so later price changes do not alter it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("booking status", "Requested")
        CONFIRMED = "confirmed", pgettext_lazy("booking status", "Confirmed")
        DECLINED = "declined", pgettext_lazy("booking status", "Declined")
        CANCELLED_BY_CLIENT = (
            "cancelled_by_client",
            pgettext_lazy("booking status", "Cancelled by client"),
        )
        CANCELLED_BY_PRACTITIONER = (
            "cancelled_by_practitioner",
            pgettext_lazy("booking status", "Cancelled by practitioner"),
        )
        # Staff cancelling a hidden practitioner's bookings (sessions.booking, issue 15).
        CANCELLED_BY_STAFF = (
            "cancelled_by_staff",
            pgettext_lazy("booking status", "Cancelled by reflexbook staff"),
        )
        COMPLETED = "completed", pgettext_lazy("booking status", "Completed")
        NO_SHOW = "no_show", pgettext_lazy("booking status", "No-show")

    class SafetyDecision(models.TextChoices):
        PROCEED = "proceed", pgettext_lazy("safety decision", "Proceed")
        POSTPONE = "postpone", pgettext_lazy("safety decision", "Postpone")

    class FlagsCause(models.TextChoices):
        """Why a booking's flags were last re-scored (sessions.booking), as "after ..."."""

        INTAKE = "intake", gettext_lazy("a new health form")
        CHECK = "check", gettext_lazy("the pre-session check")
        RESCHEDULE = "reschedule", gettext_lazy("a reschedule")
        REACTION = "reaction", gettext_lazy("a strong reaction reported after a session")
        FOLLOW_UP = "follow_up", gettext_lazy("the practitioner's follow-up")

    ACTIVE = (Status.REQUESTED, Status.CONFIRMED)
    # Sessions that stand or took place: once started, they can have a session record.
    RECORDABLE = (Status.CONFIRMED, Status.COMPLETED)
    # Bookings that hold, or held, their time: the agenda's day grid and the demo's calendar.
    HOLDS_TIME = (Status.REQUESTED, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)

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
    # What the calendar keeps free: from the start less the travel to a home visit, to the
    # end plus the service's buffer (and the travel back). Copied at booking time.
    blocks_from = models.DateTimeField()
    blocks_until = models.DateTimeField()
    # A home visit's address, given by the client when booking; empty at the practice.
    client_address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.REQUESTED)
    client_message = EncryptedTextField(blank=True)
    policy_text = models.TextField(
        help_text=gettext_lazy("The cancellation policy the client accepted.")
    )
    intake = models.ForeignKey(
        "reflex_sessions.IntakeForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text=gettext_lazy("The intake version in force when the booking was made."),
    )
    # Encrypted: a flag's reason quotes the client's own words (sessions.safety).
    flags = EncryptedJSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy(
            "The safety flags in force for this session (re-scored when answers change)."
        ),
    )
    # What the client reported for this session alone (sessions.safety.for_session): the
    # "unwell right now?" answer given when booking, the pre-session check's choices.
    session_answers = EncryptedJSONField(default=dict, blank=True)
    flags_changed_at = models.DateTimeField(null=True, blank=True)
    flags_change_cause = models.CharField(max_length=20, choices=FlagsCause.choices, blank=True)
    clearance_confirmed_at = models.DateTimeField(null=True, blank=True)
    safety_decision = models.CharField(max_length=10, choices=SafetyDecision.choices, blank=True)
    safety_note = EncryptedTextField(blank=True)
    is_late_cancellation = models.BooleanField(default=False)
    # The client cancelled because they are unwell: never late (no late mark, no fee), and
    # shown to the practitioner as "Cancelled: unwell", with no further health detail.
    cancelled_for_illness = models.BooleanField(default=False)
    cancellation_reason = EncryptedTextField(blank=True)
    decline_reason = EncryptedTextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    series = models.ForeignKey(
        "reflex_sessions.BookingSeries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text=gettext_lazy("The series this booking was booked in, if any (sessions.series)."),
    )
    # Who made the booking when it was not the client: their practitioner, on their behalf.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why the practitioner starts the session record before the client signed a health form
    # (a booking made for an invited client carries none until they do), and when they said so.
    proceeds_without_intake_reason = EncryptedTextField(blank=True)
    proceeds_without_intake_at = models.DateTimeField(null=True, blank=True)
    # iCalendar SEQUENCE: bumped on every change the client or practitioner should see.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingManager()
    # Bookings of erased clients too: only sessions.erasure and the retained view use it.
    all_objects = BookingQuerySet.as_manager()

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
                violation_error_message=gettext_lazy("A booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(blocks_until__gte=F("ends_at")),
                name="reflex_sessions_booking_buffer_after_end",
                violation_error_message=gettext_lazy("The buffer follows the session."),
            ),
            models.CheckConstraint(
                condition=Q(blocks_from__lte=F("starts_at")),
                name="reflex_sessions_booking_travel_before_start",
                violation_error_message=gettext_lazy(
                    "The travel to a home visit comes before the session."
                ),
            ),
            models.CheckConstraint(
                condition=Q(minutes__in=SESSION_LENGTHS),
                name="reflex_sessions_booking_30_45_60",
                violation_error_message=gettext_lazy("Sessions are 30, 45 or 60 minutes long."),
            ),
            models.CheckConstraint(
                condition=Q(cancelled_for_illness=False)
                | Q(status="cancelled_by_client", is_late_cancellation=False),
                name="reflex_sessions_booking_illness_never_late",
                violation_error_message=gettext_lazy(
                    "A cancellation because of illness is the client's and is never late."
                ),
            ),
            # A backstop on every database; PostgreSQL also refuses any overlap (migration 0002).
            models.UniqueConstraint(
                fields=["practitioner", "starts_at"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="reflex_sessions_booking_one_active_per_start",
                violation_error_message=gettext_lazy("That time was just taken."),
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
    def booked_for_client(self) -> bool:
        """Made by the practitioner on the client's behalf (sessions.booking.book_for_client)."""
        return self.booked_by_id is not None and self.booked_by_id != self.client_id

    @property
    def awaits_health_form(self) -> bool:
        """No health form is pinned to the booking yet (the practitioner booked for a client
        who has not signed one): "health form not yet completed" on every page showing it.
        The client's first signed form fills it in (sessions.booking.sign_intake_and_rescore)."""
        return self.intake_id is None

    @property
    def record_waits_for_intake(self) -> bool:
        """The practitioner may not start the session record: no health form is signed and
        they have not recorded why they proceed without one."""
        return self.awaits_health_form and self.proceeds_without_intake_at is None

    # Where the session takes place: the one definition the booking page, the emails
    # (emails/_booking_where.txt) and the calendar file read.

    @property
    def is_home_visit(self) -> bool:
        return bool(self.client_address)

    @property
    def address(self) -> str:
        """The session's address on one line: the client's home, or the practice."""
        return self.client_address or self.practitioner.practice_address

    @property
    def place(self) -> str:
        """Where the session is, in the client's words."""
        if self.is_home_visit:
            return _("At your home: %(address)s") % {"address": self.address}
        return self.address

    @property
    def place_for_practitioner(self) -> str:
        """Where the session is, in the practitioner's words."""
        if self.is_home_visit:
            return _("At the client's home: %(address)s") % {"address": self.address}
        return self.address

    @property
    def map_url(self) -> str:
        """A plain OpenStreetMap search link for the address ("" without one): nothing is
        embedded or loaded from another site."""
        if not self.address:
            return ""
        return f"https://www.openstreetmap.org/search?{urlencode({'query': self.address})}"

    # The rules about one booking. Each takes `now` (the clock is read only when it is left
    # out, as templates do), and the write path, the views and the templates all ask these.

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def is_upcoming(self, now: datetime | None = None) -> bool:
        """Active and not started: the client can still cancel it or check in for it."""
        return self.is_active and not self.has_started(now)

    def can_have_record(self, now: datetime | None = None) -> bool:
        """A session that stands or took place, once it has started."""
        return self.status in self.RECORDABLE and self.has_started(now)

    @property
    def has_health_notes(self) -> bool:
        """Whether the booking carries health details besides its pre-session answers: safety
        flags, or free text that may carry health words (the client's message, the safety
        note, the reasons for cancelling or declining)."""
        return bool(
            self.flags
            or self.client_message
            or self.safety_note
            or self.cancellation_reason
            or self.decline_reason
        )

    def health_open_to(self, user, now: datetime | None = None) -> bool:
        """Whether `user`, who may see this booking, may see its health details (flags, notes,
        answers, the pinned intake): its client and staff always; its practitioner while the
        booking opens the intake (opens_intake), as IntakeForm.visible_to rules."""
        return user.pk == self.client_id or user.is_staff or self.opens_intake(now)

    def opens_intake(self, now: datetime | None = None) -> bool:
        """Whether this booking lets its practitioner read the client's intake: active, or
        completed inside the retention period (BookingQuerySet.open_to_intake)."""
        if self.is_active:
            return True
        return self.status == self.Status.COMPLETED and self.starts_at >= retention_cutoff(
            now or timezone.now()
        )

    @property
    def late_cancellation_from(self) -> datetime:
        """When the practitioner's late-cancellation window opens for this booking."""
        return self.starts_at - timedelta(hours=self.practitioner.late_cancel_hours)

    def is_late_cancellation_at(self, now: datetime) -> bool:
        """Whether cancelling at `now` falls inside the practitioner's late window."""
        return now > self.late_cancellation_from

    def cancel_refusal(self, by, now: datetime | None = None, *, as_staff: bool = False) -> str:
        """Why `by` cannot cancel this booking at `now`, in words, or "" if they can.
        `as_staff`: staff cancelling a hidden practitioner's booking (sessions.booking)."""
        if as_staff:
            if not by.is_staff:
                return _("Only reflexbook staff can cancel bookings for a practitioner.")
        elif by.pk not in (self.client_id, self.practitioner.user_id):
            # Anyone else (staff) would otherwise be recorded as the client, perhaps as late.
            return _("Only the client or the practitioner can cancel this booking.")
        if not self.is_active:
            return _("This booking is %(status)s, so it cannot be cancelled.") % {
                "status": self.get_status_display().lower()
            }
        if self.has_started(now):
            return _("This session has already started, so it cannot be cancelled.")
        return ""

    @property
    def reschedules_left(self) -> int | None:
        """How many more times the client may move this booking; None for no limit."""
        cap = self.practitioner.max_reschedules
        return None if cap is None else max(cap - self.reschedule_count, 0)

    @property
    def reschedule_offered(self) -> bool:
        """Whether the practitioner lets clients move bookings online at all."""
        return self.practitioner.max_reschedules != 0

    def is_first_session(self) -> bool:
        """No session with this practitioner stood or took place before this one (as the
        clients page counts sessions: RECORDABLE), so "since last time" has no last time.
        One query."""
        return not Booking.objects.filter(
            practitioner_id=self.practitioner_id,
            client_id=self.client_id,
            status__in=self.RECORDABLE,
            starts_at__lt=self.starts_at,
        ).exists()

    def move_refusal(self, now: datetime | None = None) -> str:
        """Why nobody can move this booking at `now` (not active, or started), or ""."""
        if not self.is_active:
            return _("This booking is %(status)s, so it cannot be moved.") % {
                "status": self.get_status_display().lower()
            }
        if self.has_started(now):
            return _("This session has already started, so it cannot be moved.")
        return ""

    def reschedule_refusal(self, now: datetime | None = None) -> str:
        """Why the client cannot move this booking at `now`, in words, or "" if they can:
        move_refusal, then the practitioner's limits on clients moving bookings."""
        if refusal := self.move_refusal(now):
            return refusal
        name = self.practitioner.display_name
        if not self.reschedule_offered:
            return _(
                "%(name)s does not offer rescheduling online. To move this session, contact "
                "them, or cancel it and book a new time."
            ) % {"name": name}
        if self.reschedules_left == 0:
            return ngettext(
                "This booking has been moved once, the most %(name)s allows. You can cancel "
                "it and book again instead.",
                "This booking has been moved %(count)s times, the most %(name)s allows. You "
                "can cancel it and book again instead.",
                self.reschedule_count,
            ) % {"name": name, "count": self.reschedule_count}
        return ""

    def finish_refusal(self, now: datetime | None = None) -> str:
        """Why the practitioner cannot mark this session completed or a no-show yet, or ""."""
        if self.status != self.Status.CONFIRMED:
            return _("This booking is %(status)s; only confirmed sessions can be marked.") % {
                "status": self.get_status_display().lower()
            }
        if not self.has_started(now):
            return _("You can mark the session once its start time has passed.")
        return ""

    @cached_property
    def has_clearance_note(self) -> bool:
        """Whether the client uploaded a note from their doctor or midwife for the intake
        version pinned to this booking: only then does a clearance read as confirmed to the
        practitioner (a ticked box is the client's own word). Lists annotate it instead
        (BookingQuerySet.with_clearance_note)."""
        return (
            self.intake_id is not None
            and ClearanceNote.objects.filter(intake_id=self.intake_id).exists()
        )

    @property
    def needs_clearance_confirmation(self) -> bool:
        """A clearance flag the client has not (or not since it arrived) confirmed."""
        return has_tier(self.flags, Tier.CLEARANCE) and self.clearance_confirmed_at is None

    def recorded_decisions(self) -> list:
        """The practitioner's decisions on talk-first flags (SafetyDecisionEntry), newest
        first. No query when none was recorded: each decision also sets safety_note."""
        if not self.safety_note:
            return []
        return list(self.safety_decisions.select_related("by"))

    @property
    def needs_safety_decision(self) -> bool:
        """A "talk first" flag: the practitioner decides (proceed or postpone) before confirming."""
        return has_tier(self.flags, Tier.POSTPONE)


class SafetyDecisionEntry(models.Model):
    """One decision the practitioner recorded on a booking's talk-first flags, kept for good
    (append-only): a later decision, after a re-scoring sent the booking back, adds a row
    and never overwrites the earlier one. The note may name a condition: health data."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="safety_decisions")
    decision = models.CharField(max_length=10, choices=Booking.SafetyDecision.choices)
    note = EncryptedTextField()
    decided_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.get_decision_display()} on {self.booking_id} at {self.decided_at}"


class Reminder(models.Model):
    """Outbox row for a reminder email: one per booking and kind, swept by run_due_jobs.

    The sweeper queues the email (a row in the task queue) and marks the reminder sent in
    the same transaction, so there is no half-sent state for a crash to leave behind."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", gettext_lazy("24 hours before")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("reminder state", "Pending")
        SENT = "sent", pgettext_lazy("reminder state", "Sent")
        SKIPPED = "skipped", gettext_lazy("Skipped (session already started)")

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
