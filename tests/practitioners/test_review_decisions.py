"""Decisions on the staff review page: stock reasons, asking for more information and the
practitioner's resubmission, revocations by two members of staff, what staff looked at, and
one staff-log row per decision."""

import re

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import StaffAction
from practitioners.models import Certification, CertificationEvidence, RevocationProposal
from tests.factories import (
    PDF_BYTES,
    CertificationEventFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
    StaffFactory,
)
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db
State = Certification.State
REVOKE_REASON = "ARCB confirmed the certification was terminated in March."


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path, monkeypatch):
    """The evidence field's storage is built at import; point it at this test's folder."""
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def pending(practitioner):
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    CertificationEvidenceFactory(certification=certification, original_name="certificate.pdf")
    CertificationEventFactory(
        certification=certification,
        actor=practitioner.user,
        from_state=State.DRAFT,
        to_state=State.PENDING,
    )
    return certification


@pytest.fixture
def verified(practitioner):
    certification = CertificationFactory(practitioner=practitioner, verified=True)
    CertificationEvidenceFactory(certification=certification)
    return certification


@pytest.fixture
def second_staff_client(db):
    """Another browser, logged in as a second member of staff (`.user`)."""
    colleague = StaffFactory(full_name="Sam Second")
    browser = Client()
    log_in_verified(browser, colleague)
    browser.user = colleague
    return browser


@pytest.fixture
def practitioner_client(practitioner):
    """Another browser than `staff_client`'s, logged in as the credential's practitioner."""
    browser = Client()
    browser.force_login(practitioner.user)
    return browser


def review_url(certification) -> str:
    return reverse("practitioners:review", kwargs={"code": certification.code})


def seen_codes(page: str, action: str) -> list[str]:
    return re.findall(rf'name="{action}-seen" value="([0-9a-f-]+)"', page)


@pytest.mark.parametrize(
    ("code", "label", "next_step"),
    [
        ("unreadable", "Unreadable", "Upload a clearer photo or the PDF from ARCB"),
        ("name_mismatch", "Name does not match", "shows the name on the certificate is yours"),
        ("expired", "Expired", "Renew your certification with ARCB"),
        ("not_arcb", "Not an ARCB certificate", "American Reflexology Certification Board"),
        ("other", "Other", "Make the change the note from reflexbook staff asks for"),
    ],
)
def test_rejecting_with_each_stock_reason(
    practitioner_client, staff_client, staff, pending, mailoutbox, code, label, next_step
):
    note = "The date is cut off at the bottom of the photo." if code == "other" else ""
    response = staff_client.post(
        review_url(pending),
        {"action": "reject", "reject-reason_code": code, "reject-reason": note},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("practitioners:queue"), 302)]
    assert "Rejected Pat Practitioner’s foot credential." in response.text
    pending.refresh_from_db()
    assert pending.state == State.REJECTED
    event = pending.events.last()
    assert (event.actor, event.reason_code, event.reason) == (staff, code, note)
    (email,) = mailoutbox
    assert next_step in email.body
    assert note in email.body
    # The history shows the reason to staff...
    staff_page = staff_client.get(review_url(pending)).text
    assert f"Reason: {label}" in staff_page
    # ...and to the practitioner, with what to do next.
    page = practitioner_client.get(reverse("practitioners:credentials")).text
    assert f"Reason: {label}" in page
    assert "What to do next:" in page
    assert next_step in page
    assert "Submit for verification" in page


def test_other_without_a_note_is_a_form_error_that_keeps_the_choice(staff_client, pending):
    response = staff_client.post(
        review_url(pending), {"action": "reject", "reject-reason_code": "other"}
    )

    assert response.status_code == 200
    assert "Add a note saying what is wrong" in response.text
    assert re.search(r'value="other"[^>]*checked', response.text)
    pending.refresh_from_db()
    assert pending.state == State.PENDING
    assert not StaffAction.objects.exists()


def test_a_rejection_without_a_reason_keeps_the_note_typed(staff_client, pending, mailoutbox):
    note = "Half of the certificate is missing."
    response = staff_client.post(review_url(pending), {"action": "reject", "reject-reason": note})

    assert "Choose a reason to reject a credential." in response.text
    assert f">\n{note}</textarea>" in response.text
    pending.refresh_from_db()
    assert pending.state == State.PENDING
    assert mailoutbox == []


def test_asking_for_more_needs_the_request(staff_client, pending):
    response = staff_client.post(review_url(pending), {"action": "request_info"})
    assert "Say what more information you need" in response.text
    pending.refresh_from_db()
    assert pending.state == State.PENDING


def test_more_information_round_trip(practitioner_client, staff_client, pending, mailoutbox):
    request = "Please add the back of your ID card: the expiry date is on it."
    page = staff_client.get(review_url(pending)).text
    assert 'value="request_info"' in page
    response = staff_client.post(
        review_url(pending),
        {
            "action": "request_info",
            "request_info-reason": request,
            "request_info-seen": seen_codes(page, "request_info"),
        },
        follow=True,
    )
    assert "Asked Pat Practitioner for more information" in response.text
    assert "Nothing is waiting for review." in response.text
    assert request in mailoutbox[0].body

    # The practitioner sees the request, adds a file and resubmits.
    client = practitioner_client
    page = client.get(reverse("practitioners:credentials")).text
    assert "Status: <strong>More information requested</strong>" in page
    assert "What reflexbook staff asked for" in page
    assert request in page
    edit = reverse("practitioners:credential-edit", kwargs={"kind": "foot"})
    assert request in client.get(edit).text
    upload = SimpleUploadedFile("id-back.pdf", PDF_BYTES, content_type="application/pdf")
    saved = client.post(
        edit,
        {
            "credential_id": pending.credential_id,
            "year_certified": "2019",
            "ce_cycle_end": "2027-12-31",
            "evidence": [upload],
        },
        follow=True,
    )
    assert "Submit it for verification when you are ready." in saved.text
    submitted = client.post(
        reverse("practitioners:credential-submit", kwargs={"kind": "foot"}), follow=True
    )
    assert "was sent to reflexbook staff for verification" in submitted.text
    pending.refresh_from_db()
    assert pending.state == State.PENDING

    # Back in the queue; the history lists every step, with the files staff looked at.
    queue = staff_client.get(reverse("practitioners:queue")).text
    assert review_url(pending) in queue
    review = staff_client.get(review_url(pending)).text
    assert "Pat Practitioner (the practitioner): Draft → Waiting for review" in review
    assert "Sid Staff (staff): Waiting for review → More information requested" in review
    assert f"Request: {request}" in review
    assert "Files on the page: certificate.pdf" in review
    assert (
        "Pat Practitioner (the practitioner): More information requested → Waiting for review"
        in review
    )
    assert len(seen_codes(review, "approve")) == 2  # the new file is on the page now


def test_a_decision_stores_the_evidence_on_the_page(staff_client, staff, pending):
    page = staff_client.get(review_url(pending)).text
    codes = seen_codes(page, "approve")
    assert codes == [str(pending.evidence.get().code)]

    staff_client.post(review_url(pending), {"action": "approve", "approve-seen": codes})

    event = pending.events.last()
    assert (event.actor, event.to_state, event.evidence_seen) == (staff, State.VERIFIED, codes)


@pytest.mark.parametrize(
    ("post", "key"),
    [
        ({"action": "approve"}, "credential_approved"),
        ({"action": "reject", "reject-reason_code": "expired"}, "credential_rejected"),
        ({"action": "request_info", "request_info-reason": "More."}, "credential_more_info"),
    ],
)
def test_one_staff_action_per_decision(staff_client, staff, pending, post, key):
    staff_client.post(review_url(pending), post)
    assert list(StaffAction.objects.values_list("actor", "action", "subject_id")) == [
        (staff.pk, key, str(pending.code))
    ]


def test_revocation_needs_a_second_member_of_staff(
    staff_client, staff, second_staff_client, verified, mailoutbox
):
    page = staff_client.get(review_url(verified)).text
    assert "Propose revoking" in page
    response = staff_client.post(
        review_url(verified),
        {"action": "revoke", "revoke-reason": REVOKE_REASON},
        follow=True,
    )
    assert "Proposed revoking Pat Practitioner’s foot credential." in response.text
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED
    assert list(Certification.objects.badges()) == [verified]
    assert mailoutbox == []

    # The proposer is shown the proposal, can only withdraw it, and is refused a confirmation.
    page = staff_client.get(review_url(verified)).text
    assert "Revocation proposed by you" in page
    assert REVOKE_REASON in page
    assert 'value="confirm_revocation"' not in page
    assert 'value="withdraw_revocation"' in page
    assert 'value="revoke"' not in page
    refused = staff_client.post(review_url(verified), {"action": "confirm_revocation"}, follow=True)
    assert "That decision is not available" in refused.text
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED

    # A second member of staff confirms: revoked, emailed, the badge gone.
    page = second_staff_client.get(review_url(verified)).text
    assert "Revocation proposed by Sid Staff" in page
    response = second_staff_client.post(
        review_url(verified),
        {
            "action": "confirm_revocation",
            "confirm_revocation-seen": seen_codes(page, "confirm_revocation"),
        },
        follow=True,
    )
    assert "Revoked Pat Practitioner’s foot credential, as proposed." in response.text
    verified.refresh_from_db()
    assert verified.state == State.REVOKED
    assert not Certification.objects.badges().exists()
    detail = second_staff_client.get(
        reverse("practitioners:detail", kwargs={"slug": verified.practitioner.slug})
    )
    assert "ARCB certified" not in detail.text
    (email,) = mailoutbox
    assert email.subject == "Your ARCB foot badge has been withdrawn"
    assert REVOKE_REASON in email.body
    assert list(StaffAction.objects.order_by("at", "pk").values_list("actor", "action")) == [
        (staff.pk, "revocation_proposed"),
        (second_staff_client.user.pk, "credential_revoked"),
    ]
    page = second_staff_client.get(review_url(verified)).text
    assert "Confirmed: revoked by Sam Second" in page


def test_a_second_member_of_staff_can_withdraw_a_proposal(
    staff_client, staff, second_staff_client, verified, mailoutbox
):
    staff_client.post(review_url(verified), {"action": "revoke", "revoke-reason": REVOKE_REASON})

    response = second_staff_client.post(
        review_url(verified), {"action": "withdraw_revocation"}, follow=True
    )

    assert "Withdrew the proposed revocation" in response.text
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED
    assert RevocationProposal.objects.get().status == RevocationProposal.Status.WITHDRAWN
    assert mailoutbox == []
    assert StaffAction.objects.filter(action="revocation_withdrawn").count() == 1


def test_with_the_setting_off_one_member_of_staff_revokes(
    settings, staff_client, staff, verified, mailoutbox
):
    settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF = False
    page = staff_client.get(review_url(verified)).text
    assert "The badge leaves the practitioner’s profile at once." in page

    response = staff_client.post(
        review_url(verified), {"action": "revoke", "revoke-reason": REVOKE_REASON}, follow=True
    )

    assert "Revoked Pat Practitioner’s foot credential." in response.text
    verified.refresh_from_db()
    assert verified.state == State.REVOKED
    assert not RevocationProposal.objects.exists()
    assert list(StaffAction.objects.values_list("action", flat=True)) == ["credential_revoked"]


def test_the_practitioner_never_sees_who_decided_or_a_proposal(
    practitioner_client, staff_client, verified
):
    staff_client.post(review_url(verified), {"action": "revoke", "revoke-reason": REVOKE_REASON})
    page = practitioner_client.get(reverse("practitioners:credentials")).text
    assert REVOKE_REASON not in page
    assert "Sid Staff" not in page


@pytest.mark.parametrize(
    "who", ["anonymous", "client", "practitioner", "other practitioner"], indirect=True
)
@pytest.mark.parametrize(
    "post",
    [
        {"action": "request_info", "request_info-reason": "More."},
        {"action": "reject", "reject-reason_code": "expired"},
        {"action": "revoke", "revoke-reason": REVOKE_REASON},
    ],
    ids=["request_info", "reject", "revoke"],
)
def test_only_staff_may_decide(client, who, practitioner, post):
    certification = CertificationFactory(
        practitioner=practitioner, verified=post["action"] == "revoke"
    )
    if post["action"] != "revoke":
        certification.state = State.PENDING
        certification.save()
    response = client.post(review_url(certification), post)
    assert response.status_code == 403
    assert certification.state == Certification.objects.get(pk=certification.pk).state
    assert not certification.events.exists()
    assert not RevocationProposal.objects.exists()
    assert not StaffAction.objects.exists()
