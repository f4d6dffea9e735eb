"""The practice report's selector (sessions.practice_report): a known month's sessions, time
and money, the viewer's days, totals that equal the invoices and payments whatever they are
(hypothesis), and a fixed number of queries for a short and a long range."""

import datetime as dt
from datetime import UTC, date, time
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.models import Booking, Invoice, Package, Payment
from sessions.package_credits import sell_package
from sessions.practice_report import (
    bounds,
    chart_unit,
    csv_rows,
    empty_buckets,
    percent,
    practice_report,
)
from tests.factories import UserFactory, WeeklyHoursFactory
from tests.sessions.report_helpers import (
    MAY_END,
    MAY_START,
    NY,
    at,
    booking,
    invoiced,
    known_may,
    many_sessions,
    new_york_practitioner,
    pay,
)

Status = Booking.Status


@pytest.fixture
def maya(db):
    return new_york_practitioner()


@pytest.fixture
def may(maya):
    return known_may(maya)


@pytest.mark.django_db
def test_the_numbers_for_a_known_month(may):
    report = practice_report(practitioner=may, start=MAY_START, end=MAY_END, tz=NY, currency="USD")

    counts = {status: count for status, _, count in report.statuses}
    assert counts == {
        "requested": 0,
        "confirmed": 2,
        "declined": 1,
        "cancelled_by_client": 2,
        "cancelled_by_practitioner": 1,
        "cancelled_by_staff": 0,
        "completed": 3,
        "no_show": 1,
    }
    assert report.sessions == 10
    assert report.late_cancellations == 1
    assert report.expected == 8  # all but the declined and the practitioner's cancellation
    assert report.no_show_rate == Decimal("12.5")
    assert report.late_cancellation_rate == Decimal("12.5")
    # Three completed, a no-show and two confirmed hold time: six hours.
    assert report.booked_minutes == 6 * 60
    assert report.working_minutes == 19 * 8 * 60  # 21 weekdays less a day off and a closed day
    assert report.utilisation == Decimal("3.9")
    assert (report.clients, report.new_clients, report.returning_clients) == (3, 2, 1)

    (usd,) = report.money
    assert (usd.currency, usd.invoices, usd.voided) == ("USD", 2, 1)
    assert usd.invoiced == Decimal("160.00")
    assert usd.paid_on_them == Decimal("110.00")
    assert usd.outstanding == Decimal("50.00")
    assert (usd.payments, usd.received) == (2, Decimal("120.00"))
    assert (usd.refunds, usd.refunded) == (1, Decimal("10.00"))
    assert usd.net_received == Decimal("110.00")
    methods = {method: amount for method, _, amount in usd.methods()}
    assert methods["cash"] == Decimal("70.00")
    assert methods["package_credit"] == Decimal("40.00")
    assert (usd.credits.used, usd.credits.used_amount) == (1, Decimal("40.00"))

    assert report.unit == "day"
    assert len(report.buckets) == 31
    by_day = {bucket.first.day: bucket.amount for bucket in report.buckets}
    assert (by_day[4], by_day[5], by_day[20], by_day[21]) == (80, 40, -10, 0)


@pytest.mark.django_db
def test_days_are_the_viewers(may):
    in_utc = practice_report(practitioner=may, start=MAY_START, end=MAY_END, tz=UTC, currency="USD")
    # 23:30 on 31 May in New York is June in UTC.
    assert in_utc.count(Status.CONFIRMED) == 1


@pytest.mark.django_db
def test_another_currency_has_its_own_totals_after_the_practices(may):
    Invoice.objects.filter(state=Invoice.State.PARTLY_PAID, paid=70).update(currency="CAD")
    report = practice_report(practitioner=may, start=MAY_START, end=MAY_END, tz=NY, currency="USD")
    assert [totals.currency for totals in report.money] == ["USD", "CAD"]
    assert report.money[1].net_received == Decimal("70.00")
    assert report.money[0].net_received == Decimal("40.00")
    # The chart is in the practice's currency.
    assert sum(bucket.amount for bucket in report.buckets) == Decimal("40.00")


@pytest.mark.django_db
def test_an_empty_range_has_zeros_and_no_rates(maya):
    report = practice_report(
        practitioner=maya, start=date(2025, 1, 1), end=date(2025, 1, 31), tz=NY, currency="EUR"
    )
    assert report.sessions == 0
    assert report.no_show_rate is None
    assert report.utilisation == Decimal("0.0")
    assert [totals.currency for totals in report.money] == ["EUR"]
    assert report.money[0].outstanding == 0


@pytest.mark.django_db
def test_working_hours_follow_the_clock_change(maya):
    """8 March 2026: New York springs forward at 2:00, which a 9-17 day does not touch; a
    night shift over the change is an hour shorter."""
    WeeklyHoursFactory(practitioner=maya, weekday=6, starts=time(1), ends=time(4))
    sunday = date(2026, 3, 8)
    report = practice_report(practitioner=maya, start=sunday, end=sunday, tz=NY, currency="USD")
    assert report.working_minutes == 2 * 60


def test_the_range_covers_whole_days_across_a_dst_change():
    since, until = bounds(start=date(2026, 3, 8), end=date(2026, 3, 8), tz=NY)
    assert until - since == dt.timedelta(hours=23)


@pytest.mark.parametrize(
    ("start", "end", "unit", "bars"),
    [
        (date(2026, 5, 1), date(2026, 5, 31), "day", 31),
        (date(2026, 5, 1), date(2026, 6, 30), "week", 10),  # Fri 1 May to Tue 30 June
        (date(2026, 1, 1), date(2026, 12, 31), "month", 12),
    ],
)
def test_the_chart_has_a_bar_per_day_week_or_month(start, end, unit, bars):
    assert chart_unit(start, end) == unit
    buckets = empty_buckets(start, end, unit)
    assert len(buckets) == bars
    assert buckets[0].first == start and buckets[-1].last == end
    assert all(
        a.last + dt.timedelta(days=1) == b.first for a, b in zip(buckets, buckets[1:], strict=False)
    )


def test_percent_is_one_decimal_or_none():
    assert percent(1, 3) == Decimal("33.3")
    assert percent(0, 0) is None


@pytest.mark.django_db
def test_the_csv_rows_carry_the_same_numbers(may):
    rows = csv_rows(
        practice_report(practitioner=may, start=MAY_START, end=MAY_END, tz=NY, currency="USD")
    )
    assert rows[0] == ["Measure", "Value"]
    values = dict(rows[1:])
    assert values["From"] == "2026-05-01"
    assert values["Sessions: No-show"] == "1"
    assert values["No-show rate"] == "12.5%"
    assert values["Booked hours"] == "6.0"
    assert values["Outstanding on these invoices (USD)"] == "50.00"
    assert values["Received, net of refunds (USD)"] == "110.00"
    assert values["Package credits used (USD)"] == "1"
    assert values["Received 2026-05-20 to 2026-05-20 (USD)"] == "-10.00"


# --- totals equal the payments, whatever they are ----------------------------------------------

payment = st.tuples(
    st.integers(min_value=0, max_value=2),  # which invoice
    st.sampled_from([m.value for m in Payment.Method]),
    st.integers(min_value=1, max_value=9000).map(lambda cents: Decimal(cents) / 100),
    st.integers(min_value=-3, max_value=33),  # day of May (out of it: before or after)
    st.booleans(),  # a refund of it right after
)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payments=st.lists(payment, max_size=12))
def test_the_totals_equal_the_invoices_and_payments(maya, payments):
    sid = transaction.savepoint_create()
    try:
        client = UserFactory()
        invoices = [
            invoiced(booking(maya, client, at(4 + n), price=Decimal("90.00")), at(4 + n, 12))
            for n in range(3)
        ]
        for which, method, amount, day, refund in payments:
            invoice = Invoice.objects.get(pk=invoices[which].pk)
            amount = min(amount, invoice.balance)
            if amount <= 0:
                continue
            on = date(2026, 5, 1) + dt.timedelta(days=day)
            pay(invoice, str(amount), on, method=method)
            if refund:
                pay(invoice, str(-amount), on, method=method, reason="Changed their mind.")

        report = practice_report(
            practitioner=maya, start=MAY_START, end=MAY_END, tz=NY, currency="USD"
        )

        in_may = Payment.objects.filter(received_on__range=(MAY_START, MAY_END))
        amounts = list(in_may.values_list("amount", flat=True))
        (usd,) = report.money
        assert usd.received == sum((a for a in amounts if a > 0), Decimal(0))
        assert usd.refunded == -sum((a for a in amounts if a < 0), Decimal(0))
        assert usd.net_received == sum(amounts, Decimal(0))
        assert sum(amount for _, _, amount in usd.methods()) == usd.net_received
        assert sum(bucket.amount for bucket in report.buckets) == usd.net_received
        used = in_may.filter(method=Payment.Method.PACKAGE_CREDIT, amount__gt=0)
        assert usd.credits.used == used.count()
        everything = Invoice.objects.filter(practitioner=maya)
        assert usd.invoiced == sum(i.total for i in everything)
        assert usd.outstanding == sum(i.balance for i in everything)
    finally:
        transaction.savepoint_rollback(sid)


# --- a fixed number of queries -----------------------------------------------------------------


# bookings, clients, invoices, payments, packages sold, and weekly hours, dates, time off
REPORT_QUERIES = 8


@pytest.mark.django_db
@pytest.mark.parametrize(("end", "count"), [(date(2026, 1, 7), 10), (date(2026, 12, 31), 1000)])
def test_the_report_takes_fixed_queries_for_a_week_and_a_year(
    maya, django_assert_num_queries, end, count
):
    many_sessions(maya, count)
    start = date(2026, 1, 1)
    with django_assert_num_queries(REPORT_QUERIES):
        report = practice_report(practitioner=maya, start=start, end=end, tz=NY, currency="USD")
    assert report.count(Status.COMPLETED) > 0
    assert report.money[0].net_received == report.money[0].invoiced


@pytest.mark.django_db
def test_packages_sold_in_the_range_count_with_their_credits_and_price(maya):
    offer = Package.objects.create(
        practitioner=maya,
        name="Five",
        minutes=60,
        sessions=5,
        price=Decimal("300.00"),
        valid_months=6,
    )
    for sold_on in (date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 1)):
        sell_package(
            package=offer,
            client=UserFactory(),
            method=Payment.Method.CASH,
            sold_on=sold_on,
            by=maya.user,
        )
    report = practice_report(
        practitioner=maya, start=date(2026, 1, 1), end=date(2026, 1, 31), tz=NY, currency="USD"
    )
    credits = report.money[0].credits
    assert (credits.packages_sold, credits.sold, credits.sold_amount) == (2, 10, Decimal("600"))
