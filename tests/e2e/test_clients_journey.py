"""The clients list in a real browser: the practitioner opens Clients from the menu, searches
for a client by phone, then by name, and opens the client's page with their sessions, health
form and the actions to book for them. Both pages pass axe at desktop and phone widths."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions.models import Booking
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, main_nav
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

PHONE = (390, 844)
VERRUCA = {"code": "verruca", "tier": "avoid", "label": "Verruca", "detail": "d", "reason": "r"}


def test_the_practitioner_finds_a_client_and_opens_their_page(page: Page):
    practitioner = ListedPractitionerFactory(user__full_name="Pat Practitioner")
    cara = UserFactory(full_name="Cara Client", phone="+1 503 555 0142")
    intake = IntakeFormFactory(client=cara, answers={"medications": "Warfarin daily"})
    soon = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    BookingFactory(
        practitioner=practitioner,
        client=cara,
        intake=intake,
        status=Booking.Status.COMPLETED,
        starts_at=soon - dt.timedelta(days=14),
    )
    BookingFactory(
        practitioner=practitioner, client=cara, intake=intake, starts_at=soon, flags=[VERRUCA]
    )
    for n in range(3):
        # Two hours apart: a session and its buffer never overlap the next (PostgreSQL refuses).
        BookingFactory(
            practitioner=practitioner, starts_at=soon + dt.timedelta(days=1, hours=2 * n)
        )

    log_in(page, practitioner.user.email)
    main_nav(page).get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your clients")
    expect(page.get_by_role("heading", name="4 clients")).to_be_visible()
    assert_accessible(page)

    search = page.get_by_label("Search your clients")
    search.fill("503-555-0142")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 client matches “503-555-0142”")).to_be_visible()
    expect(page.get_by_label("Search your clients")).to_have_value("503-555-0142")
    expect(page.get_by_role("row", name="Cara Client")).to_contain_text("Verruca")

    page.get_by_label("Search your clients").fill("cara")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name="Cara Client")
    expect(row).to_contain_text("Verruca (Avoid area)")
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")  # sessions held
    row.get_by_role("link", name="Cara Client").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cara Client")
    expect(page.get_by_role("heading", name="Sessions with you (2)")).to_be_visible()
    expect(page.get_by_role("link", name="Book a session for Cara Client")).to_be_visible()
    expect(page.get_by_role("link", name="Book a series for Cara Client")).to_be_visible()
    page.get_by_text("Answers", exact=True).click()
    expect(page.get_by_text("Warfarin daily")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    assert_accessible(page)
    page.get_by_role("link", name="← Your clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your clients")
    assert_accessible(page)
