"""Amounts of money as plain values (pure: no Django, no floats).

Every amount is a `Decimal` rounded to cents; the currency is an ISO 4217 code held per
practitioner (practitioners.models.PracticeBilling), USD unless they choose another. Fees are
"none", a fixed amount, or a percentage of the session's price; the fee in force is worked out
here when a booking is made and copied onto it (sessions.billing), so a later change of fee
never reaches a booking already made. An invoice's state follows from its total and what has
been paid against it; refunds are negative payments and never exceed what was paid.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_CURRENCY = "USD"
# The currencies a practitioner can choose, with their symbol where one is unambiguous.
CURRENCIES = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€", "AUD": "A$", "NZD": "NZ$"}

FEE_NONE = "none"
FEE_AMOUNT = "amount"
FEE_PERCENT = "percent"
FEE_KINDS = (FEE_NONE, FEE_AMOUNT, FEE_PERCENT)

# Invoice states that payments decide (void is the practitioner's, with a reason).
OPEN = "open"
PARTLY_PAID = "partly_paid"
PAID = "paid"
VOID = "void"


def to_amount(value: Decimal | int | str) -> Decimal:
    """`value` as a Decimal rounded half-up to cents; refuses floats, which cannot hold cents."""
    if isinstance(value, float):
        raise TypeError("Amounts are Decimal, int or str, never float.")
    try:
        return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"Not an amount: {value!r}") from None


def fee_amount(kind: str, value: Decimal, price: Decimal) -> Decimal:
    """The fee a booking at `price` carries under a fee of `kind` and `value` (an amount, or a
    percentage of the price from 0 to 100)."""
    if kind == FEE_AMOUNT:
        return to_amount(value)
    if kind == FEE_PERCENT:
        return to_amount(to_amount(price) * Decimal(value) / 100)
    return ZERO


def format_amount(amount: Decimal, currency: str) -> str:
    """`amount` for people: "$80.00", "-€12.50", or "CHF 80.00" for a currency without a
    symbol here."""
    amount = to_amount(amount)
    sign = "-" if amount < 0 else ""
    symbol = CURRENCIES.get(currency)
    if symbol:
        return f"{sign}{symbol}{abs(amount):,}"
    return f"{sign}{currency} {abs(amount):,}"


def fee_words(kind: str, value: Decimal, currency: str) -> str:
    """A fee as the policy states it: "no fee", "a fee of $40.00", "a fee of 50% of the
    session's price"."""
    if kind == FEE_AMOUNT and to_amount(value) > 0:
        return f"a fee of {format_amount(value, currency)}"
    if kind == FEE_PERCENT and Decimal(value) > 0:
        return f"a fee of {Decimal(value).normalize():f}% of the session's price"
    return "no fee"


def invoice_state(total: Decimal, paid: Decimal) -> str:
    """Open (nothing paid), partly paid, or paid (the total or more: a zero invoice is paid)."""
    if paid >= total:
        return PAID
    if paid > 0:
        return PARTLY_PAID
    return OPEN


def payment_refusal(*, total: Decimal, paid: Decimal, amount: Decimal, reason: str) -> str:
    """Why a payment of `amount` (negative: a refund) cannot be recorded against an invoice of
    `total` with `paid` already paid, in words, or "" if it can."""
    if amount == 0:
        return "Enter an amount other than zero."
    if amount > 0 and paid + amount > total:
        return (
            f"That is more than the {to_amount(total - paid)} still to pay on this invoice. "
            "Record the balance, or less."
        )
    if amount < 0 and not reason.strip():
        return "Say why you are refunding this amount."
    if amount < 0 and -amount > paid:
        return f"You can refund at most the {to_amount(paid)} paid on this invoice."
    return ""
