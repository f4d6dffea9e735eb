"""seed_demo fills Maya's current week so the calendar looks like a real practice: sessions
on the working days, one cancelled, an afternoon off, beside her lunch break."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from practitioners.models import Practitioner
from sessions.calendar import practitioner_calendar
from sessions.clients import with_figures
from sessions.demo import REGULAR_PAST_WEEKS, REGULARS, WEEK_TIME_OFF
from sessions.models import Booking

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)  # Monday 09:00 in New York


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO(), even_without_debug=True)


def test_mayas_week_is_full_enough_to_look_like_a_practice():
    with time_machine.travel(NOW, tick=False):
        seed()
        seed()  # a second run adds nothing
        maya = Practitioner.objects.get(user__email="maya@example.com")
        tz = ZoneInfo(maya.timezone)
        monday = NOW.astimezone(tz).date()
        days = [monday + dt.timedelta(days=n) for n in range(7)]
        calendar = practitioner_calendar(maya, days)

    blocks = {day.date: [e for e in day.entries if e.is_block] for day in calendar.grid.days}
    # Tuesday to Friday each have several sessions.
    assert all(len(blocks[day]) >= 2 for day in days[1:5])
    assert sum(len(b) for b in blocks.values()) >= 12
    assert sum(len(d) for d in calendar.dropped.values()) >= 1
    assert maya.time_off.filter(reason=WEEK_TIME_OFF).count() == 1
    kinds = {e.kind for day in calendar.grid.days for e in day.entries if not e.is_block}
    assert {"away", "break", "free"} <= kinds
    assert Booking.objects.filter(
        practitioner=maya, status=Booking.Status.CANCELLED_BY_CLIENT, client__email__contains="."
    ).exists()


def test_each_regular_has_their_own_phone_and_earlier_signed_sessions():
    """Not all "555 123 4567", and the clients page shows a last session and a count."""
    with time_machine.travel(NOW, tick=False):
        seed()
        maya = Practitioner.objects.get(user__email="maya@example.com")
        rows = {
            row.email: row
            for row in with_figures(
                User.objects.filter(email__in=[email for email, *_ in REGULARS]), maya, now=NOW
            )
        }

    assert {email: row.intake_phone for email, row in rows.items()} == {
        email: phone for email, _, phone in REGULARS
    }
    assert len({phone for *_, phone in REGULARS}) == len(REGULARS)
    week_start = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)  # Monday 00:00 in New York
    for email, row in rows.items():
        earlier = Booking.objects.filter(
            client__email=email, status=Booking.Status.COMPLETED, starts_at__lt=week_start
        )
        assert earlier.count() == len(REGULAR_PAST_WEEKS), email
        assert all(booking.record.is_signed for booking in earlier), email
        assert row.last_session is not None and row.sessions >= len(REGULAR_PAST_WEEKS)
