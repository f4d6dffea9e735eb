"""The practitioner's export (issue 16, point 1): their clients, bookings and session records
as CSV files in a zip and as JSON, after re-entering the password; only bookings made with
them; each download logged as a read of the records it holds; the same background rule as
the client's export."""

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.reauth import mark_reauthenticated
from sessions.exports import practice_tables
from sessions.models import Booking, DataExport, IntakeAccess
from tests.factories import BookingFactory, PointWorkedFactory, SessionRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 15, 14, 0, tzinfo=dt.UTC)
Status = Booking.Status
SOAP = "SOAP-A: tender shoulder reflexes"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reauthenticated(client):
    session = client.session
    mark_reauthenticated(type("R", (), {"session": session})())
    session.save()


@pytest.fixture
def practice(client_user, other_client, practitioner, other_practitioner):
    """Pat's practice: Cara's signed session and an upcoming one; Olly's request. Quinn (the
    other practitioner) has a client of their own, Zoe, and a session with Cara."""
    past = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        status=Status.COMPLETED,
        starts_at=NOW - dt.timedelta(days=5),
    )
    record = SessionRecordFactory(booking=past, signed=True, assessment=SOAP)
    PointWorkedFactory(record=record, comment="=HYPERLINK(evil)")
    BookingFactory(
        client=client_user, practitioner=practitioner, starts_at=NOW + dt.timedelta(days=2)
    )
    BookingFactory(
        client=other_client,
        practitioner=practitioner,
        status=Status.REQUESTED,
        starts_at=NOW + dt.timedelta(days=3),
    )
    zoe = UserFactory(full_name="Zoe Elsewhere")
    theirs = BookingFactory(
        client=zoe, practitioner=other_practitioner, client_message="Zoe's words"
    )
    SessionRecordFactory(
        booking=BookingFactory(
            client=client_user,
            practitioner=other_practitioner,
            status=Status.COMPLETED,
            starts_at=NOW - dt.timedelta(days=30),
        ),
        signed=True,
        assessment="Quinn's own notes",
    )
    return {"past": past, "theirs": theirs, "zoe": zoe}


def test_the_tables_hold_only_the_practitioners_own_clients_and_bookings(
    practitioner, client_user, other_client, practice
):
    tables, with_records = practice_tables(practitioner)
    assert {row["email"] for row in tables["clients"]} == {client_user.email, other_client.email}
    assert len(tables["bookings"]) == 3
    assert {row["client_email"] for row in tables["bookings"]} <= {
        client_user.email,
        other_client.email,
    }
    (record,) = tables["session_records"]
    assert record["booking_id"] == str(practice["past"].code)
    assert record["assessment"] == SOAP
    assert with_records == [practice["past"]]


def test_the_csv_zip_has_one_file_per_table_and_the_download_is_logged(
    client, practitioner, client_user, practice
):
    client.force_login(practitioner.user)
    reauthenticated(client)
    response = client.get(reverse("sessions:practice-export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["bookings.csv", "clients.csv", "session_records.csv"]
    everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert "Zoe" not in everything and "Quinn's own notes" not in everything
    records = list(
        csv.DictReader(io.StringIO(archive.read("session_records.csv").decode("utf-8-sig")))
    )
    assert [r["assessment"] for r in records] == [SOAP]
    assert "Kidney (Right): Mild, =HYPERLINK(evil)" in records[0]["points_worked"]
    reads = IntakeAccess.objects.filter(viewer=practitioner.user, kind="record")
    assert [r.booking_id for r in reads] == [practice["past"].pk]
    assert reads[0].client_id == client_user.pk


def test_a_cell_starting_with_a_formula_is_made_text(client, practitioner, practice):
    booking = BookingFactory(
        client=UserFactory(full_name="Ann Lee"),
        practitioner=practitioner,
        starts_at=NOW + dt.timedelta(days=9),
        client_message="=1+1",
    )
    client.force_login(practitioner.user)
    reauthenticated(client)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("sessions:practice-export-csv")).content)
    )
    rows = list(csv.DictReader(io.StringIO(archive.read("bookings.csv").decode("utf-8-sig"))))
    row = next(r for r in rows if r["booking_id"] == str(booking.code))
    assert row["client_message"] == "'=1+1"


def test_the_json_download_parses_and_holds_the_same_tables(client, practitioner, practice):
    client.force_login(practitioner.user)
    reauthenticated(client)
    response = client.get(reverse("sessions:practice-export-json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["practice"]["name"] == practitioner.display_name
    assert len(data["bookings"]) == 3 and len(data["session_records"]) == 1
    assert "Zoe" not in response.content.decode()
    assert IntakeAccess.objects.filter(viewer=practitioner.user, kind="record").count() == 1


def test_a_large_practice_is_exported_in_the_background_and_each_download_logged(
    client, settings, practitioner, other_practitioner, practice
):
    settings.EXPORT_BACKGROUND_BOOKINGS = 2
    client.force_login(practitioner.user)
    reauthenticated(client)
    assert "Email me a download link" in client.get(reverse("sessions:practice-export")).text
    assert client.get(reverse("sessions:practice-export-csv")).url == reverse(
        "sessions:practice-export"
    )
    client.post(reverse("sessions:practice-export-prepare"))
    assert DataExport.objects.get(owner=practitioner.user).is_ready
    (message,) = [m for m in mail.outbox if "practice export is ready" in m.subject]
    path = re.search(r"http://\S+(/exports/\S+/)", message.body).group(1)
    assert IntakeAccess.objects.filter(viewer=practitioner.user).count() == 0  # not read yet
    download = client.get(path)
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "practice.json" in archive.namelist() and "session_records.csv" in archive.namelist()
    client.get(path)
    assert IntakeAccess.objects.filter(viewer=practitioner.user, kind="record").count() == 2
    # Another practitioner cannot use the link.
    client.force_login(other_practitioner.user)
    reauthenticated(client)
    assert client.get(path).status_code == 404


def test_the_export_costs_a_fixed_number_of_queries(
    practitioner, client_user, practice, django_assert_num_queries
):
    with django_assert_num_queries(3):
        practice_tables(practitioner)
    for n in range(12):
        PointWorkedFactory(
            record=SessionRecordFactory(
                booking=BookingFactory(
                    client=UserFactory(),
                    practitioner=practitioner,
                    status=Status.COMPLETED,
                    starts_at=NOW - dt.timedelta(days=40 + n),
                ),
                signed=True,
            )
        )
    with django_assert_num_queries(3):
        tables, _ = practice_tables(practitioner)
    assert len(tables["session_records"]) == 13


@pytest.mark.parametrize(
    "name",
    [
        "sessions:practice-export",
        "sessions:practice-export-json",
        "sessions:practice-export-csv",
    ],
)
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("practitioner", 200), ("staff", 403)],
    indirect=["who"],
)
def test_who_may_export_a_practice(client, who, status, name):
    if who is not None:
        reauthenticated(client)
    assert client.get(reverse(name)).status_code == status


def test_the_downloads_ask_for_the_password_first(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(reverse("sessions:practice-export-json"))
    assert response.url.startswith(reverse("accounts:reauthenticate"))
