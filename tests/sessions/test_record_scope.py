"""The scope-of-practice guard on what the client reads of a session record: the summary and
the aftercare advice refuse claims to diagnose, cure, treat or prevent disease and warn on
softer health claims, like the profile and service texts."""

import pytest
from django.urls import reverse

from sessions.models import SessionRecord
from tests.sessions.record_helpers import form_data, past_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(practitioner, client_user):
    return past_booking(practitioner, client_user)


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


def post(client, booking, **overrides):
    url = reverse("sessions:record", kwargs={"code": booking.code})
    client.get(url)  # starts the draft
    return client.post(url, form_data(**overrides))


@pytest.mark.parametrize("field", ["client_summary", "aftercare"])
def test_a_claim_to_treat_is_refused_in_what_the_client_reads(as_practitioner, booking, field):
    response = post(
        as_practitioner, booking, **{field: "This treats your insomnia.", "confirm_wording": "on"}
    )
    assert response.status_code == 200
    assert "Reflexology does not diagnose, treat, cure or prevent any condition" in response.text
    assert "remove “treats your”" in response.text
    record = SessionRecord.objects.get(booking=booking)
    assert "insomnia" not in getattr(record, field)


def test_a_soft_claim_in_the_aftercare_warns_until_ticked(as_practitioner, booking):
    aftercare = "Drink water to help the detox."
    response = post(as_practitioner, booking, aftercare=aftercare)
    assert response.status_code == 200
    assert "This wording may read as a health claim: “detox”." in response.text
    assert "I have checked this wording and want to save it" in response.text
    assert SessionRecord.objects.get(booking=booking).aftercare != aftercare

    response = post(as_practitioner, booking, aftercare=aftercare, confirm_wording="on")
    assert response.status_code == 302
    assert SessionRecord.objects.get(booking=booking).aftercare == aftercare
    # Saved and confirmed: saving the draft again does not ask again.
    assert post(as_practitioner, booking, aftercare=aftercare).status_code == 302


def test_the_practitioners_own_notes_are_not_checked(as_practitioner, booking):
    response = post(as_practitioner, booking, plan="SOAP-P: detox talk; client asked about cures")
    assert response.status_code == 302
