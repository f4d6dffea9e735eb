"""Money in a real browser: the practitioner marks a session completed (which invoices it),
records half of it paid in cash, sells the client a package of two sessions for the price of
one and pays the other half with one of its credits, and the client downloads the receipt
from their booking page. Every page on the way passes axe."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from sessions.models import Invoice
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out
from tests.factories import BookingFactory, ListedPractitionerFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_completed_session_is_paid_half_in_cash_half_from_a_package_and_receipted(
    page: Page,
):
    practitioner = ListedPractitionerFactory(user__full_name="Maya Okafor")
    client = UserFactory(full_name="Sam Rivera")
    starts = (timezone.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    booking = BookingFactory(practitioner=practitioner, client=client, starts_at=starts)
    day = starts.astimezone(ZoneInfo(practitioner.timezone)).date()

    log_in(page, practitioner.user.email)
    page.goto(f"/agenda/?date={day:%Y-%m-%d}")
    page.get_by_role("button", name="Mark completed").first.click()
    expect(page.get_by_text("Marked as completed")).to_be_visible()

    page.goto("/agenda/invoices/")
    assert_accessible(page)
    page.get_by_role("link", name="INV-0001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoice INV-0001")
    assert_accessible(page)
    page.get_by_label("Paid by").select_option("cash")
    page.get_by_label("Amount").fill("40.00")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded on INV-0001.")).to_be_visible()
    expect(page.get_by_text("Partly paid; balance $40.00")).to_be_visible()

    # A package of two 60-minute sessions for $80: each credit is worth $40, the other half.
    page.goto("/agenda/packages/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Two full sessions")
    page.get_by_label("Session length").select_option("60")
    page.get_by_label("Number of sessions").fill("2")
    page.get_by_label("Price").fill("80.00")
    page.get_by_label("Valid for (months)").fill("6")
    page.get_by_role("button", name="Put this package on sale").click()
    expect(page.get_by_text("Package on sale: you can now sell it to a client.")).to_be_visible()
    page.get_by_role("link", name="Sell a package to a client").click()
    assert_accessible(page)
    page.get_by_label("Client").select_option(label="Sam Rivera")
    page.get_by_label("Package").select_option(index=1)
    page.get_by_label("Paid by").select_option("cash")
    page.get_by_role("button", name="Record the sale").click()
    expect(page.get_by_text("Sale recorded: Sam Rivera has 2 credits")).to_be_visible()
    assert_accessible(page)

    page.goto("/agenda/invoices/")
    page.get_by_role("link", name="INV-0001").click()
    page.get_by_role("button", name="Pay with a package credit").click()
    expect(page.get_by_text("Paid $40.00 with a package credit on INV-0001.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, client.email)
    page.goto(booking.get_absolute_url())
    expect(page.get_by_role("heading", name="Receipts")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "INV-0001" in text
    assert "$80.00" in text and "$40.00" in text
    assert "Cash" in text and "Package credit" in text
    assert "Maya Okafor" in text
    page.get_by_role("link", name="Receipt", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt INV-0001")
    assert_accessible(page)
    assert Invoice.objects.get().state == Invoice.State.PAID
