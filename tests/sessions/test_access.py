"""The one way booking pages load a booking (sessions.access) and the one "practitioners only"
rule (practitioners.access): a stranger gets 404, someone who may see the booking but not act
on it in that role gets 403."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from practitioners.access import practitioner_required
from sessions.access import client_booking, practitioner_booking, visible_booking
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(client_user, practitioner):
    return BookingFactory(client=client_user, practitioner=practitioner)


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def outcome(load, user, code):
    try:
        load(request_by(user), code)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


@pytest.mark.parametrize(
    ("who", "visible", "as_client", "as_practitioner"),
    [
        ("client", 200, 200, 403),
        ("practitioner", 200, 403, 200),
        ("staff", 200, 403, 403),
        ("other client", 404, 404, 404),
        ("other practitioner", 404, 404, 404),
    ],
    indirect=["who"],
)
def test_each_loader_refuses_strangers_with_404_and_other_roles_with_403(
    booking, who, visible, as_client, as_practitioner
):
    assert outcome(visible_booking, who, booking.code) == visible
    assert outcome(client_booking, who, booking.code) == as_client
    assert outcome(practitioner_booking, who, booking.code) == as_practitioner


def test_an_unknown_code_is_404_for_everyone(staff):
    assert outcome(visible_booking, staff, uuid.uuid4()) == 404


def test_the_loaders_join_what_booking_pages_show(booking, client_user, django_assert_num_queries):
    loaded = visible_booking(request_by(client_user), booking.code, also=("intake",))
    with django_assert_num_queries(0):
        assert loaded.client.full_name
        assert loaded.practitioner.user.email
        assert loaded.service.name
        assert loaded.intake.version


@pytest.mark.parametrize(
    ("who", "status"),
    [("practitioner", 200), ("other practitioner", 200), ("client", 403), ("staff", 403)],
    indirect=["who"],
)
def test_practitioner_pages_refuse_everyone_else_with_403(who, status):
    @practitioner_required
    def page(request):
        return HttpResponse(request.user.practitioner.display_name)

    try:
        response = page(request_by(who))
    except PermissionDenied:
        assert status == 403
    else:
        assert status == 200
        assert response.content.decode() == who.practitioner.display_name
