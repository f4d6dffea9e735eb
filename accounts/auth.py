from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils import timezone

from accounts.models import User

# The backend that vouches for a person logged in without authenticate() (two are configured).
USER_BACKEND = "accounts.backends.UserBackend"


def log_in(request: HttpRequest, user: User) -> None:
    """Log in a person who has just signed up. They were not authenticate()d and two backends
    are configured, so login() must be told which one vouches for them."""
    login(request, user, backend=USER_BACKEND)


def landing_page(user: User) -> str:
    """Where `user` lands after logging in with no page to return to: staff on their
    workspace, everyone else on the home page."""
    return resolve_url(
        settings.STAFF_LOGIN_REDIRECT_URL if user.is_staff else settings.LOGIN_REDIRECT_URL
    )


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email django-axes counts failures against, lower-cased like stored emails (and cut
    to the length its tables hold, so an over-long one cannot fail the insert)."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower()[:255] if username else None


def password_was_reset(user: User) -> None:
    """A reset through the emailed link proves the person reads that mailbox: lift every
    log-in lock-out on the address (so someone sharing the victim's network cannot keep them
    locked out) and count the address as verified."""
    axes_reset(username=user.email)
    if not user.email_verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Tell a locked-out person how long to wait, without saying whether the email exists."""
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60),
        "unlock_at": timezone.localtime() + cooloff,
    }
    return render(request, "registration/locked_out.html", context, status=429)
