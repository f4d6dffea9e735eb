"""The session record of a booking with no signed health form (booked for an invited client):
the practitioner cannot start it until the client signs one or they record why they proceed;
the reason is kept on the booking and shown on the record."""

import pytest
from django.urls import reverse

from sessions.models import Booking, SessionRecord
from sessions.records import (
    NEEDS_INTAKE,
    RecordRefused,
    save_record,
    sign_record,
    start_record,
)
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


@pytest.fixture
def checked_in(client, client_user, without_form):
    """The session is completed and the client answered the check-in, which started a
    draft record: the health form is still missing."""
    without_form.status = Booking.Status.COMPLETED
    without_form.save()
    client.force_login(client_user)
    answers = {"sleep": "better", "energy": "more", "reaction": "none", "notes": ""}
    response = client.post(reverse("sessions:checkin", kwargs={"code": without_form.code}), answers)
    assert response.status_code == 302
    client.logout()
    return SessionRecord.objects.get(booking=without_form, started_by_checkin=True)


def test_a_draft_started_by_the_check_in_does_not_open_the_record(
    client, practitioner, without_form, checked_in
):
    client.force_login(practitioner.user)

    shown = client.get(record_url(without_form))
    saved = client.post(record_url(without_form), form_data())
    signed = client.post(record_url(without_form, "sessions:record-sign"), form_data())

    for response in (shown, saved, signed):
        assert "Why you proceed without the client" in response.content.decode()
    checked_in.refresh_from_db()
    assert checked_in.state == SessionRecord.State.DRAFT
    assert checked_in.started_by_checkin  # nothing of the practitioner's was saved
    assert checked_in.subjective == ""


def test_the_write_path_refuses_to_open_save_or_sign_a_check_in_draft(without_form, checked_in):
    without_form.refresh_from_db()
    with pytest.raises(RecordRefused, match=NEEDS_INTAKE):
        start_record(without_form)
    with pytest.raises(RecordRefused, match=NEEDS_INTAKE):
        save_record(record=checked_in, fields={"subjective": "Felt fine"}, worked=[])
    with pytest.raises(RecordRefused, match=NEEDS_INTAKE):
        sign_record(record=checked_in, email=False)
    checked_in.refresh_from_db()
    assert (checked_in.state, checked_in.subjective) == (SessionRecord.State.DRAFT, "")


def test_after_recording_why_the_check_in_draft_opens(
    client, practitioner, without_form, checked_in
):
    client.force_login(practitioner.user)
    client.post(record_url(without_form, "sessions:record-proceed"), {"reason": "Form by phone."})

    response = client.get(record_url(without_form))

    assert "Why you proceed without the client" not in response.content.decode()
    assert "Form by phone." in response.content.decode()


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
