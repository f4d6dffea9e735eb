import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import TimeOffFactory

URL = "practitioners:time-off"
NOW = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def logged_in(client, practitioner):
    # The practitioner works in America/Los_Angeles; their account says New York, so the
    # test shows the practitioner's zone (not the account's) is the one used.
    assert practitioner.timezone == "America/Los_Angeles"
    assert practitioner.user.timezone == "America/New_York"
    client.force_login(practitioner.user)
    return client


def time_off_data(starts, ends, reason="Holiday"):
    (starts_date, starts_time), (ends_date, ends_time) = starts.split(), ends.split()
    return {
        "length": "times",
        "starts_date": starts_date,
        "starts_time": starts_time,
        "ends_date": ends_date,
        "ends_time": ends_time,
        "reason": reason,
    }


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_time_off_across_the_march_change_is_stored_in_utc(logged_in, practitioner):
    # Clocks go forward in Los Angeles on Sunday 8 March 2026: -08:00 before, -07:00 after.
    response = logged_in.post(
        reverse(URL), time_off_data("2026-03-07 10:00", "2026-03-09 10:00", "Course")
    )
    assert response.status_code == 302
    stretch = practitioner.time_off.get()
    assert stretch.starts_at == utc(2026, 3, 7, 18, 0)
    assert stretch.ends_at == utc(2026, 3, 9, 17, 0)
    assert stretch.reason == "Course"
    text = logged_in.get(response.url).text
    assert "Your time off was added." in text
    assert "Sat 7 Mar 2026, 10:00 – Mon 9 Mar 2026, 10:00" in text


def test_time_off_across_the_november_change_is_stored_in_utc(logged_in, practitioner):
    # Clocks go back in Los Angeles on Sunday 1 November 2026: -07:00 before, -08:00 after.
    logged_in.post(reverse(URL), time_off_data("2026-10-31 09:00", "2026-11-02 09:00"))
    stretch = practitioner.time_off.get()
    assert stretch.starts_at == utc(2026, 10, 31, 16, 0)
    assert stretch.ends_at == utc(2026, 11, 2, 17, 0)
    assert "Sat 31 Oct 2026, 09:00 – Mon 2 Nov 2026, 09:00" in logged_in.get(reverse(URL)).text


def test_a_time_the_clocks_skip_is_refused(logged_in, practitioner):
    response = logged_in.post(reverse(URL), time_off_data("2026-03-08 02:30", "2026-03-09 10:00"))
    assert "02:30 on Sunday 8 March 2026 does not exist in America/Los_Angeles" in response.text
    assert not practitioner.time_off.exists()


def test_until_before_from_is_refused_and_kept(logged_in, practitioner):
    response = logged_in.post(
        reverse(URL), time_off_data("2026-03-10 17:00", "2026-03-10 09:00", "Dentist")
    )
    assert "The time off must end after it starts." in response.text
    assert 'value="2026-03-10"' in response.text
    assert 'value="17:00"' in response.text
    assert 'value="Dentist"' in response.text
    assert not practitioner.time_off.exists()


def test_time_off_already_over_is_refused(logged_in, practitioner):
    response = logged_in.post(reverse(URL), time_off_data("2026-01-10 09:00", "2026-01-12 09:00"))
    assert "This time off is already over." in response.text
    assert not practitioner.time_off.exists()


def test_missing_parts_are_named(logged_in, practitioner):
    response = logged_in.post(
        reverse(URL),
        {"length": "times", "starts_date": "2026-03-10", "ends_date": "2026-03-11", "reason": "x"},
    )
    assert "Enter the start time." in response.text
    assert "Enter the end time." in response.text
    assert not practitioner.time_off.exists()


def test_only_time_off_still_to_come_is_listed(logged_in, practitioner):
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=utc(2026, 1, 1, 17),
        ends_at=utc(2026, 1, 5, 17),
        reason="Old news",
    )
    TimeOffFactory(
        practitioner=practitioner,
        starts_at=utc(2026, 1, 30, 17),
        ends_at=utc(2026, 2, 3, 17),
        reason="Happening now",
    )
    text = logged_in.get(reverse(URL)).text
    assert "Old news" not in text
    assert "Happening now" in text


def test_time_off_is_deleted(logged_in, practitioner):
    stretch = TimeOffFactory(practitioner=practitioner)
    response = logged_in.post(reverse("practitioners:time-off-delete", args=[stretch.pk]))
    assert response.status_code == 302
    assert response.url == reverse(URL)
    assert not practitioner.time_off.exists()
    assert "The time off was removed." in logged_in.get(response.url).text
