import pytest
from django.urls import reverse

from accounts.models import User
from practitioners.models import Practitioner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    return {
        "full_name": "Nora New",
        "email": "Nora@Example.com",
        "password1": "lavender-Footbath-42",
        "password2": "lavender-Footbath-42",
        "timezone": "Europe/London",
    } | overrides


def test_client_signup_creates_a_logged_in_client(client):
    response = client.post(reverse("accounts:signup"), signup_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your client account is ready." in response.text
    user = User.objects.get()
    assert user.email == "nora@example.com"
    assert user.timezone == "Europe/London"
    assert user.role == User.Role.CLIENT
    assert response.context["user"] == user
    assert not Practitioner.objects.exists()


def test_duplicate_email_is_refused_whatever_its_case(client):
    UserFactory(email="nora@example.com")
    response = client.post(reverse("accounts:signup"), signup_data(email="NORA@example.COM"))
    assert response.status_code == 200
    assert "An account with this email address already exists." in response.text
    assert User.objects.count() == 1


def test_database_refuses_a_second_account_for_the_same_email_in_other_case():
    from django.db import IntegrityError, transaction

    UserFactory(email="nora@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Nora@Example.com", full_name="Copy")])


def test_mismatched_passwords_keep_what_was_typed(client):
    response = client.post(reverse("accounts:signup"), signup_data(password2="something-else-1"))
    assert response.status_code == 200
    assert "The two passwords do not match." in response.text
    assert 'value="Nora New"' in response.text
    assert 'value="Nora@Example.com"' in response.text
    assert not User.objects.exists()


def test_weak_password_is_refused_with_the_reason(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(password1="12345678", password2="12345678")
    )
    assert "This password is entirely numeric." in response.text
    assert not User.objects.exists()


def test_unknown_time_zone_is_refused(client):
    response = client.post(reverse("accounts:signup"), signup_data(timezone="Mars/Olympus"))
    assert "Select a valid choice." in response.text
    assert not User.objects.exists()


def test_logged_in_people_are_sent_home_from_signup(client, client_user):
    client.force_login(client_user)
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_signup_from_a_booking_link_comes_back_to_the_booking(client):
    login_page = client.get(reverse("login"), {"next": "/book/maya-okafor/"})
    assert 'href="/accounts/signup/?next=%2Fbook%2Fmaya-okafor%2F"' in login_page.text
    response = client.post(f"{reverse('accounts:signup')}?next=/book/maya-okafor/", signup_data())
    assert response.status_code == 302
    assert response.url == "/book/maya-okafor/"


def test_signup_ignores_a_next_page_on_another_site(client):
    response = client.post(
        f"{reverse('accounts:signup')}?next=https://evil.example/", signup_data()
    )
    assert response.url == reverse("home")
