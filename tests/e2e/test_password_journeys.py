"""Password reset by email, password change and the login lock-out, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_forgotten_password_is_reset_through_the_emailed_link(page: Page, mailoutbox):
    UserFactory(email="rae@example.com", full_name="Rae Reset")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email").fill("rae@example.com")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label("New password", exact=False).first.fill("Soft-soles-in-June-9")
    page.get_by_label("New password confirmation").fill("Soft-soles-in-June-9")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been reset")
    assert_accessible(page)

    log_in(page, "rae@example.com", "Soft-soles-in-June-9")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^Account"))
    ).to_be_visible()


def test_password_change_from_the_account_page(page: Page):
    UserFactory(email="cam@example.com")
    log_in(page, "cam@example.com", PASSWORD)
    page.goto("/accounts/account/")
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=False).first.fill("Warm-towels-daily-7")
    page.get_by_label("New password confirmation").fill("Warm-towels-daily-7")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    assert_accessible(page)


@pytest.mark.expects_error_pages
def test_five_failed_logins_show_the_lockout_with_a_time(page: Page):
    UserFactory(email="lou@example.com")
    for _ in range(4):
        log_in(page, "lou@example.com", "wrong-password")
        expect(
            page.get_by_text("Please enter a correct email address and password.")
        ).to_be_visible()
    assert_accessible(page)
    log_in(page, "lou@example.com", "wrong-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed log-ins")
    expect(
        page.get_by_text(re.compile(r"Try again in 15 minutes, after \d\d:\d\d"))
    ).to_be_visible()
    assert_accessible(page)


@pytest.mark.expects_error_pages
def test_not_found_and_forbidden_pages_are_friendly(page: Page):
    response = page.goto("/practitioners/no-such-person/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    response = page.goto("/practitioners/staff/credentials/")
    assert response.status == 403
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert_accessible(page)
