"""Issue 14's series journey in a real browser: the practitioner books a client six
fortnightly sessions, one of which clashes with another booking and is moved to a nearby
free time that day; the series page lists them and the client gets one email. Axe-clean at
1280 and 390 px."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sessions.models import Booking, BookingSeries
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

LA = ZoneInfo("America/Los_Angeles")
NARROW = {"width": 390, "height": 844}


def label(text: str) -> re.Pattern:
    """A field's whole label: crispy-forms ends required ones with "*"."""
    return re.compile(rf"^\s*{text}\*?\s*$")


def assert_each_date_is_one_numbered_item(preview) -> None:
    """Each date's whole content sits in one block to the right of its "N." marker, starting
    on the marker's line (Bootstrap's numbered list once put "1." alone above a clash and
    "2." beside its last radio button)."""
    items = preview.get_by_role("listitem")
    for index in range(items.count()):
        offsets = items.nth(index).evaluate(
            """li => {
                const box = li.getBoundingClientRect(), style = getComputedStyle(li);
                const content = li.querySelector(':scope > .rb-series-date');
                const inner = content.getBoundingClientRect();
                return {
                    only: li.children.length === 1,
                    top: inner.top - box.top - parseFloat(style.paddingTop),
                    left: inner.left - box.left - parseFloat(style.paddingLeft),
                };
            }"""
        )
        assert offsets["only"], f"date {index + 1} is split"
        assert abs(offsets["top"]) < 2, f"date {index + 1} starts below its number"
        assert offsets["left"] > 10, f"date {index + 1} has no room for its number"


def next_monday() -> dt.date:
    """A Monday at least two days ahead in Los Angeles (the practitioner works Mondays)."""
    day = dt.datetime.now(LA).date() + dt.timedelta(days=2)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def test_practitioner_books_six_fortnightly_sessions_with_one_clash_moved(page: Page, mailoutbox):
    practitioner = ListedPractitionerFactory(user__full_name="Pat Practitioner")
    client = UserFactory(full_name="Cara Client")
    IntakeFormFactory(client=client)
    first = next_monday()
    BookingFactory(
        practitioner=practitioner,
        client=client,
        starts_at=dt.datetime.combine(first - dt.timedelta(weeks=2), dt.time(10), LA),
        status=Booking.Status.COMPLETED,
    )
    clash_day = first + dt.timedelta(weeks=4)  # the third date
    BookingFactory(
        practitioner=practitioner,
        starts_at=dt.datetime.combine(clash_day, dt.time(10), LA),
    )

    log_in(page, practitioner.user.email)
    page.goto(reverse("sessions:series-new", kwargs={"client_id": client.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a series for Cara Client")
    page.get_by_label(label("Session")).select_option(label="Foot reflexology, 60 minutes, $80")
    page.get_by_label(label("First date")).fill(first.isoformat())
    page.get_by_label(label("Start time")).fill("10:00")
    page.get_by_label(label("How often")).select_option(label="Every 2 weeks")
    page.get_by_label(label("Number of sessions")).select_option("6")
    page.get_by_role("button", name="Check the dates").click()

    preview = page.get_by_role("region", name="2. Check the dates and confirm")
    expect(preview).to_contain_text("1 date clashes")
    expect(preview.get_by_role("checkbox")).to_have_count(5)
    clash = preview.get_by_role("group")
    expect(clash).to_contain_text(f"{clash_day:%A} {clash_day.day} {clash_day:%B %Y}, 10:00")
    expect(clash).to_contain_text("Another booking")
    assert_each_date_is_one_numbered_item(preview)
    assert_accessible(page)
    clash.get_by_role("radio", name="11:30").check()
    preview.get_by_role("button", name="Book the chosen dates").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Series for Cara Client")
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        "6 sessions booked for Cara Client"
    )
    dates = page.get_by_role("region", name="Dates").get_by_role("listitem")
    expect(dates).to_have_count(6)
    expect(dates.nth(2)).to_contain_text(f"{clash_day.day} {clash_day:%B %Y}, 11:30")
    assert_accessible(page)
    series = BookingSeries.objects.get()
    assert series.bookings.filter(status=Booking.Status.CONFIRMED).count() == 6
    assert [m.to for m in mailoutbox] == [[client.email]]

    # On a phone: the series page and the preview read and pass axe too.
    page.set_viewport_size(NARROW)
    assert_accessible(page)
    page.go_back()
    page.goto(
        reverse("sessions:series-new", kwargs={"client_id": client.pk})
        + f"?length={practitioner.services.get().lengths.get(minutes=60).pk}"
        f"&first_date={first.isoformat()}&start_time=10:00&every_weeks=2&count=6"
    )
    expect(page.get_by_role("region", name="2. Check the dates and confirm")).to_contain_text(
        "6 dates clash"
    )
    assert_each_date_is_one_numbered_item(
        page.get_by_role("region", name="2. Check the dates and confirm")
    )
    assert_accessible(page)
