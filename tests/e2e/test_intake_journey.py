"""The health intake in a real browser: a pregnant client with an essential-oil sensitivity is
sent to the intake when she first books, fills it in step by step and signs it, confirms the
clearance step and sees her flags explained; her practitioner sees the flags and reads the
intake, another practitioner cannot, and the client sees the read in her access list. Bad
answers are refused, step by step, without losing anything typed."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from sessions.models import Booking, IntakeAccess, IntakeDraft, IntakeForm
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, main_nav, open_every_day, slot_link
from tests.factories import ListedPractitionerFactory, UserFactory

pytestmark = pytest.mark.e2e

CLIENT_ZONE = ZoneInfo("America/New_York")
PRACTICE_ZONE = ZoneInfo("America/Los_Angeles")
CLEARANCE_BOX = "I have talked to my doctor or midwife about: Pregnant."
POLICY_BOX = "I accept the cancellation policy above."
CLEARANCE_DETAIL = (
    "You told us you are pregnant, with a complication or a high-risk pregnancy. Please talk "
    "to your doctor or midwife about having reflexology before your session."
)
CLEARANCE_TOLD = "You told us you are pregnant, with a complication or a high-risk pregnancy."
NO_OILS_DETAIL = (
    "You told us you would like nothing on your skin, or you react to essential oils or "
    "fragrance in general. Your practitioner will not use oils, creams or scented products on you."
)
# Every yes/no question of the intake answered "No" (the oil question is answered on its own).
NO_QUESTIONS = [
    "Have you had reflexology before?",
    "Are you allergic to nuts or nut oils?",
    "Have you reacted to a cream or lotion?",
    "Are you allergic to latex",
    "Do you get easily overstimulated",
    "Do you have a blood clot now",
    "Have you had a blood clot (DVT or embolism) in the past?",
    "Do you have a clotting (blood) disorder?",
    "Do you take blood thinners",
    "Do you have varicose veins",
    "Do you have phlebitis now?",
    "Do your ankles or feet often swell?",
    "Is one of your legs or ankles swollen",
    "Do you have a heart condition?",
    "Do you have a pacemaker",
    "Do you have chest pain or breathlessness now?",
    "Do you have numbness",
    "Do you have ulcers on your feet or legs?",
    "Do you have epilepsy?",
    "Have you had lymph nodes removed?",
    "Have you had surgery of any kind in the last 6 weeks?",
    "Do you have pain or a lump that a doctor has not checked yet?",
    "Do you have osteoporosis",
    "Do you have gallstones or kidney stones?",
    "Do you live with a mental-health condition",
    "Would you describe yourself as frail?",
]


# --- helpers ---------------------------------------------------------------------------------


def field(page: Page, label: str):
    """An input by its whole label (crispy-forms adds "*" to required ones)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def question(page: Page, text: str):
    """The group (fieldset) of options of the question that starts with `text`."""
    return page.get_by_role("group", name=re.compile(rf"^\s*{re.escape(text)}"))


def choose(page: Page, text: str, option: str) -> None:
    question(page, text).get_by_label(option, exact=True).check()


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def step(page: Page, title: str, number: int, total: int = 8) -> None:
    """The step page now shown: its title and progress."""
    expect(heading(page)).to_have_text(title)
    expect(page.locator("#step-progress")).to_contain_text(f"Step {number} of {total}")


def answer_no_on_this_step(page: Page) -> None:
    """Answer "No" to each of NO_QUESTIONS this step asks."""
    for text in NO_QUESTIONS:
        group = question(page, text)
        if group.count():
            group.get_by_label("No", exact=True).check()


def save_step(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def fill_about_you(page: Page, date_of_birth: str = "1991-06-14") -> None:
    field(page, "Date of birth").fill(date_of_birth)
    field(page, "Phone").fill("+1 212 555 0142")
    field(page, "Emergency contact's name").fill("Sam Rivers")
    field(page, "Emergency contact's phone").fill("+1 212 555 0199")
    field(page, "Their relationship to you").fill("Partner")
    question(page, "What would you like from reflexology?").get_by_label("Mood").check()
    question(page, "What would you like from reflexology?").get_by_label("Sleep").check()
    choose(page, "Could you be pregnant, or are you trying for a baby?", "Yes, or possibly")
    answer_no_on_this_step(page)


def fill_pregnancy_follow_ups(page: Page, *, weeks: str, due_date: str = "") -> None:
    field(page, "If pregnant: how many weeks?").fill(weeks)
    field(page, "If pregnant: due date").fill(due_date)
    question(page, "If pregnant: has any of these applied to you?").get_by_label(
        "My midwife or doctor has called this a high-risk pregnancy"
    ).check()
    choose(page, "If pregnant: does your midwife or doctor know", "Yes")


def fill_after_pregnancy(page: Page) -> None:
    """The steps from oils to medication: lavender sensitivity, nothing on the skin, "No" to
    every yes/no question; ends on the consent step."""
    step(page, "Oils, creams and allergies", 3)
    choose(page, "Are you sensitive or allergic to essential oils or fragrance?", "Yes")
    field(page, "If yes: which ones, and what happens?").first.fill("Lavender: rash")
    answer_no_on_this_step(page)
    choose(page, "Pressure you prefer", "Light")
    choose(page, "During the session", "Quiet")
    choose(page, "On your skin", "Nothing on my skin (no oils, creams or scented products)")
    save_step(page)
    step(page, "Feet and hands", 4)
    save_step(page)
    step(page, "Circulation and heart", 5)
    answer_no_on_this_step(page)
    choose(page, "Your blood pressure", "Normal")
    save_step(page)
    step(page, "Diabetes, epilepsy and cancer", 6)
    answer_no_on_this_step(page)
    choose(page, "Do you have diabetes?", "No")
    choose(page, "Have you had cancer?", "No")
    save_step(page)
    step(page, "Other health points and medication", 7)
    answer_no_on_this_step(page)
    field(page, "Medications and supplements you take").fill("Folic acid")
    save_step(page)
    step(page, "Consent and signature", 8)


def fill_consent(page: Page, signature: str) -> None:
    page.get_by_label("I understand that reflexology is a complementary therapy").check()
    page.get_by_label("I understand that after a session some people feel tired").check()
    page.get_by_label("The answers I have given are true and complete").check()
    page.get_by_label("I accept the cancellation policy of the practitioner").check()
    field(page, "Signature: type your full name").fill(signature)


def fill_intake(page: Page, *, signature: str, weeks: str) -> None:
    """Every step, from About you (step 1) to the consent: pregnant (20 weeks) and
    high-risk, midwife aware, sensitive to lavender; signed with `signature`, not sent."""
    step(page, "About you", 1)
    fill_about_you(page)
    save_step(page)
    step(page, "Pregnancy", 2)
    expect(page.get_by_label("If pregnant: how many weeks?")).to_have_count(0)
    choose(page, "Are you pregnant?", "Pregnant")
    save_step(page)
    step(page, "Pregnancy", 2)  # its follow-up questions, now "pregnant" is answered
    fill_pregnancy_follow_ups(page, weeks=weeks)
    save_step(page)
    fill_after_pregnancy(page)
    fill_consent(page, signature)


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.expects_error_pages
def test_pregnant_client_with_oil_sensitivity_books_and_flags_are_explained(page: Page, mailoutbox):
    practitioner = ListedPractitionerFactory(
        user__full_name="Rae Moreno",
        user__timezone="America/Los_Angeles",
        slug="rae-moreno",
        min_notice_hours=1,
    )
    open_every_day(practitioner)
    stranger = ListedPractitionerFactory(user__full_name="Quinn Other")
    client = UserFactory(full_name="Paula Jensen", timezone="America/New_York")
    # Tomorrow at noon where the client is (09:00 at the practice): always 12 to 36 hours ahead.
    tomorrow = dt.datetime.now(CLIENT_ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(12), CLIENT_ZONE)
    practice_start = start.astimezone(PRACTICE_ZONE)

    # The client opens the profile, chooses a length and a time.
    log_in(page, client.email)
    page.goto(practitioner.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Rae Moreno")
    assert_accessible(page)
    page.get_by_role("link", name="Book a session").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session with Rae Moreno")
    assert_accessible(page)
    page.get_by_label("Foot reflexology, 60 minutes, $80").check()
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    expect(page.get_by_role("main")).to_contain_text("Foot reflexology, 60 minutes, $80")
    assert_accessible(page)
    slot_link(page, start).click()

    # No intake yet: the review sends her to fill it in first, step by step.
    expect(heading(page)).to_have_text("About you")
    expect(page).to_have_url(re.compile(r"/intake/edit/about-you/\?next="))
    expect(page.get_by_role("link", name="← Back to your booking")).to_be_visible()
    assert_accessible(page)
    fill_intake(page, signature="  paula   JENSEN ", weeks="20")
    assert_accessible(page)
    page.get_by_role("button", name="Sign and save").click()

    # Back on the review page, with the flags explained in plain words.
    expect(page.get_by_role("status")).to_contain_text(
        "Your health form is saved and signed (version 1)."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm your booking")
    details = page.get_by_role("region", name="Your session")
    expect(details).to_contain_text("Rae Moreno")
    expect(details).to_contain_text(f"{start:%A} {start.day} {start:%B %Y}")
    expect(details).to_contain_text("12:00–13:00 (America/New_York)")
    expect(details).to_contain_text("$80, paid to Rae Moreno")
    flags = page.get_by_role("region", name="From your health form")
    expect(flags).to_contain_text("Medical clearance: Pregnant")
    expect(flags).to_contain_text(CLEARANCE_DETAIL)
    expect(flags).to_contain_text("No oils: No oils / unscented")
    expect(flags).to_contain_text(NO_OILS_DETAIL)
    expect(flags).not_to_contain_text("Lavender")  # the practitioner's notes stay theirs
    assert_accessible(page)

    # The clearance step cannot be skipped.
    page.locator("input[name=unwell_now][value=False]").check()
    page.get_by_label(POLICY_BOX).check()
    page.get_by_role("button", name="Book this session").click()
    expect(page.get_by_role("region", name="Confirm")).to_contain_text(
        "Tick the box once you have talked to your doctor or midwife."
    )
    assert not Booking.objects.exists()
    expect(page.get_by_label(POLICY_BOX)).to_be_checked()
    assert_accessible(page)
    page.get_by_label(CLEARANCE_BOX).check()
    page.get_by_role("button", name="Book this session").click()

    # Booked (as a request: this practitioner confirms each booking).
    expect(page.get_by_role("status")).to_contain_text(
        "Requested: Rae Moreno will confirm your session (it is not confirmed yet)."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session with Rae Moreno")
    expect(page.locator(".rb-status")).to_have_text("Requested: waiting for Rae Moreno to confirm")
    # On the booking, the clearance is what she told us and that she confirmed: no longer
    # the advice to talk to her midwife first.
    client_flags = page.get_by_role("region", name="From your health form")
    expect(client_flags).to_contain_text(CLEARANCE_TOLD)
    expect(client_flags).not_to_contain_text(CLEARANCE_DETAIL)
    expect(client_flags).to_contain_text(
        "You confirmed you have talked with your healthcare provider."
    )
    expect(client_flags).to_contain_text(NO_OILS_DETAIL)
    assert_accessible(page)
    booking = Booking.objects.get()
    log_out(page)

    # The practitioner sees both flags on the agenda, in words.
    log_in(page, practitioner.user.email)
    main_nav(page).get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agenda")
    waiting = page.get_by_role("region", name=re.compile(r"^Needs your answer"))
    expect(waiting).to_contain_text(
        f"{practice_start:%a} {practice_start.day} {practice_start:%b}, 09:00–10:00 · Paula Jensen"
    )
    expect(waiting.locator(".rb-flag strong")).to_have_text(
        [
            "Pregnant (client says their doctor or midwife agrees)",
            "Oil sensitivity",
            "No oils / unscented",
        ]
    )
    expect(waiting).to_contain_text("High-risk pregnancy (called high-risk by the midwife")
    expect(waiting).to_contain_text("Client's note: “Lavender: rash”.")
    assert_accessible(page)

    # ...and on the booking page, from which the intake opens.
    waiting.get_by_role("link", name=re.compile(r"^Details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Session: Paula Jensen with Rae Moreno"
    )
    safety = page.get_by_role("region", name="Safety flags")
    expect(safety.locator(".rb-flag strong")).to_have_text(
        [
            "Pregnant (client says their doctor or midwife agrees)",
            "Oil sensitivity",
            "No oils / unscented",
        ]
    )
    expect(safety).to_contain_text("Use no oils (including nut-based carriers")
    assert_accessible(page)
    page.get_by_role("link", name="Health form in force for this booking (version 1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Health form: Paula Jensen, version 1"
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("This read is recorded, and Paula Jensen can see it.")
    expect(main).to_contain_text("The client says their doctor or midwife agrees (ticked on")
    expect(page.get_by_role("region", name="Safety flags").locator(".rb-flag strong")).to_have_text(
        [
            "Pregnant (client says their doctor or midwife agrees)",
            "Oil sensitivity",
            "No oils / unscented",
        ]
    )
    answers = page.get_by_role("region", name="Answers")
    expect(answers.locator("#answer-pregnancy_weeks dd")).to_have_text("20")
    expect(answers.locator("#answer-oil_sensitivity_details dd")).to_have_text("Lavender: rash")
    expect(answers.locator("#answer-midwife_aware dd")).to_have_text("Yes")
    assert_accessible(page)
    intake_url = page.url
    log_out(page)

    # Another practitioner may not read it: 404, and nothing is logged.
    log_in(page, stranger.user.email)
    response = page.goto(intake_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Paula Jensen")
    assert_accessible(page)
    log_out(page)

    # The client's access list shows the practitioner's read.
    log_in(page, client.email)
    main_nav(page).get_by_role("link", name="Health form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your health form")
    expect(
        page.get_by_role("region", name="What your practitioner will see first")
    ).to_contain_text(CLEARANCE_DETAIL)
    assert_accessible(page)
    page.get_by_role("link", name="See who has read your health form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has read your health form")
    # Newest first: the health form, and before it the booking page with its safety flags.
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    session = f"{start.day} {start:%B %Y}"
    expect(rows.first.locator("td")).to_have_text(
        [
            re.compile(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d"),
            "Rae Moreno",
            "Practitioner",
            f"Read your health form (version 1), for your session of {session}",
        ]
    )
    expect(rows.last.locator("td").last).to_have_text(
        f"Read the health details of your booking of {session} (safety flags and your notes)"
    )
    assert_accessible(page)

    # What the browser did is what the database holds.
    intake = IntakeForm.objects.get()
    assert (intake.client, intake.version, intake.signed_name) == (client, 1, "paula JENSEN")
    assert intake.answers["pregnancy"] == "pregnant"
    assert intake.answers["pregnancy_weeks"] == 20
    assert intake.answers["pregnancy_complications"] == ["high_risk"]
    assert intake.answers["oil_sensitivity_details"] == "Lavender: rash"
    assert [(f["code"], f["tier"]) for f in intake.flags] == [
        ("pregnancy_high_risk", "clearance"),
        ("avoid_oils", "avoid_oils"),
        ("no_oils", "no_oils"),
    ]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert booking.starts_at == start
    assert booking.intake == intake
    assert booking.flags == intake.flags
    assert booking.clearance_confirmed_at is not None
    assert [
        (a.viewer, a.role, a.kind, a.booking, a.intake) for a in IntakeAccess.objects.all()
    ] == [
        (practitioner.user, "practitioner", IntakeAccess.Kind.INTAKE, booking, intake),
        (practitioner.user, "practitioner", IntakeAccess.Kind.BOOKING, booking, None),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([client.email, practitioner.user.email])


# A refused step is shown again with status 400, which Chromium logs as a failed load.
@pytest.mark.expects_error_pages
def test_intake_bad_input_keeps_every_answer(page: Page):
    client = UserFactory(full_name="Paula Jensen")
    today = dt.date.today()
    past_due = (today - dt.timedelta(days=3)).isoformat()
    future_birthday = (today + dt.timedelta(days=30)).isoformat()

    log_in(page, client.email)
    main_nav(page).get_by_role("link", name="Health form").click()
    expect(heading(page)).to_have_text("Your health form")
    assert_accessible(page)
    page.get_by_role("link", name="Fill in your health form").click()

    # About you, born in the future: named in the summary and next to the answer.
    step(page, "About you", 1)
    fill_about_you(page, date_of_birth=future_birthday)
    save_step(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(
        "This step is not saved yet: please check 1 answer"
    )
    expect(summary).to_contain_text("Everything else you typed is still here.")
    message = "Your date of birth cannot be in the future. Check the year."
    expect(summary).to_contain_text(f"Date of birth: {message}")
    expect(page.locator(".invalid-feedback", has_text=message)).to_be_visible()
    summary.get_by_role("link", name="Date of birth").click()
    expect(page).to_have_url(re.compile(r"#id_date_of_birth$"))
    assert_accessible(page)
    expect(field(page, "Date of birth")).to_have_value(future_birthday)
    expect(field(page, "Phone")).to_have_value("+1 212 555 0142")
    expect(field(page, "Emergency contact's name")).to_have_value("Sam Rivers")
    expect(field(page, "Emergency contact's phone")).to_have_value("+1 212 555 0199")
    expect(field(page, "Their relationship to you")).to_have_value("Partner")
    goals = question(page, "What would you like from reflexology?")
    expect(goals.get_by_label("Mood")).to_be_checked()
    expect(goals.get_by_label("Sleep")).to_be_checked()
    expect(goals.get_by_label("Relaxation")).not_to_be_checked()
    expect(question(page, "Could you be pregnant").get_by_label("Yes, or possibly")).to_be_checked()
    field(page, "Date of birth").fill("1991-06-14")
    save_step(page)

    # Pregnancy: 43 weeks and a due date in the past are both refused, the rest kept.
    step(page, "Pregnancy", 2)
    choose(page, "Are you pregnant?", "Pregnant")
    save_step(page)
    fill_pregnancy_follow_ups(page, weeks="43", due_date=past_due)
    save_step(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(
        "This step is not saved yet: please check 2 answers"
    )
    messages = {
        "If pregnant: how many weeks?": "Enter the weeks of pregnancy as a number from 1 to 42.",
        "If pregnant: due date": "Your due date is in the past. Enter the date your baby is "
        "due, or the weeks of pregnancy instead.",
    }
    for label, message in messages.items():
        expect(summary.get_by_role("link", name=label)).to_be_visible()
        expect(summary).to_contain_text(f"{label}: {message}")
    assert_accessible(page)
    expect(field(page, "If pregnant: how many weeks?")).to_have_value("43")
    expect(field(page, "If pregnant: due date")).to_have_value(past_due)
    expect(question(page, "Are you pregnant?").get_by_label("Pregnant", exact=True)).to_be_checked()
    expect(
        question(page, "If pregnant: has any of these applied to you?").get_by_label(
            "My midwife or doctor has called this a high-risk pregnancy"
        )
    ).to_be_checked()
    expect(
        question(page, "If pregnant: does your midwife or doctor know").get_by_label("Yes")
    ).to_be_checked()
    field(page, "If pregnant: how many weeks?").fill("20")
    field(page, "If pregnant: due date").fill("")
    save_step(page)

    # Back to an earlier step: the saved answers are there.
    fill_after_pregnancy(page)
    page.get_by_role("link", name="← Back to the previous step").click()
    step(page, "Other health points and medication", 7)
    expect(field(page, "Medications and supplements you take")).to_have_value("Folic acid")
    save_step(page)

    # The signature must be the account's name; the ticked boxes stay ticked.
    step(page, "Consent and signature", 8)
    fill_consent(page, "Pauline Jensen")
    page.get_by_role("button", name="Sign and save").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "Signature: type your full name: The signature must be your full name as on your "
        "account (Paula Jensen). Type it exactly, or change the name on your account page."
    )
    expect(field(page, "Signature: type your full name")).to_have_value("Pauline Jensen")
    expect(page.get_by_label("I understand that reflexology is a complementary")).to_be_checked()
    expect(page.get_by_label("I accept the cancellation policy of the")).to_be_checked()
    assert not IntakeForm.objects.exists()
    assert_accessible(page)

    # Signed: saved as version 1 with the answers as typed.
    field(page, "Signature: type your full name").fill("Paula Jensen")
    page.get_by_role("button", name="Sign and save").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your health form is saved and signed (version 1)."
    )
    expect(heading(page)).to_have_text("Your health form")
    assert_accessible(page)
    intake = IntakeForm.objects.get()
    assert intake.answers["date_of_birth"] == "1991-06-14"
    assert intake.answers["pregnancy_weeks"] == 20
    assert intake.answers["due_date"] is None
    assert intake.answers["phone"] == "+1 212 555 0142"
    assert intake.answers["goals"] == ["sleep", "mood"]
    assert intake.answers["medications"] == "Folic acid"
    assert intake.signed_name == "Paula Jensen"
    assert not IntakeDraft.objects.exists()
