"""seed_demo shows the waitlist (issue 17): entries on Maya's waitlist, one with a live offer
that the client can open and book from, and Maya's agenda listing who waits."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sessions.models import WaitlistEntry, WaitlistOffer

pytestmark = pytest.mark.django_db


def test_the_demo_puts_clients_on_mayas_waitlist_one_with_a_live_offer(capsys, client):
    call_command("seed_demo", even_without_debug=True)
    call_command("seed_demo", even_without_debug=True)  # a second run adds nothing
    capsys.readouterr()

    entries = WaitlistEntry.objects.active().filter(practitioner__user__email="maya@example.com")
    assert sorted(entries.values_list("client__email", flat=True)) == [
        "hana@example.com",
        "leo@example.com",
        "mia@example.com",
    ]
    (offer,) = WaitlistOffer.objects.all()
    assert offer.entry.client.email == "hana@example.com"
    assert offer.is_live(timezone.now())
    assert offer.expires_at <= offer.starts_at - timedelta(
        hours=offer.entry.practitioner.min_notice_hours
    )

    client.force_login(offer.entry.client)
    page = client.get(reverse("sessions:waitlist-offer", kwargs={"code": offer.code}))
    assert "Book this time" in page.text
    assert "A time came free" in client.get(reverse("sessions:my-bookings")).text
