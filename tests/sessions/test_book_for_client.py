"""A practitioner books on a client's behalf (sessions.booking.book_for_client and the page
sessions:book-for-client): same write path as the client's, confirmed, emailed with a line
saying who booked; outside working hours only when they say so; never over busy time."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from sessions.booking import (
    NOT_YOUR_CLIENT,
    BookingRefused,
    OutsideWorkingHours,
    SlotTaken,
    book_for_client,
    hold_slot,
    reschedule_booking,
)
from sessions.models import Booking, Reminder
from tests.factories import (
    BookingFactory,
    DateExceptionFactory,
    IntakeFormFactory,
    TimeOffFactory,
    UserFactory,
)
from tests.sessions.booking_helpers import (
    MONDAY,
    NOW,
    POSTPONE_ANSWERS,
    Status,
    existing,
    intake_with,
    la,
    to,
)

pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def regular(practitioner, client_user, intake):
    """`client_user` has had a session with the practitioner: one of their clients."""
    BookingFactory(
        practitioner=practitioner,
        client=client_user,
        intake=intake,
        status=Status.COMPLETED,
        starts_at=NOW - timedelta(days=14),
    )
    return client_user


def book(practitioner, client, **kwargs) -> Booking:
    options = {
        "service": practitioner.services.get(),
        "minutes": 60,
        "starts_at": la(MONDAY, 10),
    } | kwargs
    return book_for_client(
        practitioner=practitioner, by=practitioner.user, client=client, **options
    )


def form_data(practitioner, **overrides) -> dict:
    length = practitioner.services.get().lengths.get(minutes=60)
    return {
        "who": "existing",
        "length": length.pk,
        "day": "2026-06-08",
        "start": "10:00",
    } | overrides


# --- the write path --------------------------------------------------------------------------


def test_booking_for_a_client_confirms_it_records_who_booked_and_pins_their_intake(
    practitioner, regular, intake, mailoutbox
):
    booking = book(practitioner, regular)

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert booking.booked_by == practitioner.user
    assert booking.booked_for_client
    assert booking.intake == intake
    assert not booking.awaits_health_form
    assert booking.starts_at == datetime(2026, 6, 8, 17, 0, tzinfo=UTC)
    assert booking.blocks_until == booking.ends_at + timedelta(minutes=15)
    assert Reminder.objects.filter(booking=booking).exists()
    (to_client,) = to(mailoutbox, regular)
    assert "booked this session for you" in to_client.body
    assert to_client.subject.startswith("Booking confirmed")
    assert len(to(mailoutbox, practitioner.user)) == 1


def test_a_health_form_more_than_12_months_old_is_not_pinned_the_booking_waits_for_a_new_one(
    client, practitioner, client_user, mailoutbox
):
    stale = IntakeFormFactory(client=client_user, signed_at=NOW - timedelta(days=730))
    BookingFactory(
        practitioner=practitioner,
        client=client_user,
        intake=stale,
        status=Status.COMPLETED,
        starts_at=NOW - timedelta(days=700),
    )

    booking = book(practitioner, client_user)

    booking.refresh_from_db()
    assert booking.intake is None and booking.flags == []
    assert booking.awaits_health_form
    client.force_login(practitioner.user)
    assert (
        "Health form not yet completed" in client.get(booking.get_absolute_url()).content.decode()
    )


def test_a_booking_waiting_for_a_new_form_keeps_waiting_when_rescored_on_a_stale_one(
    practitioner, client_user
):
    """Moving it re-scores the client's bookings: a form more than 12 months old is still not
    pinned to the one waiting for a new form (a newly signed one is, sign_intake_and_rescore)."""
    stale = IntakeFormFactory(client=client_user, signed_at=NOW - timedelta(days=730))
    BookingFactory(
        practitioner=practitioner,
        client=client_user,
        intake=stale,
        status=Status.COMPLETED,
        starts_at=NOW - timedelta(days=700),
    )
    booking = book(practitioner, client_user)

    reschedule_booking(
        booking=booking,
        new_starts_at=booking.starts_at + timedelta(hours=2),
        by_practitioner=True,
        reason="Running late today",
    )

    booking.refresh_from_db()
    assert booking.intake is None and booking.awaits_health_form


def test_a_client_whose_email_is_unconfirmed_is_still_confirmed_when_the_practitioner_books(
    practitioner, regular
):
    regular.email_verified_at = None
    regular.save()

    assert book(practitioner, regular).status == Status.CONFIRMED


def test_talk_first_flags_leave_the_booking_waiting_for_the_practitioners_decision(
    practitioner, regular, mailoutbox
):
    intake_with(regular, **POSTPONE_ANSWERS)

    booking = book(practitioner, regular)

    assert booking.status == Status.REQUESTED
    assert booking.needs_safety_decision
    assert "waits for your decision" in to(mailoutbox, practitioner.user)[0].body


def test_booking_over_another_booking_is_refused_and_nothing_is_written(
    practitioner, regular, other_client, mailoutbox
):
    existing(practitioner, other_client, None, la(MONDAY, 9, 30))
    mailoutbox.clear()

    with pytest.raises(SlotTaken):
        book(practitioner, regular)

    assert practitioner.bookings.filter(client=regular).count() == 1  # the past one
    assert mailoutbox == []


def test_booking_over_the_buffer_of_another_booking_is_refused_even_outside_hours(
    practitioner, regular, other_client
):
    existing(practitioner, other_client, None, la(MONDAY, 16))  # buffer runs to 17:15

    with pytest.raises(SlotTaken):
        book(practitioner, regular, starts_at=la(MONDAY, 17), outside_hours=True)


def test_booking_over_time_off_is_refused_even_outside_hours(practitioner, regular):
    TimeOffFactory(practitioner=practitioner, starts_at=la(MONDAY, 9), ends_at=la(MONDAY, 12))

    with pytest.raises(BookingRefused, match="You have time off at that time"):
        book(practitioner, regular, outside_hours=True)


def test_a_closed_day_is_refused_even_outside_hours(practitioner, regular):
    DateExceptionFactory(practitioner=practitioner, date=MONDAY, kind="closed")

    with pytest.raises(BookingRefused, match="is closed on Monday 8 June"):
        book(practitioner, regular, outside_hours=True)


def test_a_time_someone_is_holding_is_refused(practitioner, regular, other_client):
    hold_slot(
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        starts_at=la(MONDAY, 10),
        holder_key="someone",
        user=other_client,
    )

    with pytest.raises(SlotTaken, match="held for them"):
        book(practitioner, regular)


def test_outside_working_hours_needs_the_practitioners_confirmation(practitioner, regular):
    with pytest.raises(OutsideWorkingHours, match="outside your working hours"):
        book(practitioner, regular, starts_at=la(MONDAY, 18))
    assert not practitioner.bookings.filter(starts_at=la(MONDAY, 18)).exists()

    booking = book(practitioner, regular, starts_at=la(MONDAY, 18), outside_hours=True)

    assert booking.status == Status.CONFIRMED
    assert booking.starts_at == la(MONDAY, 18)


def test_a_session_running_past_the_end_of_hours_is_outside_them(practitioner, regular):
    with pytest.raises(OutsideWorkingHours):
        book(practitioner, regular, starts_at=la(MONDAY, 16, 30))


def test_the_practitioner_may_book_off_their_start_grid_and_inside_their_notice(
    practitioner, regular
):
    practitioner.min_notice_hours = 48
    practitioner.save()
    today = date(2026, 6, 1)  # NOW is 05:00 in Los Angeles on this Monday

    booking = book(practitioner, regular, starts_at=la(today, 10, 15))

    assert booking.starts_at == la(today, 10, 15)


def test_a_time_that_has_passed_is_refused(practitioner, regular):
    with pytest.raises(BookingRefused, match="already passed"):
        book(practitioner, regular, starts_at=NOW - timedelta(hours=1), outside_hours=True)


def test_another_practitioners_client_cannot_be_booked(practitioner, other_practitioner):
    theirs = UserFactory()
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)

    with pytest.raises(BookingRefused, match=NOT_YOUR_CLIENT):
        book(practitioner, theirs)


def test_a_declined_request_does_not_make_someone_a_client(practitioner, client_user, intake):
    BookingFactory(
        practitioner=practitioner, client=client_user, intake=intake, status=Status.DECLINED
    )

    with pytest.raises(BookingRefused, match=NOT_YOUR_CLIENT):
        book(practitioner, client_user)


def test_only_the_practitioner_books_on_their_own_calendar(
    practitioner, other_practitioner, regular
):
    with pytest.raises(BookingRefused, match="Only the practitioner"):
        book_for_client(
            practitioner=practitioner,
            by=other_practitioner.user,
            client=regular,
            service=practitioner.services.get(),
            minutes=60,
            starts_at=la(MONDAY, 10),
        )


# --- the page --------------------------------------------------------------------------------


def test_the_page_prefills_the_calendar_time_and_the_client(client, practitioner, regular):
    client.force_login(practitioner.user)

    response = client.get(
        reverse("sessions:book-for-client"), {"start": "20260608T1730Z", "client": regular.pk}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="2026-06-08"' in page
    assert 'value="10:30"' in page  # 17:30 UTC is 10:30 in Los Angeles
    assert f'<option value="{regular.pk}" selected>' in page


def test_the_page_lists_only_this_practitioners_clients(
    client, practitioner, other_practitioner, regular
):
    theirs = UserFactory(full_name="Tess Theirs")
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)
    client.force_login(practitioner.user)

    page = client.get(reverse("sessions:book-for-client")).content.decode()

    assert regular.full_name in page
    assert "Tess Theirs" not in page


def test_another_practitioners_client_in_the_link_is_not_found(
    client, practitioner, other_practitioner
):
    theirs = UserFactory()
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)
    client.force_login(practitioner.user)

    response = client.get(reverse("sessions:book-for-client"), {"client": theirs.pk})

    assert response.status_code == 404


def test_posting_another_practitioners_client_is_a_form_error(
    client, practitioner, other_practitioner
):
    theirs = UserFactory()
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)
    client.force_login(practitioner.user)

    response = client.post(
        reverse("sessions:book-for-client"), form_data(practitioner, client=theirs.pk, confirm=1)
    )

    assert response.status_code == 400
    assert "That person is not one of your clients" in response.content.decode()
    assert not practitioner.bookings.filter(client=theirs).exists()


def test_preview_then_confirm_books_and_shows_the_confirmation_with_cancel(
    client, practitioner, regular, mailoutbox
):
    client.force_login(practitioner.user)
    data = form_data(practitioner, client=regular.pk)

    preview = client.post(reverse("sessions:book-for-client"), data)

    assert preview.status_code == 200
    assert "Check the booking" in preview.content.decode()
    assert "Monday 8 June 2026, 10:00" in preview.content.decode()
    assert practitioner.bookings.filter(starts_at=la(MONDAY, 10)).count() == 0

    done = client.post(reverse("sessions:book-for-client"), data | {"confirm": "1"}, follow=True)

    booking = practitioner.bookings.get(starts_at=la(MONDAY, 10))
    assert done.redirect_chain[-1][0] == reverse(
        "sessions:book-for-client-done", kwargs={"code": booking.code}
    )
    page = done.content.decode()
    assert f"Booked for {regular.full_name}" in page
    assert reverse("sessions:booking-practitioner-cancel", kwargs={"code": booking.code}) in page
    assert len(to(mailoutbox, regular)) == 1


def test_outside_hours_refusal_is_on_the_checkbox_and_keeps_what_was_typed(
    client, practitioner, regular
):
    client.force_login(practitioner.user)

    response = client.post(
        reverse("sessions:book-for-client"),
        form_data(practitioner, client=regular.pk, start="18:00"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "outside your working hours" in page
    assert 'value="18:00"' in page
    assert response.context["form"].errors["outside_hours"]

    ok = client.post(
        reverse("sessions:book-for-client"),
        form_data(practitioner, client=regular.pk, start="18:00", outside_hours="on", confirm=1),
    )

    assert ok.status_code == 302
    assert practitioner.bookings.filter(starts_at=la(MONDAY, 18)).exists()


def test_a_refusal_at_confirmation_shows_the_form_again(
    client, practitioner, regular, other_client
):
    client.force_login(practitioner.user)
    existing(practitioner, other_client, None, la(MONDAY, 10))

    response = client.post(
        reverse("sessions:book-for-client"), form_data(practitioner, client=regular.pk, confirm=1)
    )

    assert response.status_code == 400
    assert "Another booking (with its buffer or travel) overlaps that time" in (
        response.content.decode()
    )


def test_missing_choices_get_specific_errors(client, practitioner):
    client.force_login(practitioner.user)

    response = client.post(
        reverse("sessions:book-for-client"), {"who": "new", "day": "", "start": "10:07"}
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["full_name"] == ["Enter the new client's full name."]
    assert errors["email"] == ["Enter the new client's email address."]
    assert errors["length"] == ["Choose a session and its length."]
    assert errors["day"] == ["Choose the date of the session."]
    assert errors["start"] == ["Choose a time on a 5-minute mark, such as 10:15."]


def test_times_are_read_in_the_practice_zone_across_a_clock_change(client, practitioner, regular):
    """10:00 in Los Angeles is 17:00 UTC in June (PDT) and 18:00 UTC in November (PST)."""
    client.force_login(practitioner.user)

    client.post(
        reverse("sessions:book-for-client"),
        form_data(practitioner, client=regular.pk, day="2026-11-02", confirm=1),
    )
    skipped = client.post(
        reverse("sessions:book-for-client"),
        form_data(practitioner, client=regular.pk, day="2027-03-14", start="02:30"),
    )

    assert practitioner.bookings.filter(starts_at=datetime(2026, 11, 2, 18, 0, tzinfo=UTC)).exists()
    assert "the clocks go forward" in skipped.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, practitioner, regular, django_assert_max_num_queries
):
    client.force_login(practitioner.user)
    url = reverse("sessions:book-for-client")
    with django_assert_max_num_queries(12):
        client.get(url)
    BookingFactory.create_batch(30, practitioner=practitioner, status=Status.COMPLETED)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("<option") >= 31


# --- cancelling on the client's behalf -------------------------------------------------------


def test_cancelling_from_the_confirmation_emails_the_client_the_reason(
    client, practitioner, regular, mailoutbox
):
    booking = book(practitioner, regular)
    mailoutbox.clear()
    client.force_login(practitioner.user)

    client.post(
        reverse("sessions:booking-practitioner-cancel", kwargs={"code": booking.code}),
        {"reason": "Booked the wrong week, sorry", "next": booking.get_absolute_url()},
    )

    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED_BY_PRACTITIONER
    (email,) = to(mailoutbox, regular)
    assert "Booked the wrong week, sorry" in email.body


# --- who may use the pages -------------------------------------------------------------------


def test_a_client_is_refused_the_page(client, client_user):
    client.force_login(client_user)

    assert client.get(reverse("sessions:book-for-client")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("sessions:book-for-client"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_confirmation_is_the_booking_practitioners_only(
    client, practitioner, other_practitioner, regular
):
    booking = book(practitioner, regular)
    url = reverse("sessions:book-for-client-done", kwargs={"code": booking.code})

    client.force_login(other_practitioner.user)
    assert client.get(url).status_code == 404
    client.force_login(regular)
    assert client.get(url).status_code == 403
    client.force_login(practitioner.user)
    assert client.get(url).status_code == 200


def test_booking_from_01_15_again_on_the_fall_back_night_books_the_second_one(
    client, practitioner, regular
):
    """1 November 2026 in Los Angeles: 01:15 happens twice (08:15 and 09:15 UTC). The
    calendar's cell for the second one books the second one, through the preview."""
    second = datetime(2026, 11, 1, 9, 15, tzinfo=UTC)
    client.force_login(practitioner.user)

    page = client.get(reverse("sessions:book-for-client"), {"start": "20261101T0915Z"})

    form = page.context["form"]
    assert (form["day"].value(), str(form["start"].value())) == (date(2026, 11, 1), "01:15:00")
    assert 'name="instant" value="20261101T0915Z"' in page.content.decode()
    data = form_data(
        practitioner,
        client=regular.pk,
        day="2026-11-01",
        start="01:15",
        instant="20261101T0915Z",
        outside_hours="on",
    )
    preview = client.post(reverse("sessions:book-for-client"), data)
    assert 'name="instant" value="20261101T0915Z"' in preview.content.decode()
    assert "Check the booking" in preview.content.decode()
    done = client.post(reverse("sessions:book-for-client"), data | {"confirm": "1"})

    assert done.status_code == 302
    assert practitioner.bookings.filter(client=regular, starts_at=second).exists()


def test_a_retyped_time_wins_over_the_calendars_instant(client, practitioner, regular):
    client.force_login(practitioner.user)
    data = form_data(
        practitioner, client=regular.pk, start="11:00", instant="20260608T1730Z", confirm="1"
    )

    client.post(reverse("sessions:book-for-client"), data)

    assert practitioner.bookings.filter(client=regular, starts_at=la(MONDAY, 11)).exists()


def test_a_new_clients_details_typed_under_the_existing_choice_say_which_choice_is_ticked(
    client, practitioner, regular
):
    """Both sections show without JavaScript: typing a new client's name and email but
    leaving "A client who has booked with you" ticked says so, not only "Choose the client"."""
    client.force_login(practitioner.user)
    before = Booking.objects.count()  # the regular's past session

    response = client.post(
        reverse("sessions:book-for-client"),
        form_data(practitioner, who="existing", full_name="Nina New", email="nina@example.com"),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["who"] == [
        "You typed a new client's name or email, but “A client who has booked with you” is "
        "ticked: choose “A new client to invite”, or pick an existing client from the list."
    ]
    assert "client" not in errors
    assert "A client who has booked with you” is ticked" in response.content.decode()
    assert 'value="Nina New"' in response.content.decode()  # nothing typed is lost
    assert Booking.objects.count() == before


def test_an_existing_client_picked_under_the_new_choice_says_which_choice_is_ticked(
    client, practitioner, regular
):
    client.force_login(practitioner.user)
    before = Booking.objects.count()  # the regular's past session

    response = client.post(
        reverse("sessions:book-for-client"), form_data(practitioner, who="new", client=regular.pk)
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["who"] == [
        "You picked an existing client, but “A new client to invite” is ticked: choose “A "
        "client who has booked with you”, or type the new client's name and email."
    ]
    assert "full_name" not in errors and "email" not in errors
    assert Booking.objects.count() == before
