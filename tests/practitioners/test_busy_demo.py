"""seed_demo imports Maya's busy times from the calendar file shipped with the demo
(practitioners/data/demo_busy_calendar.ics, read through the import's own expansion, no
network), and gives her a second calendar whose last read failed, so the demo shows both."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from practitioners.models import BusyCalendar, Practitioner
from sessions.forms.booking import format_start

NOW = datetime(2026, 6, 1, 16, 0, tzinfo=UTC)  # Monday 12:00 in New York
NEW_YORK = ZoneInfo("America/New_York")
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def maya(capsys):
    call_command("seed_demo", even_without_debug=True)
    capsys.readouterr()
    return Practitioner.objects.get(user__email="maya@example.com")


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), NEW_YORK).astimezone(UTC)


def test_maya_has_busy_times_read_from_the_shipped_calendar(maya):
    personal = maya.busy_calendars.get(name="Personal (Google)")
    assert personal.succeeded_at == NOW and personal.error == ""
    busy = list(personal.intervals.values_list("starts_at", "ends_at"))
    thursday, saturday = date(2026, 6, 4), date(2026, 6, 6)
    # Thursday choir 17:00-19:00 and Saturdays all day, in New York; the Friday reminder is
    # shown as free (TRANSP:TRANSPARENT), so it is not there.
    assert (local(thursday, 17), local(thursday, 19)) in busy
    assert (local(saturday, 0), local(saturday + timedelta(days=1), 0)) in busy
    assert all(start.astimezone(NEW_YORK).weekday() in (3, 5) for start, _ in busy)
    # For the booking horizon (and a day either side) only.
    assert max(end for _, end in busy) <= NOW + timedelta(days=maya.booking_horizon_days + 1)
    assert BusyCalendar.objects.exclude(practitioner=maya).count() == 0


def test_mayas_calendar_shows_the_grey_blocks_and_the_failed_work_calendar(client, maya):
    client.force_login(maya.user)
    response = client.get(reverse("sessions:calendar-week"), {"date": "2026-06-04"})
    html = response.content.decode()
    assert "Busy in your calendar" in html
    assert "Your calendar “Work (Outlook)” could not be read" in html
    assert "did not answer within 10 seconds" in html


def test_a_client_is_not_offered_mayas_thursday_evening(client, maya):
    service = maya.services.filter(is_active=True).first()
    length = service.lengths.order_by("minutes").first()
    url = reverse("sessions:slots", kwargs={"slug": maya.slug, "length_id": length.pk})
    html = client.get(url, {"week": "2026-06-08"}).content.decode()
    late_afternoon = [
        format_start(local(day, 16) + timedelta(minutes=30)) in html
        for day in (date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 10), date(2026, 6, 11))
    ]
    # 16:30 is offered Monday to Wednesday; on Thursday the session and its buffer would run
    # into choir at 17:00.
    assert late_afternoon == [True, True, True, False]
