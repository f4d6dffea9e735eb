"""The week's bookings query reads only the bookings near the window: its index walk does not
grow with the practitioner's past bookings (issue 13), and a long home visit starting before
the window still blocks the time it reaches into."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.availability import free_slots_for
from sessions.models import Booking
from tests.factories import BookingFactory

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MONDAY = date(2026, 6, 8)

pytestmark = pytest.mark.django_db


def find(practitioner, **kwargs):
    return free_slots_for(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        first_day=MONDAY,
        last_day=MONDAY,
        now=NOW,
        **kwargs,
    )


def bookings_query_plan(practitioner) -> str:
    with CaptureQueriesContext(connection) as queries:
        find(practitioner)
    (sql,) = [q["sql"] for q in queries.captured_queries if "reflex_sessions_booking" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(row[-1] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_the_bookings_query_walks_the_index_between_two_start_times(practitioner):
    plan = bookings_query_plan(practitioner)
    assert "practitioner_id=? AND starts_at>? AND starts_at<?" in plan


def test_a_home_visit_starting_before_the_window_still_blocks_its_travel_back(practitioner):
    # Sunday 22:30 to 23:30 in Los Angeles, 90 minutes' travel each way: the practitioner is
    # not free before Monday 01:00 (the travel back), hours or not.
    starts = datetime.combine(MONDAY - timedelta(days=1), time(22, 30), LA)
    practitioner.weekly_hours.update(starts=time(0, 0))
    BookingFactory(
        practitioner=practitioner,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=60),
        blocks_from=starts - timedelta(minutes=90),
        blocks_until=starts + timedelta(minutes=150),
        status=Booking.Status.CONFIRMED,
    )
    first = min(find(practitioner)).astimezone(LA)
    assert first.time() == time(1, 0)
