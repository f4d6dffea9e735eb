"""Session records: start, save (with the safety checks), sign, add addenda, and the 48-hour
check-in. Signed records are never changed: corrections are addenda."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from reflexbook.lib.mail import send_templated
from sessions.booking import rescore_upcoming
from sessions.models import Booking, PointWorked, RecordAddendum, ReflexPoint, SessionRecord
from sessions.record_safety import (
    area_conflicts,
    found_flags,
    needs_nut_check,
    oil_conflicts,
    with_sun_warning,
)
from sessions.reflex_map import point_name
from sessions.safety import NO_OILS_LABEL, Tier, has_tier

CHECKIN_AFTER = timedelta(hours=48)
# Past this, a "how are you two days on?" email makes no sense any more.
CHECKIN_WINDOW = timedelta(days=7)
DRAFT_TODO_AFTER = timedelta(hours=24)
# Marked, not translated here: start_record writes it in the language active then (the
# practitioner's), and tests compare the English source.
AFTERCARE_TEMPLATE = gettext_noop(
    "Drink water if your doctor has not told you to limit fluids, and rest today if you "
    "can. Have a light meal, and go easy on caffeine and alcohol for the rest of the day; "
    "avoid hard exercise straight after the session.\n\n"
    "Some people feel tired, thirsty, emotional or a little unsettled afterwards; such "
    "reactions usually settle within about 48 hours. If anything worries you, contact me, "
    "and see your doctor if you feel unwell."
)


# The foot observation checklist of the pre-session check (reflexology.md section 3). The
# record stores the noted items as {"skin": "dry heels", "nails": ""}: an item is a key when
# the practitioner noted it, with its short note (possibly empty).
OBSERVATION_ITEMS = [
    ("skin", gettext_lazy("Skin")),
    ("nails", gettext_lazy("Nails")),
    ("colour", gettext_lazy("Colour")),
    ("temperature", gettext_lazy("Temperature")),
    ("swelling", gettext_lazy("Swelling")),
    ("wounds", gettext_lazy("Wounds")),
]
# Reactions seen during a session (reflexology.md section 3); the record stores the keys.
SESSION_REACTIONS = [
    ("sleep", gettext_lazy("Fell asleep")),
    ("sighing", gettext_lazy("Sighing")),
    ("yawning", gettext_lazy("Yawning")),
    ("gurgling", gettext_lazy("Stomach gurgling")),
    ("sweaty_cold", gettext_lazy("Sweaty or cold hands or feet")),
    ("chills", gettext_lazy("Chills")),
    ("tears", gettext_lazy("Tears")),
    ("laughter", gettext_lazy("Laughter")),
    ("twitching", gettext_lazy("Twitching")),
    ("wincing", gettext_lazy("Wincing")),
    ("thirst", gettext_lazy("Thirst")),
]


class RecordRefused(Exception):
    """The record cannot be saved as it is; `messages` say why, for the practitioner."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Worked:
    point: ReflexPoint
    side: str
    tenderness: int = 0
    texture: str = ""
    comment: str = ""


def can_write_record(booking: Booking, user: User, now: datetime | None = None) -> bool:
    """Only the booking's practitioner, once the session has started, for a session that
    took place (confirmed or completed)."""
    return booking.practitioner.user_id == user.pk and booking.can_have_record(now)


# Why the practitioner cannot start the record yet; the record page offers the way on.
NEEDS_INTAKE = gettext_noop(
    "The client has not completed their health form yet. Ask them to fill it in, or record "
    "why you proceed without it."
)


def proceed_without_intake(*, booking: Booking, reason: str, now: datetime | None = None) -> None:
    """Record why the practitioner starts the session record of `booking`, whose client has
    not signed a health form (Booking.record_waits_for_intake), and when; the reason is shown
    on the record."""
    if not reason.strip():
        raise RecordRefused([_("Write why you proceed without the client's health form.")])
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if not locked.awaits_health_form:
            raise RecordRefused(
                [_("The client has signed their health form: no reason is needed.")]
            )
        locked.proceeds_without_intake_reason = reason.strip()
        locked.proceeds_without_intake_at = now or timezone.now()
        locked.save(
            update_fields=[
                "proceeds_without_intake_reason",
                "proceeds_without_intake_at",
                "updated_at",
            ]
        )


def _refuse_while_waiting_for_intake(booking: Booking) -> None:
    # Whether or not a draft exists: the client's check-in starts one for a completed
    # session, and that must not open the record to the practitioner (issue 14 item 3).
    if booking.record_waits_for_intake:
        raise RecordRefused([_(NEEDS_INTAKE)])


def start_record(
    booking: Booking, *, changes_since_last: str = "", by_checkin: bool = False
) -> SessionRecord:
    """The booking's record, created as a draft with the aftercare template if new
    (`by_checkin`: started by the client's check-in, not by the practitioner). The
    practitioner opens none, new or a check-in's draft, while the booking waits for the
    client's health form and no reason to proceed is recorded (RecordRefused, NEEDS_INTAKE)."""
    if not by_checkin:
        _refuse_while_waiting_for_intake(booking)
    record, _created = SessionRecord.objects.get_or_create(
        booking=booking,
        defaults={
            "aftercare": _(AFTERCARE_TEMPLATE),
            "actual_minutes": booking.minutes,
            "changes_since_last": changes_since_last,
            "started_by_checkin": by_checkin,
        },
    )
    return record


def _area_points(worked: list[Worked]) -> list[tuple[str, str, str, str]]:
    # The name only words the conflict for the practitioner: in their language.
    return [(w.point.map, w.side, w.point.part, point_name(w.point.name)) for w in worked]


def area_flags(booking: Booking, avoid_found: list[dict]) -> list[dict]:
    """The flags a record's points are checked against: the booking's, and the areas to
    avoid the practitioner found at the pre-session check."""
    return [*booking.flags, *found_flags(avoid_found)]


def safety_problems(
    *,
    booking: Booking,
    medium: str,
    medium_details: str,
    worked: list[Worked],
    oil_override_reason: str,
    area_override_reason: str,
    nut_free_checked: bool = False,
    avoid_found: list[dict] = (),
) -> list[str]:
    """Why this record cannot be saved without an override (empty when it can);
    `avoid_found`: the areas to avoid found at the pre-session check."""
    problems = []
    flags = booking.flags
    oils = oil_conflicts(flags=flags, medium=medium, details=medium_details)
    if oils and not oil_override_reason.strip():
        if has_tier(flags, Tier.NO_OILS):
            problems.append(
                _(
                    "This client's intake says %(no_oils)s, and the record names %(oils)s. "
                    "Change the medium, or tick the override and give your reason."
                )
                % {"no_oils": NO_OILS_LABEL, "oils": ", ".join(oils)}
            )
        else:
            problems.append(
                _(
                    "The record names oils this client should not have: %(oils)s. Change the "
                    "oils, or tick the override and give your reason."
                )
                % {"oils": "; ".join(oils)}
            )
    if needs_nut_check(flags=flags, medium=medium) and not nut_free_checked:
        problems.append(
            _(
                "This client has a nut allergy: check the ingredients of the balm or cream, "
                "and tick that it has no nut ingredients."
            )
        )
    areas = area_conflicts(
        flags=area_flags(booking, list(avoid_found)), points=_area_points(worked)
    )
    if areas and not area_override_reason.strip():
        problems.append(
            _(
                "These points are in an area to avoid: %(areas)s. Remove them, or tick the "
                "override and give your reason."
            )
            % {"areas": "; ".join(areas)}
        )
    return problems


def save_record(
    *,
    record: SessionRecord,
    fields: dict,
    worked: list[Worked],
    oil_override_reason: str = "",
    area_override_reason: str = "",
) -> SessionRecord:
    """Save a draft's fields and points worked, or raise RecordRefused."""
    with transaction.atomic():
        locked = (
            SessionRecord.objects.select_for_update().select_related("booking").get(pk=record.pk)
        )
        if locked.is_signed:
            raise RecordRefused([_("This record is signed and locked. Add an addendum instead.")])
        _refuse_while_waiting_for_intake(locked.booking)
        medium = fields.get("medium", locked.medium)
        medium_details = fields.get("medium_details", locked.medium_details)
        nut_free_checked = fields.get("nut_free_checked", locked.nut_free_checked)
        avoid_found = fields.get("avoid_found", locked.avoid_found)
        problems = safety_problems(
            booking=locked.booking,
            medium=medium,
            medium_details=medium_details,
            worked=worked,
            oil_override_reason=oil_override_reason,
            area_override_reason=area_override_reason,
            nut_free_checked=nut_free_checked,
            avoid_found=avoid_found,
        )
        if problems:
            raise RecordRefused(problems)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.started_by_checkin = False  # the practitioner's content is in it now
        # An override is kept (and shown on the record) only when it overrode something:
        # a reason typed "just in case" would otherwise read as a decision that was made.
        flags = locked.booking.flags
        oils_used = oil_conflicts(flags=flags, medium=medium, details=medium_details)
        areas_worked = area_conflicts(
            flags=area_flags(locked.booking, avoid_found), points=_area_points(worked)
        )
        locked.oil_override_reason = oil_override_reason.strip() if oils_used else ""
        locked.area_override_reason = area_override_reason.strip() if areas_worked else ""
        locked.nut_free_checked = nut_free_checked and needs_nut_check(flags=flags, medium=medium)
        # A phototoxic citrus oil always brings the sun warning into the client's aftercare.
        locked.aftercare = with_sun_warning(locked.aftercare, medium_details)
        locked.full_clean()
        locked.save()
        locked.points.all().delete()  # a draft's point list is replaced as a whole
        PointWorked.objects.bulk_create(
            PointWorked(
                record=locked,
                point=w.point,
                side=w.side,
                tenderness=w.tenderness,
                texture=w.texture,
                comment=w.comment,
            )
            for w in worked
        )
    return locked


def sign_record(
    *, record: SessionRecord, now: datetime | None = None, email: bool = True
) -> SessionRecord:
    """Sign and lock a draft; the client can then read its summary and aftercare, and (with
    `email`) is told so once, by a link: the email carries no part of the record. Refused
    while the booking waits for the client's health form (NEEDS_INTAKE)."""
    _refuse_while_waiting_for_intake(record.booking)
    with transaction.atomic():
        updated = SessionRecord.objects.filter(
            pk=record.pk, state=SessionRecord.State.DRAFT
        ).update(state=SessionRecord.State.SIGNED, signed_at=now or timezone.now())
        if not updated:
            raise RecordRefused([_("This record is already signed.")])
        if email:
            booking = record.booking
            client = booking.client
            with timezone.override(ZoneInfo(client.timezone)):
                send_templated(
                    "session_summary_ready",
                    to=[client.email],
                    context={
                        "booking": booking,
                        "recipient": client,
                        "site_url": settings.SITE_URL,
                    },
                )
    record.refresh_from_db()
    return record


def add_addendum(*, record: SessionRecord, author: User, text: str) -> RecordAddendum:
    if not record.is_signed:
        raise RecordRefused([_("Drafts are edited directly; addenda are for signed records.")])
    if not text.strip():
        raise RecordRefused([_("Write the addendum's text.")])
    return RecordAddendum.objects.create(record=record, author=author, text=text.strip())


def send_due_checkins(now: datetime | None = None) -> int:
    """Email the 48-hour check-in for the records of completed sessions, signed or still a
    draft (the check-in is open for every completed session: checkin_open), once each: a
    conditional UPDATE claims the record, so overlapping runs cannot both send. Sessions that
    ended more than CHECKIN_WINDOW ago (old or imported records) and check-ins the client
    already answered from the summary page get no email."""
    now = now or timezone.now()
    due = SessionRecord.objects.filter(
        checkin_sent_at__isnull=True,
        checkin_answered_at__isnull=True,
        booking__status=Booking.Status.COMPLETED,
        booking__ends_at__lte=now - CHECKIN_AFTER,
        booking__ends_at__gt=now - CHECKIN_WINDOW,
    ).select_related("booking__client", "booking__practitioner")
    sent = 0
    for record in due:
        with transaction.atomic():
            claimed = SessionRecord.objects.filter(
                pk=record.pk, checkin_sent_at__isnull=True
            ).update(checkin_sent_at=now)
            if not claimed:
                continue
            client = record.booking.client
            send_templated(
                "session_checkin",
                to=[client.email],
                context={"record": record, "client": client, "site_url": settings.SITE_URL},
            )
        sent += 1
    return sent


def checkin_open(booking: Booking) -> bool:
    """Whether the client may answer the check-in for `booking`: a completed session (its
    record, if any, may still be a draft), or one whose record is signed."""
    record = getattr(booking, "record", None)
    return booking.status == Booking.Status.COMPLETED or (record is not None and record.is_signed)


def checkin_record(booking: Booking) -> SessionRecord | None:
    """The record the check-in answers of `booking` are kept on (a draft is started for a
    completed session without one), or None while the check-in is not open."""
    if not checkin_open(booking):
        return None
    return getattr(booking, "record", None) or start_record(booking, by_checkin=True)


def answer_checkin(
    *,
    record: SessionRecord,
    sleep: str,
    energy: str,
    reaction: str,
    notes: str,
    now: datetime | None = None,
    alert: bool = True,
) -> SessionRecord:
    """Store the client's check-in answers on the record of a completed session or a signed
    record, once (the first answer stands: a conditional UPDATE, so a double submit cannot
    overwrite it), or raise RecordRefused. A strong reaction needs notes; it emails the
    practitioner at once (no health detail) and puts the client's next booking with them
    back to "needs your answer" until they record a follow-up (record_follow_up).
    `alert=False` stores without emailing (seed_demo's history)."""
    if reaction not in SessionRecord.Reaction.values:
        raise RecordRefused([_("Choose none, mild or strong for the reaction.")])
    if reaction == SessionRecord.Reaction.STRONG and not notes.strip():
        raise RecordRefused([_("Say what the strong reaction was.")])
    now = now or timezone.now()
    with transaction.atomic():
        answered = (
            SessionRecord.objects.filter(pk=record.pk, checkin_answered_at__isnull=True)
            .filter(
                Q(state=SessionRecord.State.SIGNED) | Q(booking__status=Booking.Status.COMPLETED)
            )
            .update(
                checkin_sleep=sleep.strip()[:200],
                checkin_energy=energy.strip()[:200],
                checkin_reaction=reaction,
                checkin_reaction_notes=notes.strip(),
                checkin_answered_at=now,
                updated_at=now,
            )
        )
        if not answered:
            record.refresh_from_db()
            if record.checkin_answered_at is None:
                raise RecordRefused(
                    [_("Your practitioner has not finished the session notes yet.")]
                )
            raise RecordRefused([_("You have already answered this check-in.")])
        record.refresh_from_db()
        if reaction == SessionRecord.Reaction.STRONG:
            _alert_strong_reaction(record, now=now, email=alert)
    return record


def _alert_strong_reaction(record: SessionRecord, *, now: datetime, email: bool) -> None:
    """Email the practitioner (once: only the first check-in answer gets here) and send the
    client's next booking with them back for an answer."""
    booking = record.booking
    practitioner = booking.practitioner
    if email:
        with timezone.override(ZoneInfo(practitioner.user.timezone)):
            send_templated(
                "session_reaction",
                to=[practitioner.user.email],
                context={
                    "record": record,
                    "recipient": practitioner.user,
                    "site_url": settings.SITE_URL,
                },
            )
    rescore_upcoming(
        client=booking.client,
        practitioner=practitioner,
        cause=Booking.FlagsCause.REACTION,
        now=now,
    )


def record_follow_up(
    *, record: SessionRecord, note: str, at: datetime | None = None, now: datetime | None = None
) -> SessionRecord:
    """The practitioner records how they followed up a strong reaction (a note, and when, not
    in the future); the client's next booking with them no longer waits for it. An addendum
    alone does not count as a follow-up."""
    now = now or timezone.now()
    at = at or now
    if not note.strip():
        raise RecordRefused([_("Write a short note about your follow-up.")])
    if at > now:
        raise RecordRefused([_("The follow-up time cannot be in the future.")])
    with transaction.atomic():
        updated = SessionRecord.objects.filter(
            pk=record.pk,
            checkin_reaction=SessionRecord.Reaction.STRONG,
            followed_up_at__isnull=True,
        ).update(followed_up_at=at, follow_up_note=note.strip(), updated_at=now)
        if not updated:
            raise RecordRefused([_("There is no strong reaction waiting for a follow-up here.")])
        record.refresh_from_db()
        rescore_upcoming(
            client=record.booking.client,
            practitioner=record.booking.practitioner,
            cause=Booking.FlagsCause.FOLLOW_UP,
            now=now,
        )
    return record


def practitioner_todo(practitioner, now: datetime | None = None):
    """Records that need the practitioner: drafts older than 24 hours (but not those only the
    client's check-in started: unwritten_sessions lists them), and check-ins that report a
    strong reaction the practitioner has not yet followed up (record_follow_up; an addendum
    alone does not count)."""
    now = now or timezone.now()
    old_draft = Q(
        state=SessionRecord.State.DRAFT,
        started_by_checkin=False,
        created_at__lte=now - DRAFT_TODO_AFTER,
    )
    strong = Q(checkin_reaction=SessionRecord.Reaction.STRONG, followed_up_at__isnull=True)
    return (
        SessionRecord.objects.filter(booking__practitioner=practitioner)
        .filter(old_draft | strong)
        .select_related("booking__client")
        .order_by("created_at")
    )


def unwritten_sessions(practitioner, now: datetime | None = None):
    """The practitioner's sessions that still need a record: those without one, and those
    whose only record is the draft the client's check-in started (no notes of theirs yet)."""
    now = now or timezone.now()
    return Booking.objects.filter(
        Q(record__isnull=True)
        | Q(record__started_by_checkin=True, record__state=SessionRecord.State.DRAFT),
        practitioner=practitioner,
    ).recordable(now)
