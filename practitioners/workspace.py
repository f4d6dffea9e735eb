"""The staff workspace (the page staff land on): one small selector per section, each
returning the first rows to show and how many there are in all, in a fixed number of
queries however many credentials there are. Sections from other parts of the back office
(flagged profiles, client reports) follow the same shape: a function returning a Section.

Also the counts on the staff navigation (one query, for verified staff only).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Func, IntegerField, Q, Subquery
from django.http import HttpRequest

from accounts.access import is_verified_staff
from accounts.models import User
from practitioners.certification import (
    REMINDER_DAYS,
    days_left_in_cycle,
    verified_ending_within,
)
from practitioners.models import Certification, ReviewItem, RevocationProposal
from reflexbook.lib.local_time import day_start
from reflexbook.lib.working_days import last_start_over, working_days_between

# Staff aim to decide a submitted credential within this many working days.
TARGET_WORKING_DAYS = 2
# "Lapsing soon" is the window of the first CE reminder (60 days): the badges whose
# practitioners have been, or are about to be, reminded.
LAPSING_WITHIN_DAYS = max(REMINDER_DAYS)
# Rows a section shows; the count says how many there are, and the full list is a link away.
SECTION_ROWS = 10


@dataclass(frozen=True)
class Section:
    """A workspace section's first rows and the number of items in all (`extra` holds other
    figures a section reports, such as how many are overdue)."""

    rows: list[Any]
    count: int
    extra: dict[str, int] = field(default_factory=dict)


def credentials_waiting(*, now: datetime, zone: ZoneInfo, limit: int = SECTION_ROWS) -> Section:
    """Credentials waiting for review, oldest first, each with `working_days` (working days
    since it was submitted, counted in `zone`, the viewer's) and `overdue` (over the target);
    extra["overdue"] counts the overdue ones among all. Two queries."""
    today = now.astimezone(zone).date()
    # Working days only grow as the submission date goes back, so "overdue" is "submitted
    # before the day after this one": a filter the count can use, whatever the queue's size.
    overdue_before = day_start(last_start_over(today, TARGET_WORKING_DAYS) + timedelta(1), zone)
    counts = Certification.objects.filter(state=Certification.State.PENDING).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(submitted_at__lt=overdue_before))
    )
    rows = list(Certification.objects.pending_queue().select_related("practitioner")[:limit])
    for certification in rows:
        submitted = certification.submitted_at
        certification.working_days = (
            working_days_between(submitted.astimezone(zone).date(), today) if submitted else 0
        )
        certification.overdue = submitted is not None and submitted < overdue_before
    return Section(rows, counts["waiting"], {"overdue": counts["overdue"]})


def badges_lapsing(*, now: datetime, limit: int = SECTION_ROWS) -> Section:
    """Verified credentials whose CE cycle ends within LAPSING_WITHIN_DAYS days of today in
    the practitioner's zone (today included), soonest first, each with `days_left`. One query."""
    candidates = verified_ending_within(LAPSING_WITHIN_DAYS, now).select_related("practitioner")
    lapsing = []
    for certification in candidates.only(
        "code",
        "kind",
        "credential_id",
        "ce_cycle_end",
        "practitioner__display_name",
        "practitioner__timezone",
    ):
        certification.days_left = days_left_in_cycle(certification, now)
        if 0 <= certification.days_left <= LAPSING_WITHIN_DAYS:
            lapsing.append(certification)
    lapsing.sort(key=lambda c: (c.days_left, c.practitioner.display_name, c.kind))
    return Section(lapsing[:limit], len(lapsing))


def revocations_to_confirm(*, limit: int = SECTION_ROWS) -> Section:
    """Revocations proposed and waiting for a second member of staff, oldest first, with
    the credential, its practitioner and the proposer. One query (the count from the rows
    unless there are more than `limit`)."""
    open_proposals = RevocationProposal.objects.filter(status=RevocationProposal.Status.OPEN)
    rows = list(
        open_proposals.select_related("certification__practitioner", "proposed_by").order_by(
            "proposed_at", "pk"
        )[: limit + 1]
    )
    count = len(rows) if len(rows) <= limit else open_proposals.count()
    return Section(rows[:limit], count)


def _count(queryset) -> Subquery:
    """COUNT(*) of `queryset` as a scalar subquery (no GROUP BY: one row, whatever it holds)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


class NavCounts:
    """The figures beside the staff menu's links (credentials waiting, the trust and safety
    queue), read on first use (a page that shows no menu reads nothing), in one query."""

    def __init__(self, user_id: int):
        self.user_id = user_id

    @cached_property
    def _counts(self) -> dict[str, int]:
        return (
            User.objects.filter(pk=self.user_id)
            .values(
                credentials=_count(Certification.objects.filter(state=Certification.State.PENDING)),
                safety=_count(ReviewItem.objects.waiting_for_staff()),
            )
            .get()
        )

    @property
    def credentials(self) -> int:
        return self._counts["credentials"]

    @property
    def safety(self) -> int:
        return self._counts["safety"]


def nav_counts(request: HttpRequest) -> dict[str, NavCounts]:
    """Context processor: `staff_counts` for staff past the second factor; nothing (and no
    query) for anyone else."""
    user = getattr(request, "user", None)
    if not is_verified_staff(user):
        return {}
    return {"staff_counts": NavCounts(user.pk)}
