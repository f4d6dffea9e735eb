"""A known month of a New York practitioner for the practice report's tests."""

import datetime as dt
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from practitioners.models import DateException, WeeklyHours
from sessions import billing
from sessions.models import Booking, Invoice, Payment
from tests.factories import (
    BookingFactory,
    ListedPractitionerFactory,
    TimeOffFactory,
    UserFactory,
    WeeklyHoursFactory,
)

Status = Booking.Status
NY = ZoneInfo("America/New_York")
MAY_START, MAY_END = date(2026, 5, 1), date(2026, 5, 31)


def at(day: int, hour: int = 10, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=NY)


def booking(practitioner, client, starts_at, status=Status.COMPLETED, **fields) -> Booking:
    return BookingFactory(
        practitioner=practitioner, client=client, starts_at=starts_at, status=status, **fields
    )


def invoiced(b: Booking, issued_at: datetime) -> Invoice:
    with transaction.atomic():
        return billing.invoice_completed_session(b, issued_at)


def pay(invoice: Invoice, amount: str, on: date, method=Payment.Method.CASH, reason="") -> None:
    with transaction.atomic():
        billing.record_payment_locked(
            Invoice.objects.select_for_update().get(pk=invoice.pk),
            method=method,
            amount=Decimal(amount),
            received_on=on,
            by=invoice.practitioner.user,
            reason=reason,
        )


def new_york_practitioner():
    """A New York practitioner working Monday to Friday 9:00-17:00 (price 80 a session)."""
    practitioner = ListedPractitionerFactory(timezone="America/New_York")
    WeeklyHours.objects.filter(practitioner=practitioner).delete()
    for weekday in range(5):
        WeeklyHoursFactory(
            practitioner=practitioner, weekday=weekday, starts=time(9), ends=time(17)
        )
    return practitioner


def known_may(maya):
    """A known May: Ann (returning: a session in April), Ben and Cy (new); sessions in every
    state the rates read; three invoices (one void) and payments, one by package credit and
    one refund; a day of time off and a closed day."""
    ann, ben, cy = (UserFactory() for _ in range(3))
    booking(maya, ann, at(28, month=4))  # April: Ann returns in May
    s1 = booking(maya, ann, at(4))  # completed, paid in full by cash
    s2 = booking(maya, ben, at(5))  # completed, half paid by package credit
    s3 = booking(maya, cy, at(6))  # completed, invoice voided
    booking(maya, ben, at(7), Status.NO_SHOW)
    booking(maya, cy, at(8), Status.CANCELLED_BY_CLIENT, is_late_cancellation=True)
    booking(maya, cy, at(11), Status.CANCELLED_BY_CLIENT)
    booking(maya, ann, at(12), Status.DECLINED)
    booking(maya, ann, at(13), Status.CANCELLED_BY_PRACTITIONER)
    booking(maya, ben, at(26), Status.CONFIRMED)
    # 23:30 on 31 May in New York is 1 June in UTC: May's.
    booking(maya, ann, datetime(2026, 5, 31, 23, 30, tzinfo=NY), Status.CONFIRMED)
    booking(maya, ann, at(1, month=6), Status.CONFIRMED)  # June: not counted
    i1, i2, i3 = (invoiced(s, s.ends_at) for s in (s1, s2, s3))
    pay(i1, "80.00", date(2026, 5, 4))
    pay(i1, "-10.00", date(2026, 5, 20), reason="Started late.")
    pay(i2, "40.00", date(2026, 5, 5), method=Payment.Method.PACKAGE_CREDIT)
    with transaction.atomic():
        billing.void_invoice_locked(i3, reason="Twice by mistake.", now=at(6, 12))
    # A Monday off, and Memorial Day closed: two of May's 21 working days.
    TimeOffFactory(practitioner=maya, starts_at=at(18, 0), ends_at=at(19, 0))
    DateException.objects.create(
        practitioner=maya, date=date(2026, 5, 25), kind=DateException.Kind.CLOSED
    )
    return maya


def many_sessions(practitioner, count: int) -> None:
    """`count` completed, invoiced and paid sessions over 2026, in a handful of INSERTs."""
    clients = UserFactory.create_batch(5)
    service = practitioner.services.first()
    bookings = Booking.objects.bulk_create(
        Booking(
            practitioner=practitioner,
            client=clients[n % 5],
            service=service,
            minutes=60,
            price=Decimal("80.00"),
            starts_at=(start := datetime(2026, 1, 1, 9, tzinfo=NY) + dt.timedelta(hours=7 * n)),
            ends_at=start + dt.timedelta(hours=1),
            blocks_from=start,
            blocks_until=start + dt.timedelta(hours=1),
            status=Status.COMPLETED,
            policy_text="-",
        )
        for n in range(count)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            practitioner=practitioner,
            client=b.client,
            booking=b,
            number=n + 1,
            issued_at=b.ends_at,
            practitioner_name="P",
            client_name="C",
            service_name="S",
            session_starts_at=b.starts_at,
            session_zone="America/New_York",
            minutes=60,
            amount=Decimal("80.00"),
            paid=Decimal("80.00"),
            state=Invoice.State.PAID,
        )
        for n, b in enumerate(bookings)
    )
    Payment.objects.bulk_create(
        Payment(
            invoice=i,
            method=Payment.Method.CASH,
            amount=Decimal("80.00"),
            received_on=i.issued_at.astimezone(NY).date(),
            recorded_by=practitioner.user,
        )
        for i in invoices
    )
