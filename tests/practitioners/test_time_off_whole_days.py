"""Time off as whole days: no times to type, stored from the practitioner's local midnight
to the midnight after the last day (in UTC), across a DST change; times only for part of
a day."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import TimeOffFactory

URL = "practitioners:time-off"
NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def logged_in(client, practitioner):
    assert practitioner.timezone == "America/Los_Angeles"
    client.force_login(practitioner.user)
    return client


def checked_length(text):
    """The value of the "How long" choice the page shows as chosen."""
    return re.search(r'name="length" value="(\w+)"\s+id="\w+" required checked', text).group(1)


def whole_days(first, last, reason="Holiday", **extra):
    return {"length": "days", "starts_date": first, "ends_date": last, "reason": reason} | extra


def test_whole_days_are_the_default_and_the_times_are_for_part_of_a_day(logged_in):
    text = logged_in.get(reverse(URL)).text
    assert checked_length(text) == "days"
    assert "Only for part of a day." in text
    assert "data-part-of-day-only" in text


def test_whole_days_across_the_march_change_run_midnight_to_midnight(logged_in, practitioner):
    # Los Angeles springs forward on Sunday 8 March 2026: -08:00 before, -07:00 after.
    response = logged_in.post(reverse(URL), whole_days("2026-03-07", "2026-03-09", "Course"))
    assert response.status_code == 302
    stretch = practitioner.time_off.get()
    assert stretch.starts_at == utc(2026, 3, 7, 8, 0)  # Sat 7 March 00:00 PST
    assert stretch.ends_at == utc(2026, 3, 10, 7, 0)  # Tue 10 March 00:00 PDT
    assert stretch.reason == "Course"
    text = logged_in.get(response.url).text
    assert "Your time off was added." in text
    assert "Sat 7 Mar 2026 – Mon 9 Mar 2026, whole days" in text


def test_one_whole_day_in_the_november_change_lasts_25_hours(logged_in, practitioner):
    logged_in.post(reverse(URL), whole_days("2026-11-01", "2026-11-01"))
    stretch = practitioner.time_off.get()
    assert stretch.starts_at == utc(2026, 11, 1, 7, 0)
    assert stretch.ends_at == utc(2026, 11, 2, 8, 0)
    assert "Sun 1 Nov 2026, whole day" in logged_in.get(reverse(URL)).text


def test_typed_times_are_ignored_for_whole_days(logged_in, practitioner):
    data = whole_days("2026-03-02", "2026-03-03", starts_time="10:00", ends_time="11:00")
    assert logged_in.post(reverse(URL), data).status_code == 302
    stretch = practitioner.time_off.get()
    assert (stretch.starts_at, stretch.ends_at) == (utc(2026, 3, 2, 8), utc(2026, 3, 4, 8))


def test_whole_days_need_no_times(logged_in, practitioner):
    response = logged_in.post(reverse(URL), whole_days("2026-03-02", "2026-03-02"))
    assert response.status_code == 302
    assert practitioner.time_off.count() == 1


def test_last_day_before_the_first_is_refused_and_kept(logged_in, practitioner):
    response = logged_in.post(reverse(URL), whole_days("2026-03-10", "2026-03-09", "Dentist"))
    text = response.text
    assert "The last day off must be on or after the first, Tuesday 10 March 2026." in text
    assert 'value="2026-03-09"' in text
    assert 'value="Dentist"' in text
    assert checked_length(text) == "days"
    assert not practitioner.time_off.exists()


def test_whole_days_already_over_are_refused(logged_in, practitioner):
    response = logged_in.post(reverse(URL), whole_days("2026-01-20", "2026-01-31"))
    assert "This time off is already over." in response.text
    assert not practitioner.time_off.exists()


def test_today_as_a_whole_day_is_still_to_come(logged_in, practitioner):
    # 12:00 UTC on 1 February is 04:00 in Los Angeles: the day is not over.
    assert logged_in.post(reverse(URL), whole_days("2026-02-01", "2026-02-01")).status_code == 302


def test_part_of_a_day_needs_the_times(logged_in, practitioner):
    data = whole_days("2026-03-02", "2026-03-02") | {"length": "times"}
    text = logged_in.post(reverse(URL), data).text
    assert "Enter the start time." in text
    assert "Enter the end time." in text
    assert checked_length(text) == "times"
    assert not practitioner.time_off.exists()


def test_part_of_a_day_is_stored_from_its_times(logged_in, practitioner):
    data = whole_days("2026-03-02", "2026-03-02", "Dentist", starts_time="14:00") | {
        "length": "times",
        "ends_time": "16:30",
    }
    assert logged_in.post(reverse(URL), data).status_code == 302
    stretch = practitioner.time_off.get()
    assert (stretch.starts_at, stretch.ends_at) == (utc(2026, 3, 2, 22), utc(2026, 3, 3, 0, 30))
    assert "Mon 2 Mar 2026, 14:00 – Mon 2 Mar 2026, 16:30" in logged_in.get(reverse(URL)).text


def test_a_choice_is_needed(logged_in, practitioner):
    data = whole_days("2026-03-02", "2026-03-02")
    del data["length"]
    assert "Choose whole days or part of a day." in logged_in.post(reverse(URL), data).text
    assert not practitioner.time_off.exists()


def test_whole_days_are_read_in_the_practitioners_zone_not_the_accounts(logged_in, practitioner):
    # The account says New York; midnight in New York is not a whole day in Los Angeles.
    assert practitioner.user.timezone == "America/New_York"
    TimeOffFactory(
        practitioner=practitioner, starts_at=utc(2026, 3, 2, 5), ends_at=utc(2026, 3, 3, 5)
    )
    text = logged_in.get(reverse(URL)).text
    assert "Sun 1 Mar 2026, 21:00 – Mon 2 Mar 2026, 21:00" in text
    assert ", whole day" not in text


def test_the_page_says_existing_bookings_stay_booked(logged_in):
    text = logged_in.get(reverse(URL)).text
    assert "Bookings you already have in that time stay booked" in text
