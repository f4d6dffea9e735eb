"""Time that became free on a practitioner's calendar, for the waitlist (issue 17).

Every freeing change calls record_freed_time inside its own transaction: the FreedTime row
commits with the change or not at all (an outbox), and once it has committed `time_freed` is
sent so that sessions (which practitioners never imports) can try the offers at once;
run_due_jobs works through any row that attempt missed (a crash, a worker down).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from practitioners.models import FreedTime, Practitioner

# Sent, with `practitioner=`, once a transaction that freed time has committed; sessions.apps
# connects sessions.waitlist.on_time_freed.
time_freed = Signal()


def record_freed_time(
    practitioner: Practitioner,
    starts_at: datetime,
    ends_at: datetime,
    cause: str,
    *,
    now: datetime | None = None,
) -> FreedTime | None:
    """Write the outbox row saying `starts_at`–`ends_at` became free on `practitioner`'s
    calendar (`cause`, a FreedTime.Cause) in the current transaction, and announce it after
    the commit. Time wholly past frees nothing (None)."""
    now = now or timezone.now()
    starts_at = max(starts_at, now)
    if ends_at <= starts_at:
        return None
    freed = FreedTime.objects.create(
        practitioner=practitioner, starts_at=starts_at, ends_at=ends_at, cause=cause
    )
    transaction.on_commit(lambda: time_freed.send(sender=FreedTime, practitioner=practitioner))
    return freed


def record_hours_extended(practitioner: Practitioner, *, now: datetime | None = None) -> None:
    """Weekly hours gained time somewhere: everything up to the booking horizon may hold
    newly free starts, so the whole horizon is one freed row (the waitlist matcher finds
    the starts that are free and suit each client)."""
    now = now or timezone.now()
    record_freed_time(
        practitioner,
        now,
        now + timedelta(days=practitioner.booking_horizon_days),
        FreedTime.Cause.HOURS_EXTENDED,
        now=now,
    )
