"""Issue 10, item 2: every read of a client's health data by someone else (the booking's
practitioner, staff) adds exactly one row to the client's access list, which says in words
what was read; the client's own reads add nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import IntakeAccess
from tests.factories import (
    BookingFactory,
    ClearanceNoteFactory,
    PreSessionCheckFactory,
    SessionRecordFactory,
)

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.time_machine(NOW, tick=False)
Kind = IntakeAccess.Kind


@pytest.fixture
def past(client_user, practitioner):
    """A completed session of 3 June with a signed record and the client's notes."""
    record = SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status="completed",
        booking__starts_at=dt.datetime(2026, 6, 3, 15, tzinfo=dt.UTC),
        booking__client_message="My left ankle is still swollen",
        booking__flags=[{"code": "x", "tier": "no_oils", "label": "No oils / unscented"}],
    )
    return record.booking


@pytest.fixture
def checked_in(client_user, practitioner):
    booking = BookingFactory(client=client_user, practitioner=practitioner)
    PreSessionCheckFactory(booking=booking, changed=True, details="Started beta blockers")
    return booking


# (kind, url of the read, words on the client's list)
def reads(past, checked_in):
    note = ClearanceNoteFactory(intake=past.intake, original_name="midwife.pdf")
    code = {"code": past.code}
    return [
        (
            Kind.INTAKE,
            reverse("sessions:intake-detail", kwargs={"code": past.intake.code}),
            "your health form (version",
        ),
        (
            Kind.CLEARANCE_NOTE,
            reverse("sessions:intake-note-file", kwargs={"code": note.code}),
            "Opened your clearance note “midwife.pdf”",
        ),
        (
            Kind.BOOKING,
            reverse("sessions:booking-detail", kwargs=code),
            "Read the health details of",
        ),
        (
            Kind.PRE_SESSION,
            reverse("sessions:booking-detail", kwargs={"code": checked_in.code}),
            "Read your answers before",
        ),
        (Kind.RECORD, reverse("sessions:record", kwargs=code), "Read your session record of"),
        (Kind.SUMMARY, reverse("sessions:record-summary", kwargs=code), "Read your"),
        (
            Kind.HISTORY,
            reverse("sessions:client-history", kwargs={"booking_code": past.code}),
            "Read the history of your sessions with Pat Practitioner",
        ),
    ]


@pytest.mark.parametrize("who", ["practitioner", "staff"], indirect=["who"])
def test_each_kind_of_read_adds_exactly_one_row(client, who, client_user, past, checked_in):
    for kind, url, _words in reads(past, checked_in):
        before = IntakeAccess.objects.filter(client=client_user).count()

        response = client.get(url)

        assert response.status_code == 200, url
        rows = IntakeAccess.objects.filter(client=client_user)
        assert rows.count() == before + 1, kind
        row = rows.order_by("-pk").first()
        assert (row.kind, row.viewer, row.role) == (kind, who, who.role)


@pytest.mark.parametrize("who", ["practitioner", "staff"], indirect=["who"])
def test_the_client_sees_each_read_in_words(client, who, client_user, past, checked_in):
    all_reads = reads(past, checked_in)
    for _kind, url, _words in all_reads:
        client.get(url)
    client.force_login(client_user)

    page = client.get(reverse("sessions:intake-access")).text

    for _kind, _url, words in all_reads:
        assert words in page
    assert "Read your session record of <a" in page
    assert "3 June 2026" in page
    assert page.count("<tr>") == len(all_reads) + 1  # the header row


def test_the_clients_own_reads_add_nothing(client, client_user, past, checked_in):
    client.force_login(client_user)
    for _kind, url, _words in reads(past, checked_in):
        if "/record/" in url or "/history/" in url:
            continue  # the client is refused these pages (403)
        assert client.get(url).status_code == 200, url

    assert not IntakeAccess.objects.exists()


def test_a_booking_page_without_health_details_is_not_logged(client, client_user, practitioner):
    plain = BookingFactory(client=client_user, practitioner=practitioner)
    client.force_login(practitioner.user)

    client.get(reverse("sessions:booking-detail", kwargs={"code": plain.code}))

    assert not IntakeAccess.objects.exists()


def test_the_agenda_logs_the_client_messages_it_prints(client, client_user, practitioner):
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        status="requested",
        client_message="Recovering from a sprained ankle",
    )
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        status="requested",
        starts_at=NOW + dt.timedelta(days=2),
    )
    client.force_login(practitioner.user)

    response = client.get(reverse("sessions:agenda"))

    assert "Recovering from a sprained ankle" in response.text
    assert list(IntakeAccess.objects.values_list("kind", flat=True)) == [Kind.BOOKING]


def test_the_todo_list_logs_the_reaction_notes_it_prints(client, client_user, practitioner):
    SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        checkin_answered_at=NOW - dt.timedelta(hours=3),
        checkin_reaction="strong",
        checkin_reaction_notes="Headache all evening",
    )
    client.force_login(practitioner.user)

    response = client.get(reverse("sessions:todo"))

    assert "Headache all evening" in response.text
    assert list(IntakeAccess.objects.values_list("kind", flat=True)) == [Kind.AFTER_SESSION]
