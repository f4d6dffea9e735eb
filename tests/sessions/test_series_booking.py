"""The practitioner books a series for a client (sessions.views.series): step 1, the preview
with each date free or clashing (and the nearest free times for a clash), the confirmation
through the write path, the client's one email, the series page and cancelling from a date
onward; who may reach the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.booking import (
    NOT_YOUR_CLIENT,
    ONLY_THE_PRACTITIONER,
    PASSED,
    BookingRefused,
    SeriesRefused,
)
from sessions.models import Booking, BookingSeries
from tests.factories import BookingFactory, IntakeFormFactory, UserFactory
from tests.sessions.series_helpers import (
    MONDAY,
    NOW,
    a_series,
    confirm,
    la,
    new_url,
    past_session,
    step_one,
)

pytestmark = pytest.mark.django_db
Status = Booking.Status


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def regular(client_user, practitioner):
    """`client_user`, the practitioner's client with a current health form."""
    IntakeFormFactory(client=client_user)
    past_session(practitioner, client_user)
    return client_user


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


def fortnights(count=6, hour=10):
    return [la(MONDAY + timedelta(weeks=2 * n), hour) for n in range(count)]


# --- step 1 and the preview ---------------------------------------------------------------


def test_step_one_shows_the_form_in_the_practice_zone(as_practitioner, regular):
    response = as_practitioner.get(new_url(regular))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Book a series for Cara Client" in page
    assert "America/Los_Angeles" in page
    assert "Check the dates" in page
    assert "Book the chosen dates" not in page


def test_the_preview_marks_a_clash_and_offers_the_nearest_free_times_that_day(
    as_practitioner, practitioner, regular, other_client
):
    # Another client at 10:00 on the second date (until 11:15 with the buffer).
    BookingFactory(practitioner=practitioner, client=other_client, starts_at=fortnights()[1])

    response = as_practitioner.get(new_url(regular), step_one(practitioner))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["date"].free for row in rows] == [True, False, True, True, True, True]
    clash = rows[1]["date"]
    assert "Another booking" in clash.reason
    options = [o["local"].strftime("%H:%M") for o in rows[1]["options"]]
    assert options == ["11:30", "12:00", "12:30"]
    page = response.content.decode()
    assert "1 date clashes" in page
    assert "Leave this date out" in page
    assert page.count('type="checkbox"') == 5  # a checkbox per free date, ticked
    assert page.count(" checked") == 6  # and "leave out" for the clash until one is chosen


def test_a_passed_time_today_is_named_in_the_write_paths_words(
    as_practitioner, practitioner, regular
):
    # NOW is 05:00 on Monday 1 June in Los Angeles: 04:00 that day has passed.
    answers = step_one(practitioner, first=MONDAY - timedelta(weeks=1), at="04:00", count=2)

    response = as_practitioner.get(new_url(regular), answers)

    assert response.context["rows"][0]["date"].reason == PASSED
    assert "That time has already passed." in response.content.decode()


def test_the_preview_names_dates_outside_working_hours(as_practitioner, practitioner, regular):
    # Mondays only: a series starting on a Tuesday is outside the hours every time.
    answers = step_one(practitioner, first=MONDAY + timedelta(days=1), count=2)

    rows = as_practitioner.get(new_url(regular), answers).context["rows"]

    assert [row["date"].reason for row in rows] == [
        "Outside your working hours, or a day you are closed."
    ] * 2
    assert rows[0]["options"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_time": "10:10"}, "Sessions start every 30 minutes (on the hour or half hour)."),
        ({"first_date": "2026-05-25"}, "The first date has passed."),
        ({"count": "13"}, "A series has 2 to 12 sessions."),
        ({"every_weeks": "5"}, "A series repeats every 1, 2, 3 or 4 weeks."),
        ({"length": "999999"}, "That session is not offered for a series."),
    ],
)
def test_step_one_says_what_is_wrong_and_keeps_the_answers(
    as_practitioner, practitioner, regular, change, message
):
    answers = step_one(practitioner) | change

    response = as_practitioner.get(new_url(regular), answers)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="2026-06-08"' in page or change.get("first_date") in page
    assert "rows" not in response.context


def test_the_preview_runs_a_fixed_number_of_queries_whatever_the_calendar(
    as_practitioner, practitioner, regular, django_assert_max_num_queries
):
    answers = step_one(practitioner, every=1, count=12)
    with django_assert_max_num_queries(20):
        small = as_practitioner.get(new_url(regular), answers)
    others = UserFactory.create_batch(3)
    for week in range(40):
        BookingFactory(
            practitioner=practitioner,
            client=others[week % 3],
            intake=None,
            starts_at=la(MONDAY + timedelta(weeks=week), 14),
        )
    with django_assert_max_num_queries(20):
        large = as_practitioner.get(new_url(regular), answers)
    assert small.status_code == large.status_code == 200


# --- confirming -----------------------------------------------------------------------------


def test_confirming_books_the_chosen_dates_with_a_clash_moved_to_a_nearby_time(
    as_practitioner, practitioner, regular, other_client, mailoutbox
):
    starts = fortnights()
    BookingFactory(practitioner=practitioner, client=other_client, starts_at=starts[1])
    moved = la(MONDAY + timedelta(weeks=2), 11, 30)

    response = as_practitioner.post(
        new_url(regular), confirm(step_one(practitioner), starts[0], moved, *starts[2:])
    )

    series = BookingSeries.objects.get()
    assert response.status_code == 302
    assert response.url == series.get_absolute_url()
    booked = list(series.bookings.order_by("starts_at"))
    assert [b.starts_at for b in booked] == [starts[0], moved, *starts[2:]]
    assert {b.status for b in booked} == {Status.CONFIRMED}
    assert {b.client for b in booked} == {regular}
    assert (series.every_weeks, series.count, series.created_by) == (2, 6, practitioner.user)
    # Ten weeks ahead: past the 60 days clients may book, which binds clients, not the practitioner.
    assert starts[-1] - NOW > timedelta(days=practitioner.booking_horizon_days)
    (email,) = mailoutbox
    assert email.to == [regular.email]
    assert email.subject == "6 sessions booked with Pat Practitioner"
    assert "Monday 22 June 2026, 14:30" in email.body  # 11:30 in Los Angeles, in New York
    assert email.body.count("/bookings/") == 7  # each booking's page, and the list of them


def test_dates_left_out_are_not_booked(as_practitioner, practitioner, regular):
    starts = fortnights(3)

    as_practitioner.post(
        new_url(regular), confirm(step_one(practitioner, count=3), starts[0], None, starts[2])
    )

    assert [b.starts_at for b in Booking.objects.filter(series__isnull=False)] == [
        starts[0],
        starts[2],
    ]


def test_a_date_taken_before_confirming_books_nothing_and_says_which(
    as_practitioner, practitioner, regular, other_client, mailoutbox
):
    starts = fortnights()
    # Taken after the preview showed it free.
    BookingFactory(practitioner=practitioner, client=other_client, starts_at=starts[3])

    response = as_practitioner.post(new_url(regular), confirm(step_one(practitioner), *starts))

    assert response.status_code == 409
    page = response.content.decode()
    assert "1 of the chosen times can no longer be booked, so nothing was booked" in page
    assert "Not booked:" in page
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.filter(client=regular, status=Status.CONFIRMED).exists()
    assert mailoutbox == []
    # The choices made are kept; the preview now shows the clash with its nearest times.
    assert response.context["rows"][3]["date"].free is False
    assert response.context["rows"][3]["refusal"]
    assert response.context["rows"][0]["chosen"]


@pytest.mark.parametrize(
    "tampered",
    [
        la(MONDAY + timedelta(weeks=2, days=2), 10),  # date 2 moved to a Wednesday
        la(MONDAY, 14),  # date 2 moved onto date 1's day: two sessions that Monday
        la(MONDAY + timedelta(weeks=2), 15),  # a free time that was never offered
    ],
)
def test_a_start_that_was_not_offered_for_its_date_books_nothing(
    as_practitioner, practitioner, regular, mailoutbox, tampered
):
    starts = fortnights(3)

    response = as_practitioner.post(
        new_url(regular), confirm(step_one(practitioner, count=3), starts[0], tampered, starts[2])
    )

    assert response.status_code == 409
    assert "A chosen time is not one of the times offered for its date" in (
        response.content.decode()
    )
    assert [row["refusal"] for row in response.context["rows"]] == [
        "",
        "Not one of the times offered for this date.",
        "",
    ]
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.filter(series__isnull=False).exists()
    assert mailoutbox == []


def test_confirming_nothing_is_refused_in_words(as_practitioner, practitioner, regular):
    response = as_practitioner.post(
        new_url(regular), confirm(step_one(practitioner, count=2), None, None)
    )

    assert response.status_code == 409
    assert "Choose at least one date to book." in response.content.decode()


def test_a_client_without_a_current_health_form_is_refused_with_a_clear_message(
    as_practitioner, practitioner, client_user
):
    past_session(practitioner, client_user, intake=None)

    page = as_practitioner.get(new_url(client_user), step_one(practitioner))
    posted = as_practitioner.post(
        new_url(client_user), confirm(step_one(practitioner), *fortnights())
    )

    assert "has no current health form" in page.content.decode()
    assert "Check the dates" not in page.content.decode()
    assert "has no current health form" in posted.content.decode()
    assert not Booking.objects.filter(series__isnull=False).exists()
    with pytest.raises(BookingRefused, match="no current health form"):
        a_series(practitioner, client_user, fortnights(2))


def test_a_series_is_confirmed_even_before_the_client_confirms_their_email(
    practitioner, client_user
):
    """The practitioner chose the client and the times themselves (as when booking one
    session on their behalf): nothing is left for the email confirmation to approve."""
    client_user.email_verified_at = None
    client_user.save()
    IntakeFormFactory(client=client_user)
    past_session(practitioner, client_user)

    series = a_series(practitioner, client_user, fortnights(2))

    assert {b.status for b in series.bookings.all()} == {Status.CONFIRMED}


def test_the_write_path_refuses_a_series_for_someone_who_is_not_the_practitioners_client(
    practitioner, other_practitioner, mailoutbox
):
    theirs = UserFactory()
    IntakeFormFactory(client=theirs)
    past_session(other_practitioner, theirs)

    with pytest.raises(BookingRefused) as refused:
        a_series(practitioner, theirs, fortnights(2))

    assert str(refused.value) == NOT_YOUR_CLIENT
    assert not BookingSeries.objects.exists()
    assert not practitioner.bookings.filter(client=theirs).exists()
    assert mailoutbox == []


@pytest.mark.parametrize("creator", ["client", "other practitioner"])
def test_the_write_path_refuses_a_series_created_by_anyone_but_the_practitioner(
    practitioner, other_practitioner, regular, mailoutbox, creator
):
    by = {"client": regular, "other practitioner": other_practitioner.user}[creator]

    with pytest.raises(BookingRefused) as refused:
        a_series(practitioner, regular, fortnights(2), created_by=by)

    assert str(refused.value) == ONLY_THE_PRACTITIONER
    assert not BookingSeries.objects.exists()
    assert mailoutbox == []


def test_series_refused_maps_each_refused_date_to_its_reason(practitioner, regular, other_client):
    starts = fortnights(3)
    BookingFactory(practitioner=practitioner, client=other_client, starts_at=starts[1])

    with pytest.raises(SeriesRefused) as refused:
        a_series(practitioner, regular, starts)

    assert list(refused.value.refusals) == [starts[1]]
    assert BookingSeries.objects.count() == 0


# --- the series page and cancelling from a date onward --------------------------------------


def test_the_series_page_lists_the_dates_with_their_statuses(
    as_practitioner, practitioner, regular
):
    series = a_series(practitioner, regular, fortnights(3))

    response = as_practitioner.get(series.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Series for Cara Client" in page
    assert page.count("Confirmed") == 3
    assert "Monday 22 June 2026, 10:00–11:00" in page  # the practice's zone


def test_cancelling_from_a_date_onward_cancels_the_later_sessions_and_emails_once(
    as_practitioner, practitioner, regular, mailoutbox
):
    starts = fortnights(4)
    series = a_series(practitioner, regular, starts)
    mailoutbox.clear()

    response = as_practitioner.post(
        reverse("sessions:series-cancel", kwargs={"code": series.code}),
        {"starting": starts[1].strftime("%Y%m%dT%H%MZ"), "reason": "I am moving my practice."},
    )

    assert response.status_code == 302
    statuses = [b.status for b in series.bookings.order_by("starts_at")]
    assert statuses == [Status.CONFIRMED] + [Status.CANCELLED_BY_PRACTITIONER] * 3
    assert Booking.objects.filter(series=series).count() == 4  # kept, as cancelled
    (email,) = mailoutbox
    assert email.to == [regular.email]
    assert email.subject == "Cancelled: sessions from 22 June with Pat Practitioner"
    assert "Reason: I am moving my practice." in email.body
    assert email.body.count("- Monday") == 3
    page = as_practitioner.get(series.get_absolute_url()).content.decode()
    assert page.count("Cancelled by practitioner") == 3


def test_cancelling_onward_needs_a_reason_and_keeps_the_choice(
    as_practitioner, practitioner, regular
):
    starts = fortnights(2)
    series = a_series(practitioner, regular, starts)
    start = starts[1].strftime("%Y%m%dT%H%MZ")

    response = as_practitioner.post(
        reverse("sessions:series-cancel", kwargs={"code": series.code}),
        {"starting": start, "reason": "  "},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the client a reason for cancelling." in page
    assert f'value="{start}" selected' in page
    assert not series.bookings.exclude(status=Status.CONFIRMED).exists()


# --- who may reach the pages ----------------------------------------------------------------


def test_another_practitioner_gets_404_on_the_series_pages(
    client, practitioner, other_practitioner, regular
):
    series = a_series(practitioner, regular, fortnights(2))
    # Even once the client is also theirs.
    past_session(other_practitioner, regular)
    client.force_login(other_practitioner.user)

    assert client.get(series.get_absolute_url()).status_code == 404
    cancel = reverse("sessions:series-cancel", kwargs={"code": series.code})
    assert client.post(cancel, {"starting": "x", "reason": "x"}).status_code == 404
    assert series.bookings.filter(status=Status.CONFIRMED).count() == 2


def test_a_practitioner_gets_404_for_someone_who_never_booked_them(
    client, other_practitioner, regular
):
    client.force_login(other_practitioner.user)

    assert client.get(new_url(regular)).status_code == 404
    assert client.get(new_url(UserFactory())).status_code == 404


@pytest.mark.parametrize("who", ["client", "other client", "staff"], indirect=True)
def test_clients_and_staff_cannot_reach_the_series_pages(client, who, practitioner, regular):
    series = a_series(practitioner, regular, fortnights(2))

    assert client.get(new_url(regular)).status_code == 403
    assert client.get(series.get_absolute_url()).status_code == 403
    cancel = reverse("sessions:series-cancel", kwargs={"code": series.code})
    assert client.post(cancel, {"reason": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, practitioner, regular):
    series = a_series(practitioner, regular, fortnights(2))

    for url in (new_url(regular), series.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_booking_page_links_its_practitioner_to_the_series(
    as_practitioner, practitioner, regular
):
    series = a_series(practitioner, regular, fortnights(2))
    booking = series.bookings.first()

    page = as_practitioner.get(booking.get_absolute_url()).content.decode()

    assert series.get_absolute_url() in page
    assert new_url(regular) in page
