"""A practitioner's clients: everyone who has booked them (any status), with their next and
last session, counts and the flags in force, worked out in the database in one query for
the page of clients and one for their flags, whatever the number of clients or bookings.

Each figure reads the bookings through the one definition of its rule (BookingQuerySet
upcoming, recordable, open_to_intake); the flags are those the write path stored on a booking
(sessions.session_flags), never worked out again here.
"""

import re
from datetime import datetime

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Replace

from accounts.models import User
from practitioners.models import Practitioner
from sessions.models import Booking, BookingQuerySet

# What people put between the digits of a phone number: "+44 (0)7700-900 123".
PHONE_SEPARATORS = (" ", "-", ".", "(", ")", "/")


def compact_phone(text: str) -> str:
    """`text` without the separators people type inside phone numbers."""
    return re.sub("[" + re.escape("".join(PHONE_SEPARATORS)) + "]", "", text)


def _compact_phone_column():
    column = "phone"
    for separator in PHONE_SEPARATORS:
        column = Replace(column, Value(separator), Value(""))
    return column


def search(users: QuerySet[User], query: str) -> QuerySet[User]:
    """`users` whose name, email or phone contains every word of `query` (case-insensitive;
    a phone matches whatever the spaces, dashes or brackets in it or in the query)."""
    words = query.split()
    if not words:
        return users
    users = users.annotate(phone_compact=_compact_phone_column())
    for word in words:
        matches = Q(full_name__icontains=word) | Q(email__icontains=word)
        if digits := compact_phone(word):
            matches |= Q(phone_compact__icontains=digits)
        users = users.filter(matches)
    return users


def _first(bookings: BookingQuerySet, field: str, order: str) -> Subquery:
    return Subquery(bookings.order_by(order).values(field)[:1])


def _count(bookings: BookingQuerySet) -> Coalesce:
    counted = bookings.order_by().values("client").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def client_rows(practitioner: Practitioner, *, now: datetime, query: str = "") -> QuerySet[User]:
    """Everyone who has booked `practitioner`, by name, each annotated with `next_session`
    and `last_session` (start times, or None), `sessions` (held or standing sessions that
    have started), `no_shows`, `late_cancellations`, and `flags_from` (the pk of the booking
    whose flags are in force: their next upcoming session, else the latest booking that
    still opens their health data; None when nothing does). One query."""
    theirs = practitioner.bookings.filter(client=OuterRef("pk"))
    users = User.objects.filter(Exists(theirs))
    return (
        search(users, query)
        .annotate(
            next_session=_first(theirs.upcoming(now), "starts_at", "starts_at"),
            last_session=_first(theirs.recordable(now), "starts_at", "-starts_at"),
            sessions=_count(theirs.recordable(now)),
            no_shows=_count(theirs.filter(status=Booking.Status.NO_SHOW)),
            late_cancellations=_count(theirs.filter(is_late_cancellation=True)),
            flags_from=Coalesce(
                _first(theirs.upcoming(now), "pk", "starts_at"),
                _first(theirs.open_to_intake(now), "pk", "-starts_at"),
            ),
        )
        .order_by("full_name", "pk")
    )


def attach_flags(rows: list[User]) -> None:
    """Set `flags` on each of `rows` (from client_rows): the flags stored on its
    `flags_from` booking, or []. One query for the whole list."""
    wanted = [row.flags_from for row in rows if row.flags_from is not None]
    stored = dict(Booking.objects.filter(pk__in=wanted).values_list("pk", "flags"))
    for row in rows:
        row.flags = stored.get(row.flags_from, [])
