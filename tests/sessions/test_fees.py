"""Late-cancellation and no-show fees: stated in the policy, copied onto the booking when it is
made, charged (an invoice) or waived by the practitioner once."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from sessions.billing import BillingRefused, decide_fee
from sessions.booking import cancel_booking, finish_booking
from sessions.models import BookingFees, Invoice
from tests.factories import BookingFeesFactory, PracticeBillingFactory
from tests.sessions.billing_helpers import past_booking
from tests.sessions.booking_helpers import MONDAY, NOW, Status, book, la

pytestmark = pytest.mark.django_db


@pytest.fixture
def fees(practitioner):
    """$40 for a late cancellation, 50% of the price for a no-show."""
    return PracticeBillingFactory(
        practitioner=practitioner,
        late_cancel_fee_kind="amount",
        late_cancel_fee_value="40",
        no_show_fee_kind="percent",
        no_show_fee_value="50",
    )


def test_the_policy_the_client_accepts_states_the_fees(practitioner, client_user, intake, fees):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)

    assert (
        "A late cancellation carries a fee of $40.00, and a no-show a fee of 50% of the "
        "session's price." in booking.policy_text
    )


def test_the_fees_in_force_are_copied_onto_the_booking(practitioner, client_user, intake, fees):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)

    assert booking.fees.late_cancel_fee == Decimal("40.00")
    assert booking.fees.no_show_fee == Decimal("40.00")  # 50% of $80
    assert booking.fees.currency == "USD"


def test_a_fee_changed_after_a_booking_does_not_change_its_charge(
    practitioner, client_user, intake, fees
):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)
    fees.late_cancel_fee_value = Decimal("75")
    fees.save()
    with time_machine.travel(la(MONDAY, 9), tick=False):  # an hour before: late
        cancel_booking(booking=booking, by=client_user, reason="")

    invoice = decide_fee(booking=booking, charge=True, now=NOW + timedelta(days=8))

    assert invoice.amount == Decimal("40.00")
    assert invoice.kind == Invoice.Kind.LATE_CANCELLATION
    with time_machine.travel(NOW, tick=False):
        later = book(practitioner, client_user, intake, starts_at=la(MONDAY, 14))
    assert later.fees.late_cancel_fee == Decimal("75.00")


def test_without_fee_settings_the_policy_names_no_fee(practitioner, client_user, intake):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)

    assert "fee" not in booking.policy_text
    assert not BookingFees.objects.filter(booking=booking).exists()


def test_charging_a_no_show_makes_an_invoice_for_its_fee(practitioner):
    booking = past_booking(practitioner=practitioner)
    BookingFeesFactory(booking=booking, no_show_fee="80.00")
    finish_booking(booking=booking, status=Status.NO_SHOW)

    invoice = decide_fee(booking=booking, charge=True)

    assert invoice.kind == Invoice.Kind.NO_SHOW
    assert invoice.amount == Decimal("80.00")
    assert invoice.number == 1
    assert invoice.state == Invoice.State.OPEN
    booking.fees.refresh_from_db()
    assert booking.fees.decision == BookingFees.Decision.CHARGED


def test_waiving_a_fee_makes_no_invoice_and_is_final(practitioner):
    booking = past_booking(practitioner=practitioner)
    BookingFeesFactory(booking=booking)
    finish_booking(booking=booking, status=Status.NO_SHOW)

    assert decide_fee(booking=booking, charge=False) is None

    assert not Invoice.objects.exists()
    with pytest.raises(BillingRefused, match="already waived"):
        decide_fee(booking=booking, charge=True)
    assert not Invoice.objects.exists()


def test_a_fee_is_charged_once(practitioner):
    booking = past_booking(practitioner=practitioner)
    BookingFeesFactory(booking=booking)
    finish_booking(booking=booking, status=Status.NO_SHOW)
    decide_fee(booking=booking, charge=True)

    with pytest.raises(BillingRefused, match="already charged"):
        decide_fee(booking=booking, charge=True)

    assert Invoice.objects.count() == 1


def test_an_early_cancellation_has_no_fee_to_charge(practitioner, client_user, intake, fees):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)
        cancel_booking(booking=booking, by=client_user, reason="")

    with pytest.raises(BillingRefused, match="no late-cancellation or no-show fee"):
        decide_fee(booking=booking, charge=True)


def test_a_cancellation_for_illness_has_no_fee_to_charge(practitioner, client_user, intake, fees):
    with time_machine.travel(NOW, tick=False):
        booking = book(practitioner, client_user, intake)
    with time_machine.travel(la(MONDAY, 9), tick=False):
        cancel_booking(booking=booking, by=client_user, reason="", for_illness=True)

    with pytest.raises(BillingRefused):
        decide_fee(booking=booking, charge=True)
