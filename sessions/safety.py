"""Safety rules: one table mapping intake answers to flags for the practitioner to act on.

Reflexology is complementary: a flag informs the client and the practitioner, and the
practitioner decides. Nothing here refuses a booking on its own, and the words are plain and
non-diagnostic. Tiers, most serious first:

- postpone: the practitioner must talk to the client first; the booking stays a request until
  they record a decision (sessions.booking);
- clearance: the client confirms they have talked to their doctor or midwife when booking;
- caution: shown to the practitioner with the reason (lighter, shorter, gentler);
- avoid: an area not to work, with the area;
- no_oils: no oils, creams or scented products ("No oils / unscented").

A flag is a dict: {"code", "tier", "label", "detail" (for the client), "reason" (for the
practitioner), "area"}. Sources: ../shared/domain/reflexology.md section 2.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

Answers = dict


class Tier(StrEnum):
    """A flag's tier, most serious first: the order flags are listed in. Stored flags hold
    the value as a plain string, which compares equal to the member."""

    POSTPONE = "postpone"
    CLEARANCE = "clearance"
    CAUTION = "caution"
    AVOID = "avoid"
    NO_OILS = "no_oils"


TIER_NAMES = {
    Tier.POSTPONE: "Talk first",
    Tier.CLEARANCE: "Medical clearance",
    Tier.CAUTION: "Caution",
    Tier.AVOID: "Avoid area",
    Tier.NO_OILS: "No oils",
}
TIERS = list(TIER_NAMES.items())
NO_OILS_LABEL = "No oils / unscented"
TIER_ORDER = {tier: position for position, tier in enumerate(Tier)}

# What each tier means for the client, after "You told us ...".
TIER_DETAIL = {
    Tier.POSTPONE: (
        "Your practitioner will want to talk with you before your session. Your booking stays "
        "a request until they have, and they may suggest waiting until you are well or your "
        "doctor or midwife agrees."
    ),
    Tier.CLEARANCE: (
        "Please talk to your doctor or midwife about having reflexology before your session. "
        "When you book, you will be asked to confirm you have done so, and you can upload a "
        "note from them if you have one."
    ),
    Tier.CAUTION: (
        "Your practitioner will take this into account, for example with lighter pressure or "
        "a shorter session."
    ),
    Tier.AVOID: (
        "Your practitioner will not work on this area. They may work around it or cover it, or "
        "work your hands or other foot instead."
    ),
    Tier.NO_OILS: "Your practitioner will not use oils, creams or scented products on you.",
}

LOCATION_NAMES = {
    "left_foot": "left foot",
    "right_foot": "right foot",
    "left_hand": "left hand",
    "right_hand": "right hand",
}
WARNING_SIGNS = {
    "bleeding": "bleeding",
    "pre_eclampsia": "pre-eclampsia",
    "placenta_praevia": "placenta praevia",
    "preterm_labour": "pre-term labour risk",
}
HIGH_RISK_SIGNS = {
    **WARNING_SIGNS,
    "past_miscarriage": "a past miscarriage",
    "high_risk": "called high-risk by the midwife or doctor",
}
# Urgent-care words (reflexology.md section 6): shown with the flags that need them, and
# after a session with the warning signs to look out for.
URGENT_TODAY = "Please contact your doctor or midwife today."
URGENT_EMERGENCY = (
    "If you have chest pain or are short of breath, call emergency services (911 in the US, "
    "999 in the UK, 112 in Europe) now."
)
WARNING_SIGNS_AFTER_SESSION = [
    "pain, warmth or swelling in a calf or leg",
    "chest pain",
    "breathlessness",
    "hives, or swelling of the lips, face or tongue",
]
FULL_TERM_WEEKS = 40
FIRST_TRIMESTER_WEEKS = 12
# Worked out by with_dates for the session date; rules read them like answers.
WEEKS_AT_SESSION = "weeks_at_session"
AGE_AT_SESSION = "age_at_session"


@dataclass(frozen=True)
class Rule:
    code: str
    tier: Tier
    label: str
    told: str  # completes "You told us ..." for the client
    reason: str | Callable[[Answers], str]  # for the practitioner
    applies: Callable[[Answers], bool]
    area: Callable[[Answers], str] | None = None


# --- small readers over the answers dict ---


def _yes(name: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(name) is True


def _note(a: Answers, name: str) -> str:
    text = (a.get(name) or "").strip()
    return f" Client's note: “{text}”." if text else ""


def _places(name: str) -> Callable[[Answers], str]:
    def where(a: Answers) -> str:
        places = [LOCATION_NAMES.get(place, place) for place in a.get(name) or []]
        return ", ".join(places).capitalize()

    return where


def _pregnant(a: Answers) -> bool:
    return a.get("pregnancy") == "pregnant"


def _complications(a: Answers, signs: dict) -> list[str]:
    return [signs[key] for key in a.get("pregnancy_complications") or [] if key in signs]


@dataclass(frozen=True)
class When:
    """The two dates a flag depends on: the day the form was signed and the day of the
    session it is worked out for (the same day when no session is in view)."""

    signed_on: date
    on: date


def pregnancy_weeks(a: Answers, when: When) -> int | None:
    """Completed weeks of pregnancy on the session date `when.on`: from the due date when
    given, else the weeks given on signing plus the weeks since."""
    if a.get("due_date"):
        due = date.fromisoformat(a["due_date"])
        return max(FULL_TERM_WEEKS - -(-(due - when.on) // timedelta(weeks=1)), 0)
    if a.get("pregnancy_weeks"):
        return int(a["pregnancy_weeks"]) + (when.on - when.signed_on) // timedelta(weeks=1)
    return None


def _pregnancy_reason(a: Answers) -> str:
    weeks = a.get(WEEKS_AT_SESSION)
    stage = f"About {weeks} weeks pregnant on the day of the session." if weeks else "Pregnant."
    if weeks is not None and weeks <= FIRST_TRIMESTER_WEEKS:
        stage += (
            " First 12 weeks: many practitioners wait until after 12 weeks; if you go ahead, "
            "work gently and treat the uterine and ovarian reflexes lightly or not at all."
        )
    else:
        stage += " Work gently; treat the uterine and ovarian reflexes lightly."
    if a.get("midwife_aware") is False:
        stage += " Her midwife or doctor does not know about reflexology yet."
    return stage


def _high_risk_reason(a: Answers) -> str:
    signs = ", ".join(_complications(a, HIGH_RISK_SIGNS))
    return (
        f"High-risk pregnancy ({signs}). Ask whether her midwife or doctor agrees to "
        f"reflexology before the session. {_pregnancy_reason(a)}"
    )


def _no_oils_reason(a: Answers) -> str:
    parts = []
    if a.get("oil_sensitivity"):
        parts.append(
            "Sensitive to essential oils or fragrance." + _note(a, "oil_sensitivity_details")
        )
    if a.get("nut_allergy"):
        parts.append("Nut or nut-oil allergy." + _note(a, "nut_allergy_details"))
    parts.append(
        "Use no oils (including nut-based carriers such as sweet almond), no scented "
        "products, and an unscented room."
    )
    return " ".join(parts)


RULES: list[Rule] = [
    # --- postpone / refer ---
    Rule(
        code="current_clot",
        tier=Tier.POSTPONE,
        label="Blood clot now",
        told="you have, or may have, a blood clot (DVT, thrombosis or embolism) now",
        reason="Reports a current or suspected blood clot. Published guidance: no reflexology "
        "with a current thrombosis or embolism. Talk to the client; postpone until their doctor "
        "has cleared them.",
        applies=_yes("dvt_current"),
    ),
    Rule(
        code="acute_illness",
        tier=Tier.POSTPONE,
        label="Unwell now",
        told="you have a fever, infection or another illness right now",
        reason=lambda a: (
            "Reports a fever, infection or acute illness."
            + _note(a, "acute_illness_details")
            + " Usually postponed until the client is well."
        ),
        applies=_yes("acute_illness"),
    ),
    Rule(
        code="pregnancy_warning_signs",
        tier=Tier.POSTPONE,
        label="Pregnancy complications",
        told="your pregnancy has complications",
        reason=lambda a: (
            "Pregnant, and reports "
            + ", ".join(_complications(a, WARNING_SIGNS))
            + ". Talk to the client before any session; usually postponed until her midwife or "
            "doctor agrees."
        ),
        applies=lambda a: _pregnant(a) and bool(_complications(a, WARNING_SIGNS)),
    ),
    # --- medical clearance ---
    Rule(
        code="clot_history",
        tier=Tier.CLEARANCE,
        label="Past clot or clotting disorder",
        told="you have had a blood clot, or have a clotting disorder",
        reason=lambda a: (
            "Reports "
            + " and ".join(
                text
                for key, text in [
                    ("dvt_past", "a past DVT or embolism"),
                    ("clotting_disorder", "a clotting disorder"),
                ]
                if a.get(key)
            )
            + ". Ask for confirmation that their doctor agrees; work gently on the legs."
            + _note(a, "circulation_details")
        ),
        applies=lambda a: a.get("dvt_past") is True or a.get("clotting_disorder") is True,
    ),
    Rule(
        code="pregnancy_high_risk",
        tier=Tier.CLEARANCE,
        label="Pregnant",
        told="you are pregnant, with a complication or a high-risk pregnancy",
        reason=_high_risk_reason,
        applies=lambda a: _pregnant(a) and bool(_complications(a, HIGH_RISK_SIGNS)),
    ),
    Rule(
        code="cancer_treatment",
        tier=Tier.CLEARANCE,
        label="Cancer treatment",
        told="you are having cancer treatment",
        reason=lambda a: (
            "In cancer treatment now. Ask for confirmation that their "
            "care team agrees; work gently, and ask about lymph nodes removed or lymphoedema risk."
            + _note(a, "cancer_details")
        ),
        applies=lambda a: a.get("cancer") == "current" and a.get("cancer_treatment") is True,
    ),
    Rule(
        code="heart",
        tier=Tier.CLEARANCE,
        label="Heart condition or pacemaker",
        told="you have a heart condition, a pacemaker or another implanted device",
        reason=lambda a: (
            "Reports "
            + " and ".join(
                text
                for key, text in [
                    ("heart_condition", "a heart condition"),
                    ("pacemaker", "a pacemaker or implant"),
                ]
                if a.get(key)
            )
            + ". Ask for confirmation that their doctor agrees; keep the session gentle."
            + _note(a, "circulation_details")
        ),
        applies=lambda a: a.get("heart_condition") is True or a.get("pacemaker") is True,
    ),
    Rule(
        code="diabetes_uncontrolled",
        tier=Tier.CLEARANCE,
        label="Diabetes, not well controlled",
        told="your diabetes is not well controlled",
        reason="Diabetes the client describes as not well controlled. Ask for confirmation "
        "that their doctor agrees; check the feet for broken skin and use light pressure.",
        applies=lambda a: a.get("diabetes") == "uncontrolled",
    ),
    Rule(
        code="foot_ulcers",
        tier=Tier.CLEARANCE,
        label="Foot or leg ulcers",
        told="you have ulcers on your feet or legs",
        reason="Reports foot or leg ulcers. Ask for confirmation that their doctor agrees, "
        "and do not work on or near an ulcer.",
        applies=_yes("foot_ulcers"),
    ),
    # --- caution ---
    Rule(
        code="pregnancy",
        tier=Tier.CAUTION,
        label="Pregnant",
        told="you are pregnant",
        reason=_pregnancy_reason,
        applies=lambda a: _pregnant(a) and not _complications(a, HIGH_RISK_SIGNS),
    ),
    Rule(
        code="diabetes_neuropathy",
        tier=Tier.CAUTION,
        label="Diabetes or reduced feeling",
        told="you have diabetes, or reduced feeling in your feet or hands",
        reason="Feeling in the feet may be reduced, so the client may not notice too much "
        "pressure: use light pressure and check the skin before and after.",
        applies=lambda a: (
            a.get("diabetes") in ("controlled", "uncontrolled") or a.get("neuropathy") is True
        ),
    ),
    Rule(
        code="epilepsy",
        tier=Tier.CAUTION,
        label="Epilepsy",
        told="you have epilepsy",
        reason=lambda a: (
            "Epilepsy: avoid overstimulation and keep the session calm."
            + _note(a, "epilepsy_details")
        ),
        applies=_yes("epilepsy"),
    ),
    Rule(
        code="blood_thinners",
        tier=Tier.CAUTION,
        label="Blood thinners",
        told="you take blood thinners",
        reason="Takes blood thinners, so may bruise easily: use lighter pressure.",
        applies=_yes("blood_thinners"),
    ),
    Rule(
        code="overstimulation",
        tier=Tier.CAUTION,
        label="Easily overstimulated",
        told="you can be overstimulated or tired by bodywork",
        reason="Sensitive to overstimulation (for example fatigue, migraine or fibromyalgia): "
        "suggest a 30-minute session with lighter work.",
        applies=_yes("overstimulation"),
    ),
    Rule(
        code="varicose_veins",
        tier=Tier.CAUTION,
        label="Varicose veins",
        told="you have varicose veins or phlebitis",
        reason="Varicose veins or phlebitis: no pressure on the affected veins of the legs.",
        applies=_yes("varicose_veins"),
    ),
    Rule(
        code="swollen_ankles",
        tier=Tier.CAUTION,
        label="Swollen ankles or feet",
        told="your ankles or feet often swell",
        reason="Often has swollen ankles or feet: check for pitting oedema before the session "
        "and work gently.",
        applies=_yes("swollen_ankles"),
    ),
    Rule(
        code="skin_products",
        tier=Tier.CAUTION,
        label="Cream or latex reaction",
        told="you have reacted to a cream or lotion, or to latex",
        reason=lambda a: " ".join(
            text
            for key, text in [
                (
                    "cream_reaction",
                    "Has reacted to a cream or lotion." + _note(a, "cream_reaction_details"),
                ),
                ("latex_allergy", "Latex allergy: use latex-free gloves."),
            ]
            if a.get(key)
        ),
        applies=lambda a: a.get("cream_reaction") is True or a.get("latex_allergy") is True,
    ),
    # --- avoid the area ---
    Rule(
        code="wound",
        tier=Tier.AVOID,
        label="Wound or broken skin",
        told="you have a cut, wound or broken skin",
        reason="Open wound or broken skin: do not work on it; cover it or work elsewhere.",
        applies=lambda a: bool(a.get("wound")),
        area=_places("wound"),
    ),
    Rule(
        code="injury",
        tier=Tier.AVOID,
        label="Fracture, sprain or surgery",
        told="you have had a fracture, sprain or surgery in the last 6 months",
        reason=lambda a: (
            "Recent fracture, sprain or surgery: do not work on the area."
            + _note(a, "injury_details")
        ),
        applies=lambda a: bool(a.get("injury")),
        area=_places("injury"),
    ),
    Rule(
        code="verruca",
        tier=Tier.AVOID,
        label="Verruca",
        told="you have a verruca",
        reason="Verruca: avoid it or cover it (contagious).",
        applies=lambda a: bool(a.get("verruca")),
        area=_places("verruca"),
    ),
    Rule(
        code="athletes_foot",
        tier=Tier.AVOID,
        label="Athlete's foot",
        told="you have athlete's foot",
        reason="Athlete's foot: avoid the area or cover it (contagious).",
        applies=lambda a: bool(a.get("athletes_foot")),
        area=_places("athletes_foot"),
    ),
    Rule(
        code="fungal_nails",
        tier=Tier.AVOID,
        label="Fungal nails",
        told="you have a fungal nail infection",
        reason="Fungal nail infection: avoid the nails or cover them (contagious).",
        applies=lambda a: bool(a.get("fungal_nails")),
        area=_places("fungal_nails"),
    ),
    Rule(
        code="gout",
        tier=Tier.AVOID,
        label="Active gout",
        told="you have active gout",
        reason="Active gout: do not work on the affected joint.",
        applies=lambda a: bool(a.get("gout")),
        area=_places("gout"),
    ),
    Rule(
        code="no_touch",
        tier=Tier.AVOID,
        label="No-touch area",
        told="there are areas you do not want touched",
        reason="The client asked that these areas are not touched.",
        applies=lambda a: bool((a.get("no_touch_areas") or "").strip()),
        area=lambda a: (a.get("no_touch_areas") or "").strip(),
    ),
    # --- no oils ---
    Rule(
        code="no_oils",
        tier=Tier.NO_OILS,
        label=NO_OILS_LABEL,
        told="you are sensitive to essential oils, fragrance or nut oils",
        reason=_no_oils_reason,
        applies=lambda a: a.get("oil_sensitivity") is True or a.get("nut_allergy") is True,
    ),
]
# --- what the client reports for one session (sessions.session_flags merges it over the
# answers of their latest health form) ---

# Asked fresh when booking ("Are you unwell right now?"), never taken from the health form:
# a form can be up to 12 months old. The booking's answers use the form's own keys, so the
# "acute_illness" rule above reads them.
ASKED_EACH_SESSION = ("acute_illness", "acute_illness_details")
# The pre-session check's structured choices (every choice ever ticked for the booking: a
# later "no change" answer clears nothing), its details, and an open strong reaction.
SESSION_CHANGES = "session_changes"
SESSION_CHANGE_DETAILS = "session_change_details"
STRONG_REACTION = "strong_reaction"
CHANGE_CHOICES = {
    "new_illness": "A new illness: a fever, an infection or anything contagious",
    "new_injury": "A new injury, sprain, fracture or operation",
    "pregnancy_change": "A change in a pregnancy, or you may be pregnant",
    "new_medication": "A new medication, or a change in one",
    "alcohol_or_drugs": "Alcohol or recreational drugs on the day of the session",
    "other": "Something else",
}


def _reported(choice: str) -> Callable[[Answers], bool]:
    return lambda a: choice in (a.get(SESSION_CHANGES) or [])


def _reported_reason(text: str) -> Callable[[Answers], str]:
    return lambda a: text + _note(a, SESSION_CHANGE_DETAILS)


SESSION_RULES: list[Rule] = [
    Rule(
        code="reported_illness",
        tier=Tier.POSTPONE,
        label="Unwell now",
        told="you have a new illness (a fever, an infection or anything contagious)",
        reason=_reported_reason(
            "Reported a new illness before this session. Usually postponed until the client "
            "is well."
        ),
        applies=_reported("new_illness"),
    ),
    Rule(
        code="reported_injury",
        tier=Tier.POSTPONE,
        label="New injury",
        told="you have a new injury, sprain, fracture or operation",
        reason=_reported_reason(
            "Reported a new injury, sprain, fracture or operation before this session. Talk "
            "to the client about where and when; do not work on the area."
        ),
        applies=_reported("new_injury"),
    ),
    Rule(
        code="reported_pregnancy_change",
        tier=Tier.POSTPONE,
        label="Pregnancy change",
        told="something has changed in a pregnancy",
        reason=_reported_reason(
            "Reported a change in a pregnancy before this session. Talk to the client first, "
            "and ask her to update her health form."
        ),
        applies=_reported("pregnancy_change"),
    ),
    Rule(
        code="alcohol_or_drugs_today",
        tier=Tier.POSTPONE,
        label="Alcohol or drugs on the day",
        told="you will have had alcohol or recreational drugs on the day of your session",
        reason="Reported alcohol or recreational drugs on the day of the session: postpone the "
        "session to another day.",
        applies=_reported("alcohol_or_drugs"),
    ),
    Rule(
        code="strong_reaction",
        tier=Tier.POSTPONE,
        label="Strong reaction after the last session",
        told="you had a strong reaction after your last session",
        reason="Reported a strong reaction at the check-in after their last session with you. "
        "Talk to the client, and record your follow-up on that session's record, before this "
        "session.",
        applies=_yes(STRONG_REACTION),
    ),
    Rule(
        code="reported_medication",
        tier=Tier.CAUTION,
        label="New medication",
        told="you have a new medication, or a change in one",
        reason=_reported_reason(
            "Reported a new or changed medication before this session: ask about it before "
            "you start."
        ),
        applies=_reported("new_medication"),
    ),
    Rule(
        code="reported_other_change",
        tier=Tier.CAUTION,
        label="Other change",
        told="something else has changed since your health form",
        reason=_reported_reason(
            "Reported another change before this session: ask about it before you start."
        ),
        applies=_reported("other"),
    ),
]
ALL_RULES = [*RULES, *SESSION_RULES]
RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
assert len(RULES_BY_CODE) == len(ALL_RULES), "rule codes must be unique"


def flag_for(rule: Rule, answers: Answers) -> dict:
    """The flag dict `rule` raises for `answers` (with_dates applied; whether or not it
    applies)."""
    reason = rule.reason(answers) if callable(rule.reason) else rule.reason
    return {
        "code": rule.code,
        "tier": rule.tier.value,
        "label": rule.label,
        "detail": f"You told us {rule.told}. {TIER_DETAIL[rule.tier]}",
        "reason": reason,
        "area": rule.area(answers) if rule.area else "",
    }


def with_dates(answers: Answers, when: When) -> Answers:
    """`answers` with what depends on the session date worked out for `when.on`: the weeks
    of pregnancy (WEEKS_AT_SESSION) and the client's age (AGE_AT_SESSION), for the rules."""
    born = answers.get("date_of_birth")
    age = None
    if born:
        born = date.fromisoformat(born)
        age = when.on.year - born.year - ((when.on.month, when.on.day) < (born.month, born.day))
    return {**answers, WEEKS_AT_SESSION: pregnancy_weeks(answers, when), AGE_AT_SESSION: age}


def flags_for(answers: Answers, *, signed_on: date, on: date | None = None) -> list[dict]:
    """The flags the intake `answers`, signed on `signed_on`, raise for a session on `on`
    (the signing day when left out), most serious tier first (table order within a tier).
    The dates come from the caller's clock: this module reads none."""
    dated = with_dates(answers, When(signed_on=signed_on, on=on or signed_on))
    flags = [flag_for(rule, dated) for rule in ALL_RULES if rule.applies(dated)]
    return by_tier(flags)


def for_session(answers: Answers, session_answers: Answers, *, strong_reaction: bool) -> Answers:
    """The answers one session is scored on: the health form's `answers` without those asked
    fresh for each session (ASKED_EACH_SESSION), with the session's own answers over them and
    whether a strong reaction waits for the practitioner's follow-up."""
    kept = {key: value for key, value in answers.items() if key not in ASKED_EACH_SESSION}
    return {**kept, **session_answers, STRONG_REACTION: strong_reaction}


def codes(flags: Iterable[dict]) -> set[str]:
    """The codes of `flags`."""
    return {flag["code"] for flag in flags}


def by_tier(flags: Iterable[dict]) -> list[dict]:
    """`flags` most serious tier first, in their own order within a tier."""
    return sorted(flags, key=lambda flag: TIER_ORDER[flag["tier"]])


def of_tier(flags: Iterable[dict], tier: Tier) -> list[dict]:
    """Those of `flags` (as stored on an intake or a booking) that are of `tier`."""
    return [flag for flag in flags if flag.get("tier") == tier]


def has_tier(flags: Iterable[dict], tier: Tier) -> bool:
    """Whether any of `flags` is of `tier`."""
    return bool(of_tier(flags, tier))
