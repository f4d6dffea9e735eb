import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from sessions.models.intake import PreSessionCheck
from sessions.safety import URGENT_EMERGENCY, URGENT_TODAY
from tests.factories import BookingFactory, IntakeFormFactory


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(client=client_user, practitioner=practitioner)


def url(booking):
    return reverse("sessions:check-in", kwargs={"code": booking.code})


def test_client_says_nothing_changed(client, client_user, booking):
    client.force_login(client_user)

    page = client.get(url(booking))
    assert "Has anything changed in your health, medication or pregnancy" in page.text

    response = client.post(url(booking), {"changed": "False", "details": "ignored"})

    assert response.status_code == 302
    check = PreSessionCheck.objects.get(booking=booking)
    assert check.changed is False
    assert check.details == ""
    assert check.answered_at is not None


@pytest.mark.parametrize(
    ("choice", "words"),
    [
        ("chest_or_leg", [URGENT_TODAY, URGENT_EMERGENCY]),
        ("pregnancy_bleeding_or_pain", [URGENT_TODAY]),
    ],
)
def test_an_urgent_change_sends_the_client_to_their_booking_with_urgent_care_words(
    client, client_user, booking, choice, words
):
    client.force_login(client_user)

    response = client.post(
        url(booking), {"changed": "True", "changes": [choice], "details": "Since yesterday"}
    )

    assert response.url == booking.get_absolute_url()
    page = client.get(response.url)
    for sentence in words:
        assert escape(sentence) in page.text
    booking.refresh_from_db()
    assert booking.needs_safety_decision


def test_a_change_needs_details(client, client_user, booking):
    client.force_login(client_user)

    response = client.post(url(booking), {"changed": "True", "details": "  "})

    assert response.status_code == 400
    assert "You answered yes: say what has changed" in response.text
    assert not PreSessionCheck.objects.exists()


def test_a_change_is_stored_with_its_date_and_can_be_updated(client, client_user, booking):
    client.force_login(client_user)

    client.post(
        url(booking),
        {"changed": "True", "changes": ["new_medication"], "details": "Started blood thinners"},
    )
    first = PreSessionCheck.objects.get(booking=booking)
    client.post(
        url(booking),
        {"changed": "True", "changes": ["new_medication"], "details": "Started warfarin on Monday"},
    )

    check = PreSessionCheck.objects.get(booking=booking)
    assert check.details == "Started warfarin on Monday"
    assert check.answered_at >= first.answered_at
    page = client.get(url(booking))
    assert "Started warfarin on Monday" in page.text
    assert "something has changed" in page.text


def test_the_practitioner_sees_the_answer_with_the_intake(
    client, client_user, practitioner, booking
):
    PreSessionCheck.objects.create(
        booking=booking,
        changed=True,
        details="Sprained my left ankle",
        answered_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )
    client.force_login(practitioner.user)

    response = client.get(
        reverse("sessions:intake-detail", kwargs={"code": booking.intake.code})
        + f"?booking={booking.code}"
    )

    assert "Something has changed" in response.text
    assert "Sprained my left ankle" in response.text


def test_the_practitioner_sees_when_there_is_no_answer_yet(client, practitioner, booking):
    client.force_login(practitioner.user)

    response = client.get(
        reverse("sessions:intake-detail", kwargs={"code": booking.intake.code})
        + f"?booking={booking.code}"
    )

    assert "has not answered" in response.text


def test_the_practitioner_cannot_answer_for_the_client(client, practitioner, booking):
    client.force_login(practitioner.user)

    assert client.get(url(booking)).status_code == 403
    assert client.post(url(booking), {"changed": "False"}).status_code == 403
    assert not PreSessionCheck.objects.exists()


def test_another_client_gets_404(client, other_client, booking):
    client.force_login(other_client)

    assert client.get(url(booking)).status_code == 404


@pytest.mark.parametrize("change", ["past", "cancelled"])
def test_check_in_is_closed_for_past_or_cancelled_sessions(client, client_user, change):
    IntakeFormFactory(client=client_user)
    if change == "past":
        booking = BookingFactory(
            client=client_user, starts_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
        )
    else:
        booking = BookingFactory(client=client_user, status="cancelled_by_client")
    client.force_login(client_user)

    page = client.get(url(booking))
    response = client.post(url(booking), {"changed": "False"})

    assert "the check-in is closed" in page.text
    assert response.status_code == 302
    assert not PreSessionCheck.objects.exists()
