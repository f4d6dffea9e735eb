"""Two-factor sign-in for staff in a real browser: without it no staff page and no admin;
set-up with the key shown as text; after logging in again a recovery code works once."""

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, main_nav
from tests.factories import StaffFactory

pytestmark = pytest.mark.e2e

SETUP = re.compile(r"/accounts/two-factor/setup/")
VERIFY = re.compile(r"/accounts/two-factor/verify/")


def test_staff_set_up_two_factor_and_a_recovery_code_works_once(page: Page):
    staff = StaffFactory(full_name="Sid Staff")
    log_in(page, staff.email)

    # No staff page and no admin before two-factor sign-in is set up.
    for url in ("/practitioners/staff/credentials/", "/admin/"):
        page.goto(url)
        expect(page).to_have_url(SETUP)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)

    # A wrong code is a clear form error, then the app's code turns it on.
    page.get_by_label("6-digit code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("main")).to_contain_text("That code is not right")
    secret = page.locator("code.totp-secret").inner_text().replace(" ", "")
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second
    page.get_by_label("6-digit code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text()
    assert_accessible(page)
    # It returns to the page that asked (the admin), and staff pages now open.
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_text("reflexbook administration")).to_be_visible()
    page.goto("/")
    main_nav(page).get_by_role("link", name="Credentials queue").click()
    expect(page).to_have_url(re.compile("/practitioners/staff/credentials/"))

    # Log out and in: the verify step takes a recovery code once.
    page.goto("/")
    log_out(page)
    log_in(page, staff.email)
    page.goto("/practitioners/staff/credentials/")
    expect(page).to_have_url(VERIFY)
    assert_accessible(page)
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile("/practitioners/staff/credentials/"))

    log_out(page)
    log_in(page, staff.email)
    page.goto("/accounts/two-factor/verify/")
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("main")).to_contain_text("already used")
    page.goto("/admin/")
    expect(page).to_have_url(VERIFY)
