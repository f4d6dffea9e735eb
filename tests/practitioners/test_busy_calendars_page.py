"""The practitioner's "Busy times from your calendars" page (issue 17, point 3): for
practitioners only; adds a feed (fetched at once, then by the job), shows each feed's status
with its address masked (never the secret in full), the last error and its time, keeps what
was typed on a refusal, and removes a feed with its busy times."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from practitioners.busy_import import MAX_CALENDARS
from practitioners.models import BusyCalendar, BusyInterval
from tests.factories import BusyCalendarFactory, BusyIntervalFactory, ListedPractitionerFactory
from tests.practitioners.calendar_files import calendar_file
from tests.practitioners.calendar_server import Answer, CalendarServer

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 05:00 in Los Angeles
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]
PAGE = reverse("practitioners:busy-calendars")
SECRET = "/calendar/ical/pat%40example.com/private-5e3b9a0c7d1f/basic.ics"


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


@pytest.fixture
def server(settings):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE = True
    with CalendarServer() as running:
        yield running


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("staff", 403), ("practitioner", 200)],
    indirect=["who"],
)
def test_the_page_is_for_practitioners_only(client, who, status):
    response = client.get(PAGE)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_adding_a_calendar_reads_it_at_once_and_never_shows_the_secret_again(
    logged_in, practitioner, server
):
    url = server.serve(SECRET, Answer(body=calendar_file("weekly_with_exceptions.ics")))
    response = logged_in.post(PAGE, {"name": "Personal", "url": url}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(PAGE, 302)]
    assert "“Personal” was added." in html
    calendar = BusyCalendar.objects.get(practitioner=practitioner)
    assert calendar.url == url
    assert calendar.intervals.count() == 8
    assert "Last read: Mon 1 Jun 2026, 05:00. 8 busy times in your booking window." in html
    assert "http://127.0.0.1/…" in html
    assert "private-5e3b9a0c7d1f" not in html
    assert "private-5e3b9a0c7d1f" not in logged_in.get(PAGE).content.decode()


def test_a_webcal_address_is_read_over_https(logged_in, practitioner):
    # 10.0.0.7 is private: with the setting off it is refused before any connection.
    logged_in.post(PAGE, {"name": "iCloud", "url": "webcal://10.0.0.7/published/2/abc"})
    calendar = BusyCalendar.objects.get(practitioner=practitioner)
    assert calendar.url == "https://10.0.0.7/published/2/abc"
    html = logged_in.get(PAGE).content.decode()
    assert "Could not read it on Mon 1 Jun, 05:00:" in html
    assert "private or local network address" in html
    assert "No busy times from it yet." in html


def test_the_last_error_and_the_last_good_copy_are_shown(logged_in, practitioner):
    calendar = BusyCalendarFactory(
        practitioner=practitioner,
        name="Family",
        succeeded_at=NOW - timedelta(hours=2),
        fetched_at=NOW - timedelta(minutes=3),
        error="The calendar server did not answer within 10 seconds.",
        error_at=NOW - timedelta(minutes=3),
    )
    BusyIntervalFactory(calendar=calendar)
    html = logged_in.get(PAGE).content.decode()
    assert "Could not read it on Mon 1 Jun, 04:57:" in html
    assert "The calendar server did not answer within 10 seconds." in html
    assert "Still using the busy times read on Mon 1 Jun, 03:00." in html
    assert "1 busy time in your booking window" in html


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("calendar.google.com/calendar/ical/x/basic.ics", "Enter the whole address"),
        ("ftp://calendar.example.com/basic.ics", "Enter the whole address"),
        ("https://calendar.example.com/my calendar.ics", "cannot contain spaces"),
        ("https://:443/basic.ics", "no valid server name"),
    ],
)
def test_a_bad_address_is_refused_and_what_was_typed_kept(logged_in, url, error):
    response = logged_in.post(PAGE, {"name": "Personal", "url": url})
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'value="Personal"' in html
    assert f'value="{url}"' in html
    assert not BusyCalendar.objects.exists()


def test_the_same_address_twice_is_refused(logged_in, practitioner):
    calendar = BusyCalendarFactory(practitioner=practitioner)
    response = logged_in.post(PAGE, {"name": "Again", "url": calendar.url})
    assert "You have already added this calendar address." in response.content.decode()
    assert BusyCalendar.objects.count() == 1


def test_at_most_five_calendars(logged_in, practitioner):
    BusyCalendarFactory.create_batch(MAX_CALENDARS, practitioner=practitioner)
    assert "Remove one to add another." in logged_in.get(PAGE).content.decode()
    response = logged_in.post(PAGE, {"name": "Sixth", "url": "https://10.0.0.9/sixth.ics"})
    assert f"You can add up to {MAX_CALENDARS} calendars." in response.content.decode()
    assert BusyCalendar.objects.count() == MAX_CALENDARS


def test_removing_a_calendar_removes_its_busy_times(logged_in, practitioner):
    calendar = BusyCalendarFactory(practitioner=practitioner, name="Work")
    BusyIntervalFactory(calendar=calendar)
    url = reverse("practitioners:busy-calendar-delete", kwargs={"code": calendar.code})
    response = logged_in.post(url, follow=True)
    assert "“Work” was removed" in response.content.decode()
    assert not BusyCalendar.objects.exists()
    assert not BusyInterval.objects.exists()


def test_another_practitioners_calendar_cannot_be_removed(logged_in):
    theirs = BusyCalendarFactory(practitioner=ListedPractitionerFactory())
    url = reverse("practitioners:busy-calendar-delete", kwargs={"code": theirs.code})
    assert logged_in.post(url).status_code == 404
    assert logged_in.get(url).status_code == 405
    assert BusyCalendar.objects.filter(pk=theirs.pk).exists()
