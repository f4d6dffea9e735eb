"""The waitlist in a real browser (issue 17): a client finds no time that suits, joins the
practitioner's waitlist from the week of times; another client cancels; the waiting client
follows the emailed link and books the freed time through the normal review page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from sessions.models import Booking, WaitlistEntry, WaitlistOffer
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

ZONE = ZoneInfo("America/Los_Angeles")


def test_a_waiting_client_books_the_time_another_client_cancels(page: Page, mailoutbox):
    practitioner = ListedPractitionerFactory(
        user__full_name="Pat Lindqvist",
        user__timezone="America/Los_Angeles",
        slug="pat-lindqvist",
        min_notice_hours=1,
        start_interval_minutes=60,
        booking_horizon_days=7,
    )
    # One session a week, in two days' time at 10:00, and another client has it.
    day = dt.datetime.now(ZONE).date() + dt.timedelta(days=2)
    practitioner.weekly_hours.update(
        weekday=day.weekday(), starts=dt.time(10), ends=dt.time(11, 30)
    )
    starts_at = dt.datetime.combine(day, dt.time(10), ZONE)
    taken = BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Olly Other", timezone="America/Los_Angeles"),
        starts_at=starts_at,
        blocks_until=starts_at + dt.timedelta(minutes=75),
    )
    waiting = UserFactory(full_name="Cara Client", timezone="America/Los_Angeles")
    IntakeFormFactory(client=waiting)

    # Nothing suits: the client joins the waitlist from the week of times.
    log_in(page, waiting.email)
    page.goto(practitioner.get_absolute_url())
    page.get_by_role("link", name="Book a session").first.click()
    page.get_by_label("Foot reflexology, 60 minutes, $80").check()
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    page.get_by_role("link", name="Join the waitlist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the waitlist")
    assert_accessible(page)
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        if name != f"{day:%A}":
            page.get_by_label(name, exact=True).uncheck()
    page.get_by_role("checkbox", name="Afternoon (12:00 to 17:00)").uncheck()
    page.get_by_role("checkbox", name="Evening (from 17:00)").uncheck()
    page.get_by_label("Until").fill(day.isoformat())
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("status")).to_contain_text("You are on Pat Lindqvist's waitlist.")
    waitlist = page.get_by_role("region", name="Your waitlist")
    expect(waitlist).to_contain_text("Pat Lindqvist: Foot reflexology, 60 minutes")
    expect(waitlist).to_contain_text(f"{day:%A}s, mornings")
    assert_accessible(page)
    log_out(page)

    # The other client cancels their session.
    log_in(page, taken.client.email)
    page.goto(taken.get_absolute_url())
    page.get_by_role("link", name="Cancel this session").click()
    page.get_by_role("button", name="Cancel my session").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelled")
    log_out(page)

    # The offer was emailed at once; the waiting client follows its link and books.
    (email,) = [m for m in mailoutbox if m.to == [waiting.email] and "is free" in m.subject]
    assert email.subject == f"A time with Pat Lindqvist is free: {day:%A} {day.day} {day:%B}, 10:00"
    link = re.search(r"https?://\S+(/waitlist/offers/[0-9a-f-]+/)", email.body).group(1)
    log_in(page, waiting.email)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("A time that came free")
    expect(page.get_by_role("main")).to_contain_text(f"{day:%A} {day.day} {day:%B %Y}, 10:00–11:00")
    assert_accessible(page)
    page.get_by_role("link", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    page.locator("input[name=unwell_now][value=False]").check()
    page.get_by_label("I accept the cancellation policy above.").check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session with Pat Lindqvist")

    booking = Booking.objects.active().get(practitioner=practitioner, starts_at=starts_at)
    assert booking.client == waiting
    assert WaitlistOffer.objects.get().status == WaitlistOffer.Status.CLAIMED
    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.BOOKED
