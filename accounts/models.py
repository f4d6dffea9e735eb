from uuid import uuid4

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from accounts.timezones import validate_timezone
from reflexbook.lib.text import NAME_VALIDATORS, single_line


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Emails are stored lower-cased; people type them any way.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        """Create a user who logs in with `email` (stored lower-cased)."""
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address: client, practitioner or staff."""

    class Role(models.TextChoices):
        CLIENT = "client", _("Client")
        PRACTITIONER = "practitioner", _("Practitioner")
        STAFF = "staff", _("Staff")

    # Django's EmailField default (RFC 5321's limit on a path); forms check it too, so a
    # longer address is a form error on every database, never a database error.
    EMAIL_MAX_LENGTH = 254

    email = models.EmailField(_("email address"), unique=True, max_length=EMAIL_MAX_LENGTH)
    # One line, no direction overrides: names reach emails, pages and other people's screens.
    full_name = models.CharField(_("full name"), max_length=150, validators=NAME_VALIDATORS)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[single_line])
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_timezone],
        help_text=_("Times are shown to you in this zone."),
    )
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Staff are the site's admins.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=now)
    email_verified_at = models.DateTimeField(
        _("email verified"),
        null=True,
        blank=True,
        help_text=_("When the person opened the link we emailed them; empty until then."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_verified(self) -> bool:
        """True once the person has shown they receive mail at their address."""
        return self.email_verified_at is not None

    @property
    def role(self) -> "User.Role":
        """Staff first, then practitioner (has a practitioner profile), else client."""
        if self.is_staff:
            return self.Role.STAFF
        if hasattr(self, "practitioner"):
            return self.Role.PRACTITIONER
        return self.Role.CLIENT


class RateLimitHit(models.Model):
    """One counted request (a password reset, a failed log-in from an address, ...) for
    `accounts.throttle`. In the database, not a per-process cache, so every app server
    counts the same hits. `key` is a hash: no email address or IP is stored in the clear."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="accounts_ratelimit_lookup")]

    def __str__(self):
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"


class StaffActionQuerySet(models.QuerySet):
    """Staff actions are never changed or removed: neither from the app nor the admin (the
    database's triggers refuse it too, migration 0005)."""

    def update(self, **kwargs):
        raise PermissionError("The staff activity log is append-only.")

    def delete(self):
        raise PermissionError("The staff activity log is append-only.")


class StaffAction(models.Model):
    """One thing a staff member did (a decision, a hidden profile, a read of a client's
    health data, an export), appended by accounts.activity.record and never edited. The
    subject is named, not linked: the row outlives what it names, and carries no health text."""

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_actions"
    )
    # A key of accounts.activity.ACTIONS (kept out of the schema: a new action is no migration).
    action = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = StaffActionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "at"], name="accounts_staffaction_actor"),
            models.Index(fields=["action", "at"], name="accounts_staffaction_action"),
            # The log page's "About" filter and its list of subject types.
            models.Index(fields=["subject_type", "at"], name="accounts_staffaction_subject"),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.subject_type} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The staff activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The staff activity log is append-only.")
