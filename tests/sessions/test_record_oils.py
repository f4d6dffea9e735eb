"""The session record's oil checks, end to end: the record service refuses restricted oils
without an override, a nut allergy needs the balm confirmed, and a phototoxic citrus oil puts
the sun warning in the aftercare the client reads."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import SessionRecord
from sessions.record_safety import SUN_WARNING
from sessions.records import RecordRefused, save_record, sign_record, start_record
from sessions.safety import flags_for
from tests.sessions.intake_helpers import answers
from tests.sessions.record_helpers import form_data, past_booking

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


def intake_flags(**overrides) -> list[dict]:
    return flags_for(answers(**overrides), signed_on=TODAY)


LAVENDER = intake_flags(oil_sensitivity=True, oil_sensitivity_details="Lavender: itchy rash")
PREGNANT = intake_flags(pregnancy="pregnant", pregnancy_weeks=20, midwife_aware=True)
NUTS = intake_flags(nut_allergy=True, nut_allergy_details="Almonds: hives")


def url(booking) -> str:
    return reverse("sessions:record", kwargs={"code": booking.code})


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


# --- the service ---


def test_a_pregnant_clients_record_refuses_clary_sage_without_an_override(
    practitioner, client_user
):
    record = start_record(past_booking(practitioner, client_user, flags=PREGNANT))
    fields = {"medium": "essential_oils", "medium_details": "Clary sage in sunflower oil"}
    with pytest.raises(RecordRefused) as refused:
        save_record(record=record, fields=fields, worked=[])
    assert refused.value.messages == [
        "The record names oils this client should not have: clary sage (restricted in "
        "pregnancy). Change the oils, or tick the override and give your reason."
    ]
    record.refresh_from_db()
    assert record.medium_details == ""

    save_record(record=record, fields=fields, worked=[], oil_override_reason="Midwife agreed.")
    record.refresh_from_db()
    assert record.medium_details == "Clary sage in sunflower oil"
    assert record.oil_override_reason == "Midwife agreed."


def test_a_citrus_oil_adds_the_sun_warning_to_the_clients_aftercare(
    practitioner, client_user, client
):
    booking = past_booking(practitioner, client_user)
    record = start_record(booking)
    fields = {
        "medium": "carrier_oil",
        "medium_details": "2 drops of lime in grapeseed oil",
        "aftercare": "Rest this evening.",
    }
    save_record(record=record, fields=fields, worked=[])
    record.refresh_from_db()
    assert record.aftercare == f"Rest this evening.\n\n{SUN_WARNING}"

    sign_record(record=record)
    client.force_login(client_user)
    summary = client.get(reverse("sessions:record-summary", kwargs={"code": booking.code}))
    assert "no sun or sunbed on the treated skin for 12 hours" in summary.text


def test_the_sun_warning_cannot_be_deleted_while_the_citrus_oil_is_in_the_record(
    practitioner, client_user
):
    record = start_record(past_booking(practitioner, client_user))
    fields = {"medium_details": "Bergamot", "aftercare": "Rest."}
    save_record(record=record, fields=fields, worked=[])
    save_record(record=record, fields=fields, worked=[])  # warning deleted from the text
    record.refresh_from_db()
    assert record.aftercare.count(SUN_WARNING) == 1
    save_record(record=record, fields={**fields, "medium_details": "Unscented balm"}, worked=[])
    record.refresh_from_db()
    assert record.aftercare == "Rest."


def test_a_balm_for_a_nut_allergic_client_needs_the_ingredients_confirmed(
    practitioner, client_user
):
    record = start_record(past_booking(practitioner, client_user, flags=NUTS))
    fields = {"medium": "balm", "medium_details": "Unscented balm"}
    with pytest.raises(RecordRefused, match="nut allergy: check the ingredients"):
        save_record(record=record, fields=fields, worked=[])

    save_record(record=record, fields={**fields, "nut_free_checked": True}, worked=[])
    record.refresh_from_db()
    assert record.nut_free_checked is True
    # Kept only while it confirms something: a dry session needs no balm check.
    save_record(record=record, fields={"medium": "none", "medium_details": ""}, worked=[])
    record.refresh_from_db()
    assert record.nut_free_checked is False


def test_a_balm_for_a_client_without_a_nut_allergy_needs_no_confirmation(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user, flags=LAVENDER))
    save_record(record=record, fields={"medium": "balm", "medium_details": "Balm"}, worked=[])
    record.refresh_from_db()
    assert record.medium_details == "Balm"


# --- the form ---


def test_a_lavender_sensitive_client_may_have_an_unscented_balm(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=LAVENDER)
    page = as_practitioner.get(url(booking)).content.decode()
    assert "Avoid lavender and its plant family" in page
    assert "This client's flags restrict oils" in page
    assert "Override the oil check" in page

    response = as_practitioner.post(url(booking), form_data(medium_details="Unscented balm"))
    assert response.status_code == 302
    assert SessionRecord.objects.get(booking=booking).medium_details == "Unscented balm"


def test_a_lavender_sensitive_client_may_not_have_lavender(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=LAVENDER)
    response = as_practitioner.post(url(booking), form_data(medium_details="Lavender balm"))
    assert response.status_code == 200
    assert (
        "The record names oils this client should not have: lavender (the client reacts to it)."
        in response.content.decode()
    )
    assert SessionRecord.objects.get(booking=booking).medium_details == ""


def test_the_nut_check_box_shows_only_for_a_nut_allergy(as_practitioner, practitioner, client_user):
    plain = past_booking(practitioner, client_user)
    assert "it has no nut ingredients" not in as_practitioner.get(url(plain)).text
    nuts = past_booking(practitioner, client_user, hours_ago=30, flags=NUTS)
    assert "it has no nut ingredients" in as_practitioner.get(url(nuts)).text


def test_a_balm_without_the_nut_check_is_refused_and_with_it_saved_and_shown(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=NUTS)
    refused = as_practitioner.post(url(booking), form_data())
    assert refused.status_code == 200
    assert "This client has a nut allergy: check the ingredients" in refused.text

    saved = as_practitioner.post(url(booking), form_data(nut_free_checked="on", confirm_sign="on"))
    assert saved.status_code == 302
    record = SessionRecord.objects.get(booking=booking)
    assert record.nut_free_checked is True
    sign_record(record=record)
    assert "Balm or cream checked: no nut ingredients" in as_practitioner.get(url(booking)).text
