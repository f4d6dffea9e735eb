"""transition(): each change is recorded in the history and the practitioner is emailed."""

import pytest
from django.core.files.storage import FileSystemStorage

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


def only_event(certification) -> CertificationEvent:
    (event,) = CertificationEvent.objects.filter(certification=certification)
    return event


def test_submitting_records_the_owner_and_sends_no_email(practitioner, mailoutbox):
    certification = CertificationFactory(practitioner=practitioner)
    CertificationEvidenceFactory(certification=certification)

    transition(certification=certification, action=Action.SUBMIT, by=practitioner.user)

    certification.refresh_from_db()
    assert certification.state == State.PENDING
    assert certification.submitted_at is not None
    event = only_event(certification)
    assert (event.actor, event.from_state, event.to_state, event.reason) == (
        practitioner.user,
        State.DRAFT,
        State.PENDING,
        "",
    )
    assert mailoutbox == []


def test_submitting_without_evidence_is_refused_and_records_nothing(practitioner, mailoutbox):
    certification = CertificationFactory(practitioner=practitioner)

    with pytest.raises(TransitionRefused, match="Add at least one evidence file"):
        transition(certification=certification, action=Action.SUBMIT, by=practitioner.user)

    certification.refresh_from_db()
    assert certification.state == State.DRAFT
    assert not CertificationEvent.objects.exists()
    assert mailoutbox == []


def test_approving_records_the_staff_member_and_emails_the_practitioner(
    practitioner, staff, mailoutbox
):
    certification = CertificationFactory(practitioner=practitioner, pending=True)

    transition(certification=certification, action=Action.APPROVE, by=staff)

    certification.refresh_from_db()
    assert certification.state == State.VERIFIED
    assert certification.verified_at is not None
    event = only_event(certification)
    assert (event.actor, event.from_state, event.to_state) == (
        staff,
        State.PENDING,
        State.VERIFIED,
    )
    (email,) = mailoutbox
    assert email.to == [practitioner.user.email]
    assert email.subject == "Your ARCB foot credential is verified"
    assert "ARCB certified: foot" in email.body
    assert "31 December 2027" in email.body


def test_rejecting_records_the_reason_and_emails_it_unescaped(practitioner, staff, mailoutbox):
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    reason = "The name on the certificate doesn't match & the year is unreadable."

    transition(
        certification=certification,
        action=Action.REJECT,
        by=staff,
        reason_code="name_mismatch",
        reason=f"  {reason}\n",
    )

    certification.refresh_from_db()
    assert certification.state == State.REJECTED
    event = only_event(certification)
    assert (event.actor, event.from_state, event.to_state, event.reason_code, event.reason) == (
        staff,
        State.PENDING,
        State.REJECTED,
        "name_mismatch",
        reason,
    )
    (email,) = mailoutbox
    assert email.subject == "We could not verify your ARCB foot credential"
    assert reason in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body


def test_revoking_records_the_reason_and_emails_the_practitioner(practitioner, staff, mailoutbox):
    certification = CertificationFactory(
        practitioner=practitioner, kind=Certification.Kind.HAND, verified=True
    )

    transition(
        certification=certification,
        action=Action.REVOKE,
        by=staff,
        reason="ARCB says this certification ended in 2024.",
    )

    certification.refresh_from_db()
    assert certification.state == State.REVOKED
    event = only_event(certification)
    assert (event.from_state, event.to_state, event.reason) == (
        State.VERIFIED,
        State.REVOKED,
        "ARCB says this certification ended in 2024.",
    )
    (email,) = mailoutbox
    assert email.subject == "Your ARCB hand badge has been withdrawn"
    assert "ARCB says this certification ended in 2024." in email.body


def test_lapsing_is_recorded_as_the_system_and_emails_the_practitioner(practitioner, mailoutbox):
    certification = CertificationFactory(practitioner=practitioner, verified=True)

    transition(certification=certification, action=Action.LAPSE, by=None)

    event = only_event(certification)
    assert (event.actor, event.from_state, event.to_state) == (None, State.VERIFIED, State.LAPSED)
    (email,) = mailoutbox
    assert email.subject == "Your ARCB foot credential has lapsed"


def test_a_refused_decision_changes_nothing_and_sends_nothing(practitioner, staff, mailoutbox):
    certification = CertificationFactory(practitioner=practitioner, pending=True)

    with pytest.raises(TransitionRefused, match="Add a note saying what is wrong"):
        transition(
            certification=certification,
            action=Action.REJECT,
            by=staff,
            reason_code="other",
            reason=" ",
        )

    certification.refresh_from_db()
    assert certification.state == State.PENDING
    assert not CertificationEvent.objects.exists()
    assert mailoutbox == []


def test_the_decision_uses_the_current_state_not_a_stale_copy(practitioner, staff):
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    stale = Certification.objects.get(pk=certification.pk)
    transition(certification=certification, action=Action.APPROVE, by=staff)

    # A second member of staff still looking at the pending copy cannot reject it too.
    with pytest.raises(TransitionRefused, match="verified cannot be rejected"):
        transition(certification=stale, action=Action.REJECT, by=staff, reason_code="expired")
    assert CertificationEvent.objects.count() == 1


def test_people_other_than_the_owner_and_staff_cannot_change_a_credential(
    practitioner, other_practitioner, client_user
):
    certification = CertificationFactory(practitioner=practitioner)
    CertificationEvidenceFactory(certification=certification)

    for stranger in (other_practitioner.user, client_user):
        with pytest.raises(TransitionRefused, match="Only the practitioner or staff"):
            transition(certification=certification, action=Action.SUBMIT, by=stranger)
    assert not CertificationEvent.objects.exists()


def test_staff_who_practise_can_submit_but_not_approve_their_own_credential():
    colleague = PractitionerFactory(user=StaffFactory())
    certification = CertificationFactory(practitioner=colleague)
    CertificationEvidenceFactory(certification=certification)

    transition(certification=certification, action=Action.SUBMIT, by=colleague.user)
    with pytest.raises(TransitionRefused, match="Only reflexbook staff can approve"):
        transition(certification=certification, action=Action.APPROVE, by=colleague.user)

    certification.refresh_from_db()
    assert certification.state == State.PENDING
