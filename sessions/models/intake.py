import uuid

from django.conf import settings
from django.db import models


class IntakeFormQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Intakes a person may read: their own; those of clients who booked them (any
        status), for a practitioner; all, for staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        practitioner = getattr(user, "practitioner", None)
        if practitioner is not None:
            return self.filter(
                models.Q(client=user) | models.Q(client__bookings__practitioner=practitioner)
            ).distinct()
        return self.filter(client=user)


class IntakeForm(models.Model):
    """One version of a client's health intake: immutable once written; a change is a new
    version. `answers` holds the form's cleaned answers (see sessions.intake), `flags` the
    safety flags sessions.safety derived from them when it was signed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_forms"
    )
    version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    flags = models.JSONField(default=list)
    consent_text_version = models.CharField(max_length=20)
    physician_contact_allowed = models.BooleanField(default=False)
    signed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField()
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeFormQuerySet.as_manager()

    class Meta:
        ordering = ["client", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"],
                name="reflex_sessions_intakeform_one_row_per_version",
                violation_error_message="This intake version already exists.",
            ),
        ]

    def __str__(self):
        return f"Intake v{self.version} of {self.client}"


class IntakeAccess(models.Model):
    """A read of an intake by someone other than its client: who, when, which version."""

    intake = models.ForeignKey(IntakeForm, on_delete=models.PROTECT, related_name="accesses")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    booking = models.ForeignKey(
        "reflex_sessions.Booking", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "intake accesses"

    def __str__(self):
        return f"{self.viewer} read {self.intake} at {self.at:%Y-%m-%d %H:%M}"
