"""The practitioner's sign-up page (practitioners.views.signup), at /accounts/signup/practitioner/."""

import pytest
from django.urls import reverse

from accounts.models import User
from practitioners.models import Practitioner

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


def test_practitioner_signup_creates_an_empty_unlisted_profile(client):
    response = client.post(
        reverse("practitioners:signup"), signup_data(full_name="Pia Feet"), follow=True
    )
    assert "Complete your profile" in response.text
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
