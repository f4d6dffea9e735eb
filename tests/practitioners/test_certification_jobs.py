"""The scheduled credential jobs, run through `manage.py run_due_jobs` at frozen times."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from practitioners.models import Certification, CertificationEvent
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")  # the practitioner's zone (PractitionerFactory)
CYCLE_END = date(2026, 12, 31)


def at(*when) -> time_machine.travel:
    """Freeze time at a wall-clock moment in the practitioner's zone."""
    return time_machine.travel(datetime(*when, tzinfo=LA), tick=False)


def run_jobs():
    call_command("run_due_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def verified(practitioner):
    with at(2026, 1, 10, 9, 0):
        return CertificationFactory(
            practitioner=practitioner, verified=True, ce_cycle_end=CYCLE_END
        )


def reminders(mailoutbox) -> list[str]:
    return [m.subject for m in mailoutbox if m.subject.startswith("Your ARCB CE cycle ends")]


def test_a_credential_is_still_verified_late_on_31_december_in_the_practitioners_zone(
    verified, mailoutbox
):
    # 23:59 in Los Angeles is already 1 January in UTC and in New York (the site's zone).
    with at(2026, 12, 31, 23, 59):
        run_jobs()
    verified.refresh_from_db()
    assert verified.state == Certification.State.VERIFIED
    assert not [m for m in mailoutbox if "lapsed" in m.subject]


def test_a_credential_lapses_on_1_january_local_time_once(verified, mailoutbox):
    with at(2027, 1, 1, 0, 1):
        run_jobs()
    verified.refresh_from_db()
    assert verified.state == Certification.State.LAPSED
    event = CertificationEvent.objects.get(certification=verified)
    assert (event.actor, event.from_state, event.to_state) == (None, "verified", "lapsed")
    lapse_emails = [m for m in mailoutbox if "has lapsed" in m.subject]
    assert len(lapse_emails) == 1
    assert lapse_emails[0].to == [verified.practitioner.user.email]

    sent = len(mailoutbox)
    with at(2027, 1, 1, 0, 6):
        run_jobs()
    verified.refresh_from_db()
    assert verified.state == Certification.State.LAPSED
    assert CertificationEvent.objects.filter(certification=verified).count() == 1
    assert len(mailoutbox) == sent


def test_the_badge_goes_when_the_credential_lapses(verified):
    with at(2026, 12, 20, 12, 0):
        run_jobs()
        assert list(Certification.objects.badges()) == [verified]
    with at(2027, 1, 1, 8, 0):
        run_jobs()
        assert list(Certification.objects.badges()) == []
        assert list(Certification.objects.badges(today=date(2026, 12, 1))) == []


def test_the_60_and_14_day_reminders_go_out_once_each(verified, mailoutbox):
    # 61 days before, in the practitioner's zone, even though it is already the next
    # day in UTC: no reminder yet.
    with at(2026, 10, 31, 20, 0):
        run_jobs()
    assert reminders(mailoutbox) == []

    # 1 November 2026 is also the day US clocks go back: the day count still holds.
    with at(2026, 11, 1, 9, 0):
        run_jobs()
        run_jobs()
    assert reminders(mailoutbox) == ["Your ARCB CE cycle ends in 60 days"]

    for day in range(2, 30):
        with at(2026, 11, day, 9, 0):
            run_jobs()
    assert len(reminders(mailoutbox)) == 1

    with at(2026, 12, 17, 9, 0):
        run_jobs()
    with at(2026, 12, 17, 9, 5):
        run_jobs()
    assert reminders(mailoutbox) == [
        "Your ARCB CE cycle ends in 60 days",
        "Your ARCB CE cycle ends in 14 days",
    ]
    assert "12 CE hours every 2 years" in mailoutbox[-1].body

    for day in range(18, 32):
        with at(2026, 12, day, 9, 0):
            run_jobs()
    assert len(reminders(mailoutbox)) == 2


def test_a_credential_verified_with_10_days_left_gets_only_one_reminder(practitioner, mailoutbox):
    with at(2026, 12, 21, 9, 0):
        CertificationFactory(practitioner=practitioner, verified=True, ce_cycle_end=CYCLE_END)
        run_jobs()
    assert reminders(mailoutbox) == ["Your ARCB CE cycle ends in 10 days"]

    for day in range(22, 32):
        with at(2026, 12, day, 9, 0):
            run_jobs()
    assert len(reminders(mailoutbox)) == 1


def test_a_renewed_cycle_gets_its_own_reminders(verified, mailoutbox):
    with at(2026, 12, 17, 9, 0):
        run_jobs()
    assert len(reminders(mailoutbox)) == 1

    # Staff verify the renewal: a new cycle end, so its reminders are due again later.
    Certification.objects.filter(pk=verified.pk).update(ce_cycle_end=date(2028, 12, 31))
    with at(2028, 11, 1, 9, 0):
        run_jobs()
    assert reminders(mailoutbox)[-1] == "Your ARCB CE cycle ends in 60 days"


def test_credentials_that_are_not_verified_get_no_reminders_and_do_not_lapse(
    practitioner, mailoutbox
):
    pending = CertificationFactory(practitioner=practitioner, pending=True, ce_cycle_end=CYCLE_END)
    with at(2026, 12, 17, 9, 0):
        run_jobs()
    with at(2027, 1, 2, 9, 0):
        run_jobs()
    pending.refresh_from_db()
    assert pending.state == Certification.State.PENDING
    assert mailoutbox == []
