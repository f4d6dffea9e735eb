from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from accounts import mfa

# Longer return addresses are dropped: Django refuses to redirect past 16,384 characters.
MAX_NEXT_LENGTH = 2000


class UserTimezoneMiddleware:
    """Show times in the logged-in person's own time zone (stored times stay UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(ZoneInfo(user.timezone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Every response to a logged-in person says `Cache-Control: no-store, private`: their
    pages carry health details, bookings and account data that no browser history, shared
    computer's cache or proxy may keep. Anonymous visitors see only public pages (the
    directory, a profile) and keep their usual, cacheable headers; pages for logged-in people
    redirect them to log in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def two_factor_exempt(view):
    """Mark a view that a signed-in person may use before verifying their second factor
    (the set-up and verify pages themselves)."""
    view.two_factor_exempt = True
    return view


class TwoFactorMiddleware:
    """Until this session is verified with a second factor, staff (always) and anyone who has
    turned two-factor sign-in on may use only the two-factor pages and log out: a person with
    an authenticator app is sent to the verify page, staff without one to set one up.

    It runs after django-otp's OTPMiddleware (which gives `request.user.is_verified()`) and
    after LoginRequiredMiddleware, and covers the Django admin as well as our pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "two_factor_exempt", False) or _is_logout(view_func):
            return None
        if user.is_staff:
            has_app = mfa.is_enabled(user)
        else:
            has_app = mfa.enabled_for_session(request, user)
            if not has_app:
                return None
        target = reverse("accounts:two-factor-verify" if has_app else "accounts:two-factor-setup")
        # Come back here after the code, unless the address is too long to redirect to.
        if request.method == "GET" and len(request.get_full_path()) <= MAX_NEXT_LENGTH:
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)


def _is_logout(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return view_class is not None and issubclass(view_class, LogoutView)
