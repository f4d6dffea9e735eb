"""The practitioner's invoice pages: who may open them, recording a payment or a refund and
voiding through the forms, charging or waiving a fee from the booking page, query budgets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sessions.billing import record_payment
from sessions.booking import finish_booking
from sessions.models import Booking, Invoice
from tests.factories import BookingFeesFactory
from tests.sessions.billing_helpers import completed_invoice, past_booking
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(practitioner, client_user):
    return completed_invoice(practitioner=practitioner, client=client_user)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("practitioner", 200),
        ("other practitioner", 200),
    ],
    indirect=["who"],
)
def test_the_invoice_list_is_for_practitioners_only(client, who, status):
    assert client.get(reverse("sessions:invoices")).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 404),
        ("practitioner", 200),
    ],
    indirect=["who"],
)
def test_only_the_issuing_practitioner_opens_an_invoice(client, invoice, who, status):
    response = client.get(reverse("sessions:invoice-detail", kwargs={"code": invoice.code}))

    assert response.status_code == status


@pytest.mark.parametrize(
    "name", ["sessions:invoice-pay", "sessions:invoice-void", "sessions:invoice-discount"]
)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 404),
    ],
    indirect=["who"],
)
def test_nobody_else_records_payments_or_voids(client, invoice, name, who, status):
    data = {
        "method": "cash",
        "amount": "80",
        "received_on": "2026-11-30",
        "reason": "x",
        "discount": "80",
    }

    response = client.post(reverse(name, kwargs={"code": invoice.code}), data)

    assert response.status_code == status
    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.OPEN
    assert invoice.discount == 0
    assert not invoice.payments.exists()


def test_the_practitioner_records_a_cash_payment(client, practitioner, invoice):
    log_in_as(client, practitioner.user)

    response = client.post(
        reverse("sessions:invoice-pay", kwargs={"code": invoice.code}),
        {"method": "cash", "amount": "40.00", "received_on": "2026-11-30"},
        follow=True,
    )

    assert "Payment recorded on INV-0001." in response.content.decode()
    assert "Partly paid" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.paid == Decimal("40.00")
    assert invoice.payments.get().method == "cash"


def test_a_refund_without_a_reason_comes_back_with_what_was_typed(client, practitioner, invoice):
    log_in_as(client, practitioner.user)

    response = client.post(
        reverse("sessions:invoice-pay", kwargs={"code": invoice.code}),
        {"method": "card_terminal", "amount": "-15.50", "received_on": "2026-11-30"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why you are refunding this amount." in page
    assert 'value="-15.50"' in page
    assert not invoice.payments.exists()


def test_a_payment_over_the_balance_is_refused_in_words(client, practitioner, invoice):
    log_in_as(client, practitioner.user)

    response = client.post(
        reverse("sessions:invoice-pay", kwargs={"code": invoice.code}),
        {"method": "cash", "amount": "90", "received_on": "2026-11-30"},
    )

    assert response.status_code == 400
    assert "more than the 80.00 still to pay" in response.content.decode()


def test_the_practitioner_voids_an_invoice_with_a_reason(client, practitioner, invoice):
    log_in_as(client, practitioner.user)

    missing = client.post(reverse("sessions:invoice-void", kwargs={"code": invoice.code}), {})
    response = client.post(
        reverse("sessions:invoice-void", kwargs={"code": invoice.code}),
        {"reason": "Booked in error"},
        follow=True,
    )

    assert missing.status_code == 400
    assert "Say why you are voiding this invoice." in missing.content.decode()
    assert "INV-0001 is void. Its number stays used." in response.content.decode()
    invoice.refresh_from_db()
    assert (invoice.state, invoice.void_reason) == (Invoice.State.VOID, "Booked in error")


def test_the_list_filters_unpaid_invoices(client, practitioner, invoice):
    paid = completed_invoice(practitioner=practitioner, hour=13)
    record_payment(
        invoice=paid,
        method="cash",
        amount=paid.total,
        received_on=paid.issued_at.date(),
        by=practitioner.user,
    )
    log_in_as(client, practitioner.user)

    page = client.get(reverse("sessions:invoices"), {"show": "unpaid"}).content.decode()

    assert invoice.reference in page
    assert paid.reference not in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_invoice_list_keeps_to_its_query_budget(
    client, practitioner, count, django_assert_max_num_queries
):
    for index in range(count):
        completed_invoice(
            practitioner=practitioner, days_ago=2 + index // 5, hour=8 + 2 * (index % 5)
        )
    log_in_as(client, practitioner.user)

    # Session and user (login), the practitioner (practitioner_required), the invoices.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("sessions:invoices"))

    assert response.content.decode().count("INV-") == count


def test_the_practitioner_charges_a_no_show_from_the_booking_page(client, practitioner):
    booking = past_booking(practitioner=practitioner)
    BookingFeesFactory(booking=booking, no_show_fee="80.00")
    finish_booking(booking=booking, status=Booking.Status.NO_SHOW)
    log_in_as(client, practitioner.user)

    page = client.get(booking.get_absolute_url()).content.decode()
    response = client.post(
        reverse("sessions:booking-fee", kwargs={"code": booking.code}),
        {"decision": "charge"},
        follow=True,
    )

    assert "Charge $80.00" in page
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.kind == Invoice.Kind.NO_SHOW
    assert "Fee charged: INV-0001 is open for payment." in response.content.decode()


def test_the_practitioner_waives_a_no_show_fee(client, practitioner):
    booking = past_booking(practitioner=practitioner)
    BookingFeesFactory(booking=booking)
    finish_booking(booking=booking, status=Booking.Status.NO_SHOW)
    log_in_as(client, practitioner.user)

    response = client.post(
        reverse("sessions:booking-fee", kwargs={"code": booking.code}),
        {"decision": "waive"},
        follow=True,
    )

    assert "Fee waived" in response.content.decode()
    assert "Charge $" not in response.content.decode()
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_practitioner_decides_a_fee(client, practitioner, client_user, who, status):
    booking = past_booking(practitioner=practitioner, client=client_user)
    BookingFeesFactory(booking=booking)
    finish_booking(booking=booking, status=Booking.Status.NO_SHOW)

    response = client.post(
        reverse("sessions:booking-fee", kwargs={"code": booking.code}), {"decision": "charge"}
    )

    assert response.status_code == status
    assert not Invoice.objects.exists()


def test_the_practitioner_gives_a_discount(client, practitioner, invoice):
    log_in_as(client, practitioner.user)

    refused = client.post(
        reverse("sessions:invoice-discount", kwargs={"code": invoice.code}), {"discount": "99"}
    )
    response = client.post(
        reverse("sessions:invoice-discount", kwargs={"code": invoice.code}),
        {"discount": "15.00"},
        follow=True,
    )

    assert refused.status_code == 400
    assert "between nothing and the whole amount, 80.00" in refused.content.decode()
    assert 'value="99"' in refused.content.decode()
    assert "Discount saved on INV-0001." in response.content.decode()
    assert "$65.00" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.discount == Decimal("15.00")
