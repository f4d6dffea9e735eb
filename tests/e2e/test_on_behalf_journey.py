"""Booking on a client's behalf in a real browser: the practitioner books a phone client into
an empty time of the week calendar (/agenda/book/?start=...), then invites a new client,
whose booking shows "health form not yet completed" until that client, logging in through
the invitation link, fills in the health form. Axe-clean at 1280 and 390 pixels."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, open_every_day
from tests.e2e.test_intake_journey import (
    answer_no_on_this_step,
    choose,
    field,
    fill_consent,
    question,
    save_step,
)
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

PHONE = (390, 844)
NOTICE = "Health form not yet completed"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def at_both_widths(page: Page) -> None:
    """The page is axe-clean on a desktop and on a phone."""
    assert_accessible(page)
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_plain_intake(page: Page, signature: str) -> None:
    """Every step of a first health form with nothing to flag, then sign it."""
    expect(heading(page)).to_have_text("About you")
    field(page, "Date of birth").fill("1988-02-11")
    field(page, "Phone").fill("+1 503 555 0142")
    field(page, "Emergency contact's name").fill("Ade Bello")
    field(page, "Emergency contact's phone").fill("+1 503 555 0199")
    field(page, "Their relationship to you").fill("Brother")
    question(page, "What would you like from reflexology?").get_by_label("Sleep").check()
    choose(
        page,
        "Could you be pregnant, or are you trying for a baby?",
        "No, I cannot be pregnant now",
    )
    answer_no_on_this_step(page)
    save_step(page)
    for _ in range(8):
        title = heading(page).inner_text()
        if title == "Consent and signature":
            break
        answer_no_on_this_step(page)
        if title == "Oils, creams and allergies":
            choose(page, "Are you sensitive or allergic to essential oils or fragrance?", "No")
            choose(page, "Pressure you prefer", "Medium")
            choose(page, "During the session", "Quiet")
            choose(page, "On your skin", "Cream or lotion")
        elif title == "Circulation and heart":
            choose(page, "Your blood pressure", "Normal")
        elif title == "Diabetes, epilepsy and cancer":
            choose(page, "Do you have diabetes?", "No")
            choose(page, "Have you had cancer?", "No")
        elif title == "Other health points and medication":
            field(page, "Medications and supplements you take").fill("None")
        save_step(page)
    expect(heading(page)).to_have_text("Consent and signature")
    fill_consent(page, signature)
    page.get_by_role("button", name=re.compile("Sign")).click()


def book_from_the_form(page: Page, start: str) -> None:
    page.get_by_label(re.compile(r"^\s*Session\*?\s*$")).select_option(
        label="Foot reflexology, 60 minutes, $80"
    )
    expect(page.get_by_label(re.compile(r"^\s*Start time"))).to_have_value(start)
    page.get_by_role("button", name="Check and preview").click()
    expect(heading(page)).to_have_text("Check the booking")
    assert_accessible(page)
    page.get_by_role("button", name="Book this session").click()


def test_practitioner_books_a_phone_client_and_invites_a_new_one(page: Page, mailoutbox):
    practitioner = ListedPractitionerFactory(user__full_name="Maya Rivers")
    open_every_day(practitioner)
    tz = ZoneInfo(practitioner.timezone)
    phone_client = UserFactory(full_name="Paula Phone")
    BookingFactory(
        practitioner=practitioner,
        client=phone_client,
        intake=IntakeFormFactory(client=phone_client),
        status=Booking.Status.COMPLETED,
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=14),
    )
    tomorrow = dt.datetime.now(tz).date() + dt.timedelta(days=2)
    first = dt.datetime.combine(tomorrow, dt.time(10), tz)
    second = dt.datetime.combine(tomorrow, dt.time(11, 30), tz)

    # The phone client, into an empty time of the week calendar.
    log_in(page, practitioner.user.email)
    page.goto(f"{reverse('sessions:calendar-week')}?date={tomorrow.isoformat()}")
    page.locator(f'a.rb-cal-cell[data-start="{format_start(first)}"]').click()
    expect(heading(page)).to_have_text("Book for a client")
    assert page.url.endswith(f"?start={format_start(first)}")
    at_both_widths(page)
    page.get_by_label(re.compile(r"^\s*Client\s*$")).select_option(
        label=f"Paula Phone ({phone_client.email})"
    )
    book_from_the_form(page, "10:00")
    expect(heading(page)).to_have_text("Booked for Paula Phone")
    expect(page.get_by_role("button", name="Cancel on the client's behalf")).to_be_visible()
    at_both_widths(page)
    assert practitioner.bookings.get(starts_at=first).status == Booking.Status.CONFIRMED
    page.goto(f"{reverse('sessions:calendar-week')}?date={tomorrow.isoformat()}")
    expect(page.locator(".rb-cal-block").filter(has_text="Paula Phone")).to_contain_text("10:00")

    # A new client, invited while booking.
    page.goto(f"{reverse('sessions:book-for-client')}?start={format_start(second)}")
    # With JavaScript only the section the "Who" choice names shows.
    new_client = page.get_by_role("group", name="Or invite a new client")
    existing = page.get_by_role("group", name="A client who has booked with you")
    expect(new_client).to_be_hidden()
    expect(existing).to_be_visible()
    page.get_by_label("A new client to invite").check()
    expect(new_client).to_be_visible()
    expect(existing).to_be_hidden()
    field(page, "New client's full name").fill("Nina Adeyemi")
    field(page, "New client's email address").fill("nina@example.com")
    book_from_the_form(page, "11:30")
    expect(heading(page)).to_have_text("Booked for Nina Adeyemi")
    expect(page.locator(".rb-awaits-intake")).to_contain_text(NOTICE)
    page.get_by_role("link", name="Open the booking").click()
    expect(page.get_by_role("note").filter(has_text=NOTICE)).to_be_visible()
    at_both_widths(page)
    log_out(page)

    # The new client follows the invitation, sets a password and fills in the form.
    (invitation,) = [m for m in mailoutbox if "Choose a password" in m.body]
    link = re.search(r"https?://\S+(/invite/\S+/)", invitation.body).group(1)
    page.goto(link)
    expect(heading(page)).to_have_text("Welcome to reflexbook")
    at_both_widths(page)
    page.get_by_label("New password", exact=False).first.fill("Nina-sleeps-well-42")
    page.get_by_label("New password confirmation").fill("Nina-sleeps-well-42")
    page.get_by_role("button", name="Set password and continue").click()
    booking = practitioner.bookings.get(starts_at=second)
    page.goto(booking.get_absolute_url())
    notice = page.get_by_role("note").filter(has_text=NOTICE)
    expect(notice).to_be_visible()
    at_both_widths(page)
    notice.get_by_role("link", name="fill in your health form").click()
    page.goto(reverse("sessions:intake-edit"))
    fill_plain_intake(page, "Nina Adeyemi")
    page.goto(booking.get_absolute_url())
    expect(heading(page)).to_contain_text("Your session with Maya Rivers")
    expect(page.get_by_text(NOTICE)).to_have_count(0)
    booking.refresh_from_db()
    assert booking.intake is not None
    log_out(page)

    # The practitioner no longer sees the notice.
    log_in(page, practitioner.user.email)
    page.goto(booking.get_absolute_url())
    expect(heading(page)).to_contain_text("Nina Adeyemi")
    expect(page.get_by_text(NOTICE)).to_have_count(0)
