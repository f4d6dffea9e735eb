"""One client's sessions with a practitioner, read for the practitioner: the bookings with
their records and points, the per-point tenderness history, whether the client's health
data is still open to the reader, and the "start from last session's points" link.

The client history page (sessions.views.record_pages) and the client page
(sessions.views.clients) both read through here, so the two always agree.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.urls import reverse

from sessions.models import Booking, BookingQuerySet, BookingSeries, PointWorked
from sessions.reflex_map import area_name, place_name

ARROW = " → "
# The catalogue's reading order (feet, hands, ears), right side first as on the map.
MAP_RANK = {"foot": 0, "hand": 1, "ear": 2}
SIDE_RANK = {"R": 0, "L": 1}


def health_open(viewer, bookings: BookingQuerySet, now: datetime) -> bool:
    """Whether `viewer` may read the health data (intake, records, history) of the client
    whose bookings with one practitioner are `bookings`: staff always; the practitioner
    while some booking with the client opens the intake (BookingQuerySet.open_to_intake),
    so a client is a stranger again after cancellations and the retention period."""
    return viewer.is_staff or bookings.open_to_intake(now).exists()


def history_bookings(bookings: BookingQuerySet, *, now: datetime, writer: bool) -> list[Booking]:
    """`bookings` newest first, each with its service, `session_record` (or None) and its
    worked points loaded, and `can_write` (whether `writer`, the booking's practitioner, may
    write its record now). Three queries, whatever their number."""
    loaded = list(
        bookings.select_related("service", "record")
        .prefetch_related(
            Prefetch("record__points", queryset=PointWorked.objects.select_related("point"))
        )
        .order_by("-starts_at")
    )
    for item in loaded:
        item.session_record = getattr(item, "record", None)
        item.can_write = writer and item.can_have_record(now)
    return loaded


@dataclass
class SeriesRow:
    """A series the client's listed bookings belong to, for the client page's links."""

    series: BookingSeries
    service_name: str
    first_starts: datetime
    booked: int


def series_of(bookings: list[Booking]) -> list[SeriesRow]:
    """The series among `bookings` (from history_bookings, with `series` selected), each
    once, the latest first, with its first listed date and how many of its bookings are
    listed. No query: read from the bookings already loaded."""
    rows: dict[int, SeriesRow] = {}
    for item in bookings:
        if item.series_id is None:
            continue
        row = rows.setdefault(
            item.series_id, SeriesRow(item.series, item.service.name, item.starts_at, 0)
        )
        row.first_starts = min(row.first_starts, item.starts_at)
        row.booked += 1
    return sorted(rows.values(), key=lambda row: row.first_starts, reverse=True)


def place_of(worked: PointWorked) -> str:
    """ "Right foot", "Left hand", "Right ear": where a worked point was."""
    return place_name(worked.point.map, worked.side)


@dataclass
class PointHistory:
    """One point on one side across the client's signed records, oldest first."""

    place: str
    name: str
    visits: list[tuple[datetime, int]] = field(default_factory=list)

    @property
    def sessions(self) -> int:
        return len(self.visits)

    @property
    def sequence(self) -> str:
        return ARROW.join(str(tenderness) for _, tenderness in self.visits)


def point_histories(bookings: list[Booking], tz: ZoneInfo) -> list[PointHistory]:
    """Per point and side, the tenderness at each signed session (oldest first), in the
    catalogue's order. `bookings` carry their record and its points, prefetched."""
    by_point: dict[tuple, PointHistory] = {}
    for booking in sorted(bookings, key=lambda b: b.starts_at):
        record = getattr(booking, "record", None)
        if record is None or not record.is_signed:
            continue
        for worked in record.points.all():
            key = (
                MAP_RANK.get(worked.point.map, len(MAP_RANK)),
                worked.point.order,
                SIDE_RANK[worked.side],
            )
            entry = by_point.setdefault(
                key, PointHistory(place=place_of(worked), name=area_name(worked.point.name))
            )
            entry.visits.append((booking.starts_at.astimezone(tz), worked.tenderness))
    return [by_point[key] for key in sorted(by_point)]


def start_from_link(bookings: list[Booking], now: datetime) -> str:
    """The record form of the client's latest past session without a signed record, with
    ?from=<code> naming the latest earlier session whose signed record has points; "" when
    either is missing."""
    newest_first = sorted(bookings, key=lambda b: b.starts_at, reverse=True)
    target = next(
        (
            b
            for b in newest_first
            if b.can_have_record(now)
            and (getattr(b, "record", None) is None or not b.record.is_signed)
        ),
        None,
    )
    if target is None:
        return ""
    source = next(
        (
            b
            for b in newest_first
            if b.starts_at < target.starts_at
            and getattr(b, "record", None) is not None
            and b.record.is_signed
            and b.record.points.all()
        ),
        None,
    )
    if source is None:
        return ""
    return f"{reverse('sessions:record', kwargs={'code': target.code})}?from={source.code}"
