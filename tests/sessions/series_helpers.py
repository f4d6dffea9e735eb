"""Shared steps for the series tests: `client_user` has had a session with `practitioner`
(Los Angeles, Mondays 09:00-17:00), so they are the practitioner's client, frozen at NOW."""

from datetime import timedelta

from django.urls import reverse

from sessions.booking import book_series
from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.factories import BookingFactory
from tests.sessions.booking_helpers import MONDAY, NOW, la

__all__ = ["MONDAY", "NOW", "la"]


def past_session(practitioner, client, **kwargs) -> Booking:
    """A completed session a week before NOW: what makes `client` the practitioner's client."""
    return BookingFactory(
        practitioner=practitioner,
        client=client,
        starts_at=la(MONDAY - timedelta(days=14), 10),
        status=Booking.Status.COMPLETED,
        **kwargs,
    )


def step_one(practitioner, *, first=MONDAY, at="10:00", every=2, count=6) -> dict:
    """Step 1's answers: the practitioner's 60-minute session."""
    length = practitioner.services.get().lengths.get(minutes=60)
    return {
        "length": length.pk,
        "first_date": first.isoformat(),
        "start_time": at,
        "every_weeks": every,
        "count": count,
    }


def new_url(client) -> str:
    return reverse("sessions:series-new", kwargs={"client_id": client.pk})


def confirm(answers: dict, *starts) -> dict:
    """The confirmation's POST: step 1 again and a chosen start per date (None: left out)."""
    return answers | {
        f"date-{n}": format_start(start) if start else "" for n, start in enumerate(starts, 1)
    }


def a_series(practitioner, client, starts, **kwargs):
    options = {
        "service": practitioner.services.get(),
        "minutes": 60,
        "every_weeks": 2,
        "count": len(starts),
        "created_by": practitioner.user,
        "now": NOW,
    } | kwargs
    return book_series(practitioner=practitioner, client=client, starts=starts, **options)
