"""Rate limits counted in the database (so every app server sees the same count).

`allow(scope, key, limit=..., window=...)` counts one hit and says whether it is still within
the limit. Keys are hashed before they are stored. Old hits are pruned by `prune_hits`
(run by `run_due_jobs`).
"""

import hashlib
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import RateLimitHit

# Nothing counts for longer than this; `prune_hits` drops older rows.
LONGEST_WINDOW = timedelta(days=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def client_ip(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (honouring DJANGO_PROXY_COUNT)."""
    return get_client_ip_address(request) or "unknown"


def count(scope: str, key: str, *, window: timedelta) -> int:
    """Hits for `key` in `scope` within the last `window`."""
    since = timezone.now() - window
    return RateLimitHit.objects.filter(scope=scope, key=_hash(key), at__gt=since).count()


def hit(scope: str, key: str) -> None:
    """Count one hit for `key` in `scope`."""
    RateLimitHit.objects.create(scope=scope, key=_hash(key))


def allow(scope: str, key: str, *, limit: int, window: timedelta) -> bool:
    """Count a hit and return True if fewer than `limit` hits came before it within `window`;
    a refused request is not counted, so retrying while refused does not extend the wait."""
    if count(scope, key, window=window) >= limit:
        return False
    hit(scope, key)
    return True


def prune_hits() -> int:
    """Drop hits older than any window uses."""
    deleted, _ = RateLimitHit.objects.filter(at__lt=timezone.now() - LONGEST_WINDOW).delete()
    return deleted


# The limits. Scopes name what is counted; each pairs a limit with its window.
LOGIN_FAILURE = "login-failure-ip"
# Failed log-ins from one address across all accounts. Higher than django-axes' per-email
# limit (AXES_FAILURE_LIMIT), so a household or office behind one address is not shut out by
# one person's typos, while guessing many accounts' passwords from one address stops.
LOGIN_FAILURES_PER_IP = 30
LOGIN_FAILURE_WINDOW = timedelta(hours=1)

RESET_ADDRESS = "reset-address"
RESET_IP = "reset-ip"
RESETS_PER_ADDRESS = 3
RESETS_PER_IP = 10
RESET_WINDOW = timedelta(hours=1)

SIGNUP_EXISTING = "signup-existing"
SIGNUP_EXISTING_PER_ADDRESS = 3
VERIFY_RESEND = "verify-resend"
VERIFY_RESENDS_PER_USER = 3
EMAIL_WINDOW = timedelta(hours=1)


def login_failures_from(ip: str) -> int:
    """Failed log-ins from `ip`, over every account, within the window."""
    return count(LOGIN_FAILURE, ip, window=LOGIN_FAILURE_WINDOW)
