"""The trust-and-safety queue (issue 15, point 4): what lands in it, what staff decide, and
hiding a practitioner from the directory.

- flag_saved_text: the views that save a profile, a service or a session summary call it
  after the save, with the wording the claims check warned about and the practitioner
  confirmed (ScopeGuardMixin.scope_claims): one item per subject, updated when saved again.
- submit_report: a client's report about a practitioner; one unresolved report per client
  per practitioner (the same one-per-subject constraint).
- decide_fine / ask_change / close_report: staff decisions, each logged
  (accounts.activity); asking for a change emails the practitioner.
- hide_profile / show_profile: staff take a practitioner out of the directory
  (Practitioner.objects.listed()) with a reason, and back; the practitioner is emailed.
- open_queue: the queue for staff pages (oldest first, with a count) in two queries.

Staff cancel a hidden practitioner's bookings through sessions.booking.cancel_upcoming_by_staff
(practitioners never imports sessions).
"""

import re
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import activity
from accounts.activity import Subject
from accounts.models import User
from practitioners.models import ClientReport, Practitioner, ReviewItem, Service, StaffHide
from practitioners.scope import find_soft_claims
from reflexbook.lib.mail import send_templated

Kind = ReviewItem.Kind
State = ReviewItem.State


class ReviewRefused(Exception):
    """A queue action refused, with the reason in words for the person who asked."""


# --- what lands in the queue ---------------------------------------------------------------


@dataclass(frozen=True)
class Flagged:
    """A subject of the queue, as the saving view names it."""

    kind: str
    key: str
    service: Service | None = None
    record_code: UUID | None = None


def profile_subject() -> Flagged:
    return Flagged(Kind.PROFILE, "profile")


def service_subject(service: Service) -> Flagged:
    return Flagged(Kind.SERVICE, f"service:{service.pk}", service=service)


def summary_subject(record_code: UUID) -> Flagged:
    return Flagged(Kind.SUMMARY, f"summary:{record_code}", record_code=record_code)


def _report_key(client: User) -> str:
    return f"report:{client.pk}"


def flag_saved_text(
    *, practitioner: Practitioner, subject: Flagged, texts: list[str], warned: bool
) -> ReviewItem | None:
    """After a save of `subject`'s guarded `texts`: when the practitioner confirmed wording
    the claims check warned about (`warned`), its one unresolved item is opened or updated
    with the phrases in the saved text (never a second item); an unresolved item whose text
    no longer holds any is closed. Returns the item touched, if any."""
    words: list[str] = []
    for text in texts:
        words += [w for w in find_soft_claims(text) if w.lower() not in map(str.lower, words)]
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update()
            .unresolved()
            .filter(practitioner=practitioner, subject_key=subject.key)
            .first()
        )
        if item is None and not (warned and words):
            return None
        if item is None:
            return _create_item(practitioner, subject, words)
        if not words:
            item.state = State.CLOSED
            item.note = "The practitioner changed the wording."
            item.decided_by, item.decided_at = None, timezone.now()
        elif warned:
            # Saved again with confirmed wording: back to staff, with today's phrases.
            item.state, item.words = State.OPEN, words
        else:
            item.words = words
        item.save()
    return item


def flag_guarded_form(*, practitioner: Practitioner, subject: Flagged, form) -> ReviewItem | None:
    """flag_saved_text for a saved ScopeGuardMixin form: its guarded fields as saved, and
    whether it warned about wording the practitioner then confirmed."""
    return flag_saved_text(
        practitioner=practitioner,
        subject=subject,
        texts=[form.cleaned_data.get(name) or "" for name in form.scope_guarded_fields],
        warned=bool(form.scope_claims),
    )


def _create_item(practitioner: Practitioner, subject: Flagged, words: list[str]) -> ReviewItem:
    try:
        # A savepoint: a racing save of the same subject trips the constraint, not the page.
        with transaction.atomic():
            return ReviewItem.objects.create(
                practitioner=practitioner,
                kind=subject.kind,
                subject_key=subject.key,
                service=subject.service,
                record_code=subject.record_code,
                words=words,
            )
    except IntegrityError:
        item = ReviewItem.objects.unresolved().get(
            practitioner=practitioner, subject_key=subject.key
        )
        item.words = words
        item.save(update_fields=["words", "updated_at"])
        return item


REPORT_ALREADY_OPEN = gettext_lazy(
    "You have already reported {name}, and staff are looking into it. You will hear from us "
    "by email; there is no need to report again."
)


def open_report_for(client: User, practitioner: Practitioner) -> ReviewItem | None:
    """The client's unresolved report about `practitioner`, if any (the one-report rule)."""
    return (
        ReviewItem.objects.unresolved()
        .select_related("report")
        .filter(practitioner=practitioner, subject_key=_report_key(client))
        .first()
    )


def can_report(user: User, practitioner: Practitioner) -> bool:
    """Clients report practitioners; practitioners and staff do not, nor anyone themselves."""
    return (
        user.is_authenticated
        and not user.is_staff
        and getattr(user, "practitioner", None) is None
        and user.pk != practitioner.user_id
    )


def submit_report(
    *,
    client: User,
    practitioner: Practitioner,
    reason: str,
    details: str,
    booking_code: UUID | None = None,
) -> ClientReport:
    """A client's report about `practitioner`, put in the queue. Refused (ReviewRefused) for
    anyone but a client, and while the client's last report on them is still open."""
    if not can_report(client, practitioner):
        raise ReviewRefused(_("Only clients can report a practitioner."))
    refused = ReviewRefused(REPORT_ALREADY_OPEN.format(name=practitioner.display_name))
    if open_report_for(client, practitioner) is not None:
        raise refused
    try:
        with transaction.atomic():
            report = ClientReport(
                client=client,
                practitioner=practitioner,
                reason=reason,
                details=details.strip(),
                booking_code=booking_code,
            )
            report.full_clean()
            report.save()
            ReviewItem.objects.create(
                practitioner=practitioner,
                kind=Kind.REPORT,
                subject_key=_report_key(client),
                report=report,
            )
    except IntegrityError:  # a second report posted at the same moment
        raise refused from None
    return report


# --- staff decisions ------------------------------------------------------------------------


def subject_for(item: ReviewItem) -> Subject:
    """The activity log's subject for an item: its public code and a label with no text."""
    with translation.override(None):  # log data, in English whatever the page's language
        label = f"{item.get_kind_display()}: {item.practitioner.display_name}"
    return Subject("review item", str(item.code), label)


def practitioner_subject(practitioner: Practitioner) -> Subject:
    return Subject("practitioner", practitioner.slug, practitioner.display_name)


def _decide(item: ReviewItem, *, by: User, state: str, note: str, allowed: tuple) -> ReviewItem:
    if not by.is_staff:
        raise ReviewRefused(_("Only reflexbook staff can decide on the review queue."))
    if item.practitioner.user_id == by.pk:
        raise ReviewRefused(_("You cannot decide on an item about your own practice."))
    locked = ReviewItem.objects.select_for_update().select_related("practitioner").get(pk=item.pk)
    if locked.kind not in allowed:
        raise ReviewRefused(_("That decision does not apply to this kind of item."))
    if locked.state != State.OPEN:
        raise ReviewRefused(
            _("This item is already decided (%(state)s), so nothing was changed.")
            % {"state": locked.get_state_display().lower()}
        )
    locked.state, locked.note = state, note.strip()
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save()
    return locked


CLAIMS = (Kind.PROFILE, Kind.SERVICE, Kind.SUMMARY)


def decide_fine(*, item: ReviewItem, by: User, note: str = "") -> ReviewItem:
    """Staff find the flagged wording fine as it is."""
    with transaction.atomic():
        decided = _decide(item, by=by, state=State.FINE, note=note, allowed=CLAIMS)
        activity.record(by, "review_fine", subject_for(decided))
    return decided


def ask_change(*, item: ReviewItem, by: User, message: str) -> ReviewItem:
    """Staff ask the practitioner to change the flagged wording, with a message; the
    practitioner is emailed and sees it in their area until they save new wording."""
    if not message.strip():
        raise ReviewRefused(_("Write the practitioner a message saying what to change."))
    with transaction.atomic():
        decided = _decide(item, by=by, state=State.CHANGE_ASKED, note=message, allowed=CLAIMS)
        activity.record(by, "review_change_asked", subject_for(decided))
        user = decided.practitioner.user
        send_templated(
            "review_change_asked",
            to=[user.email],
            context={"item": decided, "user": user, "site_url": settings.SITE_URL},
        )
    return decided


def close_report(*, item: ReviewItem, by: User, note: str) -> ReviewItem:
    """Staff close a client's report, with a note of what they did."""
    if not note.strip():
        raise ReviewRefused(_("Write a note of what you found or did."))
    with transaction.atomic():
        decided = _decide(item, by=by, state=State.CLOSED, note=note, allowed=(Kind.REPORT,))
        activity.record(by, "report_closed", subject_for(decided), reason=decided.report.reason)
    return decided


# --- hiding a profile -----------------------------------------------------------------------


def hide_profile(*, practitioner: Practitioner, by: User, reason: str) -> StaffHide:
    """Staff hide `practitioner` from the directory, their profile and booking pages (not
    from their existing bookings), with a reason the practitioner is emailed. The new row
    moves public_version (a trigger), so no cached public page is served again."""
    if not by.is_staff:
        raise ReviewRefused(_("Only reflexbook staff can hide a profile."))
    if not reason.strip():
        raise ReviewRefused(_("Give a reason: the practitioner is sent it."))
    refused = ReviewRefused(_("This profile is already hidden."))
    try:
        with transaction.atomic():
            Practitioner.objects.select_for_update(of=("self",)).filter(pk=practitioner.pk).first()
            if practitioner.staff_hides.current().exists():
                raise refused
            hide = StaffHide.objects.create(
                practitioner=practitioner,
                hidden_by=by,
                hidden_at=timezone.now(),
                reason=reason.strip(),
            )
            activity.record(by, "profile_hidden", practitioner_subject(practitioner))
            send_templated(
                "profile_hidden",
                to=[practitioner.user.email],
                context={"practitioner": practitioner, "hide": hide},
            )
    except IntegrityError:  # hidden by someone else at the same moment
        raise refused from None
    return hide


def show_profile(*, practitioner: Practitioner, by: User) -> StaffHide:
    """Staff list a profile they hid again (if it is otherwise complete); the practitioner
    is emailed. The hide row stays, marked shown."""
    if not by.is_staff:
        raise ReviewRefused(_("Only reflexbook staff can show a profile again."))
    with transaction.atomic():
        hide = practitioner.staff_hides.select_for_update().current().first()
        if hide is None:
            raise ReviewRefused(_("This profile is not hidden by staff."))
        hide.shown_by, hide.shown_at = by, timezone.now()
        hide.save(update_fields=["shown_by", "shown_at"])
        activity.record(by, "profile_shown", practitioner_subject(practitioner))
        send_templated(
            "profile_shown", to=[practitioner.user.email], context={"practitioner": practitioner}
        )
    return hide


# --- reading the queue ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenQueue:
    items: list[ReviewItem]
    count: int


def open_queue(*, limit: int | None = None) -> OpenQueue:
    """Items waiting for staff, oldest first (the first `limit`, if given), with the number
    waiting: two queries whatever their number (the items with their practitioner, service
    and report joined; the count)."""
    items = ReviewItem.objects.waiting_for_staff().select_related(
        "practitioner", "service", "report"
    )
    if limit is not None:
        items = items[:limit]
    return OpenQueue(items=list(items), count=ReviewItem.objects.waiting_for_staff().count())


def change_requests_for(practitioner: Practitioner) -> list[ReviewItem]:
    """What staff asked the practitioner to change and they have not changed yet."""
    items = list(
        practitioner.review_items.filter(state=State.CHANGE_ASKED)
        .select_related("service")
        .order_by("decided_at")
    )
    for item in items:
        item.marked = marked_words(item.words)
    return items


# --- showing the flagged words ---------------------------------------------------------------


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with each of `words` (phrases as the claims check found them, any
    case, any run of spaces) wrapped in <mark>. Only our own tags are unescaped."""
    phrases = [p for p in words if p.strip()]
    if not phrases:
        return escape(text)
    pattern = re.compile(
        r"\b(?:"
        + "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len)[::-1])
        + r")\b",
        re.IGNORECASE,
    )
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece of `text` above went through escape()


def marked_words(words: list[str]) -> SafeString:
    """The flagged phrases, each escaped and marked, joined with commas."""
    return mark_safe(", ".join(f"<mark>{escape(word)}</mark>" for word in words))
