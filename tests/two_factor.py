"""Logging a test client in with a verified second factor, as staff must be for any page."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import TOTPDeviceFactory


def log_in_verified(client: Client, user: User) -> TOTPDevice:
    """`client.force_login(user)`, then mark the session verified by the person's
    authenticator app (one is made if they have none), as django_otp.login() does after
    a right code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def log_in_as(client: Client, user: User) -> None:
    """Log `user` in as the site would leave them after signing in: staff with a verified
    second factor (they reach no page without one), anyone else with the password alone."""
    if user.is_staff:
        log_in_verified(client, user)
    else:
        client.force_login(user)
