"""A held slot (issue 12, part 2): choosing a time holds it for that visitor for
settings.SLOT_HOLD_MINUTES; nobody else is offered it; the hold becomes the booking through
book_session; it lapses by itself (no job) and a lapsed hold says whether the time is still
free or was taken."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sessions.availability import free_slots_for
from sessions.booking import (
    HELD_BY_SOMEONE,
    HOLD_RAN_OUT_FREE,
    HOLD_RAN_OUT_TAKEN,
    SlotTaken,
    book_session,
    hold_slot,
)
from sessions.holds import HELD_SESSION_KEY, HOLDER_SESSION_KEY
from sessions.models import Booking, SlotHold
from tests.factories import BookingFactory, IntakeFormFactory, SlotHoldFactory, UserFactory

# A Wednesday; the practitioner (Los Angeles, UTC-7 in June) works Mondays 09:00-17:00;
# sessions of 60 minutes plus 15 minutes of buffer.
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
MONDAY = datetime(2026, 6, 8, tzinfo=UTC).date()
MONDAY_9AM_LA = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)
MONDAY_11AM_LA = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def length_of(practitioner, minutes=60):
    return practitioner.services.get().lengths.get(minutes=minutes)


def slots_url(practitioner, minutes=60):
    kwargs = {"slug": practitioner.slug, "length_id": length_of(practitioner, minutes).pk}
    return reverse("sessions:slots", kwargs=kwargs) + "?week=2026-06-08"


def review_url(practitioner, start=MONDAY_9AM_LA, minutes=60):
    kwargs = {
        "slug": practitioner.slug,
        "length_id": length_of(practitioner, minutes).pk,
        "start": start,
    }
    return reverse("sessions:review", kwargs=kwargs)


def confirm(client, practitioner, start=MONDAY_9AM_LA):
    form = {
        "accept_policy": "on",
        "unwell_now": "False",
        "price_seen": str(length_of(practitioner).price),
    }
    return client.post(review_url(practitioner, start), form)


def free_on_monday(practitioner, **options):
    if "service" not in options:
        options["service"] = practitioner.services.get()
    return free_slots_for(
        practitioner=practitioner,
        minutes=60,
        first_day=MONDAY,
        last_day=MONDAY,
        **options,
    )


@pytest.fixture
def practitioner(practitioner):
    """These tests check that a hold blocks exactly its span and buffer (09:00-10:15): the
    practitioner offers a start every 15 minutes (the default is 30), so 10:15 is a start."""
    practitioner.start_interval_minutes = 15
    practitioner.save()
    return practitioner


@pytest.fixture
def signed_in(client, client_user):
    """The client, logged in, with a current health form."""
    IntakeFormFactory(client=client_user)
    client.force_login(client_user)
    return client


@pytest.fixture
def other_visitor(db):
    """A second browser, with no account."""
    return Client()


# --- holding ---------------------------------------------------------------------------------


def test_choosing_a_time_holds_it_for_the_configured_minutes(
    signed_in, client_user, practitioner, settings
):
    settings.SLOT_HOLD_MINUTES = 7

    response = signed_in.get(review_url(practitioner))

    assert response.status_code == 200
    hold = SlotHold.objects.get()
    assert (hold.practitioner, hold.starts_at, hold.user) == (
        practitioner,
        MONDAY_9AM_LA,
        client_user,
    )
    assert hold.blocks_until == MONDAY_9AM_LA + timedelta(minutes=75)
    assert hold.expires_at == NOW + timedelta(minutes=7)
    # The expiry in the client's zone, then the minutes left in words (not "7:00 left").
    assert "This time is held for you until 08:07 (" in response.text
    assert '">7 minutes left</span></strong>).' in response.text
    # The countdown script reads the expiry (here in the client's zone, New York).
    assert 'data-hold-expires="2026-06-03T08:07:00-04:00"' in response.text


def test_opening_the_review_again_does_not_extend_the_hold(signed_in, practitioner):
    signed_in.get(review_url(practitioner))
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        response = signed_in.get(review_url(practitioner))

    assert SlotHold.objects.get().expires_at == NOW + timedelta(minutes=10)
    assert "6 minutes left" in response.text


def test_choosing_another_time_lets_the_first_one_go(signed_in, practitioner):
    signed_in.get(review_url(practitioner))
    signed_in.get(review_url(practitioner, MONDAY_11AM_LA))

    assert list(SlotHold.objects.values_list("starts_at", flat=True)) == [MONDAY_11AM_LA]
    assert MONDAY_9AM_LA in free_on_monday(practitioner)


def test_a_held_time_is_offered_to_nobody_else(signed_in, other_visitor, practitioner):
    signed_in.get(review_url(practitioner))

    theirs = other_visitor.get(slots_url(practitioner))
    mine = signed_in.get(slots_url(practitioner))

    assert f'href="{review_url(practitioner)}"' not in theirs.text
    # The hold and its buffer (09:00-10:15) take 09:00 to 10:00's starts; 10:15 is free.
    assert (
        f'href="{review_url(practitioner, MONDAY_9AM_LA + timedelta(minutes=75))}"' in theirs.text
    )
    assert f'href="{review_url(practitioner)}"' in mine.text  # still theirs to book
    assert MONDAY_9AM_LA not in free_on_monday(practitioner)


def test_a_second_visitor_choosing_a_held_time_is_refused_with_fresh_times(
    signed_in, other_visitor, practitioner
):
    signed_in.get(review_url(practitioner))

    response = other_visitor.get(review_url(practitioner))

    assert response.status_code == 409
    assert HELD_BY_SOMEONE in response.text
    assert "Free times on Monday 8 June:" in response.text
    assert ">10:15</a>" in response.text
    assert "Log in or sign up to book" not in response.text
    assert SlotHold.objects.count() == 1


def test_a_client_cannot_book_over_another_visitors_live_hold(client_user, practitioner):
    intake = IntakeFormFactory(client=client_user)
    SlotHoldFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA + timedelta(minutes=30))

    with pytest.raises(SlotTaken, match="Someone else is booking that time right now"):
        book_session(
            client=client_user,
            practitioner=practitioner,
            service=practitioner.services.get(),
            minutes=60,
            starts_at=MONDAY_9AM_LA,
            intake=intake,
        )
    assert not Booking.objects.exists()


def test_a_time_cannot_be_held_over_an_active_booking(practitioner):
    BookingFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA + timedelta(minutes=30))

    with pytest.raises(SlotTaken, match="just taken"):
        hold_slot(
            practitioner=practitioner,
            service=practitioner.services.get(),
            minutes=60,
            starts_at=MONDAY_9AM_LA,
            holder_key="someone",
        )
    assert not SlotHold.objects.exists()


def test_the_hold_becomes_the_booking_and_is_gone(signed_in, client_user, practitioner):
    signed_in.get(review_url(practitioner))

    response = confirm(signed_in, practitioner)

    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert (booking.client, booking.starts_at) == (client_user, MONDAY_9AM_LA)
    assert not SlotHold.objects.exists()
    assert HOLDER_SESSION_KEY not in signed_in.session
    assert HELD_SESSION_KEY not in signed_in.session


# --- lapsing ---------------------------------------------------------------------------------


def test_a_hold_lapses_by_itself_without_any_job(signed_in, other_visitor, practitioner):
    signed_in.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert MONDAY_9AM_LA in free_on_monday(practitioner)
        theirs = other_visitor.get(slots_url(practitioner))
        assert f'href="{review_url(practitioner)}"' in theirs.text
        assert SlotHold.objects.count() == 1  # the lapsed row is still there: nothing ran
        assert other_visitor.get(review_url(practitioner)).status_code == 200

    (hold,) = SlotHold.objects.all()
    assert hold.user is None  # the second visitor's


def test_a_lapsed_hold_whose_time_is_still_free_says_so_and_holds_it_again(signed_in, practitioner):
    signed_in.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=25), tick=False):
        response = signed_in.get(review_url(practitioner))

        assert response.status_code == 200
        assert f"{HOLD_RAN_OUT_FREE}: we hold it for you again for 10 minutes." in response.text
        assert SlotHold.objects.get().expires_at == NOW + timedelta(minutes=35)


def test_a_lapsed_hold_whose_time_was_taken_says_so_with_fresh_times(
    signed_in, other_visitor, practitioner
):
    signed_in.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        other_visitor.get(review_url(practitioner))  # holds it now
        response = signed_in.get(review_url(practitioner))

    assert response.status_code == 409
    assert HOLD_RAN_OUT_TAKEN in response.text
    assert ">13:15</a>" in response.text  # 10:15 in Los Angeles, in the client's New York
    assert 'name="accept_policy"' not in response.text


def test_confirming_after_the_hold_ran_out_and_the_time_was_taken_says_so(
    signed_in, other_visitor, practitioner
):
    signed_in.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        other_visitor.get(review_url(practitioner))
        response = confirm(signed_in, practitioner)

    assert response.status_code == 409
    assert HOLD_RAN_OUT_TAKEN in response.text
    assert not Booking.objects.exists()


def test_book_session_says_a_lapsed_hold_lost_its_time(client_user, practitioner):
    intake = IntakeFormFactory(client=client_user)
    mine = SlotHoldFactory(
        practitioner=practitioner, starts_at=MONDAY_9AM_LA, expires_at=NOW - timedelta(minutes=1)
    )
    BookingFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA + timedelta(minutes=15))

    with pytest.raises(SlotTaken, match="Your hold on this time ran out"):
        book_session(
            client=client_user,
            practitioner=practitioner,
            service=practitioner.services.get(),
            minutes=60,
            starts_at=MONDAY_9AM_LA,
            intake=intake,
            hold=mine,
        )


def test_confirming_after_the_hold_ran_out_books_a_time_still_free(signed_in, practitioner):
    signed_in.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        response = confirm(signed_in, practitioner)

    assert response.status_code == 302
    assert Booking.objects.get().starts_at == MONDAY_9AM_LA
    assert not SlotHold.objects.exists()


def test_the_tidying_job_deletes_only_lapsed_holds(practitioner, capsys):
    live = SlotHoldFactory(practitioner=practitioner)
    SlotHoldFactory(
        practitioner=practitioner,
        starts_at=MONDAY_11AM_LA,
        expires_at=NOW - timedelta(seconds=1),
    )

    call_command("run_due_jobs")

    assert list(SlotHold.objects.all()) == [live]
    assert "delete_lapsed_holds: 1" in capsys.readouterr().out


# --- carried through the other pages -----------------------------------------------------------


def test_the_hold_and_its_time_left_show_while_signing_up(client, practitioner):
    client.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=3, seconds=10), tick=False):
        response = client.get(reverse("accounts:signup"))

    assert "We are holding Monday 8 June at 09:00 (America/Los_Angeles)" in response.text
    assert "7 minutes left" in response.text
    assert f'href="{review_url(practitioner)}">Back to your booking</a>' in response.text


def test_no_hold_is_shown_once_it_has_lapsed(client, practitioner):
    client.get(review_url(practitioner))

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        response = client.get(reverse("accounts:signup"))

    assert "We are holding" not in response.text


def test_a_client_with_no_health_form_holds_the_time_while_filling_it_in(
    client, client_user, practitioner
):
    client.force_login(client_user)

    response = client.get(review_url(practitioner))

    assert response.url.startswith(reverse("sessions:intake-edit"))
    assert SlotHold.objects.get().user == client_user
    form = client.get(response.url, follow=True)  # on to the form's first step
    assert form.resolver_match.url_name == "intake-step"
    assert "We are holding Monday 8 June at 12:00 (America/New_York)" in form.text


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 40])
def test_holds_add_no_query_to_the_slot_finder(practitioner, count, django_assert_max_num_queries):
    for n in range(count):
        SlotHoldFactory(
            practitioner=practitioner,
            starts_at=MONDAY_9AM_LA + timedelta(days=7 * (n + 1)),
        )
    SlotHoldFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA)
    service = practitioner.services.get()

    with django_assert_max_num_queries(4):
        free = free_on_monday(practitioner, service=service)

    assert MONDAY_9AM_LA not in free


@pytest.mark.parametrize("count", [1, 40])
def test_the_week_of_times_keeps_its_query_count_with_holds(
    client, practitioner, count, django_assert_max_num_queries
):
    for n in range(count):
        SlotHoldFactory(
            practitioner=practitioner,
            user=UserFactory(),
            starts_at=MONDAY_9AM_LA + timedelta(days=7 * n),
        )
    held = review_url(practitioner, MONDAY_11AM_LA)
    client.get(held)  # this visitor holds a time too
    url = slots_url(practitioner)

    # The session, the practitioner, the length, the visitor's hold, the slot finder's four,
    # and the held-time reminder.
    with django_assert_max_num_queries(9):
        response = client.get(url)

    assert response.status_code == 200
    assert f'href="{held}"' in response.text
