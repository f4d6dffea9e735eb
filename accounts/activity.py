"""The staff activity log: the one helper every staff action calls (issue 15). Decisions on
credentials, hidden profiles, reads of a client's health data, exports: each appends one
accounts.models.StaffAction, which nothing in the app or the admin can change or delete.

Rows name their subject (a type, an id and a short label such as a practitioner's public
name) and carry no health text: the log is for who did what, not what they read.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffAction, User
from reflexbook.lib.local_time import day_start

# Every action the log knows, with the words the log page shows for it. A new kind of staff
# action adds its key here (the column takes any key: no migration).
ACTIONS = {
    "health_read": _("Read a client's health data"),
    "evidence_viewed": _("Viewed a credential's evidence"),
    "evidence_downloaded": _("Downloaded a credential's evidence file"),
    "activity_exported": _("Exported the staff activity log"),
    "credential_approved": _("Approved a credential"),
    "credential_rejected": _("Rejected a credential"),
    "credential_more_info": _("Asked for more information about a credential"),
    "revocation_proposed": _("Proposed revoking a credential"),
    "credential_revoked": _("Revoked a credential"),
    "revocation_withdrawn": _("Withdrew a proposed revocation"),
    "report_exported": _("Exported the verification report"),
    # The trust-and-safety queue (practitioners.review, sessions.booking).
    "review_fine": _("Found flagged wording fine as it is"),
    "review_change_asked": _("Asked a practitioner to change flagged wording"),
    "report_closed": _("Closed a client's report"),
    "profile_hidden": _("Hid a practitioner's profile from the directory"),
    "profile_shown": _("Showed a hidden practitioner's profile again"),
    "bookings_cancelled_by_staff": _("Cancelled a hidden practitioner's upcoming bookings"),
}


@dataclass(frozen=True)
class Subject:
    """What an action was about: its kind ("credential", "practitioner", "booking",
    "client", ...), its public id (a code, never a health detail) and a short label."""

    type: str
    id: str = ""
    label: str = ""


def _row(actor: User, action: str, subject: Subject, detail: dict) -> StaffAction:
    if action not in ACTIONS:
        raise ValueError(f"Unknown staff action {action!r}: add it to accounts.activity.ACTIONS.")
    return StaffAction(
        actor=actor,
        action=action,
        subject_type=subject.type,
        subject_id=subject.id,
        subject_label=subject.label[:200],
        detail=detail,
    )


def record(actor: User, action: str, subject: Subject, **detail) -> StaffAction:
    """Append that staff member `actor` did `action` (a key of ACTIONS) to `subject`;
    `detail` holds plain values such as a reason code (no health text)."""
    row = _row(actor, action, subject, detail)
    row.save()
    return row


def record_many(actor: User, action: str, subjects: Iterable[Subject], **detail) -> int:
    """record() for each of `subjects`, in one insert (a list page's reads)."""
    rows = [_row(actor, action, subject, detail) for subject in subjects]
    StaffAction.objects.bulk_create(rows)
    return len(rows)


def words_for(action: str) -> str:
    """The words the log shows for `action` (the key itself for one no longer in ACTIONS)."""
    return ACTIONS.get(action, action)


# The kinds of subject the apps name (activity.Subject's `type`), in the words the log shows.
SUBJECT_TYPES = {
    "activity_log": _("Activity log"),
    "booking": _("Booking"),
    "credential": _("Credential"),
    "health form": _("Health form"),
    "practitioner": _("Practitioner"),
    "review item": _("Review item"),
    "verification_report": _("Verification report"),
}

# The keys of a row's detail, in the words the log shows.
DETAIL_LABELS = {
    "bookings": _("Bookings"),
    "end": _("End"),
    "evidence": _("Evidence"),
    "file": _("File"),
    "filters": _("Filters"),
    "proposal": _("Proposal"),
    "reason": _("Reason"),
    "reason_code": _("Reason code"),
    "start": _("Start"),
}


def _words(key: str) -> str:
    """A key as words, for one no table above knows: "activity_log" reads "Activity log"."""
    return key.replace("_", " ").capitalize()


def subject_words(subject_type: str) -> str:
    """How the log shows a kind of subject: "activity_log" reads "Activity log"."""
    return SUBJECT_TYPES.get(subject_type) or _words(subject_type)


def actors() -> QuerySet[User]:
    """Everyone the log can be filtered by: staff, and anyone who acted as staff before."""
    acted = StaffAction.objects.filter(actor=OuterRef("pk"))
    return User.objects.filter(Q(is_staff=True) | Exists(acted)).order_by("full_name", "email")


def subject_types() -> list[str]:
    """The kinds of subject the log holds rows about, in alphabetical order."""
    return list(
        StaffAction.objects.order_by("subject_type")
        .values_list("subject_type", flat=True)
        .distinct()
    )


def actions_matching(
    *,
    zone: ZoneInfo,
    actor: User | None = None,
    action: str = "",
    subject_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[StaffAction]:
    """The log's rows that match every filter given, newest first, with their actor; the
    dates are whole days in `zone` (the viewer's), `date_to` included."""
    rows = StaffAction.objects.select_related("actor").order_by("-at", "-pk")
    if actor is not None:
        rows = rows.filter(actor=actor)
    if action:
        rows = rows.filter(action=action)
    if subject_type:
        rows = rows.filter(subject_type=subject_type)
    if date_from:
        rows = rows.filter(at__gte=day_start(date_from, zone))
    if date_to:
        rows = rows.filter(at__lt=day_start(date_to + timedelta(days=1), zone))
    return rows


def detail_words(detail: dict) -> list[str]:
    """A row's detail as the log shows it: "Reason code: name does not match", "Evidence:
    2 files" (empty values left out; codes stay in the database and the admin)."""
    words = []
    for key, value in sorted(detail.items()):
        if value in ("", None, [], {}):
            continue
        label = DETAIL_LABELS.get(key) or _words(key)
        if isinstance(value, list):
            text = ngettext("%(count)s file", "%(count)s files", len(value)) % {"count": len(value)}
        else:
            text = str(value).replace("_", " ")
        words.append(gettext("%(label)s: %(text)s") % {"label": label, "text": text})
    return words
