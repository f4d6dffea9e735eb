"""The practitioner's start-time interval (15, 30 or 60 minutes, default 30) drives the times
offered and the write path's check; the week of times is grouped into morning, afternoon
and evening."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sessions.availability import day_parts
from sessions.booking import BookingRefused
from sessions.models import Booking
from tests.sessions.booking_helpers import MONDAY, NOW, book, la

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def week_text(client, client_user, practitioner) -> str:
    client_user.timezone = practitioner.timezone
    client_user.save()
    client.force_login(client_user)
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    return client.get(url, {"week": MONDAY.isoformat()}).text


def offered(text: str) -> list[str]:
    return [t for t in ("09:00", "09:15", "09:30", "10:00") if f"8 June at </span>{t}" in text]


def test_new_practitioners_offer_a_start_every_30_minutes(client, client_user, practitioner):
    assert practitioner.start_interval_minutes == 30
    assert offered(week_text(client, client_user, practitioner)) == ["09:00", "09:30", "10:00"]


@pytest.mark.parametrize(
    ("minutes", "times"),
    [(15, ["09:00", "09:15", "09:30", "10:00"]), (60, ["09:00", "10:00"])],
)
def test_the_week_follows_the_practitioners_interval(
    client, client_user, practitioner, minutes, times
):
    practitioner.start_interval_minutes = minutes
    practitioner.save()
    assert offered(week_text(client, client_user, practitioner)) == times


def test_the_write_path_refuses_a_start_off_the_practitioners_grid(
    practitioner, client_user, intake
):
    practitioner.start_interval_minutes = 60
    practitioner.save()
    with pytest.raises(BookingRefused, match="start every 60 minutes \\(on the hour\\)"):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 9, 30))
    assert not Booking.objects.exists()


def test_a_quarter_hour_start_is_booked_when_the_practitioner_offers_it(
    practitioner, client_user, intake
):
    practitioner.start_interval_minutes = 15
    practitioner.save()
    booking = book(practitioner, client_user, intake, starts_at=la(MONDAY, 9, 15))
    assert booking.starts_at == la(MONDAY, 9, 15)


def test_the_week_groups_times_into_morning_and_afternoon(client, client_user, practitioner):
    text = week_text(client, client_user, practitioner)
    morning, afternoon = text.index(">Morning</h4>"), text.index(">Afternoon</h4>")
    assert morning < text.index("8 June at </span>11:30") < afternoon
    assert afternoon < text.index("8 June at </span>12:00")
    assert ">Evening</h4>" not in text  # the last start is 16:00


def test_day_parts_split_at_noon_and_five():
    times = [
        {"local": datetime(2026, 6, 8, hour, minute, tzinfo=ZoneInfo("UTC"))}
        for hour, minute in ((8, 0), (11, 45), (12, 0), (16, 30), (17, 0), (21, 0))
    ]
    parts = day_parts(times)
    assert [(p["name"], [t["local"].strftime("%H:%M") for t in p["times"]]) for p in parts] == [
        ("Morning", ["08:00", "11:45"]),
        ("Afternoon", ["12:00", "16:30"]),
        ("Evening", ["17:00", "21:00"]),
    ]
    assert day_parts(times[2:4]) == [{"name": "Afternoon", "times": times[2:4]}]
