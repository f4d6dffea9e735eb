from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def axes_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The email django-axes counts failures against, lower-cased like stored emails."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


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
