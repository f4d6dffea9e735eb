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

from accounts.models import StaffAction, User
from reflexbook.lib.local_time import day_start

# Every action the log knows, with the words the log page shows for it. A new kind of staff
# action adds its key here (the column takes any key: no migration).
ACTIONS = {
    "health_read": "Read a client's health data",
    "evidence_viewed": "Viewed a credential's evidence",
    "evidence_downloaded": "Downloaded a credential's evidence file",
    "activity_exported": "Exported the staff activity log",
    "credential_approved": "Approved a credential",
    "credential_rejected": "Rejected a credential",
    "credential_more_info": "Asked for more information about a credential",
    "revocation_proposed": "Proposed revoking a credential",
    "credential_revoked": "Revoked a credential",
    "revocation_withdrawn": "Withdrew a proposed revocation",
    "report_exported": "Exported the verification report",
    # The trust-and-safety queue (practitioners.review, sessions.booking).
    "review_fine": "Found flagged wording fine as it is",
    "review_change_asked": "Asked a practitioner to change flagged wording",
    "report_closed": "Closed a client's report",
    "profile_hidden": "Hid a practitioner's profile from the directory",
    "profile_shown": "Showed a hidden practitioner's profile again",
    "bookings_cancelled_by_staff": "Cancelled a hidden practitioner's upcoming bookings",
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


def subject_words(subject_type: str) -> str:
    """How the log shows a kind of subject: "activity_log" reads "Activity log"."""
    return subject_type.replace("_", " ").capitalize()


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
        label = key.replace("_", " ").capitalize()
        if isinstance(value, list):
            text = f"{len(value)} file{'s' if len(value) != 1 else ''}"
        else:
            text = str(value).replace("_", " ")
        words.append(f"{label}: {text}")
    return words
