"""book_session's own cost: a small fixed number of queries (no existence checks on rows it
has just read under its lock, no reminder lookup for a new booking), and no next-free refresh
when the booking starts after the cached next free time's session would end."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practitioners.models import Practitioner
from sessions.booking import REMINDER_BEFORE
from sessions.models import Booking, Reminder, SlotHold
from sessions.next_free import refresh_next_free
from tests.sessions.booking_helpers import MONDAY, NOW, book, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)

# Lock (practitioner with user), length, the latest intake version's id and date, a strong
# reaction waiting, the re-check's three reads (bookings, holds and time off in one; hours;
# dates), holds let go, the booking, its reminder, and one task row for both emails (the
# production queue: no recipient lookups); the client's packages of this length (none here:
# sessions.package_credits); the test transaction's savepoint and release; and the helper's
# read of the service.
QUERY_BUDGET = 15
# The review page's POST, the time held: session and user (login), the practitioner, the
# length, the visitor's hold and the intake (read once before the lock: the clearance flags
# need no query, the hold is not read again), book_session's 12 above with its savepoint and
# release, and the session saved (the hold forgotten) inside its own savepoint and release.
POST_QUERY_BUDGET = 23
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_booking_keeps_to_its_query_budget_and_schedules_its_reminder(
    practitioner, client_user, intake, django_assert_max_num_queries, settings
):
    settings.TASKS = QUEUED
    refresh_next_free(practitioner.pk)
    service = practitioner.services.get()
    with django_assert_max_num_queries(QUERY_BUDGET):
        booking = book(practitioner, client_user, intake, service=service, starts_at=la(MONDAY, 13))
    reminder = Reminder.objects.get(booking=booking)
    assert reminder.due_at == booking.starts_at - REMINDER_BEFORE


def test_booking_runs_no_existence_check_on_a_row_it_has_read(practitioner, client_user, intake):
    with CaptureQueriesContext(connection) as queries:
        book(practitioner, client_user, intake)
    sql = [q["sql"] for q in queries]
    assert not [s for s in sql if s.startswith('SELECT 1 AS "a" FROM "accounts_user"')]


def test_booking_re_reads_only_the_latest_intake_versions_id_and_date(
    practitioner, client_user, intake
):
    with CaptureQueriesContext(connection) as queries:
        book(practitioner, client_user, intake)
    intake_reads = [q["sql"] for q in queries if 'FROM "reflex_sessions_intakeform"' in q["sql"]]
    assert len(intake_reads) == 1
    assert '"reflex_sessions_intakeform"."answers"' not in intake_reads[0]
    assert '"reflex_sessions_intakeform"."signed_at"' in intake_reads[0]


def test_a_booking_well_after_the_next_free_time_leaves_it_as_it_is(
    practitioner, client_user, intake, django_capture_on_commit_callbacks
):
    refresh_next_free(practitioner.pk, NOW - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 13))
    practitioner = Practitioner.objects.get(pk=practitioner.pk)
    assert practitioner.next_free_at == la(MONDAY, 9)
    assert practitioner.next_free_checked_at == NOW - timedelta(minutes=5)  # not refreshed


def test_a_booking_just_after_the_next_free_time_refreshes_it(
    practitioner, client_user, intake, django_capture_on_commit_callbacks
):
    refresh_next_free(practitioner.pk)
    # 10:00 starts before a session at 09:00 could end with its buffer and travel: refresh.
    with django_capture_on_commit_callbacks(execute=True):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 10))
    practitioner = Practitioner.objects.get(pk=practitioner.pk)
    assert practitioner.next_free_at == la(MONDAY, 9)
    assert practitioner.next_free_checked_at == NOW


def review_url(practitioner, starts_at):
    length = practitioner.services.get().lengths.get(minutes=60)
    kwargs = {"slug": practitioner.slug, "length_id": length.pk, "start": starts_at}
    return reverse("sessions:review", kwargs=kwargs), length


def test_the_booking_post_keeps_to_its_query_budget_with_its_time_held(
    client, practitioner, client_user, intake, django_assert_max_num_queries, settings
):
    settings.TASKS = QUEUED
    refresh_next_free(practitioner.pk)
    client.force_login(client_user)
    url, length = review_url(practitioner, la(MONDAY, 13))
    client.get(url)  # holds the time
    form = {"accept_policy": "on", "unwell_now": "False", "price_seen": str(length.price)}

    with django_assert_max_num_queries(POST_QUERY_BUDGET):
        response = client.post(url, form)

    booking = Booking.objects.get(client=client_user)
    assert response.url == booking.get_absolute_url()
    assert not SlotHold.objects.exists()  # the hold became the booking
