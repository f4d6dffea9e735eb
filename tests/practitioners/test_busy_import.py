"""Importing busy times from a practitioner's own calendar over HTTP (issue 17, point 3), against
a real server on 127.0.0.1 (tests.practitioners.calendar_server): a Google-shaped feed with a
weekly series, ETag and 304, a 500, a feed that times out, one over 5 MB, redirects (followed,
or refused when they lead to a private address with the setting off), and a page that is not a
calendar. A failure keeps the last good copy and records the error."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from practitioners import calendar_fetch
from practitioners.busy_import import (
    REFRESH_EVERY,
    refresh_busy_calendar,
    refresh_due_busy_calendars,
)
from practitioners.models import BusyCalendar, BusyInterval, Practitioner
from sessions.jobs import JOBS
from tests.factories import BusyCalendarFactory, ListedPractitionerFactory
from tests.practitioners.calendar_files import calendar_file
from tests.practitioners.calendar_server import Answer, CalendarServer

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]
WEEKLY = calendar_file("weekly_with_exceptions.ics")
FIVE_MB = 5 * 1024 * 1024


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# The weekly series (Mondays 10:00-11:30 New York) within the booking horizon (60 days) and a
# day each side: 15 June left out (EXDATE), 22 June moved to Wednesday 24 June 16:00.
WEEKLY_BUSY = [
    (utc(2026, 6, 1, 14), utc(2026, 6, 1, 15, 30)),
    (utc(2026, 6, 8, 14), utc(2026, 6, 8, 15, 30)),
    (utc(2026, 6, 24, 20), utc(2026, 6, 24, 21, 30)),
    (utc(2026, 6, 29, 14), utc(2026, 6, 29, 15, 30)),
    (utc(2026, 7, 6, 14), utc(2026, 7, 6, 15, 30)),
    (utc(2026, 7, 13, 14), utc(2026, 7, 13, 15, 30)),
    (utc(2026, 7, 20, 14), utc(2026, 7, 20, 15, 30)),
    (utc(2026, 7, 27, 14), utc(2026, 7, 27, 15, 30)),
]


@pytest.fixture
def server(settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = True
    with CalendarServer() as running:
        yield running


@pytest.fixture
def practitioner(db):
    return ListedPractitionerFactory(timezone="America/New_York")


def feed(practitioner, url: str) -> BusyCalendar:
    return BusyCalendarFactory(practitioner=practitioner, url=url)


def stored(calendar) -> list[tuple[datetime, datetime]]:
    return list(
        BusyInterval.objects.filter(calendar=calendar)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )


def good_copy(server, practitioner, path="/calendar/ical/private-abc123/basic.ics"):
    """A feed read once from the server (ETag "v1"), as a later failure finds it."""
    calendar = feed(practitioner, server.serve(path, Answer(body=WEEKLY, etag='"v1"')))
    assert refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    return calendar, path


def test_a_feed_is_read_and_its_busy_times_stored_for_the_booking_horizon(server, practitioner):
    calendar, _ = good_copy(server, practitioner)
    assert stored(calendar) == WEEKLY_BUSY
    assert calendar.succeeded_at == NOW
    assert calendar.fetched_at == NOW
    assert calendar.etag == '"v1"'
    assert calendar.error == ""
    assert calendar.covered_until == NOW + timedelta(days=61)
    assert set(
        BusyInterval.objects.filter(calendar=calendar).values_list("practitioner", flat=True)
    ) == {practitioner.pk}


def test_an_unchanged_feed_answers_304_and_keeps_its_busy_times(server, practitioner, time_machine):
    calendar, path = good_copy(server, practitioner)
    ids = set(BusyInterval.objects.values_list("pk", flat=True))
    time_machine.move_to(NOW + REFRESH_EVERY)
    assert refresh_busy_calendar(calendar)
    assert server.requests[-1]["headers"].get("If-None-Match") == '"v1"'
    calendar.refresh_from_db()
    assert calendar.succeeded_at == NOW + REFRESH_EVERY
    assert stored(calendar) == WEEKLY_BUSY
    assert set(BusyInterval.objects.values_list("pk", flat=True)) == ids  # nothing rewritten


def test_a_feed_is_read_again_in_full_once_the_horizon_passes_its_busy_times(
    server, practitioner, time_machine
):
    calendar, path = good_copy(server, practitioner)
    time_machine.move_to(NOW + timedelta(days=2))
    assert refresh_busy_calendar(calendar)
    assert "If-None-Match" not in server.requests[-1]["headers"]
    calendar.refresh_from_db()
    assert calendar.covered_until == NOW + timedelta(days=63)


def test_a_server_error_keeps_the_last_good_copy_and_records_the_error(
    server, practitioner, time_machine
):
    calendar, path = good_copy(server, practitioner)
    server.serve(path, Answer(status=500, body=b"Internal error"))
    time_machine.move_to(NOW + REFRESH_EVERY)
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert stored(calendar) == WEEKLY_BUSY
    assert calendar.succeeded_at == NOW
    assert calendar.error_at == NOW + REFRESH_EVERY
    assert calendar.error == "The calendar server had a problem (500). reflexbook will try again."


def test_the_next_good_read_clears_the_error(server, practitioner, time_machine):
    calendar, path = good_copy(server, practitioner)
    server.serve(path, Answer(status=500))
    refresh_busy_calendar(calendar)
    server.serve(path, Answer(body=WEEKLY, etag='"v2"'))
    time_machine.move_to(NOW + REFRESH_EVERY)
    assert refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert (calendar.error, calendar.error_at, calendar.etag) == ("", None, '"v2"')


def test_a_feed_that_does_not_answer_in_time_fails_and_keeps_the_last_good_copy(
    server, practitioner, settings
):
    calendar, path = good_copy(server, practitioner)
    settings.CALENDAR_IMPORT_TIMEOUT = 0.5
    server.serve(path, Answer(body=WEEKLY, delay=3))
    started = time.monotonic()  # the wall clock is frozen; this one is not
    assert not refresh_busy_calendar(calendar)
    assert time.monotonic() - started < 2.5
    calendar.refresh_from_db()
    assert calendar.error == "The calendar server did not answer within 0.5 seconds."
    assert stored(calendar) == WEEKLY_BUSY


@pytest.mark.parametrize(
    "answer",
    [
        Answer(body=b"BEGIN:VCALENDAR\r\n" + b"X" * FIVE_MB + b"\r\nEND:VCALENDAR\r\n"),
        Answer(stream_chunk=b"X" * 1024),  # 10 MB with no Content-Length
    ],
    ids=["declared length", "streamed"],
)
def test_a_feed_over_5_mb_is_refused_and_the_last_good_copy_kept(server, practitioner, answer):
    calendar, path = good_copy(server, practitioner)
    server.serve(path, answer)
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert calendar.error == "The calendar is larger than 5 MB; it was not imported."
    assert stored(calendar) == WEEKLY_BUSY


def test_a_page_that_is_not_a_calendar_is_refused_and_the_last_good_copy_kept(server, practitioner):
    calendar, path = good_copy(server, practitioner)
    server.serve(path, Answer(body=b"<html><body>Sign in to Google</body></html>"))
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert "not in iCalendar format" in calendar.error
    assert stored(calendar) == WEEKLY_BUSY


def test_a_redirect_is_followed(server, practitioner):
    server.serve("/new.ics", Answer(body=WEEKLY))
    old = server.serve("/old.ics", Answer(status=301, headers={"Location": "/new.ics"}))
    calendar = feed(practitioner, old)
    assert refresh_busy_calendar(calendar)
    assert stored(calendar) == WEEKLY_BUSY


@pytest.mark.parametrize(
    "target",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/calendar.ics", "http://[::1]/x"],
    ids=["link-local", "private", "loopback v6"],
)
def test_a_redirect_to_a_private_address_is_refused_with_the_setting_off(
    server, practitioner, settings, monkeypatch, target
):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    # The test server on 127.0.0.1 stands in for the provider's public server: only its own
    # address is taken for a public one; every other address is judged by the real rule.
    real_is_public = calendar_fetch._is_public
    monkeypatch.setattr(
        calendar_fetch,
        "_is_public",
        lambda address: address == "127.0.0.1" or real_is_public(address),
    )
    url = server.serve("/moved.ics", Answer(status=302, headers={"Location": target}))
    calendar = feed(practitioner, url)
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert calendar.error.startswith("The address leads to a private or local network address")
    assert [r["path"] for r in server.requests] == ["/moved.ics"]
    assert not BusyInterval.objects.exists()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_address_or_a_name_resolving_to_one_is_refused_with_the_setting_off(
    server, practitioner, settings, host
):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = False
    server.serve("/basic.ics", Answer(body=WEEKLY))
    calendar = feed(practitioner, f"http://{host}:{server.port}/basic.ics")
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert calendar.error.startswith("The address leads to a private or local network address")
    assert server.requests == []


@pytest.mark.parametrize(
    "url", ["ftp://calendar.example.com/basic.ics", "file:///etc/passwd", "gopher://x/"]
)
def test_only_http_and_https_are_fetched(practitioner, url):
    calendar = feed(practitioner, url)
    assert not refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert calendar.error == "The address must start with https:// (or http://)."


def test_no_error_repeats_the_secret_address(server, practitioner):
    secret = "/calendar/ical/private-7f3c9e1d2b/basic.ics"
    server.serve(secret, Answer(status=404))
    calendar = feed(practitioner, server.url(secret))
    refresh_busy_calendar(calendar)
    calendar.refresh_from_db()
    assert "there is no calendar at this address (404)" in calendar.error
    assert "private-7f3c9e1d2b" not in calendar.error


def test_busy_times_are_replaced_in_one_transaction(server, practitioner, monkeypatch):
    calendar, path = good_copy(server, practitioner)
    server.serve(path, Answer(body=calendar_file("all_day_and_transparent.ics")))

    def insert_fails(*args, **kwargs):
        raise RuntimeError("the database went away mid-replace")

    monkeypatch.setattr(BusyInterval.objects, "bulk_create", insert_fails)
    with pytest.raises(RuntimeError):
        refresh_busy_calendar(calendar)
    assert stored(calendar) == WEEKLY_BUSY  # the delete was rolled back with the failed insert


def test_storing_busy_times_moves_the_public_version_and_an_unchanged_feed_does_not(
    server, practitioner, time_machine
):
    before = Practitioner.objects.get(pk=practitioner.pk).public_version
    calendar, path = good_copy(server, practitioner)
    after_import = Practitioner.objects.get(pk=practitioner.pk).public_version
    assert after_import > before
    server.serve(path, Answer(body=WEEKLY))  # no ETag: read again, same busy times
    time_machine.move_to(NOW + REFRESH_EVERY)
    assert refresh_busy_calendar(calendar)
    assert Practitioner.objects.get(pk=practitioner.pk).public_version == after_import


def test_the_job_fetches_each_feed_every_15_minutes(server, practitioner, time_machine):
    assert refresh_due_busy_calendars in JOBS
    first = feed(practitioner, server.serve("/a.ics", Answer(body=WEEKLY)))
    feed(ListedPractitionerFactory(), server.serve("/b.ics", Answer(status=500)))
    assert refresh_due_busy_calendars() == 2
    assert stored(first) == WEEKLY_BUSY
    time_machine.move_to(NOW + REFRESH_EVERY - timedelta(seconds=1))
    assert refresh_due_busy_calendars() == 0
    time_machine.move_to(NOW + REFRESH_EVERY)
    assert refresh_due_busy_calendars() == 2
    assert len(server.requests) == 4
