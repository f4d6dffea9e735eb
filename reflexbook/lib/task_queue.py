"""Housekeeping for the task queue (django-tasks-db's table). A finished task row is no use
after a few days, and even an id-only row says who was emailed about what, so it goes."""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Long enough to look into a failed email over a weekend, short enough to hold little.
FINISHED_TASKS_KEPT = timedelta(days=7)


def delete_finished_tasks(now: datetime | None = None) -> int:
    """Delete task rows that succeeded or failed more than FINISHED_TASKS_KEPT ago; rows
    waiting or running stay."""
    now = now or timezone.now()
    deleted, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - FINISHED_TASKS_KEPT).delete()
    )
    return deleted
