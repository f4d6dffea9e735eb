"""Which held time is this visitor's: a random key in their session (it survives logging in,
which keeps the session's data) and, once they are logged in, their account. The holds
themselves are taken through sessions.booking.hold_slot and turned into bookings by
book_session; this module only reads them for the pages.
"""

import secrets
from datetime import datetime

from django.http import HttpRequest

from accounts.timezones import VISITOR_ZONE_SESSION_KEY
from sessions.models import SlotHold

HOLDER_SESSION_KEY = "slot_holder"
# The time this visitor last held ("<practitioner id> <start>"), so that once the hold has
# lapsed (and perhaps been deleted) the page can still say "your hold ran out".
HELD_SESSION_KEY = "slot_held"


def holder_key(request: HttpRequest) -> str:
    """This visitor's holder key, made on first use."""
    key = request.session.get(HOLDER_SESSION_KEY)
    if not key:
        key = request.session[HOLDER_SESSION_KEY] = secrets.token_urlsafe(24)
    return key


def own_hold(request: HttpRequest, **filters) -> SlotHold | None:
    """This visitor's live hold (matching `filters`), if any. No query for someone who has
    never chosen a time in this session."""
    session = getattr(request, "session", None)
    key = session.get(HOLDER_SESSION_KEY, "") if session is not None else ""
    if not key:
        return None
    holds = SlotHold.objects.live().of_holder(key=key, user=request.user).filter(**filters)
    return holds.select_related("practitioner", "length__service").first()


def _stamp(practitioner_id: int, starts_at: datetime) -> str:
    return f"{practitioner_id} {starts_at.isoformat()}"


def held_before(request: HttpRequest, practitioner_id: int, starts_at: datetime) -> bool:
    """Whether this visitor held this time earlier in this session (the hold may have run
    out since)."""
    return request.session.get(HELD_SESSION_KEY) == _stamp(practitioner_id, starts_at)


def remember(request: HttpRequest, hold: SlotHold) -> None:
    request.session[HELD_SESSION_KEY] = _stamp(hold.practitioner_id, hold.starts_at)


def forget(request: HttpRequest) -> None:
    """After booking: nothing is held any more, and later pages look nothing up."""
    request.session.pop(HOLDER_SESSION_KEY, None)
    request.session.pop(HELD_SESSION_KEY, None)


def slot_hold(request: HttpRequest) -> dict:
    """Context processor: `slot_hold`, the visitor's live hold and the zone to show it in
    ({"hold", "zone"} or None), for the reminder shown on every page while they sign up,
    confirm their email and fill in their health form. Looked up only when a page uses it,
    and only for someone holding a time."""
    cached: list[dict | None] = []

    def lookup() -> dict | None:
        if not cached:
            hold = own_hold(request)
            if hold is None:
                cached.append(None)
            elif request.user.is_authenticated:
                cached.append({"hold": hold, "zone": request.user.timezone})
            else:
                zone = request.session.get(VISITOR_ZONE_SESSION_KEY)
                cached.append({"hold": hold, "zone": zone or hold.practitioner.timezone})
        return cached[0]

    return {"slot_hold": lookup}
