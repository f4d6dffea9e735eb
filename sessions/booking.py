"""The one write path for bookings: book, confirm, decline, cancel, reschedule, complete, and
re-scoring a client's upcoming bookings when their answers change (a new intake version, the
pre-session check, a reschedule, a strong reaction reported or followed up).

Each change runs in `atomic(durable=True)`, locks the practitioner row (PostgreSQL) or holds
SQLite's write lock (IMMEDIATE transactions), re-checks the calendar, writes, and queues the
emails; the transaction commits them with the change or not at all. On PostgreSQL an exclusion
constraint refuses overlapping active bookings outright (migration 0002), so a race that slips
past the re-check still cannot double-book: it surfaces as SlotTaken, never as a 500.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from practitioners.models import DateException, Practitioner, Service, ServiceLength, TimeOff
from practitioners.models.services import NO_HOME_ADDRESS
from reflexbook.lib.mail import CalendarFile, send_templated
from sessions import ics
from sessions.availability import free_slots_for
from sessions.intake import current_intake, record_check_in, sign_intake
from sessions.models import Booking, IntakeForm, Reminder, SafetyDecisionEntry, SlotHold
from sessions.models.intake import PreSessionCheck
from sessions.next_free import refresh_next_free_on_commit
from sessions.safety import SESSION_CHANGE_DETAILS, SESSION_CHANGES, Tier, codes, has_tier, of_tier
from sessions.session_flags import booking_flags, flags_in_force, latest_intake
from sessions.slots import on_grid

REMINDER_BEFORE = timedelta(hours=24)  # absolute hours: 24 h before, whatever the clock does
Status = Booking.Status


# The rule shown on the booking pages and given as the refusal: one sentence for both sides.
UNVERIFIED_CLIENT = (
    "The client has not confirmed their email address yet, so this booking stays a request: "
    "it can be confirmed once they open the link we emailed them."
)


class BookingRefused(Exception):
    """The change cannot be made; the message says why, in words for the person asking."""


class SlotTaken(BookingRefused):
    def __init__(self, message: str = "That time was just taken. Please choose another time."):
        super().__init__(message)


# Refusals about holds (sessions.models.SlotHold), one wording each for every page.
HELD_BY_SOMEONE = (
    "Someone else is booking that time right now, so it is held for them for a few minutes. "
    "Please choose another time."
)
HOLD_RAN_OUT_TAKEN = (
    "Your hold on this time ran out, and someone else has booked or chosen it since. "
    "Please choose another time."
)
HOLD_RAN_OUT_FREE = "Your hold on this time ran out, but the time is still free"


def cancellation_policy(practitioner: Practitioner) -> str:
    hours = practitioner.late_cancel_hours
    return (
        f"Please cancel or reschedule at least {hours} hours before your session. "
        f"A cancellation less than {hours} hours before the start is recorded as a late "
        "cancellation, and a missed session as a no-show. Cancelling because you are unwell "
        "is never counted as late."
    )


def _blocked_span(service: Service, minutes: int, starts_at: datetime) -> tuple[datetime, datetime]:
    """What a session at `starts_at` keeps busy, booked or held: from the travel to a home
    visit before it to the end of its buffer and the travel back."""
    travel = timedelta(minutes=service.travel_minutes)
    ends_at = starts_at + timedelta(minutes=minutes)
    return starts_at - travel, ends_at + timedelta(minutes=service.buffer_minutes) + travel


START_TIMES = {15: ":00, :15, :30 or :45", 30: "on the hour or half hour", 60: "on the hour"}


def _refuse_unless_free(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    now: datetime,
    ignore: Booking | None = None,
    mine: SlotHold | None = None,
) -> None:
    """Raise BookingRefused saying exactly why `starts_at` cannot be booked or held, if it
    can't; `mine` is the asking visitor's own hold (not busy for them)."""
    tz = ZoneInfo(practitioner.timezone)
    local = starts_at.astimezone(tz)
    if starts_at <= now:
        raise BookingRefused("That time has already passed. Choose a time in the future.")
    if starts_at < now + timedelta(hours=practitioner.min_notice_hours):
        raise BookingRefused(
            f"{practitioner.display_name} needs at least {practitioner.min_notice_hours} hours' "
            "notice. Choose a later time."
        )
    if starts_at > now + timedelta(days=practitioner.booking_horizon_days):
        raise BookingRefused(
            f"You can book up to {practitioner.booking_horizon_days} days ahead. Choose an earlier date."
        )
    interval = practitioner.start_interval_minutes
    if not on_grid(local.replace(tzinfo=None), timedelta(minutes=interval)):
        raise BookingRefused(
            f"Sessions with {practitioner.display_name} start every {interval} minutes "
            f"({START_TIMES[interval]}). Choose one of the times shown."
        )
    options = {
        "practitioner": practitioner,
        "service": service,
        "minutes": minutes,
        "first_day": local.date(),
        "last_day": local.date(),
        "now": now,
    }
    if starts_at in free_slots_for(**options, ignore=ignore, mine=mine):
        return
    if starts_at not in free_slots_for(**options, ignore_busy=True):
        if practitioner.date_exceptions.filter(
            date=local.date(), kind=DateException.Kind.CLOSED
        ).exists():
            raise BookingRefused(
                f"{practitioner.display_name} is closed on {local:%A} {local.day} {local:%B}. "
                "Choose another day."
            )
        raise BookingRefused(
            f"That time is outside {practitioner.display_name}'s working hours, or too close "
            "to their end for this length. Choose one of the times shown."
        )
    _refuse_if_busy(
        practitioner=practitioner,
        span=_blocked_span(service, minutes, starts_at),
        now=now,
        ignore=ignore,
        mine=mine,
    )
    raise SlotTaken()


# The practitioner's own words for the same refusals (moving a booking on the calendar).
YOU_ARE_AWAY = "You have time off at that time. Choose another time."
ANOTHER_BOOKING = (
    "Another booking (with its buffer or travel) overlaps that time. Choose another time."
)


def _refuse_if_busy(
    *,
    practitioner: Practitioner,
    span: tuple[datetime, datetime],
    now: datetime,
    ignore: Booking | None = None,
    mine: SlotHold | None = None,
    for_practitioner: bool = False,
) -> None:
    """Raise why the span (blocks_from, blocks_until) meets time off, another active
    booking or another visitor's live hold; return if it meets none."""
    blocked_from, blocked_until = span
    # Time off is not a race lost to another client: say so rather than "just taken".
    if TimeOff.objects.filter(
        practitioner=practitioner, starts_at__lt=blocked_until, ends_at__gt=blocked_from
    ).exists():
        raise BookingRefused(
            YOU_ARE_AWAY
            if for_practitioner
            else f"{practitioner.display_name} is away at that time. Choose one of the times shown."
        )
    if _booked(practitioner, blocked_from, blocked_until, ignore):
        raise SlotTaken(ANOTHER_BOOKING) if for_practitioner else SlotTaken()
    held = SlotHold.objects.live(now).filter(
        practitioner=practitioner, blocks_from__lt=blocked_until, blocks_until__gt=blocked_from
    )
    if mine is not None:
        held = held.exclude(pk=mine.pk)
    if held.exists():
        raise SlotTaken(HELD_BY_SOMEONE)


def _booked(practitioner, blocked_from: datetime, blocked_until: datetime, ignore) -> bool:
    """Whether an active booking meets [blocked_from, blocked_until) (besides `ignore`)."""
    bookings = practitioner.bookings.active().filter(
        blocks_from__lt=blocked_until, blocks_until__gt=blocked_from
    )
    return bookings.exclude(pk=ignore.pk).exists() if ignore else bookings.exists()


def _as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is a programming error, not user input."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Booking times must be aware datetimes.")
    return moment.astimezone(UTC)


def booking_refusal(practitioner: Practitioner, client: User) -> str:
    """Why this person cannot book this practitioner at all, or "" if they can. A practitioner
    not taking new clients still takes people who have booked them before (a declined request
    does not count); a visitor not logged in is taken for a new client."""
    if not client.is_authenticated:
        if practitioner.accepting_new_clients:
            return ""
        return (
            f"{practitioner.display_name} is not taking new clients at the moment. If you have "
            "had a session with them before, log in to book again; otherwise please choose "
            "another practitioner, or check again later."
        )
    if practitioner.user_id == client.pk:
        return "This is your own profile: you cannot book a session with yourself."
    if practitioner.accepting_new_clients:
        return ""
    if practitioner.bookings.filter(client=client).exclude(status=Status.DECLINED).exists():
        return ""
    return (
        f"{practitioner.display_name} is not taking new clients at the moment, so we cannot "
        "book a first session with them. Please choose another practitioner, or check again later."
    )


def _initial_status(practitioner: Practitioner, client: User, flags: list[dict]) -> str:
    if not client.email_verified:
        return Status.REQUESTED  # confirmed only once the client has confirmed their email
    if has_tier(flags, Tier.POSTPONE):
        return Status.REQUESTED  # the practitioner must talk to the client first
    if not practitioner.auto_confirm:
        return Status.REQUESTED
    if (
        practitioner.approve_first_time_clients
        and not practitioner.bookings.filter(client=client, status__in=Booking.RECORDABLE).exists()
    ):
        return Status.REQUESTED
    return Status.CONFIRMED


def _schedule_reminder(booking: Booking, now: datetime) -> None:
    """Keep the booking's one reminder row in step with its start, or drop it. A booking
    made less than 24 hours ahead gets no separate reminder."""
    due_at = booking.starts_at - REMINDER_BEFORE
    if not booking.is_active or due_at <= now:
        Reminder.objects.filter(booking=booking, state=Reminder.State.PENDING).delete()
        return
    Reminder.objects.update_or_create(
        booking=booking,
        kind=Reminder.Kind.DAY_BEFORE,
        defaults={
            "due_at": due_at,
            "state": Reminder.State.PENDING,
            "sent_at": None,
        },
    )


def notify(booking: Booking, event: str, recipients: list[User], **context) -> None:
    """Queue the `event` email to each recipient, with times in their own zone and the
    booking's calendar file (both rendered by the worker from the booking's id). Emails carry
    no health details."""
    for recipient in recipients:
        for_practitioner = recipient.pk == booking.practitioner.user_id
        with timezone.override(ZoneInfo(recipient.timezone)):
            send_templated(
                f"booking_{event}",
                to=[recipient.email],
                context={
                    "booking": booking,
                    "recipient": recipient,
                    "for_practitioner": for_practitioner,
                    "site_url": settings.SITE_URL,
                    **context,
                },
                ics=CalendarFile(
                    ics.booking_calendar,
                    {"booking": booking, "for_practitioner": for_practitioner},
                ),
                ics_method="REQUEST" if booking.is_active else "CANCEL",
            )


def _price(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _refuse_unless_current_intake(client: User, intake: IntakeForm | None, now: datetime) -> None:
    """The booking carries the intake in force: the client's own, latest, signed in the last
    12 months. A stale form (a newer version signed in another tab) could hide new flags."""
    if intake is None or intake.client_id != client.pk:
        raise BookingRefused("Fill in your own health intake before booking.")
    current = current_intake(client, now)
    if current is None:
        raise BookingRefused(
            "Your health intake is more than 12 months old. Review it before booking."
        )
    if current.pk != intake.pk:
        raise BookingRefused(
            "Your health intake changed while you were booking. Check the details and book again."
        )


def _minutes(minutes) -> int:
    try:
        return int(minutes)
    except (TypeError, ValueError):
        raise BookingRefused("That length is not offered. Choose one from the list.") from None


def _offered_length(practitioner: Practitioner, service: Service, minutes: int) -> ServiceLength:
    """The active length `minutes` of `service`, one of `practitioner`'s, or BookingRefused."""
    length = (
        ServiceLength.objects.select_related("service")
        .filter(
            service=service,
            service__practitioner=practitioner,
            service__is_active=True,
            minutes=minutes,
        )
        .first()
    )
    if length is None:
        raise BookingRefused("That service or length is not offered. Choose one from the list.")
    return length


def hold_slot(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    holder_key: str,
    user: User | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Hold `starts_at` for one visitor (`holder_key` from their session, `user` once logged
    in) for settings.SLOT_HOLD_MINUTES, or raise BookingRefused / SlotTaken. The visitor's
    earlier holds are let go: one visitor holds one time. Like book_session it locks the
    practitioner row, so a hold never lands on a booking nor a booking on another's hold; on
    PostgreSQL an exclusion constraint keeps two holds apart (migrations 0016, 0018)."""
    now = now or timezone.now()
    starts_at = _as_utc(starts_at)
    minutes = _minutes(minutes)
    if user is not None and not user.is_authenticated:
        user = None
    try:
        with transaction.atomic(durable=True):
            locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
            if user is not None and (refusal := booking_refusal(locked, user)):
                raise BookingRefused(refusal)
            length = _offered_length(locked, service, minutes)
            SlotHold.objects.of_holder(key=holder_key, user=user).delete()
            # The exclusion constraint cannot see expiry, so lapsed rows go before a new one.
            SlotHold.objects.filter(practitioner=locked).lapsed(now).delete()
            _refuse_unless_free(
                practitioner=locked,
                service=length.service,
                minutes=minutes,
                starts_at=starts_at,
                now=now,
            )
            blocks_from, blocks_until = _blocked_span(length.service, minutes, starts_at)
            hold = SlotHold(
                practitioner=locked,
                length=length,
                starts_at=starts_at,
                blocks_from=blocks_from,
                blocks_until=blocks_until,
                expires_at=now + timedelta(minutes=settings.SLOT_HOLD_MINUTES),
                holder_key=holder_key,
                user=user,
            )
            hold.full_clean(validate_constraints=False)
            hold.save()
    except IntegrityError:
        # PostgreSQL's exclusion constraint caught a hold taken at the same moment.
        raise SlotTaken(HELD_BY_SOMEONE) from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return hold


def book_session(
    *,
    client: User,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    intake: IntakeForm,
    price_seen: Decimal | None = None,
    client_message: str = "",
    clearance_confirmed: bool = False,
    session_answers: dict | None = None,
    home_address: str = "",
    home_postcode: str = "",
    hold: SlotHold | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book `starts_at` for `client`, or raise BookingRefused / SlotTaken. The booking's flags
    are those in force for its date (sessions.session_flags), with `session_answers` (what
    the client said for this session alone, such as "unwell right now") over the intake's.
    A home visit needs the client's `home_address` and a `home_postcode` it covers; other
    services ignore them.
    Other visitors' live holds are busy; `hold`, the client's own hold on this time, becomes
    the booking and is deleted (if it ran out and the time was taken meanwhile, the refusal
    says so)."""
    now = now or timezone.now()
    starts_at = _as_utc(starts_at)
    minutes = _minutes(minutes)
    try:
        with transaction.atomic(durable=True):
            locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
            refusal = booking_refusal(locked, client)
            if refusal:
                raise BookingRefused(refusal)
            length = _offered_length(locked, service, minutes)
            if price_seen is not None and _price(price_seen) != length.price:
                raise BookingRefused(
                    f"The price of this session is now ${length.price}. Check it and book again."
                )
            _refuse_unless_current_intake(client, intake, now)
            client_address = ""
            if length.service.is_home_visit:
                _refuse(length.service.visit_refusal(home_postcode))
                if not home_address.strip():
                    raise BookingRefused(NO_HOME_ADDRESS)
                client_address = f"{home_address.strip()}, {home_postcode.strip()}"
            session_answers = dict(session_answers or {})
            flags = flags_in_force(
                client=client,
                intake=intake,
                practitioner=locked,
                starts_at=starts_at,
                session_answers=session_answers,
                now=now,
            )
            if has_tier(flags, Tier.CLEARANCE) and not clearance_confirmed:
                raise BookingRefused(
                    "Please confirm you have talked to your doctor or midwife about the points "
                    "marked as needing medical clearance."
                )
            limit = locked.max_active_bookings_per_client
            if limit and locked.bookings.filter(client=client).upcoming(now).count() >= limit:
                raise BookingRefused(
                    f"{locked.display_name} takes at most {limit} upcoming booking"
                    f"{'s' if limit > 1 else ''} per client. Book again after your next session."
                )
            mine = None
            if hold is not None:
                mine = SlotHold.objects.live(now).filter(pk=hold.pk, practitioner=locked).first()
            try:
                _refuse_unless_free(
                    practitioner=locked,
                    service=length.service,
                    minutes=minutes,
                    starts_at=starts_at,
                    now=now,
                    mine=mine,
                )
            except SlotTaken:
                if hold is not None and mine is None:
                    raise SlotTaken(HOLD_RAN_OUT_TAKEN) from None
                raise
            # The hold becomes the booking; any other the client still has goes too.
            SlotHold.objects.filter(Q(user=client) | Q(pk=getattr(hold, "pk", None))).delete()
            blocks_from, blocks_until = _blocked_span(length.service, minutes, starts_at)
            booking = Booking(
                client=client,
                practitioner=locked,
                service=length.service,
                minutes=minutes,
                price=length.price,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                blocks_from=blocks_from,
                blocks_until=blocks_until,
                status=_initial_status(locked, client, flags),
                client_message=client_message.strip(),
                client_address=client_address,
                policy_text=cancellation_policy(locked),
                intake=intake,
                flags=flags,
                session_answers=session_answers,
                clearance_confirmed_at=now if clearance_confirmed else None,
            )
            # `flags` is usually [] which full_clean calls blank (the field lacks blank=True).
            booking.full_clean(validate_constraints=False)
            booking.save()
            _schedule_reminder(booking, now)
            refresh_next_free_on_commit(locked.pk)
            event = "confirmed" if booking.status == Status.CONFIRMED else "requested"
            notify(booking, event, [client, locked.user])
    except IntegrityError:
        # The database's own overlap rule caught a race the re-check could not see.
        raise SlotTaken() from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return booking


def _lock(booking: Booking) -> Booking:
    """Lock and re-read a booking inside the current transaction."""
    Practitioner.objects.select_for_update().filter(pk=booking.practitioner_id).first()
    return (
        Booking.objects.select_for_update()
        .select_related("client", "practitioner__user", "service")
        .get(pk=booking.pk)
    )


def _refuse(refusal: str) -> None:
    """Raise a Booking rule's refusal (Booking.*_refusal), if it gave one."""
    if refusal:
        raise BookingRefused(refusal)


def _change(booking: Booking, *, allowed_from: tuple[str, ...], refusal: str) -> Booking:
    """Lock and re-read a booking inside the current transaction; refuse if its status moved."""
    locked = _lock(booking)
    if locked.status not in allowed_from:
        raise BookingRefused(refusal.format(status=locked.get_status_display().lower()))
    return locked


def confirm_booking(*, booking: Booking, now: datetime | None = None) -> Booking:
    """The practitioner confirms a request (after a 'proceed' decision, if flags ask for one)."""
    with transaction.atomic(durable=True):
        locked = _change(
            booking,
            allowed_from=(Status.REQUESTED,),
            refusal="This booking is {status}, so it cannot be confirmed.",
        )
        if not locked.client.email_verified:
            raise BookingRefused(UNVERIFIED_CLIENT)
        if (
            locked.needs_safety_decision
            and locked.safety_decision != Booking.SafetyDecision.PROCEED
        ):
            raise BookingRefused(
                "Record your decision on the safety flags (proceed or postpone) first."
            )
        # Requested bookings already hold their time, so this only matters where no exclusion
        # constraint guards the table (SQLite): never confirm over another confirmed booking.
        if (
            Booking.objects.filter(
                practitioner_id=locked.practitioner_id,
                status=Status.CONFIRMED,
                blocks_from__lt=locked.blocks_until,
                blocks_until__gt=locked.blocks_from,
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise SlotTaken(
                "Another confirmed booking overlaps this one, so it cannot be confirmed."
            )
        locked.status = Status.CONFIRMED
        locked.sequence += 1
        locked.save()
        notify(locked, "confirmed", [locked.client])
    return locked


def record_safety_decision(
    *, booking: Booking, decision: str, note: str, now: datetime | None = None
) -> Booking:
    """The practitioner's decision on postpone-tier flags, with a note. Postponing declines
    the request and tells the client, in its own email, that the practitioner will be in
    touch (not "choose another time")."""
    if decision not in Booking.SafetyDecision.values:
        raise BookingRefused("Choose whether to proceed or postpone.")
    if not note.strip():
        raise BookingRefused("Write a short note about your decision.")
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = _change(
            booking,
            allowed_from=(Status.REQUESTED,),
            refusal="This booking is {status}; the decision can no longer change it.",
        )
        locked.safety_decision = decision
        locked.safety_note = note.strip()
        # Every decision is kept: a re-scoring may ask for a new one, which must not erase it.
        SafetyDecisionEntry.objects.create(
            booking=locked,
            decision=decision,
            note=locked.safety_note,
            decided_at=now,
            by=locked.practitioner.user,
        )
        if decision == Booking.SafetyDecision.POSTPONE:
            locked.status = Status.DECLINED
            # The decline reason is emailed; the note (which may name a condition) is not.
            locked.decline_reason = (
                f"{locked.practitioner.display_name} would like to talk with you before "
                "booking this session, and will be in touch."
            )
            locked.sequence += 1
        locked.save()
        _schedule_reminder(locked, now)
        refresh_next_free_on_commit(locked.practitioner_id)
        if decision == Booking.SafetyDecision.POSTPONE:
            notify(locked, "postponed", [locked.client])
    return locked


def decline_booking(*, booking: Booking, reason: str, now: datetime | None = None) -> Booking:
    if not reason.strip():
        raise BookingRefused("Give the client a reason for declining.")
    with transaction.atomic(durable=True):
        locked = _change(
            booking,
            allowed_from=(Status.REQUESTED,),
            refusal="This booking is {status}, so it cannot be declined.",
        )
        locked.status = Status.DECLINED
        locked.decline_reason = reason.strip()
        locked.sequence += 1
        locked.save()
        _schedule_reminder(locked, now or timezone.now())
        refresh_next_free_on_commit(locked.practitioner_id)
        notify(locked, "declined", [locked.client])
    return locked


def cancel_booking(
    *,
    booking: Booking,
    by: User,
    reason: str,
    for_illness: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Cancel by the client (late if inside the window, unless they cancel `for_illness`,
    which is never late) or by the practitioner (reason needed)."""
    now = now or timezone.now()
    by_practitioner = by.pk == booking.practitioner.user_id
    if by_practitioner and not reason.strip():
        raise BookingRefused("Give the client a reason for cancelling.")
    with transaction.atomic(durable=True):
        locked = _lock(booking)
        _refuse(locked.cancel_refusal(by, now))
        locked.status = (
            Status.CANCELLED_BY_PRACTITIONER if by_practitioner else Status.CANCELLED_BY_CLIENT
        )
        locked.cancelled_for_illness = for_illness and not by_practitioner
        locked.is_late_cancellation = (
            not by_practitioner
            and not locked.cancelled_for_illness
            and locked.is_late_cancellation_at(now)
        )
        locked.cancellation_reason = reason.strip()
        locked.cancelled_at = now
        locked.sequence += 1
        locked.save()
        _schedule_reminder(locked, now)
        refresh_next_free_on_commit(locked.practitioner_id)
        other = locked.client if by_practitioner else locked.practitioner.user
        notify(locked, "cancelled", [other, by])
    return locked


def reschedule_booking(
    *,
    booking: Booking,
    new_starts_at: datetime,
    by_practitioner: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Move a booking to another free time. One UPDATE moves it, so the old time is released
    only when the new one is secured. The client is bound by the practitioner's limits
    (reschedule_refusal) and by the times offered to them; the practitioner moving it on the
    client's behalf (`by_practitioner`, with a `reason` emailed to the client) only by
    move_refusal, the past, time off, other bookings and live holds, and the move does not
    count against the client's reschedules."""
    now = now or timezone.now()
    new_starts_at = _as_utc(new_starts_at)
    reason = reason.strip()
    if by_practitioner and not reason:
        raise BookingRefused("Give the client a reason for moving their session.")
    try:
        with transaction.atomic(durable=True):
            locked = _lock(booking)
            _refuse(locked.move_refusal(now) if by_practitioner else locked.reschedule_refusal(now))
            if new_starts_at == locked.starts_at:
                raise BookingRefused(
                    "That is the session's current time. Choose a different time to move to."
                )
            if by_practitioner:
                if new_starts_at <= now:
                    raise BookingRefused(
                        "That time has already passed. Choose a time in the future."
                    )
                _refuse_if_busy(
                    practitioner=locked.practitioner,
                    span=_blocked_span(locked.service, locked.minutes, new_starts_at),
                    now=now,
                    ignore=locked,
                    for_practitioner=True,
                )
            else:
                _refuse_unless_free(
                    practitioner=locked.practitioner,
                    service=locked.service,
                    minutes=locked.minutes,
                    starts_at=new_starts_at,
                    now=now,
                    ignore=locked,
                )
            old_starts_at = locked.starts_at
            travel, buffer = (
                locked.starts_at - locked.blocks_from,
                locked.blocks_until - locked.ends_at,
            )
            locked.starts_at = new_starts_at
            locked.ends_at = new_starts_at + timedelta(minutes=locked.minutes)
            locked.blocks_from = new_starts_at - travel
            locked.blocks_until = locked.ends_at + buffer
            if not by_practitioner:
                locked.reschedule_count += 1
            locked.sequence += 1
            locked.save()
            _schedule_reminder(locked, now)
            refresh_next_free_on_commit(locked.practitioner_id)
            notify(
                locked,
                "rescheduled",
                [locked.client, locked.practitioner.user],
                old_starts_at=old_starts_at,
                reason=reason,
            )
            # The new date may change the flags (weeks of pregnancy, which booking is next).
            _rescore_upcoming(locked.client, cause=Booking.FlagsCause.RESCHEDULE, now=now)
            locked.refresh_from_db()
    except IntegrityError:
        raise SlotTaken() from None
    return locked


def finish_booking(*, booking: Booking, status: str, now: datetime | None = None) -> Booking:
    """Mark a session completed or a no-show, once its start time has passed."""
    now = now or timezone.now()
    if status not in (Status.COMPLETED, Status.NO_SHOW):
        raise BookingRefused("A session can only be marked completed or a no-show.")
    with transaction.atomic(durable=True):
        locked = _lock(booking)
        _refuse(locked.finish_refusal(now))
        locked.status = status
        locked.save()
    return locked


# --- flags that follow the client ---------------------------------------------------------


def new_talk_first(old_flags: list[dict], new_flags: list[dict]) -> set[str]:
    """The codes of talk-first flags in `new_flags` that `old_flags` did not have: what sends
    a booking back to the practitioner."""
    return codes(of_tier(new_flags, Tier.POSTPONE)) - codes(old_flags)


class Rescored(NamedTuple):
    """What a re-scoring changed, for the client's page: the bookings a new talk-first flag
    sent back to the practitioner, and those a new clearance flag asks them to confirm again."""

    sent_back: list[Booking]
    confirm_again: list[Booking]


def _rescore(locked: Booking, *, intake: IntakeForm, cause: str, now: datetime) -> Rescored:
    """Replace a locked upcoming booking's flags with those in force now (pinning `intake`,
    the client's latest). A new talk-first flag clears any decision, puts a confirmed booking
    back to a request and emails the practitioner "a change to review" (no health detail;
    after a strong reaction, its own email has told them already); a new clearance flag asks
    the client, by email (no health detail), to confirm again on the booking page."""
    old = codes(locked.flags)
    flags = booking_flags(locked, intake, now)
    new_postpone = new_talk_first(locked.flags, flags)
    new_clearance = codes(of_tier(flags, Tier.CLEARANCE)) - old
    locked.flags = flags
    locked.intake = intake
    if codes(flags) != old:
        locked.flags_changed_at = now
        locked.flags_change_cause = cause
    if new_clearance:
        locked.clearance_confirmed_at = None
    if new_postpone:
        locked.safety_decision = ""
        if locked.status == Status.CONFIRMED:
            locked.status = Status.REQUESTED
            locked.sequence += 1
    locked.save()
    # A strong reaction has its own email (sessions.records), which says the next booking
    # waits: one event, one email.
    if new_postpone and cause != Booking.FlagsCause.REACTION:
        notify(locked, "flags_changed", [locked.practitioner.user])
    if new_clearance:
        notify(locked, "confirm_again", [locked.client])
    return Rescored(
        sent_back=[locked] if new_postpone else [],
        confirm_again=[locked] if new_clearance else [],
    )


def _rescore_upcoming(
    client: User, *, cause: str, now: datetime, practitioner: Practitioner | None = None
) -> Rescored:
    """Re-score every upcoming booking of `client` (with `practitioner` only, when given) in
    the current transaction, each locked as the other changes lock it: what changed."""
    intake = latest_intake(client)
    upcoming = Booking.objects.filter(client=client).upcoming(now)
    if practitioner is not None:
        upcoming = upcoming.filter(practitioner=practitioner)
    rescored = Rescored(sent_back=[], confirm_again=[])
    if intake is None:
        return rescored
    # Practitioner rows in one order, so two re-scorings cannot lock each other out.
    for booking in upcoming.only("pk", "practitioner_id").order_by("practitioner_id", "pk"):
        changed = _rescore(_lock(booking), intake=intake, cause=cause, now=now)
        rescored.sent_back.extend(changed.sent_back)
        rescored.confirm_again.extend(changed.confirm_again)
    return rescored


def rescore_upcoming(
    *,
    client: User,
    cause: str,
    practitioner: Practitioner | None = None,
    now: datetime | None = None,
) -> Rescored:
    """Re-score `client`'s upcoming bookings (with `practitioner` only, when given) against
    their latest answers, each at its own date: what changed (Rescored). Joins the caller's
    transaction when there is one."""
    with transaction.atomic():
        return _rescore_upcoming(
            client, cause=cause, now=now or timezone.now(), practitioner=practitioner
        )


def sign_intake_and_rescore(
    *, client: User, now: datetime | None = None, **signing
) -> tuple[IntakeForm, Rescored]:
    """Sign the client's next intake version (sessions.intake.sign_intake, with `signing`)
    and re-score their upcoming bookings against it, in one transaction: the new version and
    what the re-scoring changed (Rescored)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        signed = sign_intake(client=client, now=now, **signing)
        rescored = _rescore_upcoming(client, cause=Booking.FlagsCause.INTAKE, now=now)
    return signed, rescored


def answer_pre_session_check(
    *,
    booking: Booking,
    changed: bool,
    changes: list[str],
    details: str,
    now: datetime | None = None,
) -> tuple[PreSessionCheck, Rescored]:
    """Store the client's answer to "anything changed?" for an upcoming booking and re-score
    their upcoming bookings. The ticked changes add to those reported before for the booking
    (a later "no change" clears nothing); the details alone raise or clear nothing."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = _lock(booking)
        if not locked.is_upcoming(now):
            raise BookingRefused(
                "This session is not upcoming any more, so the check-in is closed."
            )
        check = record_check_in(
            booking=locked, changed=changed, changes=changes, details=details, now=now
        )
        answers = dict(locked.session_answers)
        reported = set(answers.get(SESSION_CHANGES) or [])
        if changed:
            reported |= set(changes)
            answers[SESSION_CHANGE_DETAILS] = check.details
        answers[SESSION_CHANGES] = sorted(reported)
        locked.session_answers = answers
        locked.save(update_fields=["session_answers", "updated_at"])
        rescored = _rescore_upcoming(locked.client, cause=Booking.FlagsCause.CHECK, now=now)
    return check, rescored


def confirm_clearance(*, booking: Booking, now: datetime | None = None) -> Booking:
    """The client confirms again that they have talked to their doctor or midwife about the
    clearance flags of an upcoming booking (after a new one arrived)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = _lock(booking)
        if not locked.is_upcoming(now):
            raise BookingRefused("This session is not upcoming, so there is nothing to confirm.")
        if not has_tier(locked.flags, Tier.CLEARANCE):
            raise BookingRefused("This booking has no points that need medical clearance.")
        locked.clearance_confirmed_at = now
        locked.save(update_fields=["clearance_confirmed_at", "updated_at"])
    return locked
