"""Template filters of the printable data export: its times are ISO text (the JSON's), shown
in the active time zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def iso_time(value: str | None, format_string: str | None = None) -> str:
    """An ISO 8601 time from the export, in the active zone ("" for none), in the active
    language's words."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, format_string or _("j F Y, H:i"))
