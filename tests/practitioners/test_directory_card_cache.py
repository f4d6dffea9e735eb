"""Directory cards are cached (issue 13), but never stale: each is keyed on everything it
shows, so a change the practitioner's row does not record (a price, a badge, the next free
time written by update()) shows on the very next request."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from practitioners.models import Certification, Practitioner, ServiceLength
from tests.factories import CertificationFactory, ListedPractitionerFactory

pytestmark = pytest.mark.django_db

URL = reverse("practitioners:directory")


@pytest.fixture
def listed():
    return ListedPractitionerFactory(display_name="Ann Cached")


def test_a_new_price_shows_at_once(client, listed):
    assert "$45–$80" in client.get(URL).text
    ServiceLength.objects.filter(service__practitioner=listed, minutes=60).update(price="95")
    assert "$45–$95" in client.get(URL).text


def test_a_verified_badge_shows_at_once(client, listed):
    certification = CertificationFactory(practitioner=listed, state="pending")
    assert "ARCB certified: foot" not in client.get(URL).text
    Certification.objects.filter(pk=certification.pk).update(state="verified")
    assert "ARCB certified: foot" in client.get(URL).text


def test_the_next_free_time_shows_at_once(client, listed):
    assert "See the free times on the profile" in client.get(URL).text
    soon = timezone.now() + dt.timedelta(days=2)
    Practitioner.objects.filter(pk=listed.pk).update(next_free_at=soon, next_free_checked_at=soon)
    response = client.get(URL)
    assert "See the free times on the profile" not in response.text
    assert '<time datetime="' in response.text


def test_a_renamed_practitioner_shows_their_new_name(client, listed):
    assert "Ann Cached" in client.get(URL).text
    Practitioner.objects.filter(pk=listed.pk).update(display_name="Ann Renamed")
    response = client.get(URL)
    assert "Ann Renamed" in response.text
    assert "Ann Cached" not in response.text


def test_the_next_free_time_names_its_zone_by_place_and_its_length(client, listed):
    """Not "(America/New_York time)", which a narrow card broke as "America/N ew_York";
    and the time is for the shortest active length (sessions.next_free), so it says so."""
    soon = timezone.now() + dt.timedelta(days=2)
    Practitioner.objects.filter(pk=listed.pk).update(
        timezone="America/New_York", next_free_at=soon, next_free_checked_at=soon
    )
    response = client.get(URL)
    assert "(New York time), for a 30-minute session" in response.text
    assert "America/New_York time" not in response.text


def test_a_new_shortest_length_shows_at_once(client, listed):
    soon = timezone.now() + dt.timedelta(days=2)
    Practitioner.objects.filter(pk=listed.pk).update(next_free_at=soon, next_free_checked_at=soon)
    assert "for a 30-minute session" in client.get(URL).text
    ServiceLength.objects.filter(service__practitioner=listed, minutes=30).update(minutes=45)
    response = client.get(URL)
    assert "for a 45-minute session" in response.text
    assert "for a 30-minute session" not in response.text
