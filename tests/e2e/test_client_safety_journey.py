"""Client safety that follows the client, in a real browser: a client 11 weeks pregnant books
a practitioner who confirms bookings automatically, yet her request waits for the
practitioner's recorded decision (first trimester: talk first). Later she reports a strong
reaction at the 48-hour check-in of her last session: she sees the warning signs, the
practitioner is emailed once, and her next session waits for an answer until the
practitioner records a follow-up. Every page is checked with axe."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions.models import Booking
from sessions.safety import WARNING_SIGNS_AFTER_SESSION
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, open_every_day, slot_link
from tests.factories import ListedPractitionerFactory, SessionRecordFactory, UserFactory
from tests.sessions.booking_helpers import intake_with

pytestmark = pytest.mark.e2e

ZONE = ZoneInfo("America/Los_Angeles")
POLICY_BOX = "I accept the cancellation policy above."


def codes(booking: Booking) -> set[str]:
    booking.refresh_from_db()
    return {flag["code"] for flag in booking.flags}


def reaction_emails(mailoutbox, practitioner) -> list:
    return [
        m
        for m in mailoutbox
        if m.to == [practitioner.user.email] and "strong reaction" in m.subject.lower()
    ]


def test_first_trimester_booking_waits_for_a_decision_and_a_strong_reaction_holds_the_next(
    page: Page, mailoutbox
):
    practitioner = ListedPractitionerFactory(
        user__full_name="Rae Moreno",
        user__timezone="America/Los_Angeles",
        slug="rae-moreno",
        min_notice_hours=1,
        auto_confirm=True,
        approve_first_time_clients=False,
    )
    open_every_day(practitioner)
    client = UserFactory(full_name="Paula Jensen", timezone="America/Los_Angeles")
    intake = intake_with(client, pregnancy="pregnant", pregnancy_weeks=11, midwife_aware=True)
    last = SessionRecordFactory(
        signed=True,
        booking__client=client,
        booking__practitioner=practitioner,
        booking__intake=intake,
        booking__status=Booking.Status.COMPLETED,
        booking__starts_at=(timezone.now() - dt.timedelta(days=2)).replace(second=0, microsecond=0),
    )
    tomorrow = dt.datetime.now(ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(12), ZONE)

    # The client books: the first trimester is "talk first", so even an auto-confirming
    # practitioner's booking stays a request.
    log_in(page, client.email)
    page.goto(practitioner.get_absolute_url())
    page.get_by_role("link", name="Book a session").first.click()
    page.get_by_label("Foot reflexology, 60 minutes, $80").check()
    page.get_by_role("button", name="Show free times").click()
    slot_link(page, start).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    flags = page.get_by_role("region", name="From your health form")
    expect(flags).to_contain_text("Talk first")
    expect(flags).to_contain_text("less than 13 weeks pregnant")
    assert_accessible(page)
    page.locator("input[name=unwell_now][value=False]").check()
    page.get_by_label(POLICY_BOX).check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_role("status")).to_contain_text("Requested: Rae Moreno will confirm")
    booking = Booking.objects.get(starts_at=start)
    assert booking.status == Booking.Status.REQUESTED
    assert "pregnancy_first_trimester" in codes(booking)
    assert_accessible(page)
    log_out(page)

    # The practitioner must record a decision before the booking can be confirmed.
    log_in(page, practitioner.user.email)
    page.goto(booking.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("Pregnant, under 13 weeks")
    expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Proceed: confirm this booking").check()
    page.get_by_label("Note about your decision (required)").fill(
        "Talked on the phone: midwife happy, gentle session, no uterine reflexes."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision recorded and booking confirmed")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    log_out(page)

    # Two days after her last session, the client reports a strong reaction.
    log_in(page, client.email)
    checkin = reverse("sessions:checkin", kwargs={"code": last.booking.code})
    page.goto(checkin)
    expect(page.get_by_role("heading", level=1)).to_have_text("How are you after your session?")
    assert_accessible(page)
    page.get_by_label("Worse than usual").check()
    page.get_by_label("Less energy than usual").check()
    page.get_by_label("Strong: it bothered me or is still bothering me").check()
    page.get_by_label("What did you notice, and is it still going on?").fill(
        "A bad headache and swollen ankles since the session."
    )
    page.get_by_role("button", name="Send my answers").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Rae Moreno has been told and will be in touch")
    for sign in WARNING_SIGNS_AFTER_SESSION:
        expect(main).to_contain_text(sign)
    assert_accessible(page)
    assert len(reaction_emails(mailoutbox, practitioner)) == 1
    assert "headache" not in reaction_emails(mailoutbox, practitioner)[0].body
    # A second visit sends nothing new.
    page.goto(checkin)
    expect(main).to_contain_text("Rae Moreno has been told and will be in touch")
    assert len(reaction_emails(mailoutbox, practitioner)) == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert "strong_reaction" in codes(booking)
    log_out(page)

    # The practitioner's next session with her waits until the follow-up is recorded.
    log_in(page, practitioner.user.email)
    page.goto(booking.get_absolute_url())
    expect(page.get_by_role("main")).to_contain_text("Strong reaction")
    expect(page.get_by_role("button", name="Confirm", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.goto(last.get_absolute_url())
    follow_up = page.get_by_role("region", name="Follow-up of the strong reaction")
    expect(follow_up).to_contain_text("their next booking with you waits for your answer")
    assert_accessible(page)
    follow_up.get_by_role("textbox").fill("Called her: headache gone, ankles as usual.")
    follow_up.get_by_role("button", name="Record follow-up").click()
    expect(page.get_by_role("region", name="Follow-up of the strong reaction")).to_contain_text(
        "Followed up on"
    )
    assert_accessible(page)
    assert "strong_reaction" not in codes(booking)
    assert booking.status == Booking.Status.REQUESTED  # still waits for her decision
