"""Which language a page or an email is in (issue 19).

A page: a signed-in person's account preference (`User.language`), else the switcher's cookie,
else the browser's Accept-Language, else English. Django's LocaleMiddleware does the last three;
UserLanguageMiddleware, after authentication, puts the account's choice on top and keeps the
cookie in step with it, so the site stays in that language after signing out.

An email: its recipient's preference, or for an address with no account the language of the
request that queued it (reflexbook.lib.mail).
"""

from django.conf import settings
from django.utils import translation


def supported(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES (a regional variant falls back to its language),
    or None when it is empty or not offered."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(user) -> str | None:
    """A signed-in person's chosen language, when it is offered; None for a visitor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return supported(getattr(user, "language", ""))


def set_language_cookie(response, language: str) -> None:
    """The switcher's cookie, as Django's set_language view writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """Pages in the signed-in person's own language (their account's preference), whatever
    the browser asks for; place it after AuthenticationMiddleware and LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = preferred_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response
