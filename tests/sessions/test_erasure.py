"""Erasure and retention (issue 16, point 2): a client deletes their account; it is anonymised
at once and cannot log in, their upcoming sessions are cancelled (the practitioner told), what
the practice does not keep goes, and the signed records stay locked, out of every list, read
only by their practitioner on the retained page, until run_due_jobs purges them at the end of
the retention period (a second run does nothing)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.reauth import mark_reauthenticated
from sessions.erasure import ERASED_NAME, erase_client, pending_erasures
from sessions.jobs import run_due_jobs
from sessions.models import (
    Booking,
    ErasureRequest,
    IntakeAccess,
    IntakeDraft,
    IntakeForm,
    PointWorked,
    RecordAddendum,
    SessionRecord,
    SlotHold,
)
from sessions.models.intake import ClearanceNote
from tests.factories import (
    PASSWORD,
    BookingFactory,
    ClearanceNoteFactory,
    IntakeAccessFactory,
    IntakeFormFactory,
    PointWorkedFactory,
    RecordAddendumFactory,
    SessionRecordFactory,
    SlotHoldFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 5, 12, 15, 0, tzinfo=UTC)  # a Tuesday
Status = Booking.Status
SOAP = "SOAP-S: knee pain since the fall"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def reauthenticated(client):
    session = client.session
    mark_reauthenticated(type("R", (), {"session": session})())
    session.save()


@pytest.fixture
def story(client_user, other_client, practitioner, other_practitioner):
    """Cara (client_user) had two signed sessions with Pat (practitioner), one in March with
    a clearance note on her health form, and has one upcoming session with Pat and one with
    Quinn; Olly (other_client) is another client of Pat's."""
    first = IntakeFormFactory(client=client_user, version=1, signed_at=NOW - dt.timedelta(days=90))
    second = IntakeFormFactory(client=client_user, version=2, signed_at=NOW - dt.timedelta(days=20))
    ClearanceNoteFactory(intake=second)
    march = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=first,
        status=Status.COMPLETED,
        starts_at=NOW - dt.timedelta(days=60),
    )
    april = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=second,
        status=Status.COMPLETED,
        starts_at=NOW - dt.timedelta(days=14),
    )
    record = SessionRecordFactory(booking=march, signed=True, subjective=SOAP)
    PointWorkedFactory(record=record)
    RecordAddendumFactory(record=record)
    SessionRecordFactory(booking=april, signed=True)
    IntakeAccessFactory(booking=april, intake=second)
    upcoming = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=second,
        starts_at=NOW + dt.timedelta(days=6),
    )
    with_quinn = BookingFactory(
        client=client_user,
        practitioner=other_practitioner,
        intake=second,
        starts_at=NOW + dt.timedelta(days=8),
    )
    IntakeDraft.objects.create(client=client_user, answers={"medications": "none"}, steps=["about"])
    SlotHoldFactory(practitioner=practitioner, user=client_user, holder_key="")
    olly = BookingFactory(
        client=other_client, practitioner=practitioner, starts_at=NOW + dt.timedelta(days=2)
    )
    return {
        "march": march,
        "april": april,
        "upcoming": upcoming,
        "with_quinn": with_quinn,
        "olly": olly,
        "email": client_user.email,
    }


def test_the_erased_client_cannot_log_in_and_their_open_session_ends(client, client_user, story):
    client.force_login(client_user)
    erase_client(client=client_user)
    # The open session no longer opens anything: its password hash changed.
    assert client.get(reverse("sessions:my-bookings")).status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": story["email"], "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error; nobody logged in
    assert "_auth_user_id" not in client.session


def test_the_account_is_anonymised(client_user, story):
    client_user.phone = "+1 555 0100"
    client_user.save()
    erasure = erase_client(client=client_user)
    client_user.refresh_from_db()
    assert client_user.full_name == ERASED_NAME
    assert client_user.email.endswith("@erased.invalid")
    assert story["email"] not in client_user.email
    assert client_user.phone == ""
    assert not client_user.is_active
    assert not client_user.has_usable_password()
    assert erasure.client == client_user
    assert erasure.requested_at == NOW


def test_upcoming_bookings_are_cancelled_and_each_practitioner_told(
    client_user, practitioner, other_practitioner, story
):
    erase_client(client=client_user)
    upcoming = Booking.all_objects.get(pk=story["upcoming"].pk)
    assert upcoming.status == Status.CANCELLED_BY_CLIENT
    assert upcoming.cancellation_reason == "The client deleted their reflexbook account."
    assert Booking.all_objects.get(pk=story["with_quinn"].pk).status == Status.CANCELLED_BY_CLIENT
    # Past sessions stay as they were.
    assert Booking.all_objects.get(pk=story["march"].pk).status == Status.COMPLETED
    cancellations = [m for m in mail.outbox if m.subject.startswith("Cancelled")]
    assert sorted(m.to[0] for m in cancellations) == sorted(
        [practitioner.user.email, other_practitioner.user.email]
    )
    assert all(ERASED_NAME in m.body and "Cara" not in m.body for m in cancellations)
    told = [m for m in mail.outbox if m.subject == "A client deleted their reflexbook account"]
    assert sorted(m.to[0] for m in told) == sorted(
        [practitioner.user.email, other_practitioner.user.email]
    )
    to_pat = next(m for m in told if m.to == [practitioner.user.email])
    assert "You keep 2 signed session records" in to_pat.body
    assert reverse("sessions:retained") in to_pat.body
    to_quinn = next(m for m in told if m.to == [other_practitioner.user.email])
    assert "no signed session records" in to_quinn.body


def test_the_client_is_emailed_at_their_old_address_what_went_and_what_is_kept(client_user, story):
    erase_client(client=client_user)
    (confirmation,) = [m for m in mail.outbox if m.subject == "Your reflexbook account is deleted"]
    assert confirmation.to == [story["email"]]
    assert "Your 2 upcoming sessions were cancelled" in confirmation.body
    # Seven years from the last session (28 April 2026), in the client's zone.
    assert "until 28 April 2033" in confirmation.body


def test_what_the_practice_does_not_keep_goes_at_once(client_user, story):
    draft = SessionRecordFactory(
        booking=BookingFactory(
            client=client_user,
            practitioner=story["march"].practitioner,
            status=Status.COMPLETED,
            starts_at=NOW - dt.timedelta(days=3),
            intake=story["april"].intake,
        )
    )
    erasure = erase_client(client=client_user)
    assert not IntakeDraft.objects.filter(client=client_user).exists()
    assert not SlotHold.objects.filter(user=client_user).exists()
    assert not SessionRecord.all_objects.filter(pk=draft.pk).exists()
    assert erasure.detail["draft_records_deleted"] == 1
    assert erasure.detail["health_form_drafts_deleted"] == 1
    assert erasure.detail["holds_deleted"] == 1
    assert erasure.detail["bookings_cancelled"] == 2
    assert erasure.detail["records_kept"] == 2
    assert erasure.detail["intake_versions_kept"] == 2
    # The request names nobody and holds no health text.
    assert SOAP not in str(erasure.detail) and "Cara" not in str(erasure.detail)


def test_emails_queued_to_the_client_are_dropped_and_others_kept(
    client_user, practitioner, story, database_tasks
):
    from django_tasks_db.models import DBTaskResult

    from sessions.booking import notify

    notify(story["olly"], "confirmed", [story["olly"].client])
    notify(story["upcoming"], "confirmed", [client_user, practitioner.user])
    erasure = erase_client(client=client_user)
    assert erasure.detail["emails_dropped"] == 1
    queued = [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.ready()]
    recipients = [pk for kw in queued for pk in kw.get("recipient_ids", [])]
    assert client_user.pk not in recipients
    assert practitioner.user.pk in recipients and story["olly"].client_id in recipients
    database_tasks()
    to_client = [m.subject for m in mail.outbox if m.to == [story["email"]]]
    assert to_client == ["Your reflexbook account is deleted"]


def test_a_practitioner_cannot_erase_their_account_here(client, practitioner):
    client.force_login(practitioner.user)
    reauthenticated(client)
    response = client.post(
        reverse("sessions:erase-account"), {"confirm": "delete my account", "understood": "on"}
    )
    assert response.status_code == 403
    assert "holds a practice" in response.text
    assert not ErasureRequest.objects.exists()


# --- out of every list ----------------------------------------------------------------------


def test_the_erased_client_appears_in_none_of_the_practitioners_lists(
    client, client_user, other_client, practitioner, story
):
    erase_client(client=client_user)
    client.force_login(practitioner.user)
    march_day = story["march"].starts_at.date().isoformat()
    upcoming_day = story["upcoming"].starts_at.date().isoformat()
    pages = [
        reverse("sessions:clients"),
        reverse("sessions:clients") + "?q=Cara",
        reverse("sessions:clients") + "?q=Erased",
        reverse("sessions:agenda") + f"?date={upcoming_day}",
        reverse("sessions:agenda") + f"?date={march_day}",
        reverse("sessions:calendar-week") + f"?date={march_day}",
        reverse("sessions:calendar-week") + f"?date={upcoming_day}",
        reverse("sessions:calendar-day") + f"?date={upcoming_day}",
        reverse("sessions:todo"),
        reverse("sessions:book-for-client"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Cara Client" not in response.text, url
        assert ERASED_NAME not in response.text, url
    # Olly, who shares the practitioner, is still listed.
    assert "Olly Other" in client.get(reverse("sessions:clients")).text
    assert (
        "Olly Other"
        in client.get(reverse("sessions:agenda") + f"?date={story['olly'].starts_at.date()}").text
    )


def test_the_erased_clients_pages_are_gone_from_the_usual_places(
    client, client_user, practitioner, staff_client, story
):
    intake = story["march"].intake
    erase_client(client=client_user)
    client.force_login(practitioner.user)
    for url in [
        reverse("sessions:booking-detail", kwargs={"code": story["march"].code}),
        reverse("sessions:record", kwargs={"code": story["march"].code}),
        reverse("sessions:intake-detail", kwargs={"code": intake.code}),
        reverse("sessions:client", kwargs={"client_id": client_user.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    # Staff, who see every booking, do not see these either.
    url = reverse("sessions:booking-detail", kwargs={"code": story["march"].code})
    assert staff_client.get(url).status_code == 404


# --- the retained view ----------------------------------------------------------------------


def test_the_practitioner_reads_the_signed_records_on_the_retained_page_and_it_is_logged(
    client, client_user, practitioner, story
):
    erasure = erase_client(client=client_user)
    client.force_login(practitioner.user)
    listing = client.get(reverse("sessions:retained"))
    detail_url = reverse("sessions:retained-detail", kwargs={"code": erasure.code})
    assert detail_url in listing.text
    assert "Cara" not in listing.text
    reads_before = IntakeAccess.objects.filter(viewer=practitioner.user).count()
    response = client.get(detail_url)
    assert response.status_code == 200
    assert SOAP in response.text
    assert "Client phoned: slept well" in response.text  # the addendum
    assert "Version 1" in response.text and "Version 2" in response.text
    assert "note.pdf" in response.text
    assert "Locked." in response.text
    assert "<form" not in response.text.split("<main", 1)[-1].split("</main>")[0]
    new_reads = IntakeAccess.objects.filter(viewer=practitioner.user).count() - reads_before
    assert new_reads == 4  # two versions, two records


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 403),
        ("practitioner", 200),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_who_may_open_the_retained_records(client, who, status, practitioner):
    erin = SessionRecordFactory(
        booking=BookingFactory(
            practitioner=practitioner, status=Status.COMPLETED, starts_at=NOW - dt.timedelta(days=9)
        ),
        signed=True,
    ).booking.client
    erasure = erase_client(client=erin)
    response = client.get(reverse("sessions:retained-detail", kwargs={"code": erasure.code}))
    assert response.status_code == status


def test_the_retained_list_is_for_practitioners_only(client, client_user, practitioner):
    client.force_login(client_user)
    assert client.get(reverse("sessions:retained")).status_code == 403
    client.logout()
    assert client.get(reverse("sessions:retained")).status_code == 302


def test_retained_pages_cost_a_fixed_number_of_queries(
    client, client_user, practitioner, story, django_assert_max_num_queries
):
    for n in range(6):
        record = SessionRecordFactory(
            booking=BookingFactory(
                client=client_user,
                practitioner=practitioner,
                status=Status.COMPLETED,
                starts_at=NOW - dt.timedelta(days=100 + n),
            ),
            signed=True,
        )
        PointWorkedFactory(record=record)
        RecordAddendumFactory(record=record)
    erasure = erase_client(client=client_user)
    client.force_login(practitioner.user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sessions:retained")).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(reverse("sessions:retained-detail", kwargs={"code": erasure.code}))
    assert response.status_code == 200


# --- the purge ------------------------------------------------------------------------------


def test_run_due_jobs_past_the_retention_end_purges_everything_and_a_second_run_does_nothing(
    client_user, other_client, practitioner, story, settings
):
    erasure = erase_client(client=client_user)
    intake_ids = list(
        IntakeForm.all_objects.filter(client=client_user).values_list("pk", flat=True)
    )
    note = ClearanceNote.objects.get(intake_id__in=intake_ids)
    note_path = note.file.path
    client_pk = client_user.pk
    # Before the end: nothing goes.
    assert dict(run_due_jobs())["purge_due_erasures"] == 0
    assert Booking.all_objects.filter(client_id=client_pk).count() == 4
    with time_machine.travel(erasure.retention_ends_at + dt.timedelta(minutes=1), tick=False):
        results = dict(run_due_jobs())
        assert results["purge_due_erasures"] == 1
        assert dict(run_due_jobs())["purge_due_erasures"] == 0
    assert not Booking.all_objects.filter(client_id=client_pk).exists()
    assert not SessionRecord.all_objects.filter(booking__client_id=client_pk).exists()
    assert not IntakeForm.all_objects.filter(pk__in=intake_ids).exists()
    assert not IntakeAccess.objects.filter(client_id=client_pk).exists()
    assert not ClearanceNote.objects.filter(pk=note.pk).exists()
    assert not PointWorked.objects.filter(record__booking__client_id=client_pk).exists()
    assert not RecordAddendum.objects.filter(record__booking__client_id=client_pk).exists()
    assert not type(client_user).objects.filter(pk=client_pk).exists()
    import os

    assert not os.path.exists(note_path)
    erasure.refresh_from_db()
    assert erasure.purged_at is not None and erasure.client_id is None
    assert erasure.detail["records_purged"] == 2
    assert erasure.detail["bookings_purged"] == 4
    # Olly's booking with the same practitioner is untouched.
    assert Booking.objects.filter(pk=story["olly"].pk).exists()


def test_the_retention_end_counts_from_the_last_session(client_user, story, settings):
    settings.RECORD_RETENTION_YEARS = 3
    erasure = erase_client(client=client_user)
    last = story["april"].starts_at
    assert erasure.last_session_at == last
    assert erasure.retention_ends_at == last.replace(year=last.year + 3)


def test_a_client_who_never_had_a_session_keeps_nothing_after_the_next_run(
    client_user, practitioner
):
    BookingFactory(
        client=client_user, practitioner=practitioner, starts_at=NOW + dt.timedelta(days=3)
    )
    erasure = erase_client(client=client_user)
    assert erasure.retention_ends_at == NOW
    assert dict(run_due_jobs())["purge_due_erasures"] == 1
    assert not Booking.all_objects.filter(client_id=client_user.pk).exists()


# --- the page -------------------------------------------------------------------------------


def test_the_delete_page_asks_for_the_password_then_for_the_words(client, client_user, story):
    client.force_login(client_user)
    url = reverse("sessions:erase-account")
    assert client.get(url).url.startswith(reverse("accounts:reauthenticate"))
    reauthenticated(client)
    page = client.get(url)
    assert page.status_code == 200
    assert "Your 2 upcoming sessions are cancelled" in page.text
    wrong = client.post(url, {"confirm": "delete it", "understood": "on"})
    assert wrong.status_code == 400
    assert "Type the words “delete my account” exactly" in wrong.text
    assert 'value="delete it"' in wrong.text  # what they typed is kept
    assert not ErasureRequest.objects.exists()
    done = client.post(url, {"confirm": "  Delete My Account ", "understood": "on"})
    assert done.status_code == 302 and done.url == reverse("home")
    assert ErasureRequest.objects.filter(client=client_user).exists()
    home = client.get(done.url)
    assert "Your reflexbook account is deleted and you are logged out" in home.text
    assert "_auth_user_id" not in client.session


def test_staff_see_pending_erasures_without_names(staff_client, client_user, story):
    erasure = erase_client(client=client_user)
    rows, count = pending_erasures()
    assert count == 1 and rows == [erasure]
    response = staff_client.get(reverse("sessions:staff-erasures"))
    assert response.status_code == 200
    assert "1 pending erasure" in response.text
    assert str(erasure.code)[:8] in response.text
    assert "Cara" not in response.text and SOAP not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("practitioner", 403), ("staff", 200)],
    indirect=["who"],
)
def test_who_may_open_the_staff_erasures_page(client, who, status):
    assert client.get(reverse("sessions:staff-erasures")).status_code == status


def test_a_client_who_reported_a_practitioner_is_purged_and_the_report_kept_unlinked(
    client_user, practitioner, story
):
    from practitioners import review
    from practitioners.models import ClientReport

    report = review.submit_report(
        client=client_user,
        practitioner=practitioner,
        reason=ClientReport.Reason.CONDUCT,
        details="Arrived an hour late.",
    )
    erasure = erase_client(client=client_user)
    with time_machine.travel(erasure.retention_ends_at + dt.timedelta(minutes=1), tick=False):
        assert dict(run_due_jobs())["purge_due_erasures"] == 1
    assert not type(client_user).objects.filter(pk=client_user.pk).exists()
    report.refresh_from_db()
    assert report.client is None  # the practitioner's safety record keeps the report


def test_an_erasure_that_cannot_be_purged_does_not_stop_the_others(
    client_user, other_client, practitioner, story, monkeypatch
):
    from django.db import IntegrityError

    from sessions import erasure as erasure_module
    from sessions.models import JobRun

    first, second = erase_client(client=client_user), erase_client(client=other_client)
    real_purge = erasure_module._purge

    def purge(client_id):
        if client_id == client_user.pk:
            raise IntegrityError("protected")
        return real_purge(client_id)

    monkeypatch.setattr(erasure_module, "_purge", purge)
    later = max(first.retention_ends_at, second.retention_ends_at) + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert dict(run_due_jobs())["purge_due_erasures"] is None  # recorded as failed
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.purged_at is None and second.purged_at is not None
    assert JobRun.objects.get(name="purge_due_erasures").outcome == JobRun.Outcome.FAILED
