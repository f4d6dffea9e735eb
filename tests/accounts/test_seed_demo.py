import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from practitioners.models import Practitioner

pytestmark = pytest.mark.django_db


def run_seed(capsys) -> list[list[str]]:
    call_command("seed_demo")
    return [line.split() for line in capsys.readouterr().out.splitlines()]


def test_seed_demo_prints_working_logins_for_every_role(capsys):
    logins = run_seed(capsys)
    assert {role for role, _, _ in logins} == {"staff", "practitioner", "client"}
    for role, email, password in logins:
        browser = Client()
        response = browser.post(reverse("login"), {"username": email, "password": password})
        assert response.status_code == 302, email
        assert User.objects.get(email=email).role == role


def test_seed_demo_twice_changes_nothing(capsys):
    first = run_seed(capsys)
    snapshot = list(User.objects.values_list("email", "password", "full_name", "timezone"))
    practitioners = list(Practitioner.objects.values_list("slug", "city", "updated_at"))
    second = run_seed(capsys)
    assert first == second
    assert list(User.objects.values_list("email", "password", "full_name", "timezone")) == snapshot
    assert list(Practitioner.objects.values_list("slug", "city", "updated_at")) == practitioners


def test_seed_demo_lists_a_practitioner_in_the_directory(client, capsys):
    run_seed(capsys)
    assert "Maya Okafor" in client.get("/practitioners/").text
