"""The bench's data set, the same on every run (fixed random seed): 50 listed practitioners
(a 30- and a 60-minute length, Monday to Friday 9:00-17:00 in their zone), 2,000 clients with
a signed intake, then `volume` bookings, bulk-created through the models.

Practitioner 0 is the busy one: their bookings run up to the end of the week after next, so
next week's times are all taken. Everyone else's bookings are in the past (their calendar
ahead is empty); the past is what grows with the volume.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from practitioners.models import (
    Certification,
    Practitioner,
    Service,
    ServiceLength,
    WeeklyHours,
)
from sessions.models import Booking, IntakeForm
from sessions.next_free import refresh_all_next_free

SEED = 13
PRACTITIONERS = 50
CLIENTS = 2_000
BUSY = 0  # index of the practitioner whose next weeks are full
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eva", "Finn", "Grace", "Hugo", "Iris", "Jonah"]
LAST = ["Moreau", "Okafor", "Lindqvist", "Haddad", "Castillo"]
# A working day's back-to-back hours: starts every 75 minutes (60 minutes and the 15-minute
# buffer), 9:00 to 15:15, in the practitioner's zone.
DAY_STARTS = [time(9, 0), time(10, 15), time(11, 30), time(12, 45), time(14, 0), time(15, 15)]
POLICY = "Please cancel at least 24 hours before your session."
INTAKE_ANSWERS = {"pregnancy": "not_pregnant", "medications": "none"}


def slug(index: int) -> str:
    return f"bench-{index:02d}"


def next_monday(zone: ZoneInfo, now: datetime) -> date:
    today = now.astimezone(zone).date()
    return today + timedelta(days=7 - today.weekday())


def listed_practitioners(count: int, prefix: str) -> list[Practitioner]:
    """`count` listed practitioners in a handful of INSERTs (30/60-minute lengths, Monday to
    Friday 08:00-19:00 in Los Angeles on a 15-minute grid; slugs `<prefix>-<n>`): the data the
    in-process render measures use (bench/profile_page.py, tests/reflexbook/test_render_cost.py)."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.com", full_name=f"{prefix.title()} {n:02d}", password="!")
        for n in range(count)
    )
    User.objects.filter(pk__in=[u.pk for u in users]).update(email_verified_at=now)
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(
            user=user,
            display_name=user.full_name,
            slug=f"{prefix}-{n}",
            city="Portland",
            region="Oregon",
            timezone="America/Los_Angeles",
            start_interval_minutes=15,
            next_free_at=now + timedelta(days=1),
            next_free_checked_at=now,
        )
        for n, user in enumerate(users)
    )
    services = Service.objects.bulk_create(
        Service(practitioner=p, name="Foot reflexology", buffer_minutes=15) for p in practitioners
    )
    ServiceLength.objects.bulk_create(
        ServiceLength(service=s, minutes=minutes, price=Decimal(price))
        for s in services
        for minutes, price in ((30, "45"), (60, "80"))
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=p, weekday=day, starts=time(8), ends=time(19))
        for p in practitioners
        for day in range(5)
    )
    return practitioners


def seed_base(now: datetime) -> None:
    """Practitioners, their services, lengths, hours and badges; clients with intakes."""
    users = User.objects.bulk_create(
        User(
            email=f"practitioner{n:02d}@bench.example",
            full_name=f"{FIRST[n % 10]} {LAST[n // 10]}",
            password="!",
            email_verified_at=now,
            timezone=ZONES[n % len(ZONES)],
        )
        for n in range(PRACTITIONERS)
    )
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(
            user=user,
            display_name=user.full_name,
            slug=slug(n),
            bio="Foot and hand reflexology for rest and recovery. " * 4,
            city=["Portland", "Austin", "Denver", "Boston"][n % 4],
            region=["Oregon", "Texas", "Colorado", "Massachusetts"][n % 4],
            timezone=user.timezone,
            offers_hand=n % 2 == 0,
            languages="English, Spanish" if n % 4 == 0 else "English",
            auto_confirm=True,
            approve_first_time_clients=False,
        )
        for n, user in enumerate(users)
    )
    services = Service.objects.bulk_create(
        Service(
            practitioner=p,
            name="Foot reflexology",
            description="A relaxing session working the reflexes of both feet.",
        )
        for p in practitioners
    )
    ServiceLength.objects.bulk_create(
        ServiceLength(service=s, minutes=minutes, price=Decimal(price))
        for s in services
        for minutes, price in ((30, "45.00"), (60, "80.00"))
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=p, weekday=day, starts=time(9), ends=time(17))
        for p in practitioners
        for day in range(5)
    )
    Certification.objects.bulk_create(
        Certification(
            practitioner=p,
            kind="foot",
            state="verified",
            year_certified=2019,
            ce_cycle_end=date(2099, 12, 31),
            credential_id=f"ARCB-{1000 + n}",
            submitted_at=now,
            verified_at=now,
        )
        for n, p in enumerate(practitioners)
        if n % 2 == 0
    )
    clients = User.objects.bulk_create(
        (
            User(
                email=f"client{n:04d}@bench.example",
                full_name=f"Client {n:04d}",
                password="!",
                email_verified_at=now,
                timezone=ZONES[n % len(ZONES)],
            )
            for n in range(CLIENTS)
        ),
        batch_size=500,
    )
    IntakeForm.objects.bulk_create(
        (
            IntakeForm(
                client=c,
                version=1,
                answers=INTAKE_ANSWERS,
                flags=[],
                consent_text_version="2026-12",
                signed_name=c.full_name,
                signed_at=now - timedelta(days=30),
                signed_ip="127.0.0.1",
            )
            for c in clients
        ),
        batch_size=500,
    )


def _starts_backwards(zone: ZoneInfo, last_day: date):
    """Booking starts (UTC), latest first, on the working days up to `last_day`."""
    day = last_day
    while True:
        if day.weekday() < 5:
            for start in reversed(DAY_STARTS):
                yield datetime.combine(day, start, zone).astimezone(UTC)
        day -= timedelta(days=1)


def seed_bookings(volume: int, now: datetime) -> None:
    """`volume` bookings, shared evenly among the practitioners (see the module docstring);
    past ones mostly completed, some cancelled or missed; future ones confirmed."""
    rng = random.Random(SEED)
    intakes = dict(IntakeForm.objects.values_list("client_id", "pk"))
    client_ids = sorted(intakes)
    practitioners = list(
        Practitioner.objects.filter(slug__startswith="bench-")
        .order_by("slug")
        .prefetch_related("services__lengths")
    )
    per_practitioner = volume // len(practitioners)
    rows = []
    for n, practitioner in enumerate(practitioners):
        zone = ZoneInfo(practitioner.timezone)
        service = practitioner.services.all()[0]
        if n == BUSY:
            last_day = next_monday(zone, now) + timedelta(days=13)
        else:
            last_day = now.astimezone(zone).date() - timedelta(days=1)
        starts = _starts_backwards(zone, last_day)
        for _ in range(per_practitioner):
            start = next(starts)
            client_id = rng.choice(client_ids)
            if start > now:
                status = Booking.Status.CONFIRMED
            else:
                status = rng.choices(
                    [
                        Booking.Status.COMPLETED,
                        Booking.Status.CANCELLED_BY_CLIENT,
                        Booking.Status.NO_SHOW,
                    ],
                    weights=[85, 10, 5],
                )[0]
            rows.append(
                Booking(
                    client_id=client_id,
                    practitioner=practitioner,
                    service=service,
                    minutes=60,
                    price=Decimal("80.00"),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=60),
                    blocks_from=start,
                    blocks_until=start + timedelta(minutes=75),
                    status=status,
                    policy_text=POLICY,
                    intake_id=intakes[client_id],
                )
            )
    Booking.objects.bulk_create(rows, batch_size=2_000)
    refresh_all_next_free()


def seed(volume: int) -> None:
    now = timezone.now()
    seed_base(now)
    seed_bookings(volume, now)
