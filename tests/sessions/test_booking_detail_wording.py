"""The booking page says what happened, as the practitioner reads it: a policy given (not
"accepted") when they booked for the client, no "since last time" for a first session, "No"
for never rescheduled, and Move beside Cancel while the booking can still be moved."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
STARTS = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

FIRST_SESSION = "This is the client’s first session with you"
NOT_ANSWERED = "The client has not answered “anything changed since last time?” yet."


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=STARTS,
        status=Booking.Status.CONFIRMED,
        policy_text="Cancel at least 24 hours ahead.",
    )


def page(client, user, booking) -> str:
    client.force_login(user)
    response = client.get(reverse("sessions:booking-detail", kwargs={"code": booking.code}))
    assert response.status_code == 200
    return response.text


def test_a_policy_the_client_ticked_reads_accepted(client, practitioner, booking):
    text = page(client, practitioner.user, booking)
    assert "Cancellation policy accepted" in text
    assert "Cancellation policy given" not in text


def test_a_booking_the_practitioner_made_gives_the_policy_not_accepted(
    client, practitioner, client_user, booking
):
    Booking.objects.filter(pk=booking.pk).update(booked_by=practitioner.user)
    said = {
        practitioner.user: "booked this session for the client, so they did not accept it here",
        client_user: "booked this session for you; the policy came with the booking email",
    }
    for user, words in said.items():
        text = page(client, user, booking)
        assert "Cancellation policy given" in text
        assert "Cancellation policy accepted" not in text
        assert words in text
        assert "Cancel at least 24 hours ahead." in text


def test_a_first_session_has_no_since_last_time(client, practitioner, booking):
    text = page(client, practitioner.user, booking)
    assert FIRST_SESSION in text
    assert NOT_ANSWERED not in text


def test_a_returning_client_has_not_answered_since_last_time_yet(
    client, practitioner, client_user, booking
):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=STARTS - timedelta(weeks=3),
        status=Booking.Status.COMPLETED,
    )
    text = page(client, practitioner.user, booking)
    assert NOT_ANSWERED in text
    assert FIRST_SESSION not in text


def test_a_cancelled_earlier_booking_does_not_make_a_last_time(
    client, practitioner, client_user, booking
):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=STARTS - timedelta(weeks=3),
        status=Booking.Status.CANCELLED_BY_CLIENT,
    )
    assert FIRST_SESSION in page(client, practitioner.user, booking)


def test_never_rescheduled_reads_no(client, client_user, booking):
    text = page(client, client_user, booking)
    assert "<dt>Rescheduled</dt>\n      <dd>No" in text
    assert "Not yet" not in text


def test_the_practitioner_may_move_an_upcoming_booking_beside_cancel(client, practitioner, booking):
    move = reverse("sessions:booking-move", kwargs={"code": booking.code})
    text = page(client, practitioner.user, booking)
    assert f'href="{move}"' in text
    assert text.index(f'href="{move}"') < text.index("Cancel session…")
    with time_machine.travel(STARTS + timedelta(minutes=5), tick=False):
        assert f'href="{move}"' not in page(client, practitioner.user, booking)


def test_the_client_is_not_offered_move(client, client_user, booking):
    move = reverse("sessions:booking-move", kwargs={"code": booking.code})
    assert move not in page(client, client_user, booking)
