"""The client's export (issue 16, point 1): "Your data" as JSON and as a printable page, after
re-entering the password; every intake version and booking of the client and nothing of
another client of the same practitioner; what the client sees of a record, never the SOAP
notes; a fixed number of queries; large accounts in the background with an emailed link that
works for the owner only, and not after it expires."""

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
from sessions.exports import client_export, delete_expired_exports
from sessions.models import Booking, DataExport
from tests.factories import (
    BookingFactory,
    ClearanceNoteFactory,
    IntakeAccessFactory,
    IntakeFormFactory,
    PointWorkedFactory,
    PreSessionCheckFactory,
    SessionRecordFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 15, 14, 0, tzinfo=dt.UTC)
Status = Booking.Status
SOAP = "SOAP-S: private words of the practitioner"
OLLY_WORDS = "Olly's own message about his back"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reauthenticated(client):
    session = client.session
    mark_reauthenticated(type("R", (), {"session": session})())
    session.save()


@pytest.fixture
def cara(client_user, other_client, practitioner):
    """Cara's two health forms, three bookings with Pat (a signed session with a check-in, an
    upcoming one with a pre-session answer, a cancelled one), a read of her form; Olly books
    Pat too."""
    v1 = IntakeFormFactory(client=client_user, version=1, answers={"medications": "Aspirin"})
    v2 = IntakeFormFactory(client=client_user, version=2, answers={"medications": "Ibuprofen"})
    ClearanceNoteFactory(intake=v2, original_name="midwife-letter.pdf")
    past = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=v1,
        status=Status.COMPLETED,
        starts_at=NOW - dt.timedelta(days=10),
        client_message="Cara's note: sore left heel",
    )
    record = SessionRecordFactory(
        booking=past,
        signed=True,
        subjective=SOAP,
        client_summary="We focused on your heels.",
        aftercare="Rest your feet tonight.",
        checkin_answered_at=NOW - dt.timedelta(days=8),
        checkin_sleep="Slept deeply",
    )
    PointWorkedFactory(record=record, comment="practitioner-only comment")
    upcoming = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=v2,
        starts_at=NOW + dt.timedelta(days=3),
    )
    PreSessionCheckFactory(booking=upcoming, changed=True, changes=[], details="New knee brace")
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=v2,
        status=Status.CANCELLED_BY_CLIENT,
        starts_at=NOW + dt.timedelta(days=5),
    )
    IntakeAccessFactory(booking=upcoming, intake=v2)
    olly = BookingFactory(
        client=other_client,
        practitioner=practitioner,
        starts_at=NOW + dt.timedelta(days=4),
        client_message=OLLY_WORDS,
    )
    return {"versions": [v1, v2], "past": past, "upcoming": upcoming, "olly": olly}


def test_the_json_parses_and_holds_every_version_and_booking_and_nothing_of_another_client(
    client, client_user, other_client, cara
):
    client.force_login(client_user)
    reauthenticated(client)
    response = client.get(reverse("sessions:my-data-json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == client_user.email
    assert [f["version"] for f in data["health_forms"]] == [1, 2]
    assert [f["id"] for f in data["health_forms"]] == [str(v.code) for v in cara["versions"]]
    assert data["health_forms"][0]["answers"]["medications"] == "Aspirin"
    assert data["health_forms"][1]["clearance_notes"][0]["file_name"] == "midwife-letter.pdf"
    assert data["health_forms"][1]["signed_name"] == client_user.full_name
    assert len(data["consents"]) == 2
    expected = {str(b.code) for b in Booking.objects.filter(client=client_user)}
    assert {b["id"] for b in data["bookings"]} == expected
    assert len(data["bookings"]) == 3
    past = next(b for b in data["bookings"] if b["id"] == str(cara["past"].code))
    assert past["session_summary"]["summary"] == "We focused on your heels."
    assert past["session_summary"]["aftercare"] == "Rest your feet tonight."
    assert past["check_in"]["sleep"] == "Slept deeply"
    upcoming = next(b for b in data["bookings"] if b["id"] == str(cara["upcoming"].code))
    assert upcoming["pre_session_check"]["details"] == "New knee brace"
    assert len(data["health_data_reads"]) == 1
    text = response.content.decode()
    # Nothing of Olly's, and none of the practitioner's private notes.
    assert str(cara["olly"].code) not in text and OLLY_WORDS not in text
    assert other_client.email not in text and "Olly" not in text
    assert SOAP not in text and "practitioner-only comment" not in text


def test_the_printable_page_shows_the_same_data_in_words(client, client_user, cara):
    client.force_login(client_user)
    reauthenticated(client)
    response = client.get(reverse("sessions:my-data-print"))
    assert response.status_code == 200
    text = response.text
    assert "<h1>Your data in reflexbook</h1>" in text
    assert "Version 1, signed" in text and "Version 2, signed" in text
    assert "Aspirin" in text and "midwife-letter.pdf" in text
    assert "We focused on your heels." in text and "Rest your feet tonight." in text
    assert "Slept deeply" in text and "New knee brace" in text
    assert "Cara&#x27;s note: sore left heel" in text
    assert SOAP not in text and OLLY_WORDS not in text
    # Times in the client's zone (New York), in words.
    assert re.search(r"Exported on 15 September 2026, 10:00", text)


@pytest.mark.parametrize("name", ["sessions:my-data-json", "sessions:my-data-print"])
def test_downloads_ask_for_the_password_first(client, client_user, name):
    client.force_login(client_user)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauthenticate"))


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 200), ("practitioner", 200), ("staff", 403)],
    indirect=["who"],
)
def test_who_may_open_your_data(client, who, status):
    assert client.get(reverse("sessions:my-data")).status_code == status


@pytest.mark.parametrize(
    "name", ["sessions:my-data-json", "sessions:my-data-print", "sessions:erase-account"]
)
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("staff", 403)], indirect=["who"])
def test_anonymous_and_staff_get_no_client_download(client, who, status, name):
    if who is not None:
        reauthenticated(client)
    assert client.get(reverse(name)).status_code == status


def test_the_export_costs_a_fixed_number_of_queries(
    client_user, practitioner, cara, django_assert_num_queries
):
    with django_assert_num_queries(5):
        small = client_export(client_user)
    for n in range(15):
        booking = BookingFactory(
            client=client_user,
            practitioner=practitioner,
            intake=cara["versions"][1],
            status=Status.COMPLETED,
            starts_at=NOW - dt.timedelta(days=20 + n),
        )
        PointWorkedFactory(record=SessionRecordFactory(booking=booking, signed=True))
        IntakeAccessFactory(booking=booking, intake=cara["versions"][1])
    IntakeFormFactory(client=client_user, version=3)
    with django_assert_num_queries(5):
        large = client_export(client_user)
    assert len(large["bookings"]) == len(small["bookings"]) + 15


# --- in the background ----------------------------------------------------------------------


@pytest.fixture
def large(settings, client, client_user, cara):
    """Cara's account counts as large (more than 2 bookings); she is logged in, password
    re-entered."""
    settings.EXPORT_BACKGROUND_BOOKINGS = 2
    client.force_login(client_user)
    reauthenticated(client)
    return client


def _emailed_link(outbox) -> str:
    (message,) = [m for m in outbox if "ready to download" in m.subject]
    return re.search(r"http://\S+/exports/\S+/", message.body).group(0)


def test_a_large_account_gets_its_export_by_email_and_the_link_works_for_the_owner(
    large, client_user, cara
):
    page = large.get(reverse("sessions:my-data"))
    assert "Email me a download link" in page.text
    assert reverse("sessions:my-data-json") not in page.text
    # The direct download sends them to the background route instead.
    assert large.get(reverse("sessions:my-data-json")).url == reverse("sessions:my-data")
    response = large.post(reverse("sessions:my-data-prepare"))
    assert response.url == reverse("sessions:my-data")
    export = DataExport.objects.get(owner=client_user)
    assert export.is_ready
    link = _emailed_link(mail.outbox)
    assert mail.outbox[-1].to == [client_user.email]
    download = large.get(link.split("127.0.0.1:8000", 1)[-1])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["reflexbook-data.html", "reflexbook-data.json"]
    data = json.loads(archive.read("reflexbook-data.json"))
    assert len(data["bookings"]) == 3
    assert OLLY_WORDS not in archive.read("reflexbook-data.html").decode()


def test_the_emailed_link_is_404_for_anyone_else_and_once_expired(
    large, client_user, other_client, cara
):
    large.post(reverse("sessions:my-data-prepare"))
    path = _emailed_link(mail.outbox).split("127.0.0.1:8000", 1)[-1]
    large.force_login(other_client)
    reauthenticated(large)
    assert large.get(path).status_code == 404
    large.force_login(client_user)
    reauthenticated(large)
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    assert large.get(tampered).status_code == 404
    with time_machine.travel(NOW + dt.timedelta(days=7, minutes=1), tick=False):
        reauthenticated(large)
        assert large.get(path).status_code == 404
        assert delete_expired_exports() == 1
    assert not DataExport.objects.exists()


def test_the_emailed_link_asks_for_the_password_again(large, client_user, cara):
    large.post(reverse("sessions:my-data-prepare"))
    path = _emailed_link(mail.outbox).split("127.0.0.1:8000", 1)[-1]
    large.logout()
    assert large.get(path).status_code == 302  # to log in
    large.force_login(client_user)
    assert large.get(path).url.startswith(reverse("accounts:reauthenticate"))
