"""Password-reset email. The request queues only the user's id; the task worker makes the token
and the link and sends it, so no reset link or token is ever stored in the task queue. The link
starts with settings.SITE_URL (DJANGO_SITE_URL), never with the Host the request named, so a
forged Host header cannot make the email point at someone else's site."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from reflexbook.lib.mail import enqueue_on_commit, render_and_send

logger = logging.getLogger(__name__)


def reset_link(user: User, url_name: str = "password_reset_confirm") -> str:
    """A one-use link that lets `user` choose a new password, on the site's own address
    (`url_name`: a view taking Django's uidb64 and token, such as an invitation's)."""
    path = reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@task
def send_password_reset(*, user_id: int) -> None:
    """Send `user_id` a fresh reset link if the account is still active (an invited client
    without a password yet sets their first one with it); otherwise skip (logged)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning("Password reset email not sent: user %s cannot reset now.", user_id)
        return
    render_and_send(
        "password_reset",
        to=[user.email],
        context={"user": user, "email": user.email, "reset_url": reset_link(user)},
    )


def queue_password_reset(user: User) -> None:
    """Queue the reset email for `user` once the surrounding transaction commits."""
    enqueue_on_commit(send_password_reset, user_id=user.pk)
