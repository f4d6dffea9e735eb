import re

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


def link_in(message) -> str:
    """The verification link in an email body, as a path the test client can open."""
    match = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_client_signup_creates_an_unverified_client_and_asks_to_check_email(client, mailoutbox):
    response = client.post(reverse("accounts:signup"), signup_data(), follow=True)
    assert response.redirect_chain == [(reverse("accounts:check-email"), 302)]
    assert "Check your email" in response.text
    assert "nora@example.com" in response.text
    user = User.objects.get()
    assert user.email == "nora@example.com"
    assert user.timezone == "Europe/London"
    assert user.role == User.Role.CLIENT
    assert not user.email_verified
    assert not response.context["user"].is_authenticated
    assert not Practitioner.objects.exists()
    [message] = mailoutbox
    assert message.to == ["nora@example.com"]
    assert message.subject == "Confirm your email address for reflexbook"


def test_signup_answers_alike_for_an_existing_address_and_emails_its_owner(client, mailoutbox):
    UserFactory(email="nora@example.com", full_name="Nora Owner")
    fresh = client.post(reverse("accounts:signup"), signup_data(email="fresh@example.com"))
    taken = client.post(reverse("accounts:signup"), signup_data(email="NORA@example.COM"))
    assert fresh.status_code == taken.status_code == 302
    assert fresh.url == taken.url == reverse("accounts:check-email")
    page = client.get(taken.url)
    assert "already exists" not in page.text
    assert User.objects.count() == 2
    assert User.objects.get(email="nora@example.com").full_name == "Nora Owner"
    verify_mail, owner_mail = mailoutbox
    assert verify_mail.to == ["fresh@example.com"]
    assert owner_mail.to == ["nora@example.com"]
    assert owner_mail.subject == "Someone tried to sign up with your email address"
    assert "http://127.0.0.1:8000/accounts/login/" in owner_mail.body
    assert "http://127.0.0.1:8000/accounts/password_reset/" in owner_mail.body


def test_the_owner_is_emailed_a_few_times_an_hour_at_most(client, mailoutbox):
    UserFactory(email="nora@example.com")
    for _ in range(5):
        client.post(reverse("accounts:signup"), signup_data())
    assert len(mailoutbox) == 3


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


def test_signup_from_a_booking_link_comes_back_to_the_booking_once_verified(client, mailoutbox):
    login_page = client.get(reverse("login"), {"next": "/book/maya-okafor/"})
    assert 'href="/accounts/signup/?next=%2Fbook%2Fmaya-okafor%2F"' in login_page.text
    client.post(f"{reverse('accounts:signup')}?next=/book/maya-okafor/", signup_data())
    opened = client.get(link_in(mailoutbox[0]))
    assert opened.status_code == 302
    assert opened.url == f"{reverse('login')}?next=/book/maya-okafor/"
    logged_in = client.post(
        opened.url, {"username": "nora@example.com", "password": "lavender-Footbath-42"}
    )
    assert logged_in.url == "/book/maya-okafor/"


def test_signup_ignores_a_next_page_on_another_site(client, mailoutbox):
    client.post(f"{reverse('accounts:signup')}?next=https://evil.example/", signup_data())
    opened = client.get(link_in(mailoutbox[0]))
    assert opened.url == f"{reverse('login')}?next=/"


def test_an_email_longer_than_the_database_holds_is_a_form_error(client):
    email = "n" * 250 + "@example.com"
    response = client.post(reverse("accounts:signup"), signup_data(email=email))
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters" in response.text
    assert not User.objects.exists()


def test_signup_hashes_a_password_for_an_existing_address_too(client, monkeypatch):
    """Hashing is the slow part of creating an account: the existing-address answer does the
    same work, so its timing does not give the address away."""
    from accounts import signup

    hashed = []
    real = signup.make_password
    monkeypatch.setattr(signup, "make_password", lambda *a, **k: hashed.append(1) or real(*a, **k))
    UserFactory(email="taken@example.com")

    client.post(reverse("accounts:signup"), signup_data(email="taken@example.com"))

    assert hashed == [1]
