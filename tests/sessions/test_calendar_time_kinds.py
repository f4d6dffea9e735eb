"""The calendar names each kind of time in words: time off with its reason (in its cells and,
for a whole day away, at the day's head, weekends of a holiday included), breaks on their first
row, past times as plain "Past" cells that do not offer a booking, and a week's day with no
working time and nothing booked marked to fold to one line on phones."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from sessions.forms.booking import format_start
from tests.factories import BookingFactory, TimeOffFactory
from tests.sessions.booking_helpers import MONDAY, NOW, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)
WEEK = reverse("sessions:calendar-week")
DAY = reverse("sessions:calendar-day")
BOOK = reverse("sessions:book-for-client")


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def work_weekdays(practitioner) -> None:
    """09:00 to 17:00 Tuesday to Friday too (the factory's practitioner works Mondays)."""
    for weekday in range(1, 5):
        practitioner.weekly_hours.create(weekday=weekday, starts="09:00", ends="17:00")


def heads(html) -> dict[str, str]:
    """Each day's head line (hours, "Closed", "Time off ...") by its heading id."""
    return dict(
        re.findall(r'<h2 id="cal-(\d{8})".*?</h2>\s*<p class="small mb-1">([^<]*)</p>', html, re.S)
    )


def cell_at(html, moment) -> str:
    return re.search(rf'<a class="([^"]*)" href="{BOOK}\?start={format_start(moment)}"', html)[1]


def test_time_off_cells_name_it_with_its_reason_on_the_first_row(logged_in, practitioner):
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=la(MONDAY, 14),
        ends_at=la(MONDAY, 15),
        reason="Dentist",
    )

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    assert "rb-cal-first" in cell_at(html, la(MONDAY, 14))
    assert "rb-cal-first" not in cell_at(html, la(MONDAY, 14, 15))
    assert html.count('<span class="rb-cal-kind">Time off: Dentist</span>') == 4
    assert heads(html)["20260608"] == "09:00–17:00"  # part of the day: the hours still show


def test_a_whole_day_away_says_time_off_at_its_head_weekend_included(logged_in, practitioner):
    work_weekdays(practitioner)
    friday, tuesday = MONDAY + timedelta(days=4), MONDAY + timedelta(days=8)
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=la(friday, 0),
        ends_at=la(tuesday, 0),
        reason="Family holiday",
    )

    html = page(logged_in, WEEK, date=MONDAY.isoformat())

    days = heads(html)
    assert days["20260611"] == "09:00–17:00"  # Thursday, before it
    for day in ("20260612", "20260613", "20260614"):  # Friday and the weekend alike
        assert days[day] == "Time off: Family holiday"


def test_a_break_names_itself_on_its_first_row(logged_in, practitioner):
    practitioner.weekly_hours.update(ends="12:30")
    practitioner.weekly_hours.create(weekday=0, starts="13:30", ends="17:00")

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    assert "rb-cal-first" in cell_at(html, la(MONDAY, 12, 30))
    assert "rb-cal-first" not in cell_at(html, la(MONDAY, 12, 45))
    assert "rb-cal-first" not in cell_at(html, la(MONDAY, 13, 30))  # free again


def test_past_times_are_plain_cells_not_links_to_book(logged_in, practitioner, time_machine):
    # 12:20 in Los Angeles on Monday: the morning has gone.
    time_machine.move_to(la(MONDAY, 12, 20))

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    assert f"start={format_start(la(MONDAY, 12))}" not in html
    assert f"start={format_start(la(MONDAY, 12, 15))}" not in html
    assert f"start={format_start(la(MONDAY, 12, 30))}" in html
    assert '<span class="visually-hidden">12:15: Past</span>' in html
    assert html.count('href="' + BOOK + "?start=") == 18  # 12:30 to 17:00


def test_a_past_day_offers_no_time_to_book(logged_in, practitioner):
    last_week = MONDAY - timedelta(days=14)
    html = page(logged_in, WEEK, date=last_week.isoformat())
    assert f'href="{BOOK}?start=' not in html
    assert "rb-cal-past" in html


def test_days_with_no_working_time_and_no_booking_fold_on_phones(logged_in, practitioner):
    # Working Monday to Friday; a booking on Saturday keeps that day open.
    work_weekdays(practitioner)
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY + timedelta(days=5), 10))

    html = page(logged_in, WEEK, date=MONDAY.isoformat())

    idle = re.findall(r'<section class="rb-cal-day rb-cal-idle" aria-labelledby="cal-(\d+)"', html)
    assert idle == ["20260614"]  # Sunday only
    assert heads(html)["20260614"] == "Not working"
