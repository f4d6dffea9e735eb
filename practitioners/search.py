"""The public directory's search: which listed practitioners match, in which order."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from practitioners.models import Modality, Practitioner, ServiceLength

TEXT_FIELDS = ("display_name", "city", "region", "postcode")


def directory_search(
    *,
    text: str = "",
    modality: str = "",
    minutes: int | None = None,
    language: str = "",
    verified_only: bool = False,
    accepting_only: bool = False,
    today: date | None = None,
) -> QuerySet[Practitioner]:
    """Listed practitioners matching every filter given, current badge holders first.
    Each word of `text` must appear in the name, city, region or postcode."""
    practitioners = Practitioner.objects.listed().for_directory(today)
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
    return practitioners
