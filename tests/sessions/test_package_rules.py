"""The rules of packages (sessions.packages), pure: expiry, a credit's value, which package a
session uses, and which outcomes give a credit back."""

from datetime import date
from decimal import Decimal

import pytest

from sessions.packages import Held, choose, credit_comes_back, credit_value, expiry_date, usable


def held(key, *, sessions=5, used=0, expires_on=date(2027, 6, 1)) -> Held:
    return Held(key=key, sessions=sessions, used=used, expires_on=expires_on)


@pytest.mark.parametrize(
    ("sold_on", "months", "expires"),
    [
        (date(2026, 12, 1), 6, date(2027, 6, 1)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # clamped to a shorter month
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year's February
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2026, 11, 30), 1, date(2026, 12, 30)),
    ],
)
def test_a_package_expires_calendar_months_after_its_sale(sold_on, months, expires):
    assert expiry_date(sold_on, months) == expires


def test_a_credit_is_worth_the_price_shared_equally_to_the_cent():
    assert credit_value(Decimal("300"), 5) == Decimal("60.00")
    assert credit_value(Decimal("100"), 3) == Decimal("33.33")
    assert credit_value(Decimal("0"), 4) == Decimal("0.00")


def test_a_package_is_usable_with_a_credit_left_up_to_its_last_day():
    package = held(1, used=4, expires_on=date(2027, 6, 1))
    assert usable(package, date(2027, 6, 1))
    assert not usable(package, date(2027, 6, 2))
    assert not usable(held(1, used=5), date(2027, 1, 1))


def test_a_session_uses_the_usable_package_that_expires_first():
    packages = [
        held("later", expires_on=date(2027, 9, 1)),
        held("empty", used=5, expires_on=date(2027, 2, 1)),
        held("sooner", expires_on=date(2027, 6, 1)),
        held("expired", expires_on=date(2026, 12, 1)),
    ]
    assert choose(packages, date(2027, 1, 10)).key == "sooner"
    assert choose(packages, date(2027, 7, 1)).key == "later"
    assert choose(packages, date(2027, 10, 1)) is None
    assert choose([], date(2027, 1, 10)) is None


def test_of_two_expiring_the_same_day_the_first_listed_is_used():
    packages = [held("older"), held("newer")]
    assert choose(packages, date(2027, 1, 1)).key == "older"


@pytest.mark.parametrize(
    ("status", "late", "comes_back"),
    [
        ("cancelled_by_client", False, True),
        ("cancelled_by_client", True, False),
        ("cancelled_by_practitioner", False, True),
        ("cancelled_by_staff", False, True),
        ("declined", False, True),
        ("no_show", False, False),
        ("completed", False, False),
        ("confirmed", False, False),
        ("requested", False, False),
    ],
)
def test_only_a_cancellation_in_time_or_a_decline_gives_the_credit_back(status, late, comes_back):
    assert credit_comes_back(status, late=late) is comes_back
