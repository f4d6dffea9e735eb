"""Where people land after logging in with no page to return to (accounts.auth.landing_page):
staff on their workspace, through the second factor; clients and practitioners on the home
page as before; anyone with a `next` page goes there."""

import pyotp
import pytest
from django.urls import reverse

from tests.factories import PASSWORD, TOTP_SECRET, TOTPDeviceFactory

pytestmark = pytest.mark.django_db
WORKSPACE = reverse("staff-home")


def log_in(client, user, next_page: str = ""):
    url = reverse("login") + (f"?next={next_page}" if next_page else "")
    return client.post(url, {"username": user.email, "password": PASSWORD})


def test_staff_land_on_the_workspace_after_the_second_factor(client, staff):
    TOTPDeviceFactory(user=staff)

    response = log_in(client, staff)
    assert response.url == WORKSPACE
    # The workspace asks for the second factor first, then comes back.
    verify = client.get(response.url).url
    assert verify == f"{reverse('accounts:two-factor-verify')}?next=%2Fpractitioners%2Fstaff%2F"
    response = client.post(verify, {"code": pyotp.TOTP(TOTP_SECRET).now(), "next": WORKSPACE})
    assert response.url == WORKSPACE
    page = client.get(WORKSPACE)
    assert page.status_code == 200
    assert "<h1>Staff workspace</h1>" in page.text


def test_staff_who_open_the_second_factor_page_directly_also_land_on_the_workspace(client, staff):
    TOTPDeviceFactory(user=staff)
    log_in(client, staff)
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": pyotp.TOTP(TOTP_SECRET).now()}
    )
    assert response.url == WORKSPACE


def test_staff_with_a_page_to_return_to_go_there(client, staff):
    queue = reverse("practitioners:queue")
    assert log_in(client, staff, next_page=queue).url == queue


@pytest.mark.parametrize("person", ["client_user", "practitioner"])
def test_clients_and_practitioners_still_land_on_the_home_page(client, request, person):
    user = request.getfixturevalue(person)
    user = getattr(user, "user", user)
    assert log_in(client, user).url == reverse("home")


def test_a_client_with_two_factor_on_lands_on_the_home_page_after_the_code(client, client_user):
    TOTPDeviceFactory(user=client_user)
    log_in(client, client_user)
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": pyotp.TOTP(TOTP_SECRET).now()}
    )
    assert response.url == reverse("home")
