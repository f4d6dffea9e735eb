"""Verification with a request for more information, in a real browser: staff sign in with
the second factor, land on the workspace, open the oldest waiting credential (its PDF shown as
page images) and ask for more; the practitioner adds a file and resubmits; staff approve;
the directory shows the badge."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import StaffAction
from practitioners.demo import certificate_pdf
from practitioners.models import Certification
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import DESKTOP_VIEWPORT
from tests.e2e.helpers import log_in, main_nav
from tests.factories import (
    PDF_BYTES,
    TOTP_SECRET,
    CertificationEventFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
    ListedPractitionerFactory,
    StaffFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
REQUEST = "Please add the back of your ARCB ID card: the expiry date is printed there."


def waiting(name: str, days: int, email: str = "") -> Certification:
    practitioner = ListedPractitionerFactory(
        user__full_name=name, **({"user__email": email} if email else {})
    )
    submitted = timezone.now() - dt.timedelta(days=days)
    certification = CertificationFactory(
        practitioner=practitioner, pending=True, submitted_at=submitted
    )
    # A real one-page PDF (the review page shows its page as an image).
    CertificationEvidenceFactory(
        certification=certification,
        original_name="certificate.pdf",
        file=ContentFile(certificate_pdf([f"This certifies that {name}", "ARCB-2024-17"]), "x"),
        size=2048,
    )
    CertificationEventFactory(certification=certification, actor=practitioner.user, at=submitted)
    return certification


def review_accessible_at_both_widths(page: Page) -> None:
    for viewport in (DESKTOP_VIEWPORT, PHONE):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    page.set_viewport_size(DESKTOP_VIEWPORT)


def test_staff_ask_for_more_the_practitioner_resubmits_and_staff_approve(
    page: Page, browser: Browser, live_server, tmp_path, mailoutbox
):
    oldest = waiting("Nora Quill", days=3, email="nora.quill@example.com")
    waiting("Ezra Newman", days=1)
    staff = StaffFactory(full_name="Sid Staff")
    TOTPDeviceFactory(user=staff)
    back = tmp_path / "id-card-back.pdf"
    back.write_bytes(PDF_BYTES)

    # Staff sign in with the second factor, land on the workspace and open the oldest
    # credential waiting; its PDF's first page is an image on the review page.
    log_in(page, staff.email, totp_secret=TOTP_SECRET)
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    waiting_list = page.get_by_role("region", name="Credentials waiting")
    expect(waiting_list.get_by_role("listitem").first).to_contain_text("Nora Quill")
    waiting_list.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review Nora Quill’s foot credential")
    first_page = page.get_by_role("img", name="Page 1 of 1 of certificate.pdf from Nora Quill")
    expect(first_page).to_be_visible()
    assert first_page.evaluate("image => image.complete && image.naturalWidth > 0")
    review_accessible_at_both_widths(page)
    page.get_by_role("button", name="Ask for more information").click()
    expect(page.get_by_text("Say what more information you need")).to_be_visible()
    page.get_by_label("What do you need from the practitioner?").fill(REQUEST)
    page.get_by_role("button", name="Ask for more information").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Asked Nora Quill for more information about their foot credential."
    )
    expect(page.get_by_role("main")).not_to_contain_text("Nora Quill: foot credential")
    assert "We need more information" in mailoutbox[-1].subject

    # The practitioner, in their own browser, reads the request, adds a file and resubmits.
    context = browser.new_context(
        base_url=live_server.url, reduced_motion="reduce", viewport=DESKTOP_VIEWPORT
    )
    context.set_default_timeout(10_000)
    nora = context.new_page()
    log_in(nora, "nora.quill@example.com")
    main_nav(nora).get_by_role("link", name="Credentials").click()
    foot = nora.get_by_role("region", name="Foot reflexology")
    expect(foot).to_contain_text("Status: More information requested")
    expect(foot.locator(".alert")).to_contain_text(f"What reflexbook staff asked for {REQUEST}")
    assert_accessible(nora)
    foot.get_by_role("link", name="Edit details or add files").click()
    expect(nora.get_by_role("main")).to_contain_text(REQUEST)
    nora.get_by_label("Evidence files").set_input_files(back)
    nora.get_by_role("button", name="Save changes").click()
    expect(nora.get_by_role("status")).to_contain_text(
        "Submit it for verification when you are ready."
    )
    foot = nora.get_by_role("region", name="Foot reflexology")
    foot.get_by_role("button", name="Submit for verification").click()
    expect(nora.get_by_role("status")).to_contain_text("was sent to reflexbook staff")
    expect(foot).to_contain_text("Status: Waiting for review")
    context.close()

    # Back with staff: the credential is in the queue again, with every step in its history.
    main_nav(page).get_by_role("link", name="Credentials queue").click()
    page.get_by_role("link", name="Nora Quill: foot credential").click()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Waiting for review → More information requested")
    expect(history).to_contain_text(f"Request: {REQUEST}")
    expect(history).to_contain_text("More information requested → Waiting for review")
    expect(page.get_by_role("link", name="id-card-back.pdf")).to_be_visible()
    review_accessible_at_both_widths(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Approved Nora Quill’s foot credential.")

    # The directory shows the badge.
    page.goto("/practitioners/")
    card = page.locator("article").filter(has=page.get_by_role("heading", name="Nora Quill"))
    expect(card).to_contain_text("ARCB certified: foot")

    oldest.refresh_from_db()
    assert oldest.state == Certification.State.VERIFIED
    assert list(oldest.events.values_list("to_state", flat=True)) == [
        "pending",
        "more_info",
        "pending",
        "verified",
    ]
    approval = oldest.events.last()
    assert len(approval.evidence_seen) == 2  # both files were on the page
    decisions = StaffAction.objects.exclude(action="evidence_viewed").order_by("at")
    assert list(decisions.values_list("action", flat=True)) == [
        "credential_more_info",
        "credential_approved",
    ]
    assert StaffAction.objects.filter(action="evidence_viewed").exists()  # what staff looked at
