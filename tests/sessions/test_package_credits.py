"""Package credits on the write path (sessions.package_credits through sessions.booking): a
booking of the package's length takes a credit, a cancellation in time gives it back, a late
one or a no-show keeps it, and completing the session pays its invoice with the credit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sessions.booking import (
    BookingRefused,
    book_for_client,
    cancel_booking,
    confirm_booking,
    decline_booking,
    finish_booking,
)
from sessions.models import Booking, ClientPackage, CreditUse, Invoice, Payment
from sessions.package_credits import PackageRefused, pay_invoice_with_credit
from tests.sessions.booking_helpers import MONDAY, NOW, book, la
from tests.sessions.package_helpers import refuse_without_credit, sold

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]
Status = Booking.Status


def confirmed(booking: Booking) -> Booking:
    """A first session waits for the practitioner's confirmation: give it."""
    if booking.status == Status.REQUESTED:
        return confirm_booking(booking=booking)
    return booking


def used(package: ClientPackage) -> int:
    package.refresh_from_db()
    return package.used


def test_a_booking_of_the_packages_length_takes_a_credit(practitioner, client_user, intake):
    package = sold(client_user, practitioner)

    booking = book(practitioner, client_user, intake)

    assert used(package) == 1
    credit = CreditUse.objects.get(booking=booking)
    assert credit.client_package == package
    assert credit.value == Decimal("60.00")  # $300 for five
    assert booking.package_note == (
        "This session uses a credit from your package “Five full sessions”: 4 credits left, "
        "valid until Dec. 1, 2026."
    )


def test_a_booking_of_another_length_or_practitioner_takes_no_credit(
    practitioner, other_practitioner, client_user, intake
):
    package = sold(client_user, practitioner, minutes=30)
    elsewhere = sold(client_user, other_practitioner)

    booking = book(practitioner, client_user, intake)

    assert used(package) == 0 and used(elsewhere) == 0
    assert not CreditUse.objects.exists()
    assert booking.package_note == ""


def test_an_expired_package_pays_for_no_session_after_its_last_day(
    practitioner, client_user, intake
):
    package = sold(client_user, practitioner, sold_on=date(2025, 12, 1), valid_months=6)
    assert package.expires_on == date(2026, 6, 1)  # before Monday 8 June

    booking = book(practitioner, client_user, intake)

    assert used(package) == 0
    assert "no credit left" in booking.package_note
    assert "booked unpaid" in booking.package_note


def test_the_package_expiring_first_is_used_first(practitioner, client_user, intake):
    later = sold(client_user, practitioner, sold_on=date(2026, 5, 1), valid_months=12)
    sooner = sold(client_user, practitioner, sold_on=date(2026, 5, 1), valid_months=3)

    book(practitioner, client_user, intake)

    assert (used(sooner), used(later)) == (1, 0)


def test_with_no_credit_left_the_booking_stands_unpaid_with_a_message(
    practitioner, client_user, intake
):
    package = sold(client_user, practitioner, sessions=1, price=Decimal("70.00"))
    book(practitioner, client_user, intake)

    second = book(practitioner, client_user, intake, starts_at=la(MONDAY, 12))

    assert used(package) == 1
    assert second.status in (Status.CONFIRMED, Status.REQUESTED)
    assert not CreditUse.objects.filter(booking=second).exists()
    assert second.package_note == (
        "Your package has no credit left for a session of this length, so this session is "
        "booked unpaid: you pay Pat Practitioner for it on the day."
    )


def test_with_no_credit_left_a_practitioner_who_refuses_refuses_the_client(
    practitioner, client_user, intake
):
    refuse_without_credit(practitioner)
    sold(client_user, practitioner, sessions=1)
    book(practitioner, client_user, intake)

    with pytest.raises(BookingRefused) as refused:
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 12))

    assert "has no credit left" in str(refused.value)
    assert "Please ask them for a new package." in str(refused.value)
    assert Booking.objects.count() == 1  # nothing of the refused booking was kept


def test_the_practitioner_booking_for_a_client_without_credit_books_unpaid(
    practitioner, client_user, intake
):
    refuse_without_credit(practitioner)
    sold(client_user, practitioner, sessions=1)
    book(practitioner, client_user, intake)

    booking = book_for_client(
        practitioner=practitioner,
        by=practitioner.user,
        client=client_user,
        service=practitioner.services.get(),
        minutes=60,
        starts_at=la(MONDAY, 12),
    )

    assert not CreditUse.objects.filter(booking=booking).exists()
    assert "booked unpaid" in booking.package_note


def test_a_cancellation_in_time_gives_the_credit_back(practitioner, client_user, intake):
    package = sold(client_user, practitioner)
    booking = book(practitioner, client_user, intake)

    cancel_booking(booking=booking, by=client_user, reason="", now=NOW + timedelta(hours=1))

    assert used(package) == 0
    assert CreditUse.objects.get(booking=booking).returned_at == NOW + timedelta(hours=1)
    # Given back, the credit is there for the next booking.
    book(practitioner, client_user, intake, starts_at=la(MONDAY, 12))
    assert used(package) == 1


def test_a_late_cancellation_keeps_the_credit_used(practitioner, client_user, intake):
    package = sold(client_user, practitioner)
    booking = book(practitioner, client_user, intake)

    cancelled = cancel_booking(
        booking=booking, by=client_user, reason="", now=booking.starts_at - timedelta(hours=2)
    )

    assert cancelled.is_late_cancellation
    assert used(package) == 1
    assert CreditUse.objects.get(booking=booking).returned_at is None


def test_a_late_cancellation_for_illness_gives_the_credit_back(practitioner, client_user, intake):
    package = sold(client_user, practitioner)
    booking = book(practitioner, client_user, intake)

    cancel_booking(
        booking=booking,
        by=client_user,
        reason="",
        for_illness=True,
        now=booking.starts_at - timedelta(hours=2),
    )

    assert used(package) == 0


def test_the_practitioner_cancelling_gives_the_credit_back(practitioner, client_user, intake):
    package = sold(client_user, practitioner)
    booking = book(practitioner, client_user, intake)

    cancel_booking(
        booking=booking,
        by=practitioner.user,
        reason="Unwell",
        now=booking.starts_at - timedelta(hours=1),
    )

    assert used(package) == 0


def test_a_declined_request_gives_the_credit_back(practitioner, client_user, intake):
    practitioner.auto_confirm = False
    practitioner.save()
    package = sold(client_user, practitioner)
    booking = book(practitioner, client_user, intake)
    assert booking.status == Status.REQUESTED

    decline_booking(booking=booking, reason="Fully booked that day.")

    assert used(package) == 0


def test_a_no_show_keeps_the_credit_used(practitioner, client_user, intake):
    package = sold(client_user, practitioner)
    booking = confirmed(book(practitioner, client_user, intake))

    finish_booking(booking=booking, status=Status.NO_SHOW, now=booking.ends_at)

    assert used(package) == 1
    assert not Payment.objects.exists()


def test_completing_the_session_pays_its_invoice_with_the_credit(practitioner, client_user, intake):
    sold(client_user, practitioner)
    booking = confirmed(book(practitioner, client_user, intake))

    finish_booking(booking=booking, status=Status.COMPLETED, now=booking.ends_at)

    invoice = Invoice.objects.get(booking=booking)
    (payment,) = invoice.payments.all()
    assert payment.method == Payment.Method.PACKAGE_CREDIT
    assert payment.amount == Decimal("60.00")
    assert payment.received_on == MONDAY
    assert (invoice.amount, invoice.paid, invoice.state) == (
        Decimal("80.00"),
        Decimal("60.00"),
        Invoice.State.PARTLY_PAID,
    )
    assert CreditUse.objects.get(booking=booking).payment == payment


def test_a_credit_worth_more_than_the_session_pays_only_the_balance(
    practitioner, client_user, intake
):
    sold(client_user, practitioner, sessions=2, price=Decimal("200.00"))
    booking = confirmed(book(practitioner, client_user, intake))

    finish_booking(booking=booking, status=Status.COMPLETED, now=booking.ends_at)

    invoice = Invoice.objects.get(booking=booking)
    assert invoice.paid == Decimal("80.00")
    assert invoice.state == Invoice.State.PAID


def test_the_database_never_lets_a_package_use_more_credits_than_it_holds(
    practitioner, client_user
):
    package = sold(client_user, practitioner, sessions=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClientPackage.objects.filter(pk=package.pk).update(used=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientPackage.objects.filter(pk=package.pk).update(used=-1)


def test_the_practitioner_pays_an_earlier_sessions_invoice_with_a_new_packages_credit(
    practitioner, client_user, intake
):
    booking = confirmed(book(practitioner, client_user, intake))  # booked before the sale
    finish_booking(booking=booking, status=Status.COMPLETED, now=booking.ends_at)
    invoice = Invoice.objects.get(booking=booking)
    package = sold(client_user, practitioner, sessions=2, price=Decimal("80.00"))

    payment = pay_invoice_with_credit(invoice=invoice, by=practitioner.user)

    assert (payment.method, payment.amount) == (Payment.Method.PACKAGE_CREDIT, Decimal("40.00"))
    assert used(package) == 1
    assert CreditUse.objects.get(booking=booking).payment == payment
    with pytest.raises(PackageRefused, match="has already paid this invoice"):
        pay_invoice_with_credit(invoice=invoice, by=practitioner.user)


def test_an_invoice_is_not_paid_by_credit_without_a_package_with_credit_left(
    practitioner, client_user, intake
):
    booking = confirmed(book(practitioner, client_user, intake))
    finish_booking(booking=booking, status=Status.COMPLETED, now=booking.ends_at)
    sold(client_user, practitioner, minutes=30)  # another length

    with pytest.raises(PackageRefused) as refused:
        pay_invoice_with_credit(invoice=Invoice.objects.get(booking=booking), by=practitioner.user)

    assert str(refused.value) == (
        "Cara Client has no package with a credit left for a 60-minute session on this date."
    )
    assert not Payment.objects.exists()
