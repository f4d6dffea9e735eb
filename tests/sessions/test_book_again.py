"""A completed session offers "book again in N weeks": to its client, the week of free times
holding the date N weeks later for the same service and length; to its practitioner, booking
the client at the same local time N weeks later (sessions:book-for-client)."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from sessions.forms.booking import format_start, parse_start
from sessions.models import Booking
from tests.factories import BookingFactory
from tests.sessions.booking_helpers import LA

pytestmark = pytest.mark.django_db

# Monday 19 October 2026, 10:00 in Los Angeles; the clocks go back on 1 November.
SESSION = datetime(2026, 10, 19, 17, 0, tzinfo=UTC)
NOW = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def completed(practitioner, client_user):
    return BookingFactory(
        practitioner=practitioner,
        client=client_user,
        starts_at=SESSION,
        status=Booking.Status.COMPLETED,
    )


def again_links(response) -> list[str]:
    return [link["url"] for link in response.context["book_again"]]


def test_the_client_is_offered_the_week_of_times_one_to_four_weeks_later(
    client, client_user, completed, practitioner
):
    client.force_login(client_user)

    response = client.get(completed.get_absolute_url())

    length = practitioner.services.get().lengths.get(minutes=60)
    slots = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk})
    assert again_links(response) == [
        f"{slots}?week=2026-10-26",
        f"{slots}?week=2026-11-02",
        f"{slots}?week=2026-11-09",
        f"{slots}?week=2026-11-16",
    ]
    page = response.content.decode()
    assert "Book again" in page
    assert "In 2 weeks" in page
    week = client.get(again_links(response)[1]).context["week"]
    assert week.monday.isoformat() == "2026-11-02"


def test_the_practitioner_is_offered_the_same_local_time_across_the_clock_change(
    client, practitioner, completed, client_user
):
    client.force_login(practitioner.user)

    response = client.get(completed.get_absolute_url())

    starts = []
    for url in again_links(response):
        parts = urlsplit(url)
        assert parts.path == reverse("sessions:book-for-client")
        query = parse_qs(parts.query)
        assert query["client"] == [str(client_user.pk)]
        starts.append(parse_start(query["start"][0]))
    assert [s.astimezone(LA).strftime("%d %H:%M") for s in starts] == [
        "26 10:00",
        "02 10:00",
        "09 10:00",
        "16 10:00",
    ]
    assert format_start(starts[1]) == "20261102T1800Z"  # an hour later in UTC after the change
    assert "Cara Client at the same time" in response.content.decode()


@pytest.mark.parametrize(
    "status",
    [Booking.Status.CONFIRMED, Booking.Status.NO_SHOW, Booking.Status.CANCELLED_BY_CLIENT],
)
def test_only_a_completed_session_offers_it(client, client_user, practitioner, status):
    booking = BookingFactory(
        practitioner=practitioner, client=client_user, starts_at=SESSION, status=status
    )
    client.force_login(client_user)

    response = client.get(booking.get_absolute_url())

    assert response.context["book_again"] == []
    assert "Book again" not in response.content.decode()


def test_a_length_no_longer_offered_is_not_offered_to_the_client(
    client, client_user, completed, practitioner
):
    practitioner.services.get().lengths.filter(minutes=60).delete()
    client.force_login(client_user)

    assert client.get(completed.get_absolute_url()).context["book_again"] == []


def test_my_bookings_offers_it_on_completed_sessions_in_a_fixed_number_of_queries(
    client, client_user, completed, practitioner, django_assert_max_num_queries
):
    client.force_login(client_user)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("sessions:my-bookings")).content.decode()
    for day in range(1, 15):
        BookingFactory(
            practitioner=practitioner,
            client=client_user,
            starts_at=SESSION.replace(day=day),
            status=Booking.Status.COMPLETED,
        )
    with django_assert_max_num_queries(12):
        large = client.get(reverse("sessions:my-bookings")).content.decode()

    assert small.count("In 3 weeks") == 1
    assert large.count("In 3 weeks") == 15


def test_weeks_already_past_are_not_offered(client, client_user, completed, practitioner):
    client.force_login(client_user)
    # Three weeks and a day after the session: only the fourth week is still ahead.
    with time_machine.travel(datetime(2026, 11, 10, 12, 0, tzinfo=UTC), tick=False):
        response = client.get(completed.get_absolute_url())
    assert [url.rsplit("=", 1)[1] for url in again_links(response)] == ["2026-11-16"]
