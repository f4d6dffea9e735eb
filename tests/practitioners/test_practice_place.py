"""Where a practitioner works: the practice address, directions and phone on the profile
form; home visits within listed postcodes, with travel time, on the service form; the city
and "home visits" on the profile and the directory (never the street)."""

import pytest
from django.urls import reverse

from practitioners.models import Service
from tests.factories import ListedPractitionerFactory, ServiceFactory, ServiceLengthFactory
from tests.practitioners.test_area_profile import profile_data
from tests.practitioners.test_area_services import service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_the_profile_form_saves_the_street_directions_and_phone(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:profile-edit"),
        profile_data(
            street="415 SW Oak Street",
            phone="+1 (503) 555-0142",
            premises_note="Second floor; parking on Oak Street.",
        ),
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.street == "415 SW Oak Street"
    assert practitioner.phone == "+1 (503) 555-0142"
    assert practitioner.practice_address == (
        "415 SW Oak Street, Eugene, Oregon 97401, United States"
    )
    page = logged_in.get(reverse("practitioners:profile-edit")).text
    assert "Street address" in page and "Directions and parking" in page
    assert 'type="tel"' in page


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "call me maybe", "invalid_phone"),
        ("phone", "555 01", "invalid_phone"),
        ("phone", "555 0100\n555 0199", "invalid_phone"),
        ("street", "415 SW Oak\r\nStreet", "not_single_line"),
        ("premises_note", "Second floor\nparking", "not_single_line"),
    ],
)
def test_the_profile_form_refuses_what_cannot_be_used(logged_in, practitioner, field, value, code):
    response = logged_in.post(reverse("practitioners:profile-edit"), profile_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    practitioner.refresh_from_db()
    assert getattr(practitioner, field) != value


def test_a_home_visit_service_is_saved_with_its_postcodes_and_travel(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:service-create"),
        service_data(is_home_visit="on", visit_postcodes=" 97201,972 ,, ", travel_minutes="25"),
    )
    assert response.status_code == 302
    service = Service.objects.get(name="Hand reflexology")
    assert service.is_home_visit
    assert service.visit_postcodes == "97201, 972"
    assert service.travel_minutes == 25
    listing = logged_in.get(reverse("practitioners:services")).text
    assert "Home visit in 97201, 972; travel 25 minutes each way." in listing


def test_a_home_visit_needs_its_postcodes(logged_in):
    response = logged_in.post(
        reverse("practitioners:service-create"),
        service_data(is_home_visit="on", visit_postcodes=" , ", travel_minutes="20"),
    )
    form = response.context["form"]
    assert form.has_error("visit_postcodes", "no_postcodes")
    assert form.non_field_errors() == []  # said once, on the field
    assert not Service.objects.filter(name="Hand reflexology").exists()


@pytest.mark.parametrize("travel", ["-5", "91"])
def test_travel_time_is_between_0_and_90_minutes(logged_in, travel):
    response = logged_in.post(
        reverse("practitioners:service-create"),
        service_data(is_home_visit="on", visit_postcodes="97201", travel_minutes=travel),
    )
    assert "The travel time is between 0 and 90 minutes." in response.text
    assert not Service.objects.filter(name="Hand reflexology").exists()


def test_a_practice_service_keeps_no_travel_or_postcodes(logged_in):
    logged_in.post(
        reverse("practitioners:service-create"),
        service_data(visit_postcodes="97201", travel_minutes="30"),
    )
    service = Service.objects.get(name="Hand reflexology")
    assert (service.is_home_visit, service.visit_postcodes, service.travel_minutes) == (
        False,
        "",
        0,
    )


@pytest.mark.parametrize(
    ("postcode", "visited"),
    [
        ("97201", True),
        ("97232-1234", True),  # starts with the listed 972
        (" 972 05 ", True),
        ("98101", False),
        ("", False),
    ],
)
def test_a_home_visit_covers_postcodes_starting_with_a_listed_one(postcode, visited):
    service = ServiceFactory.build(home_visit=True)  # 97201, 972
    assert service.visits(postcode) is visited


def test_a_uk_postcode_is_compared_without_case_or_spaces():
    service = ServiceFactory.build(is_home_visit=True, visit_postcodes="SW1A, N1")
    assert service.visits("sw1a 1aa")
    assert service.visits("N1 9GU")
    assert not service.visits("NW1 9LS")


def test_the_profile_and_directory_show_the_city_and_home_visits_not_the_street(client):
    visiting = ListedPractitionerFactory(display_name="Vera Visits", street="9 Private Lane")
    ServiceLengthFactory(service=ServiceFactory(practitioner=visiting, home_visit=True))
    ListedPractitionerFactory(display_name="Stella Studio")

    directory = client.get(reverse("practitioners:directory")).text
    profile = client.get(visiting.get_absolute_url()).text

    assert "Portland, Oregon · Home visits offered" in directory
    assert directory.count("Home visits offered") == 1
    assert "Portland, Oregon · Home visits offered" in profile
    assert "comes to you, in postcodes 97201, 972" in profile
    for page in (directory, profile):
        assert "9 Private Lane" not in page
