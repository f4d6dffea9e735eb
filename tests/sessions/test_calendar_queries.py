"""The week and day calendars run the same small number of SQL queries with 10 clients and
with 2,000 clients and 20,000 bookings (bulk_create, as tests/practitioners/
test_directory_queries.py does)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from sessions.models import Booking, IntakeForm
from tests.factories import IntakeFormFactory, TimeOffFactory
from tests.sessions.booking_helpers import CAUTION_FLAG, MONDAY, NOW, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)
Status = Booking.Status
# Session and user (with the practitioner), bookings (with clients, services and clearance
# notes), time off with the busy times imported from the practitioner's calendars (one UNION),
# weekly hours, date exceptions, and those calendars' status (for a failed read's notice).
QUERY_BUDGET = 7
# A year of bookings before the viewed week and a year and more after it.
FIRST = la(MONDAY, 9) - timedelta(days=365)


def bulk_bookings(practitioner, *, clients: int, bookings: int, first=FIRST) -> None:
    """`clients` clients and `bookings` bookings of `practitioner`, one an hour from `first`:
    every seventh cancelled, every fifth with a flag."""
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.com", full_name=f"Bulk {n:04d}", password="!")
        for n in range(clients)
    )
    service = practitioner.services.get()
    intake = IntakeFormFactory(client=users[0])
    rows = []
    for n in range(bookings):
        starts_at = first + timedelta(hours=n)
        rows.append(
            Booking(
                client=users[n % clients],
                practitioner=practitioner,
                service=service,
                minutes=45,
                price="60.00",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=45),
                blocks_from=starts_at,
                blocks_until=starts_at + timedelta(minutes=60),
                status=Status.CANCELLED_BY_CLIENT if n % 7 == 0 else Status.CONFIRMED,
                policy_text="Cancel 24 hours ahead.",
                intake=intake,
                flags=[CAUTION_FLAG] if n % 5 == 0 else [],
            )
        )
    Booking.objects.bulk_create(rows, batch_size=2000)
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 12), ends_at=la(MONDAY, 13))


def queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"date": MONDAY.isoformat()})
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("name", ["sessions:calendar-week", "sessions:calendar-day"])
def test_the_calendar_keeps_its_query_count_with_small_and_large_data(
    client, practitioner, django_assert_max_num_queries, name
):
    client.force_login(practitioner.user)
    url = reverse(name)
    bulk_bookings(practitioner, clients=10, bookings=10, first=la(MONDAY, 9))
    small, _ = queries_for(client, url)
    Booking.objects.all().delete()
    IntakeForm.objects.all().delete()
    User.objects.filter(email__startswith="bulk").delete()

    bulk_bookings(practitioner, clients=2000, bookings=20_000)
    assert Booking.objects.count() == 20_000
    with django_assert_max_num_queries(QUERY_BUDGET):
        large, html = queries_for(client, url)

    assert large == small
    # The big calendar really shows its week: blocks, a flag, the cancelled count.
    assert html.count('class="rb-cal-block') >= 20
    assert "Caution: Diabetes" in html
    assert "cancelled or declined</summary>" in html
