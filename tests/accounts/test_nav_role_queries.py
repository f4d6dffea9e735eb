"""The menu shows each person's role without a query of its own: the signed-in user is
loaded with their practitioner profile (accounts.backends.UserBackend). Staff menus count the
credentials waiting, in one query; nobody else's menu counts anything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def practitioner_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "practitioners_practitioner"' in q["sql"]]


def test_a_clients_menu_looks_up_no_practitioner_profile(client, client_user):
    client.force_login(client_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert practitioner_reads(queries) == []
    assert "My practice" not in response.text


def test_a_practitioner_still_gets_the_practice_menu(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(reverse("home"))
    assert "My practice" in response.text


def certification_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "practitioners_certification"' in q["sql"]]


@pytest.fixture
def three_waiting(db):
    for _ in range(3):
        CertificationFactory(pending=True)
    CertificationFactory(verified=True)


# Every page's menu, per role: (queries in all for the home page, of which the staff count).
MENU_QUERIES = {
    "anonymous": (0, 0),
    "client": (2, 0),  # session, user
    "practitioner": (2, 0),  # session, user with their profile
    "staff": (4, 1),  # session, user, two-factor device, the count of waiting credentials
}


@pytest.mark.parametrize("who", list(MENU_QUERIES), indirect=True)
def test_only_staff_menus_count_and_with_one_query(client, who, three_waiting):
    total, counts = MENU_QUERIES["anonymous" if who is None else who.role]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(queries) == total
    assert len(certification_reads(queries)) == counts
    menu = response.text.split("</nav>")[0]
    if counts:
        assert (
            'Credentials queue <span class="badge text-bg-light">3'
            '<span class="visually-hidden"> waiting</span></span>' in menu
        )
        assert "Workspace" in menu and "Activity log" in menu
    else:
        assert "Credentials queue" not in menu and "Workspace" not in menu


def test_staff_who_have_not_passed_the_second_factor_see_no_count(client, staff, three_waiting):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 200
    assert certification_reads(queries) == []
    assert 'Credentials queue <span class="badge' not in response.text
