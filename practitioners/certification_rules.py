"""ARCB credential states: which change is allowed, and by whom. Pure: plain values in, a state
or a refusal out; no models, no database, no clock. practitioners.certification applies them
to a locked row, records the change and emails the practitioner.

draft → pending (submitted) → verified | rejected (reason); verified → lapsed (the system, when
the CE cycle ends unrenewed) | revoked (staff, reason); any state but pending → pending when
the practitioner resubmits.
"""

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    """A credential's verification state and its label; Certification.State is this class,
    and the model's fields take their choices from STATE_CHOICES."""

    DRAFT = "draft", "Draft"
    PENDING = "pending", "Waiting for review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    LAPSED = "lapsed", "Lapsed"
    REVOKED = "revoked", "Revoked"

    label: str

    def __new__(cls, value: str, label: str):
        state = str.__new__(cls, value)
        state._value_ = value
        state.label = label
        return state


STATE_CHOICES = [(state.value, state.label) for state in State]


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REVOKE = "revoke"
    LAPSE = "lapse"


class Actor(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    SYSTEM = "system"


@dataclass(frozen=True)
class Rule:
    from_states: frozenset[str]
    to_state: str
    actor: Actor
    needs_reason: bool = False


RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(frozenset(State) - {State.PENDING}, State.PENDING, Actor.OWNER),
    Action.APPROVE: Rule(frozenset({State.PENDING}), State.VERIFIED, Actor.STAFF),
    Action.REJECT: Rule(frozenset({State.PENDING}), State.REJECTED, Actor.STAFF, needs_reason=True),
    Action.REVOKE: Rule(frozenset({State.VERIFIED}), State.REVOKED, Actor.STAFF, needs_reason=True),
    Action.LAPSE: Rule(frozenset({State.VERIFIED}), State.LAPSED, Actor.SYSTEM),
}

# Words for messages: "only staff can approve", "a draft credential cannot be approved".
WHO = {
    Actor.OWNER: "the practitioner it belongs to",
    Actor.STAFF: "reflexbook staff",
    Actor.SYSTEM: "the automatic CE check",
}
PAST = {
    Action.SUBMIT: "submitted",
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.REVOKE: "revoked",
    Action.LAPSE: "lapsed",
}


class TransitionRefused(Exception):
    """The change is not allowed; the message says why, for the person who asked."""


def next_state(*, state: str, action: Action, actor: Actor, reason: str = "") -> str:
    """The state `action` leads to from `state`, or TransitionRefused. Pure: no database."""
    rule = RULES[action]
    if actor != rule.actor:
        raise TransitionRefused(f"Only {WHO[rule.actor]} can {action.value} a credential.")
    if state not in rule.from_states:
        raise TransitionRefused(
            "This credential is already waiting for review."
            if action == Action.SUBMIT
            else f"A credential that is {State(state).label.lower()} cannot be {PAST[action]}."
        )
    if rule.needs_reason and not reason.strip():
        raise TransitionRefused(f"Give a reason to {action.value} a credential.")
    return rule.to_state
