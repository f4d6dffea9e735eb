"""The verification report's selector (practitioners.verification_report): the numbers for a
known history, the viewer's days, the median wait, and a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from practitioners.models import Certification, CertificationEvent, Practitioner
from practitioners.verification_report import (
    bounds,
    csv_rows,
    median_wait,
    verification_report,
    wait_in_words,
)
from tests.factories import CertificationFactory, StaffFactory

State = Certification.State
NY = ZoneInfo("America/New_York")
MAY_START, MAY_END = date(2026, 5, 1), date(2026, 5, 31)


def at(day: int, hour: int = 12, minute: int = 0, month: int = 5) -> datetime:
    """A time in New York in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def history(certification, staff, *steps) -> None:
    """Record (when, from, to, reason_code) steps; pending steps are the owner's."""
    CertificationEvent.objects.bulk_create(
        CertificationEvent(
            certification=certification,
            actor=certification.practitioner.user if to == State.PENDING else staff,
            at=when,
            from_state=was,
            to_state=to,
            reason_code=code,
        )
        for when, was, to, code in steps
    )


@pytest.fixture
def may(db):
    """A known month: five decisions (waits of 2 h, 4 h, 10 h, 24 h and 11 days), four
    rejections, a lapse, a revocation, and events just outside May in New York."""
    staff = StaffFactory()
    a, b, c, d, e, f, g = (CertificationFactory() for _ in range(7))
    history(a, staff, (at(1, 10), "draft", "pending", ""), (at(2, 10), "pending", "verified", ""))
    history(
        b,
        staff,
        (at(3, 9), "draft", "pending", ""),
        (at(3, 11), "pending", "rejected", "unreadable"),
    )
    history(
        c,
        staff,
        (at(4, 8), "draft", "pending", ""),
        (at(4, 12), "pending", "more_info", ""),
        (at(6, 8), "more_info", "pending", ""),
        (at(6, 18), "pending", "rejected", "other"),
    )
    # Submitted in April, decided in May: its wait counts, its submission does not.
    history(
        d,
        staff,
        (at(20, 9, month=4), "draft", "pending", ""),
        (at(1, 9), "pending", "verified", ""),
    )
    history(e, staff, (at(10, 0, 5), "verified", "lapsed", ""))
    history(f, staff, (at(11), "verified", "revoked", ""))
    history(
        g,
        staff,
        (at(30, 23, 30, month=4), "draft", "pending", ""),  # 03:30 UTC on 1 May: April in NY
        (at(31, 23, 30), "pending", "rejected", "expired"),  # 03:30 UTC on 1 June: May in NY
        (at(1, 0, 30, month=6), "rejected", "pending", ""),  # June in NY
    )
    # A rejection from before stock reasons existed.
    h = CertificationFactory()
    history(h, staff, (at(15), "draft", "pending", ""), (at(16), "pending", "rejected", ""))


@pytest.mark.django_db
def test_the_numbers_for_a_known_month(may):
    report = verification_report(start=MAY_START, end=MAY_END, tz=NY)

    assert report.submissions == 5  # a, b, c twice, h
    assert report.approvals == 2  # a, d
    assert report.rejections == 4  # b, c, g, h
    assert report.rejections_by_reason == [
        ("unreadable", "Unreadable", 1),
        ("name_mismatch", "Name does not match", 0),
        ("expired", "Expired", 1),
        ("not_arcb", "Not an ARCB certificate", 0),
        ("other", "Other", 1),
        ("", "Written reason only", 1),
    ]
    assert report.more_info == 1
    assert report.revocations == 1
    assert report.lapses == 1
    # b 2 h, c 4 h and 10 h, a 24 h, h 24 h, d 11 days, g 31 days: the median is 24 hours.
    assert report.decisions_timed == 7
    assert report.median_wait == timedelta(hours=24)


@pytest.mark.django_db
def test_days_are_the_viewers(may):
    in_utc = verification_report(start=MAY_START, end=MAY_END, tz=UTC)
    # In UTC, g's April submission falls on 1 May and its May rejection on 1 June.
    assert in_utc.submissions == 6
    assert in_utc.rejections == 3


@pytest.mark.django_db
def test_an_empty_range_has_zeros_and_no_median(may):
    report = verification_report(start=date(2025, 1, 1), end=date(2025, 1, 31), tz=NY)
    assert (report.submissions, report.approvals, report.rejections, report.lapses) == (0, 0, 0, 0)
    assert report.median_wait is None
    assert [count for _, _, count in report.rejections_by_reason] == [0, 0, 0, 0, 0]


@pytest.mark.django_db
def test_the_csv_rows_carry_the_same_numbers(may):
    rows = csv_rows(verification_report(start=MAY_START, end=MAY_END, tz=NY))
    assert rows[0] == ["measure", "value"]
    values = dict(rows[1:])
    assert values["from"] == "2026-05-01"
    assert values["to"] == "2026-05-31"
    assert values["submissions"] == "5"
    assert values["rejections: Unreadable"] == "1"
    assert values["requests for more information"] == "1"
    assert values["median hours from submission to decision"] == "24.0"


def test_the_range_covers_whole_days_across_a_dst_change():
    since, until = bounds(start=date(2026, 3, 8), end=date(2026, 3, 8), tz=NY)
    assert since == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert until == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # a 23-hour day


def test_the_median_of_an_even_count_is_between_the_middle_two():
    submitted = datetime(2026, 5, 1, tzinfo=UTC)
    pairs = [(submitted + timedelta(hours=h), submitted) for h in (1, 3, 5, 100)]
    assert median_wait(pairs) == timedelta(hours=4)
    assert median_wait([(submitted, None)]) is None
    assert median_wait([]) is None


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (None, "no decisions"),
        (timedelta(seconds=20), "0 minutes"),
        (timedelta(minutes=40), "40 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=5, minutes=10), "5 hours 10 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=3), "2 days 3 hours"),
    ],
)
def test_the_median_in_words(wait, words):
    assert wait_in_words(wait) == words


def credentials_with_history(count: int) -> None:
    """`count` credentials (foot and hand of count/2 practitioners), each submitted and
    decided in May, in a handful of INSERTs."""
    staff = StaffFactory()
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.com", full_name=f"Bulk {n}", password="!")
        for n in range((count + 1) // 2)
    )
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(user=user, display_name=user.full_name, slug=f"bulk-{n}")
        for n, user in enumerate(users)
    )
    certifications = Certification.objects.bulk_create(
        Certification(
            practitioner=practitioner,
            kind=kind,
            year_certified=2019,
            ce_cycle_end=date(2027, 12, 31),
            state=State.VERIFIED,
        )
        for practitioner in practitioners
        for kind in ("foot", "hand")
    )[:count]
    CertificationEvent.objects.bulk_create(
        event
        for n, certification in enumerate(certifications)
        for event in (
            CertificationEvent(
                certification=certification,
                actor=certification.practitioner.user,
                at=at(1 + n % 20, 9),
                from_state="draft",
                to_state="pending",
            ),
            CertificationEvent(
                certification=certification,
                actor=staff,
                at=at(1 + n % 20, 9 + n % 7),
                from_state="pending",
                to_state="verified",
            ),
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1000])
def test_the_report_takes_two_queries_for_10_and_1000_credentials(django_assert_num_queries, count):
    credentials_with_history(count)
    with django_assert_num_queries(2):
        report = verification_report(start=MAY_START, end=MAY_END, tz=NY)
    assert (report.submissions, report.approvals, report.decisions_timed) == (count,) * 3
