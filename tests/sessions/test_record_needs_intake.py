"""The session record of a booking with no signed health form (booked for an invited client):
the practitioner cannot start it until the client signs one or they record why they proceed;
the reason is kept on the booking and shown on the record."""

import pytest
from django.urls import reverse

from sessions.models import SessionRecord
from sessions.records import NEEDS_INTAKE, RecordRefused, start_record
from tests.factories import IntakeFormFactory
from tests.sessions.record_helpers import form_data, past_booking

WAITING = "Health form not yet completed"


@pytest.fixture
def without_form(practitioner, client_user):
    """A session that has started, booked for a client who has signed no health form."""
    return past_booking(practitioner, client_user, intake=None, booked_by=practitioner.user)


def record_url(booking, name="sessions:record"):
    return reverse(name, kwargs={"code": booking.code})


def test_the_record_does_not_start_while_the_health_form_is_missing(
    client, practitioner, without_form
):
    client.force_login(practitioner.user)

    response = client.get(record_url(without_form))

    assert response.status_code == 200
    assert WAITING in response.content.decode()
    assert "Why you proceed without the client" in response.content.decode()
    assert not SessionRecord.objects.filter(booking=without_form).exists()


def test_saving_or_signing_a_record_is_refused_too(client, practitioner, without_form):
    client.force_login(practitioner.user)

    saved = client.post(record_url(without_form), form_data())
    signed = client.post(record_url(without_form, "sessions:record-sign"), form_data())

    assert WAITING in saved.content.decode()
    assert WAITING in signed.content.decode()
    assert not SessionRecord.objects.filter(booking=without_form).exists()


def test_the_write_path_refuses_to_start_it(without_form):
    with pytest.raises(RecordRefused, match=NEEDS_INTAKE):
        start_record(without_form)


def test_a_reason_is_required(client, practitioner, without_form):
    client.force_login(practitioner.user)

    response = client.post(record_url(without_form, "sessions:record-proceed"), {"reason": " "})

    assert response.status_code == 400
    assert "Write why you proceed without the client" in response.content.decode()
    without_form.refresh_from_db()
    assert without_form.proceeds_without_intake_at is None


def test_recording_why_opens_the_record_and_shows_the_reason(client, practitioner, without_form):
    client.force_login(practitioner.user)
    reason = "Went through the health questions by phone; form to follow."

    response = client.post(
        record_url(without_form, "sessions:record-proceed"), {"reason": reason}, follow=True
    )

    without_form.refresh_from_db()
    assert without_form.proceeds_without_intake_reason == reason
    assert without_form.proceeds_without_intake_at is not None
    assert SessionRecord.objects.filter(booking=without_form).exists()
    page = response.content.decode()
    assert "Started without a signed health form" in page
    assert reason in page


def test_once_the_client_signs_the_record_opens_without_a_reason(
    client, practitioner, client_user, without_form
):
    without_form.intake = IntakeFormFactory(client=client_user)
    without_form.save()
    client.force_login(practitioner.user)

    response = client.get(record_url(without_form))

    assert WAITING not in response.content.decode()
    assert SessionRecord.objects.filter(booking=without_form).exists()


@pytest.mark.parametrize("who", ["client_user", "other_client", "other_practitioner"])
def test_only_the_practitioner_records_a_reason(client, request, who, without_form):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    response = client.post(
        record_url(without_form, "sessions:record-proceed"), {"reason": "Trying my luck"}
    )

    assert response.status_code == (403 if who == "client_user" else 404)
    without_form.refresh_from_db()
    assert without_form.proceeds_without_intake_at is None
