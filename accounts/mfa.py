"""Two-factor sign-in on top of django-otp: an authenticator app (TOTP) plus ten one-time
recovery codes. We never compute codes ourselves; django-otp checks them, throttles wrong
guesses (exponential back-off per device) and refuses a TOTP code that was already used.

Who must verify: staff always (set-up is forced on them), anyone else once they turn it on.
"""

import base64
import io
from dataclasses import dataclass
from datetime import datetime

import django_otp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator-app device, if two-factor sign-in is on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enabled(user: User) -> bool:
    """Two-factor sign-in is on: the person has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Whether a signed-in person has an app is noted in their session at log-in and looked up
# again at most this often, so a page costs no extra query. The trade-off: another session
# that was already open when the person turned two-factor sign-in on is asked for a code
# within this many seconds, not at once. Staff are always asked (no lookup needed).
SESSION_KEY = "two_factor_enabled"
RECHECK_SECONDS = 300


def note_in_session(request: HttpRequest, user: User, *, enabled: bool | None = None) -> bool:
    """Record in the session whether `user` has two-factor sign-in on (looked up unless
    given) and return it."""
    if enabled is None:
        enabled = is_enabled(user)
    request.session[SESSION_KEY] = [timezone.now().timestamp(), enabled]
    return enabled


def enabled_for_session(request: HttpRequest, user: User) -> bool:
    """Whether the signed-in person has two-factor sign-in on, as noted in their session if
    that was looked up less than RECHECK_SECONDS ago."""
    noted = request.session.get(SESSION_KEY)
    if isinstance(noted, list) and len(noted) == 2:
        age = timezone.now().timestamp() - noted[0]
        if age < RECHECK_SECONDS:
            return bool(noted[1])
    return note_in_session(request, user)


def note_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """user_logged_in receiver: note in the new session whether this person has an app."""
    if request is not None and hasattr(request, "session"):
        note_in_session(request, user)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator device a set-up page shows, created on first visit and
    kept (same secret) until it is confirmed, so a reload does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The device's secret as the base32 text authenticator apps accept, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The device's otpauth:// address as a standalone SVG QR code (dark on white, so it
    scans in dark mode too; no scripts, no styles)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out,
        kind="svg",
        scale=5,
        border=4,
        light="#fff",
        title=_("QR code for your authenticator app"),
    )
    return out.getvalue()


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    # Set when django-otp's throttle refused to check the code at all.
    wait_until: datetime | None = None


def _check(device: TOTPDevice | StaticDevice, token: str) -> CheckResult:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return CheckResult(ok=False, wait_until=(details or {}).get("locked_until"))
    return CheckResult(ok=device.verify_token(token))


def confirm_app(request: HttpRequest, device: TOTPDevice, token: str) -> CheckResult:
    """Turn two-factor sign-in on: the first code from the new app confirms the device, and
    this session counts as verified. Any older app device is replaced."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        result = _check(device, _digits(token))
        if result.ok:
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    if result.ok:
        django_otp.login(request, device)
        note_in_session(request, device.user, enabled=True)
    return result


def verify(request: HttpRequest, user: User, token: str) -> CheckResult:
    """Verify this session with a code from the app or a recovery code (which is then used
    up). Each device is locked while it is checked, so two requests cannot both spend one
    recovery code or slip past the throttle."""
    token = token.strip()
    with transaction.atomic():
        if _digits(token).isdigit() and len(_digits(token)) == 6:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            token = _digits(token)
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            token = _recovery(token)
        device = device.first()
        result = _check(device, token) if device else CheckResult(ok=False)
    if result.ok:
        django_otp.login(request, device)
    return result


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones and return them (the only time
    they are shown); the old ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def turn_off(request: HttpRequest, user: User) -> None:
    """Remove the person's authenticator app and recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    note_in_session(request, user, enabled=False)


def give_app_device(user: User, secret_base32: str) -> TOTPDevice:
    """A confirmed authenticator device with a known secret (the demo staff login); safe to
    call again."""
    key = base64.b32decode(secret_base32).hex()
    device, _ = TOTPDevice.objects.update_or_create(
        user=user, name=APP_DEVICE_NAME, defaults={"key": key, "confirmed": True}
    )
    return device


def _digits(token: str) -> str:
    return "".join(token.split())


def _recovery(token: str) -> str:
    """Recovery codes are stored lower-case; people may type them in capitals or with spaces."""
    return "".join(token.split()).replace("-", "").lower()
