"""Periodic jobs, run by `manage.py run_due_jobs` from cron. Each is safe to run again."""

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.throttle import prune_hits
from practitioners.busy_import import refresh_due_busy_calendars
from practitioners.certification import lapse_due_certifications, send_ce_reminders
from reflexbook.lib.task_queue import delete_finished_tasks
from sessions.erasure import purge_due_erasures
from sessions.exports import delete_expired_exports
from sessions.models import JobRun, SlotHold
from sessions.next_free import refresh_all_next_free
from sessions.records import send_due_checkins
from sessions.reminders import send_due_reminders
from sessions.waitlist import process_waitlist

logger = logging.getLogger(__name__)


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
    # Before the next free times, so they see the busy times just read.
    refresh_due_busy_calendars,
    process_waitlist,
    refresh_all_next_free,
    delete_finished_tasks,
    purge_due_erasures,
    delete_expired_exports,
]


def _record(name: str, started: datetime, handled: int = 0, error: str = "") -> None:
    finished = timezone.now()
    outcome = JobRun.Outcome.FAILED if error else JobRun.Outcome.OK
    values = {
        "started_at": started,
        "finished_at": finished,
        "outcome": outcome,
        "handled": handled,
        "error": error,
    }
    if not error:
        values["last_ok_at"] = finished
    JobRun.objects.update_or_create(name=name, defaults=values)


def run_due_jobs() -> Iterator[tuple[str, int | None]]:
    """Run every job once, yielding its name and how many things it handled (None if it
    failed). A failing job is logged and recorded and the others still run; each job's
    outcome and the run's end are kept in JobRun (for /readyz and the admin)."""
    run_started = timezone.now()
    failed = []
    for job in JOBS:
        started = timezone.now()
        try:
            handled = job()
        except Exception as error:
            logger.exception("Job %s failed", job.__name__)
            _record(job.__name__, started, error=type(error).__name__)
            failed.append(job.__name__)
            yield job.__name__, None
        else:
            _record(job.__name__, started, handled=handled)
            yield job.__name__, handled
    _record(JobRun.RUN, run_started, handled=len(JOBS) - len(failed), error=", ".join(failed))
