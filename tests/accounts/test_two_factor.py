import pyotp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.reauth import mark_reauthenticated
from tests.factories import TOTP_SECRET, RecoveryCodesFactory, TOTPDeviceFactory
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

QUEUE = "practitioners:queue"


def test_staff_without_an_app_are_sent_to_set_one_up_from_staff_pages_and_admin(client, staff):
    client.force_login(staff)
    for url in (reverse(QUEUE), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:two-factor-setup"))


def test_staff_with_an_app_are_sent_to_verify(client, staff):
    TOTPDeviceFactory(user=staff)
    client.force_login(staff)
    response = client.get(reverse(QUEUE))
    assert response.url.startswith(reverse("accounts:two-factor-verify"))


def test_a_verified_staff_session_reaches_the_queue_and_admin(staff_client):
    assert staff_client.get(reverse(QUEUE)).status_code == 200
    assert staff_client.get(reverse("admin:index")).status_code in (200, 302)


def test_clients_without_an_app_are_not_asked(client, client_user):
    client.force_login(client_user)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_client_with_an_app_must_verify(client, client_user):
    TOTPDeviceFactory(user=client_user)
    client.force_login(client_user)
    assert client.get(reverse("accounts:account")).url.startswith(
        reverse("accounts:two-factor-verify")
    )


def test_setup_shows_the_secret_as_text_and_a_qr_svg_then_turns_on(client, staff):
    client.force_login(staff)
    page = client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert page.context["secret"] in page.text
    qr = client.get(reverse("accounts:two-factor-qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000"})
    assert "That code is not right" in wrong.text
    device.throttle_reset()
    done = client.post(reverse("accounts:two-factor-setup"), {"code": pyotp.TOTP(secret).now()})
    assert len(done.context["codes"]) == 10
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert client.get(reverse(QUEUE)).status_code == 200
    # The confirmed secret is never served again.
    assert client.get(reverse("accounts:two-factor-qr")).status_code == 404


def test_a_recovery_code_works_once(client, client_user):
    TOTPDeviceFactory(user=client_user)
    RecoveryCodesFactory(user=client_user, codes=["abcdefgh"])
    client.force_login(client_user)
    ok = client.post(reverse("accounts:two-factor-verify"), {"code": "ABCD EFGH"})
    assert ok.status_code == 302
    client.logout()
    client.force_login(client_user)
    again = client.post(reverse("accounts:two-factor-verify"), {"code": "abcdefgh"})
    assert again.status_code == 200
    assert "already used" in again.text


def test_wrong_codes_are_throttled_with_a_clear_error(client, client_user):
    TOTPDeviceFactory(user=client_user)
    client.force_login(client_user)
    first = client.post(reverse("accounts:two-factor-verify"), {"code": "123456"})
    assert "That code is not right" in first.text
    right = pyotp.TOTP(TOTP_SECRET).now()
    second = client.post(reverse("accounts:two-factor-verify"), {"code": right})
    assert second.status_code == 200
    assert "Too many wrong codes" in second.text


def test_turning_off_asks_for_the_password_first(client, client_user):
    log_in_verified(client, client_user)
    url = reverse("accounts:two-factor-turn-off")
    assert client.post(url).url.startswith(reverse("accounts:reauthenticate"))
    assert TOTPDevice.objects.filter(user=client_user).exists()
    session = client.session
    request = type("R", (), {"session": session})()
    mark_reauthenticated(request)
    session.save()
    assert client.post(url).url == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=client_user).exists()


def test_an_overlong_address_still_leads_staff_to_two_factor_without_coming_back(client, staff):
    client.force_login(staff)
    response = client.get(reverse("practitioners:queue"), {"q": "x" * 20_000})
    assert response.status_code == 302
    assert response.url == reverse("accounts:two-factor-setup")
