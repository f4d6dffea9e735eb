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
