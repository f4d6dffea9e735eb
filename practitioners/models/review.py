"""The trust-and-safety queue (issue 15): wording the claims check warned about and
practitioners saved anyway, and clients' reports about a practitioner, each one item for
staff to look at (practitioners.review decides and writes; views only call it).

practitioners never imports sessions, so a session summary is named by its record's public
code, not a foreign key.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

# Items that still wait on someone: staff (open) or the practitioner (change asked).
UNRESOLVED = ("open", "change_asked")


class ClientReport(models.Model):
    """A logged-in client's report about a practitioner, from the profile or a booking."""

    class Reason(models.TextChoices):
        CONDUCT = "conduct", gettext_lazy("Unsafe or inappropriate conduct")
        MISLEADING = "misleading", gettext_lazy("Misleading claims")
        IDENTITY = "identity", gettext_lazy("Not the person in the profile")
        NO_SHOW_OR_PAYMENT = "no_show_or_payment", gettext_lazy("No-show or payment problem")
        OTHER = "other", gettext_lazy("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty once the client's erased account is purged (sessions.erasure): the report stays
    # with the practitioner's safety record, no longer linked to a person.
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_made",
    )
    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="reports"
    )
    # The booking it was made from (sessions.Booking.code), if any.
    booking_code = models.UUIDField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices)
    details = models.TextField(gettext_lazy("what happened"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(details=""),
                name="practitioners_clientreport_other_has_details",
                violation_error_message=gettext_lazy(
                    "Say what happened when the reason is “Other”."
                ),
            ),
        ]

    def __str__(self):
        return f"Report on {self.practitioner} ({self.get_reason_display()})"


class ReviewItemQuerySet(models.QuerySet):
    def unresolved(self):
        """Items waiting on staff or on the practitioner (one per subject, a constraint)."""
        return self.filter(state__in=UNRESOLVED)

    def waiting_for_staff(self):
        """The queue: items staff have not decided yet, oldest first."""
        return self.filter(state=ReviewItem.State.OPEN).order_by("created_at", "pk")


class ReviewItem(models.Model):
    """One subject staff should look at: a practitioner's profile, one of their services or
    session summaries (saved with wording the claims check warned about), or a client's
    report. A subject appears once among unresolved items; saving it again updates that item."""

    class Kind(models.TextChoices):
        PROFILE = "profile", gettext_lazy("Profile")
        SERVICE = "service", gettext_lazy("Service")
        SUMMARY = "summary", gettext_lazy("Session summary")
        REPORT = "report", gettext_lazy("Client report")

    class State(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        FINE = "fine", gettext_lazy("Fine as it is")
        CHANGE_ASKED = "change_asked", gettext_lazy("Change asked")
        CLOSED = "closed", gettext_lazy("Closed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="review_items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What makes the subject one: "profile", "service:<id>", "summary:<record code>" or
    # "report:<client id>" (one open report per client per practitioner). Never shown.
    subject_key = models.CharField(max_length=80)
    service = models.ForeignKey(
        "practitioners.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_items",
    )
    # The session record's public code (sessions.SessionRecord.code) for a summary.
    record_code = models.UUIDField(null=True, blank=True)
    report = models.OneToOneField(
        ClientReport, on_delete=models.PROTECT, null=True, blank=True, related_name="item"
    )
    # The phrases the claims check warned about in the saved text (practitioners.scope).
    words = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=15, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Staff's message (asked to change, sent to the practitioner) or note (fine, closed).
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="reviewitem_state_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "subject_key"],
                condition=Q(state__in=UNRESOLVED),
                name="practitioners_reviewitem_one_unresolved_per_subject",
                violation_error_message=gettext_lazy("This is already in the review queue."),
            ),
            models.CheckConstraint(
                condition=Q(kind="report", report__isnull=False)
                | Q(~Q(kind="report"), report__isnull=True),
                name="practitioners_reviewitem_report_only_for_reports",
                violation_error_message=gettext_lazy("Only a client report item names a report."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.practitioner} ({self.get_state_display()})"

    @property
    def is_unresolved(self) -> bool:
        return self.state in UNRESOLVED


class StaffHideQuerySet(models.QuerySet):
    def current(self):
        """Hides in force (not shown again yet)."""
        return self.filter(shown_at__isnull=True)


class StaffHide(models.Model):
    """Staff took a practitioner out of the directory (Practitioner.objects.listed()): who,
    when and why; and who showed them again, and when. A row, not columns on the profile:
    each hide is kept, and its writes move public_version through a trigger like the other
    rows the public pages depend on (practitioners.public_version)."""

    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="staff_hides"
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField()
    reason = models.TextField()
    shown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shown_at = models.DateTimeField(null=True, blank=True)

    objects = StaffHideQuerySet.as_manager()

    class Meta:
        ordering = ["hidden_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner"],
                condition=Q(shown_at__isnull=True),
                name="practitioners_staffhide_one_current",
                violation_error_message=gettext_lazy("This profile is already hidden."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="practitioners_staffhide_has_reason",
                violation_error_message=gettext_lazy("Staff hide a profile with a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.practitioner} hidden {self.hidden_at:%Y-%m-%d}"
