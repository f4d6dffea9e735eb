"""Demo data for `manage.py seed_demo`: logins for every role, and practitioners with photos,
services, hours, time off and ARCB credentials in every state, so the directory looks real.

Each person is created only if their email is not taken yet, all in one transaction: running
the seed again changes nothing, and a database seeded by an older version keeps its rows.
"""

import io
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts import mfa
from accounts.models import StaffAction, User
from practitioners import review
from practitioners.busy_import import store_busy_times
from practitioners.certification import subject as certification_subject
from practitioners.hours import whole_days_span
from practitioners.models import (
    BusyCalendar,
    Certification,
    CertificationEvent,
    CertificationEvidence,
    ClientReport,
    DateException,
    Practitioner,
    RevocationProposal,
    Service,
    TimeOff,
    WeeklyHours,
)
from practitioners.services import practitioner_signup

State = Certification.State
Kind = Certification.Kind

STAFF = ("admin@example.com", "demo-pass-1", "Alex Admin")
# The demo staff login's authenticator secret (staff must sign in with two factors). It is
# printed with the login so anyone trying the demo can add it to an authenticator app.
STAFF_TOTP_SECRET = "REFLEXBOOKDEMOSTAFFSECRETTOTP234"
# A second member of staff, to confirm the revocation Alex proposed (a revocation takes two).
SECOND_STAFF = ("reviewer@example.com", "demo-pass-30", "Robin Reviewer")
SECOND_STAFF_TOTP_SECRET = "REFLEXBOOKDEMOREVIEWERSECRETTOTP"
CLIENTS = [
    ("client@example.com", "demo-pass-4", "Chris Client", "America/Chicago"),
    ("sam@example.com", "demo-pass-5", "Sam Rivera", "America/Los_Angeles"),
]
# Demo people who read reflexbook in another language (issue 19): their pages once signed
# in, their emails and calendar files. Everyone else reads English.
LANGUAGES = {"sam@example.com": "es", "daniel@example.com": "fr"}
LANGUAGES_NOTE = (
    "note: sam@example.com reads reflexbook in Spanish and daniel@example.com in French (their "
    "account's language: pages once signed in, emails, calendar files); anyone can switch with "
    "the footer's Site language."
)

# How a demo credential got to its state. Each story is a list of (days before today,
# from state, to state, who: "owner" | "staff" | None for the system, reason, stock reason).
DRAFT, PENDING, RESUBMITTED, VERIFIED, REJECTED, LAPSED, REVOKED = (
    "draft",
    "pending",
    "resubmitted",
    "verified",
    "rejected",
    "lapsed",
    "revoked",
)
# For the staff workspace: a credential submitted this morning (the queue's newest), and a
# verified one whose CE cycle ends within 60 days (a badge lapsing soon).
FRESH, LAPSING = "fresh", "lapsing"
# Staff asked for more; verified, with a revocation waiting for a second member of staff.
MORE_INFO, REVOKE_PROPOSED = "more_info", "revoke_proposed"
REJECT_REASON = (
    "The certificate you uploaded is for foot reflexology; hand certification has its own "
    "ARCB certificate. Upload the hand certificate and resubmit."
)
UNREADABLE_REASON = (
    "The scan is too blurred to read the name and date. Please upload a sharper scan or a "
    "photo of the certificate in good light."
)
MORE_INFO_REQUEST = (
    "Thank you. The photo of your hand certificate cuts off the date at the bottom. Please "
    "add a photo of the whole certificate, or the back of your ARCB ID card, which shows the "
    "certification date."
)
PROPOSED_REVOKE_REASON = (
    "A client reported that ARCB lists this credential as suspended. Please check the ARCB "
    "listing and confirm or withdraw."
)
REVOKE_REASON = (
    "ARCB told us this certification was terminated on renewal. If it has been reinstated, "
    "upload the new certificate and resubmit."
)


@dataclass(frozen=True)
class DemoService:
    name: str
    description: str
    prices: dict[int, int]  # minutes -> dollars
    buffer_minutes: int = 15
    is_active: bool = True
    # A home visit: the postcodes visited and the travel time each way.
    visit_postcodes: str = ""
    travel_minutes: int = 0


@dataclass(frozen=True)
class DemoCredential:
    kind: str
    story: str
    credential_id: str = ""
    age: int = 220  # days since a verified or revoked credential was approved


@dataclass(frozen=True)
class DemoPractitioner:
    email: str
    password: str
    name: str
    zone: str
    colour: str
    bio: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = "United States"
    phone: str = ""
    languages: str = "English"
    modalities: tuple[str, ...] = ("foot",)
    years: int | None = None
    accepting: bool = True
    premises: str = ""
    services: list[DemoService] = field(default_factory=list)
    # (weekdays 0=Monday, [(start, end), ...]): the gap between ranges is the lunch break.
    hours: list[tuple[tuple[int, ...], list[tuple[time, time]]]] = field(default_factory=list)
    credentials: list[DemoCredential] = field(default_factory=list)
    # False shows the "confirm your email address" step (account page and listing checklist).
    email_confirmed: bool = True
    # Busy times imported from the practitioner's own calendar (issue 17), read from this file
    # shipped in practitioners/data/ (never fetched: the demo needs no network).
    busy_file: str = ""


def _menu(taster: int, foot45: int, foot60: int, both60: int | None = None) -> list[DemoService]:
    menu = [
        DemoService(
            "Taster",
            "A short first session on the feet, to see whether reflexology suits you.",
            {30: taster},
            buffer_minutes=10,
        ),
        DemoService(
            "Foot reflexology",
            "A full session working the reflexes of both feet, with time to talk before and after.",
            {45: foot45, 60: foot60},
        ),
    ]
    if both60:
        menu.append(
            DemoService(
                "Hands and feet",
                "Both feet, then both hands. Good if your feet are sensitive or ticklish.",
                {60: both60},
                buffer_minutes=20,
            )
        )
    return menu


WEEKDAYS = (0, 1, 2, 3, 4)
GRACE_POSTCODES = "99501, 99503, 99504, 99507, 99508, 99517"
LUNCH = [(time(9), time(12, 30)), (time(13, 30), time(17, 30))]

PRACTITIONERS = [
    DemoPractitioner(
        "maya@example.com",
        "demo-pass-2",
        "Maya Okafor",
        "America/New_York",
        "#1f5f5b",
        bio="I trained in foot and hand reflexology after twenty years as a dance teacher.\n\n"
        "Sessions are calm and unhurried, and I will always ask how you are feeling first.",
        street="412 7th Avenue",
        phone="+1 718 555 0142",
        city="Brooklyn",
        region="New York",
        postcode="11215",
        languages="English, Igbo",
        modalities=("foot", "hand"),
        years=12,
        premises="Ground floor studio with step-free access; street parking.",
        services=[
            *_menu(50, 75, 95, 110),
            DemoService(
                "Pregnancy reflexology",
                "Gentle relaxation after the first trimester, with your midwife's agreement.",
                {60: 95},
                is_active=False,
            ),
        ],
        hours=[(WEEKDAYS, LUNCH)],
        credentials=[
            DemoCredential(Kind.FOOT, LAPSING, "ARCB-11842", age=610),
            DemoCredential(Kind.HAND, VERIFIED, "ARCB-11842-H", age=95),
        ],
        busy_file="demo_busy_calendar.ics",
    ),
    DemoPractitioner(
        "tom@example.com",
        "demo-pass-3",
        "Tom Lindqvist",
        "Europe/London",
        "#5b4a8a",
        bio="Newly qualified, setting up my practice.",
        street="18 Camden Road",
        phone="+44 20 7946 0018",
        city="London",
        postcode="NW1 9LS",
        country="United Kingdom",
        credentials=[DemoCredential(Kind.FOOT, DRAFT)],
        email_confirmed=False,
    ),
    DemoPractitioner(
        "rosa@example.com",
        "demo-pass-6",
        "Rosa Delgado",
        "America/Los_Angeles",
        "#b5452b",
        bio="Bilingual reflexology in North Park. I see many clients who stand all day at "
        "work and want an hour to put their feet up.",
        street="3015 University Avenue",
        phone="+1 619 555 0166",
        city="San Diego",
        region="California",
        postcode="92104",
        languages="English, Spanish",
        modalities=("foot", "hand"),
        years=8,
        premises="Second floor, lift available. Two-hour parking on 30th Street.",
        services=_menu(45, 70, 85, 100),
        hours=[((1, 2, 3, 4), [(time(10), time(13)), (time(14), time(19))]), ((5,), LUNCH[:1])],
        credentials=[
            DemoCredential(Kind.FOOT, VERIFIED, "ARCB-20513", age=330),
            DemoCredential(Kind.HAND, RESUBMITTED, "ARCB-20513-H"),
        ],
    ),
    DemoPractitioner(
        "james@example.com",
        "demo-pass-7",
        "James Whitfield",
        "America/Chicago",
        "#2b5c9e",
        bio="Former physical education teacher, now a full-time reflexologist in South Austin.",
        street="1207 South 1st Street",
        phone="+1 512 555 0131",
        city="Austin",
        region="Texas",
        postcode="78704",
        years=3,
        premises="Garden studio behind the house; one small step at the door.",
        services=_menu(40, 60, 75),
        hours=[(WEEKDAYS, [(time(8), time(12)), (time(13), time(16))])],
        credentials=[
            DemoCredential(Kind.FOOT, PENDING, "ARCB-31077"),
            DemoCredential(Kind.HAND, MORE_INFO, "ARCB-31077-H"),
        ],
    ),
    DemoPractitioner(
        "aiko@example.com",
        "demo-pass-8",
        "Aiko Tanaka",
        "Pacific/Honolulu",
        "#8a5a00",
        bio="Foot, hand and ear reflexology near Ala Moana. I learned ear reflexology in "
        "Osaka and love sharing it.",
        street="1441 Kapiolani Boulevard, Suite 410",
        phone="+1 808 555 0177",
        city="Honolulu",
        region="Hawaii",
        postcode="96814",
        languages="English, Japanese",
        modalities=("foot", "hand", "ear"),
        years=15,
        premises="Quiet room in a shared wellness centre; elevator and accessible restroom.",
        services=_menu(55, 80, 100, 120),
        hours=[((0, 2, 4), LUNCH), ((5,), [(time(9), time(13))])],
        credentials=[
            DemoCredential(Kind.FOOT, REVOKE_PROPOSED, "ARCB-08871", age=180),
            DemoCredential(Kind.HAND, REJECTED, "ARCB-08871"),
        ],
    ),
    DemoPractitioner(
        "priya@example.com",
        "demo-pass-9",
        "Priya Raman",
        "America/Denver",
        "#7a3b69",
        bio="Relaxing foot reflexology in Congress Park, evenings included.",
        street="2925 East 6th Avenue",
        phone="+1 303 555 0108",
        city="Denver",
        region="Colorado",
        postcode="80206",
        languages="English, Hindi, Tamil",
        years=6,
        services=_menu(45, 65, 80),
        hours=[((0, 1, 2, 3), [(time(12), time(15)), (time(16), time(20))])],
        credentials=[DemoCredential(Kind.FOOT, LAPSED, "ARCB-17420")],
    ),
    DemoPractitioner(
        "daniel@example.com",
        "demo-pass-10",
        "Daniel Moreau",
        "America/Phoenix",
        "#3c6e1f",
        bio="Foot and ear reflexology downtown. Early starts for people on shifts.",
        street="221 North Central Avenue, Suite 210",
        phone="+1 602 555 0193",
        city="Phoenix",
        region="Arizona",
        postcode="85004",
        languages="English, French",
        modalities=("foot", "ear"),
        years=10,
        accepting=False,
        premises="Suite 210; elevator from the lobby.",
        services=_menu(40, 65, 80),
        hours=[(WEEKDAYS, [(time(7), time(11)), (time(12), time(15))])],
        credentials=[DemoCredential(Kind.FOOT, REVOKED, "ARCB-14092", age=400)],
    ),
    DemoPractitioner(
        "grace@example.com",
        "demo-pass-11",
        "Grace O'Neill",
        "America/Anchorage",
        "#9c2f4a",
        bio="Home visits across Anchorage. I bring a reclining chair, warm blankets and "
        "clean linen.",
        street="640 West 36th Avenue",
        phone="+1 907 555 0125",
        city="Anchorage",
        region="Alaska",
        postcode="99501",
        years=2,
        premises="I come to you: tell me about stairs or pets when you book.",
        # Home visits only: Anchorage postcodes, 20 minutes' drive each way.
        services=[
            replace(item, visit_postcodes=GRACE_POSTCODES, travel_minutes=20)
            for item in _menu(50, 75, 90)
        ],
        hours=[((1, 3, 5), LUNCH)],
        credentials=[DemoCredential(Kind.FOOT, FRESH, "ARCB-40219")],
    ),
    DemoPractitioner(
        "lena@example.com",
        "demo-pass-12",
        "Lena Fischer",
        "America/New_York",
        "#005f73",
        bio="Reflexology in Back Bay for busy people: book a taster in your lunch hour.\n\n"
        "I also run short classes on hand reflexology you can do at your desk.",
        street="500 Boylston Street",
        phone="+1 617 555 0154",
        city="Boston",
        region="Massachusetts",
        postcode="02116",
        languages="English, German",
        modalities=("foot", "hand"),
        years=20,
        premises="Third floor with elevator; five minutes from Copley station.",
        services=_menu(60, 85, 110, 130),
        hours=[(WEEKDAYS, [(time(8), time(12)), (time(13), time(18))])],
        credentials=[
            DemoCredential(Kind.FOOT, VERIFIED, "ARCB-05530", age=700),
            DemoCredential(Kind.HAND, VERIFIED, "ARCB-05530-H", age=41),
        ],
    ),
]


# --- generated files -------------------------------------------------------------------------


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def photo_jpeg(name: str, colour: str) -> bytes:
    """A square portrait stand-in: the initials in white on a coloured background."""
    image = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(image)
    draw.text((200, 200), _initials(name), fill="white", font=_font(160), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def id_card_png(name: str, credential_id: str, kind: str) -> bytes:
    """A small picture of an ARCB ID card, marked as a demo."""
    image = Image.new("RGB", (600, 360), "#f4f1e8")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 599, 70), fill="#1f3d5b")
    draw.text((24, 35), "ARCB (demo card)", fill="white", font=_font(32), anchor="lm")
    lines = [name, f"Reflexology: {kind}", f"ID: {credential_id or 'none'}", "NOT A REAL CARD"]
    for n, line in enumerate(lines):
        draw.text((24, 110 + n * 56), line, fill="#222222", font=_font(30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def certificate_pdf(*pages: list[str]) -> bytes:
    """A PDF with a page for each list of lines of text (valid enough for any viewer)."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    # Objects 1-3 are the catalog, the page tree and the font; each page is two more objects,
    # the page and its text.
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n, lines in enumerate(pages):
        text = " ".join(f"({escape(line)}) '" for line in lines)
        stream = f"BT /F1 16 Tf 24 TL 72 760 Td {text} ET".encode("latin-1")
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * n),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- building the rows -------------------------------------------------------------------------


def _local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def _profile(demo: DemoPractitioner, today: date) -> Practitioner:
    user = practitioner_signup(
        email=demo.email, password=demo.password, full_name=demo.name, timezone=demo.zone
    )
    practitioner = user.practitioner
    practitioner.timezone = demo.zone
    practitioner.bio = demo.bio
    practitioner.street, practitioner.city, practitioner.region = (
        demo.street,
        demo.city,
        demo.region,
    )
    practitioner.postcode, practitioner.country = demo.postcode, demo.country
    practitioner.phone = demo.phone
    practitioner.languages = demo.languages
    practitioner.offers_foot = "foot" in demo.modalities
    practitioner.offers_hand = "hand" in demo.modalities
    practitioner.offers_ear = "ear" in demo.modalities
    practitioner.years_in_practice = demo.years
    practitioner.accepting_new_clients = demo.accepting
    practitioner.premises_note = demo.premises
    practitioner.photo.save(
        f"{practitioner.slug}.jpg", ContentFile(photo_jpeg(demo.name, demo.colour)), save=False
    )
    practitioner.full_clean()
    practitioner.save()

    for item in demo.services:
        service = Service.objects.create(
            practitioner=practitioner,
            name=item.name,
            description=item.description,
            buffer_minutes=item.buffer_minutes,
            is_active=item.is_active,
            is_home_visit=bool(item.visit_postcodes),
            visit_postcodes=item.visit_postcodes,
            travel_minutes=item.travel_minutes,
        )
        for minutes, dollars in item.prices.items():
            service.lengths.create(minutes=minutes, price=Decimal(dollars))
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=practitioner, weekday=weekday, starts=starts, ends=ends)
        for weekdays, ranges in demo.hours
        for weekday in weekdays
        for starts, ends in ranges
    )
    if demo.hours:
        DateException.objects.create(
            practitioner=practitioner,
            date=today + timedelta(days=10),
            kind=DateException.Kind.CLOSED,
        )
        DateException.objects.create(
            practitioner=practitioner,
            date=today + timedelta(days=17),
            kind=DateException.Kind.EXTRA,
            starts=time(10),
            ends=time(14),
        )
        # A week's holiday as whole days, as the time-off page enters them.
        holiday = today + timedelta(days=30)
        starts_at, ends_at = whole_days_span(
            holiday, holiday + timedelta(days=6), ZoneInfo(demo.zone)
        )
        TimeOff.objects.create(
            practitioner=practitioner, starts_at=starts_at, ends_at=ends_at, reason="Holiday"
        )
    return practitioner


DATA = Path(__file__).parent / "data"
# The demo's calendar addresses: example.com never answers, so when run_due_jobs tries them
# the page shows a failed read and keeps the busy times read from the shipped file.
DEMO_CALENDAR_URL = "https://calendar.example.com/ical/{slug}/private-demo/basic.ics"
DEMO_WORK_CALENDAR_URL = "https://outlook.example.com/owa/calendar/{slug}/reachcalendar.ics"


def _busy_calendars(practitioner: Practitioner, busy_file: str, now: datetime) -> None:
    """Two of the practitioner's own calendars: a personal one whose busy times are read from
    the shipped file through the import's own expansion (a weekly choir rehearsal on Thursday
    evenings with a skipped and a moved week, Saturdays all day, a Friday reminder shown as
    free), and a work one whose last read failed, to show the error."""
    personal = BusyCalendar.objects.create(
        practitioner=practitioner,
        name="Personal (Google)",
        url=DEMO_CALENDAR_URL.format(slug=practitioner.slug),
    )
    store_busy_times(personal, (DATA / busy_file).read_bytes(), now=now)
    BusyCalendar.objects.create(
        practitioner=practitioner,
        name="Work (Outlook)",
        url=DEMO_WORK_CALENDAR_URL.format(slug=practitioner.slug),
        fetched_at=now - timedelta(minutes=5),
        error="The calendar server did not answer within 10 seconds.",
        error_at=now - timedelta(minutes=5),
    )


def _cycle_end(year: int) -> date:
    return date(year, 12, 31)


def _story(story: str, age: int, now: datetime, zone: str) -> tuple[date, list[tuple]]:
    """The CE cycle end and the history (when, from, to, who, reason) of a demo credential."""
    this_year = timezone.localdate(now).year
    current = _cycle_end(this_year + 1)

    def days(n: int) -> datetime:
        return now - timedelta(days=n)

    submit = (DRAFT, PENDING, "owner", "", "")
    approve = (PENDING, VERIFIED, "staff", "", "")
    if story == DRAFT:
        return current, []
    if story == PENDING:
        # Five days ago is at least three working days: over the 2-day target.
        return current, [(days(5), *submit)]
    if story == FRESH:
        return current, [(now - timedelta(hours=3), *submit)]
    if story == LAPSING:
        return _lapsing_end(now, zone), [(days(age + 2), *submit), (days(age), *approve)]
    if story == MORE_INFO:
        return current, [
            (days(9), *submit),
            (days(7), PENDING, MORE_INFO, "staff", MORE_INFO_REQUEST, ""),
        ]
    if story == RESUBMITTED:
        return current, [
            (days(45), *submit),
            (days(43), PENDING, REJECTED, "staff", UNREADABLE_REASON, "unreadable"),
            (days(2), REJECTED, PENDING, "owner", "", ""),
        ]
    if story in (VERIFIED, REVOKE_PROPOSED):
        return current, [(days(age + 2), *submit), (days(age), *approve)]
    if story == REJECTED:
        return current, [
            (days(30), *submit),
            (days(28), PENDING, REJECTED, "staff", REJECT_REASON, "other"),
        ]
    if story == REVOKED:
        return current, [
            (days(age + 2), *submit),
            (days(age), *approve),
            (days(20), VERIFIED, REVOKED, "staff", REVOKE_REASON, ""),
        ]
    if story == LAPSED:
        # The lapse job ran a few minutes after midnight, in the practitioner's zone, after
        # the cycle's last day; early on 1 January that may not have happened yet.
        ended = _cycle_end(this_year - 1)
        lapsed_at = _local(ended + timedelta(days=1), time(0, 5), zone)
        if lapsed_at > now:
            ended = _cycle_end(this_year - 3)
            lapsed_at = _local(ended + timedelta(days=1), time(0, 5), zone)
        return ended, [
            (lapsed_at - timedelta(days=700), *submit),
            (lapsed_at - timedelta(days=698), *approve),
            (lapsed_at, VERIFIED, LAPSED, None, "", ""),
        ]
    raise ValueError(f"unknown credential story {story!r}")


def _lapsing_end(now: datetime, zone: str) -> date:
    """A CE cycle end within the workspace's 60 days: this 31 December in November and
    December, else 30 days ahead (as for a practitioner given a hardship extension)."""
    today = now.astimezone(ZoneInfo(zone)).date()
    year_end = _cycle_end(today.year)
    return year_end if 7 <= (year_end - today).days <= 60 else today + timedelta(days=30)


def _credential(
    practitioner: Practitioner, item: DemoCredential, staff: User, now: datetime
) -> Certification:
    cycle_end, history = _story(item.story, item.age, now, practitioner.timezone)
    actors = {"owner": practitioner.user, "staff": staff, None: None}
    submitted = [at for at, _, to_state, *_ in history if to_state == PENDING]
    verified = [at for at, _, to_state, *_ in history if to_state == VERIFIED]
    certification = Certification.objects.create(
        practitioner=practitioner,
        kind=item.kind,
        credential_id=item.credential_id,
        year_certified=cycle_end.year - 4,  # ARCB cycles end two, four... years after
        ce_cycle_end=cycle_end,
        state=history[-1][2] if history else State.DRAFT,
        submitted_at=submitted[-1] if submitted else None,
        verified_at=verified[-1] if verified else None,
    )
    if submitted:
        _evidence(certification, item.story, submitted[0])
    # Staff looked at the files of the first submission (the demo adds no files later).
    seen = [str(code) for code in certification.evidence.values_list("code", flat=True)]
    events = CertificationEvent.objects.bulk_create(
        CertificationEvent(
            certification=certification,
            actor=actors[who],
            at=at,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            reason_code=reason_code,
            evidence_seen=seen if who == "staff" else [],
        )
        for at, from_state, to_state, who, reason, reason_code in history
    )
    # Each decision is in the staff activity log, as a decision made on the page would be.
    logged = {
        VERIFIED: "credential_approved",
        REJECTED: "credential_rejected",
        MORE_INFO: "credential_more_info",
        REVOKED: "credential_revoked",
    }
    about = certification_subject(certification)
    StaffAction.objects.bulk_create(
        StaffAction(
            actor=staff,
            at=event.at,
            action=logged[event.to_state],
            subject_type=about.type,
            subject_id=about.id,
            subject_label=about.label,
            detail={"reason_code": event.reason_code, "evidence": seen},
        )
        for event in events
        if event.actor_id == staff.pk
    )
    if item.story == REVOKE_PROPOSED:
        proposal = RevocationProposal.objects.create(
            certification=certification,
            proposed_by=staff,
            proposed_at=now - timedelta(days=1),
            reason=PROPOSED_REVOKE_REASON,
            evidence_seen=seen,
        )
        StaffAction.objects.create(
            actor=staff,
            at=proposal.proposed_at,
            action="revocation_proposed",
            subject_type=about.type,
            subject_id=about.id,
            subject_label=about.label,
            detail={"proposal": str(proposal.code), "evidence": seen},
        )
    return certification


def _ce_record_pages(certification: Certification) -> list[list[str]]:
    """Two pages of continuing-education hours, as an ARCB renewal record lists them."""
    end = certification.ce_cycle_end
    courses = [
        "Reflexology and the nervous system (4 hours)",
        "Ethics and boundaries in practice (2 hours)",
        "Hand reflexology refresher (3 hours)",
        "Client records and privacy (3 hours)",
    ]
    return [
        [
            "ARCB continuing education record (DEMO)",
            f"Credential ID: {certification.credential_id or 'none'}",
            f"Cycle ending {end:%d %B %Y}: 12 hours required",
            *courses[:2],
        ],
        ["ARCB continuing education record (DEMO), continued", *courses[2:], "Total: 12 hours"],
    ]


def _evidence(certification: Certification, story: str, uploaded_at: datetime) -> None:
    name = certification.practitioner.display_name
    kind = certification.get_kind_display().lower()
    files = [
        (
            f"arcb-{kind}-certificate.pdf",
            "application/pdf",
            certificate_pdf(
                [
                    "American Reflexology Certification Board (DEMO - not a real certificate)",
                    f"This certifies that {name}",
                    f"has passed the {kind} reflexology examination.",
                    f"Credential ID: {certification.credential_id or 'none'}",
                    f"Year certified: {certification.year_certified}",
                ],
                # A first submission comes with the CE record too: a PDF of several pages
                # for the staff review page's viewer.
                *(_ce_record_pages(certification) if story == PENDING else []),
            ),
        )
    ]
    if story in (PENDING, RESUBMITTED, FRESH):
        files.append(
            (
                f"arcb-{kind}-id-card.png",
                "image/png",
                id_card_png(name, certification.credential_id, kind),
            )
        )
    for original_name, content_type, data in files:
        evidence = CertificationEvidence(
            certification=certification,
            original_name=original_name,
            content_type=content_type,
            size=len(data),
        )
        evidence.file.save(original_name, ContentFile(data), save=False)
        evidence.save()
    # auto_now_add stamped them now; they came with the first submission.
    certification.evidence.update(uploaded_at=uploaded_at)


def _exported_once(staff: User, now: datetime) -> None:
    """One earlier export of the activity log, so the log shows that kind of row too."""
    if not StaffAction.objects.filter(actor=staff, action="activity_exported").exists():
        StaffAction.objects.create(
            actor=staff,
            action="activity_exported",
            at=now - timedelta(days=1, hours=2),
            subject_type="activity_log",
            subject_label="Staff activity log",
            detail={"filters": "action: credential_rejected"},
        )


# --- the seed ----------------------------------------------------------------------------------


def _staff_user() -> User:
    email, password, name = STAFF
    staff = User.objects.filter(email=email).first()
    staff = staff or User.objects.create_superuser(email=email, password=password, full_name=name)
    mfa.give_app_device(staff, STAFF_TOTP_SECRET)
    return staff


def _second_staff_user() -> User:
    email, password, name = SECOND_STAFF
    staff = User.objects.filter(email=email).first()
    staff = staff or User.objects.create_user(
        email=email, password=password, full_name=name, is_staff=True
    )
    mfa.give_app_device(staff, SECOND_STAFF_TOTP_SECRET)
    return staff


# The trust-and-safety queue (issue 15): Priya saved a soft claim, confirming its wording;
# Sam Rivera reported Daniel from his profile.
FLAGGED_BIO = (
    "Relaxing foot reflexology in Congress Park, evenings included. Many clients say a "
    "session helps them detox after a long week."
)


def _review_queue() -> None:
    """One flagged profile and one client report in the queue, as the profile page and the
    report form leave them (practitioners.review); nothing if they are there already."""
    priya = Practitioner.objects.get(user__email="priya@example.com")
    if not priya.review_items.exists():
        Practitioner.objects.filter(pk=priya.pk).update(bio=FLAGGED_BIO)
        review.flag_saved_text(
            practitioner=priya,
            subject=review.profile_subject(),
            texts=[priya.display_name, FLAGGED_BIO],
            warned=True,
        )
    daniel = Practitioner.objects.get(user__email="daniel@example.com")
    if not daniel.reports.exists():
        review.submit_report(
            client=User.objects.get(email="sam@example.com"),
            practitioner=daniel,
            reason=ClientReport.Reason.MISLEADING,
            details="At my first visit he said weekly sessions would get rid of my migraines.",
        )


def _language(email: str) -> None:
    """A new demo account's language: LANGUAGES's, else English."""
    User.objects.filter(email=email).update(language=LANGUAGES.get(email, "en"))


def seed(now: datetime | None = None) -> list[tuple[str, ...]]:
    """Create whatever demo people are missing (with everything they own), in one
    transaction, and return every demo login as (role, email, password), the two staff ones
    with a fourth item, their authenticator secret as `totp=SECRET`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    logins: list[tuple[str, ...]] = [
        ("staff", STAFF[0], STAFF[1], f"totp={STAFF_TOTP_SECRET}"),
        ("staff", SECOND_STAFF[0], SECOND_STAFF[1], f"totp={SECOND_STAFF_TOTP_SECRET}"),
    ]
    with transaction.atomic():
        staff = _staff_user()
        _second_staff_user()
        for demo in PRACTITIONERS:
            if not User.objects.filter(email=demo.email).exists():
                practitioner = _profile(demo, today)
                _language(demo.email)
                if demo.busy_file:
                    _busy_calendars(practitioner, demo.busy_file, now)
                for item in demo.credentials:
                    _credential(practitioner, item, staff, now)
            logins.append(("practitioner", demo.email, demo.password))
        _exported_once(staff, now)
        for email, password, name, zone in CLIENTS:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email=email, password=password, full_name=name, timezone=zone
                )
                _language(email)
            logins.append(("client", email, password))
        # Demo people have confirmed their addresses, so they book and are listed at once;
        # one new practitioner has not yet, to show that step.
        unconfirmed = {demo.email for demo in PRACTITIONERS if not demo.email_confirmed}
        User.objects.filter(
            email__in=[login[1] for login in logins if login[1] not in unconfirmed],
            email_verified_at__isnull=True,
        ).update(email_verified_at=now)
        _review_queue()
    return logins
