"""Demo data for the booking, intake and session-record parts of `manage.py seed_demo`: intakes
in every safety tier, bookings in every status with Maya, Rosa and Lena, session records
(signed, draft, with an oil override and an addendum), check-ins and an intake access log, all
placed relative to the moment the seed runs.

It follows practitioners/demo.py and runs after it, in the same transaction. A demo client's
story (their intakes, bookings and records) is written only while that client has no intake
and no booking: running the seed again changes nothing, and a database seeded before this
part existed gets the stories it lacks.

Bookings are written directly with the fields sessions.booking would give them (the intake
version in force when booked and its flags, the cancellation policy, the reminder 24 hours
before, the iCalendar sequence). The write path itself cannot be used here: each of its
functions opens a durable transaction, which cannot run inside the seed's one transaction,
and emails both people. Every time comes from sessions.availability, so it is a working time
on the practitioner's 15-minute grid, in their zone, clear of other bookings and buffers.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.invitation import create_invited_user
from accounts.models import User
from practitioners.models import FeeKind, FreedTime, PracticeBilling, Practitioner, TimeOff
from sessions import billing, waitlist_rules
from sessions.audit import log_health_read
from sessions.availability import free_slots_for
from sessions.booking import REMINDER_BEFORE, cancellation_policy, practice_billing
from sessions.erasure import erase_in_transaction
from sessions.forms.intake_questions import IntakeQuestions
from sessions.intake import (
    answers_from,
    record_check_in,
    save_step,
    sign_intake,
    step_named,
)
from sessions.models import (
    Booking,
    BookingSeries,
    ErasureRequest,
    IntakeAccess,
    IntakeDraft,
    IntakeForm,
    Invoice,
    Payment,
    RecordAddendum,
    ReflexPoint,
    Reminder,
    SessionRecord,
    WaitlistEntry,
    WaitlistOffer,
)
from sessions.next_free import refresh_next_free
from sessions.records import (
    AFTERCARE_TEMPLATE,
    Worked,
    add_addendum,
    answer_checkin,
    save_record,
    sign_record,
    start_record,
)
from sessions.safety import Tier, has_tier
from sessions.series import preview_series
from sessions.session_flags import flags_in_force

Status = Booking.Status
# Bookings that hold (or held) their time on the calendar.
SIGNED_IP = "203.0.113.24"  # a documentation address (RFC 5737), not a real client's
SEARCH_DAYS = 21  # how far the demo looks for a free working time from the day it wants

# New demo clients (the practitioners' demo adds client@ and sam@).
CLIENTS = [
    ("noor@example.com", "demo-pass-13", "Noor Haddad", "America/New_York"),
    ("ben@example.com", "demo-pass-14", "Ben Carter", "America/Chicago"),
    ("ruth@example.com", "demo-pass-15", "Ruth Ellison", "America/New_York"),
    ("hana@example.com", "demo-pass-16", "Hana Mori", "America/New_York"),
    ("leo@example.com", "demo-pass-17", "Leo Brandt", "America/New_York"),
    ("mia@example.com", "demo-pass-18", "Mia Novak", "America/New_York"),
]
MAYA, ROSA, LENA = "maya@example.com", "rosa@example.com", "lena@example.com"
# A client Maya booked for over the phone and invited (sessions.booking.book_for_client): no
# password until they open their invitation, no health form yet. Not a login, so not printed
# as one; INVITED_NOTE says how to see them.
INVITED = ("nina@example.com", "Nina Adeyemi", "+1 503 555 0199")
INVITED_NOTE = (
    f"note: {INVITED[0]} was invited by Maya and has no password or health form yet. Log in "
    f'as {MAYA} to see the booking marked "health form not yet completed" in her agenda; '
    f"to log in as {INVITED[0]}, ask for a link at /accounts/password_reset/ (with "
    "DJANGO_DEBUG=1 the email is printed by the server)."
)

# --- intake answers ---------------------------------------------------------------------------

# Answers that raise no flag, in the form the intake stores them (sessions.intake.answers_from).
BASE = {
    "date_of_birth": "1985-06-15",
    "phone": "555 123 4567",
    "guardian_name": "",
    "guardian_consent": None,
    "emergency_name": "Ed Emergency",
    "emergency_phone": "555 987 6543",
    "emergency_relationship": "Partner",
    "physician_name": "",
    "physician_phone": "",
    "goals": ["relaxation", "sleep"],
    "goals_other": "",
    "reflexology_before": False,
    "pregnancy": "not_pregnant",
    "pregnancy_weeks": None,
    "due_date": None,
    "pregnancy_complications": [],
    "midwife_aware": None,
    "oil_sensitivity": False,
    "oil_sensitivity_details": "",
    "nut_allergy": False,
    "nut_allergy_details": "",
    "cream_reaction": False,
    "cream_reaction_details": "",
    "latex_allergy": False,
    "overstimulation": False,
    "dvt_current": False,
    "dvt_past": False,
    "clotting_disorder": False,
    "blood_thinners": False,
    "varicose_veins": False,
    "varicose_veins_locations": [],
    "varicose_veins_zones": [],
    "phlebitis": False,
    "swollen_ankles": False,
    "leg_swelling": False,
    "blood_pressure": "normal",
    "heart_condition": False,
    "pacemaker": False,
    "chest_pain": False,
    "circulation_details": "",
    "diabetes": "no",
    "neuropathy": False,
    "foot_ulcers": False,
    "foot_ulcers_where": "",
    "epilepsy": False,
    "epilepsy_details": "",
    "cancer": "no",
    "cancer_treatment": None,
    "lymph_nodes_removed": False,
    "cancer_details": "",
    "verruca": [],
    "athletes_foot": [],
    "fungal_nails": [],
    "wound": [],
    "gout": [],
    "injury": [],
    "injury_details": "",
    "verruca_zones": [],
    "athletes_foot_zones": [],
    "wound_zones": [],
    "injury_zones": [],
    "no_touch_areas": "",
    "recent_surgery": False,
    "surgery_details": "",
    "recent_surgery_locations": [],
    "recent_surgery_zones": [],
    "unexplained_pain_or_lump": False,
    "unexplained_details": "",
    "osteoporosis": False,
    "stones": False,
    "mental_health": False,
    "mental_health_details": "",
    "frail": False,
    "medications": "none",
    "pressure": "medium",
    "conversation": "either",
    "skin_product": "no_preference",
}
# Each set is merged over BASE; the comment says what it raises.
# Asked when booking, not on the form (safety.ASKED_EACH_SESSION): a request's session answers.
TALK_FIRST = {"acute_illness": True, "acute_illness_details": "Flu since Monday"}  # postpone
PREGNANT_LAVENDER = {  # clearance "Pregnant" + avoid oils: lavender and its family
    "pregnancy": "pregnant",
    "pregnancy_weeks": 24,
    "midwife_aware": True,
    "pregnancy_complications": ["high_risk"],
    "goals": ["relaxation", "mood"],
    "oil_sensitivity": True,
    "oil_sensitivity_details": "Lavender: itchy rash",
}
CAUTION = {  # caution: diabetes or reduced feeling, blood thinners, overstimulation; no oils
    "diabetes": "controlled",
    "neuropathy": True,
    "blood_thinners": True,
    "overstimulation": True,
    "oil_sensitivity": True,
    "oil_sensitivity_details": "Strong scents and perfume bring on a migraine",
}
AVOID = {  # avoid: verruca on the left heel, sprain of the right ankle (by zone)
    "verruca": ["left_foot"],
    "verruca_zones": ["foot:heel"],
    "injury": ["right_foot"],
    "injury_zones": ["foot:ankle"],
    "injury_details": "Sprained ankle, 6 weeks ago",
}
# client@'s first version: not pregnant yet, already sensitive to lavender (avoid lavender).
LAVENDER = {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender: itchy rash"}
CLOT_NOW = {"dvt_current": True, "circulation_details": "My doctor is checking my left calf"}
STRESSED = {"goals": ["tension", "sleep"], "medications": "Magnesium at night"}  # no flags
EARLY_PREGNANCY = {  # talk first: under 13 weeks pregnant (with a past miscarriage)
    "pregnancy": "pregnant",
    "pregnancy_weeks": 9,
    "midwife_aware": True,
    "pregnancy_complications": ["past_miscarriage"],
    "goals": ["relaxation", "sleep"],
}
GUARDIAN = "Petra Brandt"


def minor(now: datetime) -> dict:
    """A 15-year-old's answers (caution "Under 18"), agreed to by a parent: a date of birth
    relative to `now`, so the client stays 15 whenever the seed runs."""
    born = now.date() - timedelta(days=15 * 365 + 60)
    return {
        "date_of_birth": born.isoformat(),
        "guardian_name": GUARDIAN,
        "guardian_consent": True,
        "emergency_name": GUARDIAN,
        "emergency_relationship": "Mother",
        "goals": ["relaxation", "sleep"],
    }


WELLBEING = {"goals": ["wellbeing"], "reflexology_before": True, "pressure": "firm"}  # no flags


def _form_data(answers: dict) -> dict:
    """Stored answers as the intake page would post them."""
    data = {}
    for name, value in answers.items():
        if value is None or value == []:
            continue
        if isinstance(value, bool):
            data[name] = str(value)
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = str(value)
    return data


def intake_answers(overrides: dict, *, today=None) -> dict:
    """BASE with `overrides`, put through the intake form exactly as a client's answers are,
    so a demo intake holds only answers the form can store."""
    answers = {**BASE, **overrides}
    unknown = set(answers) - set(IntakeQuestions.base_fields)
    if unknown:
        raise ValueError(f"Demo intake answers name no intake question: {sorted(unknown)}")
    form = IntakeQuestions(_form_data(answers), today=today)
    if not form.is_valid():
        raise ValueError(f"Demo intake answers fail the intake form: {form.errors.as_json()}")
    return answers_from(form.cleaned_data)


# --- the pieces of a story ------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A point worked: (catalogue slug, side, tenderness 0-3, texture, comment)."""

    slug: str
    side: str
    tenderness: int
    texture: str = ""
    comment: str = ""


@dataclass
class Demo:
    """What the stories share: the moment of the seed, the demo practitioners and the reflex
    point catalogue (read once, when a story first needs them)."""

    now: datetime

    @cached_property
    def practitioners(self) -> dict[str, Practitioner]:
        found = Practitioner.objects.select_related("user").filter(
            user__email__in=[MAYA, ROSA, LENA]
        )
        return {practitioner.user.email: practitioner for practitioner in found}

    @property
    def maya(self) -> Practitioner:
        return self.practitioners[MAYA]

    @property
    def rosa(self) -> Practitioner:
        return self.practitioners[ROSA]

    @property
    def lena(self) -> Practitioner:
        return self.practitioners[LENA]

    @cached_property
    def points(self) -> dict[str, ReflexPoint]:
        return {point.slug: point for point in ReflexPoint.objects.all()}

    def ago(self, *, days: float = 0, hours: float = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    # --- intakes

    def sign(
        self, client: User, overrides: dict, at: datetime, *, physician_contact: bool = False
    ) -> IntakeForm:
        """The client signs the next intake version at `at` (flags worked out as they are
        for a real signature)."""
        today = timezone.localdate(at, ZoneInfo(client.timezone))
        answers = intake_answers(overrides, today=today)
        return sign_intake(
            client=client,
            answers=answers,
            # A parent or guardian signs for a client under 18.
            signed_name=answers.get("guardian_name") or client.full_name,
            signed_ip=SIGNED_IP,
            physician_contact_allowed=physician_contact,
            now=at,
        )

    def read(
        self,
        intake: IntakeForm | None,
        viewer: User,
        at: datetime,
        booking=None,
        kind: IntakeAccess.Kind = IntakeAccess.Kind.INTAKE,
    ) -> None:
        """Log a read of `kind` by `viewer` at `at`, as the page that shows it does."""
        access = log_health_read(viewer, kind, intake=intake, booking=booking)
        IntakeAccess.objects.filter(pk=access.pk).update(at=at)

    # --- bookings

    def start(
        self,
        practitioner: Practitioner,
        service: str,
        minutes: int,
        *,
        days: int,
        at: time,
    ) -> datetime:
        """A free start `days` from today in the practitioner's zone (searching further away
        from today when that day is not free), at or after `at` local time: a past start
        whose session is over when `days` < 0, else one a client could book now."""
        tz = ZoneInfo(practitioner.timezone)
        kind = practitioner.services.get(name=service)
        today = self.now.astimezone(tz).date()
        step = 1 if days > 0 else -1
        length = timedelta(minutes=minutes)
        travel = timedelta(minutes=kind.travel_minutes)  # a home visit's, each way
        held = length + timedelta(minutes=kind.buffer_minutes) + travel
        for n in range(SEARCH_DAYS):
            day = today + timedelta(days=days + step * n)
            # A past day is asked about as if from a few days before it, so the minimum notice
            # does not hide its times; completed sessions no longer hold time there, so they
            # are checked below.
            asked = self.now if days > 0 else datetime.combine(day - timedelta(days=3), time(), tz)
            starts = free_slots_for(
                practitioner=practitioner,
                service=kind,
                minutes=minutes,
                first_day=day,
                last_day=day,
                now=asked,
            )
            if not starts:
                continue
            taken = list(
                practitioner.bookings.filter(
                    status__in=Booking.HOLDS_TIME,
                    blocks_from__lt=starts[-1] + held,
                    blocks_until__gt=starts[0] - travel,
                ).values_list("blocks_from", "blocks_until")
            )
            for begin in starts:
                if begin.astimezone(tz).time() < at:
                    continue
                if days < 0 and begin + length > self.now:
                    continue
                if any(s < begin + held and begin - travel < e for s, e in taken):
                    continue
                return begin
        raise RuntimeError(f"The demo found no free time for {practitioner} near day {days}.")

    def book(
        self,
        *,
        client: User,
        practitioner: Practitioner,
        service: str,
        minutes: int,
        days: int,
        at: time,
        booked: timedelta | datetime,
        status: str = Status.CONFIRMED,
        cancelled: timedelta | datetime | None = None,
        rescored: datetime | None = None,
        starts_at: datetime | None = None,
        invited: bool = False,
        **fields,
    ) -> Booking:
        """A booking as sessions.booking would have left it. `booked` and `cancelled` are
        when the client booked and when someone cancelled (a datetime, or how long before the
        start); the booking carries the intake version in force when booked (or when a new
        version re-scored it, `rescored`), and the flags in force for its date; an `invited`
        client, whom the practitioner booked for, has signed none yet. `starts_at`, when
        given, is a start already found free (a series' date)."""
        kind = practitioner.services.get(name=service)
        length = kind.lengths.get(minutes=minutes)
        starts_at = starts_at or self.start(practitioner, service, minutes, days=days, at=at)
        booked_at = booked if isinstance(booked, datetime) else starts_at - booked
        cancelled_at = starts_at - cancelled if isinstance(cancelled, timedelta) else cancelled
        pinned_at = rescored or booked_at
        intake = client.intake_forms.filter(signed_at__lte=pinned_at).order_by("-version").first()
        if intake is None and not invited:
            raise RuntimeError(f"Demo client {client} books before signing an intake.")
        ends_at = starts_at + timedelta(minutes=minutes)
        flags = []
        if intake is not None:
            flags = flags_in_force(
                client=client,
                intake=intake,
                practitioner=practitioner,
                starts_at=starts_at,
                session_answers=fields.get("session_answers", {}),
                now=self.now,
            )
        if rescored is not None:
            fields.update(flags_changed_at=rescored, flags_change_cause=Booking.FlagsCause.INTAKE)
        # The write path bumps the calendar sequence on every change the people should see:
        # a confirmation or a decline, then a cancellation or a move.
        fields.setdefault("sequence", 0 if status == Status.REQUESTED else 1)
        booking = Booking(
            client=client,
            practitioner=practitioner,
            service=kind,
            minutes=minutes,
            price=length.price,
            starts_at=starts_at,
            ends_at=ends_at,
            blocks_from=starts_at - timedelta(minutes=kind.travel_minutes),
            blocks_until=ends_at + timedelta(minutes=kind.buffer_minutes + kind.travel_minutes),
            status=status,
            policy_text=cancellation_policy(practitioner),
            intake=intake,
            flags=flags,
            clearance_confirmed_at=booked_at if has_tier(flags, Tier.CLEARANCE) else None,
            cancelled_at=cancelled_at,
            **fields,
        )
        # As cancel_booking judges it: a client's cancellation inside the late window.
        booking.is_late_cancellation = status == Status.CANCELLED_BY_CLIENT and (
            booking.is_late_cancellation_at(cancelled_at)
        )
        booking.full_clean()
        booking.save()
        if (fees := practice_billing(practitioner)) is not None:  # as the write path copies them
            billing.fees_for_new_booking(booking, fees)
        Booking.objects.filter(pk=booking.pk).update(
            created_at=booked_at, updated_at=cancelled_at or booked_at
        )
        self._reminder(booking, booked_at)
        return booking

    def _reminder(self, booking: Booking, booked_at: datetime) -> None:
        """The reminder row the write path and the sweeper would have left: pending for an
        upcoming booking, sent for one that still stood 24 hours before its start."""
        due_at = booking.starts_at - REMINDER_BEFORE
        if due_at <= booked_at:
            return  # booked less than 24 hours ahead: no reminder
        if due_at > self.now:
            if booking.is_active:
                Reminder.objects.create(
                    booking=booking, kind=Reminder.Kind.DAY_BEFORE, due_at=due_at
                )
            return
        stood = booking.is_active or booking.status in (Status.COMPLETED, Status.NO_SHOW)
        if booking.cancelled_at is not None and booking.cancelled_at > due_at:
            stood = True
        if stood:
            Reminder.objects.create(
                booking=booking,
                kind=Reminder.Kind.DAY_BEFORE,
                due_at=due_at,
                state=Reminder.State.SENT,
                sent_at=due_at,
            )

    # --- records

    def record(
        self,
        booking: Booking,
        *,
        points: list[Point],
        fields: dict,
        sign: bool = True,
        changes_since_last: str = "",
        oil_override_reason: str = "",
        checkin: dict | None = None,
        addendum: str = "",
    ) -> SessionRecord:
        """The practitioner's record of a session that took place, written through
        sessions.records (so the safety checks apply), then dated: started as the session
        ended, signed soon after, the 48-hour check-in sent and answered, any addendum
        three days on."""
        record = start_record(booking, changes_since_last=changes_since_last)
        worked = [
            Worked(self.points[p.slug], p.side, p.tenderness, p.texture, p.comment) for p in points
        ]
        save_record(
            record=record, fields=fields, worked=worked, oil_override_reason=oil_override_reason
        )
        started = booking.ends_at + timedelta(minutes=5)
        last = started
        if sign:
            last = booking.ends_at + timedelta(minutes=40)
            sign_record(record=record, now=last, email=False)
        dates = {"created_at": started}
        if checkin:
            sent = booking.ends_at + timedelta(hours=48)
            last = sent + timedelta(hours=3)
            # As answer_checkin stores it; the demo sends no email.
            answer_checkin(record=record, now=last, alert=False, **checkin)
            dates["checkin_sent_at"] = sent
        SessionRecord.objects.filter(pk=record.pk).update(updated_at=last, **dates)
        if addendum:
            note = add_addendum(record=record, author=booking.practitioner.user, text=addendum)
            RecordAddendum.objects.filter(pk=note.pk).update(at=booking.ends_at + timedelta(days=3))
        record.refresh_from_db()
        return record


FOOT = "Foot reflexology"
TASTER = "Taster"
HANDS_AND_FEET = "Hands and feet"


def _soap(s: str, o: str, a: str, p: str) -> dict:
    return {"subjective": s, "objective": o, "assessment": a, "plan": p}


# --- the stories ------------------------------------------------------------------------------


def _chris(demo: Demo, client: User) -> None:
    """client@: two signed sessions with Maya (an oil override with an addendum, then the
    full record), pregnant since, with clearance confirmed and a pre-session answer for the
    next session; a session Lena had to cancel."""
    maya = demo.maya
    demo.sign(client, LAVENDER, demo.ago(days=120))
    first = demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=60,
        days=-35,
        at=time(10),
        booked=timedelta(days=9),
        status=Status.COMPLETED,
    )
    demo.read(first.intake, maya.user, first.starts_at - timedelta(days=1), booking=first)
    demo.record(
        first,
        changes_since_last="First session.",
        points=[
            Point("foot-solar-plexus", "L", 1),
            Point("foot-solar-plexus", "R", 1),
            Point("foot-diaphragm", "L", 2, "tight"),
            Point("foot-diaphragm", "R", 2, "tight"),
            Point("foot-neck-throat", "L", 2, "tight"),
            Point("foot-neck-throat", "R", 2),
            Point("foot-shoulder", "L", 2),
            Point("foot-shoulder", "R", 3, "tight", "Pulled away at first; eased with holding"),
            Point("foot-stomach", "L", 2),
            Point("foot-liver", "R", 2, "grainy"),
        ],
        fields={
            "observations": {"skin": "Dry heels", "temperature": "Cool toes at the start"},
            "decision": SessionRecord.Decision.PROCEED,
            "actual_minutes": 60,
            "pressure": SessionRecord.Pressure.MEDIUM,
            "medium": SessionRecord.Medium.CARRIER_OIL,
            "medium_details": "Sweet almond oil with 2 drops of peppermint",
            "reactions": ["sighing", "sweaty_cold"],
            "reactions_notes": "Feet warmed up after ten minutes.",
            **_soap(
                "Stressful month at work; shoulders and neck stiff from the desk. Sleeps "
                "about six hours.",
                "Dry heels, cool toes. Held tension through the shoulder reflexes.",
                "Shoulder and neck reflexes tender, right more than left.",
                "Every three weeks; start with the shoulder reflexes.",
            ),
            "client_summary": "A full session on both feet. We spent extra time on the "
            "shoulder and neck reflexes, which felt tight, and finished with slow work on the "
            "solar plexus.",
            "aftercare": AFTERCARE_TEMPLATE,
        },
        oil_override_reason="Peppermint is of lavender's family, but Chris asked for it: she "
        "uses a peppermint foot cream at home without any reaction. One drop patch-tested "
        "first; no lavender used.",
        checkin={
            "sleep": "Better than usual",
            "energy": "Good",
            "reaction": SessionRecord.Reaction.NONE,
            "notes": "",
        },
        addendum="Chris confirmed by phone that the peppermint caused no itching. From the "
        "next session I will use the unscented balm anyway, to keep to her intake.",
    )

    pregnant = demo.sign(client, PREGNANT_LAVENDER, demo.ago(days=30), physician_contact=True)
    second = demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=60,
        days=-14,
        at=time(14),
        booked=timedelta(days=7),
        status=Status.COMPLETED,
    )
    demo.read(pregnant, maya.user, second.starts_at - timedelta(hours=2), booking=second)
    # Before the session Maya looks back at the first one: the client's list shows both reads.
    before = second.starts_at - timedelta(hours=1)
    demo.read(None, maya.user, before, booking=first, kind=IntakeAccess.Kind.RECORD)
    demo.read(None, maya.user, before, booking=second, kind=IntakeAccess.Kind.HISTORY)
    demo.record(
        second,
        changes_since_last="Now 24 weeks pregnant (intake updated); her midwife knows and "
        "agrees. Still no lavender.",
        points=[
            Point("foot-pituitary", "L", 0),
            Point("foot-pituitary", "R", 0),
            Point("foot-solar-plexus", "L", 0, comment="Breathing slowed here"),
            Point("foot-solar-plexus", "R", 0),
            Point("foot-diaphragm", "L", 1),
            Point("foot-diaphragm", "R", 1),
            Point("foot-neck-throat", "L", 1),
            Point("foot-neck-throat", "R", 1, "tight"),
            Point("foot-shoulder", "L", 1),
            Point("foot-shoulder", "R", 2, "tight"),
            Point("foot-stomach", "L", 1),
            Point("foot-liver", "R", 1, "grainy", "Less grainy than last time"),
            Point("foot-lumbar-spine", "L", 1),
            Point("foot-lumbar-spine", "R", 2, "tight", "Says her lower back aches by evening"),
        ],
        fields={
            "observations": {
                "skin": "Heels less dry than last time",
                "swelling": "Slight puffiness round both ankles",
            },
            "decision": SessionRecord.Decision.MODIFY,
            "actual_minutes": 50,
            "pressure": SessionRecord.Pressure.LIGHT,
            "medium": SessionRecord.Medium.BALM,
            "medium_details": "Unscented balm",
            "reactions": ["sleep", "gurgling"],
            "reactions_notes": "Dozed off for the last ten minutes.",
            **_soap(
                "24 weeks pregnant; midwife agrees to reflexology. Lower back aches by the "
                "evening; sleeping better than last month.",
                "Slight puffiness round both ankles; skin fine.",
                "Shoulder reflexes less tender than last session; lumbar reflexes tender on "
                "the right.",
                "Light pressure while pregnant, 50 minutes, side-lying if more comfortable. "
                "Uterine and ovarian reflexes not worked.",
            ),
            "client_summary": "A gentle, shorter session with light pressure and unscented "
            "balm. Your shoulder reflexes felt easier than last time; we spent a little time "
            "on the lower back reflexes.",
            "aftercare": AFTERCARE_TEMPLATE + "\n\nPut your feet up for half an hour this "
            "evening, and keep to your midwife's advice.",
        },
        checkin={
            "sleep": "Slept really well that night",
            "energy": "A bit tired the next morning, fine by lunchtime",
            "reaction": SessionRecord.Reaction.MILD,
            "notes": "Thirsty, and needed the loo a lot that evening.",
        },
    )

    upcoming = demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=60,
        days=2,
        at=time(14),
        booked=demo.ago(days=3),
    )
    record_check_in(
        booking=upcoming,
        changed=True,
        details="My midwife checked me on Tuesday and is happy for me to keep coming. My "
        "ankles swell a little in the evenings now.",
        now=demo.ago(hours=20),
    )
    demo.book(
        client=client,
        practitioner=demo.lena,
        service=FOOT,
        minutes=45,
        days=8,
        at=time(9),
        booked=demo.ago(days=6),
        status=Status.CANCELLED_BY_PRACTITIONER,
        cancelled=demo.ago(days=1),
        cancellation_reason="I'm sorry: I have to close the studio that day for a family "
        "matter. Please choose another time; I have kept Thursday mornings free.",
        sequence=2,
    )


def _sam(demo: Demo, client: User) -> None:
    """sam@ (avoid: verruca on the left heel, sprained right ankle): a no-show with Rosa, a
    session with Maya still without its record (start it: the map shades the left heel), and a rescheduled booking with Rosa."""
    demo.sign(client, AVOID, demo.ago(days=60))
    demo.book(
        client=client,
        practitioner=demo.rosa,
        service=FOOT,
        minutes=45,
        days=-16,
        at=time(17),
        booked=timedelta(days=5),
        status=Status.NO_SHOW,
    )
    demo.book(
        client=client,
        practitioner=demo.maya,
        service=HANDS_AND_FEET,
        minutes=60,
        days=-2,
        at=time(15),
        booked=timedelta(days=10),
        status=Status.COMPLETED,
        client_message="I'm in New York for work that week. Hands mostly, please: see my "
        "intake about my feet.",
    )
    demo.book(
        client=client,
        practitioner=demo.rosa,
        service=FOOT,
        minutes=60,
        days=5,
        at=time(10),
        booked=demo.ago(days=12),
        reschedule_count=1,
        sequence=2,
    )


def _noor(demo: Demo, client: User) -> None:
    """noor@: a session with Maya whose record is still a draft days later, then flu: she
    says so on a new intake and, as asked afresh, when booking her next session, which
    raises a talk-first flag on that request: it waits for Maya's decision."""
    maya = demo.maya
    demo.sign(client, STRESSED, demo.ago(days=70))
    last = demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=45,
        days=-5,
        at=time(11, 30),
        booked=timedelta(days=8),
        status=Status.COMPLETED,
    )
    demo.record(
        last,
        sign=False,
        changes_since_last="Started a new job; sleeping badly.",
        points=[
            Point("foot-solar-plexus", "L", 1),
            Point("foot-solar-plexus", "R", 1),
            Point("foot-diaphragm", "L", 1),
            Point("foot-diaphragm", "R", 2, "tight"),
            Point("foot-adrenal", "L", 2),
            Point("foot-adrenal", "R", 1),
        ],
        fields={
            "decision": SessionRecord.Decision.PROCEED,
            "actual_minutes": 45,
            "pressure": SessionRecord.Pressure.MEDIUM,
            "medium": SessionRecord.Medium.POWDER,
            "reactions": ["yawning"],
            **_soap(
                "New job; wakes at 4 most nights.", "Cold feet, tight through the arch.", "", ""
            ),
        },
    )
    demo.sign(client, {}, demo.ago(hours=3))
    demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=60,
        days=3,
        at=time(10),
        booked=demo.ago(hours=2),
        status=Status.REQUESTED,
        session_answers=TALK_FIRST,
        client_message="I've had flu this week but hope to be better by then. Happy to move "
        "it if you'd rather.",
    )


def _ben(demo: Demo, client: User) -> None:
    """ben@ (caution: diabetes with reduced feeling, blood thinners, easily overstimulated;
    no oils: scents bring on a migraine):
    a Taster that left him wiped out (a strong reaction on Maya's to-do list, not followed
    up yet), a late cancellation, a request Lena declined; then a new health form (his doctor
    is checking a calf for a clot) that put his confirmed session with Rosa back to "needs
    your answer", and a Taster with Maya that waits for her answer."""
    maya = demo.maya
    demo.sign(client, CAUTION, demo.ago(days=40))
    taster = demo.book(
        client=client,
        practitioner=maya,
        service=TASTER,
        minutes=30,
        days=-13,
        at=time(16),
        booked=timedelta(days=6),
        status=Status.COMPLETED,
    )
    demo.record(
        taster,
        changes_since_last="First session.",
        points=[
            Point("foot-solar-plexus", "L", 0),
            Point("foot-solar-plexus", "R", 0),
            Point("foot-brain", "L", 1),
            Point("foot-brain", "R", 1),
            Point("foot-neck-throat", "L", 1),
            Point("foot-neck-throat", "R", 1),
            Point("foot-pancreas", "L", 1, "congested"),
            Point("foot-pancreas", "R", 0),
        ],
        fields={
            "observations": {
                "skin": "Checked before and after: no broken skin",
                "temperature": "Cool feet",
            },
            "decision": SessionRecord.Decision.MODIFY,
            "actual_minutes": 30,
            "pressure": SessionRecord.Pressure.LIGHT,
            "medium": SessionRecord.Medium.BALM,
            "medium_details": "Unscented balm",
            "reactions": ["yawning", "sighing"],
            **_soap(
                "Wants help switching off after shifts. Feeling in the toes reduced.",
                "Skin intact, feet cool; no bruising.",
                "Relaxed well; little tenderness.",
                "Keep to 30 minutes and light pressure; check the skin each time.",
            ),
            "client_summary": "A short, light session on both feet to see how reflexology "
            "suits you, with slow work on the solar plexus and the toes.",
            "aftercare": AFTERCARE_TEMPLATE,
        },
        checkin={
            "sleep": "Slept eleven hours",
            "energy": "Very low the next day",
            "reaction": SessionRecord.Reaction.STRONG,
            "notes": "Bad headache that evening and wiped out the whole next day.",
        },
    )
    demo.book(
        client=client,
        practitioner=maya,
        service=FOOT,
        minutes=45,
        days=-6,
        at=time(11),
        booked=demo.ago(days=9),
        status=Status.CANCELLED_BY_CLIENT,
        cancelled=timedelta(hours=5),
        cancellation_reason="Stuck at work, sorry for the short notice.",
        sequence=2,
    )
    demo.book(
        client=client,
        practitioner=demo.lena,
        service=FOOT,
        minutes=60,
        days=6,
        at=time(15),
        booked=demo.ago(days=2),
        status=Status.DECLINED,
        decline_reason="Thank you for asking! From what you have told me, I would rather "
        "start with the 30-minute Taster and lighter work. Please book that instead.",
    )
    signed = demo.sign(client, {**CAUTION, **CLOT_NOW}, demo.ago(hours=30))
    # Booked and confirmed before the new form, which re-scored it (sessions.booking): back to
    # a request, the calendar sequence bumped; Rosa was emailed "a change to review".
    demo.book(
        client=client,
        practitioner=demo.rosa,
        service=FOOT,
        minutes=45,
        days=9,
        at=time(10),
        booked=demo.ago(days=5),
        status=Status.REQUESTED,
        rescored=signed.signed_at,
        sequence=2,
    )
    demo.book(
        client=client,
        practitioner=maya,
        service=TASTER,
        minutes=30,
        days=4,
        at=time(11),
        booked=demo.ago(days=1),
        status=Status.REQUESTED,
    )


def _ruth(demo: Demo, client: User) -> None:
    """ruth@: one signed session with Maya over a year ago, a week after one she missed (a
    no-show, counted on Maya's clients list), and an intake more than 12 months old that she
    must review before booking again."""
    demo.sign(client, WELLBEING, demo.ago(days=400))
    demo.book(
        client=client,
        practitioner=demo.maya,
        service=FOOT,
        minutes=60,
        days=-392,
        at=time(9, 30),
        booked=timedelta(days=3),
        status=Status.NO_SHOW,
    )
    visit = demo.book(
        client=client,
        practitioner=demo.maya,
        service=FOOT,
        minutes=60,
        days=-385,
        at=time(9, 30),
        booked=timedelta(days=10),
        status=Status.COMPLETED,
    )
    demo.record(
        visit,
        points=[
            Point("foot-sinuses", "L", 1, "grainy"),
            Point("foot-sinuses", "R", 1, "grainy"),
            Point("foot-thoracic-spine", "L", 0),
            Point("foot-thoracic-spine", "R", 1),
            Point("foot-knee-leg", "L", 2),
            Point("foot-knee-leg", "R", 1),
        ],
        fields={
            "decision": SessionRecord.Decision.PROCEED,
            "actual_minutes": 60,
            "pressure": SessionRecord.Pressure.FIRM,
            "medium": SessionRecord.Medium.CARRIER_OIL,
            "medium_details": "Grapeseed oil with 2 drops of bergamot",
            **_soap("Has had reflexology before; likes firm pressure.", "", "", ""),
            "client_summary": "A full session on both feet with firm pressure, as you like it.",
            "aftercare": AFTERCARE_TEMPLATE,
        },
    )


def _hana(demo: Demo, client: User) -> None:
    """hana@: 9 weeks pregnant, after a miscarriage last year: her request with Maya is
    talk first (under 13 weeks at the session), so it waits for Maya's decision."""
    demo.sign(client, EARLY_PREGNANCY, demo.ago(days=2))
    demo.book(
        client=client,
        practitioner=demo.maya,
        service=FOOT,
        minutes=45,
        days=5,
        at=time(13, 30),
        booked=demo.ago(days=1),
        status=Status.REQUESTED,
        client_message="My midwife suggested something to help me relax and sleep.",
    )


def _leo(demo: Demo, client: User) -> None:
    """leo@: 15, his mother signed the health form with him (it reads "signed by Petra
    Brandt (parent or guardian) for Leo Brandt"); a confirmed Taster with Rosa, the
    shortest session, with his mother present."""
    demo.sign(client, minor(demo.now), demo.ago(days=10))
    demo.book(
        client=client,
        practitioner=demo.rosa,
        service=TASTER,
        minutes=30,
        days=7,
        at=time(16),
        booked=demo.ago(days=9),
        client_message=f"{GUARDIAN} here, Leo's mother: I will come with him.",
    )


def _mia(demo: Demo, client: User) -> None:
    """mia@: started her first health form three days ago and stopped after the oils step
    (trying for a baby, lavender gives her a headache): a private draft nobody else sees,
    which goes on where she left off. No booking yet."""
    if IntakeDraft.objects.filter(client=client).exists():
        return
    answers = {
        **BASE,
        "date_of_birth": "1994-03-02",
        "phone": "555 444 1212",
        "emergency_name": "Jon Novak",
        "pregnancy": "trying",
        "oil_sensitivity": True,
        "oil_sensitivity_details": "Lavender gives me a headache.",
        "skin_product": "oil",
    }
    today = timezone.localdate(demo.ago(days=3), ZoneInfo(client.timezone))
    for slug in ("about-you", "pregnancy", "oils"):
        step = step_named(slug)
        form = IntakeQuestions(_form_data(answers), today=today, only=step.fields)
        if not form.is_valid():
            raise ValueError(f"Demo draft answers fail the intake form: {form.errors.as_json()}")
        save_step(
            client=client,
            step=step,
            cleaned_data=form.cleaned_data,
            may_be_pregnant=True if slug == "about-you" else None,
        )
    IntakeDraft.objects.filter(client=client).update(
        created_at=demo.ago(days=3, hours=1), updated_at=demo.ago(days=3)
    )


def _series(demo: Demo) -> None:
    """Maya booked sam@ a course of six fortnightly sessions yesterday, after his last one:
    each date as the series page previews it (sessions.series), a clash moved to the nearest
    free time that day. Written once, when Maya has no series yet."""
    maya = demo.maya
    client = User.objects.filter(email="sam@example.com").first()
    # Only after sam's own story (his completed session with Maya), never over a client the
    # seed leaves alone.
    if client is None or maya.booking_series.exists():
        return
    if not client.bookings.filter(practitioner=maya, status=Status.COMPLETED).exists():
        return
    service = maya.services.get(name=HANDS_AND_FEET)
    series = BookingSeries.objects.create(
        practitioner=maya,
        client=client,
        service=service,
        minutes=60,
        every_weeks=2,
        count=6,
        created_by=maya.user,
    )
    BookingSeries.objects.filter(pk=series.pk).update(created_at=demo.ago(days=1))
    first = demo.start(maya, HANDS_AND_FEET, 60, days=9, at=time(11))
    dates = preview_series(
        practitioner=maya,
        service=service,
        minutes=60,
        first=first,
        every_weeks=2,
        count=6,
        now=demo.now,
    )
    for date in dates:
        starts_at = date.wanted if date.free else next(iter(date.nearest), None)
        if starts_at is None:
            continue
        demo.book(
            client=client,
            practitioner=maya,
            service=HANDS_AND_FEET,
            minutes=60,
            days=0,
            at=time(),
            booked=demo.ago(days=1),
            starts_at=starts_at,
            series=series,
        )


def _nina(demo: Demo, client: User) -> None:
    """nina@: rang Maya yesterday, who booked her first session for her and invited her
    (booked_by Maya); she has not opened the invitation, so no password and no health form:
    the booking says "health form not yet completed" and Maya cannot start the record yet."""
    demo.book(
        client=client,
        practitioner=demo.maya,
        service=FOOT,
        minutes=60,
        days=3,
        at=time(11),
        booked=demo.ago(days=1),
        invited=True,
        booked_by=demo.maya.user,
    )


# Regular clients who fill Maya's current week on the calendar (issue 14): no logins of
# their own, a plain health form each with their own phone, and two signed sessions weeks
# ago, so the clients page shows a last session and a count for each.
REGULARS = [
    ("olivia.grant@example.com", "Olivia Grant", "555 201 3344"),
    ("raj.patel@example.com", "Raj Patel", "555 318 2290"),
    ("elena.rossi@example.com", "Elena Rossi", "555 427 6615"),
    ("tomas.silva@example.com", "Tomás Silva", "555 536 8071"),
]
# How many weeks ago each regular's earlier sessions were (before the current week).
REGULAR_PAST_WEEKS = (6, 3)
# Times asked for on each weekday (the demo takes the first free one at or after each).
WEEK_TIMES = [time(9), time(10, 30), time(14), time(15, 30)]
WEEK_TIME_OFF = "Dentist, then the school run"


def _maya_week(demo: Demo) -> None:
    """Maya's current week as a practice looks: sessions on every working day (completed
    before today, confirmed after it), one cancelled by the client, and an afternoon off,
    beside the stories' bookings and her lunch break. Written once per week."""
    maya = demo.maya
    tz = ZoneInfo(maya.timezone)
    today = demo.now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    week_start = datetime.combine(monday, time(), tz)
    week_end = week_start + timedelta(days=7)
    if maya.time_off.filter(
        reason=WEEK_TIME_OFF, starts_at__gte=week_start, starts_at__lt=week_end
    ).exists():
        return
    regulars = []
    for number, (email, name, phone) in enumerate(REGULARS):
        client = User.objects.filter(email=email).first()
        if client is None:
            client = User.objects.create_user(
                email=email, password=None, full_name=name, timezone=maya.timezone
            )
            demo.sign(client, {"phone": phone}, demo.ago(days=60))
            for weeks in REGULAR_PAST_WEEKS:
                _regular_session(demo, client, days=-7 * weeks, at=WEEK_TIMES[number])
        regulars.append(client)
    # The afternoon off: the first weekday afternoon of the week with no booking in it.
    for offset in range(5):
        day = monday + timedelta(days=offset)
        starts_at = datetime.combine(day, time(14), tz)
        ends_at = datetime.combine(day, time(17, 30), tz)
        if not maya.bookings.filter(blocks_from__lt=ends_at, blocks_until__gt=starts_at).exists():
            TimeOff.objects.create(
                practitioner=maya, starts_at=starts_at, ends_at=ends_at, reason=WEEK_TIME_OFF
            )
            break
    n = 0
    for offset in range(5):
        days = (monday + timedelta(days=offset) - today).days
        if days == 0:
            continue  # today keeps the stories' sessions (some before now, some after)
        for at in WEEK_TIMES:
            client = regulars[n % len(regulars)]
            n += 1
            try:
                starts_at = demo.start(maya, FOOT, 60, days=days, at=at)
            except RuntimeError:
                continue
            if not week_start <= starts_at < week_end:
                continue  # the day is full: the demo's search went to another week
            if days > 0 and starts_at - REMINDER_BEFORE <= demo.now:
                continue  # its reminder would already be due: keep the week's stories simple
            cancelled = n == 3
            demo.book(
                client=client,
                practitioner=maya,
                service=FOOT,
                minutes=60,
                days=days,
                at=starts_at.astimezone(tz).time(),
                booked=timedelta(days=12),
                status=(
                    Status.CANCELLED_BY_CLIENT
                    if cancelled
                    else Status.COMPLETED
                    if days < 0
                    else Status.CONFIRMED
                ),
                cancelled=timedelta(days=2) if cancelled else None,
                **({"cancellation_reason": "Work trip came up."} if cancelled else {}),
            )


def _regular_session(demo: Demo, client: User, *, days: int, at: time) -> None:
    """A completed session of a regular's, with a short signed record."""
    booking = demo.book(
        client=client,
        practitioner=demo.maya,
        service=FOOT,
        minutes=60,
        days=days,
        at=at,
        booked=timedelta(days=10),
        status=Status.COMPLETED,
    )
    demo.record(
        booking,
        points=[Point("foot-solar-plexus", "L", 1), Point("foot-solar-plexus", "R", 1)],
        fields={
            "decision": SessionRecord.Decision.PROCEED,
            "actual_minutes": 60,
            "pressure": SessionRecord.Pressure.MEDIUM,
            "medium": SessionRecord.Medium.NONE,
            **_soap(
                "Regular session; nothing new since last time.",
                "Feet warm and relaxed.",
                "Little tenderness.",
                "Same again at the next visit.",
            ),
            "client_summary": "A relaxing full session on both feet.",
            "aftercare": "Drink some water and take it easy this evening.",
        },
    )


# A client who deleted their account (sessions.erasure): not a login (an erased account has
# none); Maya keeps her two signed records, locked, on her "Retained records" page. Found
# again on a second run by the erasure's fixed code.
ERASED = ("vera@example.com", "Vera Lind", "America/New_York")
ERASED_CODE = uuid.UUID("5e1d0000-0000-4000-8000-000000000016")
ERASED_NOTE = (
    f"note: {ERASED[0]} deleted her account (no login now). Log in as {MAYA} and open My "
    "practice > Retained records to read her locked records; staff see it at /staff/erasures/."
)


def _erased(demo: Demo) -> None:
    """vera@: two signed sessions with Maya (the last six weeks ago), then she deleted her
    account three days ago: "Erased client" now, out of Maya's lists, her records kept until
    seven years after that last session."""
    if ErasureRequest.objects.filter(code=ERASED_CODE).exists():
        return
    email, name, zone = ERASED
    client = User.objects.create_user(email=email, password=None, full_name=name, timezone=zone)
    client.email_verified_at = demo.ago(days=200)
    client.save(update_fields=["email_verified_at"])
    maya = demo.maya
    demo.sign(client, STRESSED, demo.ago(days=160))
    for days, summary in ((-150, "We worked both feet gently."), (-42, "Calmer feet today.")):
        booking = demo.book(
            client=client,
            practitioner=maya,
            service=FOOT,
            minutes=60,
            days=days,
            at=time(14),
            booked=timedelta(days=6),
            status=Status.COMPLETED,
        )
        demo.record(
            booking,
            points=[Point("foot-solar-plexus", "L", 1), Point("foot-diaphragm", "R", 2, "tight")],
            fields={
                "decision": SessionRecord.Decision.PROCEED,
                "actual_minutes": 60,
                "pressure": SessionRecord.Pressure.MEDIUM,
                "medium": SessionRecord.Medium.BALM,
                "client_summary": summary,
                **_soap("Stressed at work; sleeps badly.", "Tight diaphragm line.", "", ""),
            },
        )
    erasure = erase_in_transaction(client=client, now=demo.ago(days=3), email=False)
    ErasureRequest.objects.filter(pk=erasure.pk).update(code=ERASED_CODE)


STORIES: dict[str, Callable[[Demo, User], None]] = {
    "client@example.com": _chris,
    "sam@example.com": _sam,
    "noor@example.com": _noor,
    "ben@example.com": _ben,
    "ruth@example.com": _ruth,
    "hana@example.com": _hana,
    "leo@example.com": _leo,
    "mia@example.com": _mia,
    INVITED[0]: _nina,
}


# Maya's waitlist (issue 17): who waits, for which days and parts of the day (bit masks,
# sessions.waitlist_rules), and since how many days.
WAITLIST = [
    ("hana@example.com", waitlist_rules.ALL_WEEKDAYS, waitlist_rules.ALL_PARTS, 6),
    ("leo@example.com", waitlist_rules.mask([1, 3]), waitlist_rules.mask([0]), 4),
    ("mia@example.com", waitlist_rules.mask(range(5)), waitlist_rules.mask([2]), 2),
]


def _maya_waitlist(demo: Demo) -> None:
    """Three clients on Maya's waitlist for her 60-minute session, and hana@ holding a live
    offer (a time freed by a cancellation 20 minutes ago, emailed to her first as the
    earliest to join): her offer page and "A time came free" in her bookings, and Maya's
    agenda listing who waits each day. Written once, when Maya has no waitlist yet."""
    maya = demo.maya
    if maya.waitlist_entries.exists():
        return
    length = maya.services.get(name=HANDS_AND_FEET).lengths.get(minutes=60)
    today = demo.now.astimezone(ZoneInfo(maya.timezone)).date()
    entries = {}
    for email, weekdays, parts, days_ago in WAITLIST:
        client = User.objects.filter(email=email).first()
        if client is None:
            continue
        entries[email] = WaitlistEntry.objects.create(
            client=client,
            practitioner=maya,
            length=length,
            weekdays=weekdays,
            parts=parts,
            first_day=today,
            last_day=today + timedelta(weeks=6),
            place=1,
            joined_at=demo.ago(days=days_ago),
        )
    hana = entries.get("hana@example.com")
    free = free_slots_for(
        practitioner=maya,
        service=length.service,
        minutes=60,
        first_day=today,
        last_day=today + timedelta(days=14),
        now=demo.now,
    )
    if hana is None or not free:
        return
    starts_at = free[0]
    offered_at = demo.ago(hours=1 / 3)
    freed = FreedTime.objects.create(
        practitioner=maya,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=60 + length.service.buffer_minutes),
        cause=FreedTime.Cause.CANCELLED,
        created_at=offered_at,  # not done: once hana's offer runs out, run_due_jobs passes it on
    )
    WaitlistOffer.objects.create(
        entry=hana,
        freed=freed,
        starts_at=starts_at,
        offered_at=offered_at,
        expires_at=waitlist_rules.offer_expiry(
            now=offered_at,
            starts_at=starts_at,
            offer_minutes=maya.waitlist_offer_minutes,
            notice_hours=maya.min_notice_hours,
        ),
    )


def _fees(demo: Demo) -> None:
    """Maya charges $30 for a late cancellation and the full price for a no-show; Rosa half
    the price for either (set before the stories book, so their bookings carry them)."""
    settings = {
        MAYA: (FeeKind.AMOUNT, "30.00", FeeKind.PERCENT, "100"),
        ROSA: (FeeKind.PERCENT, "50", FeeKind.PERCENT, "50"),
    }
    for email, (late_kind, late, no_show_kind, no_show) in settings.items():
        practitioner = demo.practitioners[email]
        if PracticeBilling.objects.filter(practitioner=practitioner).exists():
            continue
        PracticeBilling.objects.create(
            practitioner=practitioner,
            late_cancel_fee_kind=late_kind,
            late_cancel_fee_value=late,
            no_show_fee_kind=no_show_kind,
            no_show_fee_value=no_show,
        )


# What the demo's completed sessions were paid, in turn: in full (cash), half (card), not yet,
# in full then part refunded, and void (so every state shows).
PAYMENT_STORIES = ("paid", "partly_paid", "open", "refunded", "void")


def _money(demo: Demo) -> None:
    """Invoices for Maya's and Rosa's completed sessions in every state, with payments, and
    Sam's no-show with Rosa charged its fee (Ruth's no-show waits for a decision)."""
    practitioners = [demo.maya, demo.rosa]
    if Invoice.objects.filter(practitioner__in=practitioners).exists():
        return
    completed = (
        Booking.objects.filter(practitioner__in=practitioners, status=Status.COMPLETED)
        .select_related("client", "practitioner__user", "service")
        .order_by("starts_at")
    )
    for index, booking in enumerate(completed):
        invoice = billing.invoice_completed_session(booking, booking.ends_at)
        story = PAYMENT_STORIES[index % len(PAYMENT_STORIES)]
        paid_on = booking.ends_at.astimezone(ZoneInfo(booking.practitioner.timezone)).date()
        pay = {"received_on": paid_on, "by": booking.practitioner.user, "reason": ""}
        if story == "void":
            billing.void_invoice_locked(
                invoice, reason="Made twice by mistake: the client paid on the other.", now=demo.now
            )
        elif story == "partly_paid":
            half = invoice.total / 2
            billing.record_payment_locked(
                invoice, method=Payment.Method.CARD_TERMINAL, amount=half, **pay
            )
        elif story in ("paid", "refunded"):
            billing.record_payment_locked(
                invoice, method=Payment.Method.CASH, amount=invoice.total, **pay
            )
            if story == "refunded":
                billing.record_payment_locked(
                    invoice,
                    method=Payment.Method.CASH,
                    amount=Decimal("-10.00"),
                    received_on=paid_on,
                    by=booking.practitioner.user,
                    reason="Session ended ten minutes early.",
                )
    no_show = (
        Booking.objects.filter(
            practitioner=demo.rosa,
            client__email="sam@example.com",
            status=Status.NO_SHOW,
            fees__isnull=False,
        )
        .select_related("client", "practitioner__user", "service", "fees")
        .first()
    )
    if no_show is not None:
        billing.decide_fee_locked(no_show, charge=True, now=no_show.ends_at + timedelta(hours=2))


# Maya's last month for the practice report (issue 18): clients of its own (so the stories'
# and the regulars' counts stay as they are), the first of whom came once the month before;
# the methods their sessions were paid by, in turn.
REPORT_CLIENTS = [
    ("ines.moreau@example.com", "Inès Moreau", "555 610 4417"),
    ("kofi.mensah@example.com", "Kofi Mensah", "555 720 9183"),
    ("greta.lund@example.com", "Greta Lund", "555 834 2076"),
    ("paulo.reis@example.com", "Paulo Reis", "555 945 3318"),
]
REPORT_METHODS = (
    Payment.Method.CASH,
    Payment.Method.CARD_TERMINAL,
    Payment.Method.BANK_TRANSFER,
    Payment.Method.PACKAGE_CREDIT,
)


def _report_month(demo: Demo) -> None:
    """Maya's previous calendar month, full enough for her practice report: a session asked
    for on each working day, mostly completed and paid (by cash, card, transfer or package
    credit; some left unpaid or half paid), with no-shows (one charged), late and in-time
    cancellations, new clients and a returning one. Written once."""
    if User.objects.filter(email=REPORT_CLIENTS[0][0]).exists():
        return
    maya = demo.maya
    tz = ZoneInfo(maya.timezone)
    today = demo.now.astimezone(tz).date()
    last = today.replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    clients = []
    for email, name, phone in REPORT_CLIENTS:
        client = User.objects.create_user(
            email=email, password=None, full_name=name, timezone=maya.timezone
        )
        demo.sign(client, {"phone": phone}, demo.ago(days=100))
        clients.append(client)
    # Inès came once the month before: she returns.
    demo.book(
        client=clients[0],
        practitioner=maya,
        service=FOOT,
        minutes=60,
        days=(first - today).days - 20,
        at=time(11),
        booked=timedelta(days=5),
        status=Status.COMPLETED,
    )
    n = 0
    day = first
    while day <= last:
        days, day = (day - today).days, day + timedelta(days=1)
        try:
            starts_at = demo.start(maya, FOOT, 60, days=days, at=time(10))
        except RuntimeError:
            continue
        if not first <= starts_at.astimezone(tz).date() <= last:
            continue  # that day is full: the search went to another month
        n += 1
        status, cancelled = Status.COMPLETED, None
        if n % 7 == 4:
            status = Status.NO_SHOW
        elif n % 9 == 6:
            status, cancelled = Status.CANCELLED_BY_CLIENT, timedelta(hours=3)  # late
        elif n % 11 == 8:
            status, cancelled = Status.CANCELLED_BY_CLIENT, timedelta(days=3)
        booking = demo.book(
            client=clients[n % len(clients)],
            practitioner=maya,
            service=FOOT,
            minutes=60,
            days=days,
            at=starts_at.astimezone(tz).time(),
            starts_at=starts_at,
            booked=timedelta(days=9),
            status=status,
            cancelled=cancelled,
        )
        if status == Status.NO_SHOW and n % 2:
            locked = Booking.objects.select_related("client", "practitioner", "service", "fees")
            billing.decide_fee_locked(
                locked.get(pk=booking.pk), charge=True, now=booking.ends_at + timedelta(hours=1)
            )
        if status != Status.COMPLETED:
            continue
        invoice = billing.invoice_completed_session(booking, booking.ends_at)
        if n % 6 == 0:
            continue  # not paid yet: outstanding
        billing.record_payment_locked(
            invoice,
            method=REPORT_METHODS[n % len(REPORT_METHODS)],
            amount=invoice.total / 2 if n % 10 == 3 else invoice.total,
            received_on=booking.ends_at.astimezone(tz).date(),
            by=maya.user,
            reason="",
        )


def _packages(demo: Demo) -> None:
    """Maya sells "Five full sessions" (5 × 60 minutes for $300, valid six months); Chris
    bought one three weeks ago in cash, and his next 60-minute session with her uses a credit
    (rows as sessions.package_credits writes them: the seed's transaction is not durable)."""
    from sessions import packages as package_rules
    from sessions.models import ClientPackage, CreditUse, Package

    if Package.objects.filter(practitioner=demo.maya).exists():
        return
    offer = Package.objects.create(
        practitioner=demo.maya,
        name="Five full sessions",
        minutes=60,
        sessions=5,
        price=Decimal("300.00"),
        valid_months=6,
    )
    chris = User.objects.filter(email="client@example.com").first()
    if chris is None:
        return
    sold_on = timezone.localdate(demo.ago(days=21), ZoneInfo(demo.maya.timezone))
    bought = ClientPackage.objects.create(
        package=offer,
        practitioner=demo.maya,
        client=chris,
        name=offer.name,
        minutes=offer.minutes,
        sessions=offer.sessions,
        price=offer.price,
        currency=getattr(practice_billing(demo.maya), "currency", "USD"),
        sold_on=sold_on,
        expires_on=package_rules.expiry_date(sold_on, offer.valid_months),
        payment_method=Payment.Method.CASH,
        sold_by=demo.maya.user,
    )
    upcoming = (
        Booking.objects.filter(
            practitioner=demo.maya, client=chris, minutes=60, starts_at__gt=demo.now
        )
        .filter(status__in=Booking.HOLDS_TIME)
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        CreditUse.objects.create(
            client_package=bought,
            booking=upcoming,
            value=package_rules.credit_value(offer.price, offer.sessions),
            used_at=demo.ago(days=2),
        )
        ClientPackage.objects.filter(pk=bought.pk).update(used=1)


def seed(now: datetime | None = None) -> list[tuple[str, str, str]]:
    """Create the demo clients this part adds, and write the story of every demo client who
    has no intake and no booking yet, in one transaction; return the added logins as (role,
    email, password). Run after practitioners.demo.seed."""
    now = now or timezone.now()
    demo = Demo(now=now)
    logins = []
    with transaction.atomic():
        for email, password, name, zone in CLIENTS:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email=email, password=password, full_name=name, timezone=zone
                )
            logins.append(("client", email, password))
        email, name, phone = INVITED
        if not User.objects.filter(email=email).exists():
            # Maya invites her (sessions.demo._nina): her practice's zone.
            create_invited_user(
                full_name=name, email=email, phone=phone, timezone=demo.maya.timezone
            )
        _fees(demo)
        for email, story in STORIES.items():
            client = User.objects.filter(email=email).first()
            if client is None or client.intake_forms.exists() or client.bookings.exists():
                continue
            story(demo, client)
        _series(demo)
        _maya_week(demo)
        _erased(demo)
        _maya_waitlist(demo)
        _money(demo)
        _report_month(demo)
        _packages(demo)
        # Demo people have confirmed their addresses, so they book and are listed at once.
        User.objects.filter(
            email__in=[email for _, email, _ in logins], email_verified_at__isnull=True
        ).update(email_verified_at=now)
        # The directory and profiles show each practitioner's next free time from the cache;
        # fill it for those never checked (a second run changes nothing; run_due_jobs keeps
        # it fresh).
        for practitioner_id in Practitioner.objects.filter(
            next_free_checked_at__isnull=True
        ).values_list("pk", flat=True):
            refresh_next_free(practitioner_id, now)
    return logins
