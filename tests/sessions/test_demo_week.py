"""seed_demo fills Maya's current week so the calendar looks like a real practice: sessions
on the working days, one cancelled, an afternoon off, beside her lunch break."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from practitioners.models import Practitioner
from sessions.calendar import practitioner_calendar
from sessions.demo import WEEK_TIME_OFF
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
