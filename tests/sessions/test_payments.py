"""Payments recorded against invoices: partial, full, refunds with a reason, never more refunded
than paid, nothing on a void invoice."""

import re
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sessions.billing import BillingRefused, record_payment, void_invoice
from sessions.models import Invoice, Payment
from tests.sessions.billing_helpers import completed_invoice
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)


@pytest.fixture
def invoice(practitioner, client_user):
    return completed_invoice(practitioner=practitioner, client=client_user)  # $80


def pay(invoice, amount, method="cash", reason=""):
    return record_payment(
        invoice=invoice,
        method=method,
        amount=Decimal(amount),
        received_on=DAY,
        by=invoice.practitioner.user,
        reason=reason,
    )


def test_a_partial_payment_leaves_the_invoice_partly_paid(invoice):
    pay(invoice, "30")

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PARTLY_PAID
    assert invoice.paid == Decimal("30.00")
    assert invoice.balance == Decimal("50.00")


def test_payments_by_two_methods_settle_the_invoice(invoice):
    pay(invoice, "40", method=Payment.Method.CASH)
    pay(invoice, "40", method=Payment.Method.PACKAGE_CREDIT)

    invoice.refresh_from_db()
    assert invoice.state == Invoice.State.PAID
    assert list(invoice.payments.values_list("method", flat=True)) == ["cash", "package_credit"]


def test_more_than_the_balance_is_refused(invoice):
    pay(invoice, "50")

    with pytest.raises(BillingRefused, match=r"more than the 30\.00 still to pay"):
        pay(invoice, "31")

    assert invoice.payments.count() == 1


def test_a_refund_is_a_negative_payment_with_its_reason(invoice):
    pay(invoice, "80", method=Payment.Method.CARD_TERMINAL)

    refund = pay(invoice, "-20", method=Payment.Method.CARD_TERMINAL, reason="Session cut short")

    invoice.refresh_from_db()
    assert refund.is_refund
    assert refund.reason == "Session cut short"
    assert invoice.paid == Decimal("60.00")
    assert invoice.state == Invoice.State.PARTLY_PAID


def test_a_refund_needs_a_reason(invoice):
    pay(invoice, "80")

    with pytest.raises(BillingRefused, match="Say why you are refunding"):
        pay(invoice, "-10")


def test_never_more_is_refunded_than_was_paid(invoice):
    pay(invoice, "30")

    with pytest.raises(BillingRefused, match=r"at most the 30\.00 paid"):
        pay(invoice, "-30.01", reason="Overcharged")

    invoice.refresh_from_db()
    assert invoice.paid == Decimal("30.00")


def test_a_void_invoice_takes_no_payments(invoice):
    void_invoice(invoice=invoice, reason="Duplicate")

    with pytest.raises(BillingRefused, match="void"):
        pay(invoice, "10")

    assert not invoice.payments.exists()


def test_a_zero_payment_is_refused(invoice):
    with pytest.raises(BillingRefused, match="other than zero"):
        pay(invoice, "0")


def test_the_calendar_marks_sessions_paid_or_unpaid(client, practitioner, invoice):
    other = completed_invoice(practitioner=practitioner, hour=13)
    pay(other, "80")
    log_in_as(client, practitioner.user)
    day = invoice.session_starts_at.astimezone(ZoneInfo(practitioner.timezone)).date()

    page = client.get(reverse("sessions:calendar-day"), {"date": f"{day:%Y-%m-%d}"})

    markers = re.findall(r'rb-paid-marker">([^<]+)<', page.content.decode())
    assert sorted(markers) == ["Paid", "Unpaid"]
