"""The public directory's search: which listed practitioners match, in which order."""

from datetime import date, datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from practitioners.models import Modality, Practitioner, ServiceLength

TEXT_FIELDS = ("display_name", "city", "region", "postcode")
# "Free this week": a free time within this long from now.
FREE_SOON = timedelta(days=7)


def directory_search(
    *,
    text: str = "",
    modality: str = "",
    minutes: int | None = None,
    language: str = "",
    verified_only: bool = False,
    accepting_only: bool = False,
    free_this_week: bool = False,
    soonest: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Practitioner]:
    """Listed practitioners matching every filter given, current badge holders first (or,
    with `soonest`, the soonest next free time first). Each word of `text` must appear in
    the name, city, region or postcode; `free_this_week` keeps those with a free time in the
    next 7 days. Both read the cached next free time (sessions.next_free), not the slots."""
    now = now or timezone.now()
    practitioners = Practitioner.objects.listed().for_directory(today, now)
    for word in text.split():
        practitioners = practitioners.filter(
            Q.create([(f"{field}__icontains", word) for field in TEXT_FIELDS], connector=Q.OR)
        )
    if modality:
        practitioners = practitioners.filter(**{f"offers_{Modality(modality).value}": True})
    if minutes:
        offered = ServiceLength.objects.filter(
            service__practitioner=OuterRef("pk"), service__is_active=True, minutes=minutes
        )
        practitioners = practitioners.filter(Exists(offered))
    if language.strip():
        practitioners = practitioners.filter(languages__icontains=language.strip())
    if verified_only:
        practitioners = practitioners.filter(has_badge=True)
    if accepting_only:
        practitioners = practitioners.filter(accepting_new_clients=True)
    if free_this_week:
        practitioners = practitioners.filter(upcoming_free_at__lt=now + FREE_SOON)
    if soonest:
        practitioners = practitioners.order_by(
            F("upcoming_free_at").asc(nulls_last=True), "display_name", "pk"
        )
    return practitioners
