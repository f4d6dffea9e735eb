"""Busy times imported from the practitioner's own calendar (issue 17, point 3) are busy
everywhere: the slot finder leaves them out, the write path refuses them in words ("the
practitioner is not available then"), the calendar shows them as grey blocks with a notice
when a feed could not be read, the cached public pages see a new one at once, and the week
of times keeps its query count with 0 and with 500 of them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from practitioners.models import BusyInterval
from sessions.availability import free_slots_for
from sessions.booking import BUSY_IN_YOUR_CALENDAR, BookingRefused, book_for_client
from sessions.forms.booking import format_start
from tests.factories import BookingFactory, BusyCalendarFactory, BusyIntervalFactory
from tests.sessions.booking_helpers import MONDAY, NOW, Status, book, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)
WEEK = reverse("sessions:calendar-week")
DAY = reverse("sessions:calendar-day")


@pytest.fixture
def personal(practitioner):
    return BusyCalendarFactory(practitioner=practitioner, name="Personal", succeeded_at=NOW)


def busy(calendar, starts_at, ends_at):
    return BusyIntervalFactory(calendar=calendar, starts_at=starts_at, ends_at=ends_at)


def monday_starts(practitioner) -> list:
    service = practitioner.services.get()
    return free_slots_for(
        practitioner=practitioner, service=service, minutes=60, first_day=MONDAY, last_day=MONDAY
    )


def slots_url(practitioner) -> str:
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    return f"{url}?week={MONDAY.isoformat()}"


def test_the_slot_finder_treats_imported_busy_times_as_busy(practitioner, personal):
    assert la(MONDAY, 10) in monday_starts(practitioner)
    busy(personal, la(MONDAY, 10), la(MONDAY, 11))
    starts = monday_starts(practitioner)
    # 60 minutes and the 15-minute buffer must fit before 10:00 or start from 11:00.
    assert la(MONDAY, 10) not in starts
    assert la(MONDAY, 9, 30) not in starts
    assert la(MONDAY, 9) not in starts  # ends 10:00, its buffer runs into the busy time
    assert la(MONDAY, 11) in starts
    assert la(MONDAY, 8, 30) not in starts  # outside hours anyway


def test_another_practitioners_busy_times_do_not_count(practitioner, other_practitioner):
    calendar = BusyCalendarFactory(practitioner=other_practitioner)
    busy(calendar, la(MONDAY, 9), la(MONDAY, 17))
    assert la(MONDAY, 10) in monday_starts(practitioner)


def test_booking_over_an_imported_busy_time_is_refused_in_words(
    practitioner, personal, client_user, intake
):
    busy(personal, la(MONDAY, 10, 30), la(MONDAY, 11))
    with pytest.raises(BookingRefused, match="The practitioner is not available then"):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 10))
    assert not practitioner.bookings.exists()


def test_the_practitioner_booking_for_a_client_is_told_their_own_calendar_is_busy(
    practitioner, personal, client_user, intake
):
    BookingFactory(
        practitioner=practitioner,
        client=client_user,
        intake=intake,
        status=Status.COMPLETED,
        starts_at=NOW - timedelta(days=14),
    )
    busy(personal, la(MONDAY, 10), la(MONDAY, 11))
    with pytest.raises(BookingRefused) as refusal:
        book_for_client(
            practitioner=practitioner,
            by=practitioner.user,
            client=client_user,
            service=practitioner.services.get(),
            minutes=60,
            starts_at=la(MONDAY, 10),
            outside_hours=True,
        )
    assert str(refusal.value) == BUSY_IN_YOUR_CALENDAR


def test_the_public_week_of_times_drops_a_new_busy_time_at_once(client, practitioner, personal):
    stamp = format_start(la(MONDAY, 10))
    assert stamp in client.get(slots_url(practitioner)).content.decode()  # now cached
    busy(personal, la(MONDAY, 10), la(MONDAY, 11))  # the trigger moves public_version
    assert stamp not in client.get(slots_url(practitioner)).content.decode()


# Session and user (login), practitioner, length, free_slots_for's reads (bookings, holds,
# time off and imported busy times in one UNION; weekly hours; date exceptions), and the menu's
# "is this a practitioner?" (tests/sessions/test_booking_flow_queries.py's budget).
QUERY_BUDGET = 9


@pytest.mark.parametrize("count", [0, 500])
def test_the_week_of_times_keeps_its_query_count_with_imported_busy_times(
    client, client_user, practitioner, personal, count, django_assert_max_num_queries
):
    # 500 half-hour busy times an hour apart, from two days before the viewed week on.
    first = la(MONDAY, 0) - timedelta(days=2)
    BusyInterval.objects.bulk_create(
        BusyInterval(
            calendar=personal,
            practitioner=practitioner,
            starts_at=first + timedelta(hours=n),
            ends_at=first + timedelta(hours=n, minutes=30),
        )
        for n in range(count)
    )
    client.force_login(client_user)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(slots_url(practitioner))
    assert response.status_code == 200
    offered = format_start(la(MONDAY, 9)) in response.content.decode()
    assert offered is (count == 0)


def calendar_page(client, practitioner, url=DAY) -> str:
    client.force_login(practitioner.user)
    response = client.get(url, {"date": MONDAY.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def test_the_calendar_shows_imported_busy_times_as_grey_named_blocks(
    client, practitioner, personal
):
    busy(personal, la(MONDAY, 14), la(MONDAY, 15, 30))
    html = calendar_page(client, practitioner)
    book = reverse("sessions:book-for-client")
    kinds = {
        hour: re.search(
            rf'<a class="([^"]*)" href="{book}\?start={format_start(la(MONDAY, *hour))}"', html
        )[1]
        for hour in [(13, 45), (14, 0), (14, 15), (15, 15), (15, 30)]
    }
    assert "rb-cal-elsewhere rb-cal-first" in kinds[(14, 0)].replace(" rb-cal-on-hour", "")
    assert "rb-cal-elsewhere" in kinds[(14, 15)] and "rb-cal-first" not in kinds[(14, 15)]
    assert "rb-cal-elsewhere" in kinds[(15, 15)]
    assert "rb-cal-free" in kinds[(13, 45)] and "rb-cal-free" in kinds[(15, 30)]
    assert "Busy in your calendar" in html  # the cells' words and the key


def test_the_key_names_busy_times_only_for_a_practitioner_with_a_calendar(client, practitioner):
    assert "Busy in your calendar" not in calendar_page(client, practitioner, WEEK)


def test_the_calendar_says_when_a_feed_could_not_be_read(client, practitioner):
    BusyCalendarFactory(
        practitioner=practitioner,
        name="Family",
        succeeded_at=NOW - timedelta(hours=3),
        error="The calendar server had a problem (500). reflexbook will try again.",
        error_at=NOW - timedelta(minutes=5),
    )
    html = calendar_page(client, practitioner, WEEK)
    assert "Your calendar “Family” could not be read on Mon 1 Jun, 04:55:" in html
    assert "The calendar server had a problem (500)." in html
    assert "Its busy times from Mon 1 Jun, 02:00 still show in grey." in html
    assert reverse("practitioners:busy-calendars") in html


def test_a_calendar_read_without_error_gives_no_notice(client, practitioner, personal):
    assert "could not be read" not in calendar_page(client, practitioner, WEEK)
