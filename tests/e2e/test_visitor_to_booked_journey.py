"""Issue 12's acceptance journey on a phone (390 px): an anonymous visitor finds the soonest
practitioner in the directory, picks a 45-minute time on the profile's free times, which is
held for them with the time left shown, signs up, confirms the email, fills in the health form
in steps (pregnant, 20 weeks, sensitive to lavender) and books; the booking page says where the
session is, the practitioner's phone and a map link. No page passed has a serious or critical
accessibility violation."""

import datetime as dt
import re
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from sessions.models import Booking, IntakeDraft, IntakeForm, SlotHold
from sessions.next_free import refresh_next_free
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import open_every_day, slot_link
from tests.e2e.test_intake_journey import (
    choose,
    field,
    fill_about_you,
    fill_after_pregnancy,
    fill_consent,
    save_step,
    step,
)
from tests.factories import (
    CertificationFactory,
    ListedPractitionerFactory,
    ServiceLengthFactory,
)

CLIENT_ZONE = ZoneInfo("America/New_York")
PHONE = {"width": 390, "height": 844}
ADDRESS = "12 Alder Street, Portland, Oregon 97205, United States"
PRACTICE_PHONE = "+1 503 555 0142"
EMAIL = "nora.quinn@example.com"
PASSWORD = "Warm-feet-in-November-7"
# crispy-forms ends required labels with "*"; a plain "Password" would also find "Password again".
FIRST_PASSWORD = re.compile(r"^\s*Password\*?\s*$")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport=PHONE, timezone_id="America/New_York"),
]


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def card_names(page: Page) -> list[str]:
    return page.locator(".rb-practitioner-card .card-title").all_inner_texts()


def assert_fits(page: Page) -> None:
    """Nothing wider than the phone's screen (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at {PHONE['width']}px"


def checked(page: Page) -> None:
    """Axe finds no serious or critical violation, and the page fits the phone."""
    assert_accessible(page)
    assert_fits(page)


def verification_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_visitor_finds_soonest_time_holds_it_signs_up_fills_steps_and_books_on_a_phone(
    page: Page, mailoutbox
):
    # Two listed practitioners: the certified one comes first by default, but her first free
    # time is three days away; Rae Moreno is free from an hour from now.
    rae = ListedPractitionerFactory(
        user__full_name="Rae Moreno",
        slug="rae-moreno",
        min_notice_hours=1,
        auto_confirm=True,
        street="12 Alder Street",
        postcode="97205",
        phone=PRACTICE_PHONE,
        premises_note="Free parking behind the building; ring the bell marked Moreno.",
    )
    open_every_day(rae)
    ServiceLengthFactory(service=rae.services.get(), minutes=45, price="65.00")
    later = ListedPractitionerFactory(user__full_name="Ada Later", min_notice_hours=72)
    open_every_day(later)
    CertificationFactory(practitioner=later, verified=True)
    for practitioner in (rae, later):
        refresh_next_free(practitioner.pk)
    # Tomorrow at noon where the visitor is (09:00 at the practice): always ahead, on the grid.
    tomorrow = dt.datetime.now(CLIENT_ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(12), CLIENT_ZONE)

    # The directory, sorted by the soonest free time.
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Find a practitioner").click()
    expect(heading(page)).to_have_text("Find a practitioner")
    assert card_names(page) == ["Ada Later", "Rae Moreno"]
    checked(page)
    page.get_by_label("Sort by").select_option(label="Soonest free time")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"sort=soonest"))
    assert card_names(page) == ["Rae Moreno", "Ada Later"]
    checked(page)

    # The profile: its next free time, and booking without an account.
    page.get_by_role("link", name="Rae Moreno").click()
    expect(heading(page)).to_have_text("Rae Moreno")
    expect(page.get_by_role("main")).to_contain_text("Next free time:")
    checked(page)
    page.get_by_role("link", name="Book a session").first.click()
    expect(heading(page)).to_have_text("Book a session with Rae Moreno")
    checked(page)
    page.get_by_label("Foot reflexology, 45 minutes, $65").check()
    page.get_by_role("button", name="Show free times").click()
    expect(heading(page)).to_have_text("Choose a time")
    expect(page.get_by_role("main")).to_contain_text("Times are shown in America/New_York.")
    checked(page)

    # Choosing a time holds it, with the time left counted down.
    slot_link(page, start).click()
    expect(heading(page)).to_have_text("Check and confirm your booking")
    details = page.get_by_role("region", name="Your session")
    expect(details).to_contain_text(f"{start:%A} {start.day} {start:%B %Y}")
    expect(details).to_contain_text("12:00–12:45 (America/New_York)")
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"^\d{1,2} minutes? left$"))
    # A clock time, then the minutes left: "10:00 left" beside it read like a second time.
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"This time is held for you until \d\d:\d\d \(\d{1,2} minutes? left\)\.")
    )
    hold = SlotHold.objects.get()
    assert hold.starts_at == start and hold.user is None
    checked(page)

    # Sign up from the review page; the zone the times were shown in is kept.
    page.get_by_role("link", name="Create an account").click()
    expect(heading(page)).to_have_text("Sign up")
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    checked(page)
    page.get_by_label("Full name").fill("Nora Quinn")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label(FIRST_PASSWORD).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(heading(page)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(
        f"We are holding {start:%A} {start.day} {start:%B} at 12:00 (America/New_York) with "
        "Rae Moreno for you"
    )
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^\d{1,2} minutes? left$"))
    checked(page)

    # The emailed link confirms the address; logging in comes back to the held time, and
    # without a health form the review sends her to its first step.
    [message] = mailoutbox
    assert message.to == [EMAIL]
    page.goto(verification_path(message))
    expect(page.get_by_role("status")).to_contain_text(f"Thank you: {EMAIL} is confirmed.")
    expect(heading(page)).to_have_text("Log in")
    checked(page)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    step(page, "About you", 1)
    expect(page).to_have_url(re.compile(r"/intake/edit/about-you/\?next="))
    checked(page)

    # The health form in steps: pregnant (20 weeks, midwife aware), sensitive to lavender.
    fill_about_you(page)
    save_step(page)
    step(page, "Pregnancy", 2)
    expect(page.get_by_label("If pregnant: how many weeks?")).to_have_count(0)
    checked(page)
    choose(page, "Are you pregnant?", "Pregnant")
    save_step(page)
    step(page, "Pregnancy", 2)
    field(page, "If pregnant: how many weeks?").fill("20")
    choose(page, "If pregnant: does your midwife or doctor know", "Yes")
    checked(page)
    save_step(page)
    fill_after_pregnancy(page)
    fill_consent(page, "Nora Quinn")
    checked(page)
    draft = IntakeDraft.objects.get(client__email=EMAIL)
    assert draft.answers["pregnancy_weeks"] == 20
    assert draft.answers["oil_sensitivity_details"] == "Lavender: rash"
    page.get_by_role("button", name="Sign and save").click()

    # Back on the review page, the time still held; she books it.
    expect(page.get_by_role("status")).to_contain_text(
        "Your health form is saved and signed (version 1)."
    )
    expect(heading(page)).to_have_text("Check and confirm your booking")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^\d{1,2} minutes? left$"))
    # Pregnant past 13 weeks with no complication, midwife aware: a caution, no clearance to
    # confirm; lavender and its family are avoided, and nothing goes on her skin.
    flags = page.get_by_role("region", name="From your health form")
    expect(flags.locator(".rb-flag strong")).to_have_text(
        ["Pregnant", "Oil sensitivity", "No oils / unscented"]
    )
    expect(flags).to_contain_text("Avoid lavender")
    expect(page.get_by_label(re.compile(r"^I have talked to my doctor or midwife"))).to_have_count(
        0
    )
    checked(page)
    page.locator("input[name=unwell_now][value=False]").check()
    page.get_by_label("I accept the cancellation policy above.").check()
    page.get_by_role("button", name="Book this session").click()

    # The booking page: where, the practitioner's phone and a map link.
    expect(page.get_by_role("status")).to_contain_text(
        "Requested: Rae Moreno will confirm your session (it is not confirmed yet)."
    )
    expect(heading(page)).to_have_text("Your session with Rae Moreno")
    main = page.get_by_role("main")
    expect(main).to_contain_text(ADDRESS)
    expect(main).to_contain_text("Free parking behind the building")
    expect(main.get_by_role("link", name=PRACTICE_PHONE)).to_have_attribute(
        "href", f"tel:{PRACTICE_PHONE}"
    )
    expect(main.get_by_role("link", name=re.compile(r"^Open in OpenStreetMap"))).to_have_attribute(
        "href", f"https://www.openstreetmap.org/search?query={quote_plus(ADDRESS)}"
    )
    checked(page)

    # The database holds the same story: the hold became the booking.
    client = User.objects.get(email=EMAIL)
    assert client.email_verified
    intake = IntakeForm.objects.get(client=client)
    assert intake.answers["pregnancy"] == "pregnant"
    assert intake.answers["pregnancy_weeks"] == 20
    assert not IntakeDraft.objects.filter(client=client).exists()
    booking = Booking.objects.get()
    assert booking.client == client
    assert booking.starts_at == start
    assert booking.minutes == 45
    assert booking.address == ADDRESS
    assert booking.status == Booking.Status.REQUESTED  # a new client's first session

    # Her email says where too, and links to the booking page.
    [emailed] = [m for m in mailoutbox[1:] if m.to == [EMAIL]]
    assert ADDRESS in emailed.body
    assert PRACTICE_PHONE in emailed.body
    assert booking.get_absolute_url() in emailed.body
    assert not SlotHold.objects.exists()
