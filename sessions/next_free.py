"""Each practitioner's next free time (Practitioner.next_free_at), cached so the directory and
the profile can show it, sort by it and filter on it in a fixed number of queries, instead of
running the slot finder for every card on every request.

It is refreshed for one practitioner after every booking change (sessions.booking, on commit)
and after a change to their hours, dates, time off, services or booking rules
(practitioners.services.calendar_changed); run_due_jobs refreshes everyone, since time moving
on (notice, a day ending) also changes it.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from practitioners.models import Practitioner, ServiceLength
from practitioners.models.services import MAX_BUFFER_MINUTES, MAX_TRAVEL_MINUTES, SESSION_LENGTHS
from sessions.availability import free_slots_for


def next_free_start(practitioner: Practitioner, now: datetime) -> datetime | None:
    """The soonest free start (UTC) for the practitioner's shortest active length, within
    their booking horizon; None if they offer nothing or nothing is free."""
    shortest = (
        ServiceLength.objects.select_related("service")
        .filter(service__practitioner=practitioner, service__is_active=True)
        .order_by("minutes", "service__buffer_minutes", "pk")
        .first()
    )
    if shortest is None:
        return None
    today = now.astimezone(ZoneInfo(practitioner.timezone)).date()
    free = free_slots_for(
        practitioner=practitioner,
        service=shortest.service,
        minutes=shortest.minutes,
        first_day=today,
        last_day=today + timedelta(days=practitioner.booking_horizon_days + 1),
        now=now,
    )
    return free[0] if free else None


def refresh_next_free(practitioner_id: int, now: datetime | None = None) -> datetime | None:
    """Work out and store one practitioner's next free time; returns it."""
    now = now or timezone.now()
    practitioner = Practitioner.objects.filter(pk=practitioner_id).first()
    if practitioner is None:
        return None
    next_free = next_free_start(practitioner, now)
    # An UPDATE of two columns only, so it never overwrites a profile edit made meanwhile.
    Practitioner.objects.filter(pk=practitioner_id).update(
        next_free_at=next_free, next_free_checked_at=now
    )
    return next_free


def refresh_next_free_on_commit(practitioner_id: int) -> None:
    """Refresh the practitioner's next free time once the current transaction commits (the
    change that moved it is then visible, and a rolled-back change refreshes nothing)."""
    transaction.on_commit(lambda: refresh_next_free(practitioner_id))


# The longest a session can keep the calendar busy from its start: the longest length, the
# largest buffer and the travel back.
LONGEST_SPAN = timedelta(minutes=max(SESSION_LENGTHS) + MAX_BUFFER_MINUTES + MAX_TRAVEL_MINUTES)


def refresh_after_booking_on_commit(
    practitioner: Practitioner, blocks_from: datetime, now: datetime
) -> None:
    """After a new booking blocking from `blocks_from`: refresh the practitioner's next free
    time on commit, unless the booking starts after the session at the cached (upcoming) next
    free time would end, so that time is still free and still the first (a booking only
    takes times away)."""
    cached = practitioner.next_free_at
    if cached is not None and cached > now and blocks_from >= cached + LONGEST_SPAN:
        return
    refresh_next_free_on_commit(practitioner.pk)


def on_calendar_changed(sender, practitioner: Practitioner, **kwargs) -> None:
    """Receiver of practitioners.services.calendar_changed (sent after commit)."""
    refresh_next_free(practitioner.pk)


def refresh_all_next_free() -> int:
    """run_due_jobs: refresh every practitioner's next free time; returns how many."""
    now = timezone.now()
    ids = list(Practitioner.objects.values_list("pk", flat=True))
    for practitioner_id in ids:
        refresh_next_free(practitioner_id, now)
    return len(ids)
