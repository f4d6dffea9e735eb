"""Template filters of the printable data export: its times are ISO text (the JSON's), shown
in the active time zone."""

from datetime import datetime

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def iso_time(value: str | None, format_string: str = "j F Y, H:i") -> str:
    """An ISO 8601 time from the export, in the active zone ("" for none)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, format_string)
