"""The staff activity log is append-only: accounts.activity writes it; neither the app, the
admin nor the database changes or removes a row."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts import activity
from accounts.activity import Subject
from accounts.models import StaffAction
from sessions import audit
from sessions.models import IntakeAccess
from tests.factories import BookingFactory, IntakeFormFactory, StaffFactory
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


def test_record_appends_one_row_naming_actor_action_and_subject(staff):
    row = activity.record(staff, "health_read", Subject("booking", "abc", "Session record"))

    assert StaffAction.objects.get() == row
    assert (row.actor, row.action, row.subject_type, row.subject_id) == (
        staff,
        "health_read",
        "booking",
        "abc",
    )


def test_an_unknown_action_is_refused_not_written(staff):
    with pytest.raises(ValueError, match="Unknown staff action"):
        activity.record(staff, "made_up", Subject("booking"))
    assert not StaffAction.objects.exists()


def test_rows_cannot_be_saved_again_updated_or_deleted_from_the_app(staff):
    row = activity.record(staff, "health_read", Subject("booking", "abc"))
    row.subject_label = "changed"
    for change in (
        row.save,
        row.delete,
        lambda: StaffAction.objects.update(subject_label="x"),
        lambda: StaffAction.objects.all().delete(),
    ):
        with pytest.raises(PermissionError, match="append-only"):
            change()
    assert StaffAction.objects.get().subject_label == ""


def test_the_database_refuses_an_update_whatever_makes_it(staff):
    activity.record(staff, "health_read", Subject("booking", "abc"))
    table = StaffAction._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET subject_label = 'forged'")
    assert StaffAction.objects.get().subject_label == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for flush")
def test_postgresql_refuses_a_delete_whatever_makes_it(staff):
    activity.record(staff, "health_read", Subject("booking", "abc"))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {StaffAction._meta.db_table}")
    assert StaffAction.objects.count() == 1


def test_the_admin_lists_rows_but_offers_no_add_change_or_delete(client):
    admin_user = StaffFactory(is_superuser=True)
    row = activity.record(admin_user, "health_read", Subject("booking", "abc", "Session record"))
    log_in_verified(client, admin_user)
    changelist = client.get(reverse("admin:accounts_staffaction_changelist"))
    assert changelist.status_code == 200
    assert b"Session record" in changelist.content
    assert reverse("admin:accounts_staffaction_add").encode() not in changelist.content
    detail = client.get(reverse("admin:accounts_staffaction_change", args=[row.pk]))
    assert detail.status_code == 200  # viewable
    assert b'name="_save"' not in detail.content
    delete = client.post(
        reverse("admin:accounts_staffaction_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert client.get(reverse("admin:accounts_staffaction_add")).status_code == 403
    assert StaffAction.objects.count() == 1


def test_a_staff_members_health_read_is_one_row_of_the_log(staff):
    booking = BookingFactory()
    audit.log_health_read(staff, IntakeAccess.Kind.RECORD, booking=booking)

    row = StaffAction.objects.get()
    assert (row.actor, row.action, row.subject_id) == (staff, "health_read", str(booking.code))
    assert row.subject_label == "Session record"


def test_a_staff_members_list_read_logs_one_row_per_booking_shown(staff):
    bookings = BookingFactory.create_batch(3)
    audit.log_health_reads(staff, IntakeAccess.Kind.BOOKING, bookings)

    assert sorted(StaffAction.objects.values_list("subject_id", flat=True)) == sorted(
        str(b.code) for b in bookings
    )


def test_a_practitioners_read_is_not_a_staff_action():
    booking = BookingFactory()
    audit.log_health_read(booking.practitioner.user, IntakeAccess.Kind.RECORD, booking=booking)
    audit.log_health_read(
        booking.practitioner.user, IntakeAccess.Kind.INTAKE, intake=IntakeFormFactory()
    )

    assert IntakeAccess.objects.count() == 2
    assert not StaffAction.objects.exists()


def test_a_rows_detail_reads_in_words_not_codes():
    assert activity.detail_words(
        {"reason_code": "name_mismatch", "evidence": ["a", "b"], "note": "", "file": "id.png"}
    ) == ["Evidence: 2 files", "File: id.png", "Reason code: name mismatch"]
