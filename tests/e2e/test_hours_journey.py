"""A practitioner sets a week with a lunch break in a real browser: a second range added on
the page (no reload), Monday copied to the other weekdays, a range removed, the summary
following along, then saved; and whole days off without typing times. Axe at 1280 and 390."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from practitioners.models import WeeklyHours
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in
from tests.factories import ListedPractitionerFactory

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def open_hours(page: Page):
    practitioner = ListedPractitionerFactory(user__full_name="Rowan Hale")
    log_in(page, practitioner.user.email)
    page.goto("/practitioners/me/")
    page.get_by_role("link", name="Weekly hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly hours")
    return practitioner


def row(page: Page, day: str, number: int):
    return page.get_by_role("group", name=f"{day} range {number}", exact=True)


def summary_cell(page: Page, day: str):
    return page.locator("#week-summary").get_by_role("row", name=re.compile(f"^{day} "))


def test_lunch_break_added_on_the_page_copied_to_weekdays_and_saved(page: Page):
    practitioner = open_hours(page)
    assert_accessible(page)
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.noReload = true")

    monday = page.get_by_role("group", name="Monday", exact=True)
    row(page, "Monday", 1).get_by_label("Until").fill("12:30")
    monday.get_by_role("button", name="Add another range on Monday").click()
    second = row(page, "Monday", 2)
    expect(second.get_by_label("From")).to_be_focused()
    second.get_by_label("From").fill("13:30")
    second.get_by_label("Until").fill("17:00")
    expect(summary_cell(page, "Monday")).to_contain_text("7 h")

    monday.get_by_role("button", name="Copy Monday to Tuesday–Friday").click()
    for day in ("Tuesday", "Wednesday", "Thursday", "Friday"):
        expect(row(page, day, 1).get_by_label("From")).to_have_value("09:00")
        expect(row(page, day, 2).get_by_label("Until")).to_have_value("17:00")
    expect(row(page, "Saturday", 1).get_by_label("From")).to_have_value("")
    expect(page.locator("#week-summary tfoot")).to_contain_text("35 h")

    # Friday finishes at lunchtime: remove its afternoon.
    row(page, "Friday", 2).get_by_role("button", name="Remove Friday range 2").click()
    expect(row(page, "Friday", 2)).to_have_count(0)
    expect(page.locator("#week-summary tfoot")).to_contain_text("31 h 30 min")
    assert page.evaluate("window.noReload") is True
    assert_accessible(page)

    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_role("status")).to_contain_text("Your weekly hours were saved.")
    saved = list(
        WeeklyHours.objects.filter(practitioner=practitioner).values_list(
            "weekday", "starts", "ends"
        )
    )
    morning, afternoon = (dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(17))
    expected = [(d, *r) for d in range(4) for r in (morning, afternoon)] + [(4, *morning)]
    assert saved == expected
    expect(row(page, "Thursday", 2).get_by_label("From")).to_have_value("13:30")
    expect(row(page, "Friday", 2)).to_have_count(0)


def test_an_overlap_is_named_and_pressing_enter_saves_not_adds(page: Page):
    practitioner = open_hours(page)
    page.get_by_role("group", name="Tuesday", exact=True).get_by_role(
        "button", name="Add another range on Tuesday"
    ).click()
    row(page, "Tuesday", 1).get_by_label("From").fill("09:00")
    row(page, "Tuesday", 1).get_by_label("Until").fill("13:00")
    row(page, "Tuesday", 2).get_by_label("From").fill("12:00")
    row(page, "Tuesday", 2).get_by_label("Until").fill("14:00")
    row(page, "Tuesday", 2).get_by_label("Until").press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved.")
    expect(page.get_by_role("main")).to_contain_text(
        "Tuesday 12:00–14:00 overlaps Tuesday 09:00–13:00."
    )
    expect(row(page, "Tuesday", 2).get_by_label("From")).to_have_value("12:00")
    assert practitioner.weekly_hours.count() == 1
    assert_accessible(page)


def test_hours_page_on_a_phone(page: Page):
    open_hours(page)
    page.set_viewport_size(PHONE)  # after logging in through the desktop navigation
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_whole_days_off_need_no_times_on_a_phone(page: Page):
    practitioner = open_hours(page)
    page.set_viewport_size(PHONE)
    page.goto("/practitioners/me/time-off/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Time off")
    expect(page.get_by_label("Whole days")).to_be_checked()
    expect(page.get_by_label("From (time)")).to_be_hidden()
    page.get_by_label("Part of a day").check()
    expect(page.get_by_label("From (time)")).to_be_visible()
    page.get_by_label("Whole days").check()
    first = dt.date.today() + dt.timedelta(days=20)
    last = first + dt.timedelta(days=2)
    page.get_by_label("From (date)").fill(f"{first:%Y-%m-%d}")
    page.get_by_label("Until (date)").fill(f"{last:%Y-%m-%d}")
    page.get_by_label("Reason").fill("Holiday")
    assert_accessible(page)
    page.get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("status")).to_contain_text("Your time off was added.")
    expect(page.get_by_role("main")).to_contain_text(
        f"{first:%a} {first.day} {first:%b %Y} – {last:%a} {last.day} {last:%b %Y}, whole days"
    )
    assert practitioner.time_off.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
