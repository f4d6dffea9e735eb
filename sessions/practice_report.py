"""The practice report (issue 18): for a range of days, a practitioner's sessions by status,
the money invoiced, received and still outstanding, package credits used, the no-show and
late-cancellation rates, booked hours against working hours (utilisation) and new against
returning clients. A selector: seven queries whatever the range or the number of rows; the
practitioner's page, its chart and its CSV all read it.

Days are the viewer's: sessions and invoices count from the start of `start` to the end of
`end` in `tz` (sessions by their start, invoices by when they were issued). Payments count by
the date the practitioner received them (a date they entered, already a day of theirs).

Counts read every booking, those of clients who erased their account included
(Booking.all_objects): a count shows no one, and a month's numbers must not change when a
client leaves.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from practitioners.models import Practitioner
from reflexbook.lib import money
from reflexbook.lib.local_time import day_start
from sessions.availability import working_minutes_between
from sessions.models import Booking, ClientPackage, Invoice, Payment

Status = Booking.Status
Method = Payment.Method
# The longest range the report covers: a year (a leap year's 366 days included).
MAX_DAYS = 366
# Bookings a client was expected to attend or cancelled themselves: the base of the no-show
# and late-cancellation rates (a declined request or a cancellation by the practice is not the
# client's doing).
NOT_THE_CLIENTS = (Status.DECLINED, Status.CANCELLED_BY_PRACTITIONER, Status.CANCELLED_BY_STAFF)


def bounds(*, start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The aware instants the days `start`..`end` (both included) cover in `tz`."""
    return day_start(start, tz), day_start(end + timedelta(days=1), tz)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage to one decimal place; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PackageCredits:
    """Package credits in the range. Sold: the packages sold to clients in it, their credits
    and what they cost; used: the payments made with a package credit."""

    used: int = 0
    used_amount: Decimal = money.ZERO
    packages_sold: int = 0
    sold: int = 0
    sold_amount: Decimal = money.ZERO


@dataclass
class Bucket:
    """One bar of the chart: the money received (net of refunds) from `first` to `last`."""

    first: date
    last: date
    amount: Decimal = money.ZERO


@dataclass
class Money:
    """The money of the range in one currency (a practice that changed currency has two)."""

    currency: str
    invoices: int = 0  # issued in the range, not void
    invoiced: Decimal = money.ZERO  # their totals, after discounts
    discounts: Decimal = money.ZERO
    paid_on_them: Decimal = money.ZERO  # what has been paid on them so far, whenever
    voided: int = 0  # issued in the range, then voided
    payments: int = 0  # received in the range
    received: Decimal = money.ZERO  # before refunds
    refunds: int = 0
    refunded: Decimal = money.ZERO  # a positive amount
    by_method: dict[str, Decimal] = field(default_factory=dict)  # net, every method
    credits: PackageCredits = field(default_factory=PackageCredits)

    @property
    def outstanding(self) -> Decimal:
        """Still to pay, now, on the invoices issued in the range."""
        return self.invoiced - self.paid_on_them

    @property
    def net_received(self) -> Decimal:
        return self.received - self.refunded

    def methods(self) -> list[tuple[str, str, Decimal]]:
        """(method, label, net amount) for every way of paying, in the form's order."""
        return [(m.value, m.label, self.by_method.get(m.value, money.ZERO)) for m in Method]


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    # (status, label, count) for every status, in the model's order.
    statuses: list[tuple[str, str, int]]
    late_cancellations: int
    expected: int  # the rates' base: bookings not declined or cancelled by the practice
    booked_minutes: int
    working_minutes: int
    clients: int
    new_clients: int
    money: list[Money]  # the practice's currency first; always one at least
    unit: str  # the chart's bars: "day", "week" or "month"
    buckets: list[Bucket]  # in money[0]'s currency

    @property
    def sessions(self) -> int:
        return sum(count for _, _, count in self.statuses)

    def count(self, status: str) -> int:
        return next(count for value, _, count in self.statuses if value == status)

    @property
    def no_show_rate(self) -> Decimal | None:
        return percent(self.count(Status.NO_SHOW), self.expected)

    @property
    def late_cancellation_rate(self) -> Decimal | None:
        return percent(self.late_cancellations, self.expected)

    @property
    def utilisation(self) -> Decimal | None:
        return percent(self.booked_minutes, self.working_minutes)

    @property
    def returning_clients(self) -> int:
        return self.clients - self.new_clients


def package_credits(rows: list[dict], sold: dict | None = None) -> PackageCredits:
    """The package credits of one currency: used from its payment rows (payments_by_day's),
    sold from its row of packages_sold."""
    used = [row for row in rows if row["method"] == Method.PACKAGE_CREDIT]
    sold = sold or {}
    return PackageCredits(
        used=sum(row["n"] for row in used),
        used_amount=sum((row["received"] or money.ZERO for row in used), money.ZERO),
        packages_sold=sold.get("n", 0),
        sold=sold.get("credits") or 0,
        sold_amount=sold.get("amount") or money.ZERO,
    )


def packages_sold(practitioner: Practitioner, *, start: date, end: date) -> dict[str, dict]:
    """Per currency, the packages sold from `start` to `end` (their sale days): how many,
    their credits and their price: one query."""
    return {
        row["currency"]: row
        for row in ClientPackage.objects.filter(
            practitioner=practitioner, sold_on__gte=start, sold_on__lte=end
        )
        .order_by()
        .values("currency")
        .annotate(n=Count("pk"), credits=Sum("sessions"), amount=Sum("price"))
    }


def chart_unit(start: date, end: date) -> str:
    """Bars per day up to a month, per week up to half a year, else per month."""
    days = (end - start).days + 1
    if days <= 31:
        return "day"
    return "week" if days <= 183 else "month"


def bucket_first(day: date, unit: str) -> date:
    """The first day of the bar `day` falls in (weeks start on Monday)."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def empty_buckets(start: date, end: date, unit: str) -> list[Bucket]:
    """Every bar from `start` to `end`, each cut to the range (a week or month may begin
    before `start` or end after `end`)."""
    buckets, first = [], start
    while first <= end:
        if unit == "day":
            after = first + timedelta(days=1)
        elif unit == "week":
            after = bucket_first(first, unit) + timedelta(days=7)
        else:
            after = (bucket_first(first, unit) + timedelta(days=32)).replace(day=1)
        last = min(after - timedelta(days=1), end)
        buckets.append(Bucket(first=first, last=last))
        first = last + timedelta(days=1)
    return buckets


def _bookings(practitioner: Practitioner, since: datetime, until: datetime):
    return Booking.all_objects.filter(
        practitioner=practitioner, starts_at__gte=since, starts_at__lt=until
    )


def practice_report(
    *, practitioner: Practitioner, start: date, end: date, tz: tzinfo, currency: str
) -> Report:
    """The report for the days `start`..`end` in `tz` of `practitioner`, whose currency now is
    `currency`, in eight queries."""
    since, until = bounds(start=start, end=end, tz=tz)
    bookings = _bookings(practitioner, since, until)
    by_status: dict[str, int] = {}
    late = expected = booked = 0
    for row in (
        bookings.order_by()
        .values("status", "is_late_cancellation")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    ):
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        late += row["n"] if row["is_late_cancellation"] else 0
        expected += row["n"] if row["status"] not in NOT_THE_CLIENTS else 0
        booked += row["minutes"] if row["status"] in Booking.HOLDS_TIME else 0

    # New or returning: a client with a session in the range is returning when an earlier
    # one held time with this practitioner.
    held = bookings.filter(status__in=Booking.HOLDS_TIME)
    earlier = Booking.all_objects.filter(
        practitioner=practitioner,
        client=OuterRef("client"),
        status__in=Booking.HOLDS_TIME,
        starts_at__lt=since,
    )
    clients = held.aggregate(
        clients=Count("client", distinct=True),
        returning=Count("client", distinct=True, filter=Q(Exists(earlier))),
    )

    found: dict[str, Money] = {currency: Money(currency=currency)}
    not_void = ~Q(state=Invoice.State.VOID)
    for row in (
        Invoice.objects.filter(practitioner=practitioner, issued_at__gte=since, issued_at__lt=until)
        .order_by()
        .values("currency")
        .annotate(
            n=Count("pk", filter=not_void),
            amount=Sum("amount", filter=not_void),
            discounts=Sum("discount", filter=not_void),
            paid=Sum("paid", filter=not_void),
            voided=Count("pk", filter=~not_void),
        )
    ):
        totals = found.setdefault(row["currency"], Money(currency=row["currency"]))
        totals.invoices, totals.voided = row["n"], row["voided"]
        totals.discounts = row["discounts"] or money.ZERO
        totals.invoiced = (row["amount"] or money.ZERO) - totals.discounts
        totals.paid_on_them = row["paid"] or money.ZERO

    rows = payments_by_day(practitioner, start=start, end=end)
    unit = chart_unit(start, end)
    buckets = empty_buckets(start, end, unit)
    bars = {bucket.first: bucket for bucket in buckets}
    for row in rows:
        totals = found.setdefault(row["currency"], Money(currency=row["currency"]))
        received, refunded = row["received"] or money.ZERO, -(row["refunded"] or money.ZERO)
        totals.payments += row["n"]
        totals.received += received
        totals.refunds += row["refunds"]
        totals.refunded += refunded
        totals.by_method[row["method"]] = (
            totals.by_method.get(row["method"], money.ZERO) + received - refunded
        )
        if row["currency"] == currency:
            bar = bars[max(bucket_first(row["received_on"], unit), start)]
            bar.amount += received - refunded
    sold = packages_sold(practitioner, start=start, end=end)
    for code in sold:
        found.setdefault(code, Money(currency=code))
    for totals in found.values():
        totals.credits = package_credits(
            [row for row in rows if row["currency"] == totals.currency], sold.get(totals.currency)
        )

    return Report(
        start=start,
        end=end,
        statuses=[(s.value, s.label, by_status.get(s.value, 0)) for s in Status],
        late_cancellations=late,
        expected=expected,
        booked_minutes=booked,
        working_minutes=working_minutes_between(
            practitioner=practitioner, since=since, until=until
        ),
        clients=clients["clients"],
        new_clients=clients["clients"] - clients["returning"],
        money=[found[currency], *(m for c, m in sorted(found.items()) if c != currency)],
        unit=unit,
        buckets=buckets,
    )


def payments_by_day(practitioner: Practitioner, *, start: date, end: date) -> list[dict]:
    """The payments and refunds received from `start` to `end` on the practitioner's
    invoices, summed by day, currency and method: one query."""
    return list(
        Payment.objects.filter(
            invoice__practitioner=practitioner, received_on__gte=start, received_on__lte=end
        )
        .order_by()
        .values("received_on", "method", currency=F("invoice__currency"))
        .annotate(
            n=Count("pk", filter=Q(amount__gt=0)),
            received=Sum("amount", filter=Q(amount__gt=0)),
            refunds=Count("pk", filter=Q(amount__lt=0)),
            refunded=Sum("amount", filter=Q(amount__lt=0)),
        )
    )


# --- words and the chart ----------------------------------------------------------------------


def hours(minutes: int) -> str:
    """Minutes as hours to one decimal place: "37.5"."""
    return f"{Decimal(minutes) / 60:.1f}"


def bucket_label(bucket: Bucket, unit: str) -> str:
    """A bar's name for people: "3 May", "week of 4 May", "May 2026"."""
    if unit == "month":
        return date_format(bucket.first, pgettext("month in a chart", "F Y"))
    if unit == "week":
        return _("week of %(day)s") % {
            "day": date_format(bucket.first, pgettext("day in a chart", "j M"))
        }
    return date_format(bucket.first, pgettext("day in a chart", "j M"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    amount: str
    show_label: bool
    # Where the label starts; one near the right edge ends at its bar instead.
    label_x: float = 0
    label_anchor: str = "start"


CHART_WIDTH, CHART_HEIGHT = 640, 220
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 28, 180, 8


def chart_bars(report: Report) -> list[Bar]:
    """The chart's bars, laid out in a CHART_WIDTH x CHART_HEIGHT box: heights from zero (a
    day of refunds goes below the line), at most six labels whatever the number of bars."""
    currency = report.money[0].currency
    amounts = [bucket.amount for bucket in report.buckets]
    high = max([Decimal(0), *amounts])
    low = min([Decimal(0), *amounts])
    span = (high - low) or Decimal(1)
    scale = (PLOT_BOTTOM - PLOT_TOP) / float(span)
    zero = PLOT_TOP + float(high) * scale
    slot = (CHART_WIDTH - 2 * PLOT_LEFT) / max(len(amounts), 1)
    every = max(1, math.ceil(len(amounts) / 6))
    bars = []
    for index, bucket in enumerate(report.buckets):
        height = abs(float(bucket.amount)) * scale
        x = PLOT_LEFT + index * slot + slot * 0.15
        near_end = x > CHART_WIDTH - 80
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(zero - height if bucket.amount > 0 else zero, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=bucket_label(bucket, report.unit),
                amount=money.format_amount(bucket.amount, currency),
                show_label=index % every == 0,
                label_x=round(x + slot * 0.7 if near_end else x, 1),
                label_anchor="end" if near_end else "start",
            )
        )
    return bars


def chart_zero_line(report: Report) -> float:
    """Where the chart's zero line is, from the top of the box."""
    amounts = [bucket.amount for bucket in report.buckets]
    high, low = max([Decimal(0), *amounts]), min([Decimal(0), *amounts])
    span = (high - low) or Decimal(1)
    return round(PLOT_TOP + float(high) * (PLOT_BOTTOM - PLOT_TOP) / float(span), 1)


def rate_text(rate: Decimal | None) -> str:
    """A rate for the page and the CSV: "12.5%", or "" when there is nothing to rate."""
    return "" if rate is None else f"{rate}%"


def csv_rows(report: Report) -> list[list[str]]:
    """The report as CSV lines (measure, value): the page's numbers, amounts without their
    currency symbol and with the currency in the measure's name."""
    rows = [
        [_("Measure"), _("Value")],
        [_("From"), report.start.isoformat()],
        [_("To"), report.end.isoformat()],
        [_("Sessions"), str(report.sessions)],
        *[
            [_("Sessions: %(status)s") % {"status": label}, str(n)]
            for _status, label, n in report.statuses
        ],
        [_("Late cancellations"), str(report.late_cancellations)],
        [_("No-show rate"), rate_text(report.no_show_rate)],
        [_("Late-cancellation rate"), rate_text(report.late_cancellation_rate)],
        [_("Booked hours"), hours(report.booked_minutes)],
        [_("Working hours"), hours(report.working_minutes)],
        [_("Utilisation"), rate_text(report.utilisation)],
        [_("Clients"), str(report.clients)],
        [_("New clients"), str(report.new_clients)],
        [_("Returning clients"), str(report.returning_clients)],
    ]
    for totals in report.money:
        c = {"currency": totals.currency}
        rows += [
            [_("Invoices issued (%(currency)s)") % c, str(totals.invoices)],
            [_("Invoiced after discounts (%(currency)s)") % c, str(totals.invoiced)],
            [_("Discounts (%(currency)s)") % c, str(totals.discounts)],
            [_("Outstanding on these invoices (%(currency)s)") % c, str(totals.outstanding)],
            [_("Invoices voided (%(currency)s)") % c, str(totals.voided)],
            [_("Payments received (%(currency)s)") % c, str(totals.payments)],
            [_("Received before refunds (%(currency)s)") % c, str(totals.received)],
            [_("Refunds (%(currency)s)") % c, str(totals.refunds)],
            [_("Refunded (%(currency)s)") % c, str(totals.refunded)],
            [_("Received, net of refunds (%(currency)s)") % c, str(totals.net_received)],
            *[
                [_("Net received by %(method)s (%(currency)s)") % {**c, "method": label}, str(n)]
                for _method, label, n in totals.methods()
            ],
            [_("Packages sold (%(currency)s)") % c, str(totals.credits.packages_sold)],
            [_("Package credits sold (%(currency)s)") % c, str(totals.credits.sold)],
            [_("Packages sold, amount (%(currency)s)") % c, str(totals.credits.sold_amount)],
            [_("Package credits used (%(currency)s)") % c, str(totals.credits.used)],
            [_("Package credits used, amount (%(currency)s)") % c, str(totals.credits.used_amount)],
        ]
    currency = report.money[0].currency
    rows += [
        [
            _("Received %(first)s to %(last)s (%(currency)s)")
            % {"first": b.first.isoformat(), "last": b.last.isoformat(), "currency": currency},
            str(b.amount),
        ]
        for b in report.buckets
    ]
    return rows
