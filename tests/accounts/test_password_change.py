import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_password_change_keeps_the_person_logged_in(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "fresh-Arches-77",
            "new_password2": "fresh-Arches-77",
        },
        follow=True,
    )
    assert "Password changed" in response.text
    assert response.context["user"] == client_user
    client_user.refresh_from_db()
    assert client_user.check_password("fresh-Arches-77")


def test_wrong_old_password_is_refused(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "fresh-Arches-77",
            "new_password2": "fresh-Arches-77",
        },
    )
    assert "Your old password was entered incorrectly." in response.text
    client_user.refresh_from_db()
    assert client_user.check_password(PASSWORD)
