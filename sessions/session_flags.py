"""The flags in force for one session: the answers of the client's latest health form, with
what they reported for that session merged over them (sessions.safety.for_session), scored by
sessions.safety for the session's own date, plus a strong reaction that waits for the
practitioner's follow-up. The write path (sessions.booking) stores the result on the booking
when it is made and whenever those answers change; every page reads `booking.flags`.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from practitioners.models import Practitioner
from sessions import safety
from sessions.models import Booking, IntakeForm, SessionRecord


def latest_intake(client: User) -> IntakeForm | None:
    """The client's latest signed intake version: the answers their bookings are scored on."""
    return client.intake_forms.order_by("-version").first()


def reaction_waits(
    *,
    client: User,
    practitioner: Practitioner,
    starts_at: datetime,
    now: datetime,
    exclude: Booking | None = None,
) -> bool:
    """Whether a session at `starts_at` is the client's next with `practitioner` while a
    strong reaction they reported after a session with them waits for a follow-up. (Records
    are read past the present-clients filter: the client being booked is not an erased one.)"""
    if starts_at <= now:
        return False
    if not SessionRecord.all_objects.filter(
        booking__client=client,
        booking__practitioner=practitioner,
        checkin_reaction=SessionRecord.Reaction.STRONG,
        followed_up_at__isnull=True,
    ).exists():
        return False
    earlier = Booking.objects.filter(
        client=client, practitioner=practitioner, starts_at__lt=starts_at
    ).upcoming(now)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    return not earlier.exists()


def flags_in_force(
    *,
    client: User,
    intake: IntakeForm,
    practitioner: Practitioner,
    starts_at: datetime,
    session_answers: dict,
    now: datetime | None = None,
    exclude: Booking | None = None,
) -> list[dict]:
    """The flags for `client`'s session with `practitioner` at `starts_at`: `intake`'s
    answers (signed on its date in the client's zone) with `session_answers` over them,
    scored for the session's date in the practitioner's zone. `exclude` is the booking
    being re-scored itself."""
    strong_reaction = reaction_waits(
        client=client,
        practitioner=practitioner,
        starts_at=starts_at,
        now=now or timezone.now(),
        exclude=exclude,
    )
    return _scored(client, intake, practitioner, starts_at, session_answers, strong_reaction)


def clearance_flags(
    *, client: User, intake: IntakeForm, practitioner: Practitioner, starts_at: datetime
) -> list[dict]:
    """The medical-clearance flags of flags_in_force for this session, which the client
    confirms before booking, with no query: neither a strong reaction waiting nor what the
    client says for this session alone can raise one (both raise talk-first flags only)."""
    flags = _scored(client, intake, practitioner, starts_at, {}, strong_reaction=False)
    return safety.of_tier(flags, safety.Tier.CLEARANCE)


def _scored(
    client: User,
    intake: IntakeForm,
    practitioner: Practitioner,
    starts_at: datetime,
    session_answers: dict,
    strong_reaction: bool,
) -> list[dict]:
    answers = safety.for_session(intake.answers, session_answers, strong_reaction=strong_reaction)
    return safety.flags_for(
        answers,
        signed_on=timezone.localdate(intake.signed_at, ZoneInfo(client.timezone)),
        on=timezone.localdate(starts_at, ZoneInfo(practitioner.timezone)),
    )


def booking_flags(booking: Booking, intake: IntakeForm, now: datetime | None = None) -> list[dict]:
    """The flags in force for `booking` (its client, practitioner, date and session answers
    loaded) against `intake`."""
    return flags_in_force(
        client=booking.client,
        intake=intake,
        practitioner=booking.practitioner,
        starts_at=booking.starts_at,
        session_answers=booking.session_answers,
        now=now,
        exclude=booking,
    )
