"""The 24-hour reminder: an outbox row per booking, swept by `manage.py run_due_jobs`.

The rule: a reminder is due 24 *absolute* hours before the start (`starts_at - 24 h` in UTC),
not "the same wall time the day before". Across a clock change the two differ by an hour:
for 10:00 London on Monday 30 March 2026 (the day after the clocks go forward) the reminder
is due at 09:00 UTC on Sunday 29 March, which is 10:00 BST; for 10:00 London on the change day
itself it is due at 09:00 UTC on the 28th, which is 09:00 GMT, 25 wall-clock hours earlier.
"""

import threading
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

import sessions.reminders
from practitioners.models import WeeklyHours
from sessions.booking import book_session, cancel_booking, reschedule_booking
from sessions.models import Booking, Reminder
from sessions.reminders import send_due_reminders
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    ReminderFactory,
    UserFactory,
    WeeklyHoursFactory,
)

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # Monday
MONDAY_10_LA = datetime(2026, 6, 8, 10, 0, tzinfo=LA)  # 17:00 UTC
State = Reminder.State


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def book(practitioner, client, starts_at, **kwargs) -> Booking:
    return book_session(
        client=client,
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        starts_at=starts_at,
        intake=IntakeFormFactory(client=client),
        **kwargs,
    )


def sweep() -> str:
    out = StringIO()
    call_command("run_due_jobs", stdout=out)
    return out.getvalue()


def reminders_in(mailoutbox) -> list:
    return [m for m in mailoutbox if m.subject.startswith("Reminder:")]


@pytest.fixture
def booking(practitioner, client_user):
    with at(NOW):
        return book(practitioner, client_user, MONDAY_10_LA)


# --- when the reminder is due ------------------------------------------------------------------


def test_the_reminder_is_due_exactly_24_hours_before_the_start(booking):
    (reminder,) = booking.reminders.all()
    assert reminder.kind == Reminder.Kind.DAY_BEFORE
    assert reminder.state == State.PENDING
    assert reminder.due_at == datetime(2026, 6, 7, 17, 0, tzinfo=UTC)


# (zone, local start, due in UTC, due on the local clock): the day of and after each change.
DST_CASES = [
    ("Europe/London", datetime(2026, 3, 29, 10), datetime(2026, 3, 28, 9), "2026-03-28 09:00 GMT"),
    ("Europe/London", datetime(2026, 3, 30, 10), datetime(2026, 3, 29, 9), "2026-03-29 10:00 BST"),
    (
        "Europe/London",
        datetime(2026, 10, 25, 10),
        datetime(2026, 10, 24, 10),
        "2026-10-24 11:00 BST",
    ),
    (
        "Europe/London",
        datetime(2026, 10, 26, 10),
        datetime(2026, 10, 25, 10),
        "2026-10-25 10:00 GMT",
    ),
    (
        "America/New_York",
        datetime(2026, 3, 8, 10),
        datetime(2026, 3, 7, 14),
        "2026-03-07 09:00 EST",
    ),
    (
        "America/New_York",
        datetime(2026, 3, 9, 10),
        datetime(2026, 3, 8, 14),
        "2026-03-08 10:00 EDT",
    ),
    (
        "America/New_York",
        datetime(2026, 11, 1, 10),
        datetime(2026, 10, 31, 15),
        "2026-10-31 11:00 EDT",
    ),
    (
        "America/New_York",
        datetime(2026, 11, 2, 10),
        datetime(2026, 11, 1, 15),
        "2026-11-01 10:00 EST",
    ),
    (
        "Australia/Sydney",
        datetime(2026, 4, 5, 10),
        datetime(2026, 4, 4, 0),
        "2026-04-04 11:00 AEDT",
    ),
    (
        "Australia/Sydney",
        datetime(2026, 4, 6, 10),
        datetime(2026, 4, 5, 0),
        "2026-04-05 10:00 AEST",
    ),
    (
        "Australia/Sydney",
        datetime(2026, 10, 4, 10),
        datetime(2026, 10, 2, 23),
        "2026-10-03 09:00 AEST",
    ),
    (
        "Australia/Sydney",
        datetime(2026, 10, 5, 10),
        datetime(2026, 10, 3, 23),
        "2026-10-04 10:00 AEDT",
    ),
]


@pytest.mark.parametrize("zone,local_start,due_utc,due_local", DST_CASES)
def test_across_clock_changes_the_reminder_is_due_24_absolute_hours_before(
    client_user, zone, local_start, due_utc, due_local, mailoutbox
):
    tz = ZoneInfo(zone)
    starts_at = local_start.replace(tzinfo=tz)
    with at(starts_at - timedelta(days=10)):
        practitioner = ListedPractitionerFactory(timezone=zone)
        practitioner.weekly_hours.all().delete()
        for weekday in WeeklyHours.Weekday.values:
            WeeklyHoursFactory(practitioner=practitioner, weekday=weekday)
        booking = book(practitioner, client_user, starts_at)

    assert booking.starts_at.astimezone(tz).replace(tzinfo=None) == local_start
    (reminder,) = booking.reminders.all()
    assert reminder.due_at == due_utc.replace(tzinfo=UTC)
    assert reminder.due_at == booking.starts_at - timedelta(hours=24)
    assert f"{reminder.due_at.astimezone(tz):%Y-%m-%d %H:%M %Z}" == due_local

    # It goes out on the first sweep at or after that moment, not before.
    with at(reminder.due_at - timedelta(minutes=1)):
        assert send_due_reminders() == 0
    with at(reminder.due_at):
        assert send_due_reminders() == 1
    assert len(reminders_in(mailoutbox)) == 1


def test_a_booking_made_less_than_24_hours_ahead_is_reminded_on_the_next_sweep(
    practitioner, client_user, mailoutbox
):
    practitioner.min_notice_hours = 2
    practitioner.save()
    made = datetime(2026, 6, 8, 0, 0, tzinfo=LA)
    with at(made):
        soon = book(practitioner, client_user, MONDAY_10_LA)
        later = book(practitioner, UserFactory(), datetime(2026, 6, 15, 10, 0, tzinfo=LA))
    assert soon.reminders.get().due_at == made
    assert later.reminders.get().due_at == later.starts_at - timedelta(hours=24)
    with at(made + timedelta(minutes=1)):
        sweep()
    assert [m.to for m in reminders_in(mailoutbox)] == [[client_user.email]]


# --- the sweeper ----------------------------------------------------------------------------


def test_run_due_jobs_sends_each_due_reminder_once(practitioner, client_user, booking, mailoutbox):
    with at(NOW):
        not_yet = book(practitioner, UserFactory(), datetime(2026, 6, 15, 10, 0, tzinfo=LA))
    mailoutbox.clear()

    with at(datetime(2026, 6, 7, 17, 5, tzinfo=UTC)):
        assert "send_due_reminders: 1" in sweep()
        assert "send_due_reminders: 0" in sweep()

    (message,) = mailoutbox
    assert message.to == [client_user.email]  # the client; the practitioner has the agenda
    # 10:00 in Los Angeles is 13:00 for the client in New York, and the zone is named.
    assert message.subject == "Reminder: reflexology on Monday 8 June at 13:00 (America/New_York)"
    assert "Monday 8 June 2026, 13:00–14:00 (America/New_York)" in message.body
    (attachment,) = message.attachments
    (event,) = Calendar.from_ical(attachment.content).walk("VEVENT")
    assert str(event["UID"]) == f"{booking.code}@reflexbook"
    reminder = booking.reminders.get()
    assert (reminder.state, reminder.sent_at) == (
        State.SENT,
        datetime(2026, 6, 7, 17, 5, tzinfo=UTC),
    )
    assert not_yet.reminders.get().state == State.PENDING


def test_a_rescheduled_reminder_never_fires_at_the_old_time(booking, mailoutbox):
    new_start = datetime(2026, 6, 15, 10, 0, tzinfo=LA)
    with at(NOW + timedelta(days=1)):
        reschedule_booking(booking=booking, new_starts_at=new_start)
    mailoutbox.clear()

    old_due = datetime(2026, 6, 7, 17, 0, tzinfo=UTC)
    with at(old_due + timedelta(minutes=1)):
        assert send_due_reminders() == 0
    assert mailoutbox == []
    (reminder,) = booking.reminders.all()
    assert reminder.due_at == new_start - timedelta(hours=24)

    with at(reminder.due_at):
        assert send_due_reminders() == 1
    (message,) = mailoutbox
    assert "Monday 15 June 2026" in message.body


def test_a_reminder_already_sent_is_sent_again_for_the_new_time(booking, mailoutbox):
    with at(datetime(2026, 6, 7, 17, 0, tzinfo=UTC)):
        assert send_due_reminders() == 1
        reschedule_booking(booking=booking, new_starts_at=datetime(2026, 6, 15, 10, 0, tzinfo=LA))
    reminder = booking.reminders.get()
    assert (reminder.state, reminder.sent_at) == (State.PENDING, None)
    with at(reminder.due_at):
        assert send_due_reminders() == 1
    assert len(reminders_in(mailoutbox)) == 2


def test_a_cancelled_booking_gets_no_reminder(booking, client_user, mailoutbox):
    with at(NOW + timedelta(days=1)):
        cancel_booking(booking=booking, by=client_user, reason="")
    assert not booking.reminders.exists()
    with at(datetime(2026, 6, 7, 18, 0, tzinfo=UTC)):
        assert send_due_reminders() == 0
    assert reminders_in(mailoutbox) == []


def test_a_stray_reminder_for_a_cancelled_booking_is_skipped_not_sent(db, mailoutbox):
    with at(NOW):
        reminder = ReminderFactory(booking__status=Booking.Status.CANCELLED_BY_PRACTITIONER)
    with at(reminder.due_at + timedelta(minutes=1)):
        assert send_due_reminders() == 0
    reminder.refresh_from_db()
    assert reminder.state == State.SKIPPED
    assert mailoutbox == []


def test_after_downtime_an_overdue_reminder_is_still_sent_before_the_session(booking, mailoutbox):
    mailoutbox.clear()
    # Nothing ran from the due time until two hours before the session.
    with at(booking.starts_at - timedelta(hours=2)):
        assert send_due_reminders() == 1
    assert len(mailoutbox) == 1
    assert booking.reminders.get().state == State.SENT


def test_after_downtime_past_the_start_nothing_is_sent(booking, mailoutbox):
    mailoutbox.clear()
    with at(booking.starts_at + timedelta(minutes=1)):
        assert "send_due_reminders: 0" in sweep()
    assert mailoutbox == []
    reminder = booking.reminders.get()
    assert (reminder.state, reminder.sent_at) == (State.SKIPPED, None)


def test_a_sweep_that_crashes_sends_nothing_and_the_next_sweep_sends_everything(
    practitioner, client_user, monkeypatch, settings
):
    """With the database task queue (production), the queued emails commit with the rows
    marked sent, or neither does: there is no half-sent state for a crash to leave."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with at(NOW):
        for hour in (10, 12, 14):
            book(practitioner, UserFactory(), datetime(2026, 6, 8, hour, 0, tzinfo=LA))
    DBTaskResult.objects.all().delete()  # the booking emails
    notify = sessions.reminders.notify
    calls = []

    def crash_on_second(booking, *args, **kwargs):
        calls.append(booking)
        if len(calls) == 2:
            raise ConnectionError("worker killed")
        notify(booking, *args, **kwargs)

    monkeypatch.setattr(sessions.reminders, "notify", crash_on_second)
    with at(datetime(2026, 6, 8, 0, 0, tzinfo=LA)), pytest.raises(ConnectionError):
        send_due_reminders()
    assert not DBTaskResult.objects.exists()
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.PENDING}

    monkeypatch.setattr(sessions.reminders, "notify", notify)
    with at(datetime(2026, 6, 8, 0, 0, tzinfo=LA)):
        assert send_due_reminders() == 3
    assert DBTaskResult.objects.count() == 3
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.SENT}


# --- three sweepers at once -------------------------------------------------------------------

REMINDERS = 200


@pytest.mark.django_db(transaction=True)
def test_three_concurrent_sweepers_send_each_of_200_reminders_exactly_once(mailoutbox):
    """Threads, each with its own connection, calling the sweeper together. On PostgreSQL
    they claim rows with FOR UPDATE SKIP LOCKED; on SQLite IMMEDIATE transactions take turns.
    The locmem outbox is a plain list whose append is atomic under the GIL, so counting it
    is reliable; the Reminder rows are counted too."""
    practitioner = ListedPractitionerFactory()
    now = timezone.now()
    base = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for n in range(REMINDERS):
        # 60 minutes + 15 of buffer: 75-minute steps never overlap.
        booking = BookingFactory(
            practitioner=practitioner, starts_at=base + timedelta(minutes=75 * n)
        )
        ReminderFactory(booking=booking, due_at=now - timedelta(minutes=5))

    barrier = threading.Barrier(3)
    counts, errors = [], []

    def sweeper():
        try:
            barrier.wait(timeout=30)
            counts.append(send_due_reminders())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert sum(counts) == REMINDERS
    assert len(mailoutbox) == REMINDERS
    uids = Counter(
        str(Calendar.from_ical(m.attachments[0].content).walk("VEVENT")[0]["UID"])
        for m in mailoutbox
    )
    assert len(uids) == REMINDERS  # no booking reminded twice
    assert set(uids.values()) == {1}
    assert Reminder.objects.filter(state=State.SENT).count() == REMINDERS
    assert not Reminder.objects.exclude(state=State.SENT).exists()
    # Each email went to its own booking's client.
    clients = dict(Booking.objects.values_list("code", "client__email"))
    for message in mailoutbox:
        uid = str(Calendar.from_ical(message.attachments[0].content).walk("VEVENT")[0]["UID"])
        assert message.to == [clients[uuid.UUID(uid.removesuffix("@reflexbook"))]]


def test_the_dst_cases_use_real_2026_change_dates():
    """Guard the table above: the listed dates really are 2026's clock changes."""
    changes = {
        ("Europe/London", date(2026, 3, 29)),
        ("Europe/London", date(2026, 10, 25)),
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
        ("Australia/Sydney", date(2026, 4, 5)),
        ("Australia/Sydney", date(2026, 10, 4)),
    }
    for zone, day in changes:
        tz = ZoneInfo(zone)
        before = datetime.combine(day, time(0), tz).utcoffset()
        after = datetime.combine(day, time(12), tz).utcoffset()
        assert before != after, (zone, day)
