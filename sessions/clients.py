"""A practitioner's clients: everyone who has booked them (any status), with their next and
last session, counts and the flags in force: who they are in one query (clients_found), the
figures of a page of them in one (with_figures) and their flags in one (attach_flags),
whatever the number of clients or bookings.

The list keeps someone whose only request was declined (they asked; the practice may want to
reach them), but whether the practitioner may book for them is sessions.booking.clients_of's
rule, not this list's: with_figures marks it (`may_book`) for the page to offer the buttons.

Each figure reads the bookings through the one definition of its rule (BookingQuerySet
upcoming, recordable, open_to_intake); the flags are those the write path stored on a booking
(sessions.session_flags), never worked out again here.
"""

import re
from datetime import datetime

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Replace

from accounts.models import User
from practitioners.models import Practitioner
from sessions.booking import clients_of
from sessions.models import Booking, BookingQuerySet, IntakeForm

# What people put between the digits of a phone number: "+44 (0)7700-900 123".
PHONE_SEPARATORS = (" ", "-", ".", "(", ")", "/")


def compact_phone(text: str) -> str:
    """`text` without the separators people type inside phone numbers."""
    return re.sub("[" + re.escape("".join(PHONE_SEPARATORS)) + "]", "", text)


def _compact(column):
    for separator in PHONE_SEPARATORS:
        column = Replace(column, Value(separator), Value(""), output_field=TextField())
    return column


def _first(rows: QuerySet, field: str, order: str) -> Subquery:
    return Subquery(rows.order_by(order).values(field)[:1])


def _intake_phone(practitioner: Practitioner, now: datetime) -> Case:
    """The phone on the client's latest health form, while the practitioner may read it (the
    account's phone is optional; the form asks everyone). IntakeForm.visible_to opens a
    client's latest version to the practitioner exactly while one of their bookings with
    the client opens the intake (open_to_intake); asked per client like this, it stays one
    indexed look-up per row."""
    latest = IntakeForm.objects.filter(client=OuterRef("pk"))
    opens = practitioner.bookings.filter(client=OuterRef("pk")).open_to_intake(now)
    # IntakeForm.phone: the answers are encrypted, the phone is kept plain beside them.
    return Case(When(Exists(opens), then=_first(latest, "phone", "-version")), default=None)


def search(users: QuerySet[User], query: str, *, intake_phone=None) -> QuerySet[User]:
    """`users` whose name, email or phone (their account's, or `intake_phone`, an expression
    for their health form's) contains every word of `query`, case-insensitive; a phone
    matches whatever the spaces, dashes or brackets in it or in the query."""
    words = query.split()
    if not words:
        return users
    phones = [_compact(F("phone"))]
    if intake_phone is not None:
        phones.append(_compact(intake_phone))
    users = users.alias(**{f"phone_{n}": phone for n, phone in enumerate(phones)})
    for word in words:
        matches = Q(full_name__icontains=word) | Q(email__icontains=word)
        if digits := compact_phone(word):
            for n in range(len(phones)):
                matches |= Q(**{f"phone_{n}__icontains": digits})
        users = users.filter(matches)
    return users


def clients_found(practitioner: Practitioner, *, now: datetime, query: str = "") -> QuerySet[User]:
    """Everyone who has booked `practitioner` (any status, a declined request included) and
    whom `query` finds (search), by name. Only who they are: with_figures works out the rest for the ones shown, so a
    page of them costs the same whatever their number."""
    users = User.objects.filter(Exists(practitioner.bookings.filter(client=OuterRef("pk"))))
    return search(users, query, intake_phone=_intake_phone(practitioner, now)).order_by(
        "full_name", "pk"
    )


def _count(bookings: BookingQuerySet) -> Subquery:
    # COUNT as a plain function, with no GROUP BY: the database then counts through the
    # client's index, not through all of the practitioner's bookings for every row.
    counted = bookings.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def with_figures(
    users: QuerySet[User], practitioner: Practitioner, *, now: datetime
) -> QuerySet[User]:
    """`users` (clients of `practitioner`) by name, each annotated with `intake_phone` (or
    None), `next_session` and `last_session` (start times, or None), `sessions` (standing or
    held sessions that have started), `no_shows`, `late_cancellations`, and `flags_from`
    (the pk of the booking whose flags are in force: their next upcoming session, else the
    latest booking that still opens their health data; None when nothing does), and
    `may_book`: whether the practitioner may book for them (sessions.booking.clients_of).
    Counts only bookings with `practitioner`. One query."""
    theirs = practitioner.bookings.filter(client=OuterRef("pk"))
    return users.annotate(
        may_book=Exists(clients_of(practitioner).filter(pk=OuterRef("pk"))),
        intake_phone=_intake_phone(practitioner, now),
        next_session=_first(theirs.upcoming(now), "starts_at", "starts_at"),
        last_session=_first(theirs.recordable(now), "starts_at", "-starts_at"),
        sessions=_count(theirs.recordable(now)),
        no_shows=_count(theirs.filter(status=Booking.Status.NO_SHOW)),
        late_cancellations=_count(theirs.filter(is_late_cancellation=True)),
        flags_from=Coalesce(
            _first(theirs.upcoming(now), "pk", "starts_at"),
            _first(theirs.open_to_intake(now), "pk", "-starts_at"),
        ),
    ).order_by("full_name", "pk")


def attach_flags(rows: list[User]) -> None:
    """Set `flags` on each of `rows` (from with_figures): the flags stored on its
    `flags_from` booking, or []. One query for the whole list."""
    wanted = [row.flags_from for row in rows if row.flags_from is not None]
    stored = dict(Booking.objects.filter(pk__in=wanted).values_list("pk", "flags"))
    for row in rows:
        row.flags = stored.get(row.flags_from, [])
