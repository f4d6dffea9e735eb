import datetime as dt

import pytest
from django.urls import reverse

from practitioners.models import DateException
from tests.factories import DateExceptionFactory

URL = "practitioners:exceptions"
# 06:00 UTC on 6 April 2026 is still Sunday 5 April in Los Angeles (the practitioner's zone).
NOW = dt.datetime(2026, 4, 6, 6, 0, tzinfo=dt.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def extra(day, starts, ends):
    return {"date": day, "kind": "extra", "starts": starts, "ends": ends}


def test_closed_day_is_added(logged_in, practitioner):
    response = logged_in.post(reverse(URL), {"date": "2026-04-10", "kind": "closed"})
    assert response.status_code == 302
    exception = practitioner.date_exceptions.get()
    assert (exception.date, exception.kind, exception.starts, exception.ends) == (
        dt.date(2026, 4, 10),
        DateException.Kind.CLOSED,
        None,
        None,
    )
    text = logged_in.get(response.url).text
    assert "Friday 10 April 2026 was added." in text
    assert "closed all day" in text


def test_times_typed_for_a_closed_day_are_ignored(logged_in, practitioner):
    logged_in.post(reverse(URL), {"date": "2026-04-10", "kind": "closed", "starts": "09:00"})
    assert practitioner.date_exceptions.get().starts is None


def test_extra_hours_are_added_and_listed(logged_in, practitioner):
    response = logged_in.post(reverse(URL), extra("2026-04-11", "10:00", "14:00"))
    assert response.status_code == 302
    exception = practitioner.date_exceptions.get()
    assert (exception.starts, exception.ends) == (dt.time(10), dt.time(14))
    assert "extra hours 10:00–14:00" in logged_in.get(response.url).text


def test_only_upcoming_dates_are_listed(logged_in, practitioner):
    DateExceptionFactory(practitioner=practitioner, date=dt.date(2026, 4, 1))
    DateExceptionFactory(practitioner=practitioner, date=dt.date(2026, 4, 5))
    DateExceptionFactory(practitioner=practitioner, date=dt.date(2026, 4, 20))
    text = logged_in.get(reverse(URL)).text
    assert "Wednesday 1 April 2026" not in text
    assert "Sunday 5 April 2026" in text  # today, where the practitioner is
    assert "Monday 20 April 2026" in text


def test_past_date_is_refused(logged_in, practitioner):
    response = logged_in.post(reverse(URL), {"date": "2026-04-04", "kind": "closed"})
    assert "Saturday 4 April 2026 has passed. Choose today or a later date." in response.text
    assert not practitioner.date_exceptions.exists()


def test_today_in_the_practitioners_zone_is_allowed(logged_in, practitioner):
    assert logged_in.post(reverse(URL), {"date": "2026-04-05", "kind": "closed"}).status_code == 302


def test_backwards_extra_hours_are_refused_and_kept(logged_in, practitioner):
    response = logged_in.post(reverse(URL), extra("2026-04-11", "15:00", "11:00"))
    assert "15:00–11:00 ends before it starts." in response.text
    assert 'value="2026-04-11"' in response.text
    assert 'value="15:00"' in response.text
    assert not practitioner.date_exceptions.exists()


def test_extra_hours_need_both_times(logged_in, practitioner):
    response = logged_in.post(reverse(URL), extra("2026-04-11", "", "11:00"))
    assert "Enter when the extra hours start." in response.text
    assert not practitioner.date_exceptions.exists()


def test_overlapping_extra_hours_are_refused_naming_the_other_range(logged_in, practitioner):
    DateExceptionFactory(
        practitioner=practitioner,
        date=dt.date(2026, 4, 11),
        kind="extra",
        starts=dt.time(9),
        ends=dt.time(13),
    )
    response = logged_in.post(reverse(URL), extra("2026-04-11", "12:00", "14:00"))
    assert (
        "12:00–14:00 overlaps your extra hours 09:00–13:00 on Saturday 11 April 2026."
        in response.text
    )
    assert practitioner.date_exceptions.count() == 1
    # Touching is fine, and another date never clashes.
    assert logged_in.post(reverse(URL), extra("2026-04-11", "13:00", "15:00")).status_code == 302
    assert logged_in.post(reverse(URL), extra("2026-04-12", "09:00", "13:00")).status_code == 302


def test_closed_and_extra_hours_on_one_date_are_refused(logged_in, practitioner):
    DateExceptionFactory(practitioner=practitioner, date=dt.date(2026, 4, 11))
    response = logged_in.post(reverse(URL), extra("2026-04-11", "09:00", "12:00"))
    assert (
        "Saturday 11 April 2026 is marked closed. Delete that first to add hours." in response.text
    )
    response = logged_in.post(reverse(URL), {"date": "2026-04-11", "kind": "closed"})
    assert "Saturday 11 April 2026 is already marked closed." in response.text
    assert practitioner.date_exceptions.count() == 1


def test_other_practitioners_dates_do_not_clash(logged_in, practitioner, other_practitioner):
    DateExceptionFactory(practitioner=other_practitioner, date=dt.date(2026, 4, 11))
    assert logged_in.post(reverse(URL), extra("2026-04-11", "09:00", "12:00")).status_code == 302
    assert "Saturday 11 April 2026" not in logged_in.get(reverse(URL)).text.split("Add a date")[1]


def test_an_exception_is_deleted(logged_in, practitioner):
    exception = DateExceptionFactory(practitioner=practitioner, date=dt.date(2026, 4, 11))
    response = logged_in.post(reverse("practitioners:exception-delete", args=[exception.pk]))
    assert response.status_code == 302
    assert response.url == reverse(URL)
    assert not practitioner.date_exceptions.exists()
    assert "Saturday 11 April 2026 was removed." in logged_in.get(response.url).text
