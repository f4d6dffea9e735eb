"""The 48-hour check-in email: sent by run_due_jobs once, 48 hours after a completed session
with a record (signed or a draft), and carrying no health details."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from sessions.models import Booking, ReflexPoint
from sessions.records import answer_checkin, send_due_checkins
from sessions.safety import URGENT_EMERGENCY, URGENT_TODAY, WARNING_SIGNS_AFTER_SESSION
from tests.factories import PointWorkedFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
STARTS = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ENDS = STARTS + dt.timedelta(minutes=60)
DUE = ENDS + dt.timedelta(hours=48)


def _record(client_user, practitioner, *, status=Booking.Status.COMPLETED, signed=True, **kw):
    with time_machine.travel(ENDS + dt.timedelta(minutes=30), tick=False):
        return SessionRecordFactory(
            signed=signed,
            booking__client=client_user,
            booking__practitioner=practitioner,
            booking__starts_at=STARTS,
            booking__status=status,
            **kw,
        )


def _checkin_mails(mailoutbox):
    return [m for m in mailoutbox if "How are you feeling" in m.subject]


def test_nothing_is_sent_before_48_hours_after_the_session_ends(
    client_user, practitioner, mailoutbox
):
    record = _record(client_user, practitioner)
    with time_machine.travel(DUE - dt.timedelta(seconds=1), tick=False):
        call_command("run_due_jobs")
    assert _checkin_mails(mailoutbox) == []
    record.refresh_from_db()
    assert record.checkin_sent_at is None


def test_one_email_at_48_hours_and_none_on_the_next_run(client_user, practitioner, mailoutbox):
    record = _record(client_user, practitioner)
    with time_machine.travel(DUE, tick=False):
        call_command("run_due_jobs")
    assert len(_checkin_mails(mailoutbox)) == 1
    assert mailoutbox[-1].to == [client_user.email]
    record.refresh_from_db()
    assert record.checkin_sent_at == DUE

    with time_machine.travel(DUE + dt.timedelta(minutes=5), tick=False):
        call_command("run_due_jobs")
    with time_machine.travel(DUE + dt.timedelta(days=2), tick=False):
        assert send_due_checkins() == 0
    assert len(_checkin_mails(mailoutbox)) == 1


def test_a_run_some_hours_late_still_sends_once(client_user, practitioner, mailoutbox):
    _record(client_user, practitioner)
    with time_machine.travel(DUE + dt.timedelta(hours=7), tick=False):
        assert send_due_checkins() == 1
        assert send_due_checkins() == 0
    assert len(_checkin_mails(mailoutbox)) == 1


def test_a_draft_record_of_a_completed_session_gets_its_email_too(
    client_user, practitioner, mailoutbox
):
    # The check-in is offered for every completed session, not only signed ones.
    record = _record(client_user, practitioner, signed=False)
    with time_machine.travel(DUE + dt.timedelta(hours=1), tick=False):
        assert send_due_checkins() == 1
        assert send_due_checkins() == 0
    assert len(_checkin_mails(mailoutbox)) == 1
    record.refresh_from_db()
    assert not record.is_signed


@pytest.mark.parametrize("status", [Booking.Status.CONFIRMED, Booking.Status.NO_SHOW])
def test_no_email_for_a_session_not_marked_completed(client_user, practitioner, mailoutbox, status):
    _record(client_user, practitioner, status=status)
    with time_machine.travel(DUE + dt.timedelta(hours=1), tick=False):
        assert send_due_checkins() == 0
    assert _checkin_mails(mailoutbox) == []


def test_no_email_once_the_session_is_more_than_a_week_old(client_user, practitioner, mailoutbox):
    # Old sessions signed late (or imported) would otherwise get "how are you?" weeks later.
    _record(client_user, practitioner)
    with time_machine.travel(ENDS + dt.timedelta(days=8), tick=False):
        assert send_due_checkins() == 0
    assert _checkin_mails(mailoutbox) == []


def test_no_email_when_the_client_already_answered(client_user, practitioner, mailoutbox):
    record = _record(client_user, practitioner)
    with time_machine.travel(ENDS + dt.timedelta(hours=30), tick=False):
        answer_checkin(
            record=record, sleep="Better than usual", energy="As usual", reaction="none", notes=""
        )
    with time_machine.travel(DUE, tick=False):
        assert send_due_checkins() == 0
    assert _checkin_mails(mailoutbox) == []


def test_email_links_to_the_checkin_and_carries_no_health_details(
    client_user, practitioner, mailoutbox, settings
):
    settings.SITE_URL = "https://reflexbook.example"
    record = _record(
        client_user,
        practitioner,
        client_summary="SUMMARY-kk1 shoulders tight",
        aftercare="AFTERCARE-kk2 drink water",
        subjective="SUBJ-kk3",
        objective="OBJ-kk4",
        assessment="ASSESS-kk5",
        plan="PLAN-kk6",
    )
    Booking.objects.filter(pk=record.booking.pk).update(
        flags=[
            {
                "code": "pregnant",
                "tier": "caution",
                "label": "Pregnant",
                "detail": "d",
                "reason": "r",
            }
        ]
    )
    PointWorkedFactory(record=record, point=ReflexPoint.objects.get(slug="foot-liver"), side="R")
    with time_machine.travel(DUE, tick=False):
        send_due_checkins()
    (mail,) = _checkin_mails(mailoutbox)
    url = "https://reflexbook.example" + reverse(
        "sessions:checkin", kwargs={"code": record.booking.code}
    )
    assert url in mail.body
    text = mail.subject + mail.body
    for private in [
        "SUMMARY-kk1",
        "AFTERCARE-kk2",
        "SUBJ-kk3",
        "OBJ-kk4",
        "ASSESS-kk5",
        "PLAN-kk6",
        "Pregnant",
        "Liver",
        "Kidney",
        "tender",
    ]:
        assert private not in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_email_gives_the_warning_signs_and_urgent_care_words(client_user, practitioner, mailoutbox):
    _record(client_user, practitioner)
    with time_machine.travel(DUE, tick=False):
        send_due_checkins()
    (mail,) = _checkin_mails(mailoutbox)

    for sign in WARNING_SIGNS_AFTER_SESSION:
        assert f"- {sign}\n" in mail.body
    assert "calf" in mail.body and "hives" in mail.body
    assert URGENT_TODAY in mail.body
    assert URGENT_EMERGENCY in mail.body
    assert "{%" not in mail.body and "&#x27;" not in mail.body
