"""The practitioner's fees and currency page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from practitioners.models import PracticeBilling
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db

URL = reverse("practitioners:billing")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("practitioner", 200),
    ],
    indirect=["who"],
)
def test_the_fees_page_is_for_practitioners_only(client, who, status):
    assert client.get(URL).status_code == status


def test_the_practitioner_sets_their_fees(client, practitioner):
    log_in_as(client, practitioner.user)

    response = client.post(
        URL,
        {
            "currency": "CAD",
            "late_cancel_fee_kind": "amount",
            "late_cancel_fee_value": "35.00",
            "no_show_fee_kind": "percent",
            "no_show_fee_value": "100",
        },
        follow=True,
    )

    assert "Your fees were saved." in response.content.decode()
    billing = PracticeBilling.objects.get(practitioner=practitioner)
    assert billing.currency == "CAD"
    assert (billing.late_cancel_fee_kind, billing.late_cancel_fee_value) == (
        "amount",
        Decimal("35"),
    )
    assert (billing.no_show_fee_kind, billing.no_show_fee_value) == ("percent", Decimal("100"))


def test_a_percentage_over_100_is_refused_and_the_form_keeps_what_was_typed(client, practitioner):
    log_in_as(client, practitioner.user)

    response = client.post(
        URL,
        {
            "currency": "USD",
            "late_cancel_fee_kind": "percent",
            "late_cancel_fee_value": "150",
            "no_show_fee_kind": "none",
            "no_show_fee_value": "0",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "A late cancellation fee is at most 100% of the session" in page
    assert 'value="150"' in page
    assert PracticeBilling.objects.get(practitioner=practitioner).late_cancel_fee_kind == "none"


def test_a_chosen_fee_needs_an_amount(client, practitioner):
    log_in_as(client, practitioner.user)

    response = client.post(
        URL,
        {
            "currency": "USD",
            "late_cancel_fee_kind": "amount",
            "late_cancel_fee_value": "0",
            "no_show_fee_kind": "none",
            "no_show_fee_value": "0",
        },
    )

    assert "Enter the late cancellation fee, or choose “No fee”." in response.content.decode()
