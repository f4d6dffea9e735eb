"""The practitioners app's models, one module per job; import them from here.

profile.py needs the other modules' models for its directory queries, so they point back
at Practitioner by its label ("practitioners.Practitioner") and import nothing from it.
"""

from practitioners.models.billing import FeeKind, PracticeBilling
from practitioners.models.busy import BusyCalendar, BusyInterval
from practitioners.models.calendar import DateException, FreedTime, TimeOff, WeeklyHours
from practitioners.models.certification import (
    Certification,
    CertificationEvent,
    CertificationEvidence,
    CertificationQuerySet,
    RevocationProposal,
    _evidence_path,
)
from practitioners.models.profile import (
    Modality,
    Practitioner,
    PractitionerQuerySet,
    new_calendar_token,
)
from practitioners.models.review import (
    ClientReport,
    ReviewItem,
    ReviewItemQuerySet,
    StaffHide,
    StaffHideQuerySet,
)
from practitioners.models.services import SESSION_LENGTHS, Service, ServiceLength

# practitioners/migrations/0001_initial.py names practitioners.models.new_calendar_token and
# practitioners.models._evidence_path: they stay importable from here.
__all__ = [
    "SESSION_LENGTHS",
    "BusyCalendar",
    "FeeKind",
    "PracticeBilling",
    "BusyInterval",
    "Certification",
    "CertificationEvent",
    "CertificationEvidence",
    "CertificationQuerySet",
    "ClientReport",
    "DateException",
    "FreedTime",
    "Modality",
    "Practitioner",
    "PractitionerQuerySet",
    "RevocationProposal",
    "ReviewItem",
    "ReviewItemQuerySet",
    "Service",
    "ServiceLength",
    "StaffHide",
    "StaffHideQuerySet",
    "TimeOff",
    "WeeklyHours",
    "_evidence_path",
    "new_calendar_token",
]
