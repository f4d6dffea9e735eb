"""The task queue (django-tasks-db's table, as in production) holds references, not text: no
names, health details or rendered bodies in a task row; finished rows are pruned by
run_due_jobs; and the admin does not show the table."""

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reflexbook.lib.task_queue import FINISHED_TASKS_KEPT
from sessions import booking as booking_service
from sessions.jobs import run_due_jobs
from sessions.models import Booking, IntakeForm
from tests.factories import IntakeFormFactory, ListedPractitionerFactory, UserFactory
from tests.two_factor import log_in_verified

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MONDAY_10 = datetime.combine(date(2026, 6, 8), time(10), LA).astimezone(UTC)

pytestmark = pytest.mark.time_machine(NOW, tick=False)
TASK_TABLE = DBTaskResult._meta.db_table


def book(client, practitioner=None, **details):
    practitioner = practitioner or ListedPractitionerFactory()
    return booking_service.book_session(
        client=client,
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        starts_at=MONDAY_10,
        intake=IntakeForm.objects.get(client=client),
        **details,
    )


def stored_rows() -> str:
    return json.dumps(list(DBTaskResult.objects.values()), default=str)


def test_a_booking_email_task_holds_no_name_health_text_or_rendered_body(
    database_tasks, mailoutbox
):
    client = UserFactory(full_name="Zelda Quillfeather", timezone="America/Los_Angeles")
    IntakeFormFactory(
        client=client, answers={"pregnancy": "not_pregnant", "medications": "Warfarin 5 mg"}
    )
    practitioner = ListedPractitionerFactory(user__full_name="Pat Practitioner")

    book(client, practitioner, client_message="My migraines are worse since March.")

    assert mailoutbox == []
    rows = stored_rows()
    # One row for the event, holding ids: the worker renders both emails.
    assert DBTaskResult.objects.count() == 1
    for text in ("Zelda", "Quillfeather", "Warfarin", "migraines", "Pat Practitioner"):
        assert text not in rows
    for rendered in ("Hello", "booking request", "BEGIN:VCALENDAR", client.email):
        assert rendered not in rows

    assert database_tasks() == 1

    to_practitioner, to_client = sorted(mailoutbox, key=lambda m: m.to != [practitioner.user.email])
    assert to_practitioner.subject == "New booking request from Zelda Quillfeather"
    assert to_client.to == [client.email]
    # Rendered in the client's zone though the worker runs in UTC: 10:00 in Los Angeles.
    assert "Monday 8 June 2026, 10:00" in to_client.body
    (name, calendar, mimetype) = to_client.attachments[0]
    assert "BEGIN:VCALENDAR" in calendar
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert DBTaskResult.objects.successful().count() == 1


def test_an_email_whose_booking_is_gone_when_the_worker_runs_is_skipped(
    database_tasks, mailoutbox, caplog
):
    client = IntakeFormFactory().client
    booking = book(client)
    booking.reminders.all().delete()
    booking.delete()

    database_tasks()

    assert mailoutbox == []
    # Skipped, not crashed: the row finished cleanly and the log says why.
    assert DBTaskResult.objects.successful().count() == 1
    assert "no longer exists" in caplog.text


def test_the_calendar_file_matches_the_booking_when_the_worker_runs(database_tasks, mailoutbox):
    client = IntakeFormFactory().client
    booking = book(client)
    booking_service.cancel_booking(booking=booking, by=client, reason="")

    database_tasks()

    for message in mailoutbox:
        (_, calendar, mimetype) = message.attachments[0]
        assert "METHOD:CANCEL" in calendar
        assert mimetype.startswith("text/calendar; method=CANCEL")


def finished_row(status: str, finished_at: datetime | None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reflexbook.lib.mail.deliver_email",
        backend_name="default",
        run_after=NOW,
        finished_at=finished_at,
        exception_class_path="",
        traceback="",
    )


def test_run_due_jobs_prunes_finished_task_rows_past_the_threshold(db):
    old = NOW - FINISHED_TASKS_KEPT - timedelta(minutes=1)
    recent = NOW - FINISHED_TASKS_KEPT + timedelta(minutes=1)
    finished_row("SUCCESSFUL", old)
    finished_row("FAILED", old)
    kept = {
        finished_row("SUCCESSFUL", recent).pk,
        finished_row("FAILED", recent).pk,
        finished_row("READY", None).pk,
        finished_row("RUNNING", None).pk,
    }

    results = dict(run_due_jobs())

    assert results["delete_finished_tasks"] == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == kept


def test_the_admin_does_not_show_task_rows(db, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    log_in_verified(client, admin)
    row = finished_row("SUCCESSFUL", timezone.now())
    base = reverse("admin:index")

    assert client.get(f"{base}django_tasks_db/dbtaskresult/").status_code == 404
    assert client.get(f"{base}django_tasks_db/dbtaskresult/{row.pk}/change/").status_code == 404
    assert "dbtaskresult" not in client.get(base).text.lower()


@pytest.mark.django_db(transaction=True)
def test_a_booking_writes_its_one_email_row_inside_its_own_transaction(database_tasks):
    client = IntakeFormFactory().client

    with CaptureQueriesContext(connection) as queries:
        book(client)

    sql = [query["sql"] for query in queries]
    inserts = [n for n, s in enumerate(sql) if s.startswith(f'INSERT INTO "{TASK_TABLE}"')]
    assert len(inserts) == 1
    assert sql.index("COMMIT") > inserts[0]  # an outbox: committed with the booking


@pytest.mark.django_db(transaction=True)
def test_a_booking_that_rolls_back_after_queueing_its_emails_leaves_no_task_row(
    database_tasks, monkeypatch
):
    client = IntakeFormFactory().client
    real_notify = booking_service.notify

    def queue_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        raise RuntimeError("the write failed after queueing")

    monkeypatch.setattr(booking_service, "notify", queue_then_fail)

    with pytest.raises(RuntimeError):
        book(client)

    assert not Booking.objects.exists()
    assert not DBTaskResult.objects.exists()
