"""ARCB credentials: the practitioner's submissions and the staff queue and review page (the
evidence files themselves: views/evidence.py)."""

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import require_staff
from practitioners import certification as service
from practitioners import evidence_pages
from practitioners.access import practitioner_for
from practitioners.certification_rules import Action, State, TransitionRefused
from practitioners.forms.credentials import CredentialForm, DecisionForm
from practitioners.models import Certification, CertificationEvent, Practitioner

SEARCH_LIMIT = 50
# What staff may decide on a credential in each state (certification_rules has the last word).
DECISIONS = {
    State.PENDING: [Action.APPROVE, Action.REJECT],
    State.VERIFIED: [Action.REVOKE],
}
DONE_MESSAGES = {
    Action.APPROVE: "Approved {name}’s {kind} credential. They have been emailed, and "
    "the badge now shows on their profile.",
    Action.REJECT: "Rejected {name}’s {kind} credential. They have been emailed the reason.",
    Action.REVOKE: "Revoked {name}’s {kind} credential. They have been emailed the "
    "reason, and the badge is gone from their profile.",
}


# The one staff-only rule lives in accounts; the name stays for this module's views.
_require_staff = require_staff


def _checked_kind(kind: str) -> str:
    if kind not in Certification.Kind.values:
        raise Http404("There are foot and hand credentials only.")
    return kind


def _today_for(practitioner: Practitioner) -> date:
    return timezone.localdate(timezone=ZoneInfo(practitioner.timezone))


def _with_history(certifications) -> list[Certification]:
    """Credentials with their evidence and history loaded, and the latest decision reason."""
    events = CertificationEvent.objects.select_related("actor")
    loaded = list(certifications.prefetch_related("evidence", Prefetch("events", queryset=events)))
    for certification in loaded:
        certification.history = list(certification.events.all())
        reasons = [event.reason for event in certification.history if event.reason]
        certification.latest_reason = reasons[-1] if reasons else ""
    return loaded


def _credentials_url(kind: str = "") -> str:
    url = reverse("practitioners:credentials")
    return f"{url}#{kind}" if kind else url


@require_safe
def credential_list(request: HttpRequest) -> HttpResponse:
    practitioner = practitioner_for(request)
    by_kind = {c.kind: c for c in _with_history(practitioner.certifications.all())}
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
        submit_label="Save changes" if certification else "Save as draft",
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
                f"Your {label} credential was saved as a draft. "
                + (
                    "Submit it for verification when you are ready."
                    if form.new_files
                    else "Add an evidence file, then submit it for verification."
                ),
            )
        elif saved.resubmitted:
            messages.success(
                request,
                f"Your changes were saved and your {label} credential was sent back to staff "
                "for verification, because they verified the earlier details. Its badge is "
                "hidden until they approve it.",
            )
        elif saved.changed:
            messages.success(request, f"Your {label} credential was saved.")
        else:
            messages.info(request, "Nothing had changed, so nothing was saved.")
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
            f"Your {certification.get_kind_display().lower()} credential was sent to "
            "reflexbook staff for verification. You will get an email when they decide.",
        )
    return redirect(_credentials_url(kind))


def _waiting(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "waiting"
    if (now - since).total_seconds() < 60:
        return "waiting less than a minute"
    # timesince joins number and unit with a no-break space; plain words read better here.
    return f"waiting {timesince(since, now, depth=1).replace(chr(0xA0), ' ')}"


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
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


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, code: UUID) -> HttpResponse:
    _require_staff(request)
    loaded = _with_history(
        Certification.objects.select_related("practitioner__user").filter(code=code)
    )
    if not loaded:
        raise Http404("No such credential.")
    certification = loaded[0]
    own = certification.practitioner.user_id == request.user.pk
    actions = [] if own else DECISIONS.get(certification.state, [])
    decision_forms = {action.value: DecisionForm(action=action.value) for action in actions}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in decision_forms:
            messages.error(
                request,
                f"That decision is not available: this credential is "
                f"{certification.get_state_display().lower()}.",
            )
            return redirect("practitioners:review", code=certification.code)
        form = DecisionForm(request.POST, action=action)
        if form.is_valid():
            try:
                service.transition(
                    certification=certification,
                    action=Action(action),
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except TransitionRefused as refused:
                messages.error(request, str(refused))
                return redirect("practitioners:review", code=certification.code)
            messages.success(
                request,
                DONE_MESSAGES[Action(action)].format(
                    name=certification.practitioner.display_name,
                    kind=certification.get_kind_display().lower(),
                ),
            )
            return redirect("practitioners:queue")
        decision_forms[action] = form
    return render(
        request,
        "practitioners/staff/review.html",
        {
            "certification": certification,
            "practitioner": certification.practitioner,
            "own": own,
            "decision_forms": decision_forms,
            "duplicates": list(service.same_credential_id_elsewhere(certification)),
            "cycle_ended": certification.ce_cycle_end < _today_for(certification.practitioner),
            "viewer": evidence_pages.viewer(list(certification.evidence.all())),
        },
    )
