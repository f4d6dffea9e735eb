"""seed_demo gives Maya a month of practice report data (issue 18): last month's sessions in
every state the report counts, money by every way of paying, and clients new that month."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from practitioners.models import Practitioner
from sessions.models import Booking
from sessions.practice_report import practice_report
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db


def test_maya_has_a_month_of_report_data(client):
    call_command("seed_demo", even_without_debug=True)
    before = Booking.objects.count()
    call_command("seed_demo", even_without_debug=True)  # a second run adds nothing
    assert Booking.objects.count() == before

    maya = Practitioner.objects.get(user__email="maya@example.com")
    tz = ZoneInfo(maya.timezone)
    last = timezone.localdate(timezone=tz).replace(day=1) - timedelta(days=1)
    report = practice_report(
        practitioner=maya, start=last.replace(day=1), end=last, tz=tz, currency="USD"
    )
    assert report.count(Booking.Status.COMPLETED) >= 20
    assert report.count(Booking.Status.NO_SHOW) >= 1
    assert report.late_cancellations >= 1
    assert report.new_clients >= 2 and report.returning_clients >= 1
    assert 0 < report.utilisation < 100
    usd = report.money[0]
    assert usd.outstanding > 0
    assert all(amount > 0 for method, _, amount in usd.methods() if method != "other")
    assert usd.credits.used >= 1

    log_in_as(client, maya.user)
    page = client.get(reverse("sessions:practice-report"), {"month": last.strftime("%Y-%m")})
    assert page.status_code == 200
    assert "Income received each day, in USD" in page.text
