"""The practitioner's calendar in a real browser: the week and day views are axe clean at
1280 and 390 px, and dragging a booking to another time asks for a reason, moves it through
the write path, and emails the client the new time with that reason."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, main_nav, open_every_day
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    TimeOffFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e
REASON = "I am away at a course that morning."


@pytest.fixture
def week(transactional_db):
    """A practitioner open every day, with a client's session the day after tomorrow at 10:00,
    a cancelled one, and time off that afternoon from 16:00."""
    practitioner = ListedPractitionerFactory(user__full_name="Pat Practitioner")
    open_every_day(practitioner)
    tz = ZoneInfo(practitioner.timezone)
    day = timezone.localdate(timezone=tz) + dt.timedelta(days=2)
    client = UserFactory(full_name="Cara Client")
    booking = BookingFactory(
        practitioner=practitioner,
        client=client,
        intake=IntakeFormFactory(client=client),
        starts_at=dt.datetime.combine(day, dt.time(10), tz),
    )
    BookingFactory(
        practitioner=practitioner,
        starts_at=dt.datetime.combine(day, dt.time(12), tz),
        status=Booking.Status.CANCELLED_BY_CLIENT,
    )
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=dt.datetime.combine(day, dt.time(16), tz),
        ends_at=dt.datetime.combine(day, dt.time(18), tz),
    )
    return practitioner, booking, day, tz


def test_the_practitioner_drags_a_booking_to_a_new_time_and_the_client_is_emailed(
    page: Page, week, mailoutbox
):
    practitioner, booking, day, tz = week
    # Tall enough that the block and the time it is dropped on are both on screen.
    page.set_viewport_size({"width": 1280, "height": 1800})
    log_in(page, practitioner.user.email)
    main_nav(page).get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of")
    page.goto(f"/agenda/week/?date={day:%Y-%m-%d}")
    expect(page.get_by_text("1 cancelled or declined")).to_be_visible()
    assert_accessible(page)

    new_start = dt.datetime.combine(day, dt.time(14, 15), tz)
    block = page.locator(".rb-cal-block[data-move-url]")
    expect(block).to_contain_text("Cara Client")
    block.drag_to(page.locator(f'[data-start="{format_start(new_start)}"]'))

    dialog = page.get_by_role("dialog", name="Move Cara Client’s session")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{new_start:%A} {new_start.day} {new_start:%B} at 14:15")
    dialog.get_by_label("Reason for moving the session").fill(REASON)
    dialog.get_by_role("button", name="Move session").click()

    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "Moved: Cara Client’s session is now on"
    )
    expect(page.locator(".rb-cal-block[data-move-url]")).to_contain_text("14:15–15:15")
    booking.refresh_from_db()
    assert booking.starts_at == new_start
    (to_client,) = [m for m in mailoutbox if m.to == [booking.client.email]]
    assert to_client.subject.startswith("Moved: reflexology now on")
    assert f"The reason given: {REASON}" in to_client.body


@pytest.mark.expects_error_pages  # the refused move answers 400, with the form
def test_a_drop_on_time_off_is_refused_with_the_time_and_reason_kept(page: Page, week):
    practitioner, booking, day, tz = week
    page.set_viewport_size({"width": 1280, "height": 1800})
    log_in(page, practitioner.user.email)
    page.goto(f"/agenda/day/?date={day:%Y-%m-%d}")
    # 15:30 for an hour and a buffer runs into the time off from 16:00.
    target = dt.datetime.combine(day, dt.time(15, 30), tz)
    page.locator(".rb-cal-block[data-move-url]").drag_to(
        page.locator(f'[data-start="{format_start(target)}"]')
    )
    page.get_by_label("Reason for moving the session").fill(REASON)
    page.get_by_role("dialog").get_by_role("button", name="Move session").click()

    expect(page.get_by_role("alert")).to_contain_text("You have time off at that time.")
    expect(page.get_by_label("New start time")).to_have_value("15:30")
    expect(page.get_by_label("Reason for moving the session")).to_have_value(REASON)
    booking.refresh_from_db()
    assert booking.starts_at == dt.datetime.combine(day, dt.time(10), tz)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("view", ["week", "day"])
def test_the_calendar_is_accessible_at_desktop_and_phone_width(page: Page, week, width, view):
    practitioner, booking, day, tz = week
    log_in(page, practitioner.user.email)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/agenda/{view}/?date={day:%Y-%m-%d}")
    expect(page.locator(".rb-cal-who")).to_contain_text("10:00–11:00 Cara Client")
    assert_accessible(page)
    # Keyboard: the Move link reaches the form without dragging.
    page.get_by_role("link", name="Move Cara Client’s session at 10:00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move Cara Client’s session")
    assert_accessible(page)
