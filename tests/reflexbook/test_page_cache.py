"""Public pages served from the cache (issue 13, reflexbook.lib.page_cache) are never stale
and never personal: a visitor without an account or a session gets the page in one query
once it is cached, and every change to what it shows (a booking, another visitor's hold, a
cancellation, hours, time off, a price, a listing lost) shows on the very next request,
however it is written (the triggers behind Practitioner.public_version); time passing drops
a time; other zones and logged-in viewers get their own render."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from practitioners.models import ServiceLength, TimeOff, WeeklyHours
from sessions.booking import cancel_booking
from sessions.forms.booking import format_start
from sessions.models import SlotHold
from tests.factories import BookingFactory, ListedPractitionerFactory, UserFactory
from tests.sessions.booking_helpers import MONDAY, la

# Sunday 09:58:30 in Los Angeles: Monday's 10:00 is just over a day's notice away.
NOW = datetime(2026, 6, 7, 16, 58, 30, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def practitioner():
    return ListedPractitionerFactory(display_name="Ann Cached", min_notice_hours=24)


@pytest.fixture
def urls(practitioner):
    length = practitioner.services.get().lengths.get(minutes=60)
    slots = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    return {
        "slots": f"{slots}?week={MONDAY}",
        "book": reverse("sessions:book", kwargs={"slug": practitioner.slug}),
        "profile": reverse("practitioners:detail", kwargs={"slug": practitioner.slug}),
        "directory": reverse("practitioners:directory"),
    }


def offers(page: str, starts_at: datetime) -> bool:
    """Whether a week of times links to the review of `starts_at`."""
    return f"/{format_start(starts_at)}/" in page


def test_a_cached_page_costs_one_query_and_is_the_same_page(
    client, urls, django_assert_num_queries
):
    for url in urls.values():
        first = client.get(url)
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content


def test_a_booking_takes_its_time_off_the_next_page(client, urls, practitioner):
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 11))
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 11))
    assert not offers(client.get(urls["slots"]).text, la(MONDAY, 11))


def test_another_visitors_hold_hides_the_time_and_its_cancellation_shows_it(
    client, urls, practitioner
):
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 12))
    length = practitioner.services.get().lengths.get(minutes=60)
    review = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": la(MONDAY, 12)},
    )
    assert Client().get(review).status_code == 200  # another visitor holds it
    assert SlotHold.objects.filter(starts_at=la(MONDAY, 12)).exists()
    assert not offers(client.get(urls["slots"]).text, la(MONDAY, 12))


def test_a_cancelled_booking_gives_its_time_back_at_once(client, urls, practitioner):
    booking = BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 13))
    assert not offers(client.get(urls["slots"]).text, la(MONDAY, 13))
    cancel_booking(booking=booking, by=booking.client, reason="Away")
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 13))


def test_new_hours_and_time_off_show_at_once(client, urls, practitioner):
    assert not offers(client.get(urls["slots"]).text, la(MONDAY, 17))
    WeeklyHours.objects.filter(practitioner=practitioner).update(ends=time(19))
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 17))
    TimeOff.objects.create(
        practitioner=practitioner, starts_at=la(MONDAY, 9), ends_at=la(MONDAY, 19), reason="Off"
    )
    assert "There are no free times in this week." in client.get(urls["slots"]).text


def test_a_new_price_shows_at_once_on_every_page(client, urls, practitioner):
    for name in ("book", "profile", "directory"):
        assert "80" in client.get(urls[name]).text
    ServiceLength.objects.filter(service__practitioner=practitioner, minutes=60).update(price="95")
    for name in ("book", "profile", "directory"):
        page = client.get(urls[name]).text
        assert "95" in page, name


def test_a_practitioner_no_longer_listed_is_gone_at_once(client, urls, practitioner):
    for url in urls.values():
        assert client.get(url).status_code == 200
    WeeklyHours.objects.filter(practitioner=practitioner).delete()
    for name in ("slots", "book", "profile"):
        assert client.get(urls[name]).status_code == 404, name
    assert "Ann Cached" not in client.get(urls["directory"]).text


def test_time_passing_drops_a_time_within_the_minute(client, urls, time_machine):
    # Worked out as of the end of the minute the page is served in (page_cache.served_until).
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 10))
    time_machine.move_to(NOW + timedelta(seconds=20))  # 09:58:50: still a day's notice
    assert offers(client.get(urls["slots"]).text, la(MONDAY, 10))
    time_machine.move_to(NOW + timedelta(minutes=1, seconds=31))  # 10:00:01, a day before
    assert not offers(client.get(urls["slots"]).text, la(MONDAY, 10))


def test_a_visitor_in_another_zone_gets_their_own_times(client, urls):
    here = client.get(urls["slots"]).text
    assert "</span>10:00</a>" in here
    london = Client().get(urls["slots"] + "&tz=Europe/London").text
    assert "</span>18:00</a>" in london  # Monday 10:00 in Los Angeles
    assert london != here
    assert "</span>10:00</a>" in client.get(urls["slots"]).text  # the shared page is unchanged


def test_a_logged_in_client_never_gets_or_leaves_a_shared_page(client, urls):
    shared = client.get(urls["slots"]).text
    someone = UserFactory(full_name="Petra Private", timezone="Europe/London")
    own = Client()
    own.force_login(someone)
    page = own.get(urls["slots"]).text
    assert page != shared
    assert "</span>18:00</a>" in page  # in their own zone
    assert "Petra Private" not in client.get(urls["slots"]).text
