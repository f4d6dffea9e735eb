"""Revocations by two members of staff (settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF): a
proposal keeps the badge, a different member of staff confirms or withdraws, the database
holds at most one open proposal per credential."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import StaffAction
from practitioners.certification import (
    confirm_revocation,
    request_revocation,
    transition,
    withdraw_revocation,
)
from practitioners.certification_rules import Action, TransitionRefused
from practitioners.models import Certification, RevocationProposal
from tests.factories import (
    CertificationEvidenceFactory,
    CertificationFactory,
    PractitionerFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
State = Certification.State
Status = RevocationProposal.Status
REASON = "ARCB confirmed the certification was terminated in March."


@pytest.fixture
def verified(practitioner):
    return CertificationFactory(practitioner=practitioner, verified=True)


@pytest.fixture
def second_staff(db):
    return StaffFactory(full_name="Sam Second")


def actions() -> list[tuple]:
    return list(StaffAction.objects.order_by("at", "pk").values_list("actor", "action"))


def test_a_proposal_keeps_the_badge_and_emails_nobody(verified, staff, mailoutbox):
    proposal = request_revocation(certification=verified, by=staff, reason=f" {REASON} ")

    verified.refresh_from_db()
    assert verified.state == State.VERIFIED
    assert list(Certification.objects.badges()) == [verified]
    assert (proposal.status, proposal.proposed_by, proposal.reason) == (Status.OPEN, staff, REASON)
    assert not verified.events.exists()
    assert mailoutbox == []
    assert actions() == [(staff.pk, "revocation_proposed")]


def test_the_proposer_cannot_confirm_their_own_proposal(verified, staff, mailoutbox):
    proposal = request_revocation(certification=verified, by=staff, reason=REASON)

    with pytest.raises(TransitionRefused, match="another member of staff must confirm it"):
        confirm_revocation(proposal=proposal, by=staff)

    proposal.refresh_from_db()
    verified.refresh_from_db()
    assert (proposal.status, verified.state) == (Status.OPEN, State.VERIFIED)
    assert mailoutbox == []
    assert actions() == [(staff.pk, "revocation_proposed")]


def test_a_second_member_of_staff_confirms_and_the_badge_goes(
    verified, staff, second_staff, mailoutbox
):
    evidence = CertificationEvidenceFactory(certification=verified)
    proposal = request_revocation(
        certification=verified, by=staff, reason=REASON, evidence_seen=[evidence.code]
    )

    confirm_revocation(proposal=proposal, by=second_staff, evidence_seen=[evidence.code])

    verified.refresh_from_db()
    proposal.refresh_from_db()
    assert verified.state == State.REVOKED
    assert not Certification.objects.badges().exists()
    assert (proposal.status, proposal.closed_by) == (Status.CONFIRMED, second_staff)
    assert proposal.evidence_seen == [str(evidence.code)]
    event = verified.events.get()
    assert (event.actor, event.to_state, event.reason, event.evidence_seen) == (
        second_staff,
        State.REVOKED,
        REASON,
        [str(evidence.code)],
    )
    (email,) = mailoutbox
    assert email.subject == "Your ARCB foot badge has been withdrawn"
    assert REASON in email.body
    assert "What to do next:" in email.body
    assert actions() == [(staff.pk, "revocation_proposed"), (second_staff.pk, "credential_revoked")]
    assert StaffAction.objects.get(action="credential_revoked").detail["proposal"] == str(
        proposal.code
    )


@pytest.mark.parametrize("by", ["proposer", "second"])
def test_staff_withdraw_a_proposal_and_the_credential_stays_verified(
    verified, staff, second_staff, mailoutbox, by
):
    proposal = request_revocation(certification=verified, by=staff, reason=REASON)
    withdrawer = staff if by == "proposer" else second_staff

    withdraw_revocation(proposal=proposal, by=withdrawer)

    proposal.refresh_from_db()
    verified.refresh_from_db()
    assert (proposal.status, proposal.closed_by) == (Status.WITHDRAWN, withdrawer)
    assert verified.state == State.VERIFIED
    assert mailoutbox == []
    assert actions()[-1] == (withdrawer.pk, "revocation_withdrawn")
    with pytest.raises(TransitionRefused, match="This revocation proposal is closed"):
        confirm_revocation(proposal=proposal, by=second_staff)


def test_only_one_proposal_is_open_per_credential(verified, staff, second_staff):
    request_revocation(certification=verified, by=staff, reason=REASON)
    with pytest.raises(TransitionRefused, match="already waiting for a second member of staff"):
        request_revocation(certification=verified, by=second_staff, reason="Another reason.")
    assert RevocationProposal.objects.count() == 1


def test_the_database_refuses_a_second_open_proposal(verified, staff):
    RevocationProposal.objects.create(certification=verified, proposed_by=staff, reason="One.")
    with pytest.raises(IntegrityError), transaction.atomic():
        RevocationProposal.objects.create(certification=verified, proposed_by=staff, reason="Two.")


def test_the_database_refuses_a_proposal_confirmed_by_its_proposer(verified, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        RevocationProposal.objects.create(
            certification=verified,
            proposed_by=staff,
            reason="One.",
            status=Status.CONFIRMED,
            closed_by=staff,
            closed_at=timezone.now(),
        )


def test_a_proposal_needs_a_reason_and_a_verified_credential(practitioner, staff):
    verified = CertificationFactory(practitioner=practitioner, verified=True)
    with pytest.raises(TransitionRefused, match="Give a reason to revoke"):
        request_revocation(certification=verified, by=staff, reason=" ")
    rejected = CertificationFactory(practitioner=practitioner, kind="hand", state=State.REJECTED)
    with pytest.raises(TransitionRefused, match="rejected cannot be revoked"):
        request_revocation(certification=rejected, by=staff, reason=REASON)
    assert not RevocationProposal.objects.exists()
    assert not StaffAction.objects.exists()


def test_staff_cannot_propose_revoking_their_own_credential(staff):
    own = CertificationFactory(practitioner=PractitionerFactory(user=staff), verified=True)
    with pytest.raises(TransitionRefused, match="Only reflexbook staff can revoke"):
        request_revocation(certification=own, by=staff, reason=REASON)


def test_with_the_setting_off_one_member_of_staff_revokes(settings, verified, staff, mailoutbox):
    settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF = False

    assert request_revocation(certification=verified, by=staff, reason=REASON) is None

    verified.refresh_from_db()
    assert verified.state == State.REVOKED
    assert not RevocationProposal.objects.exists()
    assert mailoutbox[0].subject == "Your ARCB foot badge has been withdrawn"
    assert actions() == [(staff.pk, "credential_revoked")]


def test_a_proposal_closes_when_the_credential_lapses_first(verified, staff, second_staff):
    proposal = request_revocation(certification=verified, by=staff, reason=REASON)
    transition(certification=verified, action=Action.LAPSE, by=None)

    proposal.refresh_from_db()
    assert proposal.status == Status.OVERTAKEN
    assert proposal.closed_at is not None
    with pytest.raises(TransitionRefused, match="closed"):
        confirm_revocation(proposal=proposal, by=second_staff)
    verified.refresh_from_db()
    assert verified.state == State.LAPSED
