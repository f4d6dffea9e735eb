"""A practitioner's profile: who they are, where and what they offer, their booking rules,
and which profiles the directory lists."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.timezones import validate_timezone, zone_place
from practitioners.models.calendar import WeeklyHours
from practitioners.models.certification import Certification
from practitioners.models.review import StaffHide
from practitioners.models.services import ServiceLength, minutes_label
from reflexbook.lib.text import NAME_VALIDATORS, phone_number, single_line

BIO_MAX_LENGTH = 2000
START_INTERVALS = [15, 30, 60]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Modality(models.TextChoices):
    FOOT = "foot", gettext_lazy("Foot")
    HAND = "hand", gettext_lazy("Hand")
    EAR = "ear", gettext_lazy("Ear")


class PractitionerQuerySet(models.QuerySet):
    def page_version(self, slug: str) -> tuple | None:
        """What a cached public page of the practitioner at `slug` (profile, choose a length,
        week of times) is keyed on, in one plain query: every change the page can show moves
        it (public_version, and the email confirmation listing needs); None when there is no
        such practitioner."""
        return (
            self.filter(slug=slug)
            .values_list("pk", "public_version", "user__email_verified_at")
            .first()
        )

    def directory_version(self) -> tuple:
        """What the cached directory pages are keyed on, in one query: any practitioner's
        change moves the sum of public_version; a new or removed profile the count and the
        newest id; an email confirmed (or no longer) the confirmations."""
        return tuple(
            self.order_by()
            .aggregate(
                changes=models.Sum("public_version"),
                count=models.Count("pk"),
                newest=models.Max("pk"),
                confirmed=models.Max("user__email_verified_at"),
                confirmed_count=models.Count("pk", filter=Q(user__email_verified_at__isnull=False)),
            )
            .values()
        )

    def with_listing_facts(self):
        """Alias what listing depends on, for filters: an active priced service and weekly
        hours (aliases, not annotations: no page reads them, and selecting them too made
        every listed-practitioner query cost twice the SQL to build, issue 13)."""
        priced_service = ServiceLength.objects.filter(
            service__practitioner=OuterRef("pk"), service__is_active=True
        )
        hours = WeeklyHours.objects.filter(practitioner=OuterRef("pk"))
        return self.alias(has_service=Exists(priced_service), has_hours=Exists(hours))

    def listed(self):
        """Profiles the public directory shows: complete, not hidden by the practitioner or by
        staff (practitioners.review.hide_profile), and with a verified email address."""
        return (
            self.with_listing_facts()
            .alias(
                staff_hidden=Exists(StaffHide.objects.current().filter(practitioner=OuterRef("pk")))
            )
            .filter(
                is_hidden=False,
                staff_hidden=False,
                has_service=True,
                has_hours=True,
                user__email_verified_at__isnull=False,
            )
            .exclude(display_name="")
            .exclude(city="")
            .exclude(timezone="")
        )

    def for_directory(self, today=None, now=None):
        """Everything a directory card or profile shows, in a fixed number of queries:
        `has_badge`, `min_price`/`max_price` over active lengths, `upcoming_free_at` (the
        cached next free time, None once it has passed), `shortest_minutes` (the active
        length that time is for, sessions.next_free), `offers_home_visits` (an active
        home-visit service with a length) and `current_badges` (prefetched). Practitioners
        with a current badge come first, then by name."""
        now = now or timezone.now()
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
                shortest_minutes=models.Subquery(
                    active_lengths.annotate(shortest=models.Min("minutes")).values("shortest")
                ),
                upcoming_free_at=models.Case(
                    models.When(next_free_at__gt=now, then=models.F("next_free_at")),
                    default=None,
                    output_field=models.DateTimeField(),
                ),
                offers_home_visits=Exists(active_lengths.filter(service__is_home_visit=True)),
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
    display_name = models.CharField(
        gettext_lazy("display name"), max_length=150, validators=NAME_VALIDATORS
    )
    slug = models.SlugField(
        gettext_lazy("web address name"),
        max_length=80,
        unique=True,
        validators=NAME_VALIDATORS,
        help_text=gettext_lazy(
            "Your profile's address: /practitioners/<this>/. Letters, numbers, hyphens."
        ),
    )
    photo = models.ImageField(gettext_lazy("photo"), upload_to="practitioners/photos/", blank=True)
    bio = models.TextField(gettext_lazy("about you"), max_length=BIO_MAX_LENGTH, blank=True)
    street = models.CharField(
        gettext_lazy("street address"),
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text=gettext_lazy("Shown only to clients who have booked, with a map link."),
    )
    city = models.CharField(
        gettext_lazy("city or town"), max_length=100, blank=True, validators=[single_line]
    )
    region = models.CharField(
        gettext_lazy("state or region"), max_length=100, blank=True, validators=[single_line]
    )
    postcode = models.CharField(
        gettext_lazy("ZIP or postcode"), max_length=20, blank=True, validators=[single_line]
    )
    country = models.CharField(
        gettext_lazy("country"),
        max_length=100,
        blank=True,
        default="United States",
        validators=[single_line],
    )
    timezone = models.CharField(
        gettext_lazy("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_timezone],
    )
    offers_foot = models.BooleanField(gettext_lazy("foot reflexology"), default=True)
    offers_hand = models.BooleanField(gettext_lazy("hand reflexology"), default=False)
    offers_ear = models.BooleanField(gettext_lazy("ear reflexology"), default=False)
    languages = models.CharField(
        gettext_lazy("languages spoken"),
        max_length=200,
        blank=True,
        default="English",
        validators=[single_line],
        help_text=gettext_lazy("Separate them with commas, e.g. English, Spanish."),
    )
    years_in_practice = models.PositiveSmallIntegerField(
        gettext_lazy("years in practice"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )
    accepting_new_clients = models.BooleanField(gettext_lazy("accepting new clients"), default=True)
    premises_note = models.CharField(
        gettext_lazy("directions and parking"),
        max_length=300,
        blank=True,
        validators=[single_line],
        help_text=gettext_lazy("E.g. ground floor, step-free access, parking behind the building."),
    )
    phone = models.CharField(
        gettext_lazy("phone number"),
        max_length=30,
        blank=True,
        validators=[phone_number],
        help_text=gettext_lazy("For clients who have booked, e.g. if they are running late."),
    )
    is_hidden = models.BooleanField(
        gettext_lazy("hide my profile"),
        default=False,
        help_text=gettext_lazy("Hidden profiles are not in the directory."),
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        gettext_lazy("minimum notice (hours)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=gettext_lazy("How soon before a session clients may still book it."),
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        gettext_lazy("book up to (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    start_interval_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("start times every"),
        choices=[(m, minutes_label(m)) for m in START_INTERVALS],
        default=30,
        help_text=gettext_lazy(
            "Clients choose start times on this grid, e.g. every 30 minutes: 9:00, 9:30."
        ),
    )
    late_cancel_hours = models.PositiveSmallIntegerField(
        gettext_lazy("late cancellation window (hours)"),
        default=24,
        validators=[MaxValueValidator(24 * 7)],
        help_text=gettext_lazy("Cancelling closer to the session than this counts as late."),
    )
    auto_confirm = models.BooleanField(
        gettext_lazy("confirm bookings automatically"),
        default=False,
        help_text=gettext_lazy(
            "Off: you confirm each request. Safety flags always need your decision."
        ),
    )
    approve_first_time_clients = models.BooleanField(
        gettext_lazy("approve first-time clients myself"),
        default=True,
        help_text=gettext_lazy(
            "With automatic confirmation on, a client's first booking still waits for you."
        ),
    )
    max_active_bookings_per_client = models.PositiveSmallIntegerField(
        gettext_lazy("most upcoming bookings per client"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy("Empty: no limit."),
    )
    max_reschedules = models.PositiveSmallIntegerField(
        gettext_lazy("most reschedules per booking"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty: no limit."),
    )
    waitlist_offer_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("waitlist offers last (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(24 * 60 * 7)],
        help_text=(
            gettext_lazy(
                "When time frees up, a client on your waitlist has this long to claim it "
                "(never past your minimum notice)."
            )
        ),
    )
    waitlist_first_to_claim = models.BooleanField(
        gettext_lazy("offer freed time to everyone waiting at once"),
        default=False,
        help_text=(
            gettext_lazy(
                "Off: one person at a time, in the order they joined. On: everyone who matches "
                "is emailed, and the first to book has it."
            )
        ),
    )
    # The soonest free start for the shortest active length, cached for the directory and the
    # profile (sessions.next_free keeps it: after every booking or calendar change, and in
    # run_due_jobs); None when nothing is free within the booking horizon.
    next_free_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_free_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Counts every write to this row and to the rows its public pages show (bookings, holds,
    # hours, dates, time off, services and lengths, certifications), however it is made
    # (a service, update(), the admin): database triggers bump it in the writing transaction
    # (practitioners.public_version). The cached public pages are keyed on it
    # (reflexbook.lib.page_cache), so none is served after a change.
    public_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Secret for the private calendar feed; regenerating it revokes old subscriptions.
    calendar_token = models.CharField(
        max_length=64, default=new_calendar_token, unique=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        indexes = [models.Index(fields=["next_free_at"], name="practitioner_next_free")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_interval_minutes__in=START_INTERVALS),
                name="practitioners_practitioner_start_interval",
                violation_error_message=gettext_lazy("Start times are every 15, 30 or 60 minutes."),
            ),
            models.CheckConstraint(
                condition=Q(booking_horizon_days__gte=1),
                name="practitioners_practitioner_horizon_positive",
                violation_error_message=gettext_lazy(
                    "Clients must be able to book at least one day ahead."
                ),
            ),
            # Two practitioners listed under one name must differ in the place shown beside
            # it. A profile without a city is not listed, so it is left out (sign-up creates
            # one under the person's full name before they add their city).
            models.UniqueConstraint(
                Lower("display_name"),
                Lower("city"),
                Lower("region"),
                condition=~Q(city=""),
                name="practitioners_practitioner_name_place_unique",
                violation_error_message=(
                    gettext_lazy(
                        "Another practitioner in this place already uses this display name."
                    )
                ),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("practitioners:detail", kwargs={"slug": self.slug})

    @property
    def directory_card_key(self) -> tuple:
        """Everything a directory card (practitioners/includes/card.html) shows, from a
        for_directory() row: its cached HTML is keyed on it, so a card is rendered again as
        soon as any of it changes (a badge, a price, the next free time) and never shows a
        stale one. The fields are listed as well as updated_at for changes made by update()."""
        return (
            self.pk,
            self.updated_at,
            self.display_name,
            self.slug,
            self.photo.name,
            self.place,
            self.offers_foot,
            self.offers_hand,
            self.offers_ear,
            self.accepting_new_clients,
            self.timezone,
            self.booking_horizon_days,
            self.offers_home_visits,
            self.min_price,
            self.max_price,
            self.upcoming_free_at,
            self.shortest_minutes,
            self.next_free_checked_at is not None,
            tuple(certification.badge_label for certification in self.current_badges),
        )

    @cached_property
    def staff_hide(self) -> StaffHide | None:
        """Staff's hiding of this profile in force, if any (with who hid it); read once."""
        return self.staff_hides.current().select_related("hidden_by").first()

    @property
    def modalities(self) -> list[str]:
        offered = [
            (self.offers_foot, Modality.FOOT.label),
            (self.offers_hand, Modality.HAND.label),
            (self.offers_ear, Modality.EAR.label),
        ]
        return [label for on, label in offered if on]

    @property
    def zone_place(self) -> str:
        """The place the practice's zone is named after ("New York"), for "New York time"."""
        return zone_place(self.timezone)

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region) if part)

    @property
    def practice_address(self) -> str:
        """The practice's full address on one line (street, city, region postcode, country),
        as booked clients, calendars and the map link read it; "" until a city is given."""
        if not self.city:
            return ""
        area = " ".join(part for part in (self.region, self.postcode) if part)
        return ", ".join(part for part in (self.street, self.city, area, self.country) if part)

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    def missing_for_listing(self) -> list[str]:
        """What still keeps the profile out of the directory, in the practitioner's words."""
        missing = []
        if not self.user.email_verified:
            missing.append(
                _(
                    "Confirm your email address: open the link we emailed you "
                    "(your account page sends a new one)."
                )
            )
        if not self.display_name:
            missing.append(_("Add your display name."))
        if not self.city:
            missing.append(_("Add the city or town where you practise."))
        if not self.timezone:
            missing.append(_("Choose your time zone."))
        if not self.services.filter(is_active=True, lengths__isnull=False).exists():
            missing.append(_("Add at least one active service with a length and price."))
        if not self.weekly_hours.exists():
            missing.append(_("Add your weekly hours."))
        if self.is_hidden:
            missing.append(_("Your profile is hidden: untick “hide my profile” to list it."))
        if self.staff_hide is not None:
            missing.append(_("reflexbook staff have hidden your profile (see the notice above)."))
        return missing
