"""The cached next free time (sessions.next_free): refreshed after every booking change, every
calendar change and by run_due_jobs; the directory and profile show, sort and filter by it
in a fixed number of queries."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from practitioners.models import Practitioner, WeeklyHours
from sessions.booking import cancel_booking
from sessions.jobs import run_due_jobs
from sessions.models import Booking
from sessions.next_free import refresh_all_next_free, refresh_next_free
from tests.factories import (
    ListedPractitionerFactory,
    ServiceFactory,
    ServiceLengthFactory,
    TimeOffFactory,
    UserFactory,
)
from tests.practitioners.test_directory_queries import QUERY_BUDGET, bulk_listed
from tests.sessions.booking_helpers import MONDAY, NOW, book, la

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

DIRECTORY = reverse("practitioners:directory")


def next_free_of(practitioner):
    return Practitioner.objects.get(pk=practitioner.pk).next_free_at


def test_refresh_finds_the_soonest_start_for_the_shortest_length(practitioner):
    # Mondays 09:00-17:00 in Los Angeles; today's hours are inside the notice period.
    assert refresh_next_free(practitioner.pk) == la(MONDAY, 9)
    practitioner.refresh_from_db()
    assert practitioner.next_free_at == la(MONDAY, 9)
    assert practitioner.next_free_checked_at == NOW


def test_a_practitioner_offering_nothing_has_no_next_free(practitioner):
    practitioner.services.update(is_active=False)
    assert refresh_next_free(practitioner.pk) is None
    assert next_free_of(practitioner) is None


def test_booking_and_cancelling_refresh_the_next_free_time(
    practitioner, client_user, intake, django_capture_on_commit_callbacks
):
    refresh_next_free(practitioner.pk)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(practitioner, client_user, intake, starts_at=la(MONDAY, 9))
    # 09:00-10:00 plus a 15-minute buffer; starts every 30 minutes, so 10:30.
    assert next_free_of(practitioner) == la(MONDAY, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, by=client_user, reason="")
    assert next_free_of(practitioner) == la(MONDAY, 9)


def test_time_off_added_by_the_practitioner_refreshes_the_next_free_time(
    client, practitioner, django_capture_on_commit_callbacks
):
    refresh_next_free(practitioner.pk)
    client.force_login(practitioner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("practitioners:time-off"),
            {
                "length": "times",
                "starts_date": "2026-06-08",
                "starts_time": "08:00",
                "ends_date": "2026-06-09",
                "ends_time": "08:00",
                "reason": "Course",
            },
        )
    assert response.status_code == 302
    assert next_free_of(practitioner) == la(MONDAY + timedelta(days=7), 9)


def test_new_weekly_hours_refresh_the_next_free_time(
    client, practitioner, django_capture_on_commit_callbacks
):
    refresh_next_free(practitioner.pk)
    client.force_login(practitioner.user)
    # One row per weekday (empty rows are skipped): Wednesday 13:00–17:00.
    form = {}
    for day in range(7):
        form |= {f"day{day}-TOTAL_FORMS": "1", f"day{day}-INITIAL_FORMS": "0"}
    form |= {"day2-0-starts": "13:00", "day2-0-ends": "17:00"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practitioners:hours"), form)
    assert response.status_code == 302
    assert list(practitioner.weekly_hours.values_list("weekday", flat=True)) == [2]
    # Wednesday 3 June, 13:00 in Los Angeles.
    assert next_free_of(practitioner) == datetime(2026, 6, 3, 20, 0, tzinfo=UTC)


def test_run_due_jobs_refreshes_every_practitioner(practitioner, other_practitioner):
    results = dict(run_due_jobs())
    assert results["refresh_all_next_free"] == 2
    assert next_free_of(practitioner) == next_free_of(other_practitioner) == la(MONDAY, 9)


def test_card_and_profile_show_the_next_free_time_in_the_practitioners_zone(client, practitioner):
    refresh_next_free(practitioner.pk)
    for url in (DIRECTORY, practitioner.get_absolute_url()):
        text = client.get(url).text
        assert "Monday 8 June, 09:00" in text
        assert "(Los Angeles time), for a 30-minute session" in text


def test_a_next_free_time_that_has_passed_is_not_shown(client, practitioner):
    Practitioner.objects.filter(pk=practitioner.pk).update(
        next_free_at=NOW - timedelta(hours=1), next_free_checked_at=NOW - timedelta(hours=2)
    )
    text = client.get(DIRECTORY).text
    assert "Monday 1 June" not in text
    assert "None in the next 60 days" in text


def _works_from(name: str, weekday: int) -> Practitioner:
    practitioner = ListedPractitionerFactory(user__full_name=name)
    practitioner.weekly_hours.update(weekday=weekday)
    refresh_next_free(practitioner.pk)
    return practitioner


def test_directory_sorts_by_soonest_and_filters_free_this_week(client):
    _works_from("Alex Later", weekday=WeeklyHours.Weekday.FRIDAY)  # Friday 5 June
    _works_from("Zoe Sooner", weekday=WeeklyHours.Weekday.WEDNESDAY)  # Wednesday 3 June
    far = ListedPractitionerFactory(user__full_name="Bo Booked Up")
    TimeOffFactory(practitioner=far, starts_at=NOW, ends_at=NOW + timedelta(days=20))
    refresh_next_free(far.pk)

    names = lambda response: [p.display_name for p in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(DIRECTORY)) == ["Alex Later", "Bo Booked Up", "Zoe Sooner"]
    assert names(client.get(DIRECTORY, {"sort": "soonest"})) == [
        "Zoe Sooner",
        "Alex Later",
        "Bo Booked Up",
    ]
    response = client.get(DIRECTORY, {"free": "on", "sort": "soonest"})
    assert names(response) == ["Zoe Sooner", "Alex Later"]
    assert "2 practitioners match your search" in response.text


def test_sorting_alone_is_not_a_search(client, practitioner):
    refresh_next_free(practitioner.pk)
    response = client.get(DIRECTORY, {"sort": "soonest"})
    assert "Clear all filters" not in response.text


def _bulk_bookings(per_practitioner: int) -> None:
    """Many confirmed bookings for every practitioner, in one INSERT: one a week from the
    Monday after MONDAY, so the next free times stay as they were."""
    client = UserFactory()
    practitioners = list(Practitioner.objects.prefetch_related("services"))
    Booking.objects.bulk_create(
        Booking(
            client=client,
            practitioner=p,
            service=p.services.all()[0],
            minutes=30,
            price=Decimal("45"),
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            blocks_from=start,
            blocks_until=start + timedelta(minutes=45),
            status=Booking.Status.CONFIRMED,
            policy_text="",
        )
        for p in practitioners
        for n in range(per_practitioner)
        for start in [datetime.combine(MONDAY + timedelta(days=7 * (n + 1)), time(16), UTC)]
    )


# 200 practitioners with 100 bookings each: the 20,000 bookings.
@pytest.mark.parametrize(("count", "bookings"), [(5, 2), (200, 8), (200, 100)])
def test_directory_with_next_free_keeps_its_query_budget(
    client, django_assert_max_num_queries, count, bookings
):
    bulk_listed(count)
    _bulk_bookings(bookings)
    assert Booking.objects.count() == count * bookings
    Practitioner.objects.update(min_notice_hours=0)
    refresh_all_next_free()
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(DIRECTORY, {"sort": "soonest", "free": "on", "page": "1"})
    assert response.status_code == 200
    # bulk_listed works Mondays 09:00-17:00 New York time: today, from 09:00 (13:00 UTC).
    assert len(response.context["page"].object_list) == min(count, 20)
    assert response.text.count("Monday 1 June, 09:00") == min(count, 20)
    assert "(New York time)" in response.text


@pytest.mark.parametrize(("others", "bookings"), [(0, 0), (199, 100)])
def test_profile_with_next_free_keeps_its_query_budget(
    client, practitioner, django_assert_max_num_queries, others, bookings
):
    ServiceLengthFactory(service=ServiceFactory(practitioner=practitioner), minutes=45)
    bulk_listed(others)
    _bulk_bookings(bookings)  # 200 practitioners with 100 bookings each: 20,000
    assert Booking.objects.count() == (others + 1) * bookings
    refresh_next_free(practitioner.pk)
    # As test_profile_page: the page's four and the cached page's version.
    with django_assert_max_num_queries(5):
        response = client.get(practitioner.get_absolute_url())
    assert "Monday 8 June, 09:00" in response.text
