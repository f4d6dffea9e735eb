import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.timezones import validate_timezone
from practitioners import certification_rules
from reflexbook.lib.storage import private_storage

SESSION_LENGTHS = [30, 45, 60]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Modality(models.TextChoices):
    FOOT = "foot", "Foot"
    HAND = "hand", "Hand"
    EAR = "ear", "Ear"


class PractitionerQuerySet(models.QuerySet):
    def with_listing_facts(self):
        """Annotate what listing depends on: an active priced service and weekly hours."""
        priced_service = ServiceLength.objects.filter(
            service__practitioner=OuterRef("pk"), service__is_active=True
        )
        hours = WeeklyHours.objects.filter(practitioner=OuterRef("pk"))
        return self.annotate(has_service=Exists(priced_service), has_hours=Exists(hours))

    def listed(self):
        """Profiles the public directory shows: complete and not hidden by the practitioner."""
        return (
            self.with_listing_facts()
            .filter(is_hidden=False, has_service=True, has_hours=True)
            .exclude(display_name="")
            .exclude(city="")
            .exclude(timezone="")
        )

    def for_directory(self, today=None):
        """Everything a directory card or profile shows, in a fixed number of queries:
        `has_badge`, `min_price`/`max_price` over active lengths, and `current_badges`
        (prefetched). Practitioners with a current badge come first, then by name."""
        badges = Certification.objects.badges(today)
        active_lengths = (
            ServiceLength.objects.filter(
                service__practitioner=OuterRef("pk"), service__is_active=True
            )
            .order_by()  # the default ordering would split the GROUP BY
            .values("service__practitioner")
        )
        # Subqueries rather than a join: joined aggregates would GROUP BY every column
        # and multiply with any other join a filter adds.
        return (
            self.annotate(
                has_badge=Exists(badges.filter(practitioner=OuterRef("pk"))),
                min_price=models.Subquery(
                    active_lengths.annotate(low=models.Min("price")).values("low")
                ),
                max_price=models.Subquery(
                    active_lengths.annotate(high=models.Max("price")).values("high")
                ),
            )
            .prefetch_related(
                models.Prefetch(
                    "certifications",
                    queryset=badges.order_by("kind"),
                    to_attr="current_badges",
                )
            )
            .order_by(models.F("has_badge").desc(), "display_name", "pk")
        )


class Practitioner(models.Model):
    """A practitioner's profile, one per practitioner user; filled in after sign-up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner"
    )
    display_name = models.CharField("display name", max_length=150)
    slug = models.SlugField(
        "web address name",
        max_length=80,
        unique=True,
        help_text="Your profile's address: /practitioners/<this>/. Letters, numbers, hyphens.",
    )
    photo = models.ImageField("photo", upload_to="practitioners/photos/", blank=True)
    bio = models.TextField("about you", blank=True)
    city = models.CharField("city or town", max_length=100, blank=True)
    region = models.CharField("state or region", max_length=100, blank=True)
    postcode = models.CharField("ZIP or postcode", max_length=20, blank=True)
    country = models.CharField("country", max_length=100, blank=True, default="United States")
    timezone = models.CharField(
        "time zone", max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    offers_foot = models.BooleanField("foot reflexology", default=True)
    offers_hand = models.BooleanField("hand reflexology", default=False)
    offers_ear = models.BooleanField("ear reflexology", default=False)
    languages = models.CharField(
        "languages spoken",
        max_length=200,
        blank=True,
        default="English",
        help_text="Separate them with commas, e.g. English, Spanish.",
    )
    years_in_practice = models.PositiveSmallIntegerField(
        "years in practice", null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    accepting_new_clients = models.BooleanField("accepting new clients", default=True)
    premises_note = models.CharField(
        "premises note",
        max_length=300,
        blank=True,
        help_text="E.g. ground floor, step-free access, parking behind the building.",
    )
    is_hidden = models.BooleanField(
        "hide my profile", default=False, help_text="Hidden profiles are not in the directory."
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)",
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text="How soon before a session clients may still book it.",
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        "book up to (days ahead)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        "late cancellation window (hours)",
        default=24,
        validators=[MaxValueValidator(24 * 7)],
        help_text="Cancelling closer to the session than this counts as late.",
    )
    auto_confirm = models.BooleanField(
        "confirm bookings automatically",
        default=False,
        help_text="Off: you confirm each request. Safety flags always need your decision.",
    )
    approve_first_time_clients = models.BooleanField(
        "approve first-time clients myself",
        default=True,
        help_text="With automatic confirmation on, a client's first booking still waits for you.",
    )
    max_active_bookings_per_client = models.PositiveSmallIntegerField(
        "most upcoming bookings per client",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Empty: no limit.",
    )
    max_reschedules = models.PositiveSmallIntegerField(
        "most reschedules per booking",
        null=True,
        blank=True,
        help_text="Empty: no limit.",
    )
    # Secret for the private calendar feed; regenerating it revokes old subscriptions.
    calendar_token = models.CharField(
        max_length=64, default=new_calendar_token, unique=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_horizon_days__gte=1),
                name="practitioners_practitioner_horizon_positive",
                violation_error_message="Clients must be able to book at least one day ahead.",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("practitioners:detail", kwargs={"slug": self.slug})

    @property
    def modalities(self) -> list[str]:
        offered = [
            (self.offers_foot, Modality.FOOT.label),
            (self.offers_hand, Modality.HAND.label),
            (self.offers_ear, Modality.EAR.label),
        ]
        return [label for on, label in offered if on]

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region) if part)

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    def missing_for_listing(self) -> list[str]:
        """What still keeps the profile out of the directory, in the practitioner's words."""
        missing = []
        if not self.display_name:
            missing.append("Add your display name.")
        if not self.city:
            missing.append("Add the city or town where you practise.")
        if not self.timezone:
            missing.append("Choose your time zone.")
        if not self.services.filter(is_active=True, lengths__isnull=False).exists():
            missing.append("Add at least one active service with a length and price.")
        if not self.weekly_hours.exists():
            missing.append("Add your weekly hours.")
        if self.is_hidden:
            missing.append("Your profile is hidden: untick “hide my profile” to list it.")
        return missing


class Service(models.Model):
    """Something a practitioner offers, in one or more lengths, each with its own price."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(
        "buffer after each session (minutes)",
        default=15,
        validators=[MaxValueValidator(30)],
        help_text="Time for hand washing, linen and notes. Blocks your calendar; clients never see it.",
    )
    is_active = models.BooleanField("offered", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(buffer_minutes__lte=30),
                name="practitioners_service_buffer_0_30",
                violation_error_message="The buffer is between 0 and 30 minutes.",
            ),
        ]

    def __str__(self):
        return self.name


class ServiceLength(models.Model):
    """One bookable length of a service (30, 45 or 60 minutes) and its price."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="lengths")
    minutes = models.PositiveSmallIntegerField(
        "length", choices=[(m, f"{m} minutes") for m in SESSION_LENGTHS]
    )
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["minutes"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__in=SESSION_LENGTHS),
                name="practitioners_servicelength_30_45_60",
                violation_error_message="Sessions are 30, 45 or 60 minutes long.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="practitioners_servicelength_price_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["service", "minutes"],
                name="practitioners_servicelength_one_price_per_length",
                violation_error_message="This service already has a price for that length.",
            ),
        ]

    def __str__(self):
        return f"{self.minutes} min ${self.price}"


class WeeklyHours(models.Model):
    """A range of working time on one weekday, in the practitioner's time zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField("from")
    ends = models.TimeField("until")

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=models.F("ends")),
                name="practitioners_weeklyhours_starts_before_ends",
                violation_error_message="A range must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class DateException(models.Model):
    """One date that differs from the weekly hours: extra hours, or closed all day."""

    class Kind(models.TextChoices):
        EXTRA = "extra", "Extra hours"
        CLOSED = "closed", "Closed all day"

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="date_exceptions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts = models.TimeField("from", null=True, blank=True)
    ends = models.TimeField("until", null=True, blank=True)

    class Meta:
        ordering = ["date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="closed", starts__isnull=True, ends__isnull=True)
                | Q(kind="extra", starts__lt=models.F("ends")),
                name="practitioners_dateexception_shape",
                violation_error_message="Extra hours need a start before their end; a closed day has no times.",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.CLOSED:
            return f"{self.date:%Y-%m-%d} closed"
        return f"{self.date:%Y-%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOff(models.Model):
    """A stretch of time off (stored in UTC; entered in the practitioner's zone)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="time_off"
    )
    starts_at = models.DateTimeField("from")
    ends_at = models.DateTimeField("until")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="practitioners_timeoff_starts_before_ends",
                violation_error_message="Time off must end after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


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
        Practitioner, on_delete=models.PROTECT, related_name="certifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    credential_id = models.CharField(
        "ARCB credential ID",
        max_length=50,
        blank=True,
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
