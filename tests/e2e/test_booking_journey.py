"""A booking's life in a real browser: a client books a 45-minute session, the practitioner
confirms it, the client moves it and then cancels it inside the late window; the practitioner's
agenda follows every step, and each change is emailed with a calendar file."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from sessions.models import Booking
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, main_nav, open_every_day, slot_link
from tests.factories import (
    IntakeFormFactory,
    ListedPractitionerFactory,
    ServiceLengthFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

CLIENT_ZONE = ZoneInfo("America/New_York")
PRACTICE_ZONE = ZoneInfo("America/Los_Angeles")


# --- helpers ---------------------------------------------------------------------------------


def when(start: dt.datetime, minutes: int = 45) -> str:
    """A session as the pages write it: "Tuesday 2 December 2026, 12:00–12:45"."""
    end = start + dt.timedelta(minutes=minutes)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M}"


def agenda_on(page: Page, day: dt.date) -> None:
    """The practitioner's agenda, moved to `day` with its date field."""
    main_nav(page).get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agenda")
    page.get_by_label("Go to date").fill(day.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    expect(
        page.get_by_role("region", name=re.compile(rf"^{day:%A} {day.day} {day:%B %Y}"))
    ).to_be_visible()


def grid_row(page: Page, hour: str):
    """The day-grid's row for one hour, such as "09:00"."""
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=hour, exact=True))


def week_day(page: Page, day: dt.date):
    """The week list's entries under the day's heading."""
    return page.locator(
        f"xpath=//h3[normalize-space()='{day:%A} {day.day} {day:%B}']"
        "/following-sibling::*[1][self::ul]/li"
    )


# --- test ------------------------------------------------------------------------------------


def test_client_books_45_minutes_practitioner_confirms_client_reschedules_then_cancels_late(
    page: Page, mailoutbox
):
    practitioner = ListedPractitionerFactory(
        user__full_name="Pat Lindqvist",
        user__timezone="America/Los_Angeles",
        slug="pat-lindqvist",
        min_notice_hours=1,
        late_cancel_hours=48,
        auto_confirm=False,
    )
    open_every_day(practitioner)
    ServiceLengthFactory(service=practitioner.services.get(), minutes=45, price="65.00")
    client = UserFactory(full_name="Cara Client", timezone="America/New_York")
    IntakeFormFactory(client=client)
    # Tomorrow at noon, then at 14:00, where the client is (09:00 and 11:00 at the practice):
    # both always less than 48 hours ahead, so cancelling is late whenever this runs.
    tomorrow = dt.datetime.now(CLIENT_ZONE).date() + dt.timedelta(days=1)
    first = dt.datetime.combine(tomorrow, dt.time(12), CLIENT_ZONE)
    moved = dt.datetime.combine(tomorrow, dt.time(14), CLIENT_ZONE)
    day = first.astimezone(PRACTICE_ZONE).date()

    # The client books 45 minutes tomorrow at noon.
    log_in(page, client.email)
    page.goto(practitioner.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Pat Lindqvist")
    expect(page.get_by_role("main")).to_contain_text("45 minutes: $65")
    assert_accessible(page)
    page.get_by_role("link", name="Book a session").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session with Pat Lindqvist")
    assert_accessible(page)
    page.get_by_label("Foot reflexology, 45 minutes, $65").check()
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    expect(page.get_by_role("main")).to_contain_text("Foot reflexology, 45 minutes, $65")
    expect(page.get_by_role("main")).to_contain_text(
        "Times are shown in your time zone, America/New_York. Pat Lindqvist works in "
        "America/Los_Angeles."
    )
    assert_accessible(page)
    slot_link(page, first).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    details = page.get_by_role("region", name="Your session")
    expect(details).to_contain_text(f"{first:%A} {first.day} {first:%B %Y}")
    expect(details).to_contain_text("12:00–12:45 (America/New_York)")
    expect(details).to_contain_text("45 minutes")
    expect(details).to_contain_text("$65, paid to Pat Lindqvist")
    expect(page.get_by_role("region", name="Cancellation policy")).to_contain_text(
        "Please cancel or reschedule at least 48 hours before your session."
    )
    assert_accessible(page)
    page.get_by_label("Message to the practitioner (optional)").fill("First time, a bit nervous.")
    page.locator("input[name=unwell_now][value=False]").check()
    page.get_by_label("I accept the cancellation policy above.").check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Requested: Pat Lindqvist will confirm your session (it is not confirmed yet)."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session with Pat Lindqvist")
    expect(page.get_by_role("main")).to_contain_text(when(first))
    expect(page.locator(".rb-status")).to_have_text(
        "Requested: waiting for Pat Lindqvist to confirm"
    )
    assert_accessible(page)
    log_out(page)

    # Step 1 on the agenda: a request waiting for an answer; the practitioner confirms it.
    log_in(page, practitioner.user.email)
    agenda_on(page, day)
    waiting = page.get_by_role("region", name="Needs your answer (1)")
    pending = waiting.get_by_role("listitem").filter(has_text="Cara Client")
    expect(pending).to_contain_text(f"{day:%a} {day.day} {day:%b}, 09:00–09:45 · Cara Client")
    expect(pending).to_contain_text("Foot reflexology, 45 min · Requested: waiting for your answer")
    expect(pending).to_contain_text("Message from the client: First time, a bit nervous.")
    expect(grid_row(page, "09:00")).to_contain_text("09:00–09:45 · Cara Client")
    expect(grid_row(page, "09:00")).to_contain_text("Answer this request")
    expect(week_day(page, day)).to_have_count(1)
    assert_accessible(page)
    pending.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Confirmed: Cara Client, {day:%A} {day.day} {day:%B} at 09:00. The client has been emailed."
    )
    expect(page.get_by_role("region", name="Needs your answer")).to_contain_text(
        "No requests are waiting for you."
    )
    expect(grid_row(page, "09:00")).to_contain_text("Foot reflexology, 45 min · Confirmed")
    expect(week_day(page, day)).to_contain_text("09:00–09:45 · Cara Client")
    expect(week_day(page, day)).to_contain_text("Confirmed")
    assert_accessible(page)
    log_out(page)

    # The client moves it to 14:00 the same day.
    log_in(page, client.email)
    main_nav(page).get_by_role("link", name="My bookings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bookings")
    upcoming = page.get_by_role("region", name="Upcoming")
    expect(upcoming).to_contain_text("Pat Lindqvist · Foot reflexology, 45 minutes · Confirmed")
    assert_accessible(page)
    upcoming.get_by_role("link", name=when(first)).click()
    expect(page.locator(".rb-status")).to_have_text("Confirmed")
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your session")
    expect(page.get_by_role("main")).to_contain_text(f"Now: {when(first)} (America/New_York)")
    assert_accessible(page)
    slot_link(page, moved).click()
    expect(page.get_by_role("heading", name=f"Move to {when(moved)}?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Move my session").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Moved. Pat Lindqvist has been told, and we have emailed you the new time."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session with Pat Lindqvist")
    expect(page.get_by_role("main")).to_contain_text(when(moved))
    expect(page.locator(".rb-status")).to_have_text("Confirmed")
    expect(page.get_by_role("main")).to_contain_text("Rescheduled 1 time")
    assert_accessible(page)
    log_out(page)

    # Step 2 on the agenda: the session now holds 11:00 at the practice, and 09:00 is free.
    log_in(page, practitioner.user.email)
    agenda_on(page, day)
    expect(grid_row(page, "09:00")).to_contain_text("Free")
    expect(grid_row(page, "09:00")).not_to_contain_text("Cara Client")
    expect(grid_row(page, "11:00")).to_contain_text("11:00–11:45 · Cara Client")
    expect(grid_row(page, "11:00")).to_contain_text("Confirmed")
    expect(week_day(page, day)).to_have_count(1)
    expect(week_day(page, day)).to_contain_text("11:00–11:45 · Cara Client")
    assert_accessible(page)
    log_out(page)

    # The client cancels inside the 48-hour window: warned first, then marked late.
    log_in(page, client.email)
    main_nav(page).get_by_role("link", name="My bookings").click()
    page.get_by_role("region", name="Upcoming").get_by_role("link", name=when(moved)).click()
    page.get_by_role("link", name="Cancel this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your session")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text(
        "This will be recorded as a late cancellation. It is now less than 48 hours before "
        "your session."
    )
    assert_accessible(page)
    page.get_by_label("Reason (optional)").fill("A work trip came up, sorry.")
    page.get_by_role("button", name="Cancel my session").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Cancelled (late): this was less than 48 hours before the session, so it is recorded "
        "as a late cancellation. Pat Lindqvist has been told."
    )
    expect(page.locator(".rb-status")).to_have_text("Cancelled (late) by you")
    expect(page.get_by_role("main")).to_contain_text(
        "Late cancellation Yes: cancelled less than 48 hours before the start."
    )
    expect(page.get_by_role("link", name="Reschedule")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel this session")).to_have_count(0)
    assert_accessible(page)
    main_nav(page).get_by_role("link", name="My bookings").click()
    expect(page.get_by_role("region", name="Upcoming")).to_contain_text(
        "You have no upcoming sessions."
    )
    expect(page.get_by_role("region", name="Past and cancelled")).to_contain_text(
        "Cancelled (late) by you"
    )
    log_out(page)

    # Step 3 on the agenda: the grid is free again; the week list keeps it, marked late.
    log_in(page, practitioner.user.email)
    agenda_on(page, day)
    expect(grid_row(page, "11:00")).to_contain_text("Free")
    expect(week_day(page, day)).to_have_count(1)
    expect(week_day(page, day)).to_contain_text("11:00–11:45 · Cara Client")
    expect(week_day(page, day)).to_contain_text("Cancelled by client (late cancellation)")
    assert_accessible(page)
    week_day(page, day).get_by_role("link", name=re.compile(r"^Details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Session: Cara Client with Pat Lindqvist"
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text(when(moved.astimezone(PRACTICE_ZONE)))
    expect(page.locator(".rb-status")).to_have_text("Cancelled (late) by the client")
    expect(main).to_contain_text("Reason cancelled A work trip came up, sorry.")
    expect(main).to_contain_text("Rescheduled 1 time")
    assert_accessible(page)

    # The database holds the same story.
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CANCELLED_BY_CLIENT
    assert booking.is_late_cancellation is True
    assert booking.reschedule_count == 1
    assert booking.minutes == 45
    assert str(booking.price) == "65.00"
    assert booking.starts_at == moved
    assert booking.ends_at == moved + dt.timedelta(minutes=45)
    assert booking.cancellation_reason == "A work trip came up, sorry."
    assert booking.client_message == "First time, a bit nervous."

    # Every step was emailed, each with a calendar file for the right time.
    sent = [(m.to[0], m.subject) for m in mailoutbox]
    assert sent == [
        (client.email, "Your booking request with Pat Lindqvist"),
        (practitioner.user.email, "New booking request from Cara Client"),
        (client.email, "Booking confirmed with Pat Lindqvist"),
        (
            client.email,
            f"Moved: reflexology now on {moved.day} {moved:%B}, 14:00 (America/New_York)",
        ),
        (
            practitioner.user.email,
            f"Moved: reflexology now on {moved.day} {moved:%B}, 11:00 (America/Los_Angeles)",
        ),
        (practitioner.user.email, f"Cancelled: reflexology on {moved.day} {moved:%B}"),
        (client.email, f"Cancelled: reflexology on {moved.day} {moved:%B}"),
    ]
    expected = [
        ("REQUEST", first),
        ("REQUEST", first),
        ("REQUEST", first),
        ("REQUEST", moved),
        ("REQUEST", moved),
        ("CANCEL", moved),
        ("CANCEL", moved),
    ]
    for message, (method, start) in zip(mailoutbox, expected, strict=True):
        [(name, content, mimetype)] = message.attachments
        assert name == "booking.ics"
        assert mimetype.startswith(f"text/calendar; method={method}")
        calendar = Calendar.from_ical(content)
        assert calendar["method"] == method
        [event] = calendar.walk("VEVENT")
        assert event.decoded("dtstart") == start
        assert event.decoded("dtend") == start + dt.timedelta(minutes=45)
        assert str(event["uid"]) == f"{booking.code}@reflexbook"
