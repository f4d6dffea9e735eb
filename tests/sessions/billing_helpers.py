"""Sessions with money on them: a past booking completed through the write path."""

import datetime as dt

from django.utils import timezone

from sessions.booking import finish_booking
from sessions.models import Booking, Invoice
from tests.factories import BookingFactory


def past_booking(*, days_ago: int = 2, hour: int = 10, **fields) -> Booking:
    """A confirmed 60-minute booking that started `days_ago` days ago at `hour` UTC."""
    starts_at = (timezone.now() - dt.timedelta(days=days_ago)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return BookingFactory(starts_at=starts_at, **fields)


def completed_invoice(**fields) -> Invoice:
    """A past session marked completed through finish_booking, and the invoice that made."""
    booking = past_booking(**fields)
    finish_booking(booking=booking, status=Booking.Status.COMPLETED)
    return Invoice.objects.get(booking=booking)
