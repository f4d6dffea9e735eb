import pytest
from django.urls import reverse

from sessions.models import ReflexPoint
from tests.factories import BookingFactory, StaffFactory
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    log_in_verified(client, StaffFactory(is_superuser=True))
    return client


def test_reflex_points_are_listed_read_only(admin_client):
    page = admin_client.get(reverse("admin:reflex_sessions_reflexpoint_changelist"))
    assert page.status_code == 200
    assert "Adrenal gland" in page.text
    assert admin_client.get(reverse("admin:reflex_sessions_reflexpoint_add")).status_code == 403
    point = ReflexPoint.objects.get(slug="foot-liver")
    change = reverse("admin:reflex_sessions_reflexpoint_change", args=[point.pk])
    admin_client.post(change, {"name": "Renamed", "slug": "renamed"})
    point.refresh_from_db()
    assert (point.name, point.slug) == ("Liver", "foot-liver")


def test_bookings_are_visible_but_not_editable_and_carry_no_health_flags(admin_client):
    booking = BookingFactory(
        flags=[{"code": "x", "tier": "no_oils", "label": "No oils / unscented"}]
    )
    page = admin_client.get(reverse("admin:reflex_sessions_booking_change", args=[booking.pk]))
    assert page.status_code == 200
    assert "No oils" not in page.text
    assert admin_client.get(reverse("admin:reflex_sessions_booking_add")).status_code == 403


HEALTH_TEXT = {
    "client_message": "I am 20 weeks pregnant and on warfarin",
    "safety_note": "Midwife cleared her for light pressure",
    "cancellation_reason": "Migraine flared up again",
    "decline_reason": "Too soon after her DVT",
}


def test_the_booking_admin_shows_no_free_text_health_notes(admin_client):
    booking = BookingFactory(status="cancelled_by_client", **HEALTH_TEXT)
    pages = [
        admin_client.get(reverse("admin:reflex_sessions_booking_change", args=[booking.pk])),
        admin_client.get(reverse("admin:reflex_sessions_booking_changelist")),
    ]
    for page in pages:
        assert page.status_code == 200
        for text in HEALTH_TEXT.values():
            assert text not in page.text


@pytest.mark.parametrize(
    "model",
    [
        "intakeform",
        "intakedraft",
        "intakeaccess",
        "clearancenote",
        "presessioncheck",
        "sessionrecord",
    ],
)
def test_health_models_are_not_in_the_admin(admin_client, model):
    assert admin_client.get(f"/admin/reflex_sessions/{model}/").status_code == 404
