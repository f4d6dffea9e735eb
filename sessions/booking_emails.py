"""The emails about one booking event (booked, confirmed, cancelled, moved, a reminder...):
sessions.booking.notify queues one task row per event holding ids only (the booking, the
event, the recipients, and references for any extra context, reflexbook.lib.mail.reference);
the worker renders each recipient's email, in their own zone and with the booking's calendar
file as it is then, and sends it. The request renders nothing."""

import logging
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from accounts.models import User
from reflexbook.lib.mail import Gone, render_and_send, resolve
from sessions import ics
from sessions.models import Booking

logger = logging.getLogger(__name__)


@task
def send_booking_emails(
    *, booking_id: int, event: str, recipient_ids: list[int], context: dict
) -> None:
    """Email each of `recipient_ids` the `booking_<event>` email about `booking_id`, with
    `context` (references) re-loaded. A booking, recipient or row gone meanwhile is skipped
    (logged), never sent half-empty."""
    booking = (
        Booking._base_manager.select_related("client", "practitioner__user", "service")
        .filter(pk=booking_id)
        .first()
    )
    try:
        if booking is None:
            raise Gone(f"booking {booking_id}")
        extra = {key: resolve(ref) for key, ref in context.items()}
    except Gone as gone:
        logger.warning("Email %r not sent: %s no longer exists.", f"booking_{event}", gone)
        return
    recipients = User._base_manager.in_bulk(recipient_ids)
    for recipient_id in recipient_ids:
        recipient = recipients.get(recipient_id)
        if recipient is None:
            logger.warning(
                "Email %r not sent: recipient user %s no longer exists.",
                f"booking_{event}",
                recipient_id,
            )
            continue
        for_practitioner = recipient.pk == booking.practitioner.user_id
        with timezone.override(ZoneInfo(recipient.timezone)):
            render_and_send(
                f"booking_{event}",
                to=[recipient.email],
                context={
                    "booking": booking,
                    "recipient": recipient,
                    "for_practitioner": for_practitioner,
                    "site_url": settings.SITE_URL,
                    **extra,
                },
                # Built in the recipient's language (reflexbook.lib.mail.render_and_send).
                calendar=partial(ics.booking_calendar, booking, for_practitioner=for_practitioner),
                ics_method="REQUEST" if booking.is_active else "CANCEL",
            )
