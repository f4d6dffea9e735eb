import datetime as dt

import pytest
from django.urls import reverse

from practitioners.models import WeeklyHours
from tests.factories import PractitionerFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

URL = "practitioners:hours"
MON, TUE, SAT = 0, 1, 5


def hours_data(rows, initial=0, deleted=()):
    """POST data for the hours formset: `rows` as (weekday, starts, ends) strings."""
    data = {
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": str(initial),
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for i, (weekday, starts, ends) in enumerate(rows):
        data[f"hours-{i}-weekday"] = str(weekday)
        data[f"hours-{i}-starts"] = starts
        data[f"hours-{i}-ends"] = ends
    for i in deleted:
        data[f"hours-{i}-DELETE"] = "on"
    return data


def saved(practitioner):
    return [
        (r.weekday, f"{r.starts:%H:%M}", f"{r.ends:%H:%M}") for r in practitioner.weekly_hours.all()
    ]


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_hours_page_shows_each_range_and_empty_rows(logged_in, practitioner):
    WeeklyHoursFactory(practitioner=practitioner, weekday=TUE, starts=dt.time(13), ends=dt.time(18))
    text = logged_in.get(reverse(URL)).text
    assert "<h1>Weekly hours</h1>" in text
    assert "America/Los_Angeles" in text
    assert 'name="hours-0-starts" value="09:00"' in text
    assert 'name="hours-1-starts" value="13:00"' in text
    assert 'name="hours-TOTAL_FORMS" value="5"' in text


def test_several_ranges_a_day_replace_the_old_week(logged_in, practitioner):
    rows = [
        (MON, "09:00", "17:00"),  # the saved range, unchanged
        (TUE, "09:00", "12:00"),
        (TUE, "12:00", "17:00"),  # touching is fine
        (SAT, "10:00", "13:00"),
        ("", "", ""),
    ]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1))
    assert response.status_code == 302
    assert saved(practitioner) == [
        (MON, "09:00", "17:00"),
        (TUE, "09:00", "12:00"),
        (TUE, "12:00", "17:00"),
        (SAT, "10:00", "13:00"),
    ]
    assert "Your weekly hours were saved." in logged_in.get(response.url).text


def test_a_row_can_be_deleted(logged_in, practitioner):
    rows = [(MON, "09:00", "17:00"), (TUE, "10:00", "16:00")]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1, deleted=[0]))
    assert response.status_code == 302
    assert saved(practitioner) == [(TUE, "10:00", "16:00")]


def test_deleting_every_row_clears_the_week(logged_in, practitioner):
    response = logged_in.post(reverse(URL), hours_data([(MON, "09:00", "17:00")], 1, [0]))
    assert response.status_code == 302
    assert saved(practitioner) == []
    assert "Add your weekly hours." in practitioner.missing_for_listing()


def test_overlapping_ranges_are_refused_and_every_row_kept(logged_in, practitioner):
    rows = [(MON, "09:00", "13:00"), (MON, "12:00", "14:00"), (SAT, "10:00", "11:00")]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1))
    assert response.status_code == 200
    text = response.text
    assert "Monday 12:00–14:00 overlaps Monday 09:00–13:00." in text
    assert "Nothing was saved." in text
    assert 'name="hours-1-starts" value="12:00"' in text
    assert 'name="hours-2-starts" value="10:00"' in text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_backwards_range_is_refused_naming_it(logged_in, practitioner):
    rows = [(MON, "09:00", "17:00"), (TUE, "17:00", "09:00")]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1))
    assert "Tuesday 17:00–09:00 ends before it starts." in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_a_half_filled_row_is_refused(logged_in, practitioner):
    rows = [(MON, "09:00", "17:00"), (TUE, "10:00", "")]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1))
    assert "Enter the end time." in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_a_deleted_row_does_not_count_as_overlapping(logged_in, practitioner):
    rows = [(MON, "09:00", "17:00"), (MON, "08:00", "12:00")]
    response = logged_in.post(reverse(URL), hours_data(rows, initial=1, deleted=[0]))
    assert response.status_code == 302
    assert saved(practitioner) == [(MON, "08:00", "12:00")]


def test_a_new_practitioner_adds_hours_from_empty_rows(client):
    fresh = PractitionerFactory()
    client.force_login(fresh.user)
    assert 'name="hours-TOTAL_FORMS" value="3"' in client.get(reverse(URL)).text
    rows = [(MON, "09:00", "12:00"), ("", "", ""), ("", "", "")]
    assert client.post(reverse(URL), hours_data(rows)).status_code == 302
    assert WeeklyHours.objects.filter(practitioner=fresh).count() == 1


def test_a_blanked_saved_row_is_refused_not_silently_dropped(logged_in, practitioner):
    response = logged_in.post(reverse(URL), hours_data([("", "", "")], initial=1))
    assert "Choose the day." in response.text
    assert "Enter the start time." in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_empty_rows_have_no_required_marker(logged_in):
    assert "asteriskField" not in logged_in.get(reverse(URL)).text
