import pytest
from django.urls import reverse

from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


def nav(response) -> str:
    text = response.text
    return text[text.index("<nav") : text.index("</nav>")]


def test_anonymous_visitors_see_log_in_and_sign_up(client):
    menu = nav(client.get(reverse("home")))
    assert "Log in" in menu
    assert "Sign up" in menu
    assert "Log out" not in menu
    assert "Admin" not in menu


def test_clients_see_their_account_and_log_out(client, client_user):
    client.force_login(client_user)
    menu = nav(client.get(reverse("home")))
    assert "Account" in menu
    assert "Client" in menu
    assert "Log out" in menu
    assert "Log in" not in menu
    assert "My practice" not in menu
    assert "Admin" not in menu


def test_practitioners_see_their_practice(client, practitioner):
    client.force_login(practitioner.user)
    menu = nav(client.get(reverse("home")))
    assert "My practice" in menu
    assert "Practitioner" in menu
    assert "Admin" not in menu


def test_staff_see_the_admin(client, staff):
    log_in_verified(client, staff)
    menu = nav(client.get(reverse("home")))
    assert "Admin" in menu
    assert reverse("admin:index") in menu


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "login",
        "accounts:signup",
        "practitioners:signup",
        "password_reset",
        "practitioners:directory",
    ],
)
def test_public_pages_are_open_and_have_one_h1_and_their_own_title(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert 'href="#main"' in response.text  # skip link
    assert "not a substitute for medical care" in response.text


def test_every_public_page_has_a_distinct_title(client):
    names = [
        "home",
        "login",
        "accounts:signup",
        "practitioners:signup",
        "password_reset",
        "practitioners:directory",
    ]
    titles = [
        client.get(reverse(name)).text.split("<title>")[1].split("</title>")[0] for name in names
    ]
    assert len(set(titles)) == len(titles)
