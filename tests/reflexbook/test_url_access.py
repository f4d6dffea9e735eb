"""Deny by default, checked over the whole URLconf: an anonymous visitor reaches only the pages
listed here as public; every other named URL sends them to log in or refuses. A new view that
forgets its protection fails this test."""

import uuid
from datetime import UTC, datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Pages meant for anyone, with or without an account.
PUBLIC = {
    "home",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:signup",
    "accounts:check-email",
    "accounts:verify-email",
    "practitioners:signup",
    "practitioners:directory",
    "practitioners:detail",
    # Free times for everyone (issue 12): a session, a week of times and the held time.
    "sessions:book",
    "sessions:slots",
    "sessions:review",
    # An invited client's link to choose a password (a Django reset token, issue 14).
    "sessions:invite-accept",
    # For load balancers and monitors: status words only (issue 19).
    "healthz",
    "readyz",
    # The language switcher in every page's footer (issue 19).
    "set_language",
}
SAMPLE_ARGS = {
    "uuid": uuid.UUID("00000000-0000-4000-8000-000000000000"),
    "slug": "no-such-slug",
    "int": 999999,
    "str": "nothing",
    "path": "nothing",
    "start": datetime(2026, 6, 8, 16, 0, tzinfo=UTC),  # sessions.urls.StartConverter
}


def named_patterns(resolver: URLResolver, namespace: str = ""):
    """(name, converters by argument) of every named pattern, with its namespace."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin guards itself (staff login)
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            yield f"{namespace}{entry.name}", converters


def sample_url(name: str, converters: dict) -> str:
    kwargs = {}
    for argument, converter in converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        kwargs[argument] = SAMPLE_ARGS.get(kind, "nothing")
    if name == "password_reset_confirm":
        kwargs = {"uidb64": "MQ", "token": "set-password"}
    return reverse(name, kwargs=kwargs)


PATTERNS = sorted(dict(named_patterns(get_resolver())).items())


def test_the_urlconf_was_enumerated():
    names = {name for name, _ in PATTERNS}
    assert {"sessions:booking-detail", "practitioners:queue", "accounts:account"} <= names
    assert names >= PUBLIC  # a renamed public page must be renamed here too


@pytest.mark.parametrize(("name", "converters"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_anonymous_visitors_reach_only_public_pages(client, name, converters):
    url = sample_url(name, converters)
    response = client.get(url)
    if name in PUBLIC:
        # 400: a verification link that is not a valid signed link; 503: /readyz before
        # the periodic jobs have run.
        assert response.status_code in (200, 302, 400, 404, 503), url
        return
    login = reverse("login")
    refused = response.status_code in (403, 404, 405) or (
        response.status_code == 302 and response.url.startswith(login)
    )
    assert refused, f"{name} ({url}) answered {response.status_code} to an anonymous visitor"
