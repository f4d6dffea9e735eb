"""The verification report's staff page and CSV download: the range form, the numbers, the
export in the staff log, a fixed number of queries, and who may open them."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from accounts.models import StaffAction
from practitioners.models import Certification
from tests.factories import CertificationFactory
from tests.practitioners.test_verification_report import at, credentials_with_history, history

pytestmark = pytest.mark.django_db
State = Certification.State
PAGE, CSV = "practitioners:verification-report", "practitioners:verification-report-csv"
# session, user, the verified two-factor device, then the report's two queries
PAGE_QUERIES = 6  # 5, and the staff menu's count (practitioners.workspace.nav_counts)
CSV_QUERIES = PAGE_QUERIES + 1  # and the staff log's row


@pytest.fixture
def may(staff):
    """Two May decisions in New York (the staff member's zone): an approval after 24 hours,
    a rejection as unreadable after 2 hours."""
    staff.timezone = "America/New_York"
    staff.save()
    a, b = CertificationFactory(), CertificationFactory()
    history(a, staff, (at(1, 10), "draft", "pending", ""), (at(2, 10), "pending", "verified", ""))
    history(
        b,
        staff,
        (at(3, 9), "draft", "pending", ""),
        (at(3, 11), "pending", "rejected", "unreadable"),
    )


def test_the_page_shows_the_last_30_days_by_default(staff_client, may):
    with time_machine.travel("2026-05-20 15:00Z", tick=False):
        page = staff_client.get(reverse(PAGE)).text
    assert page.count("<h1") == 1
    assert "21 Apr 2026 to 20 May 2026" in page
    assert 'value="2026-04-21"' in page
    assert 'value="2026-05-20"' in page
    assert 'Submissions (first and repeat)</th><td class="text-end">2<' in page
    assert 'Rejected: Unreadable</th><td class="text-end">1<' in page
    assert 'Median time from submission to decision</th><td class="text-end">13 hours<' in page
    assert "?start=2026-04-21&amp;end=2026-05-20" in page


def test_a_chosen_range_counts_only_its_days(staff_client, may):
    page = staff_client.get(reverse(PAGE), {"start": "2026-05-02", "end": "2026-05-02"}).text
    assert "2 May 2026 to 2 May 2026" in page
    assert 'Approvals</th><td class="text-end">1<' in page
    assert 'Rejections</th><td class="text-end">0<' in page


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_a_bad_date_is_a_clear_error_that_keeps_what_was_typed(staff_client, url):
    response = staff_client.get(reverse(url), {"start": "2026-02-31", "end": "yesterday"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.text.count("Enter the date as YYYY-MM-DD, e.g. 2026-05-01.") == 2
    assert 'value="2026-02-31"' in response.text
    assert 'value="yesterday"' in response.text
    assert "Median time" not in response.text
    assert not StaffAction.objects.exists()


def test_an_end_before_the_start_is_refused(staff_client):
    response = staff_client.get(reverse(PAGE), {"start": "2026-05-10", "end": "2026-05-01"})
    assert (
        "The end date (2026-05-01) is before the start date (2026-05-10): choose an end on or "
        "after the start." in response.text
    )
    assert "Median time" not in response.text


def test_the_csv_parses_and_the_export_is_logged(staff_client, staff, may):
    response = staff_client.get(reverse(CSV), {"start": "2026-05-01", "end": "2026-05-31"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="verification-report-2026-05-01-to-2026-05-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["measure", "value"]
    values = dict(rows[1:])
    assert values["submissions"] == "2"
    assert values["approvals"] == "1"
    assert values["rejections: Unreadable"] == "1"
    assert values["rejections: Expired"] == "0"
    assert values["median hours from submission to decision"] == "13.0"
    (logged,) = StaffAction.objects.all()
    assert (logged.actor, logged.action, logged.subject_type) == (
        staff,
        "report_exported",
        "verification_report",
    )
    assert logged.detail == {"start": "2026-05-01", "end": "2026-05-31"}


@pytest.mark.parametrize("count", [10, 1000])
def test_the_page_and_csv_run_the_same_queries_for_10_and_1000_credentials(
    staff_client, django_assert_max_num_queries, count
):
    credentials_with_history(count)
    query = {"start": "2026-05-01", "end": "2026-05-31"}
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = staff_client.get(reverse(PAGE), query)
    assert f'Approvals</th><td class="text-end">{count}<' in page.text
    with django_assert_max_num_queries(CSV_QUERIES):
        exported = staff_client.get(reverse(CSV), query)
    assert f"approvals,{count}" in exported.content.decode()


@pytest.mark.parametrize("url", [PAGE, CSV])
@pytest.mark.parametrize(
    "who", ["anonymous", "client", "practitioner", "other practitioner"], indirect=True
)
def test_only_staff_may_open_the_report(client, who, url):
    response = client.get(reverse(url))
    assert response.status_code == 403
    assert not StaffAction.objects.exists()


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_staff_without_a_verified_second_factor_are_sent_to_set_it_up(client, staff, url):
    client.force_login(staff)
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-setup"))
