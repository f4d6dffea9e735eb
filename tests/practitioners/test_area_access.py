import pytest
from django.urls import reverse

from tests.factories import (
    DateExceptionFactory,
    PractitionerFactory,
    ServiceFactory,
    TimeOffFactory,
)
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db

PAGES = [
    "practitioners:dashboard",
    "practitioners:profile-edit",
    "practitioners:services",
    "practitioners:service-create",
    "practitioners:hours",
    "practitioners:exceptions",
    "practitioners:time-off",
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("staff", 403), ("practitioner", 200)],
    indirect=["who"],
)
def test_area_pages_are_for_practitioners_only(client, name, who, status):
    response = client.get(reverse(name))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_a_new_practitioner_without_services_or_hours_gets_every_page(client):
    fresh = PractitionerFactory()
    client.force_login(fresh.user)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_other_practitioners_service_is_not_found(client, practitioner, other_practitioner):
    service = other_practitioner.services.get()
    client.force_login(practitioner.user)
    url = reverse("practitioners:service-edit", args=[service.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine now"}).status_code == 404
    service.refresh_from_db()
    assert service.name == "Foot reflexology"


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("practitioners:exception-delete", DateExceptionFactory),
        ("practitioners:time-off-delete", TimeOffFactory),
    ],
)
def test_other_practitioners_dates_cannot_be_deleted(
    client, practitioner, other_practitioner, name, factory
):
    theirs = factory(practitioner=other_practitioner)
    client.force_login(practitioner.user)
    assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("practitioners:exception-delete", DateExceptionFactory),
        ("practitioners:time-off-delete", TimeOffFactory),
    ],
)
def test_delete_needs_a_post(client, practitioner, name, factory):
    mine = factory(practitioner=practitioner)
    client.force_login(practitioner.user)
    assert client.get(reverse(name, args=[mine.pk])).status_code == 405
    assert type(mine).objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("practitioners:exception-delete", DateExceptionFactory),
        ("practitioners:time-off-delete", TimeOffFactory),
        ("practitioners:service-edit", ServiceFactory),
    ],
)
def test_clients_and_staff_get_403_on_object_urls(
    client, client_user, staff, practitioner, name, factory
):
    mine = factory(practitioner=practitioner)
    for person in (client_user, staff):
        log_in_as(client, person)
        assert client.post(reverse(name, args=[mine.pk])).status_code == 403
    assert type(mine).objects.filter(pk=mine.pk).exists()
