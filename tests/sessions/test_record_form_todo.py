"""The practitioner's record to-do list: sessions without a record, old drafts and strong
reactions reported at the 48-hour check-in."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from sessions.models import SessionRecord
from sessions.records import answer_checkin, checkin_record, record_follow_up, save_record
from tests.factories import BookingFactory, RecordAddendumFactory, SessionRecordFactory, UserFactory
from tests.sessions.record_helpers import past_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_a_session_that_took_place_without_a_record_asks_to_write_it(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user)
    BookingFactory(practitioner=practitioner, client=client_user)  # next week: not yet
    past_booking(practitioner, client_user, hours_ago=50, status="cancelled_by_client")
    past_booking(practitioner, client_user, hours_ago=70, status="no_show")
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Sessions without a record (1)" in html
    assert "Write the record" in html
    assert reverse("sessions:record", kwargs={"code": booking.code}) in html


def test_a_session_with_a_record_is_not_listed_as_unwritten(
    as_practitioner, practitioner, client_user
):
    SessionRecordFactory(booking=past_booking(practitioner, client_user))
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Sessions without a record (0)" in html
    assert "Drafts older than 24 hours (0)" in html


def test_old_drafts_and_strong_reactions_are_listed(as_practitioner, practitioner):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=26)):
        draft = SessionRecordFactory(
            booking__practitioner=practitioner, booking__client=UserFactory(full_name="Dora Draft")
        )
    strong = SessionRecordFactory(
        booking__practitioner=practitioner,
        booking__client=UserFactory(full_name="Sam Strong"),
        signed=True,
        checkin_reaction=SessionRecord.Reaction.STRONG,
        checkin_answered_at=timezone.now() - dt.timedelta(hours=1),
        checkin_reaction_notes="Headache all evening",
    )
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Drafts older than 24 hours (1)" in html
    assert "Dora Draft" in html
    assert reverse("sessions:record", kwargs={"code": draft.booking.code}) in html
    assert "Strong reactions after a session (1)" in html
    assert "Sam Strong" in html
    assert "Headache all evening" in html

    RecordAddendumFactory(record=strong, text="Phoned Sam; headache gone.")
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Strong reactions after a session (1)" in html  # an addendum is not a follow-up

    record_follow_up(record=strong, note="Phoned Sam; headache gone.")
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Strong reactions after a session (0)" in html


def test_another_practitioners_sessions_are_not_listed(
    as_practitioner, other_practitioner, client_user
):
    past_booking(other_practitioner, client_user)
    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Nothing to do" in html


def test_the_to_do_list_query_count_does_not_grow(
    client, practitioner, django_assert_max_num_queries
):
    for hours in range(2, 22, 2):
        past_booking(practitioner, UserFactory(), hours_ago=hours)
    for _ in range(3):  # sessions whose only record is the draft the client's check-in started
        booking = past_booking(practitioner, UserFactory(), hours_ago=50, status="completed")
        SessionRecordFactory(booking=booking, started_by_checkin=True)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=30)):
        for _ in range(8):
            SessionRecordFactory(booking__practitioner=practitioner)
    client.force_login(practitioner.user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("sessions:todo"))
    assert response.status_code == 200


def test_a_session_whose_only_record_is_the_check_ins_draft_still_needs_a_record(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, hours_ago=50, status="completed")
    answer_checkin(
        record=checkin_record(booking), sleep="Well", energy="Good", reaction="none", notes=""
    )
    assert booking.record.state == SessionRecord.State.DRAFT

    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Sessions without a record (1)" in html
    assert reverse("sessions:record", kwargs={"code": booking.code}) in html
    with time_machine.travel(timezone.now() + dt.timedelta(hours=30)):  # listed once, later too
        html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Sessions without a record (1)" in html
    assert "Drafts older than 24 hours (0)" in html


def test_once_the_practitioner_saves_the_check_ins_draft_it_is_their_draft(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, hours_ago=50, status="completed")
    record = checkin_record(booking)
    answer_checkin(record=record, sleep="Well", energy="Good", reaction="none", notes="")
    save_record(record=record, fields={"subjective": "Slept better."}, worked=[])

    html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Sessions without a record (0)" in html
    with time_machine.travel(timezone.now() + dt.timedelta(hours=30)):
        html = as_practitioner.get(reverse("sessions:todo")).content.decode()
    assert "Drafts older than 24 hours (1)" in html
