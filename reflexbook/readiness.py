"""Is this server ready for traffic? The checks behind /readyz: the database answers, every
migration is applied, the task queue is moving, and the periodic jobs ran, and worked, lately. Each check
gives a status word; the words are all the public ever sees (no error text, no counts)."""

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sessions.models import JobRun

OK, FAILING, LATE, UNKNOWN = "ok", "failing", "late", "unknown"

_migrated = False  # once every migration is applied, it stays so for this process


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return FAILING
    return OK


def _migrations() -> str:
    """Applied migrations, checked until they all are (building the plan reads every
    migration file: not something to repeat on each probe)."""
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return OK if _migrated else FAILING


def _task_queue(now: datetime) -> str:
    """The oldest task waiting to run was queued less than READY_TASK_WAIT ago (only with
    the database queue: the immediate backend has none)."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return OK
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values("enqueued_at").first()
    if oldest and oldest["enqueued_at"] < now - settings.READY_TASK_WAIT:
        return LATE
    return OK


def _jobs(now: datetime) -> str:
    """A whole `run_due_jobs` with every job working finished less than READY_JOBS_WAIT ago
    (runs that keep failing are late too)."""
    run = JobRun.objects.filter(name=JobRun.RUN).values("last_ok_at").first()
    if not run or not run["last_ok_at"] or run["last_ok_at"] < now - settings.READY_JOBS_WAIT:
        return LATE
    return OK


def checks(now: datetime | None = None) -> dict[str, str]:
    """Each check's status word; the others are UNKNOWN when the database does not answer."""
    now = now or timezone.now()
    results = {"database": _database()}
    if results["database"] != OK:
        return results | {"migrations": UNKNOWN, "task_queue": UNKNOWN, "jobs": UNKNOWN}
    try:
        results |= {
            "migrations": _migrations(),
            "task_queue": _task_queue(now),
            "jobs": _jobs(now),
        }
    except DatabaseError:  # the database went away between the checks
        results["database"] = FAILING
    return results


def ready(results: dict[str, str]) -> bool:
    return all(status == OK for status in results.values())
