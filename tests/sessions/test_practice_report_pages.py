"""The practice report's page and CSV: who may open them, the range form, the chart's text
alternative, the CSV against the page, and a fixed number of queries."""

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse

from tests.sessions.report_helpers import known_may, many_sessions, new_york_practitioner
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db
PAGE, CSV = "sessions:practice-report", "sessions:practice-report-csv"


@pytest.fixture
def maya(db):
    return new_york_practitioner()


@pytest.fixture
def may(maya):
    return known_may(maya)


@pytest.fixture
def maya_client(client, may):
    may.user.timezone = "America/New_York"
    may.user.save()
    log_in_as(client, may.user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("staff", 403), ("practitioner", 200)],
    indirect=["who"],
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_the_report_is_for_practitioners_only(client, who, status, url):
    assert client.get(reverse(url)).status_code == status


def test_a_practitioner_sees_only_their_own_numbers(client, may, other_practitioner):
    log_in_as(client, other_practitioner.user)
    page = client.get(reverse(PAGE), {"month": "2026-05"}).text
    assert re.search(r"All sessions</th><td[^>]*>0<", page)
    assert "$110.00" not in page


def test_the_page_shows_this_month_by_default(maya_client):
    with time_machine.travel("2026-05-20 15:00Z", tick=False):
        page = maya_client.get(reverse(PAGE)).text
    assert page.count("<h1") == 1
    assert "1 May 2026 to 31 May 2026" in page
    assert re.search(r"All sessions</th><td[^>]*>10<", page)
    assert re.search(r"No-show rate</th><td[^>]*>12.5%<", page)
    assert re.search(r"Income received, net of refunds</th><td[^>]*>\$110.00<", page)
    assert re.search(r"Outstanding on these invoices</th><td[^>]*>\$50.00<", page)
    assert "?start=2026-05-01&amp;end=2026-05-31" in page
    assert "?month=2026-04" in page and "?month=2026-06" in page


def test_the_chart_is_an_accessible_svg_with_a_table(maya_client):
    page = maya_client.get(reverse(PAGE), {"month": "2026-05"}).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">' in svg
    assert "A bar chart with 31 bars. The highest is 4 May, $80.00." in svg
    assert svg.count("<rect") == 31
    assert "The chart as a table" in page
    assert re.search(r"20 May</th><td[^>]*>-\$10.00<", page)


def test_a_range_of_months_has_a_bar_a_week(maya_client):
    page = maya_client.get(reverse(PAGE), {"start": "2026-05-01", "end": "2026-06-30"}).text
    assert "Income received each week, in USD" in page
    assert "week of 4 May" in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"month": "May"}, "Enter the month as YYYY-MM, e.g. 2026-05."),
        ({"start": "2026-02-31"}, "Enter the date as YYYY-MM-DD, e.g. 2026-05-01."),
        (
            {"start": "2026-05-10", "end": "2026-05-01"},
            "The end date (2026-05-01) is before the start date (2026-05-10)",
        ),
        ({"month": "9999-12"}, "Choose days from 2000 to 2099."),
        ({"start": "0001-01-01", "end": "0001-01-31"}, "Choose days from 2000 to 2099."),
        (
            {"start": "2025-01-01", "end": "2026-05-01"},
            "The report covers at most a year (366 days): choose an end before 2026-01-02.",
        ),
    ],
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_a_bad_range_is_a_clear_error(maya_client, url, query, error):
    response = maya_client.get(reverse(url), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert error in response.text
    assert "All sessions" not in response.text


def test_the_csv_opens_with_the_csv_module_and_matches_the_page(maya_client):
    query = {"start": "2026-05-01", "end": "2026-05-31"}
    response = maya_client.get(reverse(CSV), query)
    assert response["Content-Disposition"] == (
        'attachment; filename="practice-report-2026-05-01-to-2026-05-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Measure", "Value"]
    values = dict(rows[1:])
    page = maya_client.get(reverse(PAGE), query).text

    def cell(label: str) -> str:
        return re.search(rf">{re.escape(label)}</th><td[^>]*>([^<]*)<", page).group(1)

    assert cell("All sessions") == values["Sessions"]
    assert cell("Late-cancellation rate") == values["Late-cancellation rate"]
    assert cell("Booked hours") == values["Booked hours"]
    assert cell("Working hours (less time off)") == values["Working hours"]
    assert cell("Utilisation") == values["Utilisation"]
    assert cell("Returning") == values["Returning clients"]
    for label, key in [
        ("Invoiced, after discounts", "Invoiced after discounts (USD)"),
        ("Outstanding on these invoices", "Outstanding on these invoices (USD)"),
        ("Income received, net of refunds", "Received, net of refunds (USD)"),
        ("Package credit", "Net received by Package credit (USD)"),
    ]:
        assert cell(label) == f"${values[key]}"


# the request's three (session, user with their profile, money settings), then the
# report's eight queries
PAGE_QUERIES = 11


@pytest.mark.parametrize(
    ("query", "count"),
    [({"month": "2026-01"}, 10), ({"start": "2026-01-01", "end": "2026-12-31"}, 1000)],
)
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_the_page_and_csv_take_fixed_queries(
    client, maya, django_assert_num_queries, url, query, count
):
    many_sessions(maya, count)
    log_in_as(client, maya.user)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse(url), query)
    assert response.status_code == 200
