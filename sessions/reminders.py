"""The reminder sweeper: run by run_due_jobs, safe with several sweepers at once."""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from sessions.booking import notify
from sessions.models import Reminder

BATCH = 100


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue the email for every due reminder and mark it sent, in batches. Each batch is one
    transaction: rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL (other sweepers
    take the next rows) and under SQLite's write lock elsewhere, and the email is queued in
    the same transaction, so each reminder goes out exactly once. Rows missed while nothing
    ran are sent on the next sweep; none is sent for a session that has started."""
    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic(durable=True):
            due = Reminder.objects.filter(state=Reminder.State.PENDING, due_at__lte=now)
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            batch = list(
                due.select_related(
                    "booking__client", "booking__practitioner__user", "booking__service"
                )[:BATCH]
            )
            if not batch:
                return sent
            for reminder in batch:
                booking = reminder.booking
                if not booking.is_upcoming(now):
                    reminder.state = Reminder.State.SKIPPED
                else:
                    notify(booking, "reminder", [booking.client])
                    reminder.state = Reminder.State.SENT
                    reminder.sent_at = now
                    sent += 1
                reminder.save(update_fields=["state", "sent_at"])
