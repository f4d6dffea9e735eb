from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.cache import patch_cache_control


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
