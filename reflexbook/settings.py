"""reflexbook settings: one module, every deployment choice read from the environment.

See the README's "Settings" table for the variables.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from reflexbook.lib.env import (
    env_bool,
    env_fernet_keys,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_timezone,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: a server started with no environment is a production server
# (and then needs a secret key). `make run` and the test suite turn it on.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Only local runs may fall back to a throwaway key; production must supply its own.
SECRET_KEY = env_secret(
    "DJANGO_SECRET_KEY",
    required=not DEBUG,
    fallback="django-insecure-local-development-only-key-do-not-use-in-production",
)
# Health free text and health files are encrypted at rest (reflexbook.lib.encryption) with
# these Fernet keys: the first encrypts, all decrypt (`manage.py rotate_encryption_key` moves
# everything onto the first). Production must supply them; a local run keeps its own key in
# .local-field-key (gitignored), made on first start, so its data stays readable across runs.
FIELD_ENCRYPTION_KEYS = env_fernet_keys(
    "DJANGO_FIELD_ENCRYPTION_KEYS",
    required=not DEBUG,
    local_key_file=BASE_DIR / ".local-field-key",
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The site's public address, for links in emails.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_htmx",
    # htmx itself (static/htmx/htmx.min.js), served by us like Bootstrap.
    "js_lib_htmx",
    "django_tasks_db",
    # Two-factor sign-in: authenticator apps (TOTP) and one-time recovery codes (static).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "practitioners",
    # Label "reflex_sessions", so it can sit beside django.contrib.sessions.
    "sessions.apps.SessionsConfig",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id.
    "reflexbook.lib.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the switcher's cookie, else the browser's Accept-Language
    # (after sessions, before CommonMiddleware, as Django asks).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives request.user.is_verified(): has this session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: only views marked @login_not_required are public.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # A signed-in person's own language (their account's preference) wins over the above.
    "reflexbook.lib.language.UserLanguageMiddleware",
    # Logged-in pages (health data, bookings, the agenda, accounts) are never cached.
    "accounts.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff, and anyone who turned two-factor sign-in on, verify before any other page.
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reflexbook.urls"
WSGI_APPLICATION = "reflexbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE (the page's lang, cache keys) and LANGUAGES (the switcher).
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sessions.holds.slot_hold",
                # The counts on the staff menu (one query, for staff only).
                "practitioners.workspace.nav_counts",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Each worker keeps its connection (SQLite's set-up below and Django's cost more than
        # a small page), checked before reuse so a dropped one is reopened, not an error.
        conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", default=600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so a second writer waits (up to the
        # timeout) instead of failing with "database is locked" when it upgrades a read lock.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # WAL lets readers carry on while one writer writes. secure_delete zeroes what a
        # write replaces or deletes, so no plain health text outlives its encryption (the
        # migration that encrypted it) in the file's free pages.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
    # A file, not memory, so tests see the same locking as the running app; one per test
    # process, so two test runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"reflexbook-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so it can refuse locked-out logins before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the signed-in user with their practitioner profile.
    "accounts.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Where staff land after logging in without a `next` page (accounts.views.LoginView).
STAFF_LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# Throttle failed logins: 5 failures for one email from one address lock that pair out (a
# stranger elsewhere cannot lock you out). Besides: accounts.throttle pauses an address after
# LOGIN_FAILURES_PER_IP failures across all accounts; wrong old passwords on the password
# change page count as failures; a completed password reset lifts the lock-out at once, so
# someone on your network cannot keep you out. See the README ("Log-in throttling").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", default=0)

# How long health records stay with the practice after the last session: a practitioner
# keeps reading a client's current intake for this long after a completed session.
RECORD_RETENTION_YEARS = env_int("DJANGO_RECORD_RETENTION_YEARS", default=7)
if RECORD_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("DJANGO_RECORD_RETENTION_YEARS must be 1 or more.")

# Data exports (issue 16): an account with more bookings than this is exported in the
# background and its link emailed; the link works for this many days.
EXPORT_BACKGROUND_BOOKINGS = env_int("DJANGO_EXPORT_BACKGROUND_BOOKINGS", default=200)
if EXPORT_BACKGROUND_BOOKINGS < 0:
    raise ImproperlyConfigured("DJANGO_EXPORT_BACKGROUND_BOOKINGS must be 0 or more.")
EXPORT_LINK_DAYS = env_int("DJANGO_EXPORT_LINK_DAYS", default=7)
if EXPORT_LINK_DAYS < 1:
    raise ImproperlyConfigured("DJANGO_EXPORT_LINK_DAYS must be 1 or more.")

# How long choosing a time holds it for that visitor (sessions.holds), in minutes.
SLOT_HOLD_MINUTES = env_int("DJANGO_SLOT_HOLD_MINUTES", default=10)
if SLOT_HOLD_MINUTES < 1:
    raise ImproperlyConfigured("DJANGO_SLOT_HOLD_MINUTES must be 1 or more.")

# Revoking an ARCB credential takes two members of staff: one proposes (with the reason), a
# different one confirms or withdraws; the badge stays until it is confirmed. Off: one revokes.
CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF = env_bool(
    "DJANGO_CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF", default=True
)

# Busy times imported from practitioners' own calendars (practitioners.busy_import): each
# feed is fetched every 15 minutes, within a time limit (seconds) and a size cap (bytes).
# Addresses on loopback, private or link-local networks are refused unless allowed here (tests,
# or a private install whose calendar server is on its own network).
CALENDAR_IMPORT_ALLOW_PRIVATE = env_bool("DJANGO_CALENDAR_IMPORT_ALLOW_PRIVATE", default=False)
CALENDAR_IMPORT_TIMEOUT = env_int("DJANGO_CALENDAR_IMPORT_TIMEOUT", default=10)
CALENDAR_IMPORT_MAX_BYTES = 5 * 1024 * 1024
if CALENDAR_IMPORT_TIMEOUT < 1:
    raise ImproperlyConfigured("DJANGO_CALENDAR_IMPORT_TIMEOUT must be 1 or more.")

# Two-factor sign-in (django-otp). Wrong codes are throttled per device: 1, 2, 4, 8... seconds.
OTP_TOTP_ISSUER = "reflexbook"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin's device pages show no secrets or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Languages (issue 19): English is the source and the default. Each name is written in its own
# language, untranslated, so a visitor finds theirs in the switcher whatever the page's language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
# The .po files live here; `make run`/`make test` (and the test suite) compile the .mo files
# (reflexbook.lib.catalogs), which are not committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times: Django's own formats for each language (Spanish and French on a 24-hour
# clock); a template's fixed format is a translatable string, `{{ when|date:_("D j M, g:i a") }}`,
# so each language gives its order and clock.
# The switcher's choice, kept for a year (a signed-in person's choice is on their account too).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_timezone("DJANGO_TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from a package (bootstrap-wrapper on PyPI) and is served by us, never a CDN.
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Credential evidence: outside MEDIA_ROOT, served only to its owner and staff.
PRIVATE_MEDIA_ROOT = Path(env_str("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
# The longest a request waits for an evidence PDF's page count or one page image (rendered in
# a separate process, practitioners.evidence_pages); past it the page says it cannot show it.
EVIDENCE_RENDER_SECONDS = env_int("DJANGO_EVIDENCE_RENDER_SECONDS", default=10)
if EVIDENCE_RENDER_SECONDS < 1:
    raise ImproperlyConfigured("DJANGO_EVIDENCE_RENDER_SECONDS must be 1 or more.")

# Email: printed to the console unless an SMTP host is configured.
_email_host = env_str("DJANGO_EMAIL_HOST")
_email_port = env_int("DJANGO_EMAIL_PORT", default=587)
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": _email_port,
            "username": env_str("DJANGO_EMAIL_HOST_USER"),
            "password": env_secret("DJANGO_EMAIL_HOST_PASSWORD", required=False),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=_email_port == 587),
            "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL", default=_email_port == 465),
        },
    }
    if _email_host
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "reflexbook <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (email) goes through Django's tasks framework. Local runs send at once
# (immediate backend); production queues in the database and `manage.py db_worker` sends.
_TASK_BACKENDS = {
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
_task_backend = env_str("DJANGO_TASKS_BACKEND", "immediate" if DEBUG else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be 'immediate' or 'database'; got {_task_backend!r}."
    )
TASKS = {"default": _TASK_BACKENDS[_task_backend]}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Behind a TLS-terminating proxy (the production set-up), HTTPS is on unless
# DJANGO_HTTPS=0 says the server is plain HTTP on a private network or a test run.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# A load balancer probes over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Health data: a login lasts a working day, not Django's default two weeks.
SESSION_COOKIE_AGE = 60 * env_int("DJANGO_SESSION_MINUTES", default=8 * 60)
X_FRAME_OPTIONS = "DENY"
# Django's own Content-Security-Policy: nothing inline, nothing from other hosts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Logs go to the console (systemd's journal in production). DJANGO_LOG_FORMAT=json writes one
# JSON object per line, each with the request's id, and one line per request (path, status,
# duration, user id; reflexbook.lib.request_log). Nothing logged names a person or their health.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be 'text' or 'json'; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "reflexbook.lib.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # The per-request lines only in JSON: a local run's server prints its own.
    "loggers": {"reflexbook.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}

# Error reports to Sentry (or a compatible service) when a DSN is given; nothing personal
# is sent (reflexbook.lib.error_reporting).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from reflexbook.lib import error_reporting

    error_reporting.init(SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# /readyz says "late" when the oldest waiting task or the last finished run_due_jobs is older.
READY_TASK_WAIT = timedelta(minutes=env_int("DJANGO_READY_TASK_WAIT_MINUTES", default=10))
READY_JOBS_WAIT = timedelta(minutes=env_int("DJANGO_READY_JOBS_WAIT_MINUTES", default=15))
