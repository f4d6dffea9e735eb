"""seed_demo shows the practice's money (issue 18): invoices in every state with payments, a
charged no-show, fees on the policy, and a client's receipt to download."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sessions.models import BookingFees, Invoice
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db


def test_the_demo_has_invoices_in_every_state_and_a_charged_no_show(client):
    call_command("seed_demo", even_without_debug=True)
    call_command("seed_demo", even_without_debug=True)  # a second run adds nothing

    states = set(Invoice.objects.values_list("state", flat=True))
    assert states == {"open", "partly_paid", "paid", "void"}
    no_show = Invoice.objects.get(
        kind=Invoice.Kind.NO_SHOW, practitioner__user__email="rosa@example.com"
    )
    assert no_show.practitioner.user.email == "rosa@example.com"
    assert no_show.booking.fees.decision == BookingFees.Decision.CHARGED
    assert Invoice.objects.filter(payments__amount__lt=0).exists()  # a refund
    numbers = sorted(
        Invoice.objects.filter(practitioner=no_show.practitioner).values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))

    paid = Invoice.objects.filter(state="paid").select_related("client").first()
    log_in_as(client, paid.client)
    page = client.get(paid.booking.get_absolute_url()).content.decode()
    assert reverse("sessions:receipt-pdf", kwargs={"code": paid.code}) in page
    assert (
        "carries a fee of" in paid.booking.policy_text
        or "a no-show a fee" in paid.booking.policy_text
    )
