"""The session record service: who may write, saving with the safety checks, signing and
locking, addenda, and the practitioner's to-do list (the 48-hour check-in job is tested with
the check-in pages)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from sessions.models import Booking, PointWorked, ReflexPoint, SessionRecord
from sessions.records import (
    AFTERCARE_TEMPLATE,
    RecordRefused,
    Worked,
    add_addendum,
    can_write_record,
    practitioner_todo,
    record_follow_up,
    save_record,
    sign_record,
    start_record,
)
from tests.factories import (
    BookingFactory,
    PointWorkedFactory,
    SessionRecordFactory,
)
from tests.sessions.record_helpers import AVOID_LEFT_FOOT, NO_OILS, past_booking

pytestmark = pytest.mark.django_db


def point(slug: str) -> ReflexPoint:
    return ReflexPoint.objects.get(slug=slug)


def test_only_the_practitioner_writes_once_the_session_has_started(
    practitioner, client_user, staff
):
    booking = BookingFactory(practitioner=practitioner, client=client_user)
    assert not can_write_record(booking, practitioner.user)
    assert can_write_record(booking, practitioner.user, now=booking.starts_at)
    assert not can_write_record(booking, client_user, now=booking.starts_at)
    assert not can_write_record(booking, staff, now=booking.starts_at)


def test_no_record_for_a_cancelled_session(practitioner, client_user):
    booking = past_booking(practitioner, client_user, status=Booking.Status.CANCELLED_BY_CLIENT)
    assert not can_write_record(booking, practitioner.user)
    completed = past_booking(practitioner, client_user, hours_ago=30, status="completed")
    assert can_write_record(completed, practitioner.user)


def test_starting_a_record_fills_the_aftercare_template_once(practitioner, client_user):
    booking = past_booking(practitioner, client_user)
    record = start_record(booking, changes_since_last="New medication")
    assert record.state == SessionRecord.State.DRAFT
    assert record.aftercare == AFTERCARE_TEMPLATE
    assert "48 hours" in record.aftercare and "water" in record.aftercare
    assert record.changes_since_last == "New medication"
    assert record.actual_minutes == booking.minutes
    again = start_record(booking, changes_since_last="Something else")
    assert again.pk == record.pk
    assert again.changes_since_last == "New medication"


def test_saving_replaces_the_points_worked(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user))
    save_record(
        record=record,
        fields={"client_summary": "First"},
        worked=[Worked(point("foot-kidney"), "R", 2), Worked(point("foot-liver"), "R", 1)],
    )
    save_record(
        record=record,
        fields={"client_summary": "Second"},
        worked=[Worked(point("foot-heart"), "L", 3, "tight", "Held breath")],
    )
    record.refresh_from_db()
    assert record.client_summary == "Second"
    rows = list(
        record.points.values_list("point__slug", "side", "tenderness", "texture", "comment")
    )
    assert rows == [("foot-heart", "L", 3, "tight", "Held breath")]


def test_a_signed_record_cannot_be_saved(practitioner, client_user):
    record = SessionRecordFactory(signed=True, client_summary="As signed")
    with pytest.raises(RecordRefused, match="signed and locked"):
        save_record(record=record, fields={"client_summary": "Changed"}, worked=[])
    record.refresh_from_db()
    assert record.client_summary == "As signed"


def test_oils_for_a_no_oils_client_need_an_override_reason(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user, flags=[NO_OILS]))
    fields = {"medium": "carrier_oil", "medium_details": "Lavender in grapeseed oil"}
    with pytest.raises(RecordRefused) as refused:
        save_record(record=record, fields=fields, worked=[])
    assert "No oils / unscented" in refused.value.messages[0]
    assert "lavender" in refused.value.messages[0]
    record.refresh_from_db()
    assert record.medium_details == ""

    save_record(record=record, fields=fields, worked=[], oil_override_reason=" Client brought it. ")
    record.refresh_from_db()
    assert record.medium_details == "Lavender in grapeseed oil"
    assert record.oil_override_reason == "Client brought it."


def test_an_override_reason_is_dropped_when_nothing_was_overridden(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user, flags=[NO_OILS, AVOID_LEFT_FOOT]))
    save_record(
        record=record,
        fields={"medium": "none", "medium_details": ""},
        worked=[Worked(point("foot-kidney"), "R")],
        oil_override_reason="Just in case",
        area_override_reason="Just in case",
    )
    record.refresh_from_db()
    assert record.oil_override_reason == ""
    assert record.area_override_reason == ""


def test_points_in_an_avoided_area_need_an_override_reason(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user, flags=[AVOID_LEFT_FOOT]))
    worked = [Worked(point("foot-kidney"), "L", 1)]
    with pytest.raises(RecordRefused) as refused:
        save_record(record=record, fields={}, worked=worked)
    assert "Left foot: Kidney" in refused.value.messages[0]
    assert not PointWorked.objects.filter(record=record).exists()

    save_record(record=record, fields={}, worked=worked, area_override_reason="Covered it.")
    record.refresh_from_db()
    assert record.area_override_reason == "Covered it."
    assert record.points.get().side == "L"


def test_signing_locks_the_record_once(practitioner, client_user):
    record = start_record(past_booking(practitioner, client_user))
    moment = timezone.now()
    signed = sign_record(record=record, now=moment)
    assert signed.is_signed
    assert signed.signed_at == moment
    with pytest.raises(RecordRefused, match="already signed"):
        sign_record(record=record)


def test_addenda_are_for_signed_records_and_need_text(practitioner):
    draft = SessionRecordFactory()
    with pytest.raises(RecordRefused, match="Drafts are edited directly"):
        add_addendum(record=draft, author=practitioner.user, text="Note")
    signed = SessionRecordFactory(signed=True)
    with pytest.raises(RecordRefused, match="Write the addendum"):
        add_addendum(record=signed, author=practitioner.user, text="   ")
    addendum = add_addendum(record=signed, author=practitioner.user, text="  Called her.  ")
    assert addendum.text == "Called her."
    assert list(signed.addenda.all()) == [addendum]


def test_drafts_older_than_a_day_are_on_the_to_do_list(practitioner):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=30)):
        old = SessionRecordFactory(booking__practitioner=practitioner)
    SessionRecordFactory(booking__practitioner=practitioner)  # a fresh draft
    with time_machine.travel(timezone.now() - dt.timedelta(hours=30)):
        SessionRecordFactory(booking__practitioner=practitioner, signed=True)
    assert list(practitioner_todo(practitioner)) == [old]


def test_another_practitioners_records_are_not_on_the_list(practitioner, other_practitioner):
    with time_machine.travel(timezone.now() - dt.timedelta(hours=30)):
        SessionRecordFactory(booking__practitioner=other_practitioner)
    assert list(practitioner_todo(practitioner)) == []


def test_a_strong_reaction_stays_on_the_list_until_a_follow_up_not_an_addendum(practitioner):
    answered = timezone.now() - dt.timedelta(hours=2)
    record = SessionRecordFactory(
        booking__practitioner=practitioner,
        signed=True,
        checkin_reaction=SessionRecord.Reaction.STRONG,
        checkin_answered_at=answered,
    )
    SessionRecordFactory(
        booking__practitioner=practitioner,
        signed=True,
        checkin_reaction=SessionRecord.Reaction.MILD,
        checkin_answered_at=answered,
    )
    assert list(practitioner_todo(practitioner)) == [record]
    add_addendum(record=record, author=practitioner.user, text="Phoned; settling now.")
    assert list(practitioner_todo(practitioner)) == [record]
    record_follow_up(record=record, note="Phoned; settling now.")
    assert list(practitioner_todo(practitioner)) == []


def test_point_worked_factory_makes_a_right_kidney():
    worked = PointWorkedFactory()
    assert (worked.point.slug, worked.side) == ("foot-kidney", "R")
