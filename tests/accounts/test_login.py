import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "Please enter a correct email address and password."


def test_login_with_email_in_any_case(client):
    user = UserFactory(email="lou@example.com")
    response = client.post(
        reverse("login"), {"username": "LOU@example.com", "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == user


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    UserFactory(email="lou@example.com")
    wrong_password = client.post(
        reverse("login"), {"username": "lou@example.com", "password": "nope"}
    )
    unknown_email = client.post(
        reverse("login"), {"username": "who@example.com", "password": "nope"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert GENERIC_ERROR in wrong_password.text
    assert GENERIC_ERROR in unknown_email.text
    for response in (wrong_password, unknown_email):
        assert "no account" not in response.text.lower()
        assert "not registered" not in response.text.lower()


def test_five_failures_lock_the_account_from_that_address(client):
    UserFactory(email="lou@example.com")
    for _ in range(4):
        response = client.post(
            reverse("login"), {"username": "lou@example.com", "password": "nope"}
        )
        assert response.status_code == 200
    locked = client.post(reverse("login"), {"username": "lou@example.com", "password": "nope"})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text
    assert "Try again in 15 minutes" in locked.text
    # Even the right password is refused during the lock-out.
    right = client.post(reverse("login"), {"username": "lou@example.com", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address(client):
    UserFactory(email="lou@example.com")
    for _ in range(5):
        client.post(reverse("login"), {"username": "lou@example.com", "password": "nope"})
    response = client.post(
        reverse("login"),
        {"username": "lou@example.com", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        follow=True,
    )
    assert response.context["user"].email == "lou@example.com"


def test_unknown_emails_are_locked_out_too_so_lockout_reveals_nothing(client):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "ghost@example.com", "password": "x"})
    assert response.status_code == 429


def test_logout_needs_post(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_private_pages_send_anonymous_visitors_to_login(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('accounts:account')}"


def test_an_email_longer_than_any_account_holds_is_a_clear_form_error(client):
    # On PostgreSQL this used to reach django-axes' 255-character column and fail with a 500.
    response = client.post(
        reverse("login"), {"username": "a" * 300 + "@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert "An email address has at most 254 characters: check the one you typed." in (
        response.text
    )
    assert GENERIC_ERROR not in response.text
