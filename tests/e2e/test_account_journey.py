"""A visitor's account journey in a real browser: sign up, log out, log in, edit details."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.templatetags.static import static
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, open_every_day, slot_link
from tests.factories import PASSWORD, ListedPractitionerFactory, UserFactory

pytestmark = pytest.mark.e2e

PRACTICE_ZONE = ZoneInfo("America/Los_Angeles")
NARROW = {"width": 390, "height": 844}
BRAND_GREEN = "rgb(31, 95, 91)"  # --rb-brand in static/css/site.css
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"  # .btn-primary in Bootstrap 5.3
ACCOUNT_LINK = re.compile(r"^Account\b")
# crispy-forms ends required labels with "*", so the first field is labelled "Password*";
# a plain "Password" label search would also match "Password again*".
FIRST_PASSWORD = re.compile(r"^\s*Password\*?\s*$")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def assert_styled(page: Page) -> None:
    """Bootstrap and site.css were both served and applied."""
    for path in ("bootstrap/css/bootstrap.min.css", "css/site.css"):
        response = page.request.get(static(path))
        assert response.ok, f"{static(path)} answered {response.status}"
        assert "text/css" in response.headers["content-type"]
    expect(page.locator(".navbar")).to_have_css("background-color", BRAND_GREEN)
    expect(page.get_by_role("main").get_by_role("link", name="Find a practitioner")).to_have_css(
        "background-color", BOOTSTRAP_PRIMARY
    )


def open_menu(page: Page) -> None:
    """At narrow widths the nav links sit behind the toggler: open it."""
    toggler = page.get_by_role("button", name="Show or hide the menu")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-nav")).not_to_have_class(re.compile(r"\bshow\b"))
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width}px wide at {NARROW['width']}px"


def verification_path(message) -> str:
    """The path of the confirmation link in an email (its host is DJANGO_SITE_URL's)."""
    match = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_visitor_signs_up_confirms_email_logs_in_and_edits_account(page: Page, mailoutbox):
    email = "maya.patel@example.com"
    password = "Calm-feet-on-Tuesday-42"

    # Home, as a visitor.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a reflexology session")
    assert_styled(page)
    assert_accessible(page)

    # Sign up: a first try with mismatched passwords keeps what was typed.
    main_nav(page).get_by_role("link", name="Sign up").click()
    expect(page).to_have_title(re.compile(r"^Sign up"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_accessible(page)

    page.get_by_label("Full name").fill("Maya Patel")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(FIRST_PASSWORD).fill(password)
    page.get_by_label("Password again").fill(password + "x")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("The two passwords do not match.")).to_be_visible()
    expect(page.get_by_label("Password again")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Full name")).to_have_value("Maya Patel")
    expect(page.get_by_label("Email address")).to_have_value(email)
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    assert not User.objects.filter(email=email).exists()
    assert_accessible(page)

    # The passwords are not sent back, so type both again.
    page.get_by_label(FIRST_PASSWORD).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()

    # The same answer whether or not the address has an account: check your email.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(f"We sent an email to {email}.")
    expect(main_nav(page).get_by_role("link", name=ACCOUNT_LINK)).to_have_count(0)
    assert_accessible(page)
    assert not User.objects.get(email=email).email_verified

    # The emailed link confirms the address and leads to the log-in page.
    [message] = mailoutbox
    assert message.to == [email]
    page.goto(verification_path(message))
    expect(page.get_by_role("status")).to_contain_text(f"Thank you: {email} is confirmed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert User.objects.get(email=email).email_verified
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(main_nav(page).get_by_role("link", name=ACCOUNT_LINK)).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    assert_accessible(page)

    # Log out (a POST form in the nav).
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name=ACCOUNT_LINK)).to_have_count(0)

    # Log in again with the same email.
    main_nav(page).get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(main_nav(page).get_by_role("link", name=ACCOUNT_LINK)).to_be_visible()

    # The account page shows what was given at sign-up; change name, phone and zone.
    main_nav(page).get_by_role("link", name=ACCOUNT_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("main")).to_contain_text(f"You log in as {email}")
    expect(page.get_by_role("main")).to_contain_text("Email confirmed")
    expect(page.get_by_label("Full name")).to_have_value("Maya Patel")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    assert_accessible(page)

    page.get_by_label("Full name").fill("Maya Patel-Okafor")
    page.get_by_label("Phone").fill("+44 20 7946 0958")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("status")).to_contain_text("Your account details were saved.")
    expect(page.get_by_label("Full name")).to_have_value("Maya Patel-Okafor")
    expect(page.get_by_label("Phone")).to_have_value("+44 20 7946 0958")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    assert_accessible(page)

    user = User.objects.get(email=email)
    assert user.full_name == "Maya Patel-Okafor"
    assert user.phone == "+44 20 7946 0958"
    assert user.timezone == "Asia/Tokyo"
    assert user.check_password(password)


def test_key_pages_fit_a_narrow_phone_screen(page: Page):
    user = UserFactory(full_name="Nina Narrow")
    page.set_viewport_size(NARROW)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # The nav is collapsed behind the toggler until it is opened.
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_hidden()
    open_menu(page)
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    main_nav(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    open_menu(page)
    main_nav(page).get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()

    # Logged in: the account page fits too, and logging out works through the toggler.
    expect(page.get_by_role("heading", name="Hello, Nina")).to_be_visible()
    open_menu(page)
    main_nav(page).get_by_role("link", name=ACCOUNT_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    expect(main_nav(page).get_by_role("button", name="Log out")).to_be_hidden()
    open_menu(page)
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name=ACCOUNT_LINK)).to_have_count(0)


@pytest.mark.browser_context(timezone_id="America/Los_Angeles")
def test_sign_up_from_a_booking_comes_back_to_it_once_the_email_is_confirmed(
    page: Page, mailoutbox
):
    practitioner = ListedPractitionerFactory(
        user__full_name="Pat Lindqvist", slug="pat-lindqvist", min_notice_hours=1
    )
    open_every_day(practitioner)
    email, password = "sam.new@example.com", "Quiet-arches-at-dusk-7"
    tomorrow = dt.datetime.now(PRACTICE_ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(12), PRACTICE_ZONE)

    # No account is needed to see free times; the account is asked for at the review.
    page.goto(practitioner.get_absolute_url())
    page.get_by_role("link", name="Book a session").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session with Pat Lindqvist")
    page.get_by_label("Foot reflexology, 60 minutes, $80").check()
    page.get_by_role("button", name="Show free times").click()
    slot_link(page, start).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    review_path = urlsplit(page.url).path
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    page.get_by_label("Full name").fill("Sam New")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(FIRST_PASSWORD).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # Confirmed and logged in, the booking goes on where it was: with no health form yet,
    # its first step, which leads back to the same time.
    [message] = mailoutbox
    page.goto(verification_path(message))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    assert parse_qs(urlsplit(page.url).query)["next"] == [review_path]
    expect(page.get_by_role("link", name="← Back to your booking")).to_have_attribute(
        "href", review_path
    )
    assert_accessible(page)


def test_an_unverified_client_sees_it_on_the_account_page_and_asks_for_a_new_link(page: Page):
    client = UserFactory(unverified=True)
    log_in(page, client.email)
    main_nav(page).get_by_role("link", name=ACCOUNT_LINK).click()
    expect(page.get_by_role("main")).to_contain_text("Your email address is not confirmed yet.")
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"We sent a new confirmation link to {client.email}."
    )
    assert_accessible(page)
