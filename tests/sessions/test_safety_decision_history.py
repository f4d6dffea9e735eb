"""Every decision the practitioner records on talk-first flags is kept (SafetyDecisionEntry):
a re-scoring that asks for a new decision does not erase the earlier one. The decisions,
newest first with their date and note, are shown to the practitioner and staff on the
booking page and the record form, never to the client, and reading them is logged."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.booking import confirm_booking, record_safety_decision, sign_intake_and_rescore
from sessions.models import IntakeAccess, SafetyDecisionEntry
from tests.sessions import intake_helpers
from tests.sessions.booking_helpers import NOW, Status, book, intake_with

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

FIRST = "Talked about the old clot: GP letter seen."
SECOND = "Midwife agrees to light pressure."


@pytest.fixture
def decided_twice(practitioner, client_user):
    """A booking decided on (proceed), sent back by a new talk-first flag, decided again."""
    booking = book(practitioner, client_user, intake_with(client_user, dvt_current=True))
    record_safety_decision(booking=booking, decision="proceed", note=FIRST)
    confirm_booking(booking=booking)
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        sign_intake_and_rescore(
            client=client_user,
            answers=intake_helpers.answers(
                dvt_current=True,
                pregnancy="pregnant",
                pregnancy_weeks=20,
                pregnancy_complications=["bleeding"],
            ),
            signed_name="Cara Client",
            signed_ip=None,
            physician_contact_allowed=False,
        )
        booking.refresh_from_db()
        assert booking.status == Status.REQUESTED and booking.safety_decision == ""
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        record_safety_decision(booking=booking, decision="proceed", note=SECOND)
    booking.refresh_from_db()
    return booking


def test_a_second_decision_keeps_the_first(decided_twice, practitioner):
    entries = list(decided_twice.safety_decisions.all())

    assert [(e.note, e.decision) for e in entries] == [(SECOND, "proceed"), (FIRST, "proceed")]
    assert [e.decided_at for e in entries] == [NOW + timedelta(hours=3), NOW]
    assert {e.by for e in entries} == {practitioner.user}
    assert decided_twice.safety_note == SECOND


def test_a_refused_decision_keeps_no_entry(practitioner, client_user):
    booking = book(practitioner, client_user, intake_with(client_user, dvt_current=True))
    record_safety_decision(booking=booking, decision="postpone", note="See your GP first.")
    with pytest.raises(Exception, match="can no longer change it"):
        record_safety_decision(booking=booking, decision="proceed", note="Changed my mind.")

    assert list(SafetyDecisionEntry.objects.values_list("note", flat=True)) == [
        "See your GP first."
    ]


def test_the_practitioner_sees_every_decision_newest_first_and_the_read_is_logged(
    client, decided_twice, practitioner
):
    client.force_login(practitioner.user)
    IntakeAccess.objects.all().delete()

    html = client.get(decided_twice.get_absolute_url()).text

    assert "Decisions on the talk-first flags" in html
    assert html.index(SECOND) < html.index(FIRST)
    assert "Proceed</strong>, 1 June 2026" in html
    assert IntakeAccess.objects.filter(booking=decided_twice, viewer=practitioner.user).exists()


def test_staff_see_the_decisions(staff_client, decided_twice):
    html = staff_client.get(decided_twice.get_absolute_url()).text
    assert FIRST in html and SECOND in html


def test_the_client_never_sees_the_decisions(client, decided_twice, client_user):
    client.force_login(client_user)
    html = client.get(decided_twice.get_absolute_url()).text
    assert "Decisions on the talk-first flags" not in html
    assert FIRST not in html and SECOND not in html


def test_the_record_form_shows_the_decisions_with_the_flags(client, decided_twice, practitioner):
    confirm_booking(booking=decided_twice)
    client.force_login(practitioner.user)
    with time_machine.travel(decided_twice.starts_at + timedelta(minutes=5), tick=False):
        html = client.get(reverse("sessions:record", kwargs={"code": decided_twice.code})).text

    flags_section = html[html.index('id="flags-heading"') :]
    assert flags_section.index(SECOND) < flags_section.index(FIRST)


def test_the_decisions_cost_one_query_however_many(client, decided_twice, practitioner):
    client.force_login(practitioner.user)
    url = decided_twice.get_absolute_url()
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    SafetyDecisionEntry.objects.bulk_create(
        SafetyDecisionEntry(
            booking=decided_twice, decision="proceed", note="Again.", decided_at=NOW, by=e.by
        )
        for e in decided_twice.safety_decisions.all()
    )
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(two)
