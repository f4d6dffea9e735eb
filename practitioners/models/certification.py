"""ARCB credentials, their evidence files and their history. Which state change is allowed
is decided in practitioners.certification_rules; practitioners.certification applies it."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from practitioners import certification_rules
from reflexbook.lib.storage import private_storage
from reflexbook.lib.text import single_line


class CertificationQuerySet(models.QuerySet):
    def badges(self, today=None):
        """Credentials that show a badge: verified and inside their CE cycle."""
        today = today or timezone.localdate()
        return self.filter(state=Certification.State.VERIFIED, ce_cycle_end__gte=today)

    def pending_queue(self):
        return self.filter(state=Certification.State.PENDING).order_by("submitted_at")


class Certification(models.Model):
    """A practitioner's ARCB credential of one kind (foot or hand) and its verification state."""

    class Kind(models.TextChoices):
        FOOT = "foot", "Foot"
        HAND = "hand", "Hand"

    # The states live with the pure rules that move a credential between them.
    State = certification_rules.State

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    credential_id = models.CharField(
        "ARCB credential ID",
        max_length=50,
        blank=True,
        validators=[single_line],
        help_text="As printed on your certificate or ID card, if it has one.",
    )
    year_certified = models.PositiveSmallIntegerField(
        "year certified", validators=[MinValueValidator(1991)]
    )
    ce_cycle_end = models.DateField(
        "end of current CE cycle",
        help_text="ARCB: 12 CE hours every 2 years; the cycle ends on 31 December.",
    )
    listing_url = models.URLField("link to your ARCB listing", blank=True)
    state = models.CharField(
        max_length=10, choices=certification_rules.STATE_CHOICES, default=State.DRAFT.value
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # The CE cycle end each reminder was last sent for, so each goes out once per cycle.
    reminded_60_for = models.DateField(null=True, blank=True, editable=False)
    reminded_14_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["practitioner", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "kind"],
                name="practitioners_certification_one_per_kind",
                violation_error_message="You already have a credential of this kind.",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.practitioner}: ARCB {self.get_kind_display().lower()} ({self.state})"

    @property
    def badge_label(self) -> str:
        return f"ARCB certified: {self.get_kind_display().lower()}"


def _evidence_path(instance, filename):
    return f"evidence/{instance.certification.code}/{uuid.uuid4().hex}"


class CertificationEvidence(models.Model):
    """A file backing a credential (PDF, JPEG or PNG), kept outside the public media folder."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(storage=private_storage, upload_to=_evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = "certification evidence"

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CertificationEvent(models.Model):
    """One state change of a credential: appended, never edited or deleted."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Empty when the system made the change (e.g. lapse).",
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=10, choices=certification_rules.STATE_CHOICES)
    to_state = models.CharField(max_length=10, choices=certification_rules.STATE_CHOICES)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.certification}: {self.from_state} → {self.to_state}"
