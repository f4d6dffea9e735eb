"""The rules of packages of sessions (pure: plain values in, no ORM, no clock).

A package holds `sessions` credits of one length, usable for sessions on or before its expiry
date (the sale date plus `valid_months` calendar months, the day clamped to the month's end).
A booking of that length takes a credit from the usable package that expires first. A credit
is worth the package's price shared equally (rounded to the cent), which is what it pays on
the session's invoice. A cancellation within the policy (or by the practitioner, or a declined
request) gives the credit back; a late cancellation or a no-show keeps it used.

sessions.package_credits applies these rules to the database.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reflexbook.lib import money

# A booking's outcome (Booking.Status values) after which its credit is given back.
RETURNS_CREDIT = frozenset(
    {"cancelled_by_practitioner", "cancelled_by_staff", "declined", "cancelled_by_client"}
)


@dataclass(frozen=True)
class Held:
    """What the rules need of a sold package."""

    key: object  # the row's id, handed back by choose()
    sessions: int
    used: int
    expires_on: date

    @property
    def left(self) -> int:
        return self.sessions - self.used


def expiry_date(sold_on: date, valid_months: int) -> date:
    """The last day a package sold on `sold_on` can be used: `valid_months` later, the day
    clamped to the end of a shorter month (31 Aug + 6 months is 28 or 29 Feb)."""
    months = sold_on.month - 1 + valid_months
    year, month = sold_on.year + months // 12, months % 12 + 1
    return date(year, month, min(sold_on.day, calendar.monthrange(year, month)[1]))


def credit_value(price: Decimal, sessions: int) -> Decimal:
    """What one credit pays on a session's invoice: the price shared equally, to the cent."""
    return money.to_amount(money.to_amount(price) / sessions)


def usable(package: Held, session_day: date) -> bool:
    """Whether `package` can pay for a session on `session_day` (its practitioner's date)."""
    return package.left > 0 and session_day <= package.expires_on


def choose(packages: Iterable[Held], session_day: date) -> Held | None:
    """The package a session on `session_day` takes its credit from: of those usable, the one
    expiring first (then the oldest), or None."""
    candidates = [p for p in packages if usable(p, session_day)]
    return min(candidates, key=lambda p: p.expires_on, default=None)


def credit_comes_back(status: str, *, late: bool) -> bool:
    """Whether a booking ending in `status` gives its credit back: cancelled in time (by
    anyone) or declined, yes; a late cancellation, a no-show or a completed session, no."""
    return status in RETURNS_CREDIT and not late
