"""The waitlist (issue 17): joining and leaving it, and offering freed time to those waiting.

Freeing changes (sessions.booking's cancel, decline, postpone and reschedule; the
practitioners area's time off, closed days and hours) write a FreedTime row in their own
transaction (practitioners.freed_time). process_waitlist works through those rows, from
run_due_jobs and once right after each such commit (on_time_freed queues it as a task):

- a row is claimed with a conditional UPDATE (a lease), so two workers never work one row;
- under the practitioner's lock, the active entries that have not been offered this freed
  time are matched, in the order they joined, against the free starts that take some of the
  freed time and suit them (sessions.waitlist_rules); one entry gets an offer at a time, or
  every matching entry at once when the practitioner offers "first to claim";
- an offer is a row (unique per entry and freed time, and per entry and start: nothing is
  offered twice) and an email queued in the same transaction, with a link valid for the
  practitioner's `waitlist_offer_minutes`, never past their notice limit;
- offers that ran out or were declined pass the time to the next entry; a row is done when
  no offer on it is open and nobody else can be offered anything from it.

Claiming goes through the review page and book_session like any booking (book_offer); the
time is not held for the person offered it, so a time taken meanwhile is refused kindly.
"""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.tasks import task
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from practitioners.models import FreedTime, Practitioner, ServiceLength
from reflexbook.lib.mail import send_templated
from sessions import waitlist_rules
from sessions.availability import free_slots_for
from sessions.booking import BookingRefused, SlotTaken, book_session, booking_refusal, clients_of
from sessions.models import (
    MAX_ACTIVE_ENTRIES,
    Booking,
    SlotHold,
    WaitlistEntry,
    WaitlistOffer,
)

logger = logging.getLogger(__name__)

# How long a worker may hold a freed-time row before another may take it over (a worker
# that crashed mid-way leaves its lease to run out).
LEASE = timedelta(minutes=5)

# Named once for the pages and the tests; translated where raised (gettext_noop only marks).
TOO_MANY_WORDS = gettext_noop(
    "You are already waiting for %(count)s times, the most at once. Leave one of them "
    "(under Your bookings) to join another."
)
TOO_MANY = TOO_MANY_WORDS % {"count": MAX_ACTIVE_ENTRIES}
OFFER_TAKEN = gettext_noop(
    "Sorry: someone else booked this time a moment before you. You are still on the "
    "waitlist, so we will email you if another time that suits you frees up."
)


class WaitlistRefused(BookingRefused):
    """The waitlist change cannot be made; the message says why."""


# --- joining and leaving -------------------------------------------------------------------


def last_day_to_wait(*, practitioner: Practitioner, now: datetime, zone: ZoneInfo) -> date:
    """The last date (of `zone`, the client's) an entry may wait for: the practitioner's
    booking horizon from `now`, as a date where the client is."""
    return (now + timedelta(days=practitioner.booking_horizon_days)).astimezone(zone).date()


def join_waitlist(
    *,
    client: User,
    practitioner: Practitioner,
    length: ServiceLength,
    weekdays: int,
    parts: int,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
) -> WaitlistEntry:
    """Put `client` on `practitioner`'s waitlist for a session of `length`, on the weekdays
    and parts of the day (bit masks, sessions.waitlist_rules) between two dates of their
    zone, or raise WaitlistRefused. At most MAX_ACTIVE_ENTRIES active entries per client:
    the entry takes the lowest free numbered place, and the database refuses a place twice."""
    now = now or timezone.now()
    if refusal := booking_refusal(practitioner, client):
        raise WaitlistRefused(refusal)
    if length.service.practitioner_id != practitioner.pk or not length.service.is_active:
        raise WaitlistRefused(_("That service or length is not offered. Choose one from the list."))
    zone = ZoneInfo(client.timezone)
    today = now.astimezone(zone).date()
    horizon = last_day_to_wait(practitioner=practitioner, now=now, zone=zone)
    if first_day < today:
        raise WaitlistRefused(_("The first day has passed. Choose today or a later day."))
    if first_day > last_day:
        raise WaitlistRefused(_("The last day must be on or after the first day."))
    if first_day > horizon:
        raise WaitlistRefused(
            _("%(name)s takes bookings up to %(day)s. Choose dates up to then.")
            % {"name": practitioner.display_name, "day": date_format(horizon, _("j F Y"))}
        )
    try:
        with transaction.atomic(durable=True):
            # One join at a time per client, so two tabs cannot take the same place.
            User.objects.select_for_update().filter(pk=client.pk).first()
            taken = set(
                WaitlistEntry.objects.active().filter(client=client).values_list("place", flat=True)
            )
            free = [n for n in range(1, MAX_ACTIVE_ENTRIES + 1) if n not in taken]
            if not free:
                raise WaitlistRefused(_(TOO_MANY_WORDS) % {"count": MAX_ACTIVE_ENTRIES})
            entry = WaitlistEntry.objects.create(
                client=client,
                practitioner=practitioner,
                length=length,
                weekdays=weekdays,
                parts=parts,
                first_day=first_day,
                last_day=min(last_day, horizon),
                place=free[0],
                joined_at=now,
            )
    except IntegrityError:
        # The constraints are the backstop: a place taken at the same moment.
        raise WaitlistRefused(_(TOO_MANY_WORDS) % {"count": MAX_ACTIVE_ENTRIES}) from None
    return entry


def leave_waitlist(*, entry: WaitlistEntry, now: datetime | None = None) -> bool:
    """Take an active entry off the waitlist (its place is freed, its open offers stay
    until they run out); False if it was not active any more."""
    now = now or timezone.now()
    left = (
        WaitlistEntry.objects.active()
        .filter(pk=entry.pk)
        .update(status=WaitlistEntry.Status.LEFT, place=None, ended_at=now)
    )
    return bool(left)


# --- answering an offer --------------------------------------------------------------------


def decline_offer(*, offer: WaitlistOffer, now: datetime | None = None) -> bool:
    """The client says no to an open offer: it passes to the next person at once (after the
    commit) or at the next run_due_jobs. False if it was not open any more."""
    now = now or timezone.now()
    with transaction.atomic():
        declined = (
            WaitlistOffer.objects.live(now)
            .filter(pk=offer.pk)
            .update(status=WaitlistOffer.Status.DECLINED, answered_at=now)
        )
        if declined:
            transaction.on_commit(attempt_soon)
    return bool(declined)


def offer_is_free(
    offer: WaitlistOffer, now: datetime | None = None, mine: SlotHold | None = None
) -> bool:
    """Whether the offered start can still be booked (free, and not within notice); `mine`
    is the client's own hold, which does not take it."""
    local_day = offer.starts_at.astimezone(ZoneInfo(offer.entry.practitioner.timezone)).date()
    return offer.starts_at in free_slots_for(
        practitioner=offer.entry.practitioner,
        service=offer.entry.length.service,
        minutes=offer.entry.length.minutes,
        first_day=local_day,
        last_day=local_day,
        now=now,
        mine=mine,
    )


def book_offer(*, offer: WaitlistOffer, **booking) -> Booking:
    """Book the offered time through book_session (`booking`: its arguments); a time taken
    meanwhile raises SlotTaken with OFFER_TAKEN. The offer and its entry are marked booked."""
    try:
        made = book_session(**booking)
    except SlotTaken:
        raise SlotTaken(_(OFFER_TAKEN)) from None
    settle_claims(offers=WaitlistOffer.objects.filter(pk=offer.pk))
    return made


def settle_claims(*, offers=None, now: datetime | None = None) -> int:
    """Mark as claimed the offers (of `offers`, by default all) not yet answered whose client
    holds an active booking at the offered time with that practitioner, and their entries as
    booked; the count of offers marked."""
    now = now or timezone.now()
    booked = Booking.objects.active().filter(
        client_id=OuterRef("entry__client_id"),
        practitioner_id=OuterRef("entry__practitioner_id"),
        starts_at=OuterRef("starts_at"),
    )
    offers = WaitlistOffer.objects.all() if offers is None else offers
    claimed = list(
        offers.filter(status=WaitlistOffer.Status.OFFERED)
        .filter(Exists(booked))
        .values_list("pk", "entry_id")
    )
    if not claimed:
        return 0
    with transaction.atomic():
        WaitlistOffer.objects.filter(pk__in=[pk for pk, _ in claimed]).update(
            status=WaitlistOffer.Status.CLAIMED, answered_at=now
        )
        WaitlistEntry.objects.active().filter(pk__in=[entry for _, entry in claimed]).update(
            status=WaitlistEntry.Status.BOOKED, place=None, ended_at=now
        )
    return len(claimed)


# --- offering freed time -------------------------------------------------------------------


def expire_offers(now: datetime | None = None) -> int:
    """Close the offers whose time ran out (their freed time passes to the next person)."""
    return WaitlistOffer.objects.ran_out(now or timezone.now()).update(
        status=WaitlistOffer.Status.EXPIRED
    )


def process_waitlist(now: datetime | None = None) -> int:
    """Settle claims, close offers that ran out, then work through every freed time not
    done yet; returns how many offers were sent. Safe to run again and from two workers at
    once: a row is worked by whoever claimed it, and an offer is made once."""
    now = now or timezone.now()
    settle_claims(now=now)
    expire_offers(now)
    sent = 0
    pending = FreedTime.objects.filter(done_at__isnull=True).order_by("created_at", "pk")
    lease = now + LEASE
    for freed_id in pending.values_list("pk", flat=True):
        if not _claim(freed_id, now, lease):
            continue
        try:
            sent += _offer_freed_time(freed_id, now, lease)
        finally:
            # Only our own lease: one that ran out may have been taken by another worker.
            FreedTime.objects.filter(pk=freed_id, claimed_until=lease).update(claimed_until=None)
    return sent


def _claim(freed_id: int, now: datetime, lease: datetime) -> bool:
    """Take the lease on a freed-time row (until `lease`) with one conditional UPDATE: True
    for the one worker whose UPDATE changed it."""
    return bool(
        FreedTime.objects.filter(pk=freed_id, done_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(claimed_until=lease)
    )


def _offer_freed_time(freed_id: int, now: datetime, lease: datetime) -> int:
    """Make the next offers from one claimed freed time, under the practitioner's lock (so
    the free times read are those book_session would see); the offers sent. Nothing if the
    lease passed to another worker meanwhile; a practitioner no longer listed (hidden by
    staff or by themselves) offers nothing, and the freed time is done."""
    with transaction.atomic(durable=True):
        practitioner = (
            Practitioner.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(freed_times=freed_id)
        )
        freed = FreedTime.objects.get(pk=freed_id)
        if freed.claimed_until != lease or freed.done_at is not None:
            return 0
        if not Practitioner.objects.listed().filter(pk=practitioner.pk).exists():
            freed.done_at = now
            freed.save(update_fields=["done_at"])
            return 0
        offers_on_it = WaitlistOffer.objects.filter(freed=freed)
        one_at_a_time = not practitioner.waitlist_first_to_claim
        if one_at_a_time and offers_on_it.live(now).exists():
            return 0  # the person offered it still has time to claim it
        matches = _matches(practitioner, freed, now)
        if one_at_a_time:
            matches = matches[:1]
        for entry, starts_at in matches:
            _make_offer(practitioner, entry, freed, starts_at, now)
        if not matches and not offers_on_it.live(now).exists():
            freed.done_at = now
            freed.save(update_fields=["done_at"])
    return len(matches)


def _matches(
    practitioner: Practitioner, freed: FreedTime, now: datetime
) -> list[tuple[WaitlistEntry, datetime]]:
    """Each active entry not yet offered this freed time, in the order they joined, with the
    first free start that takes some of the freed time, suits the entry and leaves time to
    claim it before the notice limit; entries with no such start are left out."""
    tz = ZoneInfo(practitioner.timezone)
    first_day = freed.starts_at.astimezone(tz).date()
    last_day = freed.ends_at.astimezone(tz).date()
    entries = list(
        WaitlistEntry.objects.active()
        .filter(
            practitioner=practitioner,
            first_day__lte=last_day + timedelta(days=1),
            last_day__gte=first_day - timedelta(days=1),
            length__service__is_active=True,
        )
        .exclude(offers__freed=freed)
        .select_related("client", "length__service")
        .order_by("joined_at", "pk")
    )
    if not entries:
        return []
    offered = set(
        WaitlistOffer.objects.filter(entry__in=entries).values_list("entry_id", "starts_at")
    )
    allowed = None
    if not practitioner.accepting_new_clients:
        allowed = set(clients_of(practitioner).values_list("pk", flat=True))
    free: dict[int, list[datetime]] = {}
    matches = []
    for entry in entries:
        if entry.client_id == practitioner.user_id or (
            allowed is not None and entry.client_id not in allowed
        ):
            continue
        length = entry.length
        if length.pk not in free:
            free[length.pk] = free_slots_for(
                practitioner=practitioner,
                service=length.service,
                minutes=length.minutes,
                first_day=first_day,
                last_day=last_day,
                now=now,
            )
        client_tz = ZoneInfo(entry.client.timezone)
        minutes = timedelta(minutes=length.minutes)
        suitable = [
            starts_at
            for starts_at in free[length.pk]
            if waitlist_rules.uses_freed_time(
                starts_at, starts_at + minutes, freed.starts_at, freed.ends_at
            )
            and entry.suits(starts_at.astimezone(client_tz))
            and (entry.pk, starts_at) not in offered
            and _expiry(practitioner, starts_at, now) is not None
        ]
        if suitable:
            buffer = minutes + timedelta(minutes=length.service.buffer_minutes)
            # The time given up itself first, then the earliest that takes part of it.
            best = min(
                suitable,
                key=lambda start: (
                    not waitlist_rules.fits_in_freed_time(
                        start, start + buffer, freed.starts_at, freed.ends_at
                    ),
                    start,
                ),
            )
            matches.append((entry, best))
    return matches


def _expiry(practitioner: Practitioner, starts_at: datetime, now: datetime) -> datetime | None:
    return waitlist_rules.offer_expiry(
        now=now,
        starts_at=starts_at,
        offer_minutes=practitioner.waitlist_offer_minutes,
        notice_hours=practitioner.min_notice_hours,
    )


def _make_offer(
    practitioner: Practitioner,
    entry: WaitlistEntry,
    freed: FreedTime,
    starts_at: datetime,
    now: datetime,
) -> WaitlistOffer:
    """Write the offer and queue its email, both in the current transaction."""
    offer = WaitlistOffer.objects.create(
        entry=entry,
        freed=freed,
        starts_at=starts_at,
        offered_at=now,
        expires_at=_expiry(practitioner, starts_at, now),
    )
    client = entry.client
    with timezone.override(ZoneInfo(client.timezone)):
        send_templated(
            "waitlist_offer",
            to=[client.email],
            context={
                "offer": offer,
                "entry": entry,
                "practitioner": practitioner,
                "length": entry.length,
                "recipient": client,
                "first_to_claim": practitioner.waitlist_first_to_claim,
                "site_url": settings.SITE_URL,
            },
        )
    return offer


# --- the immediate attempt -----------------------------------------------------------------


@task
def process_waitlist_task() -> int:
    """process_waitlist as a background task, queued once time has been freed."""
    return process_waitlist()


def attempt_soon() -> None:
    """Queue an attempt at the offers now (the task worker runs it at once; the immediate
    backend of tests and `make run` runs it here). Missed, run_due_jobs makes the offers."""
    try:
        process_waitlist_task.enqueue()
    except Exception:  # the outbox row is committed: run_due_jobs will make the offers
        logger.exception("Could not queue the waitlist offers; run_due_jobs will make them.")


def on_time_freed(sender, practitioner: Practitioner, **kwargs) -> None:
    """practitioners.freed_time.time_freed's receiver (connected in sessions.apps): a freeing
    change committed, so try the offers now."""
    attempt_soon()
