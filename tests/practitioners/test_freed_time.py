"""The practitioners area writes the waitlist's outbox (practitioners.freed_time) in the same
transaction as each change that frees time: time off or a closed day removed, extra hours
added, weekly hours extended; shortening hours frees nothing (practitioners.hours)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from practitioners.hours import hours_gained
from practitioners.models import FreedTime
from tests.factories import DateExceptionFactory, TimeOffFactory
from tests.practitioners.test_weekly_hours_form import week_data

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
T = dt.time


@pytest.mark.parametrize(
    ("old", "new", "gained"),
    [
        ([(0, T(9), T(17))], [(0, T(9), T(17))], False),
        ([(0, T(9), T(17))], [(0, T(9), T(12))], False),
        ([(0, T(9), T(17))], [(0, T(8), T(17))], True),
        ([(0, T(9), T(17))], [(0, T(9), T(18))], True),
        ([(0, T(9), T(12)), (0, T(13), T(17))], [(0, T(9), T(17))], True),  # the lunch hour
        ([(0, T(9), T(12)), (0, T(12), T(17))], [(0, T(9), T(17))], False),  # touching
        ([(0, T(9), T(17))], [(0, T(9), T(17)), (1, T(9), T(10))], True),
        ([], [], False),
    ],
)
def test_hours_gained_finds_new_working_time(old, new, gained):
    assert hours_gained(old, new) is gained


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_removing_time_off_frees_it(logged_in, practitioner):
    stretch = TimeOffFactory(practitioner=practitioner)
    logged_in.post(reverse("practitioners:time-off-delete", kwargs={"pk": stretch.pk}))
    freed = FreedTime.objects.get()
    assert (freed.cause, freed.starts_at, freed.ends_at) == (
        FreedTime.Cause.TIME_OFF_REMOVED,
        stretch.starts_at,
        stretch.ends_at,
    )


def test_removing_a_closed_day_frees_the_whole_local_day(logged_in, practitioner):
    closed = DateExceptionFactory(practitioner=practitioner)
    logged_in.post(reverse("practitioners:exception-delete", kwargs={"pk": closed.pk}))
    freed = FreedTime.objects.get()
    assert freed.cause == FreedTime.Cause.CLOSED_DAY_REMOVED
    assert freed.starts_at == dt.datetime.combine(closed.date, T(0), LA)
    assert freed.ends_at == dt.datetime.combine(closed.date + dt.timedelta(days=1), T(0), LA)


def test_removing_extra_hours_frees_nothing(logged_in, practitioner):
    extra = DateExceptionFactory(practitioner=practitioner, kind="extra", starts=T(18), ends=T(20))
    logged_in.post(reverse("practitioners:exception-delete", kwargs={"pk": extra.pk}))
    assert FreedTime.objects.count() == 0


@pytest.mark.time_machine(dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_weekly_hours_extended_free_the_booking_horizon_and_shortened_do_not(
    logged_in, practitioner
):
    url = reverse("practitioners:hours")
    logged_in.post(url, week_data({0: [("09:00", "12:00")]}))  # shorter: nothing freed
    assert FreedTime.objects.count() == 0

    logged_in.post(url, week_data({0: [("09:00", "12:00")], 2: [("10:00", "14:00")]}))

    freed = FreedTime.objects.get()
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert (freed.cause, freed.starts_at, freed.ends_at) == (
        FreedTime.Cause.HOURS_EXTENDED,
        now,
        now + dt.timedelta(days=practitioner.booking_horizon_days),
    )
