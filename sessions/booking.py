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
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from accounts import activity
from accounts.invitation import create_invited_user
from accounts.models import User
from practitioners.freed_time import record_freed_time
from practitioners.models import (
    DateException,
    FreedTime,
    PracticeBilling,
    Practitioner,
    Service,
    ServiceLength,
    TimeOff,
)
from practitioners.models.services import NO_HOME_ADDRESS
from practitioners.review import practitioner_subject
from reflexbook.lib.mail import enqueue_on_commit, reference, send_templated
from reflexbook.lib.prepared import PreparedQuery
from sessions import billing as billing_service
from sessions import package_credits
from sessions.availability import free_slots_for, in_working_hours
from sessions.booking_emails import send_booking_emails
from sessions.intake import (
    current_intake,
    latest_version,
    needs_review,
    record_check_in,
    sign_intake,
    signed_too_long_ago,
)
from sessions.invitations import send_invitation
from sessions.models import (
    Booking,
    BookingSeries,
    IntakeForm,
    Reminder,
    SafetyDecisionEntry,
    SlotHold,
)
from sessions.models.intake import PreSessionCheck
from sessions.next_free import refresh_after_booking_on_commit, refresh_next_free_on_commit
from sessions.safety import SESSION_CHANGE_DETAILS, SESSION_CHANGES, Tier, codes, has_tier, of_tier
from sessions.session_flags import booking_flags, flags_in_force, latest_intake
from sessions.slots import on_grid

REMINDER_BEFORE = timedelta(hours=24)  # absolute hours: 24 h before, whatever the clock does
# A new booking's related rows, which the booking writes have in hand (read or written under
# their lock: the series, the practitioner's user who booked on the client's behalf).
ROWS_READ_UNDER_LOCK = ["client", "practitioner", "service", "intake", "series", "booked_by"]
Status = Booking.Status


# The refusals below are named once (the pages and the tests use them) and marked with
# gettext_noop: each is translated where it is raised or shown, in the language of the day.

# The rule shown on the booking pages and given as the refusal: one sentence for both sides.
UNVERIFIED_CLIENT = gettext_noop(
    "The client has not confirmed their email address yet, so this booking stays a request: "
    "it can be confirmed once they open the link we emailed them."
)


class BookingRefused(Exception):
    """The change cannot be made; the message says why, in words for the person asking."""


class SlotTaken(BookingRefused):
    def __init__(self, message: str = ""):
        super().__init__(message or _("That time was just taken. Please choose another time."))


# Refusals about holds (sessions.models.SlotHold), one wording each for every page.
HELD_BY_SOMEONE = gettext_noop(
    "Someone else is booking that time right now, so it is held for them for a few minutes. "
    "Please choose another time."
)
HOLD_RAN_OUT_TAKEN = gettext_noop(
    "Your hold on this time ran out, and someone else has booked or chosen it since. "
    "Please choose another time."
)
# The start of the review page's note, which views.booking._hold says (and translates) as one
# whole sentence.
HOLD_RAN_OUT_FREE = "Your hold on this time ran out, but the time is still free"


def cancellation_policy(practitioner: Practitioner) -> str:
    """The policy the client accepts when booking, with the practitioner's fees as they stand
    (their PracticeBilling row, if they have one: one query unless select_related)."""
    billing = practice_billing(practitioner)
    hours = practitioner.late_cancel_hours
    fees = billing_service.fee_policy(billing) if billing is not None else ""
    policy = _(
        "Please cancel or reschedule at least %(hours)s hours before your session. "
        "A cancellation less than %(hours)s hours before the start is recorded as a late "
        "cancellation, and a missed session as a no-show. Cancelling because you are unwell "
        "is never counted as late."
    ) % {"hours": hours}
    return f"{policy} {fees}" if fees else policy


def practice_billing(practitioner: Practitioner) -> PracticeBilling | None:
    """The practitioner's money settings row, or None before they set any (Django caches the
    answer on the practitioner, a missing row too)."""
    return getattr(practitioner, "billing", None)


def _blocked_span(service: Service, minutes: int, starts_at: datetime) -> tuple[datetime, datetime]:
    """What a session at `starts_at` keeps busy, booked or held: from the travel to a home
    visit before it to the end of its buffer and the travel back."""
    travel = timedelta(minutes=service.travel_minutes)
    ends_at = starts_at + timedelta(minutes=minutes)
    return starts_at - travel, ends_at + timedelta(minutes=service.buffer_minutes) + travel


START_TIMES = {
    15: gettext_lazy(":00, :15, :30 or :45"),
    30: gettext_lazy("on the hour or half hour"),
    60: gettext_lazy("on the hour"),
}
PASSED = gettext_noop("That time has already passed. Choose a time in the future.")


class OutsideWorkingHours(BookingRefused):
    """The practitioner chose a time outside their working hours without saying they mean it."""

    def __init__(self):
        super().__init__(
            _(
                "That time is outside your working hours. If you mean to see the client then, "
                "tick “Outside my hours” and book again."
            )
        )


def _refuse_if_closed(practitioner: Practitioner, local: datetime) -> None:
    """Raise BookingRefused if a date exception closes the practitioner's day `local`."""
    if practitioner.date_exceptions.filter(
        date=local.date(), kind=DateException.Kind.CLOSED
    ).exists():
        raise BookingRefused(
            _("%(name)s is closed on %(day)s. Choose another day.")
            % {"name": practitioner.display_name, "day": date_format(local, _("l j F"))}
        )


def _refuse_unless_free(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    now: datetime,
    ignore: Booking | None = None,
    mine: SlotHold | None = None,
    as_practitioner: bool = False,
) -> None:
    """Raise BookingRefused saying exactly why `starts_at` cannot be booked or held, if it
    can't; `mine` is the asking visitor's own hold (not busy for them). `as_practitioner`:
    the practitioner books their own calendar, so the notice and horizon they ask of clients
    do not apply (availability.free_slots_for)."""
    tz = ZoneInfo(practitioner.timezone)
    local = starts_at.astimezone(tz)
    if starts_at <= now:
        raise BookingRefused(_(PASSED))
    if not as_practitioner and starts_at < now + timedelta(hours=practitioner.min_notice_hours):
        raise BookingRefused(
            _("%(name)s needs at least %(hours)s hours' notice. Choose a later time.")
            % {"name": practitioner.display_name, "hours": practitioner.min_notice_hours}
        )
    if not as_practitioner and starts_at > now + timedelta(days=practitioner.booking_horizon_days):
        raise BookingRefused(
            _("You can book up to %(days)s days ahead. Choose an earlier date.")
            % {"days": practitioner.booking_horizon_days}
        )
    interval = practitioner.start_interval_minutes
    if not on_grid(local.replace(tzinfo=None), timedelta(minutes=interval)):
        raise BookingRefused(
            _(
                "Sessions with %(name)s start every %(interval)s minutes (%(times)s). Choose "
                "one of the times shown."
            )
            % {
                "name": practitioner.display_name,
                "interval": interval,
                "times": START_TIMES[interval],
            }
        )
    options = {
        "practitioner": practitioner,
        "service": service,
        "minutes": minutes,
        "first_day": local.date(),
        "last_day": local.date(),
        "now": now,
        "as_practitioner": as_practitioner,
    }
    if starts_at in free_slots_for(**options, ignore=ignore, mine=mine):
        return
    if starts_at not in free_slots_for(**options, ignore_busy=True):
        _refuse_if_closed(practitioner, local)
        raise BookingRefused(
            _(
                "That time is outside %(name)s's working hours, or too close to their end for "
                "this length. Choose one of the times shown."
            )
            % {"name": practitioner.display_name}
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
YOU_ARE_AWAY = gettext_noop("You have time off at that time. Choose another time.")
BUSY_IN_YOUR_CALENDAR = gettext_noop(
    "Your own calendar (imported under Busy times from your calendars) shows you busy then. "
    "Choose another time."
)
ANOTHER_BOOKING = gettext_noop(
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
    """Raise why the span (blocks_from, blocks_until) meets time off, a busy time imported
    from the practitioner's own calendar, another active booking or another visitor's live
    hold; return if it meets none."""
    blocked_from, blocked_until = span
    # Time off is not a race lost to another client: say so rather than "just taken".
    if TimeOff.objects.filter(
        practitioner=practitioner, starts_at__lt=blocked_until, ends_at__gt=blocked_from
    ).exists():
        raise BookingRefused(
            _(YOU_ARE_AWAY)
            if for_practitioner
            else _("%(name)s is away at that time. Choose one of the times shown.")
            % {"name": practitioner.display_name}
        )
    # Busy in the practitioner's own calendar (practitioners.busy_import): not a race either.
    if practitioner.busy_intervals.filter(
        starts_at__lt=blocked_until, ends_at__gt=blocked_from
    ).exists():
        raise BookingRefused(
            _(BUSY_IN_YOUR_CALENDAR)
            if for_practitioner
            else _("The practitioner is not available then. Choose one of the times shown.")
        )
    if _booked(practitioner, blocked_from, blocked_until, ignore):
        raise SlotTaken(_(ANOTHER_BOOKING)) if for_practitioner else SlotTaken()
    held = SlotHold.objects.live(now).filter(
        practitioner=practitioner, blocks_from__lt=blocked_until, blocks_until__gt=blocked_from
    )
    if mine is not None:
        held = held.exclude(pk=mine.pk)
    if held.exists():
        raise SlotTaken(_(HELD_BY_SOMEONE))


def _refuse_unless_free_for_practitioner(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    now: datetime,
    outside_hours: bool,
    ignore: Booking | None = None,
    span: tuple[datetime, datetime] | None = None,
) -> None:
    """Raise BookingRefused saying why the practitioner cannot book (or move `ignore` to)
    `starts_at` themselves: never in the past, on a closed day, or over busy time
    (_refuse_if_busy over `span`, by default the service's blocked span); outside their
    working hours only when `outside_hours` says they mean it (else OutsideWorkingHours).
    The rules for clients booking online (notice, horizon, start grid) are theirs to waive."""
    if starts_at <= now:
        raise BookingRefused(_(PASSED))
    _refuse_if_closed(practitioner, starts_at.astimezone(ZoneInfo(practitioner.timezone)))
    _refuse_if_busy(
        practitioner=practitioner,
        span=span or _blocked_span(service, minutes, starts_at),
        now=now,
        ignore=ignore,
        for_practitioner=True,
    )
    if not outside_hours and not in_working_hours(
        practitioner=practitioner, starts_at=starts_at, minutes=minutes
    ):
        raise OutsideWorkingHours()


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


def clients_of(practitioner: Practitioner):
    """Everyone who has booked `practitioner` (a declined request does not count), whoever
    made the booking: the people they may book for, and who may book them when they take no
    new clients."""
    return User.objects.filter(
        pk__in=practitioner.bookings.exclude(status=Status.DECLINED).values("client_id")
    )


def booking_refusal(practitioner: Practitioner, client: User) -> str:
    """Why this person cannot book this practitioner at all, or "" if they can. A practitioner
    not taking new clients still takes people who have booked them before (a declined request
    does not count); a visitor not logged in is taken for a new client."""
    if not client.is_authenticated:
        if practitioner.accepting_new_clients:
            return ""
        return _(
            "%(name)s is not taking new clients at the moment. If you have had a session with "
            "them before, log in to book again; otherwise please choose another practitioner, "
            "or check again later."
        ) % {"name": practitioner.display_name}
    if practitioner.user_id == client.pk:
        return _("This is your own profile: you cannot book a session with yourself.")
    if practitioner.accepting_new_clients:
        return ""
    if clients_of(practitioner).filter(pk=client.pk).exists():
        return ""
    return _(
        "%(name)s is not taking new clients at the moment, so we cannot book a first session "
        "with them. Please choose another practitioner, or check again later."
    ) % {"name": practitioner.display_name}


def _initial_status(
    practitioner: Practitioner, client: User, flags: list[dict], *, by_practitioner: bool = False
) -> str:
    if has_tier(flags, Tier.POSTPONE):
        return Status.REQUESTED  # the practitioner must talk to the client first
    if by_practitioner:
        return Status.CONFIRMED  # they chose the client and the time themselves
    if not client.email_verified:
        return Status.REQUESTED  # confirmed only once the client has confirmed their email
    if not practitioner.auto_confirm:
        return Status.REQUESTED
    if (
        practitioner.approve_first_time_clients
        and not practitioner.bookings.filter(client=client, status__in=Booking.RECORDABLE).exists()
    ):
        return Status.REQUESTED
    return Status.CONFIRMED


def _schedule_reminder(booking: Booking, now: datetime, *, new: bool = False) -> None:
    """Keep the booking's one reminder row in step with its start, or drop it. A booking
    made (or moved) less than 24 hours ahead is reminded at once: the next sweep, within a
    minute, sends it, so a client booking for tomorrow still gets the day-before email with
    the details. A `new` booking has no row yet, so it is one INSERT with no lookup."""
    due_at = max(booking.starts_at - REMINDER_BEFORE, now)
    if not booking.is_active or booking.starts_at <= now:
        if not new:
            Reminder.objects.filter(booking=booking, state=Reminder.State.PENDING).delete()
        return
    if new:
        Reminder.objects.create(booking=booking, kind=Reminder.Kind.DAY_BEFORE, due_at=due_at)
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
    """Queue the `event` email to each recipient, in the booking's transaction: one task row
    holding ids (sessions.booking_emails renders each email in the worker, with times in the
    recipient's own zone and the booking's calendar file). `context` takes what
    reflexbook.lib.mail.reference carries. Emails carry no health details."""
    enqueue_on_commit(
        send_booking_emails,
        booking_id=booking.pk,
        event=event,
        recipient_ids=[recipient.pk for recipient in recipients],
        context={key: reference(value) for key, value in context.items()},
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
        raise BookingRefused(_("Fill in your own health intake before booking."))
    # Only the latest version's id and date are read again (under the caller's lock).
    latest = latest_version(client)
    if latest is None or signed_too_long_ago(latest[1], now):
        raise BookingRefused(
            _("Your health intake is more than 12 months old. Review it before booking.")
        )
    if latest[0] != intake.pk:
        raise BookingRefused(
            _(
                "Your health intake changed while you were booking. Check the details and book "
                "again."
            )
        )


def _minutes(minutes) -> int:
    try:
        return int(minutes)
    except (TypeError, ValueError):
        raise BookingRefused(_("That length is not offered. Choose one from the list.")) from None


def _offered_length(practitioner: Practitioner, service: Service, minutes: int) -> ServiceLength:
    """The active length `minutes` of `service`, one of `practitioner`'s, or BookingRefused."""
    found = OFFERED_LENGTH.instances(
        service_id=service.pk, practitioner_id=practitioner.pk, minutes=minutes
    )  # one at most: a service has one price per length
    if not found:
        raise BookingRefused(_("That service or length is not offered. Choose one from the list."))
    return found[0]


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
            locked = _lock_practitioner(practitioner)
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
        raise SlotTaken(_(HELD_BY_SOMEONE)) from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return hold


def _lock_practitioner(practitioner: Practitioner) -> Practitioner:
    """The practitioner's row locked for a booking write, with their user, whom the emails
    go to, and their money settings, whose fees the booking copies (locking the practitioner
    row only)."""
    return LOCKED_PRACTITIONER.get(pk=practitioner.pk)


# The reads of a booking write, their SQL built once per process (reflexbook.lib.prepared).
LOCKED_PRACTITIONER = PreparedQuery(
    lambda *, pk: (
        Practitioner.objects.select_for_update(of=("self",))
        .select_related("user", "billing")
        .filter(pk=pk)
    )
)
OFFERED_LENGTH = PreparedQuery(
    lambda *, service_id, practitioner_id, minutes: ServiceLength.objects.select_related(
        "service"
    ).filter(
        service_id=service_id,
        service__practitioner_id=practitioner_id,
        service__is_active=True,
        minutes=minutes,
    )
)


def _book_locked(
    locked: Practitioner,
    *,
    client: User,
    service: Service,
    minutes: int,
    starts_at: datetime,
    intake: IntakeForm,
    now: datetime,
    price_seen: Decimal | None = None,
    client_message: str = "",
    clearance_confirmed: bool = False,
    session_answers: dict | None = None,
    home_address: str = "",
    home_postcode: str = "",
    hold: SlotHold | None = None,
    series: BookingSeries | None = None,
) -> Booking:
    """book_session's checks and write, inside its transaction with `locked` (the
    practitioner row) locked. A booking in a `series` is the practitioner's own: their
    notice, horizon and per-client limit do not apply, it is confirmed at once (unless the
    client must confirm their email or talk first), and the series sends one email for all."""
    by_practitioner = series is not None
    refusal = booking_refusal(locked, client)
    if refusal:
        raise BookingRefused(refusal)
    length = _offered_length(locked, service, minutes)
    if price_seen is not None and _price(price_seen) != length.price:
        raise BookingRefused(
            _("The price of this session is now $%(price)s. Check it and book again.")
            % {"price": length.price}
        )
    _refuse_unless_current_intake(client, intake, now)
    client_address = _client_address(length.service, home_address, home_postcode)
    session_answers = dict(session_answers or {})
    flags = flags_in_force(
        client=client,
        intake=intake,
        practitioner=locked,
        starts_at=starts_at,
        session_answers=session_answers,
        now=now,
    )
    # Booked by the practitioner, a clearance flag waits for the client to confirm it on the
    # booking page (confirm_clearance), as after a re-scoring.
    if has_tier(flags, Tier.CLEARANCE) and not clearance_confirmed and not by_practitioner:
        raise BookingRefused(
            _(
                "Please confirm you have talked to your doctor or midwife about the points "
                "marked as needing medical clearance."
            )
        )
    limit = locked.max_active_bookings_per_client
    if (
        limit
        and not by_practitioner
        and locked.bookings.filter(client=client).upcoming(now).count() >= limit
    ):
        raise BookingRefused(
            ngettext(
                "%(name)s takes at most %(count)s upcoming booking per client. Book again "
                "after your next session.",
                "%(name)s takes at most %(count)s upcoming bookings per client. Book again "
                "after your next session.",
                limit,
            )
            % {"name": locked.display_name, "count": limit}
        )
    # The client's own hold, if it still holds this practitioner's time (no query: a hold's
    # row never changes, and one deleted meanwhile excludes nothing from the re-check).
    mine = None
    if hold is not None and hold.practitioner_id == locked.pk and hold.expires_at > now:
        mine = hold
    try:
        _refuse_unless_free(
            practitioner=locked,
            service=length.service,
            minutes=minutes,
            starts_at=starts_at,
            now=now,
            mine=mine,
            as_practitioner=by_practitioner,
        )
    except SlotTaken:
        if hold is not None and mine is None:
            raise SlotTaken(_(HOLD_RAN_OUT_TAKEN)) from None
        raise
    if not by_practitioner:
        # The hold becomes the booking; any other the client still has goes too.
        SlotHold.objects.filter(Q(user=client) | Q(pk=getattr(hold, "pk", None))).delete()
    return _write_booking(
        client=client,
        practitioner=locked,
        length=length,
        starts_at=starts_at,
        status=_initial_status(locked, client, flags, by_practitioner=by_practitioner),
        intake=intake,
        flags=flags,
        now=now,
        notify_parties=series is None,  # a series sends one email for all its dates
        client_message=client_message.strip(),
        client_address=client_address,
        session_answers=session_answers,
        clearance_confirmed_at=now if clearance_confirmed else None,
        series=series,
    )


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
            locked = _lock_practitioner(practitioner)
            booking = _book_locked(
                locked,
                client=client,
                service=service,
                minutes=minutes,
                starts_at=starts_at,
                intake=intake,
                now=now,
                price_seen=price_seen,
                client_message=client_message,
                clearance_confirmed=clearance_confirmed,
                session_answers=session_answers,
                home_address=home_address,
                home_postcode=home_postcode,
                hold=hold,
            )
    except IntegrityError:
        # The database's own overlap rule caught a race the re-check could not see.
        raise SlotTaken() from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return booking


ONLY_THE_PRACTITIONER = gettext_noop("Only the practitioner can book on a client's behalf.")
NOT_YOUR_CLIENT = gettext_noop(
    "You can book only for people who have booked with you before. Invite a new client with "
    "their name and email address instead."
)


class SeriesRefused(BookingRefused):
    """Some dates of a series cannot be booked, so none was: `refusals` maps each such start
    (UTC) to the reason, in words."""

    def __init__(self, refusals: dict[datetime, str]):
        self.refusals = refusals
        super().__init__(
            ngettext(
                "%(count)s of the chosen times can no longer be booked, so nothing was booked. "
                "The dates below are up to date: choose again and confirm.",
                "%(count)s of the chosen times can no longer be booked, so nothing was booked. "
                "The dates below are up to date: choose again and confirm.",
                len(refusals),
            )
            % {"count": len(refusals)}
        )


def book_series(
    *,
    practitioner: Practitioner,
    client: User,
    service: Service,
    minutes: int,
    every_weeks: int,
    count: int,
    starts: list[datetime],
    created_by: User,
    now: datetime | None = None,
) -> BookingSeries:
    """Book the chosen `starts` of a series for `client` all at once, or none of them: one
    transaction, the practitioner row locked once, every start re-checked under that lock
    through book_session's own checks (_book_locked). A start taken meanwhile raises
    SeriesRefused naming it (all-or-nothing, so a course never ends up half booked behind
    the practitioner's back); other refusals (no current intake, a length no longer offered)
    raise BookingRefused, as do a `client` who is not the practitioner's (clients_of) and a
    `created_by` who is not the practitioner. The client gets one email listing the dates."""
    now = now or timezone.now()
    starts = sorted({_as_utc(start) for start in starts})
    minutes = _minutes(minutes)
    if not starts:
        raise BookingRefused(_("Choose at least one date to book."))
    intake = current_intake(client, now)
    if intake is None:
        raise BookingRefused(
            _(
                "%(client)s has no current health form (none signed in the last 12 months), so "
                "sessions cannot be booked for them yet. Ask them to fill it in first."
            )
            % {"client": client.full_name}
        )
    try:
        with transaction.atomic(durable=True):
            locked = _lock_practitioner(practitioner)
            if created_by.pk != locked.user_id:
                raise BookingRefused(_(ONLY_THE_PRACTITIONER))
            if not clients_of(locked).filter(pk=client.pk).exists():
                raise BookingRefused(_(NOT_YOUR_CLIENT))
            length = _offered_length(locked, service, minutes)
            series = BookingSeries(
                practitioner=locked,
                client=client,
                service=length.service,
                minutes=minutes,
                every_weeks=every_weeks,
                count=count,
                created_by=created_by,
            )
            series.full_clean()
            series.save()
            refusals = {}
            for starts_at in starts:
                try:
                    _book_locked(
                        locked,
                        client=client,
                        service=length.service,
                        minutes=minutes,
                        starts_at=starts_at,
                        intake=intake,
                        now=now,
                        series=series,
                    )
                except BookingRefused as refusal:
                    refusals[starts_at] = str(refusal)
            if refusals:
                raise SeriesRefused(refusals)  # rolls the series and its bookings back
            with timezone.override(ZoneInfo(client.timezone)):
                send_templated(
                    "series_booked",
                    to=[client.email],
                    context={"series": series, "recipient": client, "site_url": settings.SITE_URL},
                )
    except IntegrityError:
        # The database's own overlap rule caught a race the re-check could not see.
        raise SlotTaken(
            _(
                "One of the chosen times was just taken, so nothing was booked. Check the dates "
                "and confirm again."
            )
        ) from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return series


def _client_address(service: Service, home_address: str, home_postcode: str) -> str:
    """The booking's address for a home visit (refused without a covered postcode and an
    address), "" at the practice."""
    if not service.is_home_visit:
        return ""
    _refuse(service.visit_refusal(home_postcode))
    if not home_address.strip():
        raise BookingRefused(NO_HOME_ADDRESS)
    return f"{home_address.strip()}, {home_postcode.strip()}"


def _write_booking(
    *,
    client: User,
    practitioner: Practitioner,
    length: ServiceLength,
    starts_at: datetime,
    status: str,
    intake: IntakeForm | None,
    flags: list[dict],
    now: datetime,
    notify_parties: bool = True,
    **fields,
) -> Booking:
    """Create the booking on the locked `practitioner`'s calendar (its time re-checked by the
    caller), schedule its reminder and email the client and the practitioner (unless the
    caller sends its own email, `notify_parties=False`)."""
    blocks_from, blocks_until = _blocked_span(length.service, length.minutes, starts_at)
    billing = practice_billing(practitioner)
    booking = Booking(
        client=client,
        practitioner=practitioner,
        service=length.service,
        minutes=length.minutes,
        price=length.price,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=length.minutes),
        blocks_from=blocks_from,
        blocks_until=blocks_until,
        status=status,
        policy_text=cancellation_policy(practitioner),
        intake=intake,
        flags=flags,
        **fields,
    )
    # `flags` is usually [] which full_clean calls blank (the field lacks blank=True).
    # Its rows were just read under the lock (and the database's foreign keys hold them)
    # and its code is new (unique in the database): no existence queries.
    booking.full_clean(
        exclude=ROWS_READ_UNDER_LOCK, validate_unique=False, validate_constraints=False
    )
    booking.save()
    if billing is not None:  # without settings there are no fees to copy
        billing_service.fees_for_new_booking(booking, billing)
    # A package credit, if the client has one of this length (sets booking.package_note).
    by_client = not (fields.get("booked_by") or fields.get("series"))
    _refuse(package_credits.take_credit(booking, now=now, by_client=by_client))
    _schedule_reminder(booking, now, new=True)
    refresh_after_booking_on_commit(practitioner, blocks_from, now)
    if notify_parties:
        event = "confirmed" if booking.status == Status.CONFIRMED else "requested"
        notify(booking, event, [client, practitioner.user])
    return booking


class NewClient(NamedTuple):
    """Someone the practitioner invites while booking for them: an account is made for them
    (accounts.invitation) unless the address already has one."""

    full_name: str
    email: str
    phone: str = ""


# Said whenever an invited address already has an account that is not the practitioner's
# client: nothing about whose account it is, or whether it is one at all.
CANNOT_INVITE = gettext_noop(
    "We cannot invite this email address. Ask the client to book with you themselves, or use "
    "another email address for them."
)


def book_for_client(
    *,
    practitioner: Practitioner,
    by: User,
    service: Service,
    minutes: int,
    starts_at: datetime,
    client: User | None = None,
    invite: NewClient | None = None,
    outside_hours: bool = False,
    home_address: str = "",
    home_postcode: str = "",
    now: datetime | None = None,
) -> Booking:
    """The practitioner (`by`) books `starts_at` for `client`, someone who has booked them
    before, or for a new client they `invite` (their account is made and emailed a link to
    set a password and fill in the health form, all or nothing with the booking). Same lock,
    re-check, constraint, flags, reminder and emails as book_session; confirmed unless a flag
    says talk first. Outside working hours only with `outside_hours`; never over busy time
    or on a closed day. An invited address that already has an account books that account
    only if it is already this practitioner's client (CANNOT_INVITE otherwise)."""
    if (client is None) == (invite is None):
        raise ValueError("Book for an existing client or invite a new one, not both.")
    now = now or timezone.now()
    starts_at = _as_utc(starts_at)
    minutes = _minutes(minutes)
    try:
        with transaction.atomic(durable=True):
            locked = _lock_practitioner(practitioner)
            if by.pk != locked.user_id:
                raise BookingRefused(_(ONLY_THE_PRACTITIONER))
            # The session and its time first: were the address looked up before them, a busy
            # or past time would be refused for a new address but CANNOT_INVITE for one with
            # an account, a free probe of who has one.
            length = _offered_length(locked, service, minutes)
            client_address = _client_address(length.service, home_address, home_postcode)
            _refuse_unless_free_for_practitioner(
                practitioner=locked,
                service=length.service,
                minutes=minutes,
                starts_at=starts_at,
                now=now,
                outside_hours=outside_hours,
            )
            invited = False
            if invite is not None:
                client = User.objects.filter(email__iexact=invite.email.strip()).first()
                if client is None:
                    client = _invite_unless_taken(invite, zone=locked.timezone)
                    invited = True
                elif client.pk == locked.user_id:
                    raise BookingRefused(_("This is your own address: you cannot book yourself."))
            if not invited and not clients_of(locked).filter(pk=client.pk).exists():
                raise BookingRefused(_(CANNOT_INVITE) if invite else _(NOT_YOUR_CLIENT))
            # The client's form in force (signed in the last 12 months), as book_session and
            # book_series require. None for someone invited, or whose form is older: the
            # booking then shows "health form not yet completed" until they sign one
            # (sign_intake_and_rescore fills it in).
            intake = current_intake(client, now)
            flags = []
            if intake is not None:
                flags = flags_in_force(
                    client=client,
                    intake=intake,
                    practitioner=locked,
                    starts_at=starts_at,
                    session_answers={},
                    now=now,
                )
            booking = _write_booking(
                client=client,
                practitioner=locked,
                length=length,
                starts_at=starts_at,
                status=_initial_status(locked, client, flags, by_practitioner=True),
                intake=intake,
                flags=flags,
                now=now,
                client_address=client_address,
                booked_by=by,
            )
            if invited:
                send_invitation(client, booking)
    except IntegrityError:
        raise SlotTaken() from None
    except ValidationError as error:
        raise BookingRefused(" ".join(error.messages)) from None
    return booking


def _invite_unless_taken(invite: NewClient, *, zone: str) -> User:
    """The invited account (accounts.invitation), made in a savepoint: if the address got an
    account since it was looked up (another practitioner inviting it at the same moment:
    the lock is on this practitioner only), CANNOT_INVITE as for any taken address, not
    "time just taken"."""
    try:
        with transaction.atomic():
            return create_invited_user(**invite._asdict(), timezone=zone)
    except (IntegrityError, ValidationError):
        if User.objects.filter(email__iexact=invite.email.strip()).exists():
            raise BookingRefused(_(CANNOT_INVITE)) from None
        raise


def time_refusal_for_practitioner(
    *,
    practitioner: Practitioner,
    service: Service,
    minutes: int,
    starts_at: datetime,
    outside_hours: bool,
    now: datetime | None = None,
) -> BookingRefused | None:
    """What book_for_client would refuse about this time right now, for the preview (no
    lock: booking re-checks under it); None when the time looks free."""
    try:
        _refuse_unless_free_for_practitioner(
            practitioner=practitioner,
            service=service,
            minutes=_minutes(minutes),
            starts_at=_as_utc(starts_at),
            now=now or timezone.now(),
            outside_hours=outside_hours,
        )
    except BookingRefused as refusal:
        return refusal
    return None


def _lock(booking: Booking) -> Booking:
    """Lock and re-read a booking inside the current transaction."""
    Practitioner.objects.select_for_update().filter(pk=booking.practitioner_id).first()
    return (
        Booking.objects.select_for_update()
        .select_related("client", "practitioner__user", "service")
        .get(pk=booking.pk)
    )


def _record_freed(locked: Booking, cause: str, now: datetime | None) -> None:
    """The waitlist's outbox row for the time a locked booking gives up (its span with
    buffer and travel), written in the change's own transaction
    (practitioners.freed_time)."""
    record_freed_time(locked.practitioner, locked.blocks_from, locked.blocks_until, cause, now=now)


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
            refusal=_("This booking is {status}, so it cannot be confirmed."),
        )
        if not locked.client.email_verified:
            raise BookingRefused(_(UNVERIFIED_CLIENT))
        if (
            locked.needs_safety_decision
            and locked.safety_decision != Booking.SafetyDecision.PROCEED
        ):
            raise BookingRefused(
                _("Record your decision on the safety flags (proceed or postpone) first.")
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
                _("Another confirmed booking overlaps this one, so it cannot be confirmed.")
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
        raise BookingRefused(_("Choose whether to proceed or postpone."))
    if not note.strip():
        raise BookingRefused(_("Write a short note about your decision."))
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = _change(
            booking,
            allowed_from=(Status.REQUESTED,),
            refusal=_("This booking is {status}; the decision can no longer change it."),
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
            locked.decline_reason = _(
                "%(name)s would like to talk with you before booking this session, and will be "
                "in touch."
            ) % {"name": locked.practitioner.display_name}
            locked.sequence += 1
            _record_freed(locked, FreedTime.Cause.DECLINED, now)
        locked.save()
        package_credits.give_back_credit(locked, now=now)
        _schedule_reminder(locked, now)
        refresh_next_free_on_commit(locked.practitioner_id)
        if decision == Booking.SafetyDecision.POSTPONE:
            notify(locked, "postponed", [locked.client])
    return locked


def decline_booking(*, booking: Booking, reason: str, now: datetime | None = None) -> Booking:
    if not reason.strip():
        raise BookingRefused(_("Give the client a reason for declining."))
    with transaction.atomic(durable=True):
        locked = _change(
            booking,
            allowed_from=(Status.REQUESTED,),
            refusal=_("This booking is {status}, so it cannot be declined."),
        )
        locked.status = Status.DECLINED
        locked.decline_reason = reason.strip()
        locked.sequence += 1
        locked.save()
        package_credits.give_back_credit(locked, now=now or timezone.now())
        _schedule_reminder(locked, now or timezone.now())
        _record_freed(locked, FreedTime.Cause.DECLINED, now)
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
        raise BookingRefused(_("Give the client a reason for cancelling."))
    with transaction.atomic(durable=True):
        locked = _cancel_locked(
            _lock(booking), by=by, reason=reason, for_illness=for_illness, now=now
        )
        other = locked.client if by_practitioner else locked.practitioner.user
        notify(locked, "cancelled", [other, by])
    return locked


def _cancel_locked(
    locked: Booking,
    *,
    by: User,
    reason: str,
    for_illness: bool,
    now: datetime,
    as_staff: bool = False,
) -> Booking:
    """cancel_booking's check and write on a booking locked in the current transaction
    (`as_staff`: cancel_upcoming_by_staff's, never late, never the client's)."""
    by_practitioner = not as_staff and by.pk == locked.practitioner.user_id
    _refuse(locked.cancel_refusal(by, now, as_staff=as_staff))
    if as_staff:
        locked.status = Status.CANCELLED_BY_STAFF
    elif by_practitioner:
        locked.status = Status.CANCELLED_BY_PRACTITIONER
    else:
        locked.status = Status.CANCELLED_BY_CLIENT
    by_client = not (as_staff or by_practitioner)
    locked.cancelled_for_illness = for_illness and by_client
    locked.is_late_cancellation = (
        by_client and not locked.cancelled_for_illness and locked.is_late_cancellation_at(now)
    )
    locked.cancellation_reason = reason.strip()
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save()
    package_credits.give_back_credit(locked, now=now)  # unless the cancellation was late
    _schedule_reminder(locked, now)
    _record_freed(locked, FreedTime.Cause.CANCELLED, now)
    refresh_next_free_on_commit(locked.practitioner_id)
    return locked


def cancel_upcoming_by_staff(
    *, practitioner: Practitioner, by: User, message: str, now: datetime | None = None
) -> list[Booking]:
    """Staff cancel every upcoming booking of a practitioner they have hidden from the
    directory (issue 15), each through cancel_booking's own check and write, in one
    transaction; each client is emailed the cancellation with `message` as its reason.
    Returns the bookings cancelled."""
    now = now or timezone.now()
    if not by.is_staff:
        raise BookingRefused(_("Only reflexbook staff can cancel bookings for a practitioner."))
    if not message.strip():
        raise BookingRefused(_("Write a message to the clients: it is the reason they are sent."))
    with transaction.atomic(durable=True):
        locked_practitioner = _lock_practitioner(practitioner)
        if locked_practitioner.staff_hide is None:
            raise BookingRefused(
                _(
                    "Hide the profile first: staff cancel the bookings of a hidden practitioner only."
                )
            )
        cancelled = []
        for booking in Booking.objects.filter(practitioner=practitioner).upcoming(now):
            locked = _cancel_locked(
                _lock(booking), by=by, reason=message, for_illness=False, now=now, as_staff=True
            )
            notify(locked, "cancelled", [locked.client])
            cancelled.append(locked)
        if not cancelled:
            raise BookingRefused(_("This practitioner has no upcoming bookings to cancel."))
        activity.record(
            by,
            "bookings_cancelled_by_staff",
            practitioner_subject(locked_practitioner),
            bookings=len(cancelled),
        )
    return cancelled


def cancel_series_from(
    *, series: BookingSeries, from_starts_at: datetime, reason: str, now: datetime | None = None
) -> list[Booking]:
    """The practitioner cancels every upcoming booking of `series` starting at or after
    `from_starts_at`, each through cancel_booking's own check and write, in one transaction;
    the client gets one email listing them. The rows stay, as cancelled (nothing a practice
    keeps is deleted). Returns the bookings cancelled."""
    now = now or timezone.now()
    if not reason.strip():
        raise BookingRefused(_("Give the client a reason for cancelling."))
    by = series.practitioner.user
    with transaction.atomic(durable=True):
        Practitioner.objects.select_for_update().filter(pk=series.practitioner_id).first()
        cancelled = [
            _cancel_locked(_lock(booking), by=by, reason=reason, for_illness=False, now=now)
            for booking in series.bookings.upcoming(now).filter(starts_at__gte=from_starts_at)
        ]
        if not cancelled:
            raise BookingRefused(
                _("No upcoming session of this series starts on or after that date.")
            )
        with timezone.override(ZoneInfo(series.client.timezone)):
            send_templated(
                "series_cancelled",
                to=[series.client.email],
                context={
                    "series": series,
                    "recipient": series.client,
                    "first_cancelled": cancelled[0],
                    "site_url": settings.SITE_URL,
                },
            )
    return cancelled


# The reason a booking cancelled by an account's erasure gives (sessions.erasure).
ERASURE_REASON = gettext_noop("The client deleted their reflexbook account.")


def cancel_upcoming_for_erasure(*, client: User, now: datetime) -> list[Booking]:
    """Inside the erasure's transaction (sessions.erasure.erase_client): cancel each upcoming
    booking of `client`, as the client, through cancel_booking's own check and write, and tell
    each practitioner (not the client: their address is being erased; they get the erasure
    email). The rows stay, cancelled. Returns the bookings cancelled."""
    cancelled = []
    for booking in Booking.objects.filter(client=client).upcoming(now).order_by("starts_at"):
        locked = _cancel_locked(
            _lock(booking), by=client, reason=_(ERASURE_REASON), for_illness=False, now=now
        )
        notify(locked, "cancelled", [locked.practitioner.user])
        cancelled.append(locked)
    return cancelled


def reschedule_booking(
    *,
    booking: Booking,
    new_starts_at: datetime,
    by_practitioner: bool = False,
    reason: str = "",
    outside_hours: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Move a booking to another free time. One UPDATE moves it, so the old time is released
    only when the new one is secured. The client is bound by the practitioner's limits
    (reschedule_refusal) and by the times offered to them; the practitioner moving it on the
    client's behalf (`by_practitioner`, with a `reason` emailed to the client) by move_refusal
    and the rule of booking for a client (_refuse_unless_free_for_practitioner: never in the
    past, on a closed day or over busy time; outside working hours only with
    `outside_hours`), and the move does not count against the client's reschedules."""
    now = now or timezone.now()
    new_starts_at = _as_utc(new_starts_at)
    reason = reason.strip()
    if by_practitioner and not reason:
        raise BookingRefused(_("Give the client a reason for moving their session."))
    try:
        with transaction.atomic(durable=True):
            locked = _lock(booking)
            _refuse(locked.move_refusal(now) if by_practitioner else locked.reschedule_refusal(now))
            if new_starts_at == locked.starts_at:
                raise BookingRefused(
                    _("That is the session's current time. Choose a different time to move to.")
                )
            travel, buffer = (
                locked.starts_at - locked.blocks_from,
                locked.blocks_until - locked.ends_at,
            )
            new_ends_at = new_starts_at + timedelta(minutes=locked.minutes)
            if by_practitioner:
                _refuse_unless_free_for_practitioner(
                    practitioner=locked.practitioner,
                    service=locked.service,
                    minutes=locked.minutes,
                    starts_at=new_starts_at,
                    now=now,
                    outside_hours=outside_hours,
                    ignore=locked,
                    span=(new_starts_at - travel, new_ends_at + buffer),
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
            _record_freed(locked, FreedTime.Cause.RESCHEDULED, now)  # the old time
            locked.starts_at = new_starts_at
            locked.ends_at = new_ends_at
            locked.blocks_from = new_starts_at - travel
            locked.blocks_until = new_ends_at + buffer
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
    """Mark a session completed (which invoices it, sessions.billing) or a no-show (whose fee
    the practitioner then charges or waives), once its start time has passed."""
    now = now or timezone.now()
    if status not in (Status.COMPLETED, Status.NO_SHOW):
        raise BookingRefused(_("A session can only be marked completed or a no-show."))
    with transaction.atomic(durable=True):
        locked = _lock(booking)
        _refuse(locked.finish_refusal(now))
        locked.status = status
        locked.save()
        if status == Status.COMPLETED:
            invoice = billing_service.invoice_completed_session(locked, now)
            package_credits.pay_with_credit(invoice, locked, now=now)
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
    if needs_review(intake, now):
        # A form more than 12 months old is not pinned to a booking waiting for a new one
        # (book_for_client pins only a current form).
        upcoming = upcoming.exclude(intake__isnull=True)
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
                _("This session is not upcoming any more, so the check-in is closed.")
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
            raise BookingRefused(_("This session is not upcoming, so there is nothing to confirm."))
        if not has_tier(locked.flags, Tier.CLEARANCE):
            raise BookingRefused(_("This booking has no points that need medical clearance."))
        locked.clearance_confirmed_at = now
        locked.save(update_fields=["clearance_confirmed_at", "updated_at"])
    return locked
