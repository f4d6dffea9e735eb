"""The IANA time zones people can choose, and a validator for stored zone names."""

from functools import cache, lru_cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

# The geographic areas of the IANA database; leaves out legacy aliases such as US/Eastern and
# the confusingly signed Etc/GMT+5 (which is UTC-5).
AREAS = {
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
}


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """All IANA zones as (value, label) pairs, sorted, with underscores shown as spaces."""
    zones = sorted(
        zone for zone in available_timezones() if zone.split("/")[0] in AREAS or zone == "UTC"
    )
    return [(zone, zone.replace("_", " ")) for zone in zones]


@lru_cache(maxsize=64)
def timezone_options(selected: str) -> SafeString:
    """The <option>s of timezone_choices for a select, `selected` marked: built once per
    selected zone, as some 420 options through the template language cost more than the
    rest of a booking page (issue 13)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == selected else "", label)
            for value, label in timezone_choices()
        ),
    )


def zone_place(zone: str) -> str:
    """The place a zone is named after, as people say "New York time": the last part of the
    IANA name with underscores as spaces ("America/New_York" → "New York"), which never
    has to break mid-word on a narrow card."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def validate_timezone(value: str) -> None:
    """Refuse anything that is not an IANA zone name."""
    if value not in available_timezones():
        raise ValidationError(
            gettext_lazy("%(value)s is not a time zone we know. Choose one such as Europe/London."),
            code="unknown_timezone",
            params={"value": value},
        )


# The zone a visitor without an account chose or their browser reported (sessions' booking
# pages); sign-up starts from it.
VISITOR_ZONE_SESSION_KEY = "visitor_timezone"


def is_choosable(value: str) -> bool:
    """Whether `value` is one of timezone_choices (for zones sent in a request)."""
    return value in _choosable()


@cache
def _choosable() -> frozenset[str]:
    return frozenset(value for value, _ in timezone_choices())
