import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reflexbook.lib.encrypted_fields import (
    EncryptedCharField,
    EncryptedJSONField,
    EncryptedTextField,
)
from sessions.models.erasure import of_present_clients
from sessions.reflex_point_names import translated


class ReflexPoint(models.Model):
    """One reflex area of the catalogue (feet, hands, ears). Loaded by migration from
    sessions/data/reflex_points.yaml; slugs are stable and records refer to them."""

    class Map(models.TextChoices):
        FOOT = "foot", _("Foot")
        HAND = "hand", _("Hand")
        EAR = "ear", _("Ear")

    class Side(models.TextChoices):
        BOTH = "B", _("Both")
        LEFT = "L", _("Left only")
        RIGHT = "R", _("Right only")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    map = models.CharField(max_length=4, choices=Map.choices)
    region = models.CharField(max_length=40)
    body_area = models.CharField(max_length=200)
    side = models.CharField(max_length=1, choices=Side.choices)
    surface = models.CharField(
        max_length=10, blank=True, help_text=_("plantar, dorsal, medial or lateral (feet only)")
    )
    zones = models.CharField(max_length=10, blank=True)
    # The part of the foot or hand the point lies in (toes, ball, arch, heel...; keys of
    # sessions.reflex_map.PARTS), which an avoid-area flag names. Not `zones` (1-5).
    part = models.CharField(max_length=20, blank=True)
    # Foot-intrinsic position, 0..1: x from the big-toe edge, y from the toe tips.
    pos_x = models.FloatField(null=True, blank=True)
    pos_y = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["map", "order"]

    def __str__(self):
        return f"{self.get_map_display()}: {self.name}"

    @property
    def translated_name(self) -> str:
        """The name in the active language (sessions.reflex_point_names): the rows hold the
        catalogue's English."""
        return translated(self.name)

    def sides(self) -> list[str]:
        """The sides this point exists on: ["L", "R"], ["L"] or ["R"]."""
        return ["L", "R"] if self.side == self.Side.BOTH else [self.side]


class SessionRecordManager(models.Manager):
    def get_queryset(self):
        """Every record but those of clients who erased their account (sessions.erasure;
        SessionRecord.all_objects reaches them)."""
        return of_present_clients(super().get_queryset(), "booking__client")


class SessionRecord(models.Model):
    """What happened in one session, written by the booking's practitioner. A draft until
    signed; signing locks it, and later changes are addenda."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    class Decision(models.TextChoices):
        PROCEED = "proceed", _("Proceed")
        MODIFY = "modify", _("Proceed with changes")
        POSTPONE = "postpone", _("Postpone or refer")

    class Pressure(models.TextChoices):
        LIGHT = "light", pgettext_lazy("pressure", "Light")
        MEDIUM = "medium", pgettext_lazy("pressure", "Medium")
        FIRM = "firm", pgettext_lazy("pressure", "Firm")

    class Medium(models.TextChoices):
        NONE = "none", _("None (dry)")
        POWDER = "powder", _("Powder")
        BALM = "balm", _("Balm or cream")
        CARRIER_OIL = "carrier_oil", _("Carrier oil")
        ESSENTIAL_OILS = "essential_oils", _("Essential oils")

    class Reaction(models.TextChoices):
        NONE = "none", pgettext_lazy("reaction", "None")
        MILD = "mild", pgettext_lazy("reaction", "Mild")
        STRONG = "strong", pgettext_lazy("reaction", "Strong")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking = models.OneToOneField(
        "reflex_sessions.Booking", on_delete=models.PROTECT, related_name="record"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # A draft the client's 48-hour check-in started (to keep their answers on), which the
    # practitioner has not saved yet: for the to-do list the session still has no record.
    started_by_checkin = models.BooleanField(default=False)
    # Pre-session check
    changes_since_last = EncryptedTextField(_("changes since last time"), blank=True)
    observations = EncryptedJSONField(
        default=dict, blank=True, help_text=_("Foot observation checklist: item → note.")
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PROCEED)
    # The session
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    pressure = models.CharField(max_length=10, choices=Pressure.choices, blank=True)
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.NONE)
    medium_details = models.CharField(
        _("oils or products used"),
        max_length=200,
        blank=True,
        help_text=_("Names of essential oils, the carrier oil or the cream."),
    )
    reactions = models.JSONField(default=list, blank=True)
    reactions_notes = EncryptedTextField(blank=True)
    # SOAP: private to the practitioner (and staff).
    subjective = EncryptedTextField(blank=True)
    objective = EncryptedTextField(blank=True)
    assessment = EncryptedTextField(blank=True, help_text=_("Non-diagnostic words only."))
    plan = EncryptedTextField(blank=True)
    # For the client
    client_summary = EncryptedTextField(blank=True)
    aftercare = EncryptedTextField(blank=True)
    # Areas to avoid the practitioner found at the pre-session check, as avoid flags name
    # them: [{"what": "verruca", "map": "foot", "side": "L", "part": "heel"}]
    # (sessions.record_safety.found_flags).
    avoid_found = models.JSONField(default=list, blank=True)
    # Safety overrides (shown on the record)
    oil_override_reason = EncryptedTextField(blank=True)
    area_override_reason = EncryptedTextField(blank=True)
    # A balm or cream for a client with a nut allergy: the practitioner checked its ingredients.
    nut_free_checked = models.BooleanField(
        _("balm or cream checked: no nut ingredients"), default=False
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # 48-hour check-in
    checkin_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_answered_at = models.DateTimeField(null=True, blank=True)
    checkin_sleep = EncryptedCharField(max_length=200, blank=True)
    checkin_energy = EncryptedCharField(max_length=200, blank=True)
    checkin_reaction = models.CharField(max_length=10, choices=Reaction.choices, blank=True)
    checkin_reaction_notes = EncryptedTextField(blank=True)
    # The practitioner's follow-up of a strong reaction (sessions.records.record_follow_up):
    # until then the client's next booking with them waits for their answer.
    followed_up_at = models.DateTimeField(null=True, blank=True)
    follow_up_note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionRecordManager()
    # Records of erased clients too: only sessions.erasure and the retained view use it.
    all_objects = models.Manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(signed_at__isnull=False),
                name="reflex_sessions_record_signed_has_time",
                violation_error_message=_("A signed record needs its signing time."),
            ),
        ]

    def __str__(self):
        return f"Record for {self.booking}"

    def get_absolute_url(self):
        return reverse("sessions:record", kwargs={"code": self.booking.code})

    @property
    def is_signed(self) -> bool:
        return self.state == self.State.SIGNED

    @property
    def needs_follow_up(self) -> bool:
        """A strong reaction reported at the check-in, not yet followed up."""
        return self.checkin_reaction == self.Reaction.STRONG and self.followed_up_at is None


class PointWorked(models.Model):
    """One reflex point worked in a session, on one side, with what was found."""

    class Tenderness(models.IntegerChoices):
        NONE = 0, pgettext_lazy("tenderness", "None")
        MILD = 1, pgettext_lazy("tenderness", "Mild")
        MODERATE = 2, pgettext_lazy("tenderness", "Moderate")
        MARKED = 3, pgettext_lazy("tenderness", "Marked")

    class Texture(models.TextChoices):
        GRAINY = "grainy", _("Grainy")
        TIGHT = "tight", _("Tight")
        CONGESTED = "congested", _("Congested")
        LEATHERY = "leathery", _("Leathery")
        STRINGY = "stringy", _("Stringy")
        SOFT = "soft", _("Soft")

    record = models.ForeignKey(SessionRecord, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(ReflexPoint, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=[("L", _("Left")), ("R", _("Right"))])
    tenderness = models.PositiveSmallIntegerField(choices=Tenderness.choices, default=0)
    texture = models.CharField(max_length=10, choices=Texture.choices, blank=True)
    comment = EncryptedCharField(max_length=200, blank=True)

    class Meta:
        ordering = ["point__map", "side", "point__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "point", "side"],
                name="reflex_sessions_pointworked_once_per_side",
                violation_error_message=_("This point and side is already on the record."),
            ),
            models.CheckConstraint(
                condition=Q(tenderness__lte=3),
                name="reflex_sessions_pointworked_tenderness_0_3",
                violation_error_message=_("Tenderness is 0 to 3."),
            ),
        ]

    def __str__(self):
        return f"{self.get_side_display()} {self.point.name}: {self.get_tenderness_display()}"


class RecordAddendum(models.Model):
    """A later note on a signed record: appended, never edited or deleted."""

    record = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)
    text = EncryptedTextField()

    class Meta:
        ordering = ["at"]
        verbose_name_plural = _("record addenda")

    def __str__(self):
        return f"Addendum by {self.author} at {self.at:%Y-%m-%d %H:%M}"
