"""ARCB credentials, their evidence files and their history. Which state change is allowed
is decided in practitioners.certification_rules; practitioners.certification applies it."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners import certification_rules
from reflexbook.lib.storage import private_storage
from reflexbook.lib.text import single_line


def translated_choices(choices: list[tuple[str, str]]) -> list:
    """The pure rules' choices (English, marked for translation there), translated when
    shown."""
    return [(value, gettext_lazy(label)) for value, label in choices]  # noqa: INT001


STATE_CHOICES = translated_choices(certification_rules.STATE_CHOICES)
REJECT_REASON_CHOICES = translated_choices(certification_rules.REJECT_REASON_CHOICES)


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
        FOOT = "foot", gettext_lazy("Foot")
        HAND = "hand", gettext_lazy("Hand")

    # The states live with the pure rules that move a credential between them.
    State = certification_rules.State

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        "practitioners.Practitioner", on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    credential_id = models.CharField(
        gettext_lazy("ARCB credential ID"),
        max_length=50,
        blank=True,
        validators=[single_line],
        help_text=gettext_lazy("As printed on your certificate or ID card, if it has one."),
    )
    year_certified = models.PositiveSmallIntegerField(
        gettext_lazy("year certified"), validators=[MinValueValidator(1991)]
    )
    ce_cycle_end = models.DateField(
        gettext_lazy("end of current CE cycle"),
        help_text=gettext_lazy("ARCB: 12 CE hours every 2 years; the cycle ends on 31 December."),
    )
    listing_url = models.URLField(gettext_lazy("link to your ARCB listing"), blank=True)
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=State.DRAFT.value)
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
                violation_error_message=gettext_lazy("You already have a credential of this kind."),
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.practitioner}: ARCB {self.get_kind_display().lower()} ({self.state})"

    @property
    def badge_label(self) -> str:
        return _("ARCB certified: %(kind)s") % {"kind": self.get_kind_display().lower()}


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
        verbose_name_plural = gettext_lazy("certification evidence")

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
        help_text=gettext_lazy("Empty when the system made the change (e.g. lapse)."),
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=10, choices=STATE_CHOICES)
    to_state = models.CharField(max_length=10, choices=STATE_CHOICES)
    # A rejection's stock reason (certification_rules.RejectReason); `reason` is then its
    # optional note. For a revocation or a request for more information, `reason` is the text.
    reason_code = models.CharField(max_length=20, choices=REJECT_REASON_CHOICES, blank=True)
    reason = models.TextField(blank=True)
    # What the deciding member of staff looked at: the codes of the evidence files on the
    # review page when they decided (strings; files are never deleted).
    evidence_seen = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at"], name="practitioners_certevent_at")]

    def __str__(self):
        return f"{self.certification}: {self.from_state} → {self.to_state}"

    @property
    def next_step(self) -> str:
        """What the practitioner does next after a rejection with a stock reason."""
        if not self.reason_code:
            return ""
        return _(certification_rules.RejectReason(self.reason_code).next_step)


class RevocationProposal(models.Model):
    """A revocation one member of staff proposed and another must confirm (or either
    withdraws), when settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF is on. The credential
    stays verified, badge and all, until it is confirmed. Applied by
    practitioners.certification; at most one is open per credential."""

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Waiting for a second member of staff")
        CONFIRMED = "confirmed", gettext_lazy("Confirmed: revoked")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
        # The credential left "verified" another way first (a lapse, a resubmission).
        OVERTAKEN = "overtaken", gettext_lazy("Closed: the credential was no longer verified")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="revocation_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    evidence_seen = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=gettext_lazy("Empty while open, and when the system closed it."),
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification"],
                condition=models.Q(status="open"),
                name="practitioners_revocationproposal_one_open",
                violation_error_message=gettext_lazy(
                    "A revocation of this credential is already waiting "
                    "for a second member of staff."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | ~models.Q(closed_by=F("proposed_by")),
                name="practitioners_revocationproposal_second_staff",
                violation_error_message=gettext_lazy(
                    "The member of staff who proposed a revocation cannot confirm it."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_at__isnull=False)),
                name="practitioners_revocationproposal_closed_when_decided",
                violation_error_message=gettext_lazy(
                    "A proposal is closed exactly when it is decided."
                ),
            ),
        ]

    def __str__(self):
        return f"Revocation of {self.certification} ({self.status})"
