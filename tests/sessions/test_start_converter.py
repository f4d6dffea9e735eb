"""The <start:…> path converter (sessions.urls): a session's start in a URL is the UTC instant
written YYYYMMDDTHHMMZ; the view gets an aware datetime, and anything else is not found."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import Resolver404, resolve, reverse

START = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)


def review_url(start) -> str:
    return reverse("sessions:review", kwargs={"slug": "pat", "length_id": 7, "start": start})


def test_an_instant_is_written_in_utc_and_read_back_aware():
    url = review_url(START.astimezone(ZoneInfo("America/New_York")))
    assert url.endswith("/20260309T1400Z/")
    start = resolve(url).kwargs["start"]
    assert start == START
    assert start.tzinfo == UTC


def test_a_start_already_written_passes_through():
    assert review_url("20260309T1400Z") == review_url(START)


@pytest.mark.parametrize(
    "written", ["tomorrow", "20260309T1400", "20261309T1400Z", "20260309T2500Z", "2026039T1400Z"]
)
def test_anything_else_is_not_found(written):
    with pytest.raises(Resolver404):
        resolve(review_url(START).replace("20260309T1400Z", written))
