"""The staff workspace and activity log in a real browser: staff sign in (with the second
factor) and land on the workspace, see the waiting credential counted on the menu, open the
activity log, filter it and download the CSV; axe finds nothing serious at 1280 and 390 px."""

import re
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import activity
from accounts.activity import Subject
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import main_nav
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    CertificationFactory,
    PractitionerFactory,
    StaffFactory,
    TOTPDeviceFactory,
)

pytestmark = pytest.mark.e2e


def test_staff_land_on_the_workspace_and_read_and_export_the_log(page: Page):
    staff = StaffFactory(full_name="Sid Staff")
    TOTPDeviceFactory(user=staff)
    CertificationFactory(
        practitioner=PractitionerFactory(display_name="Olga Oldest"),
        pending=True,
        submitted_at=timezone.now() - timedelta(days=6),
    )
    CertificationFactory(practitioner=PractitionerFactory(display_name="Nina New"), pending=True)
    activity.record(staff, "health_read", Subject("booking", "b-1", "A booking"))

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(pyotp.TOTP(TOTP_SECRET).now())
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(re.compile(r"/practitioners/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff workspace")
    expect(main_nav(page).get_by_role("link", name="Credentials queue 2 waiting")).to_be_visible()
    waiting = page.get_by_role("region", name=re.compile("Credentials waiting"))
    expect(waiting.get_by_role("listitem").first).to_contain_text("Olga Oldest")
    expect(waiting.get_by_role("listitem").first).to_contain_text("Overdue")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Staff activity log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff activity log")
    page.get_by_label("Action").select_option(label="Read a client's health data")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 action matches these filters.")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these 1 as CSV").click()
    assert download.value.suggested_filename.startswith("staff-activity-")
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Read a client's health data")
    page.get_by_label("Action").select_option(label="Any action")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("main")).to_contain_text("Exported the staff activity log")
