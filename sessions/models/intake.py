import uuid

from django.conf import settings
from django.db import models

from reflexbook.lib.storage import private_storage


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
    flags = models.JSONField(default=list, blank=True)  # no flags is the usual case
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
    # The viewer's role at the time of the read (a practitioner may later become staff).
    role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    booking = models.ForeignKey(
        "reflex_sessions.Booking", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "intake accesses"

    def __str__(self):
        return f"{self.viewer} read {self.intake} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def role_label(self) -> str:
        labels = {"client": "Client", "practitioner": "Practitioner", "staff": "Staff"}
        return labels.get(self.role, self.role)


class PreSessionCheck(models.Model):
    """The client's answer, before a session, to "has anything changed in your health,
    medication or pregnancy since last time?", with the date it was given."""

    booking = models.OneToOneField(
        "reflex_sessions.Booking", on_delete=models.CASCADE, related_name="pre_session_check"
    )
    changed = models.BooleanField()
    details = models.TextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(changed=False) | ~models.Q(details=""),
                name="reflex_sessions_presessioncheck_details_when_changed",
                violation_error_message="Say what has changed.",
            ),
        ]

    def __str__(self):
        return f"Check-in for {self.booking}: {'changed' if self.changed else 'no change'}"


def _clearance_note_path(instance, filename):
    return f"clearance/{instance.code}/{uuid.uuid4().hex}"


class ClearanceNote(models.Model):
    """A note from the client's doctor or midwife (PDF, JPEG or PNG) about the points of an
    intake version that need medical clearance. Kept outside the public media folder."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intake = models.ForeignKey(IntakeForm, on_delete=models.PROTECT, related_name="clearance_notes")
    file = models.FileField(storage=private_storage, upload_to=_clearance_note_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
