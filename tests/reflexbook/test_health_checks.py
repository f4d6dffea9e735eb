"""/healthz answers without touching anything; /readyz says whether this server is ready for
traffic (database, migrations, task queue, periodic jobs) with status words only."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reflexbook import readiness
from sessions.booking_emails import send_booking_emails
from sessions.jobs import run_due_jobs
from sessions.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs_ran():
    list(run_due_jobs())


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_and_readyz_are_not_redirected_to_https(client, settings, jobs_ran):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("readyz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301  # the rest still is


def test_readyz_is_ready_when_every_check_passes(client, jobs_ran):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "task_queue": "ok", "jobs": "ok"},
    }


def test_readyz_is_unavailable_until_the_jobs_have_run(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["jobs"] == "late"
    list(run_due_jobs())
    assert client.get(reverse("readyz")).status_code == 200


def test_readyz_turns_unavailable_when_the_jobs_stop_for_15_minutes_and_back_after(
    client, jobs_ran
):
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert client.get(reverse("readyz")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = client.get(reverse("readyz"))
        assert response.status_code == 503
        assert response.json()["checks"]["jobs"] == "late"
        list(run_due_jobs())
        assert client.get(reverse("readyz")).status_code == 200


def test_readyz_turns_unavailable_while_the_database_does_not_answer(client, jobs_ran, monkeypatch):
    def refused():
        raise OperationalError("connection refused: server at 10.0.0.5 secret details")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": "failing",
            "migrations": "unknown",
            "task_queue": "unknown",
            "jobs": "unknown",
        },
    }
    assert b"10.0.0.5" not in response.content  # status words only, no internals
    monkeypatch.undo()
    assert client.get(reverse("readyz")).status_code == 200


def test_readyz_says_when_migrations_are_not_applied(client, jobs_ran, monkeypatch):
    monkeypatch.setattr(readiness, "_migrated", False)
    monkeypatch.setattr(
        readiness.MigrationExecutor, "migration_plan", lambda self, targets: [("a", False)]
    )
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_readyz_says_the_task_queue_is_late_when_a_task_waits_too_long(
    client, jobs_ran, database_tasks
):
    with time_machine.travel(timezone.now() - timedelta(minutes=11), tick=False):
        # Any task: one row queued (for a booking gone meanwhile: the worker skips it).
        send_booking_emails.enqueue(booking_id=0, event="confirmed", recipient_ids=[], context={})
    assert DBTaskResult.objects.ready().count() == 1
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"] == "late"
    database_tasks()  # the worker catches up
    assert client.get(reverse("readyz")).status_code == 200


def test_run_due_jobs_records_each_job_and_the_run(jobs_ran):
    names = set(JobRun.objects.values_list("name", flat=True))
    assert JobRun.RUN in names
    assert "send_due_reminders" in names
    run = JobRun.objects.get(name=JobRun.RUN)
    assert run.outcome == JobRun.Outcome.OK and run.last_ok_at == run.finished_at


def test_readyz_turns_unavailable_when_the_jobs_keep_failing(client, jobs_ran, monkeypatch):
    from sessions import jobs

    def broken() -> int:
        raise RuntimeError("cannot reach the mail server")

    monkeypatch.setattr(jobs, "JOBS", [broken])
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        list(run_due_jobs())  # a run finished, but a job failed
        response = client.get(reverse("readyz"))
        assert response.status_code == 503
        assert response.json()["checks"]["jobs"] == "late"
