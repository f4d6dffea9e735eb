"""The verification report (issue 15): for a range of days, how many credentials were
submitted, approved, rejected (by stock reason), sent back for more information, revoked and
lapsed, and the median time from a submission to the staff decision on it. A selector: two
queries whatever the number of credentials; the staff page and its CSV both read it.

Days are the viewer's: the range runs from the start of `start` to the end of `end` in `tz`.
A decision is staff ending a wait: approving, rejecting or asking for more information; its
time is measured from the latest submission before it.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from practitioners.certification_rules import RejectReason, State
from practitioners.models import CertificationEvent
from reflexbook.lib.local_time import day_start

DECIDED = (State.VERIFIED, State.REJECTED, State.MORE_INFO)
# Rejections from before stock reasons existed have only their written reason.
NO_STOCK_REASON = gettext_lazy("Written reason only")


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    submissions: int
    approvals: int
    rejections: int
    # (code, label, count) for every stock reason in its order, then rejections without one.
    rejections_by_reason: list[tuple[str, str, int]]
    more_info: int
    revocations: int
    lapses: int
    decisions_timed: int
    median_wait: timedelta | None


def bounds(*, start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The aware instants the days `start`..`end` (both included) cover in `tz`."""
    return day_start(start, tz), day_start(end + timedelta(days=1), tz)


def median_wait(pairs: list[tuple[datetime, datetime | None]]) -> timedelta | None:
    """The median of decided-at minus submitted-at over `pairs`; None when there are none.
    A decision with no submission before it (imported data) is left out."""
    waits = [decided - submitted for decided, submitted in pairs if submitted is not None]
    return statistics.median(waits) if waits else None


def verification_report(*, start: date, end: date, tz: tzinfo) -> Report:
    """The report for the days `start`..`end` in `tz`, in two queries."""
    since, until = bounds(start=start, end=end, tz=tz)
    events = CertificationEvent.objects.filter(at__gte=since, at__lt=until)
    counts: dict[tuple[str, str, str], int] = {
        (row["from_state"], row["to_state"], row["reason_code"]): row["n"]
        for row in events.order_by()
        .values("from_state", "to_state", "reason_code")
        .annotate(n=Count("pk"))
    }

    def total(*, to_state: str, from_state: str | None = None, reason_code: str | None = None):
        return sum(
            n
            for (was, became, code), n in counts.items()
            if became == to_state
            and (from_state is None or was == from_state)
            and (reason_code is None or code == reason_code)
        )

    submitted = Subquery(
        CertificationEvent.objects.filter(
            certification=OuterRef("certification"), to_state=State.PENDING, at__lte=OuterRef("at")
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    pairs = list(
        events.filter(from_state=State.PENDING, to_state__in=DECIDED)
        .annotate(submitted=submitted)
        .values_list("at", "submitted")
    )
    by_reason = [
        (reason.value, _(reason.label), total(to_state=State.REJECTED, reason_code=reason.value))
        for reason in RejectReason
    ]
    unexplained = total(to_state=State.REJECTED, reason_code="")
    if unexplained:
        by_reason.append(("", NO_STOCK_REASON, unexplained))
    return Report(
        start=start,
        end=end,
        submissions=total(to_state=State.PENDING),
        approvals=total(to_state=State.VERIFIED, from_state=State.PENDING),
        rejections=total(to_state=State.REJECTED),
        rejections_by_reason=by_reason,
        more_info=total(to_state=State.MORE_INFO),
        revocations=total(to_state=State.REVOKED),
        lapses=total(to_state=State.LAPSED),
        decisions_timed=sum(1 for _at, submitted in pairs if submitted is not None),
        median_wait=median_wait(pairs),
    )


def wait_in_words(wait: timedelta | None) -> str:
    """A median wait as people say it: "2 days 3 hours", "5 hours 10 minutes", "40 minutes"."""
    if wait is None:
        return _("no decisions")
    minutes = int(wait.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and (minutes or not hours):
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def csv_rows(report: Report) -> list[list[str]]:
    """The report as CSV lines (measure, value): the page's numbers, the median in hours.
    The header is machine keys; the measures are words staff read, so they are translated."""
    median = report.median_wait
    return [
        ["measure", "value"],
        [_("from"), report.start.isoformat()],
        [_("to"), report.end.isoformat()],
        [_("submissions"), str(report.submissions)],
        [_("approvals"), str(report.approvals)],
        [_("rejections"), str(report.rejections)],
        *[
            [_("rejections: %(reason)s") % {"reason": label}, str(count)]
            for _code, label, count in report.rejections_by_reason
        ],
        [_("requests for more information"), str(report.more_info)],
        [_("revocations"), str(report.revocations)],
        [_("lapses"), str(report.lapses)],
        [_("decisions timed"), str(report.decisions_timed)],
        [
            _("median hours from submission to decision"),
            "" if median is None else f"{median.total_seconds() / 3600:.1f}",
        ],
    ]
