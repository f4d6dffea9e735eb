"""Session records: start, save (with the safety checks), sign, add addenda, and the 48-hour
check-in. Signed records are never changed: corrections are addenda."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from reflexbook.lib.mail import queue_email
from sessions.models import Booking, PointWorked, RecordAddendum, ReflexPoint, SessionRecord
from sessions.record_safety import area_conflicts, oil_conflicts

CHECKIN_AFTER = timedelta(hours=48)
DRAFT_TODO_AFTER = timedelta(hours=24)
AFTERCARE_TEMPLATE = (
    "Drink plenty of water today and rest if you can. Have a light meal, and go easy on "
    "caffeine and alcohol for the rest of the day; avoid hard exercise straight after the "
    "session.\n\n"
    "Some people feel tired, thirsty, emotional or a little unsettled afterwards; such "
    "reactions usually settle within about 48 hours. If anything worries you, contact me, "
    "and see your doctor if you feel unwell."
)


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
    now = now or timezone.now()
    return (
        booking.practitioner.user_id == user.pk
        and booking.starts_at <= now
        and booking.status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)
    )


def start_record(booking: Booking, *, changes_since_last: str = "") -> SessionRecord:
    """The booking's record, created as a draft with the aftercare template if new."""
    record, _ = SessionRecord.objects.get_or_create(
        booking=booking,
        defaults={
            "aftercare": AFTERCARE_TEMPLATE,
            "actual_minutes": booking.minutes,
            "changes_since_last": changes_since_last,
        },
    )
    return record


def safety_problems(
    *,
    booking: Booking,
    medium: str,
    medium_details: str,
    worked: list[Worked],
    oil_override_reason: str,
    area_override_reason: str,
) -> list[str]:
    """Why this record cannot be saved without an override (empty when it can)."""
    problems = []
    oils = oil_conflicts(flags=booking.flags, medium=medium, details=medium_details)
    if oils and not oil_override_reason.strip():
        problems.append(
            "This client's intake says No oils / unscented, and the record names "
            f"{', '.join(oils)}. Change the medium, or tick the override and give your reason."
        )
    areas = area_conflicts(
        flags=booking.flags, points=[(w.point.map, w.side, w.point.name) for w in worked]
    )
    if areas and not area_override_reason.strip():
        problems.append(
            f"These points are in an area to avoid: {'; '.join(areas)}. Remove them, or tick "
            "the override and give your reason."
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
            raise RecordRefused(["This record is signed and locked. Add an addendum instead."])
        problems = safety_problems(
            booking=locked.booking,
            medium=fields.get("medium", locked.medium),
            medium_details=fields.get("medium_details", locked.medium_details),
            worked=worked,
            oil_override_reason=oil_override_reason,
            area_override_reason=area_override_reason,
        )
        if problems:
            raise RecordRefused(problems)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.oil_override_reason = oil_override_reason.strip()
        locked.area_override_reason = area_override_reason.strip()
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


def sign_record(*, record: SessionRecord, now: datetime | None = None) -> SessionRecord:
    """Sign and lock a draft; the client can then read its summary and aftercare."""
    with transaction.atomic():
        updated = SessionRecord.objects.filter(
            pk=record.pk, state=SessionRecord.State.DRAFT
        ).update(state=SessionRecord.State.SIGNED, signed_at=now or timezone.now())
        if not updated:
            raise RecordRefused(["This record is already signed."])
    record.refresh_from_db()
    return record


def add_addendum(*, record: SessionRecord, author: User, text: str) -> RecordAddendum:
    if not record.is_signed:
        raise RecordRefused(["Drafts are edited directly; addenda are for signed records."])
    if not text.strip():
        raise RecordRefused(["Write the addendum's text."])
    return RecordAddendum.objects.create(record=record, author=author, text=text.strip())


def send_due_checkins(now: datetime | None = None) -> int:
    """Email the 48-hour check-in for signed records of completed sessions, once each:
    a conditional UPDATE claims the record, so overlapping runs cannot both send."""
    now = now or timezone.now()
    due = SessionRecord.objects.filter(
        state=SessionRecord.State.SIGNED,
        checkin_sent_at__isnull=True,
        booking__status=Booking.Status.COMPLETED,
        booking__ends_at__lte=now - CHECKIN_AFTER,
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
            text = render_to_string(
                "emails/session_checkin.txt",
                {"record": record, "client": client, "site_url": settings.SITE_URL},
            )
            subject, _, body = text.partition("\n")
            queue_email(to=[client.email], subject=subject.strip(), body=body.lstrip())
        sent += 1
    return sent


def answer_checkin(
    *,
    record: SessionRecord,
    sleep: str,
    energy: str,
    reaction: str,
    notes: str,
    now: datetime | None = None,
) -> SessionRecord:
    record.checkin_sleep = sleep.strip()
    record.checkin_energy = energy.strip()
    record.checkin_reaction = reaction
    record.checkin_reaction_notes = notes.strip()
    record.checkin_answered_at = now or timezone.now()
    record.save(
        update_fields=[
            "checkin_sleep",
            "checkin_energy",
            "checkin_reaction",
            "checkin_reaction_notes",
            "checkin_answered_at",
            "updated_at",
        ]
    )
    return record


def practitioner_todo(practitioner, now: datetime | None = None):
    """Records that need the practitioner: drafts older than 24 hours, and check-ins that
    report a strong reaction."""
    now = now or timezone.now()
    old_draft = Q(state=SessionRecord.State.DRAFT, created_at__lte=now - DRAFT_TODO_AFTER)
    strong = Q(checkin_reaction=SessionRecord.Reaction.STRONG)
    return (
        SessionRecord.objects.filter(booking__practitioner=practitioner)
        .filter(old_draft | strong)
        .select_related("booking__client")
        .order_by("created_at")
    )
