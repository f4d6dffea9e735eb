"""Shared pieces for the session record tests: a session that took place, and a complete
no-JavaScript post of the record form with overrides."""

import datetime as dt

from django.utils import timezone

from tests.factories import BookingFactory

NO_OILS = {
    "code": "oil_sensitivity",
    "tier": "no_oils",
    "label": "Sensitive to oils or scents",
    "detail": "Your practitioner will use no oils or scented products.",
    "reason": "Client reports a reaction to essential oils.",
}
AVOID_LEFT_FOOT = {
    "code": "verruca",
    "tier": "avoid",
    "label": "Verruca on the left foot",
    "detail": "Your practitioner will not work that area.",
    "reason": "Verruca: avoid contact.",
    "area": "left foot",
}


def past_booking(practitioner, client_user, *, hours_ago: int = 2, **kwargs):
    """A confirmed session with this practitioner that started `hours_ago` hours ago."""
    starts = (timezone.now() - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return BookingFactory(practitioner=practitioner, client=client_user, starts_at=starts, **kwargs)


def form_data(**overrides) -> dict:
    """A valid record form post with no points; `point-...` keys etc. may be added."""
    data = {
        "record_form": "1",
        "changes_since_last": "No changes.",
        "obs_skin": "on",
        "obs_skin_note": "Dry skin on both heels",
        "decision": "proceed",
        "actual_minutes": "55",
        "pressure": "medium",
        "medium": "balm",
        "medium_details": "Unscented balm",
        "reactions": ["sighing", "gurgling"],
        "reactions_notes": "Relaxed quickly.",
        "subjective": "SOAP-S: sleeping badly since the move",
        "objective": "SOAP-O: tight shoulders",
        "assessment": "SOAP-A: shoulder reflexes tender",
        "plan": "SOAP-P: weekly for four weeks",
        "client_summary": "We worked both feet, with extra time on the shoulder reflexes.",
        "aftercare": "Drink water and rest this evening.",
    }
    data.update(overrides)
    return data
