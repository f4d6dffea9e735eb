from sessions.models.booking import Booking, BookingQuerySet, Reminder, SafetyDecisionEntry
from sessions.models.hold import SlotHold
from sessions.models.intake import IntakeAccess, IntakeDraft, IntakeForm
from sessions.models.record import PointWorked, RecordAddendum, ReflexPoint, SessionRecord
from sessions.models.series import BookingSeries
from sessions.models.waitlist import MAX_ACTIVE_ENTRIES, WaitlistEntry, WaitlistOffer

__all__ = [
    "Booking",
    "BookingSeries",
    "BookingQuerySet",
    "MAX_ACTIVE_ENTRIES",
    "IntakeAccess",
    "IntakeDraft",
    "IntakeForm",
    "PointWorked",
    "RecordAddendum",
    "ReflexPoint",
    "Reminder",
    "SafetyDecisionEntry",
    "SessionRecord",
    "SlotHold",
    "WaitlistEntry",
    "WaitlistOffer",
]
