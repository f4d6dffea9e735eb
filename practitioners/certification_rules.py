"""ARCB credential states: which change is allowed, and by whom. Pure: plain values in, a state
or a refusal out; no models, no database, no clock. practitioners.certification applies them
to a locked row, records the change and emails the practitioner.

draft → pending (submitted) → verified | rejected (a stock reason, a note) | more_info (staff
ask for more, in words); verified → lapsed (the system, when the CE cycle ends unrenewed) |
revoked (staff, reason); any state but pending → pending when the practitioner (re)submits.
A revocation may need a second member of staff: one proposes, another confirms
(check_second_staff).
"""

from dataclasses import dataclass
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks `message` for translation (makemessages finds it by this name) and returns it as
    it is: this module stays free of Django, and the Django side translates what it shows
    (practitioners.certification.translated, the models' choices)."""
    return message


class State(StrEnum):
    """A credential's verification state and its label; Certification.State is this class,
    and the model's fields take their choices from STATE_CHOICES."""

    DRAFT = "draft", gettext_noop("Draft")
    PENDING = "pending", gettext_noop("Waiting for review")
    MORE_INFO = "more_info", gettext_noop("More information requested")
    VERIFIED = "verified", gettext_noop("Verified")
    REJECTED = "rejected", gettext_noop("Rejected")
    LAPSED = "lapsed", gettext_noop("Lapsed")
    REVOKED = "revoked", gettext_noop("Revoked")

    label: str

    def __new__(cls, value: str, label: str):
        state = str.__new__(cls, value)
        state._value_ = value
        state.label = label
        return state


STATE_CHOICES = [(state.value, state.label) for state in State]


class RejectReason(StrEnum):
    """The stock reasons for a rejection: a label for staff and the history, and the next
    step the practitioner reads in their email and on their credentials page."""

    UNREADABLE = (
        "unreadable",
        gettext_noop("Unreadable"),
        gettext_noop(
            "Upload a clearer photo or the PDF from ARCB, then submit the credential again."
        ),
    )
    NAME_MISMATCH = (
        "name_mismatch",
        gettext_noop("Name does not match"),
        gettext_noop(
            "Upload a document that shows the name on the certificate is yours (for example a "
            "marriage certificate or name-change deed), or correct the name on your profile, "
            "then submit the credential again."
        ),
    )
    EXPIRED = (
        "expired",
        gettext_noop("Expired"),
        gettext_noop(
            "Renew your certification with ARCB, update the end of your CE cycle and upload the "
            "current certificate or ID card, then submit the credential again."
        ),
    )
    NOT_ARCB = (
        "not_arcb",
        gettext_noop("Not an ARCB certificate"),
        gettext_noop(
            "Upload your certificate or ID card from the American Reflexology Certification Board "
            "(ARCB): certificates from schools or other boards cannot be verified here. Then "
            "submit the credential again."
        ),
    )
    OTHER = (
        "other",
        gettext_noop("Other"),
        gettext_noop(
            "Make the change the note from reflexbook staff asks for, then submit the credential "
            "again."
        ),
    )

    label: str
    next_step: str

    def __new__(cls, value: str, label: str, next_step: str):
        reason = str.__new__(cls, value)
        reason._value_ = value
        reason.label = label
        reason.next_step = next_step
        return reason


REJECT_REASON_CHOICES = [(reason.value, reason.label) for reason in RejectReason]


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_INFO = "request_info"
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
    # A text the practitioner reads: a revocation's reason, a request for more information.
    needs_reason: bool = False
    # One of RejectReason, and a note when it is "other".
    needs_reason_code: bool = False


RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(frozenset(State) - {State.PENDING}, State.PENDING, Actor.OWNER),
    Action.APPROVE: Rule(frozenset({State.PENDING}), State.VERIFIED, Actor.STAFF),
    Action.REJECT: Rule(
        frozenset({State.PENDING}), State.REJECTED, Actor.STAFF, needs_reason_code=True
    ),
    Action.REQUEST_INFO: Rule(
        frozenset({State.PENDING}), State.MORE_INFO, Actor.STAFF, needs_reason=True
    ),
    Action.REVOKE: Rule(frozenset({State.VERIFIED}), State.REVOKED, Actor.STAFF, needs_reason=True),
    Action.LAPSE: Rule(frozenset({State.VERIFIED}), State.LAPSED, Actor.SYSTEM),
}

# Who may take each action, said when someone else tries (RULES names the actor).
ONLY_ACTOR = {
    Action.SUBMIT: gettext_noop("Only the practitioner it belongs to can submit a credential."),
    Action.APPROVE: gettext_noop("Only reflexbook staff can approve a credential."),
    Action.REJECT: gettext_noop("Only reflexbook staff can reject a credential."),
    Action.REQUEST_INFO: gettext_noop(
        "Only reflexbook staff can ask for more information about a credential."
    ),
    Action.REVOKE: gettext_noop("Only reflexbook staff can revoke a credential."),
    Action.LAPSE: gettext_noop("Only the automatic CE check can lapse a credential."),
}
# What a credential becomes by each action, for "a draft credential cannot be approved".
PAST = {
    Action.SUBMIT: gettext_noop("submitted"),
    Action.APPROVE: gettext_noop("approved"),
    Action.REJECT: gettext_noop("rejected"),
    Action.REQUEST_INFO: gettext_noop("sent back for more information"),
    Action.REVOKE: gettext_noop("revoked"),
    Action.LAPSE: gettext_noop("lapsed"),
}
REASON_MISSING = {
    Action.REQUEST_INFO: gettext_noop(
        "Say what more information you need: the practitioner reads it in their email and on "
        "their credentials page."
    ),
    Action.REVOKE: gettext_noop("Give a reason to revoke a credential."),
}
CODE_MISSING = gettext_noop("Choose a reason to reject a credential.")
NOTE_MISSING = gettext_noop(
    "Add a note saying what is wrong: with “Other” as the reason, the note is all the "
    "practitioner has to go on."
)


# How a sentence says a credential is in a state: "a credential that is rejected".
DESCRIBED = {
    State.DRAFT: gettext_noop("draft"),
    State.PENDING: gettext_noop("waiting for review"),
    State.MORE_INFO: gettext_noop("waiting for more information from the practitioner"),
    State.VERIFIED: gettext_noop("verified"),
    State.REJECTED: gettext_noop("rejected"),
    State.LAPSED: gettext_noop("lapsed"),
    State.REVOKED: gettext_noop("revoked"),
}


class TransitionRefused(Exception):
    """The change is not allowed; the message says why, for the person who asked. `message`
    is English, marked for translation, and `params` fill its placeholders (each one a
    marked word too): practitioners.certification raises it again translated."""

    def __init__(self, message: str, params: dict | None = None):
        self.message, self.params = message, params or {}
        super().__init__(message % self.params if params else message)


def next_state(
    *, state: str, action: Action, actor: Actor, reason: str = "", reason_code: str = ""
) -> str:
    """The state `action` leads to from `state`, or TransitionRefused. `reason` is the text
    the practitioner reads (required to revoke or ask for more; a rejection's optional note,
    required with the "other" reason); `reason_code` is a RejectReason, for rejections only.
    Pure: no database."""
    rule = RULES[action]
    if actor != rule.actor:
        raise TransitionRefused(ONLY_ACTOR[action])
    if state not in rule.from_states:
        raise TransitionRefused(
            gettext_noop("This credential is already waiting for review.")
            if action == Action.SUBMIT
            else gettext_noop("A credential that is %(state)s cannot be %(done)s."),
            None if action == Action.SUBMIT else {"state": DESCRIBED[state], "done": PAST[action]},
        )
    if refusal := reason_refusal(action=action, reason=reason, reason_code=reason_code):
        raise TransitionRefused(refusal.message)
    return rule.to_state


@dataclass(frozen=True)
class ReasonRefusal:
    field: str  # "reason" or "reason_code": where a form shows the message
    message: str


def reason_refusal(
    *, action: Action, reason: str = "", reason_code: str = ""
) -> ReasonRefusal | None:
    """Why the words given for `action` are not enough, or None when they are: revoking and
    asking for more need a text, rejecting needs a stock reason (and a note with "other"),
    nothing else takes a stock reason. next_state and the staff decision form both ask it."""
    rule = RULES[action]
    if rule.needs_reason_code:
        if reason_code not in set(RejectReason):
            return ReasonRefusal("reason_code", CODE_MISSING)
        if reason_code == RejectReason.OTHER and not reason.strip():
            return ReasonRefusal("reason", NOTE_MISSING)
    elif reason_code:
        return ReasonRefusal("reason_code", gettext_noop("Only a rejection takes a stock reason."))
    if rule.needs_reason and not reason.strip():
        return ReasonRefusal("reason", REASON_MISSING[action])
    return None


def actions_for(*, state: str, actor: Actor) -> list[Action]:
    """The actions `actor` may take on a credential in `state` (reasons aside), in RULES order:
    what a page offers; next_state still has the last word."""
    return [
        action
        for action, rule in RULES.items()
        if rule.actor == actor and state in rule.from_states
    ]


def check_second_staff(*, proposed_by: int, confirmed_by: int) -> None:
    """A proposed revocation is confirmed by a member of staff other than the one who
    proposed it (ids of the two), or TransitionRefused."""
    if proposed_by == confirmed_by:
        raise TransitionRefused(
            gettext_noop(
                "You proposed this revocation, so another member of staff must confirm it. You "
                "can withdraw it instead."
            )
        )
