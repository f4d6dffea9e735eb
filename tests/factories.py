import base64
import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory
from faker import Faker

from accounts.models import User
from practitioners.models import (
    BusyCalendar,
    BusyInterval,
    Certification,
    CertificationEvent,
    CertificationEvidence,
    DateException,
    FreedTime,
    PracticeBilling,
    Practitioner,
    Service,
    ServiceLength,
    TimeOff,
    WeeklyHours,
)
from sessions.models import (
    Booking,
    BookingFees,
    BookingSeries,
    IntakeForm,
    PointWorked,
    RecordAddendum,
    ReflexPoint,
    Reminder,
    SessionRecord,
    SlotHold,
    WaitlistEntry,
)
from sessions.models.intake import ClearanceNote, IntakeAccess, PreSessionCheck

PASSWORD = "correct-horse-battery"
# The smallest valid PDF header is enough for content sniffing.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


FAKE = Faker()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    # Unique, because practitioners take their display name from it and two profiles in one
    # place may not share a name (practitioners_practitioner_name_place_unique).
    full_name = factory.LazyFunction(lambda: FAKE.unique.name())
    timezone = "America/New_York"
    password = factory.django.Password(PASSWORD)
    email_verified_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))

    class Params:
        # A new account whose owner has not opened the verification link yet.
        unverified = factory.Trait(email_verified_at=None)


class StaffFactory(UserFactory):
    is_staff = True


# The authenticator secret TOTPDeviceFactory gives everyone, so tests can compute codes with
# pyotp.TOTP(TOTP_SECRET).now().
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class TOTPDeviceFactory(DjangoModelFactory):
    """A confirmed authenticator app (two-factor sign-in on)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True
    key = base64.b32decode(TOTP_SECRET).hex()


class RecoveryCodesFactory(DjangoModelFactory):
    """Recovery codes: `codes` lists the tokens (one StaticToken each)."""

    class Meta:
        model = StaticDevice
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = "Recovery codes"
    confirmed = True

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        for token in extracted or ["aaaabbbb", "ccccdddd"]:
            StaticToken.objects.create(device=self, token=token)


class PractitionerFactory(DjangoModelFactory):
    """A practitioner with a complete profile but no services or hours (so not yet listed)."""

    class Meta:
        model = Practitioner
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: p.user.full_name)
    slug = factory.Sequence(lambda n: f"practitioner-{n}")
    city = "Portland"
    region = "Oregon"
    timezone = "America/Los_Angeles"


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    practitioner = factory.SubFactory(PractitionerFactory)
    name = "Foot reflexology"
    description = "A relaxing session working the reflexes of both feet."

    class Params:
        # The practitioner goes to the client, in Portland's 97201 and any 972xx postcode.
        home_visit = factory.Trait(
            is_home_visit=True, visit_postcodes="97201, 972", travel_minutes=30
        )


class ServiceLengthFactory(DjangoModelFactory):
    class Meta:
        model = ServiceLength

    service = factory.SubFactory(ServiceFactory)
    minutes = 60
    price = "80.00"


class WeeklyHoursFactory(DjangoModelFactory):
    class Meta:
        model = WeeklyHours

    practitioner = factory.SubFactory(PractitionerFactory)
    weekday = WeeklyHours.Weekday.MONDAY
    starts = dt.time(9, 0)
    ends = dt.time(17, 0)


class DateExceptionFactory(DjangoModelFactory):
    class Meta:
        model = DateException

    practitioner = factory.SubFactory(PractitionerFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    kind = DateException.Kind.CLOSED


class TimeOffFactory(DjangoModelFactory):
    class Meta:
        model = TimeOff

    practitioner = factory.SubFactory(PractitionerFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda t: t.starts_at + dt.timedelta(days=3))
    reason = "Holiday"


class BusyCalendarFactory(DjangoModelFactory):
    class Meta:
        model = BusyCalendar

    practitioner = factory.SubFactory(PractitionerFactory)
    name = "Personal"
    url = factory.Sequence(lambda n: f"https://calendar.example.com/ical/private-{n:04d}/basic.ics")


class BusyIntervalFactory(DjangoModelFactory):
    class Meta:
        model = BusyInterval

    calendar = factory.SubFactory(BusyCalendarFactory)
    practitioner = factory.LazyAttribute(lambda b: b.calendar.practitioner)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + dt.timedelta(hours=1))


class ListedPractitionerFactory(PractitionerFactory):
    """A practitioner the directory lists: a priced service and weekly hours."""

    @factory.post_generation
    def listing(obj, create, extracted, **kwargs):
        if not create:
            return
        service = ServiceFactory(practitioner=obj)
        ServiceLengthFactory(service=service, minutes=30, price="45.00")
        ServiceLengthFactory(service=service, minutes=60, price="80.00")
        WeeklyHoursFactory(practitioner=obj)


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    practitioner = factory.SubFactory(PractitionerFactory)
    kind = Certification.Kind.FOOT
    credential_id = factory.Sequence(lambda n: f"ARCB-{1000 + n}")
    year_certified = 2019
    ce_cycle_end = dt.date(2027, 12, 31)
    state = Certification.State.DRAFT

    class Params:
        pending = factory.Trait(
            state=Certification.State.PENDING,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        verified = factory.Trait(
            state=Certification.State.VERIFIED,
            submitted_at=factory.LazyFunction(timezone.now),
            verified_at=factory.LazyFunction(timezone.now),
        )


class CertificationEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = CertificationEvidence

    certification = factory.SubFactory(CertificationFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="certificate.pdf"))
    original_name = "certificate.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class CertificationEventFactory(DjangoModelFactory):
    class Meta:
        model = CertificationEvent

    certification = factory.SubFactory(CertificationFactory)
    from_state = Certification.State.DRAFT
    to_state = Certification.State.PENDING


class IntakeFormFactory(DjangoModelFactory):
    """A signed intake with no health flags; pass `answers` and `flags` to vary it."""

    class Meta:
        model = IntakeForm

    client = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: n + 1)
    answers = factory.LazyFunction(lambda: {"pregnancy": "not_pregnant", "medications": "none"})
    flags = factory.LazyFunction(list)
    consent_text_version = "2026-12"
    signed_name = factory.LazyAttribute(lambda i: i.client.full_name)
    signed_at = factory.LazyFunction(timezone.now)
    signed_ip = "127.0.0.1"


class BookingFactory(DjangoModelFactory):
    """A confirmed 60-minute booking next week at 10:00 UTC with a 15-minute buffer."""

    class Meta:
        model = Booking

    client = factory.SubFactory(UserFactory)
    practitioner = factory.SubFactory(ListedPractitionerFactory)
    service = factory.LazyAttribute(
        lambda b: b.practitioner.services.first() or ServiceFactory(practitioner=b.practitioner)
    )
    minutes = 60
    price = "80.00"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + dt.timedelta(minutes=b.minutes))
    blocks_from = factory.SelfAttribute("starts_at")
    blocks_until = factory.LazyAttribute(lambda b: b.ends_at + dt.timedelta(minutes=15))
    status = Booking.Status.CONFIRMED
    policy_text = "Please cancel at least 24 hours before your session."
    intake = factory.LazyAttribute(lambda b: IntakeFormFactory(client=b.client))


class BookingSeriesFactory(DjangoModelFactory):
    """A fortnightly series of six 60-minute sessions, booked by its practitioner."""

    class Meta:
        model = BookingSeries

    practitioner = factory.SubFactory(ListedPractitionerFactory)
    client = factory.SubFactory(UserFactory)
    service = factory.LazyAttribute(
        lambda s: s.practitioner.services.first() or ServiceFactory(practitioner=s.practitioner)
    )
    minutes = 60
    every_weeks = 2
    count = 6
    created_by = factory.SelfAttribute("practitioner.user")


class SlotHoldFactory(DjangoModelFactory):
    """A live hold (10 minutes left) on a 60-minute session next week at 10:00 UTC, with the
    15-minute buffer, by a visitor with no account yet."""

    class Meta:
        model = SlotHold

    practitioner = factory.SubFactory(ListedPractitionerFactory)
    length = factory.LazyAttribute(
        lambda h: ServiceLength.objects.filter(
            service__practitioner=h.practitioner, minutes=60
        ).first()
    )
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    blocks_from = factory.LazyAttribute(lambda h: h.starts_at)
    blocks_until = factory.LazyAttribute(lambda h: h.starts_at + dt.timedelta(minutes=75))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(minutes=10))
    holder_key = factory.Sequence(lambda n: f"holder-{n}")


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = Reminder

    booking = factory.SubFactory(BookingFactory)
    kind = Reminder.Kind.DAY_BEFORE
    due_at = factory.LazyAttribute(lambda r: r.booking.starts_at - dt.timedelta(hours=24))


class SessionRecordFactory(DjangoModelFactory):
    """A draft record for a session that took place about a week ago (confirmed, started);
    each new record's session is two hours before the last, so they never overlap."""

    class Meta:
        model = SessionRecord

    booking = factory.SubFactory(
        BookingFactory,
        starts_at=factory.Sequence(
            lambda n: (timezone.now() - dt.timedelta(days=7, hours=2 * n)).replace(
                minute=0, second=0, microsecond=0
            )
        ),
    )
    actual_minutes = 60
    pressure = SessionRecord.Pressure.MEDIUM
    client_summary = "We worked both feet; your shoulders felt tight."
    aftercare = "Drink plenty of water and rest."

    class Params:
        signed = factory.Trait(
            state=SessionRecord.State.SIGNED,
            signed_at=factory.LazyFunction(timezone.now),
        )


class PointWorkedFactory(DjangoModelFactory):
    """A worked point (the catalogue's kidney, right foot, by default: the catalogue rows
    come from migration 0004, so they exist in every test database)."""

    class Meta:
        model = PointWorked

    record = factory.SubFactory(SessionRecordFactory)
    point = factory.LazyFunction(lambda: ReflexPoint.objects.get(slug="foot-kidney"))
    side = "R"
    tenderness = 1


class RecordAddendumFactory(DjangoModelFactory):
    """An addendum on a signed record, written by the record's practitioner."""

    class Meta:
        model = RecordAddendum

    record = factory.SubFactory(SessionRecordFactory, signed=True)
    author = factory.LazyAttribute(lambda a: a.record.booking.practitioner.user)
    text = "Client phoned: slept well and felt relaxed."


class IntakeAccessFactory(DjangoModelFactory):
    """A practitioner's read of the intake their booking carries."""

    class Meta:
        model = IntakeAccess

    booking = factory.SubFactory(BookingFactory)
    intake = factory.LazyAttribute(lambda a: a.booking.intake)
    client = factory.LazyAttribute(lambda a: a.booking.client)
    viewer = factory.LazyAttribute(lambda a: a.booking.practitioner.user)
    role = "practitioner"


class PreSessionCheckFactory(DjangoModelFactory):
    """The client's "nothing has changed" answer before a booking."""

    class Meta:
        model = PreSessionCheck

    booking = factory.SubFactory(BookingFactory)
    changed = False
    details = ""
    answered_at = factory.LazyFunction(timezone.now)


class ClearanceNoteFactory(DjangoModelFactory):
    """A doctor's or midwife's note (a tiny PDF) on an intake version."""

    class Meta:
        model = ClearanceNote

    intake = factory.SubFactory(IntakeFormFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="note.pdf"))
    original_name = "note.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class WaitlistEntryFactory(DjangoModelFactory):
    """An active entry in the first place: any weekday, any time of day, the next 8 weeks,
    for the practitioner's 60-minute length."""

    class Meta:
        model = WaitlistEntry

    client = factory.SubFactory(UserFactory)
    practitioner = factory.SubFactory(ListedPractitionerFactory)
    length = factory.LazyAttribute(
        lambda e: ServiceLength.objects.filter(
            service__practitioner=e.practitioner, minutes=60
        ).first()
    )
    weekdays = 0b1111111
    parts = 0b111
    first_day = factory.LazyFunction(timezone.localdate)
    last_day = factory.LazyAttribute(lambda e: e.first_day + dt.timedelta(weeks=8))
    place = 1
    joined_at = factory.LazyFunction(timezone.now)


class FreedTimeFactory(DjangoModelFactory):
    """An outbox row: an hour freed next week at 10:00 UTC by a cancellation."""

    class Meta:
        model = FreedTime

    practitioner = factory.SubFactory(ListedPractitionerFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda f: f.starts_at + dt.timedelta(minutes=75))
    cause = FreedTime.Cause.CANCELLED


class PracticeBillingFactory(DjangoModelFactory):
    """A practitioner's money settings: USD, a $40 late-cancellation fee, a 100% no-show fee."""

    class Meta:
        model = PracticeBilling
        django_get_or_create = ("practitioner",)

    practitioner = factory.SubFactory(ListedPractitionerFactory)
    late_cancel_fee_kind = "amount"
    late_cancel_fee_value = "40.00"
    no_show_fee_kind = "percent"
    no_show_fee_value = "100"


class BookingFeesFactory(DjangoModelFactory):
    class Meta:
        model = BookingFees

    booking = factory.SubFactory(BookingFactory)
    late_cancel_fee = "40.00"
    no_show_fee = "80.00"
