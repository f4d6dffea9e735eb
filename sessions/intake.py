"""The health intake's rules: the consent text, how long a signed intake stays current,
reading answers back, comparing versions, and writing versions and check-ins (reads by
others are logged by sessions.audit). The questions themselves (the schema of the stored
`answers`) are sessions.forms.intake_questions.IntakeQuestions.

Versions are never edited: signing always writes a new IntakeForm row with version + 1, and the
safety flags sessions.safety derives from the answers are stored with it.

The form is filled in steps (intake_questions.STEPS): each step's answers are saved to the
client's IntakeDraft, private to the client, until signing turns them into a version.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.choices import flatten_choices

from accounts.models import User
from reflexbook.lib.prepared import PreparedQuery
from sessions import safety
from sessions.forms.intake_questions import (
    ABOUT_YOU_STEP,
    CONSENT_STEP,
    LEGACY_GOALS,
    LEGACY_QUESTIONS,
    PREGNANCY_FOLLOW_UPS,
    PREGNANCY_STEP,
    STEPS,
    IntakeQuestions,
    Step,
)
from sessions.models.intake import IntakeDraft, IntakeForm, PreSessionCheck

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


NOT_PREGNANT = {
    "pregnancy_weeks": None,
    "due_date": None,
    "pregnancy_complications": [],
    "midwife_aware": None,
}


def _json_safe(value):
    """An answer as stored: dates as ISO strings, text stripped."""
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str):
        value = value.strip()
    return value


def answers_from(cleaned_data: dict) -> dict:
    """The JSON-safe answers of a valid IntakeQuestions form (or of a draft's saved steps):
    dates as ISO strings; the pregnancy details dropped when not pregnant, so no stale
    answer raises a flag."""
    answers = {name: _json_safe(cleaned_data.get(name)) for name in IntakeQuestions.base_fields}
    if answers.get("pregnancy") != "pregnant":
        answers.update(NOT_PREGNANT)
    if answers.get("cancer") != "current":
        answers["cancer_treatment"] = None
    if not answers.get("guardian_consent"):
        answers["guardian_consent"] = None  # only minors answer it
    return answers


def initial_from(answers: dict) -> dict:
    """Form initial values from stored answers (to prefill a change)."""
    return {name: value for name, value in answers.items() if name in IntakeQuestions.base_fields}


def answers_on(intake: IntakeForm, today: date) -> dict:
    """A signed version's answers as they stand on `today`: weeks of pregnancy given when
    signing months ago are brought forward (a due date needs nothing)."""
    answers = dict(intake.answers)
    if answers.get("pregnancy_weeks") and not answers.get("due_date"):
        signed_on = timezone.localdate(intake.signed_at)
        answers["pregnancy_weeks"] = safety.pregnancy_weeks(
            answers, safety.When(signed_on=signed_on, on=today)
        )
    return answers


def signing_guardian(answers: dict, today: date) -> str:
    """The parent or guardian who signs for a client under 18 on `today` (by the answers'
    date of birth and the guardian named in them), or "" when the client signs."""
    born = answers.get("date_of_birth")
    if born and safety.is_minor(safety.age_on(date.fromisoformat(str(born)), today)):
        return answers.get("guardian_name") or ""
    return ""


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
    choices = {str(key): label for key, label in flatten_choices(getattr(field, "choices", []))}
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


def pregnancy_outdated(answers: dict, today: date) -> bool:
    """True when the answers say pregnant with no due date, or one already past: they cannot
    be confirmed unchanged (the pregnancy questions are asked again)."""
    due = answers.get("due_date")
    return answers.get("pregnancy") == "pregnant" and (not due or due < today.isoformat())


# --- the form in steps: a private draft until signed -----------------------------------------


def step_named(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def steps_asked(draft: IntakeDraft | None) -> list[Step]:
    """The steps a draft asks, in order, ending with the consent and signature: every step
    for a first form (also before its first save); the pregnancy step only for a client who
    may be pregnant."""
    slugs = draft.steps if draft is not None else [step.slug for step in STEPS]
    may_be_pregnant = draft.may_be_pregnant if draft is not None else None
    return [
        step
        for step in STEPS
        if (step.slug in slugs or step.slug == CONSENT_STEP)
        and not (step.slug == PREGNANCY_STEP and may_be_pregnant is False)
    ]


def open_step(draft: IntakeDraft | None) -> Step:
    """The first step asked and not answered yet: the consent once every other one is."""
    done = draft.done if draft is not None else []
    return next(step for step in steps_asked(draft) if step.slug not in done)


def step_questions(step: Step, answers: dict) -> list[str]:
    """The questions a step asks, given the answers saved so far: the pregnancy follow-up
    questions only once "pregnant" is answered."""
    if step.slug == PREGNANCY_STEP and answers.get("pregnancy") != "pregnant":
        return [name for name in step.fields if name not in PREGNANCY_FOLLOW_UPS]
    return step.fields


def save_step(
    *, client: User, step: Step, cleaned_data: dict, may_be_pregnant: bool | None = None
) -> IntakeDraft:
    """Save one step's valid answers into the client's private draft (started, asking every
    step, if there is none). The step counts as answered, except when "pregnant" was just
    chosen: its follow-up questions come next, on the same step. Answering "could you be
    pregnant?" (About you) decides whether the pregnancy step is asked: No answers it as
    not pregnant; a changed answer asks it again."""
    draft, _ = IntakeDraft.objects.get_or_create(
        client=client, defaults={"steps": [each.slug for each in STEPS]}
    )
    asked = step_questions(step, draft.answers)
    draft.answers.update({name: _json_safe(cleaned_data.get(name)) for name in asked})
    answered = True
    if step.slug == PREGNANCY_STEP:
        if draft.answers["pregnancy"] == "pregnant":
            answered = PREGNANCY_FOLLOW_UPS[0] in asked
        else:
            draft.answers.update(NOT_PREGNANT)
    if may_be_pregnant is not None:
        if may_be_pregnant != draft.may_be_pregnant and PREGNANCY_STEP in draft.done:
            draft.done.remove(PREGNANCY_STEP)
        draft.may_be_pregnant = may_be_pregnant
        if not may_be_pregnant:
            draft.answers.update(pregnancy="not_pregnant", **NOT_PREGNANT)
    if answered and step.slug not in draft.done:
        draft.done.append(step.slug)
    draft.save()
    return draft


def start_changes(
    *, client: User, latest: IntakeForm, slugs: list[str], today: date
) -> IntakeDraft:
    """Start the client's draft again from their latest version's answers, asking only the
    steps they say changed, plus: the pregnancy step with About you (which asks whether they
    may be pregnant) or when the pregnancy on the form is out of date, and any step with a
    required question the version leaves unanswered."""
    asked = set(slugs)
    if ABOUT_YOU_STEP in asked or pregnancy_outdated(latest.answers, today):
        asked.add(PREGNANCY_STEP)
    fields = IntakeQuestions.base_fields
    for step in STEPS:
        if any(
            fields[name].required and latest.answers.get(name) in (None, "", [])
            for name in step.fields
        ):
            asked.add(step.slug)
    draft, _ = IntakeDraft.objects.update_or_create(
        client=client,
        defaults={
            "answers": initial_from(answers_on(latest, today)),
            "steps": [step.slug for step in STEPS if step.slug in asked],
            "done": [],
            "may_be_pregnant": True
            if latest.answers.get("pregnancy") in ("pregnant", "trying", "ivf_cycle")
            else None,
        },
    )
    return draft


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def signed_too_long_ago(signed_at: datetime, now: datetime | None = None) -> bool:
    """True when a form signed at `signed_at` was signed more than INTAKE_VALID_FOR ago."""
    return signed_at < (now or timezone.now()) - INTAKE_VALID_FOR


def needs_review(intake: IntakeForm | None, now: datetime | None = None) -> bool:
    """True when the intake was signed more than INTAKE_VALID_FOR ago (it must be confirmed
    or changed before the next booking)."""
    return intake is not None and signed_too_long_ago(intake.signed_at, now)


# The latest version's id and signing time, read for the signed-in client themselves, who
# cannot be an erased one (all_objects spares the present-clients subquery). Its SQL is built
# once per process (reflexbook.lib.prepared; issue 13).
LATEST_VERSION = PreparedQuery(
    lambda *, client_id: (
        IntakeForm.all_objects.filter(client_id=client_id)
        .order_by("-version")
        .values_list("pk", "signed_at")[:1]
    )
)


def latest_version(client: User) -> tuple[int, datetime] | None:
    """The id and signing time of the client's latest intake version, or None: one small
    query that decodes no answers (a version is never edited, so this says whether a form
    read earlier is still the latest)."""
    found = LATEST_VERSION.rows(client_id=client.pk)
    return found[0] if found else None


def current_intake(client: User, now: datetime | None = None) -> IntakeForm | None:
    """The client's latest intake if it was signed in the last 12 months, else None (the
    client must fill in or review their intake before booking)."""
    found = LATEST.instances(client_id=client.pk)
    if not found or needs_review(found[0], now):
        return None
    return found[0]


# The client's latest version, its SQL built once per process (reflexbook.lib.prepared): every
# booking page reads it (issue 13).
LATEST = PreparedQuery(
    lambda *, client_id: IntakeForm.objects.filter(client_id=client_id).order_by("-version")[:1]
)


def sign_intake(
    *,
    client: User,
    answers: dict,
    signed_name: str,
    signed_ip: str | None,
    physician_contact_allowed: bool,
    now: datetime | None = None,
) -> IntakeForm:
    """Write the client's next intake version with its safety flags; never edits a version.
    The client's draft (the form in steps) ends with it."""
    now = now or timezone.now()
    flags = safety.flags_for(answers, signed_on=timezone.localdate(now))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = client.intake_forms.aggregate(latest=Max("version"))["latest"] or 0
                IntakeDraft.objects.filter(client=client).delete()
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
