"""ARCB credentials: saving them, applying state changes to locked rows, and the scheduled
lapses and CE reminders. Which change is allowed, and by whom, is decided by the pure rules in
practitioners.certification_rules; every change is appended to the credential's history, and
every staff decision to the staff activity log (accounts.activity). Revocations may need a
second member of staff (request_revocation, confirm_revocation, withdraw_revocation).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import activity
from accounts.models import User
from practitioners import certification_rules
from practitioners.certification_rules import Action, Actor, State, TransitionRefused
from practitioners.models import (
    Certification,
    CertificationEvent,
    CertificationEvidence,
    Practitioner,
    RevocationProposal,
)
from reflexbook.lib.mail import send_templated

REMINDER_DAYS = (60, 14)


def translated(refused: TransitionRefused) -> TransitionRefused:
    """A refusal of the pure rules (English, its words marked there) in the active language."""
    params = {
        key: _(value) if isinstance(value, str) else value for key, value in refused.params.items()
    }
    return TransitionRefused(_(refused.message) % params if params else _(refused.message))


def next_state(**rule) -> str:
    """certification_rules.next_state, its refusal translated."""
    try:
        return certification_rules.next_state(**rule)
    except TransitionRefused as refused:
        raise translated(refused) from None


def check_second_staff(**rule) -> None:
    """certification_rules.check_second_staff, its refusal translated."""
    try:
        certification_rules.check_second_staff(**rule)
    except TransitionRefused as refused:
        raise translated(refused) from None


# The details a practitioner types; anything else on the row is the state machine's.
DETAIL_FIELDS = ("credential_id", "year_certified", "ce_cycle_end", "listing_url")


# The staff activity log's words for each decision (accounts.activity.ACTIONS).
STAFF_ACTIONS = {
    Action.APPROVE: "credential_approved",
    Action.REJECT: "credential_rejected",
    Action.REQUEST_INFO: "credential_more_info",
    Action.REVOKE: "credential_revoked",
}


def _actor_kind(certification: Certification, user: User | None) -> Actor:
    if user is None:
        return Actor.SYSTEM
    # Owner first: staff who also practise act on their own credential as its owner, so
    # they can submit it but never verify it themselves.
    if certification.practitioner.user_id == user.pk:
        return Actor.OWNER
    if user.is_staff:
        return Actor.STAFF
    raise TransitionRefused(_("Only the practitioner or staff can change this credential."))


def subject(certification: Certification) -> activity.Subject:
    """A credential as the staff activity log names it: its public code and whose it is."""
    return activity.Subject(
        "credential",
        str(certification.code),
        # Log data, in English whatever the page's language: the kind's value is its word.
        f"{certification.practitioner.display_name}: {certification.kind} credential",
    )


def _seen(locked: Certification, evidence_seen) -> list[str]:
    """The codes of `locked`'s evidence files among `evidence_seen` (what the review page
    showed), in page order; anything else is not this credential's and is dropped."""
    own = {str(code) for code in locked.evidence.values_list("code", flat=True)}
    seen = [str(code) for code in evidence_seen]
    return [code for code in dict.fromkeys(seen) if code in own]


def _apply(
    locked: Certification,
    action: Action,
    by: User | None,
    reason: str,
    reason_code: str = "",
    evidence_seen=(),
    **detail,
) -> CertificationEvent:
    """Change the state of a row the caller has locked, record it (with what staff looked at,
    and in the staff activity log), email the practitioner."""
    old_state = locked.state
    new_state = next_state(
        state=old_state,
        action=action,
        actor=_actor_kind(locked, by),
        reason=reason,
        reason_code=reason_code,
    )
    if action == Action.SUBMIT and not locked.evidence.exists():
        raise TransitionRefused(
            _(
                "Add at least one evidence file (a PDF, JPEG or PNG of your certificate or ID "
                "card) before you submit this credential for verification."
            )
        )
    now = timezone.now()
    locked.state = new_state
    if action == Action.SUBMIT:
        locked.submitted_at = now
    if action == Action.APPROVE:
        locked.verified_at = now
    locked.save()
    if old_state == State.VERIFIED:
        # A revocation waiting for a second member of staff no longer applies once the
        # credential is not verified (lapsed, sent back by the practitioner's edit); a
        # confirmed one was closed by confirm_revocation before this.
        locked.revocation_proposals.filter(status=RevocationProposal.Status.OPEN).update(
            status=RevocationProposal.Status.OVERTAKEN, closed_at=now
        )
    seen = _seen(locked, evidence_seen) if by is not None and action in STAFF_ACTIONS else []
    event = CertificationEvent.objects.create(
        certification=locked,
        actor=by,
        at=now,
        from_state=old_state,
        to_state=new_state,
        reason_code=reason_code,
        reason=reason.strip(),
        evidence_seen=seen,
    )
    if action in STAFF_ACTIONS:
        activity.record(
            by,
            STAFF_ACTIONS[action],
            subject(locked),
            reason_code=reason_code,
            evidence=seen,
            **detail,
        )
    if action != Action.SUBMIT:
        _email_practitioner(locked, f"certification_{action}", event=event)
    return event


def _lock(certification_pk: int) -> Certification:
    # Lock the row and re-read its state: two staff deciding at once, a decision racing the
    # lapse job, or an edit racing a submission must not both apply.
    return (
        Certification.objects.select_for_update()
        .select_related("practitioner__user")
        .get(pk=certification_pk)
    )


def transition(
    *,
    certification: Certification,
    action: Action,
    by: User | None,
    reason: str = "",
    reason_code: str = "",
    evidence_seen: Iterable[str | UUID] = (),
) -> Certification:
    """Apply `action` (by a user, or by the system when `by` is None), record it with the
    evidence codes staff saw (`evidence_seen`), log staff decisions, email the practitioner
    about decisions and lapses. `reason_code` is a rejection's stock reason, `reason` the
    words the practitioner reads."""
    with transaction.atomic(durable=True):
        locked = _lock(certification.pk)
        _apply(locked, action, by, reason, reason_code, evidence_seen)
    return locked


# --- revocations by two members of staff -------------------------------------------------------


def request_revocation(
    *,
    certification: Certification,
    by: User,
    reason: str,
    evidence_seen: Iterable[str | UUID] = (),
) -> RevocationProposal | None:
    """Revoke a verified credential: at once, or, when settings.CERTIFICATION_REVOKE_NEEDS_
    SECOND_STAFF is on, as a proposal another member of staff confirms (returned; the badge
    stays meanwhile). None means it was revoked."""
    if not settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF:
        transition(
            certification=certification,
            action=Action.REVOKE,
            by=by,
            reason=reason,
            evidence_seen=evidence_seen,
        )
        return None
    with transaction.atomic(durable=True):
        locked = _lock(certification.pk)
        # The checks of a revocation itself (staff, not their own, verified, a reason),
        # though nothing changes yet.
        next_state(
            state=locked.state, action=Action.REVOKE, actor=_actor_kind(locked, by), reason=reason
        )
        # The row lock makes this check safe; the partial unique constraint is the backstop.
        if locked.revocation_proposals.filter(status=RevocationProposal.Status.OPEN).exists():
            raise TransitionRefused(
                _(
                    "A revocation of this credential is already waiting for a second member of "
                    "staff: confirm or withdraw that one."
                )
            )
        seen = _seen(locked, evidence_seen)
        proposal = RevocationProposal.objects.create(
            certification=locked, proposed_by=by, reason=reason.strip(), evidence_seen=seen
        )
        activity.record(
            by, "revocation_proposed", subject(locked), proposal=str(proposal.code), evidence=seen
        )
    return proposal


def _lock_open_proposal(proposal: RevocationProposal) -> tuple[Certification, RevocationProposal]:
    # Credential first, then the proposal: the order every writer takes, so none deadlock.
    locked = _lock(proposal.certification_id)
    proposal = RevocationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != RevocationProposal.Status.OPEN:
        raise TransitionRefused(
            _("This revocation proposal is closed (%(status)s).")
            % {"status": proposal.get_status_display().lower()}
        )
    return locked, proposal


def confirm_revocation(
    *, proposal: RevocationProposal, by: User, evidence_seen: Iterable[str | UUID] = ()
) -> Certification:
    """A second member of staff confirms `proposal`: the credential is revoked with its
    reason and the practitioner emailed. The proposer cannot confirm their own."""
    with transaction.atomic(durable=True):
        locked, proposal = _lock_open_proposal(proposal)
        check_second_staff(proposed_by=proposal.proposed_by_id, confirmed_by=by.pk)
        proposal.status = RevocationProposal.Status.CONFIRMED
        proposal.closed_by = by
        proposal.closed_at = timezone.now()
        proposal.save()
        _apply(
            locked,
            Action.REVOKE,
            by,
            proposal.reason,
            evidence_seen=evidence_seen,
            proposal=str(proposal.code),
        )
    return locked


def withdraw_revocation(*, proposal: RevocationProposal, by: User) -> RevocationProposal:
    """Staff (the proposer too) withdraw an open revocation proposal; the credential stays
    verified and nobody is emailed."""
    with transaction.atomic(durable=True):
        locked, proposal = _lock_open_proposal(proposal)
        if _actor_kind(locked, by) != Actor.STAFF:
            raise TransitionRefused(
                _(
                    "Only reflexbook staff other than the credential's owner can withdraw a revocation."
                )
            )
        proposal.status = RevocationProposal.Status.WITHDRAWN
        proposal.closed_by = by
        proposal.closed_at = timezone.now()
        proposal.save()
        activity.record(by, "revocation_withdrawn", subject(locked), proposal=str(proposal.code))
    return proposal


@dataclass(frozen=True)
class Saved:
    certification: Certification
    created: bool
    changed: bool
    resubmitted: bool


def save_credential(
    *,
    practitioner: Practitioner,
    kind: str,
    details: dict[str, Any],
    evidence: list[tuple[UploadedFile, str]],
    by: User,
) -> Saved:
    """Create or update the practitioner's credential of `kind` and add evidence files
    (each with its checked content type). A new credential is a draft; one waiting for
    review cannot change; a verified one whose details or files change goes back to staff,
    since they verified the old details."""
    with transaction.atomic(durable=True):
        certification, created = Certification.objects.select_for_update().get_or_create(
            practitioner=practitioner, kind=kind, defaults=details
        )
        if certification.state == State.PENDING:
            raise TransitionRefused(
                _(
                    "This credential is waiting for review, so it cannot be changed until staff "
                    "have decided. You will get an email when they do."
                )
            )
        changed = created or any(
            getattr(certification, field) != value for field, value in details.items()
        )
        for field, value in details.items():
            setattr(certification, field, value)
        certification.full_clean()
        certification.save()
        for upload, content_type in evidence:
            CertificationEvidence.objects.create(
                certification=certification,
                file=upload,
                original_name=upload.name[:200],
                content_type=content_type,
                size=upload.size,
            )
        changed = changed or bool(evidence)
        resubmitted = certification.state == State.VERIFIED and changed
        if resubmitted:
            certification = _lock(certification.pk)
            _apply(certification, Action.SUBMIT, by, "")
    return Saved(certification, created, changed, resubmitted)


def evidence_visible_to(user: User) -> QuerySet[CertificationEvidence]:
    """Evidence files `user` may open: their own as a practitioner, everything as staff."""
    files = CertificationEvidence.objects.select_related("certification")
    if not user.is_authenticated:
        return files.none()
    if user.is_staff:
        return files
    return files.filter(certification__practitioner__user=user)


def same_credential_id_elsewhere(certification: Certification) -> QuerySet[Certification]:
    """Other practitioners' credentials with the same ID (trimmed, any case): a warning sign."""
    credential_id = certification.credential_id.strip().lower()
    if not credential_id:
        return Certification.objects.none()
    return (
        Certification.objects.annotate(normalised_id=Lower(Trim("credential_id")))
        .filter(normalised_id=credential_id)
        .exclude(practitioner_id=certification.practitioner_id)
        .select_related("practitioner")
        .order_by("practitioner__display_name", "kind")
    )


def _email_practitioner(certification: Certification, template: str, **context) -> None:
    user = certification.practitioner.user
    send_templated(
        template,
        to=[user.email],
        context={
            "certification": certification,
            "user": user,
            "site_url": settings.SITE_URL,
            **context,
        },
    )


def _local_today(certification: Certification, now: datetime) -> date:
    # The practitioner's zone is validated on save; fall back to the site's zone rather
    # than stop the whole job (or the staff workspace) for one bad row.
    try:
        zone = ZoneInfo(certification.practitioner.timezone)
    except (ValueError, KeyError):
        zone = ZoneInfo(settings.TIME_ZONE)
    return now.astimezone(zone).date()


def days_left_in_cycle(certification: Certification, now: datetime) -> int:
    """Days from today, in the practitioner's zone, to the last day of the credential's CE
    cycle: 0 on that day, negative once it has ended (the lapse job's and the reminders'
    idea of the date)."""
    return (certification.ce_cycle_end - _local_today(certification, now)).days


def verified_ending_within(days: int, now: datetime) -> QuerySet[Certification]:
    """Verified credentials that may end their CE cycle within `days` days of `now`, with a
    day of slack each side for every time zone: the exact check is days_left_in_cycle."""
    utc_today = now.astimezone(UTC).date()
    return Certification.objects.filter(
        state=State.VERIFIED,
        ce_cycle_end__gte=utc_today - timedelta(days=1),
        ce_cycle_end__lte=utc_today + timedelta(days=days + 1),
    )


def lapse_due_certifications(now: datetime | None = None) -> int:
    """Lapse verified credentials whose CE cycle has ended (in the practitioner's zone)."""
    now = now or timezone.now()
    # A day of slack covers every time zone; the exact check is per practitioner.
    candidates = Certification.objects.filter(
        state=State.VERIFIED, ce_cycle_end__lt=now.astimezone(UTC).date() + timedelta(days=1)
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
    candidates = verified_ending_within(max(REMINDER_DAYS), now).select_related(
        "practitioner__user"
    )
    sent = 0
    for certification in candidates:
        days_left = days_left_in_cycle(certification, now)
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
            _email_practitioner(certification, "certification_reminder", days_left=days_left)
        sent += 1
    return sent
