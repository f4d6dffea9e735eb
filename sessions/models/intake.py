import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reflexbook.lib.encrypted_fields import (
    EncryptedJSONField,
    EncryptedTextField,
    SearchableKeyField,
)
from reflexbook.lib.storage import private_storage
from sessions.models.erasure import of_present_clients
from sessions.safety import CHANGE_CHOICES


class IntakeFormQuerySet(models.QuerySet):
    def visible_to(self, user, now: datetime | None = None):
        """The one scope for intakes. A client reads their own; staff read all. A
        practitioner reads only what their bookings need: the version pinned to each of
        their bookings that opens the intake (Booking.opens_intake: active, or completed
        inside the retention period), and, while they have such a booking with a client,
        that client's latest version. A cancelled or declined booking opens nothing, not
        even the version pinned to it. Anyone else reads nothing."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        practitioner = getattr(user, "practitioner", None)
        if practitioner is None:
            return self.filter(client=user)
        from sessions.models.booking import Booking  # booking.py points back at IntakeForm

        open_bookings = Booking.objects.filter(practitioner=practitioner).open_to_intake(
            now or timezone.now()
        )
        later_version = IntakeForm.objects.filter(
            client=models.OuterRef("client"), version__gt=models.OuterRef("version")
        )
        return self.filter(
            models.Q(client=user)
            | models.Q(pk__in=open_bookings.filter(intake__isnull=False).values("intake"))
            | (models.Q(client__in=open_bookings.values("client")) & ~models.Exists(later_version))
        )


class IntakeFormManager(models.Manager.from_queryset(IntakeFormQuerySet)):
    def get_queryset(self):
        """Every version but those of clients who erased their account (sessions.erasure;
        IntakeForm.all_objects reaches them)."""
        return of_present_clients(super().get_queryset())


class ClearanceNoteQuerySet(models.QuerySet):
    def visible_to(self, user, now: datetime | None = None):
        """Clearance notes of the intake versions `user` may read (IntakeForm.visible_to)."""
        return self.filter(intake__in=IntakeForm.objects.visible_to(user, now))


class IntakeForm(models.Model):
    """One version of a client's health intake: immutable once written; a change is a new
    version. `answers` holds the form's cleaned answers (see sessions.intake), `flags` the
    safety flags sessions.safety derived from them when it was signed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_forms"
    )
    version = models.PositiveIntegerField()
    answers = EncryptedJSONField(default=dict)
    # The phone in `answers`, plain so the clients page can search it (sessions.clients).
    phone = SearchableKeyField(max_length=32, source="answers", key="phone")
    # No flags is the usual case. Encrypted: a flag's reason quotes the client's own words.
    flags = EncryptedJSONField(default=list, blank=True)
    consent_text_version = models.CharField(max_length=20)
    # The language the client read the form and its consent text in when signing (a code of
    # settings.LANGUAGES): what they agreed to is that version in that language.
    consent_language = models.CharField(max_length=8, default="en")
    physician_contact_allowed = models.BooleanField(default=False)
    signed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField()
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeFormManager()
    # Versions of erased clients too: only sessions.erasure and the retained view use it.
    all_objects = IntakeFormQuerySet.as_manager()

    class Meta:
        ordering = ["client", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "version"],
                name="reflex_sessions_intakeform_one_row_per_version",
                violation_error_message=gettext_lazy("This intake version already exists."),
            ),
        ]

    def __str__(self):
        return f"Intake v{self.version} of {self.client}"

    @property
    def guardian_name(self) -> str:
        """The parent or guardian who agreed to the sessions when this version was signed
        (clients under 18: IntakeQuestions asks for their name and consent), or ""."""
        if not self.answers.get("guardian_consent"):
            return ""
        return (self.answers.get("guardian_name") or "").strip()

    @property
    def signed_by(self) -> str:
        """Who signed, in words: "<guardian> (parent or guardian) for <client>" when a parent
        or guardian signed for a client under 18, else the typed signature."""
        if self.guardian_name:
            return _("%(guardian)s (parent or guardian) for %(client)s") % {
                "guardian": self.signed_name,
                "client": self.client.full_name,
            }
        return self.signed_name


class IntakeDraft(models.Model):
    """A client's health form in steps, not signed yet (one per client): the answers of the
    steps saved so far, in the schema of IntakeForm.answers. Private to the client: no
    practitioner or staff page reads it, it is not in the admin and no IntakeForm scope
    reaches it; only signing (sessions.intake.sign_intake) turns its answers into a version,
    and signing ends the draft."""

    client = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_draft"
    )
    answers = EncryptedJSONField(default=dict, blank=True)
    # The slugs of the steps asked (sessions.forms.intake_questions.STEPS): all of them for a
    # first form, the parts that changed for a returning client; and those answered so far.
    steps = models.JSONField(default=list)
    done = models.JSONField(default=list, blank=True)
    # "Could you be pregnant?": No skips the pregnancy step; unknown until asked.
    may_be_pregnant = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Health form draft of {self.client}"


class IntakeAccess(models.Model):
    """A read of a client's health data by someone other than the client: who, as what,
    when, what was read (`kind`), and the intake version, clearance note or booking it
    concerned. Written only through sessions.audit.log_health_read; the client sees every
    row on their "who has read your health form" page."""

    class Kind(models.TextChoices):
        INTAKE = "intake", gettext_lazy("Health form")
        CLEARANCE_NOTE = "clearance_note", gettext_lazy("Clearance note")
        BOOKING = "booking", gettext_lazy("Booking's health details")
        PRE_SESSION = "pre_session", gettext_lazy("Pre-session answers")
        RECORD = "record", gettext_lazy("Session record")
        SUMMARY = "summary", gettext_lazy("Session summary")
        HISTORY = "history", gettext_lazy("Session history")
        AFTER_SESSION = "after_session", gettext_lazy("After-session check-in")

    # What is read from an intake version; every other kind is read from a booking.
    OF_INTAKE = (Kind.INTAKE, Kind.CLEARANCE_NOTE)

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="health_reads"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTAKE)
    intake = models.ForeignKey(
        IntakeForm, on_delete=models.PROTECT, related_name="accesses", null=True, blank=True
    )
    note = models.ForeignKey(
        "reflex_sessions.ClearanceNote",
        on_delete=models.PROTECT,
        related_name="accesses",
        null=True,
        blank=True,
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # The viewer's role at the time of the read (a practitioner may later become staff).
    role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    booking = models.ForeignKey(
        "reflex_sessions.Booking", on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = gettext_lazy("intake accesses")
        indexes = [models.Index(fields=["client", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["intake", "clearance_note"], intake__isnull=False)
                    | (
                        ~models.Q(kind__in=["intake", "clearance_note"])
                        & models.Q(booking__isnull=False)
                    )
                ),
                name="reflex_sessions_intakeaccess_names_what_was_read",
                violation_error_message=gettext_lazy(
                    "A read of a health form names its version; any other read names its booking."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.viewer} read {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def role_label(self) -> str:
        labels = {"client": _("Client"), "practitioner": _("Practitioner"), "staff": _("Staff")}
        return labels.get(self.role, self.role)


class PreSessionCheck(models.Model):
    """The client's answer, before a session, to "has anything changed in your health,
    medication or pregnancy since last time?", with the date it was given."""

    booking = models.OneToOneField(
        "reflex_sessions.Booking", on_delete=models.CASCADE, related_name="pre_session_check"
    )
    changed = models.BooleanField()
    # The keys of sessions.safety.CHANGE_CHOICES ticked in this answer.
    changes = models.JSONField(default=list, blank=True)
    details = EncryptedTextField(blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(changed=False) | ~models.Q(details=""),
                name="reflex_sessions_presessioncheck_details_when_changed",
                violation_error_message=gettext_lazy("Say what has changed."),
            ),
        ]

    def __str__(self):
        return f"Check-in for {self.booking}: {'changed' if self.changed else 'no change'}"

    @property
    def change_labels(self) -> list[str]:
        """The ticked changes in words."""
        return [str(CHANGE_CHOICES.get(key, key)) for key in self.changes]


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

    objects = ClearanceNoteQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
