"""A regression guard on what the hot public pages cost to render (issue 13): the week of free
times (200+ time buttons) and the directory (a full page of cards), each against a bare page
(a template and one query) rendered in the same test, so the check holds on any machine.

CPU time (time.process_time: other processes on a busy machine do not count), the pages
interleaved round by round after a warm-up, the median of 20 rounds each. Pages as served
(from the page cache) and rendered afresh are both guarded. A slow change fails it: a query
or a reverse() per time button (test_the_guard_catches_a_query_per_time), or pages no longer
served from the cache (test_the_guard_catches_pages_no_longer_served_from_the_cache).
"""

import datetime as dt
import statistics
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.cache.backends.dummy import DummyCache
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bench.seed import listed_practitioners
from practitioners.models import Practitioner, ServiceLength
from reflexbook.lib import page_cache
from sessions.models import Booking
from sessions.views import booking as booking_views

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reflexbook.render_cost_urls")]

# Each page as served (from the page cache, reflexbook.lib.page_cache) at most this many bare
# pages of CPU (the aim is 2 to 3); rendered afresh (the cache cleared each round:
# the first visitor after a change, directory cards included) at most COLD_RATIO, which
# still catches a query per time.
MAX_RATIO = 3
COLD_RATIO = 24
ROUNDS = 20
WARM_UP = 3


def past_bookings(practitioner: Practitioner, count: int) -> None:
    """`count` bookings in the past, one every two hours (no overlap, buffer included): the
    week's page must not pay for them."""
    service = practitioner.services.get()
    client = User.objects.create(email="cost-client@example.com", password="!")
    start = (timezone.now() - dt.timedelta(days=count // 8 + 2)).replace(minute=0, second=0)
    Booking.objects.bulk_create(
        Booking(
            client=client,
            practitioner=practitioner,
            service=service,
            minutes=60,
            price=Decimal("80"),
            starts_at=start + dt.timedelta(hours=2 * n),
            ends_at=start + dt.timedelta(hours=2 * n, minutes=60),
            blocks_from=start + dt.timedelta(hours=2 * n),
            blocks_until=start + dt.timedelta(hours=2 * n, minutes=75),
            status=Booking.Status.CONFIRMED,
            policy_text="Policy",
        )
        for n in range(count)
    )


@pytest.fixture
def pages(db) -> dict[str, str]:
    """The bare page, a full week of free times and a full directory page."""
    practitioners = listed_practitioners(20, "cost")
    first = practitioners[0]
    past_bookings(first, 400)
    length = ServiceLength.objects.get(service__practitioner=first, minutes=30)
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    week = reverse("sessions:slots", kwargs={"slug": first.slug, "length_id": length.pk})
    return {
        "bare": reverse("bare"),
        "week": f"{week}?week={monday}",
        "directory": reverse("practitioners:directory"),
    }


def cpu_ratios(client, pages: dict[str, str], *, cold: bool = False) -> dict[str, float]:
    """Each page's median CPU time per request over that of the bare page; `cold` clears
    the cache before each request (and the bare page's too, for the same work)."""
    times = {name: [] for name in pages}
    for round_ in range(WARM_UP + ROUNDS):
        for name, url in pages.items():
            if cold:
                cache.clear()
            start = time.process_time()
            response = client.get(url)
            spent = time.process_time() - start
            assert response.status_code == 200, url
            if round_ >= WARM_UP:
                times[name].append(spent)
    medians = {name: statistics.median(spent) for name, spent in times.items()}
    return {name: medians[name] / medians["bare"] for name in pages if name != "bare"}


def test_the_week_has_200_times_to_render(client, pages):
    response = client.get(pages["week"])
    assert response.text.count('class="btn btn-outline-primary btn-sm rb-time"') >= 200


def test_the_week_and_the_directory_cost_a_few_bare_pages(client, pages):
    ratios = cpu_ratios(client, pages)
    assert ratios["week"] <= MAX_RATIO, ratios
    assert ratios["directory"] <= MAX_RATIO, ratios


def test_rendered_afresh_they_still_cost_a_bounded_number_of_bare_pages(client, pages):
    ratios = cpu_ratios(client, pages, cold=True)
    assert ratios["week"] <= COLD_RATIO, ratios
    assert ratios["directory"] <= COLD_RATIO, ratios


def test_the_guard_catches_pages_no_longer_served_from_the_cache(client, pages, monkeypatch):
    monkeypatch.setattr(page_cache, "cache", DummyCache("none", {}))
    ratios = cpu_ratios(client, pages)
    assert ratios["week"] > MAX_RATIO, ratios
    assert ratios["directory"] > MAX_RATIO, ratios


def test_the_guard_catches_a_query_per_time(client, pages, monkeypatch):
    real_review_url = booking_views._review_url

    def review_url_with_a_query(practitioner, length):
        url_for = real_review_url(practitioner, length)

        def slow(instant):
            Practitioner.objects.filter(pk=practitioner.pk).exists()  # the deliberate slowdown
            return url_for(instant)

        return slow

    monkeypatch.setattr(booking_views, "_review_url", review_url_with_a_query)
    ratios = cpu_ratios(client, pages, cold=True)
    assert ratios["week"] > COLD_RATIO, ratios
