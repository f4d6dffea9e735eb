"""ARCB credentials: the practitioner's submissions and the staff queue and review page (the
evidence files themselves: views/evidence.py)."""

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import require_staff
from practitioners import certification as service
from practitioners import evidence_pages
from practitioners.access import practitioner_for
from practitioners.certification_rules import Action, Actor, State, TransitionRefused, actions_for
from practitioners.forms.credentials import CredentialForm, DecisionForm
from practitioners.models import (
    Certification,
    CertificationEvent,
    Practitioner,
    RevocationProposal,
)

SEARCH_LIMIT = 50
CONFIRM, WITHDRAW = "confirm_revocation", "withdraw_revocation"
DONE_MESSAGES = {
    Action.APPROVE: gettext_lazy(
        "Approved {name}’s {kind} credential. They have been emailed, and the badge now shows "
        "on their profile."
    ),
    Action.REJECT: gettext_lazy(
        "Rejected {name}’s {kind} credential. They have been emailed the reason and what to "
        "do next."
    ),
    Action.REQUEST_INFO: gettext_lazy(
        "Asked {name} for more information about their {kind} credential. They have been "
        "emailed your request; it comes back to the queue when they resubmit."
    ),
    Action.REVOKE: gettext_lazy(
        "Revoked {name}’s {kind} credential. They have been emailed the reason, and the badge "
        "is gone from their profile."
    ),
    "proposed": gettext_lazy(
        "Proposed revoking {name}’s {kind} credential. Another member of staff must confirm "
        "it; until then the badge stays on their profile."
    ),
    CONFIRM: gettext_lazy(
        "Revoked {name}’s {kind} credential, as proposed. They have been emailed the reason, "
        "and the badge is gone from their profile."
    ),
    WITHDRAW: gettext_lazy(
        "Withdrew the proposed revocation of {name}’s {kind} credential. It stays verified."
    ),
}


def _checked_kind(kind: str) -> str:
    if kind not in Certification.Kind.values:
        raise Http404("There are foot and hand credentials only.")
    return kind


def _today_for(practitioner: Practitioner) -> date:
    return timezone.localdate(timezone=ZoneInfo(practitioner.timezone))


def _with_history(certifications) -> list[Certification]:
    """Credentials with their evidence and history loaded, the names of the files each
    decision looked at, and the latest decision with words (a reason or a request)."""
    events = CertificationEvent.objects.select_related("actor")
    loaded = list(certifications.prefetch_related("evidence", Prefetch("events", queryset=events)))
    for certification in loaded:
        names = {str(item.code): item.original_name for item in certification.evidence.all()}
        certification.history = list(certification.events.all())
        for event in certification.history:
            event.seen_names = [names[code] for code in event.evidence_seen if code in names]
        explained = [event for event in certification.history if event.reason or event.reason_code]
        certification.latest_decision = explained[-1] if explained else None
    return loaded


def _can_submit(certification: Certification) -> bool:
    # A verified credential goes back to staff by being edited (save_credential), not by a
    # button; otherwise the page offers what the rules allow.
    return certification.state != State.VERIFIED and Action.SUBMIT in actions_for(
        state=certification.state, actor=Actor.OWNER
    )


def _credentials_url(kind: str = "") -> str:
    url = reverse("practitioners:credentials")
    return f"{url}#{kind}" if kind else url


@require_safe
def credential_list(request: HttpRequest) -> HttpResponse:
    practitioner = practitioner_for(request)
    by_kind = {c.kind: c for c in _with_history(practitioner.certifications.all())}
    for certification in by_kind.values():
        certification.can_submit = _can_submit(certification)
    cards = [
        {"kind": kind, "label": label, "certification": by_kind.get(kind)}
        for kind, label in Certification.Kind.choices
    ]
    return render(
        request,
        "practitioners/credentials/list.html",
        {"practitioner": practitioner, "cards": cards, "today": _today_for(practitioner)},
    )


@require_http_methods(["GET", "POST"])
def credential_edit(request: HttpRequest, kind: str) -> HttpResponse:
    practitioner = practitioner_for(request)
    kind = _checked_kind(kind)
    label = Certification.Kind(kind).label.lower()
    certification = Certification.objects.filter(practitioner=practitioner, kind=kind).first()
    initial = (
        {field: getattr(certification, field) for field in service.DETAIL_FIELDS}
        if certification
        else {}
    )
    form = CredentialForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        today=_today_for(practitioner),
        action=request.path,
        submit_label=_("Save changes") if certification else _("Save as draft"),
    )
    if form.is_valid():
        try:
            saved = service.save_credential(
                practitioner=practitioner,
                kind=kind,
                details=form.details,
                evidence=form.new_files,
                by=request.user,
            )
        except TransitionRefused as refused:
            messages.error(request, str(refused))
            return redirect(_credentials_url(kind))
        if saved.created:
            messages.success(
                request,
                (
                    _(
                        "Your %(kind)s credential was saved as a draft. Submit it for "
                        "verification when you are ready."
                    )
                    if form.new_files
                    else _(
                        "Your %(kind)s credential was saved as a draft. Add an evidence file, "
                        "then submit it for verification."
                    )
                )
                % {"kind": label},
            )
        elif saved.resubmitted:
            messages.success(
                request,
                _(
                    "Your changes were saved and your %(kind)s credential was sent back to staff "
                    "for verification, because they verified the earlier details. Its badge is "
                    "hidden until they approve it."
                )
                % {"kind": label},
            )
        elif saved.changed:
            messages.success(
                request,
                (
                    _(
                        "Your %(kind)s credential was saved. Submit it for verification when "
                        "you are ready."
                    )
                    if _can_submit(saved.certification)
                    else _("Your %(kind)s credential was saved.")
                )
                % {"kind": label},
            )
        else:
            messages.info(request, _("Nothing had changed, so nothing was saved."))
        return redirect(_credentials_url(kind))
    return render(
        request,
        "practitioners/credentials/edit.html",
        {
            "form": form,
            "kind": kind,
            "label": label,
            "certification": certification,
            "is_pending": certification is not None and certification.state == State.PENDING,
            # What staff asked for, while the credential waits for it.
            "request_for_more": certification.events.filter(to_state=State.MORE_INFO).last()
            if certification is not None and certification.state == State.MORE_INFO
            else None,
        },
    )


@require_POST
def credential_submit(request: HttpRequest, kind: str) -> HttpResponse:
    practitioner = practitioner_for(request)
    kind = _checked_kind(kind)
    certification = get_object_or_404(practitioner.certifications, kind=kind)
    try:
        service.transition(certification=certification, action=Action.SUBMIT, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "Your %(kind)s credential was sent to reflexbook staff for verification. You "
                "will get an email when they decide."
            )
            % {"kind": certification.get_kind_display().lower()},
        )
    return redirect(_credentials_url(kind))


def _waiting(since: datetime | None, now: datetime) -> str:
    if since is None:
        return _("waiting")
    if (now - since).total_seconds() < 60:
        return _("waiting less than a minute")
    # timesince joins number and unit with a no-break space; plain words read better here.
    return _("waiting %(time)s") % {"time": timesince(since, now, depth=1).replace(chr(0xA0), " ")}


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    now = timezone.now()
    pending = list(
        Certification.objects.pending_queue()
        .select_related("practitioner")
        .annotate(file_count=Count("evidence"))
    )
    for certification in pending:
        certification.waiting = _waiting(certification.submitted_at, now)
    # Nothing searched is longer than an email address; a longer query finds nothing anyway,
    # and SQLite refuses LIKE patterns over 50,000 characters (a 500).
    query = request.GET.get("q", "")[:254].strip()
    found = None
    if query:
        found = list(
            Certification.objects.filter(
                Q(practitioner__display_name__icontains=query)
                | Q(practitioner__user__email__icontains=query)
                | Q(credential_id__icontains=query)
            )
            .select_related("practitioner")
            .order_by("practitioner__display_name", "kind")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "practitioners/staff/queue.html",
        {"pending": pending, "query": query, "found": found, "search_limit": SEARCH_LIMIT},
    )


def _decision_forms(
    certification: Certification,
    user,
    proposal: RevocationProposal | None,
    data=None,
) -> dict[str, DecisionForm]:
    """The decisions this member of staff may make on the credential now, as forms keyed by
    the button's value: what the rules offer staff, with an open revocation proposal's
    confirm (never for its proposer) and withdraw in place of a new revocation."""
    if certification.practitioner.user_id == user.pk:
        return {}
    keys = [action.value for action in actions_for(state=certification.state, actor=Actor.STAFF)]
    if proposal is not None:
        keys = [key for key in keys if key != Action.REVOKE]
        keys += [WITHDRAW] if proposal.proposed_by_id == user.pk else [CONFIRM, WITHDRAW]
    codes = [item.code for item in certification.evidence.all()]
    return {key: DecisionForm(data, action=key, evidence_codes=codes) for key in keys}


def _decide(
    request: HttpRequest, certification: Certification, key: str, form: DecisionForm, proposal
) -> str:
    """Apply the decision `key` through the service; the DONE_MESSAGES key of what happened."""
    decision = form.decision
    if key == CONFIRM:
        service.confirm_revocation(
            proposal=proposal, by=request.user, evidence_seen=decision["evidence_seen"]
        )
        return CONFIRM
    if key == WITHDRAW:
        service.withdraw_revocation(proposal=proposal, by=request.user)
        return WITHDRAW
    if key == Action.REVOKE:
        proposed = service.request_revocation(
            certification=certification,
            by=request.user,
            reason=decision["reason"],
            evidence_seen=decision["evidence_seen"],
        )
        return "proposed" if proposed else Action.REVOKE
    service.transition(certification=certification, action=Action(key), by=request.user, **decision)
    return Action(key)


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, code: UUID) -> HttpResponse:
    require_staff(request)
    loaded = _with_history(
        Certification.objects.select_related("practitioner__user").filter(code=code)
    )
    if not loaded:
        raise Http404("No such credential.")
    certification = loaded[0]
    proposals = list(certification.revocation_proposals.select_related("proposed_by", "closed_by"))
    proposal = next((p for p in proposals if p.status == RevocationProposal.Status.OPEN), None)
    own = certification.practitioner.user_id == request.user.pk
    decision_forms = _decision_forms(certification, request.user, proposal)
    if request.method == "POST":
        key = request.POST.get("action", "")
        if key not in decision_forms:
            messages.error(
                request,
                _("That decision is not available: this credential is %(state)s.")
                % {"state": certification.get_state_display().lower()},
            )
            return redirect("practitioners:review", code=certification.code)
        form = _decision_forms(certification, request.user, proposal, request.POST)[key]
        if form.is_valid():
            try:
                done = _decide(request, certification, key, form, proposal)
            except TransitionRefused as refused:
                messages.error(request, str(refused))
                return redirect("practitioners:review", code=certification.code)
            messages.success(
                request,
                DONE_MESSAGES[done].format(
                    name=certification.practitioner.display_name,
                    kind=certification.get_kind_display().lower(),
                ),
            )
            return redirect("practitioners:queue")
        decision_forms[key] = form
    return render(
        request,
        "practitioners/staff/review.html",
        {
            "certification": certification,
            "practitioner": certification.practitioner,
            "own": own,
            "decision_forms": decision_forms,
            "proposal": proposal,
            "proposals": proposals,
            "revoke_needs_second_staff": settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF,
            "duplicates": list(service.same_credential_id_elsewhere(certification)),
            "cycle_ended": certification.ce_cycle_end < _today_for(certification.practitioner),
            "viewer": evidence_pages.viewer(list(certification.evidence.all())),
        },
    )
