"""Names and single-line fields refuse line breaks, control characters and text-direction
overrides (reflexbook.lib.text); two practitioners cannot share a display name in one place;
the bio and service descriptions have a limit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from practitioners.models import Practitioner
from reflexbook.lib.text import no_bidi_controls, single_line
from tests.accounts.test_signup import signup_data
from tests.factories import PractitionerFactory
from tests.practitioners.test_area_profile import profile_data
from tests.practitioners.test_area_services import service_data

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
BAD_NAMES = {
    "line feed": "Nora\nBcc: everyone@example.com",
    "carriage return": "Nora\rNew",
    "tab": "Nora\tNew",
    "escape": "Nora\x1b[31mNew",
    "line separator": "Nora\u2028New",
    "right-to-left override": f"Nora {RLO}weN",
    "first strong isolate": "Nora \u2068New\u2069",
}
NAME_IDS = list(BAD_NAMES)


@pytest.mark.parametrize("value", ["Zoë O’Brien-Ngata", "山田 花子", "José, RRT", "עדה לוי"])
def test_ordinary_names_in_any_script_pass(value):
    single_line(value)
    no_bidi_controls(value)


@pytest.mark.parametrize("value", list(BAD_NAMES.values()), ids=NAME_IDS)
def test_the_validators_refuse_control_and_direction_characters(value):
    with pytest.raises(ValidationError):
        single_line(value)
        no_bidi_controls(value)


@pytest.mark.parametrize("view", ["accounts:signup", "practitioners:signup"])
@pytest.mark.parametrize("name", list(BAD_NAMES.values()), ids=NAME_IDS)
def test_sign_up_refuses_such_a_name_and_keeps_what_was_typed(client, view, name):
    response = client.post(reverse(view), signup_data(full_name=name))
    assert response.status_code == 200
    assert response.context["form"].has_error("full_name")
    assert "nora@example.com" in response.text.lower()
    assert not User.objects.exists()


def test_sign_up_says_why_a_line_break_is_refused(client):
    response = client.post(reverse("accounts:signup"), signup_data(full_name="Nora\nNew"))
    assert "Enter this on one line: it contains a line break." in response.text


def test_sign_up_says_why_a_direction_override_is_refused(client):
    response = client.post(reverse("accounts:signup"), signup_data(full_name=f"Nora {RLO}weN"))
    assert "hidden text-direction character (U+202E)" in response.text


@pytest.mark.parametrize("name", list(BAD_NAMES.values()), ids=NAME_IDS)
def test_the_account_page_refuses_such_a_name(client, client_user, name):
    client.force_login(client_user)
    response = client.post(
        reverse("accounts:account"),
        {"full_name": name, "phone": "", "timezone": "Europe/London"},
    )
    assert response.context["form"].has_error("full_name")
    client_user.refresh_from_db()
    assert client_user.full_name == "Cara Client"


def test_the_account_page_refuses_a_phone_with_a_line_break(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("accounts:account"),
        {"full_name": "Cara", "phone": "555 0100\r\n555 0199", "timezone": "Europe/London"},
    )
    assert response.context["form"].has_error("phone", "invalid_phone")
    client_user.refresh_from_db()
    assert client_user.phone == ""


def test_a_name_with_a_line_break_is_refused_by_the_account_model_itself(client_user):
    """The admin and any other form get the rule too, not only the app's forms."""
    client_user.full_name = "Eve\r\nBcc: x@example.com"
    with pytest.raises(ValidationError) as refused:
        client_user.full_clean()
    assert "full_name" in refused.value.message_dict


@pytest.mark.parametrize("name", list(BAD_NAMES.values()), ids=NAME_IDS)
def test_the_profile_refuses_such_a_display_name(client, practitioner, name):
    client.force_login(practitioner.user)
    response = client.post(reverse("practitioners:profile-edit"), profile_data(display_name=name))
    assert response.context["form"].has_error("display_name")
    practitioner.refresh_from_db()
    assert practitioner.display_name == "Pat Practitioner"


@pytest.mark.parametrize(
    "field", ["street", "city", "region", "postcode", "country", "languages", "premises_note"]
)
def test_the_profile_refuses_a_line_break_in_a_single_line_field(client, practitioner, field):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:profile-edit"), profile_data(**{field: "One\r\nTwo"})
    )
    assert response.context["form"].has_error(field, "not_single_line")


def test_the_profile_refuses_a_direction_override_in_the_web_address_name(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(reverse("practitioners:profile-edit"), profile_data(slug=f"pat{RLO}rrt"))
    assert response.context["form"].has_error("slug")
    practitioner.refresh_from_db()
    assert RLO not in practitioner.slug


def test_a_service_name_with_a_line_break_is_refused(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:service-create"), service_data(name="Foot\nreflexology")
    )
    assert response.context["form"].has_error("name", "not_single_line")


def test_a_time_off_reason_and_a_credential_id_are_single_line(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:time-off"),
        {
            "length": "times",
            "starts_date": "2030-01-01",
            "starts_time": "09:00",
            "ends_date": "2030-01-02",
            "ends_time": "09:00",
            "reason": "Holiday\nsecret",
        },
    )
    assert response.context["form"].has_error("reason", "not_single_line")
    response = client.post(
        reverse("practitioners:credential-edit", kwargs={"kind": "foot"}),
        {"credential_id": "ARCB\r\n4471", "year_certified": "2019", "ce_cycle_end": "2027-12-31"},
    )
    assert response.context["form"].has_error("credential_id", "not_single_line")


# --- one display name per place ----------------------------------------------------------


def test_a_second_practitioner_cannot_take_a_display_name_in_the_same_place(
    client, practitioner, other_practitioner
):
    client.force_login(other_practitioner.user)
    data = profile_data(
        display_name="PAT PRACTITIONER", slug=other_practitioner.slug, city="portland"
    )
    response = client.post(reverse("practitioners:profile-edit"), data)
    assert response.context["form"].has_error("display_name", "duplicate_display_name")
    assert "Another practitioner in portland, Oregon is listed as “PAT PRACTITIONER”" in (
        response.text.replace("&ldquo;", "“").replace("&rdquo;", "”")
    )
    other_practitioner.refresh_from_db()
    assert other_practitioner.display_name == "Quinn Other"


def test_the_same_display_name_in_another_city_is_allowed(client, practitioner, other_practitioner):
    client.force_login(other_practitioner.user)
    data = profile_data(display_name="Pat Practitioner", slug=other_practitioner.slug, city="Salem")
    response = client.post(reverse("practitioners:profile-edit"), data)
    assert response.status_code == 302
    other_practitioner.refresh_from_db()
    assert other_practitioner.display_name == "Pat Practitioner"


def test_a_practitioner_may_keep_their_own_name_when_saving(client, practitioner):
    client.force_login(practitioner.user)
    data = profile_data(display_name="Pat Practitioner", slug=practitioner.slug, city="Portland")
    assert client.post(reverse("practitioners:profile-edit"), data).status_code == 302


def test_the_database_refuses_a_second_identical_name_in_one_place(practitioner):
    with pytest.raises(IntegrityError), transaction.atomic():
        PractitionerFactory(display_name="pat practitioner", city="PORTLAND", region="oregon")


def test_two_new_sign_ups_with_the_same_name_both_get_a_profile(client):
    # A new profile has no city yet, so it is not listed and the rule does not apply.
    for email in ("one@example.com", "two@example.com"):
        client.post(reverse("practitioners:signup"), signup_data(full_name="Sam Lee", email=email))
        client.logout()
    assert Practitioner.objects.filter(display_name="Sam Lee").count() == 2


# --- limits on long text -------------------------------------------------------------------


def test_a_bio_over_2000_characters_is_refused_with_the_limit(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(reverse("practitioners:profile-edit"), profile_data(bio="a" * 2001))
    assert "Keep “About you” to 2000 characters (it has 2001)." in response.text.replace(
        "&ldquo;", "“"
    ).replace("&rdquo;", "”")
    practitioner.refresh_from_db()
    assert len(practitioner.bio) < 2001


def test_a_service_description_over_1000_characters_is_refused_with_the_limit(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:service-create"), service_data(description="a" * 1001)
    )
    assert "Keep the description to 1000 characters (it has 1001)." in response.text
