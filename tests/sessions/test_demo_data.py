"""The bookings, intake and session-record demo of `manage.py seed_demo`: every status, every
safety tier, records and to-do items, times a client could really have booked, and pages that
show them."""

import datetime as dt
import io
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from practitioners import demo as practitioners_demo
from practitioners.models import Practitioner
from practitioners.scope import find_blocked_claims, find_soft_claims
from sessions import demo
from sessions.availability import free_slots_for
from sessions.booking import REMINDER_BEFORE, cancellation_policy
from sessions.intake import changed_answers, current_intake, needs_review, sign_intake
from sessions.models import (
    Booking,
    BookingSeries,
    IntakeDraft,
    IntakeForm,
    Reminder,
    SessionRecord,
)
from sessions.record_safety import SUN_WARNING
from sessions.records import practitioner_todo
from sessions.safety import TIER_NAMES, flags_for
from sessions.session_flags import flags_in_force

pytestmark = pytest.mark.django_db

Status = Booking.Status
# Times the seed might run at: a weekday evening, a Saturday night before the US clocks go
# forward, early on New Year's Eve (UTC) and a Monday before dawn in New York.
NOWS = [
    dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 3, 13, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 31, 6, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 6, 7, 7, 45, tzinfo=dt.UTC),
]
NOW = NOWS[0]
# Maya's regulars (her current week) and the clients of her last month (the practice report):
# the stories' counts leave them out.
REGULARS = [email for email, *_ in demo.REGULARS + demo.REPORT_CLIENTS]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, even_without_debug=True)
    return out.getvalue()


@pytest.fixture
def seeded():
    with time_machine.travel(NOW, tick=False):
        seed()
        yield


def user(email: str) -> User:
    return User.objects.get(email=email)


def browser(email: str) -> Client:
    browser = Client()
    browser.force_login(user(email))
    return browser


def maya() -> Practitioner:
    return Practitioner.objects.get(user__email="maya@example.com")


# --- the answer sets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "tiers"),
    [
        (demo.PREGNANT_LAVENDER, {"clearance", "avoid_oils"}),
        (demo.CAUTION, {"caution", "no_oils"}),
        (demo.AVOID, {"avoid"}),
        (demo.LAVENDER, {"avoid_oils"}),
        (demo.STRESSED, set()),
        (demo.EARLY_PREGNANCY, {"postpone"}),
        (demo.minor(NOW), {"caution"}),
        (demo.WELLBEING, set()),
        ({}, set()),
    ],
)
def test_demo_answer_sets_are_what_the_form_stores_and_raise_their_tiers(answers, tiers):
    stored = demo.intake_answers(answers, today=NOW.date())
    # The sets name real questions, in the stored form: the intake form changes nothing.
    assert stored == {**demo.BASE, **answers}
    assert {flag["tier"] for flag in flags_for(stored, signed_on=NOW.date())} == tiers


def test_demo_answers_naming_no_question_are_refused():
    with pytest.raises(ValueError, match="pregnant_weeks"):
        demo.intake_answers({"pregnant_weeks": 24})


def test_pregnant_lavender_is_labelled_pregnant_and_avoid_lavender_not_no_oils():
    flags = flags_for(demo.intake_answers(demo.PREGNANT_LAVENDER), signed_on=NOW.date())
    assert [(f["tier"], f["label"]) for f in flags] == [
        ("clearance", "Pregnant"),
        ("avoid_oils", "Oil sensitivity"),
    ]
    assert flags[1]["oils"] == ["lavender"]


def test_avoid_names_a_zone_of_each_foot():
    flags = flags_for(demo.intake_answers(demo.AVOID), signed_on=NOW.date())
    assert sorted(f["area"] for f in flags) == ["Left heel", "Right ankle"]


# --- what the seed writes ---------------------------------------------------------------------


def test_every_booking_status_appears(seeded):
    # Staff cancel only a hidden practitioner's bookings (issue 15); the demo hides nobody,
    # so every demo practitioner stays in the directory.
    shown = set(Status.values) - {Status.CANCELLED_BY_STAFF}
    assert set(Booking.objects.values_list("status", flat=True)) == shown
    assert Booking.objects.filter(status=Status.DECLINED).exclude(decline_reason="").exists()
    late = Booking.objects.exclude(client__email__in=REGULARS).get(
        status=Status.CANCELLED_BY_CLIENT
    )
    assert late.is_late_cancellation and late.cancellation_reason
    by_practitioner = Booking.objects.get(status=Status.CANCELLED_BY_PRACTITIONER)
    assert by_practitioner.cancellation_reason and not by_practitioner.is_late_cancellation
    assert Booking.objects.filter(reschedule_count=1, status=Status.CONFIRMED).exists()


def test_every_flag_tier_appears_on_a_booking(seeded):
    tiers = {
        flag["tier"] for flags in Booking.objects.values_list("flags", flat=True) for flag in flags
    }
    assert tiers == set(TIER_NAMES)


def test_a_request_with_a_postpone_flag_waits_for_the_safety_decision(seeded):
    request = Booking.objects.get(client__email="noor@example.com", status=Status.REQUESTED)
    assert request.practitioner == maya()
    assert [f["code"] for f in request.flags] == ["acute_illness"]
    assert request.safety_decision == ""
    assert request.starts_at > NOW


def test_a_confirmed_booking_re_scored_after_a_new_form_waits_for_an_answer(seeded):
    rescored = Booking.objects.get(flags_change_cause=Booking.FlagsCause.INTAKE)
    assert rescored.client.email == "ben@example.com"
    assert rescored.status == Status.REQUESTED and rescored.starts_at > NOW
    assert "current_clot" in [f["code"] for f in rescored.flags]
    assert rescored.intake == rescored.client.intake_forms.order_by("-version").first()
    assert rescored.flags_changed_at < NOW
    page = browser(rescored.practitioner.user.email).get(rescored.get_absolute_url()).text
    assert "Flags updated on" in page and "after a new health form" in page
    assert "Talk to the client first, then decide" in page


def test_an_open_strong_reaction_holds_the_next_booking_with_that_practitioner(seeded):
    reaction = SessionRecord.objects.get(checkin_reaction=SessionRecord.Reaction.STRONG)
    assert reaction.needs_follow_up
    waiting = Booking.objects.get(
        client=reaction.booking.client,
        practitioner=reaction.booking.practitioner,
        starts_at__gt=NOW,
    )
    assert waiting.status == Status.REQUESTED
    assert "strong_reaction" in [f["code"] for f in waiting.flags]


def test_upcoming_clearance_booking_has_check_in_and_reminder(seeded):
    booking = Booking.objects.get(
        client__email="client@example.com", status=Status.CONFIRMED, starts_at__gt=NOW
    )
    assert booking.clearance_confirmed_at is not None
    assert booking.pre_session_check.changed and booking.pre_session_check.details
    reminder = booking.reminders.get()
    assert reminder.state == Reminder.State.PENDING


def test_bookings_carry_the_intake_in_force_and_the_flags_for_their_date(seeded):
    for booking in Booking.objects.select_related("client", "intake", "practitioner", "service"):
        pinned_at = booking.flags_changed_at or booking.created_at
        in_force = (
            IntakeForm.objects.filter(client=booking.client, signed_at__lte=pinned_at)
            .order_by("-version")
            .first()
        )
        assert booking.intake == in_force, booking
        if in_force is None:  # booked by the practitioner for a client invited since
            assert booking.booked_for_client and booking.flags == []
            continue
        assert booking.flags == flags_in_force(
            client=booking.client,
            intake=in_force,
            practitioner=booking.practitioner,
            starts_at=booking.starts_at,
            session_answers=booking.session_answers,
            now=NOW,
        )
        assert booking.policy_text == cancellation_policy(booking.practitioner)
        has_clearance = any(flag["tier"] == "clearance" for flag in booking.flags)
        assert (booking.clearance_confirmed_at is not None) == has_clearance
        assert booking.created_at <= min(booking.starts_at, NOW)
        length = booking.service.lengths.get(minutes=booking.minutes)
        assert booking.price == length.price


def test_each_client_signed_their_intakes_in_order(seeded):
    chris = user("client@example.com")
    first, second = chris.intake_forms.order_by("version")
    # The version diff shows the pregnancy.
    assert {"pregnancy", "pregnancy_weeks", "midwife_aware", "goals"} <= changed_answers(
        first.answers, second.answers
    )
    assert current_intake(chris, NOW) == second
    ruth = user("ruth@example.com")
    assert current_intake(ruth, NOW) is None
    assert needs_review(ruth.intake_forms.get(), NOW)


@pytest.mark.parametrize("now", NOWS)
def test_times_are_free_working_times_a_client_could_book(now):
    with time_machine.travel(now, tick=False):
        seed()
    bookings = list(Booking.objects.select_related("practitioner", "service", "client"))
    # The stories' bookings: 18 booked by clients, 6 in Maya's series for Sam, 1 Maya booked
    # for an invited client; and the regulars who fill Maya's week (test_demo_week.py).
    assert len([b for b in bookings if b.client.email not in REGULARS]) == 25
    for booking in bookings:
        practitioner = booking.practitioner
        tz = ZoneInfo(practitioner.timezone)
        day = booking.starts_at.astimezone(tz).date()
        working = free_slots_for(
            practitioner=practitioner,
            service=booking.service,
            minutes=booking.minutes,
            first_day=day,
            last_day=day,
            now=dt.datetime.combine(day - dt.timedelta(days=3), dt.time(), tz),
            ignore_busy=True,
        )
        # On the 15-minute grid, inside working hours, not on a closed day.
        assert booking.starts_at in working, booking
        assert booking.ends_at == booking.starts_at + dt.timedelta(minutes=booking.minutes)
        buffer = dt.timedelta(minutes=booking.service.buffer_minutes)
        travel = dt.timedelta(minutes=booking.service.travel_minutes)
        assert booking.blocks_until == booking.ends_at + buffer + travel
        assert booking.blocks_from == booking.starts_at - travel
        if booking.status in (Status.COMPLETED, Status.NO_SHOW):
            assert booking.ends_at <= now
        if booking.is_active:
            notice = dt.timedelta(hours=practitioner.min_notice_hours)
            assert booking.starts_at >= now + notice
            if booking.series_id is None:  # a practitioner's series may run past the horizon
                assert booking.starts_at <= now + dt.timedelta(
                    days=practitioner.booking_horizon_days
                )
            assert not practitioner.time_off.filter(
                starts_at__lt=booking.blocks_until, ends_at__gt=booking.starts_at
            ).exists()
    # Sessions that hold time never overlap, buffers included.
    holding = sorted(
        (b for b in bookings if b.status in Booking.HOLDS_TIME),
        key=lambda b: (b.practitioner_id, b.starts_at),
    )
    for before, after in zip(holding, holding[1:], strict=False):
        if before.practitioner_id == after.practitioner_id:
            assert before.blocks_until <= after.blocks_from, (before, after)


def test_reminders_are_what_the_write_path_and_sweeper_leave(seeded):
    for booking in Booking.objects.prefetch_related("reminders"):
        reminders = list(booking.reminders.all())
        if booking.is_active:
            assert [(r.state, r.due_at) for r in reminders] == [
                (Reminder.State.PENDING, booking.starts_at - REMINDER_BEFORE)
            ]
        elif booking.status in (Status.COMPLETED, Status.NO_SHOW):
            assert [r.state for r in reminders] == [Reminder.State.SENT]
        elif booking.starts_at > NOW:
            assert reminders == []


def test_maya_has_every_kind_of_to_do(seeded):
    records = list(practitioner_todo(maya(), NOW))
    assert {r.booking.client.email for r in records} == {"noor@example.com", "ben@example.com"}
    draft = next(r for r in records if not r.is_signed)
    assert draft.created_at <= NOW - dt.timedelta(hours=24)
    strong = next(r for r in records if r.is_signed)
    assert strong.checkin_reaction == SessionRecord.Reaction.STRONG
    # And a past session still without a record.
    assert Booking.objects.filter(
        practitioner=maya(), status=Status.COMPLETED, record__isnull=True
    ).exists()


def test_the_full_signed_record(seeded):
    latest = (
        SessionRecord.objects.filter(
            booking__client__email="client@example.com", state=SessionRecord.State.SIGNED
        )
        .order_by("-booking__starts_at")
        .first()
    )
    points = list(latest.points.select_related("point"))
    assert {p.side for p in points} == {"L", "R"}
    liver = next(p for p in points if p.point.slug == "foot-liver")
    assert (liver.side, liver.point.side) == ("R", "R")
    assert len({p.tenderness for p in points}) >= 3
    assert latest.client_summary and latest.aftercare
    assert all([latest.subjective, latest.objective, latest.assessment, latest.plan])
    assert latest.checkin_reaction == SessionRecord.Reaction.MILD
    assert latest.signed_at is not None


def test_a_signed_record_has_an_oil_override_and_an_addendum(seeded):
    record = SessionRecord.objects.exclude(oil_override_reason="").get()
    assert record.is_signed
    assert "almond" in record.medium_details.lower()
    assert record.addenda.get().at > record.signed_at


def test_demo_texts_make_no_medical_claims(seeded):
    for record in SessionRecord.objects.all():
        for text in (record.client_summary, record.aftercare, record.assessment, record.plan):
            assert find_blocked_claims(text) + find_soft_claims(text) == [], record
    for booking in Booking.objects.all():
        assert find_blocked_claims(booking.decline_reason + booking.cancellation_reason) == []


def test_seeding_sends_no_email(mailoutbox):
    with time_machine.travel(NOW, tick=False):
        seed()
    assert mailoutbox == []


def test_seed_runs_in_a_few_seconds():
    started = time.perf_counter()
    seed()
    assert time.perf_counter() - started < 15


def test_seed_adds_the_stories_to_a_database_seeded_before_them():
    practitioners_demo.seed()
    assert not Booking.objects.exists()
    seed()
    assert user("client@example.com").bookings.count() == 4
    assert user("sam@example.com").intake_forms.count() == 1


def test_a_demo_client_who_already_has_an_intake_is_left_alone():
    practitioners_demo.seed()
    sam = user("sam@example.com")
    sign_intake(
        client=sam,
        answers=demo.intake_answers({}),
        signed_name="Sam Rivera",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    seed()
    assert sam.intake_forms.count() == 1
    assert not sam.bookings.exists()
    assert user("client@example.com").bookings.exists()


# --- the pages show it ----------------------------------------------------------------------


def test_maya_sees_the_demo_on_her_pages(seeded):
    as_maya = browser("maya@example.com")
    chris_latest = (
        Booking.objects.filter(client__email="client@example.com", status=Status.COMPLETED)
        .order_by("-starts_at")
        .first()
    )
    upcoming = Booking.objects.filter(practitioner=maya(), starts_at__gt=NOW)
    day = upcoming.order_by("starts_at").first().starts_at.astimezone(ZoneInfo("America/New_York"))
    agenda = as_maya.get(reverse("sessions:agenda"), {"date": day.date().isoformat()})
    assert agenda.status_code == 200
    assert "Chris Client" in agenda.text and "Noor Haddad" in agenda.text
    todo = as_maya.get(reverse("sessions:todo"))
    assert "Sam Rivera" in todo.text  # no record yet
    assert "Noor Haddad" in todo.text  # draft
    assert "Bad headache" in todo.text  # strong reaction
    record = as_maya.get(reverse("sessions:record", kwargs={"code": chris_latest.code}))
    assert record.status_code == 200
    assert "Liver" in record.text and "24 weeks pregnant" in record.text
    history = as_maya.get(
        reverse("sessions:client-history", kwargs={"booking_code": chris_latest.code})
    )
    liver = next(p for p in history.context["points"] if p.name == "Liver reflex area")
    assert (liver.place, liver.sequence) == ("Right foot", "2 → 1")
    assert "2 → 1" in history.text


def test_chris_sees_the_demo_on_her_pages(seeded):
    as_chris = browser("client@example.com")
    mine = as_chris.get(reverse("sessions:my-bookings"))
    assert mine.status_code == 200
    assert "Maya Okafor" in mine.text and "Lena Fischer" in mine.text
    latest = (
        Booking.objects.filter(client__email="client@example.com", status=Status.COMPLETED)
        .order_by("-starts_at")
        .first()
    )
    detail = as_chris.get(reverse("sessions:booking-detail", kwargs={"code": latest.code}))
    assert detail.status_code == 200
    summary = as_chris.get(reverse("sessions:record-summary", kwargs={"code": latest.code}))
    assert "gentle, shorter session" in summary.text
    assert "24 weeks pregnant" not in summary.text  # the SOAP notes stay private
    access = as_chris.get(reverse("sessions:intake-access"))
    assert "Maya Okafor" in access.text
    assert "Read your session record of" in access.text
    assert "Read the history of your sessions with Maya Okafor" in access.text


def test_chris_lavender_sensitivity_reads_avoid_lavender_not_no_oils(seeded):
    upcoming = Booking.objects.get(
        client__email="client@example.com", practitioner=maya(), starts_at__gt=NOW
    )
    assert [f["code"] for f in upcoming.flags if "oil" in f["tier"]] == ["avoid_oils"]
    for who in ("client@example.com", "maya@example.com"):
        page = browser(who).get(reverse("sessions:booking-detail", kwargs={"code": upcoming.code}))
        assert "Avoid lavender and its plant family" in page.text
        assert "No oils / unscented" not in page.text


def test_a_citrus_oil_in_a_demo_record_put_the_sun_warning_in_the_aftercare(seeded):
    record = SessionRecord.objects.get(booking__client__email="ruth@example.com")
    assert "bergamot" in record.medium_details
    assert record.aftercare.endswith(SUN_WARNING)


def test_ruth_is_asked_to_review_her_intake(seeded):
    page = browser("ruth@example.com").get(reverse("sessions:intake"))
    assert page.status_code == 200
    assert page.context["needs_review"] is True


def test_a_first_trimester_request_waits_for_mayas_decision(seeded):
    request = Booking.objects.get(client__email="hana@example.com")
    assert request.status == Status.REQUESTED
    assert request.practitioner == maya()
    assert [f["code"] for f in request.flags] == ["pregnancy_first_trimester"]
    assert request.needs_safety_decision and request.safety_decision == ""
    assert request.starts_at > NOW

    page = browser("maya@example.com").get(
        reverse("sessions:booking-detail", kwargs={"code": request.code})
    )
    assert "Pregnant, under 13 weeks" in page.text
    assert "never confirmed automatically" in page.text


def test_a_client_under_18_signed_for_by_a_guardian_with_a_booking(seeded):
    leo = user("leo@example.com")
    intake = leo.intake_forms.get()
    assert intake.signed_by == "Petra Brandt (parent or guardian) for Leo Brandt"
    booking = leo.bookings.get()
    assert booking.status == Status.CONFIRMED and booking.minutes == 30
    assert [f["code"] for f in booking.flags] == ["under_18"]

    page = browser("leo@example.com").get(reverse("sessions:intake"))
    assert "signed by Petra Brandt (parent or guardian) for Leo Brandt" in page.text


def test_a_client_with_a_saved_draft_of_her_first_health_form(seeded):
    mia = user("mia@example.com")
    draft = mia.intake_draft
    assert draft.done == ["about-you", "pregnancy", "oils"]
    assert draft.answers["oil_sensitivity_details"] == "Lavender gives me a headache."
    assert draft.updated_at == NOW - dt.timedelta(days=3)
    assert not mia.intake_forms.exists() and not mia.bookings.exists()
    assert not IntakeForm.objects.visible_to(maya().user).filter(client=mia).exists()

    page = browser("mia@example.com").get(reverse("sessions:intake-edit"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("sessions:intake-step", kwargs={"step": "feet"})
    assert "Step 4 of 8" in page.text

    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        seed()  # again: the draft stays as it was
    assert IntakeDraft.objects.get(client=mia).updated_at == NOW - dt.timedelta(days=3)


def test_maya_has_booked_sam_a_fortnightly_series_shown_on_its_page(seeded):
    series = BookingSeries.objects.get(practitioner__user__email="maya@example.com")
    bookings = list(series.bookings.order_by("starts_at"))

    assert series.client == user("sam@example.com")
    assert (series.every_weeks, series.count) == (2, 6)
    assert len(bookings) == 6
    assert all(b.status == Status.CONFIRMED and b.starts_at > NOW for b in bookings)
    tz = ZoneInfo(series.practitioner.timezone)
    assert len({b.starts_at.astimezone(tz).date().weekday() for b in bookings}) == 1
    page = browser("maya@example.com").get(series.get_absolute_url())
    assert page.status_code == 200
    assert page.content.decode().count("Confirmed") == 6


def test_an_invited_client_has_a_booking_by_maya_and_no_health_form_yet(seeded):
    nina = user("nina@example.com")
    (booking,) = nina.bookings.all()
    assert not nina.has_usable_password()
    assert not nina.intake_forms.exists()
    assert booking.booked_by.email == "maya@example.com"
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.awaits_health_form and booking.record_waits_for_intake


def test_mayas_clients_list_shows_several_clients_with_counts_and_flags(seeded):
    page = browser("maya@example.com").get(reverse("sessions:clients"))
    text = page.text
    assert page.status_code == 200
    assert "15 clients" in text  # 11, and last month's four (sessions.demo._report_month)
    for name in ("Ben Carter", "Chris Client", "Ruth Ellison", "Sam Rivera"):
        assert f">{name}</a>" in text
    assert '<td data-label="No-shows">1</td>' in text  # Ruth
    assert '<td data-label="Late cancellations">1</td>' in text  # Ben
    assert "Verruca" in text and "(Avoid area)" in text  # Sam
    assert "Pregnant" in text and "(Medical clearance)" in text  # Chris
