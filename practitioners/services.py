from django.db import transaction
from django.dispatch import Signal
from django.utils.text import slugify

from accounts.models import User
from practitioners.models import Practitioner

# Sent once a practitioner's hours, dates, time off, services or booking rules have changed
# (and committed), with `practitioner=`: the cached next free time depends on them and on the
# bookings, which practitioners cannot see (it never imports sessions), so sessions listens
# (sessions.apps connects sessions.next_free.on_calendar_changed).
calendar_changed = Signal()


def announce_calendar_change(practitioner: Practitioner) -> None:
    """Send calendar_changed for `practitioner` once the current transaction commits."""
    transaction.on_commit(
        lambda: calendar_changed.send(sender=Practitioner, practitioner=practitioner)
    )


# Fixed paths under /practitioners/ that a profile slug must not take.
RESERVED_SLUGS = frozenset({"me", "staff", "evidence", "reports"})


def unique_slug(name: str) -> str:
    """A URL name from `name` that no other practitioner has (`jane-doe`, `jane-doe-2`, ...)."""
    base = slugify(name)[:70] or "practitioner"
    taken = RESERVED_SLUGS | set(
        Practitioner.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def practitioner_signup(*, email: str, password: str, full_name: str, timezone: str) -> User:
    """Create a practitioner's user and the empty, unlisted profile they complete later."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, timezone=timezone
    )
    Practitioner.objects.create(
        user=user, display_name=full_name, slug=unique_slug(full_name), timezone=timezone
    )
    return user
