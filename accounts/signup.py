"""Sign-up that does not tell strangers which addresses have accounts.

Both outcomes look the same to the person signing up ("check your email"); the difference
goes only to the mailbox: a new account gets a verification link, the owner of an existing
account gets a note saying someone tried to sign up with their address.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import throttle
from accounts.models import User
from accounts.verification import send_verification
from reflexbook.lib.mail import send_templated


def sign_up(*, email: str, create: Callable[[], User], next_url: str = "") -> User | None:
    """Create the account with `create()` and email it a verification link (leading back to
    `next_url` once verified); return it. If `email` already has an account (found first, or
    found by the unique constraint when sign-ups race), create nothing, email the owner
    instead and return None."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            # Its own transaction, so losing the race to a simultaneous sign-up with the same
            # address is a caught IntegrityError, not a broken outer transaction.
            with transaction.atomic():
                user = create()
        except IntegrityError:
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise  # some other constraint: not ours to hide
        else:
            send_verification(user, next_url)
            return user
    # The same work as creating an account (hashing a password), so how long the answer
    # takes does not tell a stranger that the address has one.
    make_password(secrets.token_urlsafe())
    _tell_owner(existing)
    return None


def _tell_owner(user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it (a few times an
    hour at most, so the form cannot be used to flood their inbox)."""
    if not throttle.allow(
        throttle.SIGNUP_EXISTING,
        user.email,
        limit=throttle.SIGNUP_EXISTING_PER_ADDRESS,
        window=throttle.EMAIL_WINDOW,
    ):
        return
    send_templated(
        "signup_existing",
        to=[user.email],
        context={
            "user": user,
            "login_url": settings.SITE_URL + reverse("login"),
            "reset_url": settings.SITE_URL + reverse("password_reset"),
        },
    )
