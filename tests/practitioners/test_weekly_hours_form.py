"""The weekly hours page: every weekday's ranges in one form, rows added, removed and copied
without JavaScript (nothing typed is lost), the week summary, and its validation."""

import datetime as dt

import pytest
from django.urls import reverse

from practitioners.forms.calendar import MAX_RANGES_A_DAY
from practitioners.models import WeeklyHours
from practitioners.services import calendar_changed
from tests.factories import PractitionerFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

URL = "practitioners:hours"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def week_data(days, **button):
    """POST data for the week: `days` maps a weekday to its rows as (starts, ends) strings;
    `button` is the submit button pressed (save when none)."""
    data = {}
    for weekday in range(7):
        rows = days.get(weekday, [("", "")])
        data |= {
            f"day{weekday}-TOTAL_FORMS": str(len(rows)),
            f"day{weekday}-INITIAL_FORMS": "0",
            f"day{weekday}-MIN_NUM_FORMS": "0",
            f"day{weekday}-MAX_NUM_FORMS": str(MAX_RANGES_A_DAY),
        }
        for i, (starts, ends) in enumerate(rows):
            data[f"day{weekday}-{i}-starts"] = starts
            data[f"day{weekday}-{i}-ends"] = ends
    return data | (button or {"save": ""})


def saved(practitioner):
    return [
        (r.weekday, f"{r.starts:%H:%M}", f"{r.ends:%H:%M}") for r in practitioner.weekly_hours.all()
    ]


def row_html(weekday, index, starts, ends):
    return (
        f'name="day{weekday}-{index}-starts" value="{starts}"',
        f'name="day{weekday}-{index}-ends" value="{ends}"',
    )


def shows_row(text, weekday, index, starts, ends):
    return all(part in text for part in row_html(weekday, index, starts, ends))


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


LUNCH_BREAK = [("09:00", "12:30"), ("13:30", "17:00")]


def test_page_shows_each_day_with_its_ranges_and_an_empty_row_for_a_free_day(
    logged_in, practitioner
):
    WeeklyHoursFactory(practitioner=practitioner, weekday=MON, starts=dt.time(13), ends=dt.time(17))
    practitioner.weekly_hours.filter(starts=dt.time(9)).update(ends=dt.time(12, 30))
    text = logged_in.get(reverse(URL)).text
    assert "<h1>Weekly hours</h1>" in text
    assert "America/Los_Angeles" in text
    for name in ("Monday", "Tuesday", "Sunday"):
        assert f'<legend class="h5 float-none w-auto px-1 mb-1">{name}</legend>' in text
    assert shows_row(text, MON, 0, "09:00", "12:30")
    assert shows_row(text, MON, 1, "13:00", "17:00")
    assert 'name="day0-TOTAL_FORMS" value="2"' in text
    assert 'name="day1-TOTAL_FORMS" value="1"' in text
    assert 'name="day1-0-starts"' in text and 'name="day1-1-starts"' not in text
    assert "asteriskField" not in text


def test_several_ranges_a_day_replace_the_old_week(logged_in, practitioner):
    data = week_data({MON: LUNCH_BREAK, TUE: [("09:00", "12:00"), ("12:00", "17:00")]})
    response = logged_in.post(reverse(URL), data)
    assert response.status_code == 302
    assert saved(practitioner) == [
        (MON, "09:00", "12:30"),
        (MON, "13:30", "17:00"),
        (TUE, "09:00", "12:00"),
        (TUE, "12:00", "17:00"),  # touching is fine
    ]
    assert "Your weekly hours were saved." in logged_in.get(response.url).text


def test_saving_announces_the_calendar_change(
    logged_in, practitioner, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, practitioner, **kwargs):
        heard.append(practitioner)

    calendar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            logged_in.post(reverse(URL), week_data({MON: LUNCH_BREAK}))
    finally:
        calendar_changed.disconnect(listener)
    assert heard == [practitioner]


def test_empty_rows_are_skipped_and_an_empty_week_clears_the_hours(logged_in, practitioner):
    response = logged_in.post(reverse(URL), week_data({MON: [("", ""), ("", "")]}))
    assert response.status_code == 302
    assert saved(practitioner) == []
    assert "Add your weekly hours." in practitioner.missing_for_listing()


def test_overlapping_ranges_are_refused_naming_the_day_and_every_row_is_kept(
    logged_in, practitioner
):
    data = week_data({MON: [("09:00", "13:00"), ("12:00", "14:00")], SAT: [("10:00", "11:00")]})
    response = logged_in.post(reverse(URL), data)
    assert response.status_code == 200
    text = response.text
    assert "Monday 12:00–14:00 overlaps Monday 09:00–13:00." in text
    assert "Nothing was saved." in text
    assert shows_row(text, MON, 0, "09:00", "13:00")
    assert shows_row(text, MON, 1, "12:00", "14:00")
    assert shows_row(text, SAT, 0, "10:00", "11:00")
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_the_same_times_on_two_days_do_not_overlap(logged_in, practitioner):
    response = logged_in.post(reverse(URL), week_data({MON: LUNCH_BREAK, TUE: LUNCH_BREAK}))
    assert response.status_code == 302


def test_a_range_ending_before_it_starts_is_refused_naming_it(logged_in, practitioner):
    response = logged_in.post(reverse(URL), week_data({TUE: [("17:00", "09:00")]}))
    assert "Tuesday 17:00–09:00 ends before it starts." in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_a_half_filled_row_is_refused_and_kept(logged_in, practitioner):
    response = logged_in.post(reverse(URL), week_data({WED: [("10:00", "")]}))
    assert "Enter the end time." in response.text
    assert 'name="day2-0-starts" value="10:00"' in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_a_time_that_is_not_a_time_is_refused_and_kept_as_typed(logged_in, practitioner):
    response = logged_in.post(reverse(URL), week_data({THU: [("9 o'clock", "17:00")]}))
    assert "Enter a valid time." in response.text
    assert 'value="9 o&#x27;clock"' in response.text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_add_another_range_without_javascript_keeps_everything_typed(logged_in, practitioner):
    data = week_data({MON: [("09:00", "12:30")], FRI: [("10:00", "")]}, add=str(MON))
    response = logged_in.post(reverse(URL), data)
    assert response.status_code == 200
    text = response.text
    assert shows_row(text, MON, 0, "09:00", "12:30")
    assert shows_row(text, MON, 1, "", "")
    assert 'name="day0-TOTAL_FORMS" value="2"' in text
    assert shows_row(text, FRI, 0, "10:00", "")
    # Not a save: nothing is checked or written yet.
    assert "Enter the end time." not in text
    assert "Nothing was saved." not in text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_add_stops_at_the_most_ranges_a_day_may_have(logged_in):
    rows = [(f"{h:02}:00", f"{h:02}:30") for h in range(8, 8 + MAX_RANGES_A_DAY)]
    text = logged_in.post(reverse(URL), week_data({TUE: rows}, add=str(TUE))).text
    assert f'name="day1-TOTAL_FORMS" value="{MAX_RANGES_A_DAY}"' in text
    assert 'name="add" value="1"' not in text
    assert 'name="add" value="0"' in text


def test_remove_without_javascript_drops_that_row_only(logged_in, practitioner):
    data = week_data({MON: [("08:00", "09:00"), *LUNCH_BREAK], SUN: [("10:00", "12:00")]})
    text = logged_in.post(reverse(URL), data | {"remove": "0-0"}).text
    assert shows_row(text, MON, 0, "09:00", "12:30")
    assert shows_row(text, MON, 1, "13:30", "17:00")
    assert 'name="day0-2-starts"' not in text
    assert shows_row(text, SUN, 0, "10:00", "12:00")
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_removing_the_only_row_leaves_an_empty_one(logged_in):
    text = logged_in.post(reverse(URL), week_data({SAT: [("10:00", "12:00")]}, remove="5-0")).text
    assert shows_row(text, SAT, 0, "", "")


@pytest.mark.parametrize("value", ["9-0", "0-99", "x", "-1-0", "0-", ""])
def test_a_tampered_remove_button_changes_nothing(logged_in, value):
    text = logged_in.post(reverse(URL), week_data({MON: LUNCH_BREAK}, remove=value)).text
    assert shows_row(text, MON, 0, "09:00", "12:30")
    assert shows_row(text, MON, 1, "13:30", "17:00")


def test_copy_monday_to_weekdays_without_javascript_keeps_the_weekend(logged_in, practitioner):
    data = week_data(
        {MON: LUNCH_BREAK, TUE: [("07:00", "08:00")], SAT: [("10:00", "11:00")]}, copy="monday"
    )
    text = logged_in.post(reverse(URL), data).text
    for weekday in (MON, TUE, WED, THU, FRI):
        assert shows_row(text, weekday, 0, "09:00", "12:30")
        assert shows_row(text, weekday, 1, "13:30", "17:00")
    assert 'value="07:00"' not in text
    assert shows_row(text, SAT, 0, "10:00", "11:00")
    assert shows_row(text, SUN, 0, "", "")
    assert saved(practitioner) == [(MON, "09:00", "17:00")]
    # Then saved as shown.
    copied = week_data(dict.fromkeys(range(5), LUNCH_BREAK) | {SAT: [("10:00", "11:00")]})
    assert logged_in.post(reverse(URL), copied).status_code == 302
    assert len(saved(practitioner)) == 11


def test_summary_shows_hours_per_day_and_per_week(logged_in, practitioner):
    practitioner.weekly_hours.all().delete()
    for weekday in (MON, TUE):
        for starts, ends in ((dt.time(9), dt.time(12, 30)), (dt.time(13, 30), dt.time(17))):
            WeeklyHoursFactory(practitioner=practitioner, weekday=weekday, starts=starts, ends=ends)
    WeeklyHoursFactory(
        practitioner=practitioner, weekday=SAT, starts=dt.time(10), ends=dt.time(10, 45)
    )
    text = logged_in.get(reverse(URL)).text
    summary = text[text.index('id="week-summary"') :]
    assert '<th scope="row">Monday</th>\n              <td class="text-nowrap">7 h</td>' in summary
    assert "09:00–12:30, 13:30–17:00" in summary
    assert "45 min" in summary
    assert summary.count("Not working") == 4
    assert '<td class="text-nowrap fw-semibold" colspan="2">14 h 45 min</td>' in summary


def test_summary_of_what_is_typed_is_a_fragment_for_htmx(logged_in, practitioner):
    data = week_data({MON: [("09:00", "12:00"), ("11:00", "13:00")], TUE: [("10:00", "bad")]})
    response = logged_in.post(reverse(URL), data | {"summary": "1"}, headers={"HX-Request": "true"})
    text = response.text
    assert text.lstrip().startswith('<section id="week-summary"')
    assert "<h1>" not in text
    # Overlapping time counts once; a row that is not a time yet counts nothing.
    assert '<td class="text-nowrap">4 h</td>' in text
    assert '<td class="text-nowrap fw-semibold" colspan="2">4 h</td>' in text
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


def test_a_new_practitioner_fills_the_empty_rows(client):
    fresh = PractitionerFactory()
    client.force_login(fresh.user)
    text = client.get(reverse(URL)).text
    assert all(f'name="day{d}-TOTAL_FORMS" value="1"' in text for d in range(7))
    assert client.post(reverse(URL), week_data({WED: [("09:00", "12:00")]})).status_code == 302
    assert WeeklyHours.objects.filter(practitioner=fresh, weekday=WED).count() == 1


def test_a_tampered_management_form_is_refused_not_a_crash(logged_in, practitioner):
    data = week_data({MON: LUNCH_BREAK}) | {"day0-TOTAL_FORMS": "99999"}
    response = logged_in.post(reverse(URL), data)
    assert response.status_code == 200
    assert saved(practitioner) == [(MON, "09:00", "17:00")]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("staff", 403), ("practitioner", 200)],
    indirect=["who"],
)
def test_only_a_practitioner_reaches_their_hours(client, who, status):
    assert client.get(reverse(URL)).status_code == status


def test_a_practitioner_only_ever_changes_their_own_week(client, practitioner, other_practitioner):
    client.force_login(other_practitioner.user)
    assert client.post(reverse(URL), week_data({SUN: [("10:00", "11:00")]})).status_code == 302
    assert saved(practitioner) == [(MON, "09:00", "17:00")]
    assert saved(other_practitioner) == [(SUN, "10:00", "11:00")]


def test_page_query_count_does_not_grow_with_the_ranges(
    logged_in, practitioner, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        logged_in.get(reverse(URL))
    for weekday in range(7):
        for h in range(8, 14):
            WeeklyHoursFactory(
                practitioner=practitioner, weekday=weekday, starts=dt.time(h), ends=dt.time(h, 30)
            )
    with django_assert_max_num_queries(8):
        logged_in.get(reverse(URL))
