"""The credential state rules (practitioners.certification_rules.next_state), with no database."""

import itertools

import pytest

from practitioners.certification_rules import (
    STATE_CHOICES,
    Action,
    Actor,
    State,
    TransitionRefused,
    next_state,
)

STATES = ["draft", "pending", "verified", "rejected", "lapsed", "revoked"]
ACTIONS = ["submit", "approve", "reject", "revoke", "lapse"]
ACTORS = ["owner", "staff", "system"]

# Written out by hand from the issue, not derived from the module: every (state, action,
# actor) that is allowed, and where it leads. Everything else is refused.
ALLOWED = {
    ("draft", "submit", "owner"): "pending",
    ("rejected", "submit", "owner"): "pending",
    ("verified", "submit", "owner"): "pending",
    ("lapsed", "submit", "owner"): "pending",
    ("revoked", "submit", "owner"): "pending",
    ("pending", "approve", "staff"): "verified",
    ("pending", "reject", "staff"): "rejected",
    ("verified", "revoke", "staff"): "revoked",
    ("verified", "lapse", "system"): "lapsed",
}


def test_the_vocabulary_matches_the_module():
    assert sorted(STATES) == sorted(state.value for state in State)
    assert sorted(ACTIONS) == sorted(action.value for action in Action)
    assert sorted(ACTORS) == sorted(actor.value for actor in Actor)


def test_states_carry_the_labels_people_see():
    assert STATE_CHOICES == [
        ("draft", "Draft"),
        ("pending", "Waiting for review"),
        ("verified", "Verified"),
        ("rejected", "Rejected"),
        ("lapsed", "Lapsed"),
        ("revoked", "Revoked"),
    ]
    assert State("pending").label == "Waiting for review"
    assert State.PENDING == "pending"


@pytest.mark.parametrize(
    ("state", "action", "actor"), list(itertools.product(STATES, ACTIONS, ACTORS))
)
def test_every_combination_is_allowed_or_refused_as_the_issue_says(state, action, actor):
    expected = ALLOWED.get((state, action, actor))
    if expected is None:
        with pytest.raises(TransitionRefused):
            next_state(state=state, action=Action(action), actor=Actor(actor), reason="Because.")
    else:
        assert (
            next_state(state=state, action=Action(action), actor=Actor(actor), reason="Because.")
            == expected
        )


@pytest.mark.parametrize(
    ("state", "action"), [("pending", "reject"), ("verified", "revoke")], ids=["reject", "revoke"]
)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_rejecting_and_revoking_need_a_reason(state, action, reason):
    with pytest.raises(TransitionRefused, match=f"Give a reason to {action}"):
        next_state(state=state, action=Action(action), actor=Actor.STAFF, reason=reason)


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    [
        ("draft", "submit", "owner"),
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
        next_state(state=state, action=Action(action), actor=Actor(actor), reason="Because.")
    assert str(refused.value) == message
