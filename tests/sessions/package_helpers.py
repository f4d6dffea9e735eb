"""Packages of sessions for tests: one on sale, and one sold to a client through the service."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from sessions.models import ClientPackage, Package, PackagePolicy, Payment
from sessions.package_credits import offer_package, sell_package, set_policy


def offered(practitioner, **fields) -> Package:
    """Five 60-minute sessions for $300, valid six months (as the issue's example)."""
    options = {
        "name": "Five full sessions",
        "minutes": 60,
        "sessions": 5,
        "price": Decimal("300.00"),
        "valid_months": 6,
    } | fields
    return offer_package(practitioner=practitioner, **options)


def sold(client, practitioner, *, sold_on: date | None = None, **fields) -> ClientPackage:
    """A package offered by `practitioner` and sold to `client`, paid in cash."""
    return sell_package(
        package=offered(practitioner, **fields),
        client=client,
        method=Payment.Method.CASH,
        sold_on=sold_on or timezone.localdate(),
        by=practitioner.user,
    )


def refuse_without_credit(practitioner) -> None:
    set_policy(practitioner, PackagePolicy.WhenNoCredit.REFUSE)
