"""seed_demo shows packages of sessions (issue 18): Maya's package on sale, and Chris's,
bought from her, with credits left and a credit held by his next session."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sessions.models import ClientPackage, CreditUse, Package
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_package_with_credits_left(client):
    call_command("seed_demo", even_without_debug=True)
    call_command("seed_demo", even_without_debug=True)  # a second run adds nothing

    offer = Package.objects.get()
    assert offer.practitioner.user.email == "maya@example.com"
    bought = ClientPackage.objects.get()
    assert bought.client.email == "client@example.com"
    assert 0 < bought.left < bought.sessions
    assert CreditUse.objects.filter(client_package=bought).count() == bought.used

    log_in_as(client, bought.client)
    page = client.get(reverse("sessions:my-bookings")).text
    assert "Your packages" in page
    assert f"{bought.left} credits left for 60-minute sessions" in page
