"""The practitioner's sign-up page (practitioners.views.signup), at /accounts/signup/practitioner/."""

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


def test_the_sign_up_page_keeps_its_address():
    assert reverse("practitioners:signup") == "/accounts/signup/practitioner/"


def test_practitioner_signup_creates_an_empty_unlisted_profile(client, mailoutbox):
    response = client.post(
        reverse("practitioners:signup"), signup_data(full_name="Pia Feet"), follow=True
    )
    assert "Check your email" in response.text
    assert [m.to for m in mailoutbox] == [["nora@example.com"]]
    practitioner = Practitioner.objects.select_related("user").get()
    assert practitioner.user.email == "nora@example.com"
    assert practitioner.display_name == "Pia Feet"
    assert practitioner.slug == "pia-feet"
    assert not Practitioner.objects.listed().exists()
    assert practitioner.user.role == User.Role.PRACTITIONER


def test_practitioner_slugs_stay_unique(client):
    client.post(reverse("practitioners:signup"), signup_data(full_name="Ann Lee"))
    client.post(reverse("logout"))
    client.post(
        reverse("practitioners:signup"),
        signup_data(full_name="Ann Lee", email="other@example.com"),
    )
    assert sorted(Practitioner.objects.values_list("slug", flat=True)) == ["ann-lee", "ann-lee-2"]


def test_practitioner_signup_with_an_existing_address_answers_alike(client, mailoutbox):
    UserFactory(email="nora@example.com")
    response = client.post(reverse("practitioners:signup"), signup_data())
    assert response.url == reverse("accounts:check-email")
    assert not Practitioner.objects.exists()
    [message] = mailoutbox
    assert message.subject == "Someone tried to sign up with your email address"


def test_verified_practitioner_lands_on_the_dashboard_checklist(client, mailoutbox):
    client.post(reverse("practitioners:signup"), signup_data())
    path = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", mailoutbox[0].body).group(1)
    opened = client.get(path)
    assert opened.url == f"{reverse('login')}?next={reverse('practitioners:dashboard')}"
