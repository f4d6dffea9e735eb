"""Receipts and year-end statements: the printable page and the PDF, for the invoice's client
and practitioner only."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sessions.billing import record_payment, void_invoice
from tests.sessions.billing_helpers import completed_invoice
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(practitioner, client_user):
    invoice = completed_invoice(practitioner=practitioner, client=client_user)
    record_payment(
        invoice=invoice,
        method="cash",
        amount=Decimal("80"),
        received_on=invoice.issued_at.date(),
        by=practitioner.user,
    )
    invoice.refresh_from_db()
    return invoice


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("who", ["client", "practitioner"], indirect=True)
def test_the_pdf_receipt_states_number_amount_and_practitioner(client, invoice, who):
    response = client.get(reverse("sessions:receipt-pdf", kwargs={"code": invoice.code}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert "INV-0001" in text
    assert "$80.00" in text
    assert "Pat Practitioner" in text
    assert "complementary therapy session" in text
    assert "Cara Client" in text


def test_the_printable_receipt_says_what_it_is_for(client, client_user, invoice):
    log_in_as(client, client_user)

    response = client.get(reverse("sessions:receipt", kwargs={"code": invoice.code}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Receipt INV-0001" in page
    assert "complementary therapy session" in page
    assert "no diagnosis codes" in page
    assert "$80.00" in page
    assert "Paid" in page


@pytest.mark.parametrize("name", ["sessions:receipt", "sessions:receipt-pdf"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 404),
        ("client", 200),
        ("practitioner", 200),
    ],
    indirect=["who"],
)
def test_only_the_client_and_practitioner_open_a_receipt(client, invoice, name, who, status):
    response = client.get(reverse(name, kwargs={"code": invoice.code}))

    assert response.status_code == status


def test_the_client_finds_the_receipt_on_their_booking_page(client, client_user, invoice):
    log_in_as(client, client_user)

    response = client.get(invoice.booking.get_absolute_url())

    page = response.content.decode()
    assert reverse("sessions:receipt-pdf", kwargs={"code": invoice.code}) in page
    assert "INV-0001" in page
    assert reverse("sessions:invoice-detail", kwargs={"code": invoice.code}) not in page


def test_the_year_end_statement_lists_the_clients_receipts(
    client, client_user, practitioner, invoice
):
    other = completed_invoice(practitioner=practitioner, client=client_user, hour=13)
    log_in_as(client, client_user)
    year = invoice.issued_at.year

    page = client.get(reverse("sessions:statement", kwargs={"year": year}))
    pdf = client.get(reverse("sessions:statement-pdf", kwargs={"year": year}))

    assert page.status_code == 200
    assert "INV-0001" in page.content.decode()
    assert other.reference in page.content.decode()
    text = pdf_text(pdf)
    assert f"Statement for {year}: Cara Client" in text
    assert "INV-0001" in text and other.reference in text


def test_another_clients_statement_leaves_out_these_receipts(client, other_client, invoice):
    log_in_as(client, other_client)

    page = client.get(reverse("sessions:statement", kwargs={"year": invoice.issued_at.year}))

    assert page.status_code == 200
    assert "INV-0001" not in page.content.decode()
    assert "No receipts in" in page.content.decode()


def test_a_void_invoice_is_left_out_of_the_statement(client, client_user, invoice):
    fresh = completed_invoice(practitioner=invoice.practitioner, client=client_user, hour=13)
    void_invoice(invoice=fresh, reason="Entered twice")
    log_in_as(client, client_user)

    page = client.get(reverse("sessions:statement", kwargs={"year": invoice.issued_at.year}))

    assert fresh.reference not in page.content.decode()


def test_the_clients_bookings_page_links_the_year_end_statement(client, client_user, invoice):
    log_in_as(client, client_user)

    page = client.get(reverse("sessions:my-bookings")).content.decode()

    year = invoice.issued_at.year
    assert reverse("sessions:statement", kwargs={"year": year}) in page
