"""The menu shows each person's role without a query of its own: the signed-in user is
loaded with their practitioner profile (accounts.backends.UserBackend)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
