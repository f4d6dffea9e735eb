"""The directory runs the same number of SQL queries however many practitioners are listed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from practitioners.models import (
    Certification,
    Practitioner,
    Service,
    ServiceLength,
    WeeklyHours,
)

pytestmark = pytest.mark.django_db

URL = reverse("practitioners:directory")
# Count of matches, the page of practitioners, their current badges; and for a visitor the
# version the cached page is keyed on (reflexbook.lib.page_cache), the one query a cached
# page then costs (tests/reflexbook/test_page_cache.py).
QUERY_BUDGET = 4


def bulk_listed(count: int) -> None:
    """`count` listed practitioners in a handful of INSERTs: every third with a foot badge,
    every fifth also a hand badge, every seventh with a photo, and a pending credential on
    the rest (which must not show)."""
    users = User.objects.bulk_create(
        User(
            email=f"bulk{n}@example.com",
            full_name=f"Bulk {n:03d}",
            password="!",
            email_verified_at=timezone.now(),
        )
        for n in range(count)
    )
    practitioners = Practitioner.objects.bulk_create(
        Practitioner(
            user=user,
            display_name=user.full_name,
            slug=f"bulk-{n}",
            city="Portland",
            region="Oregon",
            offers_hand=n % 2 == 0,
            languages="English, Spanish" if n % 4 == 0 else "English",
            photo=f"practitioners/photos/bulk-{n}.jpg" if n % 7 == 0 else "",
        )
        for n, user in enumerate(users)
    )
    services = Service.objects.bulk_create(
        # Every third practitioner visits homes: the card says so, in the same queries.
        Service(
            practitioner=p,
            name="Foot reflexology",
            is_home_visit=n % 3 == 0,
            visit_postcodes="97201" if n % 3 == 0 else "",
        )
        for n, p in enumerate(practitioners)
    )
    ServiceLength.objects.bulk_create(
        ServiceLength(service=s, minutes=minutes, price=Decimal(price))
        for s in services
        for minutes, price in ((30, "45"), (60, "80"))
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(practitioner=p, weekday=0, starts=dt.time(9), ends=dt.time(17))
        for p in practitioners
    )
    certifications = []
    for n, p in enumerate(practitioners):
        common = {"practitioner": p, "year_certified": 2019, "ce_cycle_end": dt.date(2099, 12, 31)}
        if n % 3 == 0:
            certifications.append(Certification(kind="foot", state="verified", **common))
            if n % 5 == 0:
                certifications.append(Certification(kind="hand", state="verified", **common))
        else:
            certifications.append(Certification(kind="foot", state="pending", **common))
    Certification.objects.bulk_create(certifications)


def test_bulk_helper_makes_listed_practitioners():
    bulk_listed(5)
    assert Practitioner.objects.listed().count() == 5


@pytest.mark.parametrize("count", [5, 200])
def test_directory_query_budget_does_not_grow(client, django_assert_max_num_queries, count):
    bulk_listed(count)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 20)
    assert "ARCB certified: foot" in response.text
    assert "ARCB certified: hand" in response.text
    assert "$45–$80" in response.text
    assert "Home visits offered" in response.text


@pytest.mark.parametrize("count", [5, 200])
def test_filtered_directory_query_budget_does_not_grow(
    client, django_assert_max_num_queries, count
):
    bulk_listed(count)
    filters = {
        "q": "portland",
        "modality": "hand",
        "length": "60",
        "verified": "on",
        "accepting": "on",
        "language": "spanish",
        "page": "1",
    }
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(URL, filters)
    assert response.status_code == 200
    # n % 12 == 0: hand (even), Spanish (n % 4) and verified (n % 3).
    expected = len([n for n in range(count) if n % 12 == 0])
    assert response.context["page"].paginator.count == expected


def test_page_two_has_the_same_budget(client, django_assert_max_num_queries):
    bulk_listed(45)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(URL, {"page": "3"})
    assert len(response.context["page"].object_list) == 5


def test_photos_render_without_extra_queries(client, django_assert_max_num_queries, settings):
    bulk_listed(14)
    practitioner = Practitioner.objects.get(slug="bulk-1")
    practitioner.photo.save("real.jpg", ContentFile(b"not read by the page"), save=True)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(URL)
    assert 'alt="Photo of Bulk 000"' in response.text
    assert 'alt="Photo of Bulk 001"' in response.text
    assert practitioner.photo.url in response.text
