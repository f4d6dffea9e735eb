"""Re-authentication: a view that does something drastic (turning two-factor sign-in off,
exporting data, deleting the account) asks for the password again unless this session
entered it within the last few minutes. A stolen, still-open session is then not enough.

    @reauthentication_required
    def turn_off(request): ...
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

SESSION_KEY = "reauthenticated_at"
# Long enough to finish the task the password was asked for, short enough that an
# unattended session soon needs it again.
REAUTHENTICATION_MINUTES = 5


def mark_reauthenticated(request: HttpRequest) -> None:
    """Record that the person has just re-entered their password in this session."""
    request.session[SESSION_KEY] = timezone.now().timestamp()


def recently_reauthenticated(request: HttpRequest) -> bool:
    """True when this session re-entered the password within REAUTHENTICATION_MINUTES."""
    at = request.session.get(SESSION_KEY)
    if not isinstance(at, int | float):
        return False
    age = timezone.now().timestamp() - at
    return 0 <= age <= REAUTHENTICATION_MINUTES * 60


def reauthentication_url(next_url: str) -> str:
    return f"{reverse('accounts:reauthenticate')}?{urlencode({'next': next_url})}"


def reauthentication_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run the view only if the password was re-entered recently in this session; otherwise
    send the person to re-enter it, then back to this page (a POST comes back as a GET,
    so the page asks again for what it was going to do)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if recently_reauthenticated(request):
            return view(request, *args, **kwargs)
        return redirect(reauthentication_url(request.get_full_path()))

    return wrapper
