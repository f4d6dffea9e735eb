"""Wall-clock times to instants: the one conversion of a local date and time in a zone to
UTC, and of a local day to the instant it begins, for every app (pure: no Django, so
sessions.slots may use it)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def local_instant(day: date, wall: time, tz: ZoneInfo) -> datetime | None:
    """The UTC instant of `wall` on `day` in `tz`: None if that wall time does not exist
    (skipped by a clock change, rather than quietly moved by an hour); the first occurrence
    if it happens twice (the hour the clocks go back)."""
    candidate = datetime.combine(day, wall, tzinfo=tz).replace(fold=0)
    as_utc = candidate.astimezone(UTC)
    # zoneinfo accepts skipped times and reads them with the offset from before the change;
    # the round trip gives a different wall-clock time exactly for those.
    if as_utc.astimezone(tz).replace(tzinfo=None) != candidate.replace(tzinfo=None):
        return None
    return as_utc


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant `day` begins in `zone`: its local midnight, or, in a zone whose clocks
    skip midnight (Santiago, Beirut), the first moment after the skip."""
    # fold=0 reads a skipped midnight with the offset from before the change, which lands
    # on the first wall-clock time that exists; an ambiguous midnight means its first pass.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
