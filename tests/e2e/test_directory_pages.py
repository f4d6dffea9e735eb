"""The public directory and profile pages in a real browser: they fit a phone screen, pass
axe, and the search and filter form works without JavaScript."""

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import DESKTOP_VIEWPORT
from tests.factories import (
    CertificationFactory,
    ListedPractitionerFactory,
    ServiceLengthFactory,
)

pytestmark = pytest.mark.e2e

NARROW = {"width": 390, "height": 844}
FOOT_BADGE = "ARCB certified: foot"
ADA = "Ada Lovelock"
BEA = "Bea Featherstonehaugh-Montgomery, RRT"
CAL = "Cal Ortiz"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (480, 480), (120, 160, 150)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def listed(db):
    """Three listed practitioners who differ in every filter the directory has."""
    ada = ListedPractitionerFactory(
        user__full_name=ADA,
        slug="ada-lovelock",
        city="Portland",
        region="Oregon",
        photo="practitioners/photos/ada.png",
        bio="Calm, unhurried foot reflexology in a quiet studio near the river.",
        premises_note="Ground floor, step-free access, parking behind the building.",
        languages="English",
    )
    CertificationFactory(practitioner=ada, verified=True)
    bea = ListedPractitionerFactory(
        user__full_name=BEA,
        slug="bea-featherstonehaugh-montgomery",
        city="Seattle",
        region="Washington",
        offers_foot=False,
        offers_hand=True,
        languages="English, Spanish",
    )
    ServiceLengthFactory(service=bea.services.get(), minutes=45, price="62.50")
    ListedPractitionerFactory(
        user__full_name=CAL,
        city="Portland",
        region="Maine",
        accepting_new_clients=False,
    )
    return ada


def serve_photos(page: Page) -> None:
    """The live server does not serve MEDIA_ROOT (the web server does in production), so
    answer photo requests with a real PNG: the layout is then tested with the image in it."""
    image = png_bytes()

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="image/png", body=image)

    page.route(re.compile(r"/media/practitioners/photos/"), fulfil)


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width}px wide at {NARROW['width']}px"


def directory_card(page: Page, name: str):
    return page.locator("article").filter(has=page.get_by_role("heading", name=name))


def card_names(page: Page) -> list[str]:
    return page.locator("article h3").all_inner_texts()


@pytest.fixture
def no_js_page(browser: Browser, live_server) -> Iterator[Page]:
    """A page with JavaScript turned off, as some visitors browse."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP_VIEWPORT, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_directory_and_profile_fit_a_narrow_phone_screen(page: Page, listed):
    serve_photos(page)
    page.set_viewport_size(NARROW)

    page.goto("/practitioners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a practitioner")
    expect(page.get_by_role("heading", name="3 practitioners")).to_be_visible()
    # The verified practitioner comes first, with the badge and the photo loaded.
    assert card_names(page)[0] == ADA
    ada = directory_card(page, ADA)
    expect(ada).to_contain_text(FOOT_BADGE)
    expect(ada.get_by_role("img", name=f"Photo of {ADA}")).to_be_visible()
    assert ada.get_by_role("img").evaluate("img => img.naturalWidth") == 480
    expect(directory_card(page, BEA)).to_contain_text("$45–$80")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # The long name fits too, on its own profile page.
    page.get_by_role("link", name=BEA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BEA)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="Back to the directory").click()
    page.get_by_role("link", name=ADA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ADA)
    main = page.get_by_role("main")
    expect(main).to_contain_text(FOOT_BADGE)
    expect(main).to_contain_text("30 minutes: $45")
    expect(main).to_contain_text("60 minutes: $80")
    expect(main).to_contain_text("Ground floor, step-free access")
    photo = page.get_by_role("img", name=f"Photo of {ADA}")
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)  # measure the settled layout
    page.wait_for_load_state("load")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_filter_form_works_without_javascript(no_js_page: Page, listed):
    page = no_js_page
    page.goto("/practitioners/")
    # Bootstrap's script did not run (Playwright's own evaluate still works).
    assert page.evaluate("typeof window.bootstrap") == "undefined"
    assert sorted(card_names(page)) == sorted([ADA, BEA, CAL])

    # Search by place, then narrow to those accepting new clients.
    page.get_by_label("Name or place").fill("Portland")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Portland(&|$)"))
    expect(page.get_by_role("heading", name="2 practitioners match your search")).to_be_visible()
    assert sorted(card_names(page)) == sorted([ADA, CAL])
    expect(page).to_have_title(re.compile(r"^Search results"))

    page.get_by_label("Accepting new clients").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 practitioner matches your search")).to_be_visible()
    assert card_names(page) == [ADA]
    # The form shows what was asked for.
    expect(page.get_by_label("Name or place")).to_have_value("Portland")
    expect(page.get_by_label("Accepting new clients")).to_be_checked()

    # "Clear all filters" is a plain link back to everyone.
    page.get_by_role("link", name="Clear all filters").first.click()
    expect(page.get_by_role("heading", name="3 practitioners")).to_be_visible()
    expect(page.get_by_label("Name or place")).to_have_value("")

    # Modality, session length and language together.
    page.get_by_label("Reflexology").select_option(label="Hand")
    page.get_by_label("Session length").select_option(label="45 minutes")
    page.get_by_label("Language", exact=True).fill("Spanish")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"modality=hand"))
    expect(page).to_have_url(re.compile(r"length=45"))
    expect(page).to_have_url(re.compile(r"language=Spanish"))
    assert card_names(page) == [BEA]
    expect(page.get_by_label("Reflexology")).to_have_value("hand")
    expect(page.get_by_label("Session length")).to_have_value("45")

    # ARCB verified only.
    page.get_by_role("link", name="Clear all filters").first.click()
    page.get_by_label("ARCB verified only").check()
    page.get_by_role("button", name="Search").click()
    assert card_names(page) == [ADA]
    expect(directory_card(page, ADA)).to_contain_text(FOOT_BADGE)

    # A search that finds no one says so and offers a way back.
    page.get_by_label("Name or place").fill("Anchorage")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No practitioners found")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("No practitioner matches all of these filters")
