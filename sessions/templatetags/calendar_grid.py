"""Template access for the calendar grid (templates/sessions/calendar/): a cell's start as
the booking pages' ?start= stamp (sessions.forms.booking.format_start)."""

from datetime import datetime

from django import template

from sessions.forms.booking import format_start

register = template.Library()


@register.filter
def start_stamp(instant: datetime) -> str:
    """The UTC instant as YYYYMMDDTHHMMZ, as the booking pages read ?start=."""
    return format_start(instant)
