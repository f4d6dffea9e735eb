"""Periodic jobs, run by `manage.py run_due_jobs` from cron. Each is safe to run again."""

from collections.abc import Callable, Iterator

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.throttle import prune_hits
from practitioners.certification import lapse_due_certifications, send_ce_reminders
from reflexbook.lib.task_queue import delete_finished_tasks
from sessions.models import SlotHold
from sessions.next_free import refresh_all_next_free
from sessions.records import send_due_checkins
from sessions.reminders import send_due_reminders
from sessions.waitlist import process_waitlist


def delete_expired_login_sessions() -> int:
    """Drop login sessions past their expiry date."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def delete_lapsed_holds() -> int:
    """Drop held times that have lapsed. Only tidiness: a lapsed hold already holds nothing,
    as every query compares its expiry with now."""
    deleted, _ = SlotHold.objects.lapsed().delete()
    return deleted


JOBS: list[Callable[[], int]] = [
    delete_expired_login_sessions,
    delete_lapsed_holds,
    prune_hits,
    lapse_due_certifications,
    send_ce_reminders,
    send_due_reminders,
    send_due_checkins,
    process_waitlist,
    refresh_all_next_free,
    delete_finished_tasks,
]


def run_due_jobs() -> Iterator[tuple[str, int]]:
    """Run every job once, yielding its name and how many things it handled."""
    for job in JOBS:
        yield job.__name__, job()
