"""The practice's money: fees copied onto bookings, invoices and the payments recorded
against them. The amounts are reflexbook.lib.money's (pure); this module applies them.

Invoice numbers run per practitioner without gaps: the number is taken from the counter row
(practitioners.models.PracticeBilling) locked with select_for_update inside the transaction
that writes the invoice, so a rolled-back invoice gives its number back and two at once wait
for each other (on SQLite the IMMEDIATE transaction serialises them). A void invoice keeps its
number. An invoice is made when a session is completed (sessions.booking.finish_booking) or
when the practitioner charges a late cancellation's or no-show's fee (decide_fee); one per
booking, which the database holds too.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from practitioners.models import PracticeBilling, Practitioner
from reflexbook.lib import money
from sessions.models import Booking, BookingFees, Invoice, Payment

Status = Booking.Status


class BillingRefused(Exception):
    """The change cannot be made; the message says why, in words for the practitioner."""


def fees_for_new_booking(booking: Booking, billing: PracticeBilling) -> BookingFees:
    """Copy the fees in force onto a booking being made (in its transaction), worked out on its
    price: a fee changed later does not reach it."""
    return BookingFees.objects.create(
        booking=booking,
        currency=billing.currency,
        late_cancel_fee=money.fee_amount(
            billing.late_cancel_fee_kind, billing.late_cancel_fee_value, booking.price
        ),
        no_show_fee=money.fee_amount(
            billing.no_show_fee_kind, billing.no_show_fee_value, booking.price
        ),
    )


def fee_words(kind: str, value: Decimal, currency: str) -> str:
    """money.fee_words (which decides) in the reader's language: "no fee", "a fee of $40.00",
    "a fee of 50% of the session's price"."""
    if money.fee_words(kind, value, currency) == "no fee":
        return _("no fee")
    if kind == money.FEE_AMOUNT:
        return _("a fee of %(amount)s") % {"amount": money.format_amount(value, currency)}
    return _("a fee of %(percent)s%% of the session's price") % {
        "percent": f"{Decimal(value).normalize():f}"
    }


def fee_policy(billing: PracticeBilling) -> str:
    """The fees as the cancellation policy states them ("" when neither is charged)."""
    if billing.late_cancel_fee_words == billing.no_show_fee_words == "no fee":
        return ""
    late = fee_words(billing.late_cancel_fee_kind, billing.late_cancel_fee_value, billing.currency)
    no_show = fee_words(billing.no_show_fee_kind, billing.no_show_fee_value, billing.currency)
    return _("A late cancellation carries %(late)s, and a no-show %(no_show)s.") % {
        "late": late,
        "no_show": no_show,
    }


def credential_line(practitioner: Practitioner, today: date) -> str:
    """The practitioner's verified ARCB credentials, as the invoice states them ("" if none)."""
    parts = []
    for certification in practitioner.certifications.badges(today):
        label = certification.badge_label
        if certification.credential_id:
            label += f" (ID {certification.credential_id})"
        parts.append(label)
    return "; ".join(parts)


def _take_number(practitioner: Practitioner) -> tuple[int, str]:
    """The next invoice number and the currency, with the counter row locked until the caller's
    transaction ends (the race: two invoices at once must not take one number)."""
    PracticeBilling.objects.get_or_create(practitioner=practitioner)
    billing = PracticeBilling.objects.select_for_update().get(practitioner=practitioner)
    number = billing.next_invoice_number
    PracticeBilling.objects.filter(pk=billing.pk).update(next_invoice_number=number + 1)
    return number, billing.currency


def _invoice_locked(booking: Booking, *, kind: str, amount: Decimal, now: datetime) -> Invoice:
    """Write the invoice for a locked booking, inside the caller's transaction."""
    practitioner = booking.practitioner
    number, currency = _take_number(practitioner)
    fees = BookingFees.objects.filter(booking=booking).first()
    if kind != Invoice.Kind.SESSION and fees is not None:
        currency = fees.currency
    return Invoice.objects.create(
        practitioner=practitioner,
        client=booking.client,
        booking=booking,
        number=number,
        kind=kind,
        issued_at=now,
        practitioner_name=practitioner.display_name,
        practice_address=practitioner.practice_address,
        credential=credential_line(practitioner, now.date()),
        client_name=booking.client.full_name or booking.client.email,
        service_name=booking.service.name,
        session_starts_at=booking.starts_at,
        session_zone=practitioner.timezone,
        minutes=booking.minutes,
        currency=currency,
        amount=money.to_amount(amount),
        state=money.invoice_state(money.to_amount(amount), money.ZERO),
    )


def invoice_completed_session(booking: Booking, now: datetime) -> Invoice:
    """The invoice for a session just marked completed (booking locked by the caller)."""
    return _invoice_locked(booking, kind=Invoice.Kind.SESSION, amount=booking.price, now=now)


def fee_due(booking: Booking) -> tuple[str, Decimal] | None:
    """The kind of fee a booking's outcome allows and its amount, or None (not a late
    cancellation or no-show, or no fee was in force when it was booked)."""
    fees = getattr(booking, "fees", None)
    if fees is None:
        return None
    if booking.status == Status.NO_SHOW:
        kind, amount = Invoice.Kind.NO_SHOW, fees.no_show_fee
    elif booking.status == Status.CANCELLED_BY_CLIENT and booking.is_late_cancellation:
        kind, amount = Invoice.Kind.LATE_CANCELLATION, fees.late_cancel_fee
    else:
        return None
    return (kind, amount) if amount > 0 else None


def fee_to_decide(booking: Booking) -> tuple[str, Decimal] | None:
    """fee_due, while the practitioner has not yet charged or waived it."""
    due = fee_due(booking)
    if due is None or booking.fees.decision:
        return None
    return due


def decide_fee(*, booking: Booking, charge: bool, now: datetime | None = None) -> Invoice | None:
    """Charge (an invoice for the fee copied at booking) or waive a late cancellation's or a
    no-show's fee; once."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        Practitioner.objects.select_for_update().filter(pk=booking.practitioner_id).first()
        locked = (
            # Only the booking row: PostgreSQL locks no nullable side of an outer join (fees).
            Booking.objects.select_for_update(of=("self",))
            .select_related("client", "practitioner", "service", "fees")
            .get(pk=booking.pk)
        )
        return decide_fee_locked(locked, charge=charge, now=now)


def decide_fee_locked(locked: Booking, *, charge: bool, now: datetime) -> Invoice | None:
    """decide_fee's check and write, on a booking locked in the caller's transaction (the
    demo's seed calls it inside its own)."""
    due = fee_due(locked)
    if due is None:
        raise BillingRefused(_("This booking has no late-cancellation or no-show fee to charge."))
    if locked.fees.decision == BookingFees.Decision.CHARGED:
        raise BillingRefused(_("The fee was already charged."))
    if locked.fees.decision:
        raise BillingRefused(_("The fee was already waived."))
    fees = locked.fees
    fees.decision = BookingFees.Decision.CHARGED if charge else BookingFees.Decision.WAIVED
    fees.decided_at = now
    fees.save(update_fields=["decision", "decided_at"])
    if not charge:
        return None
    kind, amount = due
    return _invoice_locked(locked, kind=kind, amount=amount, now=now)


def _lock_invoice(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def record_payment(
    *,
    invoice: Invoice,
    method: str,
    amount: Decimal,
    received_on: date,
    by: User,
    reason: str = "",
) -> Payment:
    """Record a payment (or, negative, a refund with its reason) against an invoice that is not
    void: never more than the balance, never more refunded than paid."""
    with transaction.atomic(durable=True):
        return record_payment_locked(
            _lock_invoice(invoice),
            method=method,
            amount=amount,
            received_on=received_on,
            by=by,
            reason=reason,
        )


def record_payment_locked(
    locked: Invoice, *, method: str, amount: Decimal, received_on: date, by: User, reason: str
) -> Payment:
    """record_payment's check and write, on an invoice locked in the caller's transaction."""
    amount = money.to_amount(amount)
    if locked.is_void:
        raise BillingRefused(_("This invoice is void: it takes no payments."))
    refusal = money.payment_refusal(
        total=locked.total, paid=locked.paid, amount=amount, reason=reason
    )
    if refusal:
        raise BillingRefused(refusal)
    payment = Payment.objects.create(
        invoice=locked,
        method=method,
        amount=amount,
        received_on=received_on,
        reason=reason.strip(),
        recorded_by=by,
    )
    locked.paid += amount
    locked.state = money.invoice_state(locked.total, locked.paid)
    locked.save(update_fields=["paid", "state"])
    return payment


def void_invoice(*, invoice: Invoice, reason: str, now: datetime | None = None) -> Invoice:
    """Void an invoice with a reason; its number stays used. Payments must be refunded first."""
    with transaction.atomic(durable=True):
        return void_invoice_locked(_lock_invoice(invoice), reason=reason, now=now or timezone.now())


def void_invoice_locked(locked: Invoice, *, reason: str, now: datetime) -> Invoice:
    """void_invoice's check and write, on an invoice locked in the caller's transaction."""
    if not reason.strip():
        raise BillingRefused(_("Say why you are voiding this invoice."))
    if locked.is_void:
        raise BillingRefused(_("This invoice is already void."))
    if locked.paid:
        raise BillingRefused(
            _("This invoice has payments against it: refund them before voiding it.")
        )
    locked.state = Invoice.State.VOID
    locked.void_reason = reason.strip()
    locked.voided_at = now
    locked.save(update_fields=["state", "void_reason", "voided_at"])
    return locked


def discount_invoice(*, invoice: Invoice, discount: Decimal) -> Invoice:
    """Set the invoice's discount (from nothing up to its whole amount); the total never drops
    below what has been paid (refund first)."""
    discount = money.to_amount(discount)
    with transaction.atomic(durable=True):
        locked = _lock_invoice(invoice)
        if locked.is_void:
            raise BillingRefused(_("This invoice is void: its amounts stay as they were."))
        if not money.ZERO <= discount <= locked.amount:
            raise BillingRefused(
                _("A discount is between nothing and the whole amount, %(amount)s.")
                % {"amount": locked.amount}
            )
        if locked.amount - discount < locked.paid:
            raise BillingRefused(
                _(
                    "%(paid)s has been paid, more than the total would be after this "
                    "discount: record a refund first."
                )
                % {"paid": locked.paid}
            )
        locked.discount = discount
        locked.state = money.invoice_state(locked.total, locked.paid)
        locked.save(update_fields=["discount", "state"])
    return locked
