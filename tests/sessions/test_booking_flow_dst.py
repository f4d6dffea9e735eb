"""A client in London looks at a New York practitioner's week across the 2026 clock changes:
09:00-17:00 in New York stays 09:00-17:00 there, so London times move with each change."""

import re
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

from practitioners.models import WeeklyHours
from tests.factories import (
    IntakeFormFactory,
    PractitionerFactory,
    ServiceFactory,
    ServiceLengthFactory,
    UserFactory,
    WeeklyHoursFactory,
)

pytestmark = pytest.mark.django_db

TIME_LINK = re.compile(r"(\w+day \d+ \w+) at </span>(\d\d:\d\d)")


@pytest.fixture
def new_york_length():
    practitioner = PractitionerFactory(timezone="America/New_York", display_name="Maya Stone")
    for day in WeeklyHours.Weekday:
        WeeklyHoursFactory(practitioner=practitioner, weekday=day, starts=time(9), ends=time(17))
    return ServiceLengthFactory(service=ServiceFactory(practitioner=practitioner), minutes=60)


@pytest.fixture
def londoner():
    return UserFactory(timezone="Europe/London")


@pytest.fixture
def london_client(client, londoner):
    client.force_login(londoner)
    return client


def week_in_london(client, length, week: str) -> dict[str, list[str]]:
    """The page's times, as {day: [HH:MM, ...]}."""
    practitioner = length.service.practitioner
    url = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    response = client.get(url, {"week": week})
    assert response.status_code == 200
    assert (
        "Times are shown in your time zone, Europe/London. Maya Stone works in America/New_York."
        in response.text
    )
    days: dict[str, list[str]] = {}
    for day, at in TIME_LINK.findall(response.text):
        days.setdefault(day, []).append(at)
    return days


def test_us_clock_change_moves_london_times_an_hour_earlier_on_sunday(
    london_client, new_york_length
):
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        days = week_in_london(london_client, new_york_length, "2026-03-08")
    # Monday 2 to Saturday 7 March: New York on EST (UTC-5), London on GMT.
    for day in ("Monday 2 March", "Wednesday 4 March", "Saturday 7 March"):
        assert days[day][0] == "14:00"
        assert days[day][-1] == "21:00"  # 16:00 in New York, the last 60-minute start
        assert len(days[day]) == 15  # every 30 minutes
    # Sunday 8 March: New York moved to EDT (UTC-4) at 02:00; London did not.
    assert days["Sunday 8 March"][0] == "13:00"
    assert days["Sunday 8 March"][-1] == "20:00"
    assert len(days["Sunday 8 March"]) == 15
    assert len(days) == 7


def test_uk_clock_change_moves_london_times_an_hour_later_on_sunday(london_client, new_york_length):
    with time_machine.travel(datetime(2026, 3, 22, 12, 0, tzinfo=UTC), tick=False):
        days = week_in_london(london_client, new_york_length, "2026-03-29")
    # Monday 23 to Saturday 28 March: New York on EDT (UTC-4), London still on GMT.
    for day in ("Monday 23 March", "Saturday 28 March"):
        assert days[day][0] == "13:00"
        assert days[day][-1] == "20:00"
    # Sunday 29 March: London moved to BST (UTC+1) at 01:00 UTC.
    assert days["Sunday 29 March"][0] == "14:00"
    assert days["Sunday 29 March"][-1] == "21:00"
    assert len(days["Sunday 29 March"]) == 15


def test_review_names_the_local_time_after_the_change(london_client, londoner, new_york_length):
    practitioner = new_york_length.service.practitioner
    with time_machine.travel(datetime(2026, 3, 22, 12, 0, tzinfo=UTC), tick=False):
        IntakeFormFactory(client=londoner)
        url = reverse(
            "sessions:review",
            kwargs={
                "slug": practitioner.slug,
                "length_id": new_york_length.pk,
                "start": "20260329T1300Z",  # 09:00 in New York
            },
        )
        response = london_client.get(url)
    assert "Sunday 29 March 2026" in response.text
    assert "14:00–15:00 (Europe/London)" in response.text
