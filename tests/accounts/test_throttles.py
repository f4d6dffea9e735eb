"""Limits on guessing and on mail: password resets per address and per network address,
failed log-ins per network address across accounts, wrong old passwords on the password
change page, and a password reset that lifts a lock-out."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import throttle
from accounts.models import RateLimitHit
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def ask_reset(client, email, ip="198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def fail_login(client, email, ip="198.51.100.7"):
    return client.post(
        reverse("login"), {"username": email, "password": "wrong-guess"}, REMOTE_ADDR=ip
    )


def test_password_reset_is_limited_per_address(client, mailoutbox):
    UserFactory(email="lou@example.com")
    for n in range(throttle.RESETS_PER_ADDRESS):
        assert ask_reset(client, "lou@example.com", ip=f"198.51.100.{n}").status_code == 302
    refused = ask_reset(client, "LOU@example.com", ip="203.0.113.50")
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.text
    assert len(mailoutbox) == throttle.RESETS_PER_ADDRESS


def test_the_address_limit_counts_unknown_addresses_too(client):
    # Otherwise the limit would tell who has an account.
    for _ in range(throttle.RESETS_PER_ADDRESS):
        ask_reset(client, "nobody@example.com")
    assert ask_reset(client, "nobody@example.com").status_code == 429


def test_password_reset_is_limited_per_network_address(client, mailoutbox):
    people = [UserFactory() for _ in range(throttle.RESETS_PER_IP + 1)]
    for person in people[:-1]:
        assert ask_reset(client, person.email).status_code == 302
    assert ask_reset(client, people[-1].email).status_code == 429
    assert ask_reset(client, people[-1].email, ip="203.0.113.50").status_code == 302


def test_failed_logins_from_one_network_address_across_accounts_pause_it(client, settings):
    # Spread over accounts, django-axes (per email and address) never locks anything.
    people = [UserFactory() for _ in range(throttle.LOGIN_FAILURES_PER_IP)]
    for person in people:
        assert fail_login(client, person.email).status_code == 200
    victim = UserFactory(email="lou@example.com")
    paused = client.post(
        reverse("login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert "Too many failed log-ins came from your network" in paused.text
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        reverse("login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.50",
    )
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_hits_store_no_address_in_the_clear(client):
    fail_login(client, "lou@example.com")
    ask_reset(client, "lou@example.com")
    keys = list(RateLimitHit.objects.values_list("key", flat=True))
    assert keys
    assert not any("198.51.100.7" in key or "lou@" in key for key in keys)


def test_wrong_old_passwords_count_toward_the_lockout(client, client_user):
    client.force_login(client_user)
    for _ in range(4):
        response = client.post(
            reverse("password_change"),
            {
                "old_password": "guess",
                "new_password1": "x-Arches-77",
                "new_password2": "x-Arches-77",
            },
        )
        assert "Your old password was entered incorrectly." in response.text
    locked = client.post(
        reverse("password_change"),
        {"old_password": "guess", "new_password1": "x-Arches-77", "new_password2": "x-Arches-77"},
    )
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text
    client.logout()
    # The lock-out is the log-in's: the right password is refused from this address too.
    assert (
        client.post(
            reverse("login"), {"username": client_user.email, "password": PASSWORD}
        ).status_code
        == 429
    )


def test_a_completed_password_reset_lifts_the_lockout(client, mailoutbox):
    user = UserFactory(email="lou@example.com")
    for _ in range(5):
        fail_login(client, user.email, ip="127.0.0.1")
    assert fail_login(client, user.email, ip="127.0.0.1").status_code == 429
    ask_reset(client, user.email, ip="127.0.0.1")
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-Arches-77", "new_password2": "fresh-Arches-77"},
    )
    response = client.post(
        reverse("login"), {"username": user.email, "password": "fresh-Arches-77"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_password_reset_confirms_the_address(client, mailoutbox):
    user = UserFactory(unverified=True)
    ask_reset(client, user.email)
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-Arches-77", "new_password2": "fresh-Arches-77"},
    )
    user.refresh_from_db()
    assert user.email_verified


def test_old_hits_are_pruned_by_the_scheduled_jobs(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    throttle.hit("reset-ip", "198.51.100.7")
    time_machine.shift(throttle.LONGEST_WINDOW * 2)
    throttle.hit("reset-ip", "198.51.100.7")
    call_command("run_due_jobs")
    assert RateLimitHit.objects.count() == 1
