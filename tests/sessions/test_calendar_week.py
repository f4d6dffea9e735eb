"""The practitioner's day and week calendar pages: the grid, its shading, the blocks, the
collapsed cancelled bookings, the links to book an empty time, DST days, and who may see it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.factories import BookingFactory, DateExceptionFactory, TimeOffFactory, UserFactory
from tests.sessions.booking_helpers import CAUTION_FLAG, MONDAY, NOW, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)
Status = Booking.Status
WEEK = reverse("sessions:calendar-week")
DAY = reverse("sessions:calendar-day")


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def booked(practitioner, hour, minute=0, **kwargs) -> Booking:
    options = {"client": UserFactory(full_name="Jane Doe"), "starts_at": la(MONDAY, hour, minute)}
    return BookingFactory(practitioner=practitioner, **options | kwargs)


def test_a_booking_is_a_block_linking_to_it_with_name_status_and_flags(logged_in, practitioner):
    booking = booked(practitioner, 10, flags=[CAUTION_FLAG])

    html = page(logged_in, WEEK, date=MONDAY.isoformat())

    start = html.index('class="rb-cal-block')
    block = html[start : html.index('class="rb-cal-cell', start)]
    assert "rb-span-5" in block  # 60 minutes and a 15-minute buffer: five rows
    assert reverse("sessions:booking-detail", kwargs={"code": booking.code}) in block
    assert "10:00–11:00</span> Jane Doe" in block
    assert "Confirmed" in block
    # The flag's icon carries its words for hover, focus and screen readers.
    assert 'title="Caution: Diabetes"' in block
    assert '<span class="visually-hidden">Caution: Diabetes</span>' in block
    assert 'class="rb-cal-buffer rb-span-1"' in block
    assert reverse("sessions:booking-move", kwargs={"code": booking.code}) in block


def test_a_booking_without_a_health_form_says_so_on_its_block(logged_in, practitioner):
    waiting = booked(practitioner, 10, intake=None)
    signed = booked(practitioner, 14)

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    def block_of(booking):
        link = reverse("sessions:booking-detail", kwargs={"code": booking.code})
        start = html.rindex('class="rb-cal-block', 0, html.index(link))
        return html[start : html.index('class="rb-cal-cell', start)]

    assert "Health form not yet completed" in block_of(waiting)
    assert "Health form not yet completed" not in block_of(signed)


def test_empty_quarter_hours_link_to_booking_for_a_client_at_that_instant(logged_in, practitioner):
    html = page(logged_in, DAY, date=MONDAY.isoformat())

    book = reverse("sessions:book-for-client")
    assert f'href="{book}?start={format_start(la(MONDAY, 9, 15))}"' in html
    assert f'href="{book}?start={format_start(la(MONDAY, 16, 45))}"' in html
    # Nine to five on a quarter-hour grid.
    assert html.count(f'href="{book}?start=') == 32


def test_a_booked_time_is_not_offered_as_empty(logged_in, practitioner):
    booked(practitioner, 10)
    html = page(logged_in, DAY, date=MONDAY.isoformat())
    book = reverse("sessions:book-for-client")
    for hour, minute in ((10, 0), (10, 45), (11, 0)):
        assert f"{book}?start={format_start(la(MONDAY, hour, minute))}" not in html
    assert f"{book}?start={format_start(la(MONDAY, 11, 15))}" in html


def test_a_booking_right_after_a_ten_minute_buffer_is_drawn_and_its_time_not_offered(
    logged_in, practitioner
):
    booked(practitioner, 9, blocks_until=la(MONDAY, 10, 10))  # 60 minutes, 10-minute buffer
    after = booked(practitioner, 10, 10, client=UserFactory(full_name="Ann Lee"))

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    assert "Overlaps another booking" not in html
    assert "10:10–11:10</span> Ann Lee" in html
    assert reverse("sessions:booking-detail", kwargs={"code": after.code}) in html
    book = reverse("sessions:book-for-client")
    for hour, minute in ((10, 0), (10, 15), (10, 30), (11, 15)):
        assert f"{book}?start={format_start(la(MONDAY, hour, minute))}" not in html
    assert f"{book}?start={format_start(la(MONDAY, 11, 30))}" in html


def test_breaks_time_off_and_outside_hours_are_shaded_and_named(logged_in, practitioner):
    practitioner.weekly_hours.update(ends="12:30")
    practitioner.weekly_hours.create(weekday=0, starts="13:30", ends="17:00")
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 15), ends_at=la(MONDAY, 16))
    booked(practitioner, 18)  # an evening booking stretches the grid

    html = page(logged_in, DAY, date=MONDAY.isoformat())

    def cell(hour, minute=0):
        stamp = format_start(la(MONDAY, hour, minute))
        return re.search(rf'class="rb-cal-cell rb-cal-(\w+)[^"]*" href="[^"]*{stamp}"', html)[1]

    assert "09:00–12:30, 13:30–17:00" in html
    assert [cell(12, 15), cell(12, 30), cell(13, 15), cell(13, 30)] == [
        "free",
        "break",
        "break",
        "free",
    ]
    assert [cell(14, 45), cell(15), cell(15, 45), cell(16)] == ["free", "away", "away", "free"]
    assert cell(17) == "outside"
    assert "Time off: Holiday</span>" in html and "Break</span>" in html


def test_a_closed_day_says_so(logged_in, practitioner):
    DateExceptionFactory(practitioner=practitioner, date=MONDAY)
    html = page(logged_in, DAY, date=MONDAY.isoformat())
    assert '<p class="small mb-1">Closed</p>' in html
    assert "rb-cal-cell rb-cal-free" not in html


def test_cancelled_and_declined_bookings_collapse_into_a_count(logged_in, practitioner):
    booked(practitioner, 10, status=Status.CANCELLED_BY_CLIENT, is_late_cancellation=True)
    booked(practitioner, 10, status=Status.DECLINED)
    kept = booked(practitioner, 10)

    html = page(logged_in, WEEK, date=MONDAY.isoformat())

    assert "<summary>2 cancelled or declined</summary>" in html
    assert "Cancelled by client (late)" in html and ": Declined</li>" in html
    assert html.count('class="rb-cal-block') == 1
    assert reverse("sessions:booking-detail", kwargs={"code": kept.code}) in html


def test_a_completed_session_has_no_move_link(logged_in, practitioner):
    booked(practitioner, 10, status=Status.COMPLETED, starts_at=la(MONDAY - timedelta(days=7), 10))
    html = page(logged_in, WEEK, date=(MONDAY - timedelta(days=7)).isoformat())
    assert "Completed" in html
    assert "rb-cal-move" not in html and "data-move-url" not in html


def test_the_week_runs_monday_to_sunday_with_links_that_need_no_swipe(logged_in, practitioner):
    html = page(logged_in, WEEK, date=(MONDAY + timedelta(days=3)).isoformat())
    assert "Week of Monday 8 June 2026" in html
    assert html.count('<section class="rb-cal-day') == 7
    assert f'href="{WEEK}?date=2026-06-04"' in html  # previous
    assert f'href="{WEEK}?date=2026-06-18"' in html  # next
    assert f'href="{DAY}?date=2026-06-14"' in html  # each day opens in the day view


def test_today_is_the_default_and_marked(logged_in, practitioner):
    html = page(logged_in, DAY)
    assert "Monday 1 June 2026" in html  # 05:00 in Los Angeles at NOW
    assert '<span aria-current="date">Today</span>' in html


def test_a_bad_date_shows_today(logged_in, practitioner):
    html = page(logged_in, DAY, date="not-a-date")
    assert "<h1>Monday 1 June 2026</h1>" in html


@pytest.mark.parametrize(
    ("day", "quarters", "repeated"),
    [(date(2027, 3, 14), 92, False), (date(2026, 11, 1), 100, True), (MONDAY, 96, False)],
    ids=["spring forward: 23 hours", "fall back: 25 hours", "ordinary day"],
)
def test_dst_days_have_23_or_25_hours_of_quarters(logged_in, practitioner, day, quarters, repeated):
    html = page(logged_in, DAY, date=day.isoformat(), hours="all")
    assert html.count("data-start=") == quarters
    assert ("01:00 again" in html) == repeated


def test_the_fall_back_hour_links_each_of_its_two_instants(logged_in, practitioner):
    html = page(logged_in, DAY, date="2026-11-01", hours="all")
    book = reverse("sessions:book-for-client")
    # 01:30 PDT (08:30 UTC) and 01:30 PST (09:30 UTC) are both on the grid.
    assert f"{book}?start=20261101T0830Z" in html
    assert f"{book}?start=20261101T0930Z" in html


def test_a_booking_across_the_spring_gap_spans_its_real_length(logged_in, practitioner):
    # 01:00 PST to 03:00 PDT is one hour.
    booking = BookingFactory(
        practitioner=practitioner,
        starts_at=la(date(2026, 3, 8), 1, 30),
        minutes=60,
    )
    html = page(logged_in, DAY, date="2026-03-08", hours="all")
    assert booking.ends_at - booking.starts_at == timedelta(hours=1)
    assert "01:30–03:30</span>" in html
    assert 'class="rb-cal-session rb-span-4"' in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("client", 403), ("other practitioner", 200), ("staff", 403)],
    indirect=["who"],
)
@pytest.mark.parametrize("url", [WEEK, DAY])
def test_only_practitioners_open_the_calendar(client, practitioner, who, status, url):
    booked(practitioner, 10)
    response = client.get(url, {"date": MONDAY.isoformat()})
    assert response.status_code == status
    if status == 200:  # another practitioner sees their own, empty calendar
        assert "Jane Doe" not in response.content.decode()


@pytest.mark.parametrize("url", [WEEK, DAY])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navigation_and_the_agenda_link_the_calendar(logged_in, practitioner):
    html = page(logged_in, reverse("sessions:agenda"), date=MONDAY.isoformat())
    assert f'href="{WEEK}"' in html and f'href="{DAY}"' in html
    assert f'href="{DAY}?date=2026-06-08"' in html
