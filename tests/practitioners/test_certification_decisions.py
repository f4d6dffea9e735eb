"""Staff decisions through practitioners.certification: stock reasons, asking for more
information and resubmitting, what staff looked at, one staff-log row per decision, and the
words each decision email gives the practitioner."""

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.models import StaffAction
from practitioners.certification import transition
from practitioners.certification_rules import Action, TransitionRefused
from practitioners.models import Certification, CertificationEvent, CertificationEvidence
from tests.factories import (
    CertificationEvidenceFactory,
    CertificationFactory,
    PractitionerFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
State = Certification.State


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path, monkeypatch):
    """The evidence field's storage is built at import; point it at this test's folder."""
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def pending(practitioner):
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    CertificationEvidenceFactory(certification=certification)
    return certification


@pytest.mark.parametrize(
    ("code", "label", "next_step"),
    [
        (
            "unreadable",
            "Unreadable",
            "What to do next: Upload a clearer photo or the PDF from ARCB",
        ),
        ("name_mismatch", "Name does not match", "What to do next: Upload a document that shows"),
        ("expired", "Expired", "What to do next: Renew your certification with ARCB"),
        ("not_arcb", "Not an ARCB certificate", "What to do next: Upload your certificate or ID"),
    ],
)
def test_a_stock_reason_is_stored_and_its_next_step_emailed(
    pending, staff, mailoutbox, code, label, next_step
):
    transition(certification=pending, action=Action.REJECT, by=staff, reason_code=code)

    event = pending.events.get()
    assert (event.to_state, event.reason_code, event.reason) == (State.REJECTED, code, "")
    (email,) = mailoutbox
    assert email.subject == "We could not verify your ARCB foot credential"
    assert f"The reason: {label}." in email.body
    assert next_step in email.body
    assert "/practitioners/me/credentials/" in email.body
    assert "A note from reflexbook staff" not in email.body


def test_other_with_a_note_emails_the_note_and_what_to_do(pending, staff, mailoutbox):
    note = "The certificate is a screenshot of a web page; we need the certificate itself."
    transition(
        certification=pending, action=Action.REJECT, by=staff, reason_code="other", reason=note
    )

    assert pending.events.get().reason == note
    body = mailoutbox[0].body
    assert f"A note from reflexbook staff:\n\n{note}" in body
    assert "What to do next: Make the change the note from reflexbook staff asks for" in body
    assert "The reason: Other" not in body


def test_asking_for_more_sends_it_back_with_the_request(pending, staff, mailoutbox):
    request = "Please add the back of your ID card: the expiry date is on it."
    transition(certification=pending, action=Action.REQUEST_INFO, by=staff, reason=request)

    pending.refresh_from_db()
    assert pending.state == State.MORE_INFO
    event = pending.events.get()
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        staff,
        State.PENDING,
        State.MORE_INFO,
        request,
    )
    (email,) = mailoutbox
    assert email.subject == "We need more information to verify your ARCB foot credential"
    assert "It has not been rejected." in email.body
    assert request in email.body
    assert 'choose "Edit details or add files"' in email.body
    assert 'then choose "Submit for verification"' in email.body


def test_asking_for_more_needs_the_request(pending, staff, mailoutbox):
    with pytest.raises(TransitionRefused, match="Say what more information you need"):
        transition(certification=pending, action=Action.REQUEST_INFO, by=staff, reason="  ")
    pending.refresh_from_db()
    assert pending.state == State.PENDING
    assert mailoutbox == []
    assert not StaffAction.objects.exists()


def test_the_owner_resubmits_after_more_information_and_the_history_keeps_every_step(
    pending, practitioner, staff, mailoutbox
):
    transition(certification=pending, action=Action.REQUEST_INFO, by=staff, reason="Back side.")
    CertificationEvidenceFactory(certification=pending, original_name="back.pdf")
    transition(certification=pending, action=Action.SUBMIT, by=practitioner.user)
    transition(certification=pending, action=Action.APPROVE, by=staff)

    steps = list(pending.events.values_list("from_state", "to_state", "actor"))
    assert steps == [
        (State.PENDING, State.MORE_INFO, staff.pk),
        (State.MORE_INFO, State.PENDING, practitioner.user.pk),
        (State.PENDING, State.VERIFIED, staff.pk),
    ]
    assert [email.subject for email in mailoutbox] == [
        "We need more information to verify your ARCB foot credential",
        "Your ARCB foot credential is verified",
    ]


def test_staff_cannot_decide_while_more_information_is_awaited(pending, staff):
    transition(certification=pending, action=Action.REQUEST_INFO, by=staff, reason="Back side.")
    with pytest.raises(TransitionRefused, match="waiting for more information"):
        transition(certification=pending, action=Action.APPROVE, by=StaffFactory())


def test_a_decision_keeps_the_codes_of_the_evidence_staff_saw(pending, staff):
    first = pending.evidence.get()
    second = CertificationEvidenceFactory(certification=pending)
    strangers = CertificationEvidenceFactory()  # another credential's file

    transition(
        certification=pending,
        action=Action.APPROVE,
        by=staff,
        evidence_seen=[second.code, str(first.code), strangers.code, first.code],
    )

    event = pending.events.get()
    assert event.evidence_seen == [str(second.code), str(first.code)]
    (logged,) = StaffAction.objects.all()
    assert logged.detail["evidence"] == [str(second.code), str(first.code)]


@pytest.mark.parametrize(
    ("action", "arguments", "key"),
    [
        (Action.APPROVE, {}, "credential_approved"),
        (Action.REJECT, {"reason_code": "expired"}, "credential_rejected"),
        (Action.REQUEST_INFO, {"reason": "The back, please."}, "credential_more_info"),
    ],
)
def test_each_decision_appends_one_staff_action(pending, staff, action, arguments, key):
    transition(certification=pending, action=action, by=staff, **arguments)

    (logged,) = StaffAction.objects.all()
    assert (logged.actor, logged.action, logged.subject_type, logged.subject_id) == (
        staff,
        key,
        "credential",
        str(pending.code),
    )
    assert logged.subject_label == "Pat Practitioner: foot credential"
    assert logged.detail["reason_code"] == arguments.get("reason_code", "")
    assert "The back, please." not in str(logged.detail)  # words stay in the history


def test_the_owners_submission_and_the_systems_lapse_are_not_staff_actions(practitioner):
    certification = CertificationFactory(practitioner=practitioner)
    CertificationEvidenceFactory(certification=certification)
    transition(certification=certification, action=Action.SUBMIT, by=practitioner.user)
    verified = CertificationFactory(practitioner=practitioner, kind="hand", verified=True)
    transition(certification=verified, action=Action.LAPSE, by=None)

    assert CertificationEvent.objects.count() == 2
    assert not StaffAction.objects.exists()


def test_a_member_of_staff_still_cannot_decide_their_own_credential():
    colleague = PractitionerFactory(user=StaffFactory())
    certification = CertificationFactory(practitioner=colleague, pending=True)

    for action, arguments in [
        (Action.APPROVE, {}),
        (Action.REJECT, {"reason_code": "expired"}),
        (Action.REQUEST_INFO, {"reason": "More."}),
    ]:
        with pytest.raises(TransitionRefused, match="Only reflexbook staff"):
            transition(certification=certification, action=action, by=colleague.user, **arguments)
    assert not StaffAction.objects.exists()
