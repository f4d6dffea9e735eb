from sessions.models.billing import BookingFees, Invoice, InvoiceQuerySet, Payment
from sessions.models.booking import Booking, BookingQuerySet, Reminder, SafetyDecisionEntry
from sessions.models.erasure import ErasureRequest
from sessions.models.export import DataExport
from sessions.models.hold import SlotHold
from sessions.models.intake import IntakeAccess, IntakeDraft, IntakeForm
from sessions.models.jobs import JobRun
from sessions.models.packages import (
    ClientPackage,
    CreditUse,
    Package,
    PackagePolicy,
)
from sessions.models.record import PointWorked, RecordAddendum, ReflexPoint, SessionRecord
from sessions.models.series import BookingSeries
from sessions.models.waitlist import MAX_ACTIVE_ENTRIES, WaitlistEntry, WaitlistOffer

__all__ = [
    "Booking",
    "BookingFees",
    "BookingSeries",
    "BookingQuerySet",
    "ClientPackage",
    "CreditUse",
    "DataExport",
    "ErasureRequest",
    "MAX_ACTIVE_ENTRIES",
    "IntakeAccess",
    "Invoice",
    "InvoiceQuerySet",
    "IntakeDraft",
    "IntakeForm",
    "JobRun",
    "Package",
    "PackagePolicy",
    "Payment",
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
