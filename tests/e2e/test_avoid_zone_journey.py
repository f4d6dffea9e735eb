"""Avoid areas by zone in a real browser: for a client with a verruca on the left heel, the
record map shades the left heel; the practitioner who picks a heel point sees the warning at
once (before saving), while solar plexus on the same foot raises none."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions.safety import flags_for
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in
from tests.factories import BookingFactory, ListedPractitionerFactory, UserFactory

pytestmark = pytest.mark.e2e

HEEL = "Left foot: Pelvis / buttocks (avoid: left heel (verruca))"
SOLAR_PLEXUS = "Left foot: Solar plexus"


@pytest.fixture
def record_url(reflex_catalogue) -> str:
    practitioner = ListedPractitionerFactory(
        user__email="pat.lindqvist@example.com", display_name="Pat Lindqvist"
    )
    client = UserFactory(email="vera.verruca@example.com", full_name="Vera Client")
    starts = (timezone.now() - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    flags = flags_for(
        {"pregnancy": "not_pregnant", "verruca": ["left_foot"], "verruca_zones": ["foot:heel"]},
        signed_on=timezone.localdate(),
    )
    booking = BookingFactory(
        practitioner=practitioner, client=client, starts_at=starts, flags=flags
    )
    log_in_as = practitioner.user.email
    return log_in_as, f"/bookings/{booking.code}/record/"


def _journey(page: Page, record_url, viewport: dict | None = None) -> None:
    email, url = record_url
    log_in(page, email)
    if viewport:
        page.set_viewport_size(viewport)  # logged in through the wide menu, then a phone
    page.goto(url)
    expect(page.get_by_role("group", name="Foot map")).to_be_visible()
    expect(page.locator("#avoid-areas")).to_contain_text("Avoid: left heel (verruca)")
    expect(page.locator("[data-avoid-band='L']")).to_have_count(1)
    expect(page.locator("[data-avoid-band='R']")).to_have_count(0)
    warning = page.locator("[data-avoid-warning]")
    expect(warning).to_be_hidden()
    assert_accessible(page)

    # Solar plexus on the left foot lies outside the heel: no warning.
    page.get_by_role("button", name=SOLAR_PLEXUS, exact=True).click()
    expect(page.get_by_role("checkbox", name=SOLAR_PLEXUS, exact=True)).to_be_checked()
    expect(warning).to_be_hidden()

    # A heel point warns the moment it is chosen, before anything is saved.
    page.get_by_role("button", name=HEEL, exact=True).click()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        "Left foot: Pelvis / buttocks is in an area to avoid: left heel (verruca)."
    )
    assert_accessible(page)

    # The server stays the authority: saving without the override is refused.
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "These points are in an area to avoid: Left foot: Pelvis / buttocks"
    )


def test_a_heel_point_warns_at_once_on_a_desktop(page: Page, record_url):
    _journey(page, record_url)


def test_a_heel_point_warns_at_once_on_a_phone(page: Page, record_url):
    _journey(page, record_url, viewport={"width": 390, "height": 844})
