"""The email inviting a client the practitioner booked for (sessions.booking.book_for_client)
to set a password and fill in their health form. The queue holds the ids only; the worker
makes the link (a Django password-reset token, accounts.password_reset.reset_link), so no
link is stored in the task queue."""

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from accounts.password_reset import reset_link
from reflexbook.lib.mail import enqueue_on_commit, render_and_send
from sessions.models import Booking

logger = logging.getLogger(__name__)


@task
def send_client_invitation(*, user_id: int, booking_id: int) -> None:
    """Email `user_id` their invitation for `booking_id`, unless they have set a password
    since (the link would not work: they log in instead) or either row is gone (logged)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    booking = Booking.objects.select_related("practitioner").filter(pk=booking_id).first()
    if user is None or booking is None or user.has_usable_password():
        logger.warning("Invitation not sent to user %s: nothing to invite them to.", user_id)
        return
    with timezone.override(ZoneInfo(user.timezone)):
        render_and_send(
            "client_invited",
            to=[user.email],
            context={
                "user": user,
                "booking": booking,
                "link": reset_link(user, "sessions:invite-accept"),
                "site_url": settings.SITE_URL,
            },
        )


def send_invitation(client: User, booking: Booking) -> None:
    """Queue the invitation for `client` once the booking's transaction commits."""
    enqueue_on_commit(send_client_invitation, user_id=client.pk, booking_id=booking.pk)
