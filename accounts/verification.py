"""Email verification: a signed, expiring link proves a person receives mail at their address.

The link carries the user's id, the address it was sent to (so changing the address voids
it) and the page to return to after logging in. It is signed with the secret key and expires
after VERIFY_LINK_DAYS; nothing is stored.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reflexbook.lib.mail import enqueue_on_commit, render_and_send

logger = logging.getLogger(__name__)

VERIFY_LINK_DAYS = 3
_SALT = "accounts.verification"


class BadLink(Exception):
    """The link is forged, expired, or was sent to an address the account no longer has."""


def verification_link(user: User, next_url: str = "") -> str:
    """An absolute link (from DJANGO_SITE_URL) that verifies `user`'s current address."""
    token = signing.dumps({"u": user.pk, "e": user.email, "n": next_url}, salt=_SALT)
    return settings.SITE_URL + reverse("accounts:verify-email", args=[token])


@task
def send_verification_email(*, user_id: int, next_url: str = "") -> None:
    """Email `user_id` a fresh verification link, made here in the worker so no link is ever
    stored in the task queue; skip (logged) an account that is gone or deactivated."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning("Verification email not sent: user %s is gone or inactive.", user_id)
        return
    render_and_send(
        "verify_email",
        to=[user.email],
        context={
            "user": user,
            "link": verification_link(user, next_url),
            "days": VERIFY_LINK_DAYS,
        },
    )


def send_verification(user: User, next_url: str = "") -> None:
    """Queue a verification email for `user` once the surrounding transaction commits: the
    queue holds the user's id and the page to return to, never the link."""
    enqueue_on_commit(send_verification_email, user_id=user.pk, next_url=next_url)


def verify(token: str) -> tuple[User, str]:
    """Mark the account the link names as verified (once; a second use changes nothing) and
    return it with the page to go to next. Raise BadLink for anything else."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=timedelta(days=VERIFY_LINK_DAYS))
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature too
        raise BadLink from error
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise BadLink
    if not user.email_verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user, data.get("n") or ""
