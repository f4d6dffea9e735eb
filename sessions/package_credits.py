"""Packages of sessions in the database: offering one, selling one to a client, and the
credits bookings take and give back (the rules are sessions.packages', pure).

The booking write path (sessions.booking) calls in at three points, each inside its own
locked transaction: a new booking takes a credit (take_credit), a cancellation or a decline
gives it back when the rules say so (give_back_credit), and completing the session pays its
invoice with the credit (pay_with_credit, through sessions.billing's payment write).

The race: two bookings at once for the last credit. The credit is taken by a conditional
UPDATE (`used < sessions`), which on PostgreSQL waits for the other's row lock and re-checks
its condition on the row as committed, and which SQLite's IMMEDIATE transactions serialise;
the database's check constraint (used <= sessions) is the backstop. So a package of 5 with 6
bookings at once gives 5 credits, and the sixth booking is booked unpaid or refused, as the
practitioner chose (PackagePolicy).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from practitioners.models import PracticeBilling, Practitioner
from reflexbook.lib import money
from sessions import billing as billing_service
from sessions import packages as rules
from sessions.models import (
    Booking,
    ClientPackage,
    CreditUse,
    Invoice,
    Package,
    PackagePolicy,
    Payment,
)

# A booking's credit and its package, joined onto a booking page's query (no query more).
PACKAGE_CREDIT = "package_credit__client_package"


class PackageRefused(Exception):
    """The sale or change cannot be made; the message says why, in words."""


def as_held(package: ClientPackage) -> rules.Held:
    """A sold package as the rules read it."""
    return rules.Held(
        key=package.pk, sessions=package.sessions, used=package.used, expires_on=package.expires_on
    )


def session_day(practitioner: Practitioner, starts_at: datetime) -> date:
    """The session's date where the practitioner works (what a package's expiry is read in)."""
    return starts_at.astimezone(ZoneInfo(practitioner.timezone)).date()


def packages_for(client: User, practitioner: Practitioner, minutes: int) -> list[ClientPackage]:
    """The client's packages with `practitioner` for sessions of `minutes`: one query."""
    if not client.is_authenticated:
        return []
    return list(
        ClientPackage.objects.filter(
            client=client, practitioner=practitioner, minutes=minutes
        ).order_by("expires_on", "pk")
    )


def policy_of(practitioner: Practitioner) -> str:
    """The practitioner's choice when no credit is left (book unpaid without a row)."""
    policy = PackagePolicy.objects.filter(practitioner=practitioner).first()
    return policy.when_no_credit if policy else PackagePolicy.WhenNoCredit.BOOK_UNPAID


def no_credit_refusal(practitioner: Practitioner) -> str:
    return _(
        "Your package with %(name)s has no credit left for a session of this length, and "
        "%(name)s books these sessions only from a package. Please ask them for a new package."
    ) % {"name": practitioner.display_name}


def no_credit_note(practitioner: Practitioner) -> str:
    return _(
        "Your package has no credit left for a session of this length, so this session is "
        "booked unpaid: you pay %(name)s for it on the day."
    ) % {"name": practitioner.display_name}


def credit_note(package: ClientPackage) -> str:
    """The balance after a credit is taken from `package`, for the client."""
    return ngettext(
        "This session uses a credit from your package “%(package)s”: %(left)s credit left, "
        "valid until %(until)s.",
        "This session uses a credit from your package “%(package)s”: %(left)s credits left, "
        "valid until %(until)s.",
        package.left,
    ) % {"package": package.name, "left": package.left, "until": _date(package.expires_on)}


def _date(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


# --- the booking write path's calls -----------------------------------------------------------


def take_credit(booking: Booking, *, now: datetime, by_client: bool) -> str:
    """Take a credit for a booking just written (in its locked transaction) from the client's
    usable package of its length, if any; return the refusal to raise, or "". Sets
    `booking.package_note` (the words for the client, "" when no package is involved).
    With no credit left on any package of this length, the practitioner's policy decides: the
    booking stands unpaid, or (when the client books it themselves) is refused."""
    booking.package_note = ""
    held = packages_for(booking.client, booking.practitioner, booking.minutes)
    if not held:
        return ""
    use = _take_from(held, booking, now=now)
    if use is not None:
        booking.package_note = credit_note(use.client_package)
        return ""
    if by_client and policy_of(booking.practitioner) == PackagePolicy.WhenNoCredit.REFUSE:
        return no_credit_refusal(booking.practitioner)
    booking.package_note = no_credit_note(booking.practitioner)
    return ""


def _take_from(held: list[ClientPackage], booking: Booking, *, now: datetime) -> CreditUse | None:
    """Take a credit for `booking` from the usable package of `held` expiring first, and
    record its use; None when none has a credit left for the session's date."""
    day = session_day(booking.practitioner, booking.starts_at)
    by_pk = {package.pk: package for package in held}
    candidates = [as_held(package) for package in held]
    while (chosen := rules.choose(candidates, day)) is not None:
        # The race is decided here: only a package still short of its count gives a credit.
        taken = ClientPackage.objects.filter(
            pk=chosen.key, used__lt=F("sessions"), expires_on__gte=day
        ).update(used=F("used") + 1)
        package = by_pk[chosen.key]
        if taken:
            package.used = ClientPackage.objects.values_list("used", flat=True).get(pk=package.pk)
            return CreditUse.objects.create(
                client_package=package,
                booking=booking,
                value=rules.credit_value(package.price, package.sessions),
                used_at=now,
            )
        # Another booking took its last credit meanwhile: try the next package.
        candidates = [c for c in candidates if c.key != chosen.key]
    return None


def give_back_credit(booking: Booking, *, now: datetime) -> None:
    """Give the credit of a booking just cancelled or declined (locked by the caller) back to
    its package, if the rules say it comes back (not after a late cancellation)."""
    if not rules.credit_comes_back(booking.status, late=booking.is_late_cancellation):
        return
    use = CreditUse.objects.filter(booking=booking, returned_at__isnull=True).first()
    if use is None:
        return
    CreditUse.objects.filter(pk=use.pk).update(returned_at=now)
    ClientPackage.objects.filter(pk=use.client_package_id).update(used=F("used") - 1)


def pay_with_credit(invoice: Invoice, booking: Booking, *, now: datetime) -> Payment | None:
    """Pay a completed session's invoice (just made, locked) with the credit its booking used:
    the credit's value, at most the balance, recorded as a package-credit payment."""
    use = CreditUse.objects.filter(booking=booking, returned_at__isnull=True).first()
    if use is None or use.payment_id is not None:
        return None
    return _pay(invoice, use, by=booking.practitioner.user, now=now)


def _pay(invoice: Invoice, use: CreditUse, *, by: User, now: datetime) -> Payment | None:
    amount = min(use.value, invoice.balance)
    if amount <= 0:
        return None
    payment = billing_service.record_payment_locked(
        invoice,
        method=Payment.Method.PACKAGE_CREDIT,
        amount=amount,
        received_on=session_day(invoice.practitioner, now),
        by=by,
        reason="",
    )
    CreditUse.objects.filter(pk=use.pk).update(payment=payment)
    return payment


def pay_invoice_with_credit(*, invoice: Invoice, by: User, now: datetime | None = None) -> Payment:
    """The practitioner pays a session's invoice with a credit from the client's package of
    its length (for a session booked before the package was sold, or booked unpaid): the
    credit its booking holds if it has one, else one taken now, as at booking."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        locked = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("practitioner__user", "booking__practitioner", "booking__client")
            .get(pk=invoice.pk)
        )
        if locked.kind != Invoice.Kind.SESSION:
            raise PackageRefused(_("Only a session's invoice can be paid with a package credit."))
        if locked.is_void or locked.balance <= 0:
            raise PackageRefused(_("This invoice has nothing left to pay."))
        booking = locked.booking
        use = CreditUse.objects.filter(booking=booking, returned_at__isnull=True).first()
        if use is not None and use.payment_id is not None:
            raise PackageRefused(_("This session's package credit has already paid this invoice."))
        if use is None:
            held = packages_for(booking.client, locked.practitioner, booking.minutes)
            use = _take_from(held, booking, now=now)
        if use is None:
            raise PackageRefused(
                _(
                    "%(client)s has no package with a credit left for a %(minutes)s-minute "
                    "session on this date."
                )
                % {"client": locked.client_name, "minutes": booking.minutes}
            )
        return _pay(locked, use, by=by, now=now)


# --- the practitioner's pages ---------------------------------------------------------------


def offer_package(
    *,
    practitioner: Practitioner,
    name: str,
    minutes: int,
    sessions: int,
    price: Decimal,
    valid_months: int,
) -> Package:
    """A new package on sale."""
    package = Package(
        practitioner=practitioner,
        name=name.strip(),
        minutes=minutes,
        sessions=sessions,
        price=money.to_amount(price),
        valid_months=valid_months,
    )
    package.full_clean(exclude=["practitioner"])
    package.save()
    return package


def set_on_sale(package: Package, *, on_sale: bool) -> Package:
    """Put a package on sale or take it off (those sold keep their credits)."""
    package.is_active = on_sale
    package.save(update_fields=["is_active"])
    return package


def set_policy(practitioner: Practitioner, when_no_credit: str) -> PackagePolicy:
    policy, _created = PackagePolicy.objects.update_or_create(
        practitioner=practitioner, defaults={"when_no_credit": when_no_credit}
    )
    return policy


def sell_package(
    *, package: Package, client: User, method: str, sold_on: date, by: User
) -> ClientPackage:
    """Sell a package on sale to `client` (one of the practitioner's clients: the form's
    choice), with the payment the practitioner received, in the practice's currency."""
    if not package.is_active:
        raise PackageRefused(_("This package is not on sale. Put it on sale first."))
    if method == Payment.Method.PACKAGE_CREDIT:
        raise PackageRefused(_("A package cannot be paid with a package credit."))
    if client.pk == package.practitioner.user_id:
        raise PackageRefused(_("You cannot sell a package to yourself."))
    billing = PracticeBilling.objects.filter(practitioner=package.practitioner).first()
    with transaction.atomic(durable=True):
        return ClientPackage.objects.create(
            package=package,
            practitioner=package.practitioner,
            client=client,
            name=package.name,
            minutes=package.minutes,
            sessions=package.sessions,
            price=package.price,
            currency=billing.currency if billing else money.DEFAULT_CURRENCY,
            sold_on=sold_on,
            expires_on=rules.expiry_date(sold_on, package.valid_months),
            payment_method=method,
            sold_by=by,
        )


# --- what the client sees -------------------------------------------------------------------


def review_note(
    *, client: User, practitioner: Practitioner, minutes: int, starts_at: datetime
) -> str:
    """What booking this session would do to the client's packages, for the review page: the
    balance after the credit it will use, or what happens with none left ("" when the client
    has no package of this length)."""
    held = packages_for(client, practitioner, minutes)
    if not held:
        return ""
    chosen = rules.choose([as_held(p) for p in held], session_day(practitioner, starts_at))
    if chosen is None:
        if policy_of(practitioner) == PackagePolicy.WhenNoCredit.REFUSE:
            return no_credit_refusal(practitioner)
        return _(
            "Your package has no credit left for a session of this length: this session will "
            "be booked unpaid, and you pay %(name)s for it on the day."
        ) % {"name": practitioner.display_name}
    package = next(p for p in held if p.pk == chosen.key)
    after = package.left - 1
    return ngettext(
        "This session will use a credit from your package “%(package)s”: %(left)s credit "
        "left after it, valid until %(until)s.",
        "This session will use a credit from your package “%(package)s”: %(left)s credits "
        "left after it, valid until %(until)s.",
        after,
    ) % {"package": package.name, "left": after, "until": _date(package.expires_on)}


def balances(client: User, today: date) -> list[ClientPackage]:
    """The client's packages still usable (credits left, not expired), soonest expiry first,
    each with its practitioner: one query."""
    return [
        package
        for package in ClientPackage.objects.filter(client=client, expires_on__gte=today)
        .select_related("practitioner__user")
        .order_by("expires_on", "pk")
        if package.left > 0
    ]
