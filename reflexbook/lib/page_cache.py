"""Whole public pages cached for visitors who share them (issue 13): someone without an
account, a session or a message waiting sees exactly what every other such visitor sees of
the directory, a profile or the week of free times, so the page is rendered once and served
from Django's cache (settings.CACHES) until what it shows changes.

Staleness is made impossible by the key, not by expiry: the caller passes a version read
from the database in one plain query (e.g. a practitioner's public_version and updated_at,
which every write that changes the page moves in its own transaction), and the key adds the
page's address and the current minute, since time passing alone changes what is free
(served_until gives the instant such a page must be worked out for). Because the versions
come from the database, every process's cache agrees (a per-process LocMemCache is enough).

Nothing personal is stored: a logged-in viewer, a visitor with a session (a held time, a
chosen zone) or a message, and any response that sets a cookie, a CSRF token or a session
value is rendered as usual and never cached.
"""

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

# How long an entry may sit unused; it can never be served once its minute has passed.
ENTRY_SECONDS = 120
BUCKET = timedelta(minutes=1)


def _bucket(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def served_until(now: datetime | None = None) -> datetime:
    """The end of the minute a cached page is served in: a page cached now must be worked
    out as of then, so no time it offers has passed (or come within notice) while it is
    served."""
    return _bucket(now or timezone.now()) + BUCKET


def is_shared_visitor(request: HttpRequest) -> bool:
    """A visitor whose page holds nothing of their own: no account, an empty session and
    no message waiting."""
    return (
        not request.user.is_authenticated
        and request.session.is_empty()
        and len(get_messages(request)) == 0
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A plain 200 that gave this visitor nothing of their own (no cookie, no session value,
    no CSRF token)."""
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not request.session.modified
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cached_page(
    request: HttpRequest,
    version: Callable[[], Hashable | None],
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page `render()` gives, from the cache for a shared visitor when the same address
    was rendered with the same `version()` in the current minute; otherwise rendered (and
    stored when nothing in it is the visitor's own). `version` is asked only for a shared
    visitor (others pay no query for it); None (nothing to show) renders the page."""
    if not is_shared_visitor(request):
        return render()
    current = version()
    if current is None:
        return render()
    parts = (
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request") == "true",
        # The same address is a different page in each language (reflexbook.lib.language).
        translation.get_language(),
        current,
        _bucket(timezone.now()).isoformat(),
    )
    key = "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)
    response = render()
    if _storable(request, response):
        cache.set(key, (response.content, response["Content-Type"]), ENTRY_SECONDS)
    return response
