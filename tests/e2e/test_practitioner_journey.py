"""A practitioner's way into the directory in a real browser: sign up, complete the profile,
add a service and hours, submit an ARCB credential; staff approve or reject it; the directory
shows the badge only for the approved one."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from practitioners.models import Certification, Practitioner, ServiceLength
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, main_nav
from tests.factories import (
    TOTP_SECRET,
    CertificationEventFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
    ListedPractitionerFactory,
    StaffFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.e2e

# crispy-forms ends required labels with "*", so the first field is labelled "Password*";
# a plain "Password" label search would also match "Password again*".
FIRST_PASSWORD = re.compile(r"^\s*Password\*?\s*$")
FOOT_BADGE = "ARCB certified: foot"
SERVICE_NAME = re.compile(r"^\s*Name\*?\s*$")  # not "Display name" or "Evidence files"


def directory_card(page: Page, name: str):
    """The directory card (an <article>) whose heading names the practitioner."""
    return page.locator("article").filter(has=page.get_by_role("heading", name=name))


def test_practitioner_gets_verified_and_listed_with_badge(page: Page, tmp_path, mailoutbox):
    email = "rowan.hale@example.com"
    password = "Warm-towels-and-quiet-9"
    today = dt.date.today()
    cycle_end = dt.date(today.year + 1, 12, 31)
    certificate = tmp_path / "arcb-certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    staff = StaffFactory(full_name="Sid Staff")
    TOTPDeviceFactory(user=staff)

    # Sign up through the nav's "For practitioners" link.
    page.goto("/")
    main_nav(page).get_by_role("link", name="For practitioners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up as a practitioner")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Rowan Hale")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(FIRST_PASSWORD).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Create practitioner account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The emailed link confirms the address; logging in leads to the dashboard.
    [message] = mailoutbox
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practice")

    # The dashboard lists what keeps the profile out of the directory.
    main_nav(page).get_by_role("link", name="My practice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practice")
    listing = page.get_by_role("region", name="Directory listing")
    expect(listing).to_contain_text("Your profile is not in the directory yet")
    expect(listing).to_contain_text("Add the city or town where you practise.")
    expect(listing).to_contain_text("Add at least one active service with a length and price.")
    expect(listing).to_contain_text("Add your weekly hours.")
    assert_accessible(page)

    # Profile.
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_label("Display name")).to_have_value("Rowan Hale")
    assert_accessible(page)
    page.get_by_label("Display name").fill("Rowan Hale, RRT")
    page.get_by_label("Web address name").fill("rowan-hale")
    page.get_by_role("textbox", name="About you").fill(
        "I trained in Chicago and offer calm, unhurried foot and hand reflexology "
        "in a quiet ground-floor studio."
    )
    page.get_by_label("City or town").fill("Evanston")
    page.get_by_label("State or region").fill("Illinois")
    page.get_by_label("ZIP or postcode").fill("60201")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Directions and parking").fill("Ground floor, step-free access.")
    page.get_by_label("Foot reflexology").check()
    page.get_by_label("Hand reflexology").check()
    page.get_by_label("Languages spoken").fill("English, Spanish")
    page.get_by_label("Years in practice").fill("8")
    page.get_by_label("Accepting new clients").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile was saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your practice")
    expect(listing).not_to_contain_text("Add the city or town")
    expect(listing).to_contain_text("Add your weekly hours.")

    # A service with one 60-minute length.
    page.get_by_role("link", name="Services", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your services")
    assert_accessible(page)
    page.get_by_role("link", name="Add a service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    assert_accessible(page)
    page.get_by_label(SERVICE_NAME).fill("Foot reflexology")
    page.get_by_label("Description").fill("Both feet, with warm towels and time to rest after.")
    page.get_by_label("Length").first.select_option("60")
    page.get_by_label("Price ($)").first.fill("80")
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_role("status")).to_contain_text("“Foot reflexology” was added.")
    service_card = page.locator("article").filter(has_text="Foot reflexology")
    expect(service_card).to_contain_text("60 min $80.00")

    # Weekly hours: Monday and Wednesday, 09:00 to 17:00.
    page.get_by_role("link", name="Your practice").click()
    page.get_by_role("link", name="Weekly hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly hours")
    expect(page.get_by_role("main")).to_contain_text("America/Chicago")
    assert_accessible(page)
    for day in ("Monday", "Wednesday"):
        row = page.get_by_role("group", name=f"{day} range 1")
        row.get_by_label("From").fill("09:00")
        row.get_by_label("Until").fill("17:00")
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_role("status")).to_contain_text("Your weekly hours were saved.")
    wednesday = page.get_by_role("group", name="Wednesday range 1")
    expect(wednesday.get_by_label("Until")).to_have_value("17:00")

    # Now complete: the dashboard says the profile is listed.
    page.get_by_role("link", name="Your practice").click()
    expect(listing).to_contain_text("Your profile is listed in the directory.")

    # The foot credential, with a PDF, saved as a draft and then submitted.
    main_nav(page).get_by_role("link", name="Credentials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ARCB credentials")
    assert_accessible(page)
    page.get_by_role("link", name="Add your foot credential").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add your ARCB foot credential")
    assert_accessible(page)
    page.get_by_label("ARCB credential ID").fill("ARCB-RH-2019")
    page.get_by_label("Year certified").fill(str(today.year - 3))
    page.get_by_label("End of your current CE cycle").fill(cycle_end.isoformat())
    page.get_by_label("Evidence files").set_input_files(certificate)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your foot credential was saved as a draft. Submit it for verification"
    )
    foot = page.get_by_role("region", name="Foot reflexology")
    expect(foot).to_contain_text("Status: Draft")
    expect(foot.get_by_role("link", name="arcb-certificate.pdf")).to_be_visible()
    foot.get_by_role("button", name="Submit for verification").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your foot credential was sent to reflexbook staff for verification."
    )
    expect(foot).to_contain_text("Status: Waiting for review")
    expect(foot.get_by_role("button", name="Submit for verification")).to_have_count(0)
    log_out(page)

    # Staff approve it from the queue.
    log_in(page, staff.email, totp_secret=TOTP_SECRET)
    main_nav(page).get_by_role("link", name="Credentials queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credentials waiting for review")
    expect(page.get_by_role("main")).to_contain_text("1 waiting, oldest first.")
    assert_accessible(page)
    page.get_by_role("link", name="Rowan Hale, RRT: foot credential").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Review Rowan Hale, RRT’s foot credential"
    )
    details = page.get_by_role("region", name="Submitted details")
    expect(details).to_contain_text("ARCB-RH-2019")
    expect(details).to_contain_text(str(today.year - 3))
    evidence = page.get_by_role("region", name="Evidence")
    pdf_link = evidence.get_by_role("link", name="arcb-certificate.pdf")
    expect(pdf_link).to_be_visible()
    pdf = page.request.get(pdf_link.get_attribute("href"))  # with the staff's session
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body() == certificate.read_bytes()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Approved Rowan Hale, RRT’s foot credential."
    )
    expect(page.get_by_role("main")).to_contain_text("Nothing is waiting for review.")
    log_out(page)

    # A visitor finds them in the directory with the badge, also when filtering for it.
    page.goto("/practitioners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a practitioner")
    card = directory_card(page, "Rowan Hale, RRT")
    expect(card).to_contain_text(FOOT_BADGE)
    expect(card).to_contain_text("Evanston, Illinois")
    expect(card).to_contain_text("Foot, Hand")
    expect(card).to_contain_text("$80")
    assert_accessible(page)
    page.get_by_label("ARCB verified only").check()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]verified=on"))
    expect(page.get_by_role("heading", name="1 practitioner matches your search")).to_be_visible()
    expect(directory_card(page, "Rowan Hale, RRT")).to_contain_text(FOOT_BADGE)
    assert_accessible(page)

    # The profile page.
    page.get_by_role("link", name="Rowan Hale, RRT").click()
    expect(page).to_have_url(re.compile(r"/practitioners/rowan-hale/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rowan Hale, RRT")
    main = page.get_by_role("main")
    expect(main).to_contain_text(FOOT_BADGE)
    expect(main).to_contain_text("calm, unhurried foot and hand reflexology")
    expect(main).to_contain_text("60 minutes: $80")
    expect(main).to_contain_text("English, Spanish")
    expect(main).to_contain_text("Ground floor, step-free access.")
    expect(page.get_by_role("region", name="ARCB certification")).to_contain_text(
        re.compile(r"ARCB certified: foot — verified on \d{1,2} \w+ \d{4}")
    )
    assert_accessible(page)

    # What the browser did is what the database holds.
    practitioner = Practitioner.objects.get(user__email=email)
    assert Practitioner.objects.listed().filter(pk=practitioner.pk).exists()
    assert practitioner.timezone == "America/Chicago"
    assert [
        (h.weekday, f"{h.starts:%H:%M}", f"{h.ends:%H:%M}") for h in practitioner.weekly_hours.all()
    ] == [
        (0, "09:00", "17:00"),
        (2, "09:00", "17:00"),
    ]
    assert [
        (length.minutes, str(length.price))
        for length in ServiceLength.objects.filter(service__practitioner=practitioner)
    ] == [(60, "80.00")]
    certification = practitioner.certifications.get()
    assert certification.kind == Certification.Kind.FOOT
    assert certification.state == Certification.State.VERIFIED
    assert certification.ce_cycle_end == cycle_end
    assert certification.evidence.get().content_type == "application/pdf"
    assert [(e.from_state, e.to_state, e.actor_id) for e in certification.events.all()] == [
        ("draft", "pending", practitioner.user_id),
        ("pending", "verified", staff.pk),
    ]
    # The confirmation link at sign-up, then the approval.
    assert [m.to for m in mailoutbox] == [[email], [email]]
    assert mailoutbox[0].subject == "Confirm your email address for reflexbook"
    assert User.objects.get(email=email).role == User.Role.PRACTITIONER


def test_rejected_credential_shows_the_reason_and_no_badge(page: Page, mailoutbox):
    reason = "The certificate scan is unreadable"
    practitioner = ListedPractitionerFactory(
        user__email="mira.stone@example.com",
        user__full_name="Mira Stone",
        city="Tacoma",
        region="Washington",
    )
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    CertificationEvidenceFactory(certification=certification)
    CertificationEventFactory(certification=certification, actor=practitioner.user)
    staff = StaffFactory(full_name="Sid Staff")
    TOTPDeviceFactory(user=staff)

    # Staff reject it; a rejection without a reason is refused first.
    log_in(page, staff.email, totp_secret=TOTP_SECRET)
    main_nav(page).get_by_role("link", name="Credentials queue").click()
    page.get_by_role("link", name="Mira Stone: foot credential").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review Mira Stone’s foot credential")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Choose a reason to reject a credential.")).to_be_visible()
    certification.refresh_from_db()
    assert certification.state == Certification.State.PENDING
    assert_accessible(page)
    page.get_by_label("Unreadable").check()
    page.get_by_label("Note for the practitioner").fill(reason)
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Rejected Mira Stone’s foot credential. They have been emailed the reason and what to "
        "do next."
    )
    log_out(page)

    # The practitioner sees the reason on their credentials page.
    log_in(page, "mira.stone@example.com")
    main_nav(page).get_by_role("link", name="Credentials").click()
    foot = page.get_by_role("region", name="Foot reflexology")
    expect(foot).to_contain_text("Status: Rejected")
    expect(foot.locator(".alert")).to_contain_text(
        f"Reason given by reflexbook staff Unreadable {reason}"
    )
    expect(foot.locator(".alert")).to_contain_text("What to do next: Upload a clearer photo")
    expect(foot).to_contain_text("Reason: Unreadable")
    expect(foot).to_contain_text(f"Note: {reason}")
    expect(foot.get_by_role("button", name="Submit for verification")).to_be_visible()
    expect(foot.get_by_text(FOOT_BADGE)).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    # The directory lists them without a badge, and the verified-only filter leaves them out.
    page.goto("/practitioners/")
    card = directory_card(page, "Mira Stone")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Tacoma, Washington")
    expect(card).not_to_contain_text("ARCB certified")
    expect(card.locator(".rb-badge")).to_have_count(0)
    page.get_by_label("ARCB verified only").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No practitioners found")).to_be_visible()
    expect(directory_card(page, "Mira Stone")).to_have_count(0)

    certification.refresh_from_db()
    assert certification.state == Certification.State.REJECTED
    event = certification.events.last()
    assert (event.from_state, event.to_state, event.reason, event.actor_id) == (
        "pending",
        "rejected",
        reason,
        staff.pk,
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mira.stone@example.com"]
    assert reason in mailoutbox[0].body
