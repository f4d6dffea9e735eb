"""Signing locks a record: the signed record reads only, edits are refused with the database
unchanged, and later notes are addenda with their author and time."""

import pytest
from django.urls import reverse

from sessions.models import PointWorked, ReflexPoint, SessionRecord
from tests.factories import PointWorkedFactory, SessionRecordFactory
from tests.sessions.record_helpers import form_data, past_booking

pytestmark = pytest.mark.django_db


def url(booking, name="sessions:record") -> str:
    return reverse(name, kwargs={"code": booking.code})


@pytest.fixture
def booking(practitioner, client_user):
    return past_booking(practitioner, client_user)


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


@pytest.fixture
def signed(booking):
    record = SessionRecordFactory(
        booking=booking,
        signed=True,
        client_summary="Original summary",
        subjective="Original S",
    )
    PointWorkedFactory(
        record=record, point=ReflexPoint.objects.get(slug="foot-liver"), side="R", tenderness=2
    )
    return record


def test_save_and_sign_saves_the_form_then_locks_it(as_practitioner, booking):
    data = form_data(confirm_sign="on", **{"point-foot-liver-R": "on", "tender-foot-liver-R": "2"})
    response = as_practitioner.post(url(booking, "sessions:record-sign"), data)
    assert response.status_code == 302
    assert response.url == url(booking)
    record = SessionRecord.objects.get(booking=booking)
    assert record.is_signed and record.signed_at
    assert record.subjective == "SOAP-S: sleeping badly since the move"
    assert record.points.get().point.slug == "foot-liver"
    page = as_practitioner.get(url(booking)).content.decode()
    assert "Record signed and locked" in page
    assert "Signed and locked" in page


def test_signing_needs_the_confirmation_and_keeps_the_draft(as_practitioner, booking):
    response = as_practitioner.post(url(booking, "sessions:record-sign"), form_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick “Signing locks this record” to sign it." in html
    record = SessionRecord.objects.get(booking=booking)
    assert not record.is_signed
    assert record.subjective == "SOAP-S: sleeping badly since the move"


def test_a_form_with_errors_is_not_signed(as_practitioner, booking):
    data = form_data(confirm_sign="on", **{"point-foot-liver-L": "on"})
    response = as_practitioner.post(url(booking, "sessions:record-sign"), data)
    assert response.status_code == 200
    assert "Liver exists only on the right foot" in response.content.decode()
    assert not SessionRecord.objects.get(booking=booking).is_signed


def test_signing_a_saved_draft_without_the_form_fields(as_practitioner, booking):
    SessionRecordFactory(booking=booking, client_summary="Saved before")
    response = as_practitioner.post(url(booking, "sessions:record-sign"), {"confirm_sign": "on"})
    assert response.status_code == 302
    record = SessionRecord.objects.get(booking=booking)
    assert record.is_signed
    assert record.client_summary == "Saved before"


def test_the_signed_record_reads_only_with_its_map_and_an_addendum_form(
    as_practitioner, booking, signed
):
    html = as_practitioner.get(url(booking)).content.decode()
    assert "Original summary" in html
    assert "Original S" in html
    assert 'name="client_summary"' not in html
    assert 'name="point-foot-liver-R"' not in html
    assert "rb-map-readonly" in html
    assert "Liver: tenderness 2 (moderate)" in html
    assert "Add addendum" in html
    assert 'src="/static/js/reflex-map.js"' not in html


def test_editing_a_signed_record_is_refused_and_nothing_changes(as_practitioner, booking, signed):
    data = form_data(
        client_summary="Rewritten", subjective="Rewritten S", **{"point-foot-kidney-R": "on"}
    )
    response = as_practitioner.post(url(booking), data, follow=True)
    assert response.status_code == 200
    assert "This record is signed and locked, so nothing was changed." in response.content.decode()
    signed.refresh_from_db()
    assert signed.client_summary == "Original summary"
    assert signed.subjective == "Original S"
    assert list(
        PointWorked.objects.filter(record=signed).values_list("point__slug", flat=True)
    ) == ["foot-liver"]


def test_signing_twice_is_refused(as_practitioner, booking, signed):
    first_signed_at = signed.signed_at
    response = as_practitioner.post(
        url(booking, "sessions:record-sign"),
        form_data(confirm_sign="on", client_summary="New"),
        follow=True,
    )
    assert "This record is already signed." in response.content.decode()
    signed.refresh_from_db()
    assert signed.signed_at == first_signed_at
    assert signed.client_summary == "Original summary"


def test_an_addendum_is_added_and_shown_with_its_author(
    as_practitioner, booking, signed, practitioner
):
    response = as_practitioner.post(
        url(booking, "sessions:record-addendum"), {"text": "Client phoned: slept well."}
    )
    assert response.status_code == 302
    assert response.url == url(booking) + "#addenda"
    addendum = signed.addenda.get()
    assert addendum.author == practitioner.user
    html = as_practitioner.get(url(booking)).content.decode()
    assert "Client phoned: slept well." in html
    assert "Pat Practitioner" in html
    signed.refresh_from_db()
    assert signed.client_summary == "Original summary"


def test_an_empty_addendum_is_refused(as_practitioner, booking, signed):
    response = as_practitioner.post(url(booking, "sessions:record-addendum"), {"text": "  "})
    assert response.status_code == 200
    assert "Write the addendum&#x27;s text." in response.content.decode()
    assert not signed.addenda.exists()


def test_a_draft_takes_no_addendum(as_practitioner, booking):
    SessionRecordFactory(booking=booking)
    response = as_practitioner.post(
        url(booking, "sessions:record-addendum"), {"text": "Note"}, follow=True
    )
    assert "Addenda are for signed records" in response.content.decode()
    assert not SessionRecord.objects.get(booking=booking).addenda.exists()
