"""The health intake's rules: the consent text, how long a signed intake stays current,
reading answers back, comparing versions, and writing versions and check-ins (reads by
others are logged by sessions.audit). The questions themselves (the schema of the stored
`answers`) are sessions.forms.intake_questions.IntakeQuestions.

Versions are never edited: signing always writes a new IntakeForm row with version + 1, and the
safety flags sessions.safety derives from the answers are stored with it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from sessions import safety
from sessions.forms.intake_questions import LEGACY_GOALS, LEGACY_QUESTIONS, IntakeQuestions
from sessions.models.intake import IntakeForm, PreSessionCheck

# An intake is current for this long after it is signed; then the client confirms or changes it.
INTAKE_VALID_FOR = timedelta(days=365)
CONSENT_TEXT_VERSION = "2026-12"
# The statements a client agrees to when signing (version CONSENT_TEXT_VERSION). Changing
# the wording means a new version string: signed intakes keep the version they agreed to.
CONSENT_STATEMENTS = {
    "consent_complementary": (
        "I understand that reflexology is a complementary therapy. It does not diagnose, "
        "prescribe for or treat medical conditions and does not replace medical care: I will "
        "keep seeing my doctor or midwife and will not change any medication because of a "
        "session. I can ask for lighter pressure or stop the session at any time."
    ),
    "consent_after_effects": (
        "I understand that after a session some people feel tired, have an emotional "
        "release or need to pass urine more often, for up to 48 hours. My practitioner may "
        "use oils, balms or creams, or powder on my skin, and I can ask for none."
    ),
    "consent_truthful": (
        "The answers I have given are true and complete as far as I know, and I will tell my "
        "practitioner about any change in my health, medication or pregnancy."
    ),
    "consent_cancellation": (
        "I accept the cancellation policy of the practitioner I book with, shown when I book: "
        "late cancellations and missed sessions are recorded. Cancelling because I am unwell "
        "is never counted as late."
    ),
}
PHYSICIAN_CONTACT_TEXT = (
    "My practitioner may contact the doctor or midwife named on this form about my "
    "reflexology sessions (optional)."
)


def answers_from(cleaned_data: dict) -> dict:
    """The JSON-safe answers of a valid IntakeQuestions form: dates as ISO strings; the
    pregnancy details dropped when not pregnant, so no stale answer raises a flag."""
    answers = {}
    for name in IntakeQuestions.base_fields:
        value = cleaned_data.get(name)
        if isinstance(value, date):
            value = value.isoformat()
        if isinstance(value, str):
            value = value.strip()
        answers[name] = value
    if answers.get("pregnancy") != "pregnant":
        answers.update(
            pregnancy_weeks=None, due_date=None, pregnancy_complications=[], midwife_aware=None
        )
    if answers.get("cancer") != "current":
        answers["cancer_treatment"] = None
    if not answers.get("guardian_consent"):
        answers["guardian_consent"] = None  # only minors answer it
    return answers


def initial_from(intake: IntakeForm, today: date) -> dict:
    """Form initial values from a signed version's answers (to prefill a change), with the
    weeks of pregnancy brought forward to `today`: weeks given when signing months ago are
    not the weeks now."""
    answers = intake.answers
    initial = {
        name: value for name, value in answers.items() if name in IntakeQuestions.base_fields
    }
    if answers.get("pregnancy_weeks") and not answers.get("due_date"):
        signed_on = timezone.localdate(intake.signed_at)
        initial["pregnancy_weeks"] = safety.pregnancy_weeks(
            answers, safety.When(signed_on=signed_on, on=today)
        )
    return initial


def changed_answers(old: dict, new: dict) -> set[str]:
    """The questions whose answers differ between two answer dicts (an unanswered question
    and an empty answer count as the same; the order of ticked boxes does not matter)."""

    def norm(value):
        if value in (None, "", []):
            return None
        if isinstance(value, list):
            return sorted(value)
        return value

    return {key for key in set(old) | set(new) if norm(old.get(key)) != norm(new.get(key))}


def display_value(name: str, value) -> str:
    """An answer in words, as the client chose it."""
    field = IntakeQuestions.base_fields.get(name)
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choices = {str(key): label for key, label in getattr(field, "choices", [])}
    if name == "goals":
        choices = {**LEGACY_GOALS, **choices}  # an earlier version's goals, still in words
    if isinstance(value, list):
        return ", ".join(choices.get(str(item), str(item)) for item in value)
    if isinstance(field, forms.DateField):
        try:
            return date.fromisoformat(value).strftime("%-d %B %Y")
        except (TypeError, ValueError):
            return str(value)
    return choices.get(str(value), str(value))


@dataclass
class Answer:
    name: str
    label: str
    value: str
    changed: bool = False
    previous: str = ""


def readable_answers(answers: dict, previous: dict | None = None) -> list[tuple[str, list]]:
    """The answers grouped by section for reading, each marked `changed` (with the previous
    value) when `previous` answers are given and differ. Unanswered questions are left out
    unless they changed. Questions an earlier version asked (LEGACY_QUESTIONS) are read back
    in their section when answered."""
    changed = changed_answers(previous, answers) if previous is not None else set()
    sections = []
    for heading, names in IntakeQuestions.SECTIONS:
        legacy = [
            name for name, (section, _label) in LEGACY_QUESTIONS.items() if section == heading
        ]
        rows = []
        for name in [*names, *legacy]:
            if answers.get(name) in (None, "", []) and name not in changed:
                continue  # an "If ..." question that did not apply
            field = IntakeQuestions.base_fields.get(name)
            rows.append(
                Answer(
                    name=name,
                    label=str(field.label) if field else LEGACY_QUESTIONS[name][1],
                    value=display_value(name, answers.get(name)),
                    changed=name in changed,
                    previous=display_value(name, previous.get(name)) if name in changed else "",
                )
            )
        sections.append((heading, rows))
    return sections


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def needs_review(intake: IntakeForm | None, now: datetime | None = None) -> bool:
    """True when the intake was signed more than INTAKE_VALID_FOR ago (it must be confirmed
    or changed before the next booking)."""
    now = now or timezone.now()
    return intake is not None and intake.signed_at < now - INTAKE_VALID_FOR


def current_intake(client: User, now: datetime | None = None) -> IntakeForm | None:
    """The client's latest intake if it was signed in the last 12 months, else None (the
    client must fill in or review their intake before booking)."""
    latest = client.intake_forms.order_by("-version").first()
    if latest is None or needs_review(latest, now):
        return None
    return latest


def sign_intake(
    *,
    client: User,
    answers: dict,
    signed_name: str,
    signed_ip: str | None,
    physician_contact_allowed: bool,
    now: datetime | None = None,
) -> IntakeForm:
    """Write the client's next intake version with its safety flags; never edits a version."""
    now = now or timezone.now()
    flags = safety.flags_for(answers, signed_on=timezone.localdate(now))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = client.intake_forms.aggregate(latest=Max("version"))["latest"] or 0
                return IntakeForm.objects.create(
                    client=client,
                    version=latest + 1,
                    answers=answers,
                    flags=flags,
                    consent_text_version=CONSENT_TEXT_VERSION,
                    physician_contact_allowed=physician_contact_allowed,
                    signed_name=" ".join(signed_name.split()),
                    signed_at=now,
                    signed_ip=signed_ip or None,
                )
        except IntegrityError:
            # Two submissions raced for the same version number; take the next one.
            continue
    raise IntegrityError("Could not number the new intake version.")


def record_check_in(
    *,
    booking,
    changed: bool,
    details: str,
    changes: list[str] = (),
    now: datetime | None = None,
):
    """Store the client's answer to "anything changed since last time?" for a booking, with
    the changes ticked (a second answer replaces the first, with its new date). Re-scoring
    the booking's flags is sessions.booking.answer_pre_session_check's."""
    check, _ = PreSessionCheck.objects.update_or_create(
        booking=booking,
        defaults={
            "changed": changed,
            "changes": [key for key in safety.CHANGE_CHOICES if key in changes] if changed else [],
            "details": details.strip() if changed else "",
            "answered_at": now or timezone.now(),
        },
    )
    return check
