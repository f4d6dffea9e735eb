"""ARCB credential states: which change is allowed, by whom, and what each change does.

draft → pending (submitted) → verified | rejected (reason); verified → lapsed (the system, when
the CE cycle ends unrenewed) | revoked (staff, reason); any state but pending → pending when
the practitioner resubmits. Every change is appended to the credential's history.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from practitioners.models import Certification, CertificationEvent
from reflexbook.lib.mail import queue_email

State = Certification.State
REMINDER_DAYS = (60, 14)


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


class TransitionRefused(Exception):
    """The change is not allowed; the message says why, for the person who asked."""


def next_state(*, state: str, action: Action, actor: Actor, reason: str = "") -> str:
    """The state `action` leads to from `state`, or TransitionRefused. Pure: no database."""
    rule = RULES[action]
    if actor != rule.actor:
        raise TransitionRefused(f"Only {rule.actor} can {action} a credential.")
    if state not in rule.from_states:
        raise TransitionRefused(
            f"A credential that is {State(state).label.lower()} cannot be {action}ed."
            if action != Action.SUBMIT
            else "This credential is already waiting for review."
        )
    if rule.needs_reason and not reason.strip():
        raise TransitionRefused(f"Give a reason to {action} a credential.")
    return rule.to_state


def _actor_kind(certification: Certification, user: User | None) -> Actor:
    if user is None:
        return Actor.SYSTEM
    if user.is_staff:
        return Actor.STAFF
    if certification.practitioner.user_id == user.pk:
        return Actor.OWNER
    raise TransitionRefused("Only the practitioner or staff can change this credential.")


def transition(
    *, certification: Certification, action: Action, by: User | None, reason: str = ""
) -> Certification:
    """Apply `action` (by a user, or by the system when `by` is None), record it, email the
    practitioner about decisions and lapses."""
    with transaction.atomic(durable=True):
        # Lock the row and re-read its state: two staff deciding at once, or a decision
        # racing the lapse job, must not both apply.
        locked = (
            Certification.objects.select_for_update()
            .select_related("practitioner__user")
            .get(pk=certification.pk)
        )
        old_state = locked.state
        new_state = next_state(
            state=old_state, action=action, actor=_actor_kind(locked, by), reason=reason
        )
        now = timezone.now()
        locked.state = new_state
        if action == Action.SUBMIT:
            locked.submitted_at = now
        if action == Action.APPROVE:
            locked.verified_at = now
        locked.save()
        CertificationEvent.objects.create(
            certification=locked,
            actor=by,
            at=now,
            from_state=old_state,
            to_state=new_state,
            reason=reason.strip(),
        )
        if action != Action.SUBMIT:
            _email_practitioner(locked, f"emails/certification_{action}.txt", reason=reason)
    return locked


def _email_practitioner(certification: Certification, template: str, **context) -> None:
    user = certification.practitioner.user
    body = render_to_string(template, {"certification": certification, "user": user, **context})
    subject, _, rest = body.partition("\n")
    queue_email(to=[user.email], subject=subject.strip(), body=rest.lstrip())


def _local_today(certification: Certification, now: datetime) -> date:
    return now.astimezone(ZoneInfo(certification.practitioner.timezone)).date()


def lapse_due_certifications(now: datetime | None = None) -> int:
    """Lapse verified credentials whose CE cycle has ended (in the practitioner's zone)."""
    now = now or timezone.now()
    # A day of slack covers every time zone; the exact check is per practitioner.
    candidates = Certification.objects.filter(
        state=State.VERIFIED, ce_cycle_end__lt=now.date() + timedelta(days=1)
    ).select_related("practitioner")
    lapsed = 0
    for certification in candidates:
        if certification.ce_cycle_end >= _local_today(certification, now):
            continue
        try:
            transition(certification=certification, action=Action.LAPSE, by=None)
        except TransitionRefused:
            continue  # another run, or staff, changed it first
        lapsed += 1
    return lapsed


def send_ce_reminders(now: datetime | None = None) -> int:
    """Email the 60- and 14-day reminders before a verified credential's CE cycle ends,
    each once per cycle, even when two runs overlap."""
    now = now or timezone.now()
    horizon = now.date() + timedelta(days=max(REMINDER_DAYS) + 1)
    candidates = Certification.objects.filter(
        state=State.VERIFIED, ce_cycle_end__lte=horizon
    ).select_related("practitioner__user")
    sent = 0
    for certification in candidates:
        days_left = (certification.ce_cycle_end - _local_today(certification, now)).days
        if days_left < 0:
            continue
        due = [days for days in REMINDER_DAYS if days_left <= days]
        if not due:
            continue
        # Claim every due reminder in one conditional UPDATE: only the run that changes the
        # row sends, so overlapping runs cannot send twice. A credential verified late gets
        # only the nearest reminder.
        fields = {f"reminded_{days}_for": certification.ce_cycle_end for days in due}
        unsent = Certification.objects.filter(pk=certification.pk, state=State.VERIFIED).exclude(
            **{f"reminded_{min(due)}_for": certification.ce_cycle_end}
        )
        with transaction.atomic():
            if unsent.update(**fields) != 1:
                continue
            _email_practitioner(
                certification, "emails/certification_reminder.txt", days_left=days_left
            )
        sent += 1
    return sent
