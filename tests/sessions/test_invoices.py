"""Invoices: made when a session is completed, numbered per practitioner, voided with a reason."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sessions.billing import BillingRefused, discount_invoice, record_payment, void_invoice
from sessions.booking import finish_booking
from sessions.models import Booking, Invoice
from tests.factories import CertificationFactory, PracticeBillingFactory
from tests.sessions.billing_helpers import completed_invoice, past_booking

pytestmark = pytest.mark.django_db


def test_completing_a_session_invoices_it_with_what_the_invoice_states(practitioner, client_user):
    practitioner.street = "12 Elm Street"
    practitioner.postcode = "97201"
    practitioner.save()
    CertificationFactory(practitioner=practitioner, verified=True, credential_id="ARCB-77")

    invoice = completed_invoice(practitioner=practitioner, client=client_user)

    assert invoice.number == 1
    assert invoice.state == Invoice.State.OPEN
    assert invoice.kind == Invoice.Kind.SESSION
    assert invoice.practitioner_name == "Pat Practitioner"
    assert invoice.practice_address == "12 Elm Street, Portland, Oregon 97201, United States"
    assert invoice.credential == "ARCB certified: foot (ID ARCB-77)"
    assert invoice.client_name == "Cara Client"
    assert invoice.service_name == "Foot reflexology"
    assert invoice.minutes == 60
    assert invoice.amount == Decimal("80.00")
    assert invoice.discount == Decimal("0.00")
    assert invoice.currency == "USD"
    assert invoice.session_starts_at == invoice.booking.starts_at


def test_an_unverified_credential_is_not_stated(practitioner):
    CertificationFactory(practitioner=practitioner, pending=True)

    assert completed_invoice(practitioner=practitioner).credential == ""


def test_the_invoice_is_in_the_practitioners_currency(practitioner):
    PracticeBillingFactory(practitioner=practitioner, currency="CAD")

    assert completed_invoice(practitioner=practitioner).currency == "CAD"


def test_numbers_run_per_practitioner(practitioner, other_practitioner):
    first = completed_invoice(practitioner=practitioner)
    theirs = completed_invoice(practitioner=other_practitioner)
    second = completed_invoice(practitioner=practitioner, hour=12)

    assert (first.number, second.number, theirs.number) == (1, 2, 1)


def test_a_no_show_is_not_invoiced_until_its_fee_is_charged(practitioner):
    booking = past_booking(practitioner=practitioner)

    finish_booking(booking=booking, status=Booking.Status.NO_SHOW)

    assert not Invoice.objects.exists()


def test_the_database_holds_one_invoice_per_booking(practitioner):
    invoice = completed_invoice(practitioner=practitioner)
    fields = {
        f.name: getattr(invoice, f.name)
        for f in Invoice._meta.concrete_fields
        if f.name not in ("id", "code", "number")
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(number=99, **fields)


def test_a_void_invoice_keeps_its_number_and_its_reason(practitioner):
    invoice = completed_invoice(practitioner=practitioner)

    void_invoice(invoice=invoice, reason="Entered for the wrong client")
    following = completed_invoice(practitioner=practitioner, hour=12)

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.VOID
    assert invoice.void_reason == "Entered for the wrong client"
    assert invoice.voided_at is not None
    assert following.number == invoice.number + 1


def test_voiding_needs_a_reason(practitioner):
    invoice = completed_invoice(practitioner=practitioner)

    with pytest.raises(BillingRefused, match="Say why"):
        void_invoice(invoice=invoice, reason="  ")

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.OPEN


def test_an_invoice_with_payments_is_refunded_before_it_is_voided(practitioner):
    invoice = completed_invoice(practitioner=practitioner)
    record_payment(
        invoice=invoice,
        method="cash",
        amount=Decimal("20"),
        received_on=invoice.issued_at.date(),
        by=practitioner.user,
    )

    with pytest.raises(BillingRefused, match="refund them before voiding"):
        void_invoice(invoice=invoice, reason="Wrong client")

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PARTLY_PAID


def test_a_discount_lowers_the_total_and_can_settle_the_invoice(practitioner):
    invoice = completed_invoice(practitioner=practitioner)
    record_payment(
        invoice=invoice,
        method="cash",
        amount=Decimal("70"),
        received_on=invoice.issued_at.date(),
        by=practitioner.user,
    )

    discount_invoice(invoice=invoice, discount=Decimal("10"))

    invoice.refresh_from_db()
    assert invoice.total == Decimal("70.00")
    assert invoice.state == Invoice.State.PAID


def test_a_discount_never_takes_the_total_below_what_was_paid(practitioner):
    invoice = completed_invoice(practitioner=practitioner)
    record_payment(
        invoice=invoice,
        method="cash",
        amount=Decimal("80"),
        received_on=invoice.issued_at.date(),
        by=practitioner.user,
    )

    with pytest.raises(BillingRefused, match="record a refund first"):
        discount_invoice(invoice=invoice, discount=Decimal("5"))

    with pytest.raises(BillingRefused, match="whole amount"):
        discount_invoice(
            invoice=completed_invoice(practitioner=practitioner, hour=13), discount=Decimal("81")
        )
