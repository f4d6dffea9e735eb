"""The practitioner's credentials pages: add, edit, upload evidence, submit."""

import io
from datetime import date

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from practitioners.certification import transition
from practitioners.certification_rules import Action
from practitioners.models import Certification, CertificationEvent, CertificationEvidence
from tests.factories import (
    PDF_BYTES,
    CertificationEventFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
)
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
State = Certification.State


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path, monkeypatch):
    """The evidence field's storage is built at import; point it at this test's folder."""
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def pdf(name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name="id-card.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def details(**changes) -> dict:
    return {
        "credential_id": "ARCB-4471",
        "year_certified": "2019",
        "ce_cycle_end": "2027-12-31",
        "listing_url": "https://arcb.net/listing/4471",
    } | changes


def edit_url(kind="foot") -> str:
    return reverse("practitioners:credential-edit", kwargs={"kind": kind})


def submit_url(kind="foot") -> str:
    return reverse("practitioners:credential-submit", kwargs={"kind": kind})


def test_the_credentials_page_lists_foot_and_hand(logged_in):
    response = logged_in.get(reverse("practitioners:credentials"))
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "Foot reflexology" in response.text
    assert "Hand reflexology" in response.text
    assert response.text.count("Not added yet.") == 2
    assert edit_url("foot") in response.text
    assert edit_url("hand") in response.text


@pytest.mark.parametrize("who", ["client_user", "staff"])
def test_people_without_a_practitioner_profile_get_403(client, request, who):
    log_in_as(client, request.getfixturevalue(who))
    assert client.get(reverse("practitioners:credentials")).status_code == 403
    assert client.get(edit_url()).status_code == 403
    assert client.post(submit_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("practitioners:credentials"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_foot_and_hand_credentials_exist(logged_in):
    assert logged_in.get(edit_url("ear")).status_code == 404
    assert logged_in.post(submit_url("ear")).status_code == 404


def test_adding_a_credential_with_evidence_saves_a_draft_and_submitting_makes_it_pending(
    logged_in, practitioner, mailoutbox
):
    response = logged_in.post(edit_url(), details(evidence=[pdf(), png()]), follow=True)
    assert "saved as a draft" in response.text
    certification = Certification.objects.get(practitioner=practitioner, kind="foot")
    assert certification.state == State.DRAFT
    assert (certification.credential_id, certification.year_certified) == ("ARCB-4471", 2019)
    assert certification.ce_cycle_end == date(2027, 12, 31)
    assert certification.listing_url == "https://arcb.net/listing/4471"
    files = sorted(certification.evidence.values_list("original_name", "content_type", "size"))
    assert files[0] == ("certificate.pdf", "application/pdf", len(PDF_BYTES))
    assert files[1][:2] == ("id-card.png", "image/png")
    assert not CertificationEvent.objects.exists()
    assert "certificate.pdf" in response.text
    assert "Submit for verification" in response.text

    response = logged_in.post(submit_url(), follow=True)

    assert "sent to reflexbook staff for verification" in response.text
    certification.refresh_from_db()
    assert certification.state == State.PENDING
    event = CertificationEvent.objects.get(certification=certification)
    assert (event.actor, event.from_state, event.to_state) == (
        practitioner.user,
        State.DRAFT,
        State.PENDING,
    )
    assert "Waiting for review" in response.text
    assert mailoutbox == []


def test_submitting_without_evidence_is_refused_with_a_message(logged_in, practitioner):
    logged_in.post(edit_url(), details())
    certification = Certification.objects.get(practitioner=practitioner)

    response = logged_in.post(submit_url(), follow=True)

    assert "Add at least one evidence file" in response.text
    certification.refresh_from_db()
    assert certification.state == State.DRAFT
    assert not CertificationEvent.objects.exists()


def test_submitting_a_credential_that_does_not_exist_yet_is_404(logged_in):
    assert logged_in.post(submit_url("hand")).status_code == 404


def test_a_renamed_exe_is_refused_by_name_and_the_typed_fields_are_kept(logged_in):
    exe = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500)
    response = logged_in.post(edit_url(), details(evidence=[exe]))

    assert response.status_code == 200
    assert "certificate.pdf is not a PDF, JPEG or PNG file" in response.text
    assert 'value="ARCB-4471"' in response.text
    assert 'value="2019"' in response.text
    assert 'value="2027-12-31"' in response.text
    assert 'value="https://arcb.net/listing/4471"' in response.text
    assert "choose your evidence files again" in response.text
    assert not Certification.objects.exists()


def test_an_11_mb_file_is_refused_by_name(logged_in):
    big = SimpleUploadedFile("big-scan.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB) + b"\n%%EOF\n")
    response = logged_in.post(edit_url(), details(evidence=[big]))

    assert "big-scan.pdf is 11.0 MB; the limit is 10 MB." in response.text
    assert 'value="ARCB-4471"' in response.text
    assert not Certification.objects.exists()


def test_an_unreadable_image_is_refused_by_name(logged_in):
    broken = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"garbage" * 50)
    response = logged_in.post(edit_url(), details(evidence=[broken]))

    assert "photo.jpg is not a PDF, JPEG or PNG file" in response.text
    assert not CertificationEvidence.objects.exists()


def test_every_refused_file_is_named_and_nothing_is_saved(logged_in):
    exe = SimpleUploadedFile("setup.png", b"MZ" + b"\x00" * 100)
    empty = SimpleUploadedFile("blank.pdf", b"")
    response = logged_in.post(edit_url(), details(evidence=[pdf(), exe, empty]))

    assert "setup.png is not a PDF, JPEG or PNG file" in response.text
    assert "blank.pdf is empty" in response.text
    assert not Certification.objects.exists()
    assert not CertificationEvidence.objects.exists()


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1990", "Enter a year from 1991 (when ARCB began certifying) to 2026."),
        ("2027", "Enter a year from 1991 (when ARCB began certifying) to 2026."),
        ("nineteen", "Enter the year as four digits, e.g. 2019."),
        ("", "Enter the year ARCB certified you, e.g. 2019."),
    ],
)
def test_a_bad_year_is_refused_with_a_clear_message(logged_in, year, message):
    with time_machine.travel("2026-06-01 12:00Z", tick=False):
        response = logged_in.post(edit_url(), details(year_certified=year))
    assert message in response.text
    assert 'value="ARCB-4471"' in response.text
    assert not Certification.objects.exists()


def test_the_cycle_end_must_be_after_the_year_certified(logged_in):
    response = logged_in.post(edit_url(), details(year_certified="2019", ce_cycle_end="2019-12-31"))
    assert "The CE cycle ends after the year you were certified (2019)" in response.text
    assert "31 December 2021" in response.text
    assert not Certification.objects.exists()


def test_editing_a_draft_keeps_it_a_draft_and_keeps_its_files(logged_in, practitioner):
    certification = CertificationFactory(practitioner=practitioner, credential_id="OLD")
    CertificationEvidenceFactory(certification=certification, original_name="first.pdf")

    response = logged_in.post(edit_url(), details(evidence=[pdf("second.pdf")]), follow=True)

    assert "Your foot credential was saved." in response.text
    certification.refresh_from_db()
    assert certification.state == State.DRAFT
    assert certification.credential_id == "ARCB-4471"
    assert sorted(certification.evidence.values_list("original_name", flat=True)) == [
        "first.pdf",
        "second.pdf",
    ]


def test_a_pending_credential_cannot_be_edited_and_the_page_says_why(logged_in, practitioner):
    certification = CertificationFactory(practitioner=practitioner, pending=True)

    page = logged_in.get(edit_url())
    assert "waiting for review by reflexbook staff, so it cannot be changed" in page.text
    assert 'name="credential_id"' not in page.text

    response = logged_in.post(edit_url(), details(credential_id="CHANGED"), follow=True)
    assert "waiting for review, so it cannot be changed" in response.text
    certification.refresh_from_db()
    assert certification.credential_id != "CHANGED"


def test_changing_a_verified_credential_sends_it_back_for_review(logged_in, practitioner):
    certification = CertificationFactory(practitioner=practitioner, verified=True)
    CertificationEvidenceFactory(certification=certification)
    assert "changes sends it back" not in logged_in.get(edit_url()).text
    assert "Saving a change or adding a file sends it back" in logged_in.get(edit_url()).text

    response = logged_in.post(
        edit_url(), details(ce_cycle_end="2029-12-31", credential_id=certification.credential_id)
    )

    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.state == State.PENDING
    assert certification.ce_cycle_end == date(2029, 12, 31)
    event = CertificationEvent.objects.get(certification=certification)
    assert (event.from_state, event.to_state) == (State.VERIFIED, State.PENDING)
    assert not Certification.objects.badges().exists()
    page = logged_in.get(reverse("practitioners:credentials"))
    assert "sent back to staff for verification" in page.text


def test_saving_a_verified_credential_unchanged_keeps_it_verified(logged_in, practitioner):
    certification = CertificationFactory(
        practitioner=practitioner,
        verified=True,
        credential_id="ARCB-4471",
        listing_url="https://arcb.net/listing/4471",
    )
    response = logged_in.post(edit_url(), details(), follow=True)
    assert "Nothing had changed" in response.text
    certification.refresh_from_db()
    assert certification.state == State.VERIFIED


def test_the_page_shows_state_badge_files_and_history_in_plain_words(
    logged_in, practitioner, staff
):
    certification = CertificationFactory(practitioner=practitioner, credential_id="ARCB-4471")
    item = CertificationEvidenceFactory(certification=certification)
    transition(certification=certification, action=Action.SUBMIT, by=practitioner.user)
    transition(certification=certification, action=Action.APPROVE, by=staff)

    page = logged_in.get(reverse("practitioners:credentials")).text

    assert "Status: <strong>Verified</strong>" in page
    assert "ARCB certified: foot" in page
    assert "Your profile shows the badge until your CE cycle ends on 31 Dec 2027" in page
    assert reverse("practitioners:evidence", kwargs={"code": item.code}) in page
    assert "you: Draft → Waiting for review" in page
    assert "reflexbook staff: Waiting for review → Verified" in page
    assert "Waiting for review → Verified" in page
    assert "Draft → Waiting for review" in page
    assert staff.full_name not in page


def test_a_lapse_shows_as_automatic_in_the_history(logged_in, practitioner):
    certification = CertificationFactory(practitioner=practitioner, state=State.LAPSED)
    CertificationEventFactory(
        certification=certification, actor=None, from_state="verified", to_state="lapsed"
    )
    page = logged_in.get(reverse("practitioners:credentials")).text
    assert "automatic: Verified → Lapsed" in page
    assert "Verified → Lapsed" in page
    assert "without a renewal" in page
    assert "ARCB certified: foot" not in page


def test_history_times_are_in_the_practitioners_zone(logged_in, practitioner):
    certification = CertificationFactory(practitioner=practitioner, state=State.REJECTED)
    CertificationEventFactory(
        certification=certification,
        at="2026-03-10T20:30:00Z",
        from_state="pending",
        to_state="rejected",
        reason="Blurred scan.",
    )
    page = logged_in.get(reverse("practitioners:credentials")).text
    assert "10 Mar 2026, 13:30 PDT" in page  # practitioner.timezone is Los Angeles
    assert "Blurred scan." in page
