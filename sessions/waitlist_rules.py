"""The waitlist's rules on plain values (issue 17): which start times suit an entry, how long
an offer lasts, and how an entry's days and parts of the day are written. No Django (the
words are translated through reflexbook.lib.translation, which loads Django's translation
functions only when called), so the edges (zones, the notice limit) test fast;
sessions.waitlist applies them.

An entry keeps its weekdays and parts of the day as bit masks: bit n is weekday n (Monday is
0) or part n of slots.DAY_PARTS (morning, afternoon, evening). The database holds "at least
one" as a check on the mask.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from reflexbook.lib.translation import gettext as _
from reflexbook.lib.translation import gettext_lazy, pgettext_lazy
from sessions.slots import DAY_PARTS, part_of_day

# With a context, so that their translations (capitalised, as the waitlist form's choices)
# do not replace Django's own day names in dates.
WEEKDAY_NAMES = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)
# "Mondays and Thursdays", "mornings and evenings" (describe_days, describe_parts).
WEEKDAY_PLURALS = (
    gettext_lazy("Mondays"),
    gettext_lazy("Tuesdays"),
    gettext_lazy("Wednesdays"),
    gettext_lazy("Thursdays"),
    gettext_lazy("Fridays"),
    gettext_lazy("Saturdays"),
    gettext_lazy("Sundays"),
)
PART_PLURALS = (gettext_lazy("mornings"), gettext_lazy("afternoons"), gettext_lazy("evenings"))
ALL_WEEKDAYS = (1 << len(WEEKDAY_NAMES)) - 1
ALL_PARTS = (1 << len(DAY_PARTS)) - 1


def mask(indexes: Iterable[int]) -> int:
    """The bit mask with each of `indexes` set."""
    value = 0
    for index in indexes:
        value |= 1 << int(index)
    return value


def indexes(value: int) -> list[int]:
    """The indexes set in the bit mask `value`, lowest first."""
    return [index for index in range(value.bit_length()) if value >> index & 1]


def suits(
    local_start: datetime, *, weekdays: int, parts: int, first_day: date, last_day: date
) -> bool:
    """Whether a start, as wall-clock time in the client's zone, falls on one of the entry's
    weekdays, in one of its parts of the day and inside its date range."""
    day = local_start.date()
    return (
        first_day <= day <= last_day
        and bool(weekdays >> day.weekday() & 1)
        and bool(parts >> part_of_day(local_start.hour) & 1)
    )


def uses_freed_time(
    starts_at: datetime, ends_at: datetime, freed_from: datetime, freed_until: datetime
) -> bool:
    """Whether a session from `starts_at` to `ends_at` takes some of the freed time: an
    offer is about the time that became free, not any free time of the calendar."""
    return starts_at < freed_until and freed_from < ends_at


def fits_in_freed_time(
    starts_at: datetime, blocks_until: datetime, freed_from: datetime, freed_until: datetime
) -> bool:
    """Whether a session and its buffer lie wholly in the freed time: the best offer, the
    very time given up, before one that only takes part of it."""
    return freed_from <= starts_at and blocks_until <= freed_until


def offer_expiry(
    *, now: datetime, starts_at: datetime, offer_minutes: int, notice_hours: int
) -> datetime | None:
    """When an offer made `now` for `starts_at` runs out: after the practitioner's offer
    time, but never past their minimum notice before the session (booking is closed then).
    None when there is no time left to claim it."""
    expires_at = min(
        now + timedelta(minutes=offer_minutes), starts_at - timedelta(hours=notice_hours)
    )
    return expires_at if expires_at > now else None


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def describe_days(weekdays: int) -> str:
    """ "Any day", "Weekdays", or "Mondays and Thursdays"."""
    if weekdays == ALL_WEEKDAYS:
        return _("Any day")
    if weekdays == mask(range(5)):
        return _("Weekdays")
    return _join([str(WEEKDAY_PLURALS[index]) for index in indexes(weekdays)])


def describe_parts(parts: int) -> str:
    """ "any time of day", or "mornings and evenings"."""
    if parts == ALL_PARTS:
        return _("any time of day")
    return _join([str(PART_PLURALS[index]) for index in indexes(parts)])
