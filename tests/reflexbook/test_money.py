"""reflexbook.lib.money: amounts, fees and invoice states as plain values (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reflexbook.lib import money

cents = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money.to_amount(0.1)


def test_amounts_round_half_up_to_cents():
    assert money.to_amount("10.005") == Decimal("10.01")
    assert money.to_amount(3) == Decimal("3.00")


@pytest.mark.parametrize(
    ("kind", "value", "price", "fee"),
    [
        ("none", "40", "80", "0.00"),
        ("amount", "40", "80", "40.00"),
        ("percent", "50", "80", "40.00"),
        ("percent", "33", "45", "14.85"),
        ("percent", "100", "95", "95.00"),
    ],
)
def test_fee_amount(kind, value, price, fee):
    assert money.fee_amount(kind, Decimal(value), Decimal(price)) == Decimal(fee)


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        ("80", "USD", "$80.00"),
        ("-12.5", "EUR", "-€12.50"),
        ("1200", "GBP", "£1,200.00"),
        ("80", "CHF", "CHF 80.00"),
    ],
)
def test_format_amount(amount, currency, words):
    assert money.format_amount(Decimal(amount), currency) == words


def test_fee_words():
    assert money.fee_words("amount", Decimal("40"), "USD") == "a fee of $40.00"
    assert money.fee_words("percent", Decimal("50.00"), "USD") == (
        "a fee of 50% of the session's price"
    )
    assert money.fee_words("percent", Decimal("0"), "USD") == "no fee"
    assert money.fee_words("none", Decimal("40"), "USD") == "no fee"


@given(total=cents, paid=st.decimals(min_value=0, max_value=Decimal("9999.99"), places=2))
def test_the_state_follows_what_is_paid(total, paid):
    state = money.invoice_state(total, paid)
    assert state == (money.PAID if paid >= total else money.PARTLY_PAID if paid else money.OPEN)


@given(total=cents, steps=st.lists(st.decimals(min_value=-500, max_value=500, places=2)))
def test_accepted_payments_never_leave_more_paid_than_the_total_nor_less_than_nothing(total, steps):
    paid = Decimal("0.00")
    for amount in steps:
        if not money.payment_refusal(total=total, paid=paid, amount=amount, reason="why"):
            paid += amount
        assert Decimal("0") <= paid <= total


def test_a_refund_needs_a_reason():
    refusal = money.payment_refusal(
        total=Decimal("80"), paid=Decimal("80"), amount=Decimal("-10"), reason=" "
    )
    assert refusal == "Say why you are refunding this amount."
