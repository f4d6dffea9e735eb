"""The credential state rules (practitioners.certification_rules.next_state), with no database."""

import itertools

import pytest

from practitioners.certification_rules import (
    REJECT_REASON_CHOICES,
    STATE_CHOICES,
    Action,
    Actor,
    RejectReason,
    State,
    TransitionRefused,
    actions_for,
    check_second_staff,
    next_state,
)

STATES = ["draft", "pending", "more_info", "verified", "rejected", "lapsed", "revoked"]
ACTIONS = ["submit", "approve", "reject", "request_info", "revoke", "lapse"]
ACTORS = ["owner", "staff", "system"]

# Written out by hand from the issue, not derived from the module: every (state, action,
# actor) that is allowed, and where it leads. Everything else is refused.
ALLOWED = {
    ("draft", "submit", "owner"): "pending",
    ("more_info", "submit", "owner"): "pending",
    ("rejected", "submit", "owner"): "pending",
    ("verified", "submit", "owner"): "pending",
    ("lapsed", "submit", "owner"): "pending",
    ("revoked", "submit", "owner"): "pending",
    ("pending", "approve", "staff"): "verified",
    ("pending", "reject", "staff"): "rejected",
    ("pending", "request_info", "staff"): "more_info",
    ("verified", "revoke", "staff"): "revoked",
    ("verified", "lapse", "system"): "lapsed",
}


def allowed_arguments(action: str) -> dict:
    """A reason (and a stock reason for a rejection) good enough for any action."""
    return {"reason": "Because.", "reason_code": "unreadable" if action == "reject" else ""}


def test_the_vocabulary_matches_the_module():
    assert sorted(STATES) == sorted(state.value for state in State)
    assert sorted(ACTIONS) == sorted(action.value for action in Action)
    assert sorted(ACTORS) == sorted(actor.value for actor in Actor)


def test_states_carry_the_labels_people_see():
    assert STATE_CHOICES == [
        ("draft", "Draft"),
        ("pending", "Waiting for review"),
        ("more_info", "More information requested"),
        ("verified", "Verified"),
        ("rejected", "Rejected"),
        ("lapsed", "Lapsed"),
        ("revoked", "Revoked"),
    ]
    assert State("pending").label == "Waiting for review"
    assert State.PENDING == "pending"


def test_the_stock_rejection_reasons_are_the_issues_five():
    assert REJECT_REASON_CHOICES == [
        ("unreadable", "Unreadable"),
        ("name_mismatch", "Name does not match"),
        ("expired", "Expired"),
        ("not_arcb", "Not an ARCB certificate"),
        ("other", "Other"),
    ]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("unreadable", "Upload a clearer photo or the PDF from ARCB, then submit"),
        ("name_mismatch", "shows the name on the certificate is yours"),
        ("expired", "Renew your certification with ARCB"),
        ("not_arcb", "American Reflexology Certification Board"),
        ("other", "Make the change the note from reflexbook staff asks for"),
    ],
)
def test_each_stock_reason_says_what_to_do_next(code, words):
    assert words in RejectReason(code).next_step
    assert RejectReason(code).next_step.rstrip().endswith(".")


@pytest.mark.parametrize(
    ("state", "action", "actor"), list(itertools.product(STATES, ACTIONS, ACTORS))
)
def test_every_combination_is_allowed_or_refused_as_the_issue_says(state, action, actor):
    expected = ALLOWED.get((state, action, actor))
    arguments = allowed_arguments(action)
    if expected is None:
        with pytest.raises(TransitionRefused):
            next_state(state=state, action=Action(action), actor=Actor(actor), **arguments)
    else:
        assert (
            next_state(state=state, action=Action(action), actor=Actor(actor), **arguments)
            == expected
        )


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("verified", "revoke", "Give a reason to revoke a credential."),
        ("pending", "request_info", "Say what more information you need"),
    ],
    ids=["revoke", "request_info"],
)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_revoking_and_asking_for_more_need_words(state, action, message, reason):
    with pytest.raises(TransitionRefused, match=message):
        next_state(state=state, action=Action(action), actor=Actor.STAFF, reason=reason)


@pytest.mark.parametrize("code", ["", "blurry", "OTHER"])
def test_rejecting_needs_one_of_the_stock_reasons(code):
    with pytest.raises(TransitionRefused, match="Choose a reason to reject a credential."):
        next_state(
            state="pending", action=Action.REJECT, actor=Actor.STAFF, reason_code=code, reason="x"
        )


@pytest.mark.parametrize("code", ["unreadable", "name_mismatch", "expired", "not_arcb"])
def test_a_stock_reason_other_than_other_needs_no_note(code):
    assert (
        next_state(state="pending", action=Action.REJECT, actor=Actor.STAFF, reason_code=code)
        == "rejected"
    )


@pytest.mark.parametrize("note", ["", "  \n"])
def test_other_needs_a_note(note):
    with pytest.raises(TransitionRefused, match="Add a note saying what is wrong"):
        next_state(
            state="pending",
            action=Action.REJECT,
            actor=Actor.STAFF,
            reason_code="other",
            reason=note,
        )
    assert (
        next_state(
            state="pending",
            action=Action.REJECT,
            actor=Actor.STAFF,
            reason_code="other",
            reason="The certificate is a screenshot of a web page.",
        )
        == "rejected"
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [("pending", "approve"), ("pending", "request_info"), ("verified", "revoke")],
)
def test_only_a_rejection_takes_a_stock_reason(state, action):
    with pytest.raises(TransitionRefused, match="Only a rejection takes a stock reason."):
        next_state(
            state=state,
            action=Action(action),
            actor=Actor.STAFF,
            reason="Because.",
            reason_code="unreadable",
        )


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        ("draft", "submit", "owner"),
        ("more_info", "submit", "owner"),
        ("pending", "approve", "staff"),
        ("verified", "lapse", "system"),
    ],
)
def test_submitting_approving_and_lapsing_need_no_reason(state, action, actor):
    assert (
        next_state(state=state, action=Action(action), actor=Actor(actor))
        == ALLOWED[(state, action, actor)]
    )


@pytest.mark.parametrize(
    ("state", "action", "actor", "message"),
    [
        ("pending", "submit", "owner", "This credential is already waiting for review."),
        ("draft", "approve", "staff", "A credential that is draft cannot be approved."),
        ("rejected", "revoke", "staff", "A credential that is rejected cannot be revoked."),
        ("pending", "lapse", "system", "A credential that is waiting for review cannot be lapsed."),
        ("pending", "approve", "owner", "Only reflexbook staff can approve a credential."),
        (
            "more_info",
            "request_info",
            "staff",
            "A credential that is waiting for more information from the practitioner cannot be "
            "sent back for more information.",
        ),
        (
            "pending",
            "request_info",
            "owner",
            "Only reflexbook staff can ask for more information about a credential.",
        ),
        (
            "more_info",
            "approve",
            "staff",
            "A credential that is waiting for more information from the practitioner cannot be "
            "approved.",
        ),
        (
            "draft",
            "submit",
            "staff",
            "Only the practitioner it belongs to can submit a credential.",
        ),
        ("verified", "lapse", "staff", "Only the automatic CE check can lapse a credential."),
    ],
)
def test_refusals_say_why_in_plain_words(state, action, actor, message):
    with pytest.raises(TransitionRefused) as refused:
        next_state(
            state=state, action=Action(action), actor=Actor(actor), **allowed_arguments(action)
        )
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("state", "actor", "expected"),
    [
        ("pending", "staff", ["approve", "reject", "request_info"]),
        ("verified", "staff", ["revoke"]),
        ("more_info", "staff", []),
        ("more_info", "owner", ["submit"]),
        ("pending", "owner", []),
        ("verified", "system", ["lapse"]),
    ],
)
def test_the_actions_a_page_offers_follow_the_rules(state, actor, expected):
    assert actions_for(state=state, actor=Actor(actor)) == expected


def test_a_revocation_is_confirmed_by_someone_other_than_its_proposer():
    check_second_staff(proposed_by=1, confirmed_by=2)
    with pytest.raises(TransitionRefused, match="another member of staff must confirm it"):
        check_second_staff(proposed_by=1, confirmed_by=1)
