"""The evidence viewer in a real browser: a staff member (signed in with the second factor)
sees a PDF's pages as images on the review page, zooms, downloads the file without leaving
the page, and the page is accessible at desktop and phone widths."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import Page, expect

from practitioners.demo import certificate_pdf
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in
from tests.factories import (
    TOTP_SECRET,
    CertificationEvidenceFactory,
    CertificationFactory,
    PractitionerFactory,
    StaffFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.e2e


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 180), "#1f3d5b").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def credential():
    certification = CertificationFactory(
        practitioner=PractitionerFactory(display_name="Pat Practitioner"),
        pending=True,
        credential_id="ARCB-4242",
    )
    pdf = certificate_pdf(["Certificate: Pat Practitioner", "ARCB-4242"], ["Page two"])
    CertificationEvidenceFactory(
        certification=certification,
        file=ContentFile(pdf, name="x"),
        original_name="certificate.pdf",
        size=len(pdf),
    )
    card = _png()
    CertificationEvidenceFactory(
        certification=certification,
        file=ContentFile(card, name="y"),
        original_name="id-card.png",
        content_type="image/png",
        size=len(card),
    )
    return certification


def _loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_staff_see_a_pdfs_pages_on_the_review_page_zoom_and_download(page: Page, credential):
    staff = StaffFactory()
    TOTPDeviceFactory(user=staff)
    log_in(page, staff.email, totp_secret=TOTP_SECRET)
    review = f"/practitioners/staff/credentials/{credential.code}/"
    page.goto(review)

    first_page = page.get_by_role(
        "img", name="Page 1 of 2 of certificate.pdf from Pat Practitioner"
    )
    expect(first_page).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.rb-evidence-image')]"
        ".slice(0, 1).every(img => img.complete && img.naturalWidth > 0)"
    )
    assert first_page.evaluate("img => img.naturalWidth") == 1600
    expect(
        page.get_by_role("img", name="Evidence image id-card.png from Pat Practitioner")
    ).to_be_visible()
    expect(page.get_by_text("ARCB-4242", exact=True)).to_be_visible()
    assert_accessible(page)

    pdf_card = page.locator("[data-evidence-viewer]").filter(has_text="certificate.pdf")
    frame = pdf_card.locator("[data-zoom-frame]")
    fit_width = first_page.evaluate("img => img.getBoundingClientRect().width")
    pdf_card.get_by_role("button", name="Zoom in").click()
    expect(pdf_card.get_by_text("Zoomed to 150%")).to_be_visible()
    zoomed = first_page.evaluate("img => img.getBoundingClientRect().width")
    assert zoomed == pytest.approx(fit_width * 1.5, rel=0.02)
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    pdf_card.get_by_role("button", name="Fit").click()
    expect(pdf_card.get_by_text("Fit to width")).to_be_visible()
    expect(pdf_card.get_by_role("button", name="Zoom out")).to_be_disabled()

    # The download is a file, and the review page stays where it was.
    with page.expect_download() as download:
        pdf_card.get_by_role("link", name="Download certificate.pdf").click()
    assert download.value.suggested_filename == "certificate.pdf"
    expect(page).to_have_url(re.compile(re.escape(review) + "$"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(first_page).to_be_visible()
    # Stacked: the details above the evidence, nothing wider than the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    details = page.get_by_role("heading", name="Submitted details").bounding_box()
    evidence = page.get_by_role("heading", name="Evidence", exact=True).bounding_box()
    assert details["y"] < evidence["y"]
    assert_accessible(page)
