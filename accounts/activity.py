"""The staff activity log: the one helper every staff action calls (issue 15). Decisions on
credentials, hidden profiles, reads of a client's health data, exports: each appends one
accounts.models.StaffAction, which nothing in the app or the admin can change or delete.

Rows name their subject (a type, an id and a short label such as a practitioner's public
name) and carry no health text: the log is for who did what, not what they read.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import StaffAction, User

# Every action the log knows, with the words the log page shows for it. A new kind of staff
# action adds its key here (the column takes any key: no migration).
ACTIONS = {
    "health_read": "Read a client's health data",
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


def record(actor: User, action: str, subject: Subject, **detail) -> StaffAction:
    """Append that staff member `actor` did `action` (a key of ACTIONS) to `subject`;
    `detail` holds plain values such as a reason code (no health text)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown staff action {action!r}: add it to accounts.activity.ACTIONS.")
    return StaffAction.objects.create(
        actor=actor,
        action=action,
        subject_type=subject.type,
        subject_id=subject.id,
        subject_label=subject.label[:200],
        detail=detail,
    )


def record_many(actor: User, action: str, subjects: Iterable[Subject], **detail) -> int:
    """record() for each of `subjects`, in one insert (a list page's reads)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown staff action {action!r}: add it to accounts.activity.ACTIONS.")
    rows = [
        StaffAction(
            actor=actor,
            action=action,
            subject_type=subject.type,
            subject_id=subject.id,
            subject_label=subject.label[:200],
            detail=detail,
        )
        for subject in subjects
    ]
    StaffAction.objects.bulk_create(rows)
    return len(rows)
