"""Steps the browser journeys share: the main navigation, logging in and out, free times."""

import datetime as dt

import pyotp
from playwright.sync_api import Page, expect

from practitioners.models import Practitioner, WeeklyHours
from tests.factories import PASSWORD


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def log_in(page: Page, email: str, password: str = PASSWORD, totp_secret: str = "") -> None:
    """Log in through the home page's "Log in" link, as a person would; with `totp_secret`,
    also pass the two-factor step with a code computed from it (staff must)."""
    page.goto("/")
    main_nav(page).get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(main_nav(page).get_by_role("button", name="Log out")).to_be_visible()
    if totp_secret:
        page.goto("/accounts/two-factor/verify/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
        page.get_by_label("Code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter your sign-in code")


def log_out(page: Page) -> None:
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()


def open_every_day(practitioner: Practitioner) -> None:
    """Hours from 08:00 to 20:00 on all seven days, so free times exist whenever this runs."""
    practitioner.weekly_hours.all().delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=practitioner, weekday=day, starts=dt.time(8), ends=dt.time(20))
        for day in range(7)
    )


def slot_link(page: Page, start: dt.datetime):
    """The free-time button for `start` (local to the viewer), named "Tuesday 2 December at
    12:00" for screen readers; the week after this one is opened first if need be."""
    name = f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"
    link = page.get_by_role("link", name=name, exact=True)
    if not link.count():
        page.get_by_role("link", name="Next week →").click()
    return link
