"""Safety rules: one table mapping intake answers to flags for the practitioner to act on.

Reflexology is complementary: a flag informs the client and the practitioner, and the
practitioner decides. Nothing here refuses a booking on its own, and the words are plain and
non-diagnostic. Tiers, most serious first:

- postpone: the practitioner must talk to the client first; the booking stays a request until
  they record a decision (sessions.booking);
- clearance: the client confirms they have talked to their doctor or midwife when booking;
- caution: shown to the practitioner with the reason (lighter, shorter, gentler);
- avoid: an area not to work, with the area;
- avoid_oils: named oils (and their plant family) or nut-based carriers not to use, with the
  oils in the flag (`oils`, `families`, keys of sessions.oils);
- no_oils: no oils, creams or scented products ("No oils / unscented"), for the clients who
  ask for nothing on their skin or react to fragrance in general.

A flag is a dict: {"code", "tier", "label", "detail" (for the client), "reason" (for the
practitioner), "area", "urgent" (urgent-care words for the client, or "")}. Sources:
../shared/domain/reflexology.md sections 2 and 6.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sessions import oils
from sessions.reflex_map import WHOLE, place_label

Answers = dict


class Tier(StrEnum):
    """A flag's tier, most serious first: the order flags are listed in. Stored flags hold
    the value as a plain string, which compares equal to the member."""

    POSTPONE = "postpone"
    CLEARANCE = "clearance"
    CAUTION = "caution"
    AVOID = "avoid"
    AVOID_OILS = "avoid_oils"
    NO_OILS = "no_oils"


TIER_NAMES = {
    Tier.POSTPONE: "Talk first",
    Tier.CLEARANCE: "Medical clearance",
    Tier.CAUTION: "Caution",
    Tier.AVOID: "Avoid area",
    Tier.AVOID_OILS: "Avoid oils",
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
    Tier.AVOID_OILS: (
        "Your practitioner will not use these, or products made with them, and will check "
        "the ingredients of any balm or cream they use."
    ),
    Tier.NO_OILS: "Your practitioner will not use oils, creams or scented products on you.",
}

WARNING_SIGNS = {
    "bleeding": "bleeding",
    "pre_eclampsia": "pre-eclampsia",
    "placenta_praevia": "placenta praevia",
    "preterm_labour": "pre-term labour risk",
    "pain": "pain in this pregnancy",
}
# A past miscarriage is not among them: it is never called "high-risk" (see _pregnancy_reason).
HIGH_RISK_SIGNS = {
    **WARNING_SIGNS,
    "high_risk": "called high-risk by the midwife or doctor",
}
# Warning signs in pregnancy that send the client to their doctor or midwife today.
URGENT_PREGNANCY_SIGNS = ("bleeding", "pain")
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
FIRST_TRIMESTER_WEEKS = 12  # completed weeks: under 13 weeks at the session
TERM_WEEKS = 37  # from here, no reflexology "to bring on labour"
ADULT_AGE = 18
OLDER_AGE = 75
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
    # More keys of the flag, e.g. the oils an avoid_oils flag names.
    extra: Callable[[Answers], dict] | None = None
    # Urgent-care words for the client (URGENT_TODAY, URGENT_EMERGENCY), shown prominently.
    urgent: str | Callable[[Answers], str] = ""


# --- small readers over the answers dict ---


def _yes(name: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(name) is True


def _note(a: Answers, name: str) -> str:
    text = (a.get(name) or "").strip()
    return f" Client's note: “{text}”." if text else ""


# Where an avoid-area answer is: the intake's location keys as (side, map).
LOCATION_PLACES = {
    "left_foot": ("L", "foot"),
    "right_foot": ("R", "foot"),
    "left_hand": ("L", "hand"),
    "right_hand": ("R", "hand"),
}
# The yes/no questions whose answer may lie on a foot or hand, asked just after them: which
# feet or hands ("<name>_locations"), then where on them, as the avoid-area questions are.
LOCATED_YES_NO = ("varicose_veins", "recent_surgery")
# The avoid-area questions that also ask where on the foot or hand ("<name>_zones": keys
# "foot:heel", "hand:wrist" or "<map>:whole"), and those always in one part (the nails).
ZONED = ("verruca", "athletes_foot", "wound", "injury", *LOCATED_YES_NO)
FIXED_PART = {"fungal_nails": {"foot": "toes", "hand": "fingers"}}


def zones_key(name: str) -> str:
    """The answer naming the parts of the foot or hand for the question `name`."""
    return f"{name}_zones"


def locations_key(name: str) -> str:
    """The answer naming the feet or hands for the question `name`: the question itself for
    the avoid-area ones ("Verruca": left foot), a follow-up for a yes/no (LOCATED_YES_NO)."""
    return f"{name}_locations" if name in LOCATED_YES_NO else name


def places_in(a: Answers, name: str) -> list[dict]:
    """The places an avoid-area answer names, as flags store them: [{"map": "foot", "side":
    "L", "part": "heel"}]. A foot or hand ticked with no part of it named (answers from
    before the parts were asked, or "the whole foot") is the whole of it; naming the whole
    and a part is the whole."""
    places = []
    for location in a.get(locations_key(name)) or []:
        if location not in LOCATION_PLACES:
            continue
        side, map_name = LOCATION_PLACES[location]
        if name in FIXED_PART:
            parts = [FIXED_PART[name][map_name]]
        else:
            named = [
                zone.partition(":")[2]
                for zone in a.get(zones_key(name)) or []
                if zone.partition(":")[0] == map_name
            ]
            parts = [WHOLE] if not named or WHOLE in named else named
        places += [{"map": map_name, "side": side, "part": part} for part in parts]
    return places


def places_text(places: list[dict]) -> str:
    """Places in words: "Left heel, right toes"."""
    text = ", ".join(place_label(p["map"], p["side"], p["part"]) for p in places)
    return text[:1].upper() + text[1:]


def _zoned_area(name: str) -> Callable[[Answers], str]:
    return lambda a: places_text(places_in(a, name))


def _zoned_places(name: str) -> Callable[[Answers], dict]:
    return lambda a: {"places": places_in(a, name)}


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


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day` of someone born on `born`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_at(a: Answers, day: date) -> int | None:
    """The client's age on `day`, from the date of birth they gave (None without one)."""
    born = a.get("date_of_birth")
    return age_on(date.fromisoformat(born), day) if born else None


def is_minor(age: int | None) -> bool:
    """Under 18: a parent or guardian signs and is present, the shortest session, no oils."""
    return age is not None and age < ADULT_AGE


def pregnancy_weeks(a: Answers, when: When) -> int | None:
    """Completed weeks of pregnancy on the session date `when.on`: from the due date when
    given, else the weeks given on signing plus the weeks since."""
    if a.get("due_date"):
        due = date.fromisoformat(a["due_date"])
        return max(FULL_TERM_WEEKS - -(-(due - when.on) // timedelta(weeks=1)), 0)
    if a.get("pregnancy_weeks"):
        return int(a["pregnancy_weeks"]) + (when.on - when.signed_on) // timedelta(weeks=1)
    return None


def _first_trimester(a: Answers) -> bool:
    """Pregnant and under 13 weeks on the session date."""
    weeks = a.get(WEEKS_AT_SESSION)
    return _pregnant(a) and weeks is not None and weeks <= FIRST_TRIMESTER_WEEKS


def _past_miscarriage(a: Answers) -> bool:
    return "past_miscarriage" in (a.get("pregnancy_complications") or [])


def _pregnancy_reason(a: Answers) -> str:
    weeks = a.get(WEEKS_AT_SESSION)
    stage = f"About {weeks} weeks pregnant on the day of the session." if weeks else "Pregnant."
    if _first_trimester(a):
        stage += (
            " First 12 weeks: many practitioners wait until after 12 weeks; if you go ahead, "
            "work gently and treat the uterine and ovarian reflexes lightly or not at all."
        )
    else:
        stage += " Work gently; treat the uterine and ovarian reflexes lightly."
    if weeks is not None and weeks >= TERM_WEEKS:
        stage += (
            " 37 weeks or more: reflexology has no evidence for inducing labour, so do not "
            "offer or describe the session as a way to bring labour on."
        )
    if _past_miscarriage(a):
        stage += (
            " She has had a miscarriage in the past: work especially gently, and check how she "
            "feels as you go."
        )
    if a.get("midwife_aware") is False:
        stage += " Her midwife or doctor does not know about reflexology yet."
    return stage


def _pregnancy_urgent(a: Answers) -> str:
    complications = a.get("pregnancy_complications") or []
    return URGENT_TODAY if any(sign in complications for sign in URGENT_PREGNANCY_SIGNS) else ""


def _age(a: Answers) -> int | None:
    return a.get(AGE_AT_SESSION)


def _high_risk_reason(a: Answers) -> str:
    signs = ", ".join(_complications(a, HIGH_RISK_SIGNS))
    return (
        f"High-risk pregnancy ({signs}). Ask whether her midwife or doctor agrees to "
        f"reflexology before the session. {_pregnancy_reason(a)}"
    )


def _sensitive_to(a: Answers) -> list[oils.Oil]:
    """The essential oils the client names as ones they react to."""
    if a.get("oil_sensitivity") is not True:
        return []
    return [oil for oil in oils.named_in(a.get("oil_sensitivity_details")) if not oil.carrier]


def _no_oils(a: Answers) -> bool:
    """Nothing on the skin, or a sensitivity to oils or fragrance in general (or to oils the
    list does not know): no oils or scented products at all."""
    if a.get("skin_product") == "none":
        return True
    if a.get("oil_sensitivity") is not True:
        return False
    return not _sensitive_to(a) or oils.in_general(a.get("oil_sensitivity_details"))


def _avoided_oils(a: Answers) -> dict:
    named = _sensitive_to(a)
    return {
        "oils": [oil.name for oil in named],
        "families": list(dict.fromkeys(oil.family for oil in named)),
    }


def _avoid_oils_reason(a: Answers) -> str:
    avoided = _avoided_oils(a)
    relatives = [
        oil.name
        for oil in oils.ESSENTIAL_OILS
        if oil.family in avoided["families"] and oil.name not in avoided["oils"]
    ]
    families = " and ".join(oils.family_names(avoided["families"]))
    return (
        f"Sensitive to {', '.join(avoided['oils'])}.{_note(a, 'oil_sensitivity_details')} "
        f"Do not use {'it' if len(avoided['oils']) == 1 else 'them'}, nor other oils of the "
        f"same plant family, {families}"
        + (f": {', '.join(relatives)}." if relatives else ".")
        + " Unscented products are fine; the record check refuses these oils."
    )


def _no_oils_reason(a: Answers) -> str:
    parts = []
    if a.get("skin_product") == "none":
        parts.append("Asked for nothing on their skin.")
    if a.get("oil_sensitivity"):
        parts.append(
            "Sensitive to essential oils or fragrance in general."
            + _note(a, "oil_sensitivity_details")
        )
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
        urgent=f"{URGENT_TODAY} {URGENT_EMERGENCY}",
    ),
    Rule(
        code="chest_pain",
        tier=Tier.POSTPONE,
        label="Chest pain or breathlessness now",
        told="you have chest pain or breathlessness now",
        reason="Reports chest pain or breathlessness now. Do not go ahead: talk to the client "
        "and postpone until their doctor has seen them.",
        applies=_yes("chest_pain"),
        urgent=f"{URGENT_EMERGENCY} {URGENT_TODAY}",
    ),
    Rule(
        code="phlebitis",
        tier=Tier.POSTPONE,
        label="Phlebitis",
        told="you have phlebitis (an inflamed vein) now",
        reason="Reports phlebitis now. Published guidance: no reflexology on the legs with an "
        "inflamed vein. Talk to the client; postpone until their doctor says it has settled.",
        applies=_yes("phlebitis"),
    ),
    Rule(
        code="leg_swelling",
        tier=Tier.POSTPONE,
        label="New or painful swelling of one leg",
        told="one of your legs or ankles is swollen, and the swelling is new or painful",
        reason="Reports swelling of a leg or ankle that is one-sided, new or painful, which can "
        "be a sign of a clot. Talk to the client; postpone until their doctor has checked it.",
        applies=_yes("leg_swelling"),
        urgent=URGENT_TODAY,
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
        urgent=_pregnancy_urgent,
    ),
    Rule(
        code="pregnancy_first_trimester",
        tier=Tier.POSTPONE,
        label="Pregnant, under 13 weeks",
        told="you will be less than 13 weeks pregnant on the day of your session",
        reason=lambda a: (
            "Under 13 weeks pregnant at the session: never confirmed automatically. Talk to "
            "the client and record your decision."
            + (
                " With a past miscarriage, the usual advice is to wait until after 12 weeks."
                if _past_miscarriage(a)
                else ""
            )
            + " "
            + _pregnancy_reason(a)
        ),
        applies=_first_trimester,
    ),
    Rule(
        code="ivf_cycle",
        tier=Tier.POSTPONE,
        label="IVF cycle in progress",
        told="you are in an IVF or fertility-treatment cycle now",
        reason="In an IVF or fertility-treatment cycle now. Talk to the client first, and ask "
        "whether their fertility clinic agrees to reflexology at this stage of the cycle.",
        applies=lambda a: a.get("pregnancy") == "ivf_cycle",
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
    Rule(
        code="recent_surgery",
        tier=Tier.CLEARANCE,
        label="Surgery in the last 6 weeks",
        told="you have had surgery in the last 6 weeks",
        reason=lambda a: (
            "Had surgery in the last 6 weeks. Ask for confirmation that their surgeon or doctor "
            "agrees; work gently, and not near the operation site." + _note(a, "surgery_details")
        ),
        applies=_yes("recent_surgery"),
    ),
    Rule(
        code="unexplained_pain_or_lump",
        tier=Tier.CLEARANCE,
        label="Pain or a lump not yet checked",
        told="you have pain or a lump that a doctor has not yet checked",
        reason=lambda a: (
            "Has pain or a lump that no doctor has checked yet. Ask them to see their doctor "
            "first and confirm the doctor agrees to reflexology; do not comment on what it "
            "might be." + _note(a, "unexplained_details")
        ),
        applies=_yes("unexplained_pain_or_lump"),
    ),
    # --- caution ---
    Rule(
        code="pregnancy",
        tier=Tier.CAUTION,
        label="Pregnant",
        told="you are pregnant",
        reason=_pregnancy_reason,
        applies=lambda a: (
            _pregnant(a) and not _complications(a, HIGH_RISK_SIGNS) and not _first_trimester(a)
        ),
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
            "Epilepsy: avoid overstimulation, keep the session calm, and use no essential "
            "oils that may lower the seizure threshold." + _note(a, "epilepsy_details")
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
        told="you have varicose veins",
        reason="Varicose veins: no pressure on the affected veins of the legs.",
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
        code="blood_pressure",
        tier=Tier.CAUTION,
        label="High or low blood pressure",
        told="your blood pressure is high or low",
        reason=lambda a: (
            f"Blood pressure {'high' if a.get('blood_pressure') == 'high' else 'low'}: work "
            "lighter and slower, and at the end let the client sit up and stand slowly (they "
            "may feel dizzy)."
        ),
        applies=lambda a: a.get("blood_pressure") in ("high", "low"),
    ),
    Rule(
        code="cancer_not_in_treatment",
        tier=Tier.CAUTION,
        label="Cancer, not in treatment now",
        told="you have had cancer, and are not having treatment now",
        reason=lambda a: (
            "Has had cancer and is not in treatment now: use light pressure, and ask whether "
            "their care team has given any advice." + _note(a, "cancer_details")
        ),
        applies=lambda a: (
            a.get("cancer") == "past"
            or (a.get("cancer") == "current" and a.get("cancer_treatment") is False)
        ),
    ),
    Rule(
        code="lymph_nodes_removed",
        tier=Tier.CAUTION,
        label="Lymph nodes removed",
        told="you have had lymph nodes removed",
        reason="Has had lymph nodes removed: use light pressure, and no pressure on the "
        "affected arm or leg (risk of lymphoedema). Ask which side.",
        applies=_yes("lymph_nodes_removed"),
    ),
    Rule(
        code="osteoporosis",
        tier=Tier.CAUTION,
        label="Osteoporosis",
        told="you have osteoporosis (thinning bones)",
        reason="Osteoporosis: bones may break more easily. Use light pressure, and no strong "
        "stretches or twists of the feet, ankles or hands.",
        applies=_yes("osteoporosis"),
    ),
    Rule(
        code="stones",
        tier=Tier.CAUTION,
        label="Gall or kidney stones",
        told="you have gallstones or kidney stones",
        reason="Gall or kidney stones: work the gallbladder and kidney reflex areas lightly "
        "and briefly, and stop if the client feels discomfort.",
        applies=_yes("stones"),
    ),
    Rule(
        code="mental_health",
        tier=Tier.CAUTION,
        label="Mental health",
        told="you have a mental-health condition you would like your practitioner to know about",
        reason=lambda a: (
            "The client has shared that they live with a mental-health condition. Ask what "
            "helps them feel at ease (for example a quieter session, knowing what comes next, "
            "or a pause), and remind them they can stop at any time."
            + _note(a, "mental_health_details")
        ),
        applies=_yes("mental_health"),
    ),
    Rule(
        code="under_18",
        tier=Tier.CAUTION,
        label="Under 18",
        told="your date of birth: you will be under 18 on the day of your session, so a parent "
        "or guardian must come with you",
        reason=lambda a: (
            f"Under 18 on the day of the session (age {_age(a)}). A parent or guardian "
            + (f"({a['guardian_name']}) " if (a.get("guardian_name") or "").strip() else "")
            + "signed the form and must be present for the whole session. Keep to the "
            "shortest session and use no essential oils."
        ),
        applies=lambda a: is_minor(_age(a)),
    ),
    Rule(
        code="older_or_frail",
        tier=Tier.CAUTION,
        label="75 or over, or frail",
        told="you are 75 or over, or you feel frail",
        reason=lambda a: (
            " and ".join(
                text
                for applies, text in [
                    ((_age(a) or 0) >= OLDER_AGE, f"{_age(a)} years old on the day"),
                    (a.get("frail") is True, "describes themselves as frail"),
                ]
                if applies
            ).capitalize()
            + ": use lighter pressure and offer a shorter session."
        ),
        applies=lambda a: (_age(a) or 0) >= OLDER_AGE or a.get("frail") is True,
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
        area=_zoned_area("wound"),
        extra=_zoned_places("wound"),
    ),
    Rule(
        code="foot_ulcer_area",
        tier=Tier.AVOID,
        label="Ulcer",
        told="you have ulcers on your feet or legs",
        reason="Ulcer: do not work on or near it; cover it and work elsewhere.",
        applies=_yes("foot_ulcers"),
        area=lambda a: (a.get("foot_ulcers_where") or "").strip() or "Where the ulcer is",
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
        area=_zoned_area("injury"),
        extra=_zoned_places("injury"),
    ),
    Rule(
        code="verruca",
        tier=Tier.AVOID,
        label="Verruca",
        told="you have a verruca",
        reason="Verruca: avoid it or cover it (contagious).",
        applies=lambda a: bool(a.get("verruca")),
        area=_zoned_area("verruca"),
        extra=_zoned_places("verruca"),
    ),
    Rule(
        code="athletes_foot",
        tier=Tier.AVOID,
        label="Athlete's foot",
        told="you have athlete's foot",
        reason="Athlete's foot: avoid the area or cover it (contagious).",
        applies=lambda a: bool(a.get("athletes_foot")),
        area=_zoned_area("athletes_foot"),
        extra=_zoned_places("athletes_foot"),
    ),
    Rule(
        code="fungal_nails",
        tier=Tier.AVOID,
        label="Fungal nails",
        told="you have a fungal nail infection",
        reason="Fungal nail infection: avoid the nails or cover them (contagious).",
        applies=lambda a: bool(a.get("fungal_nails")),
        area=_zoned_area("fungal_nails"),
        extra=_zoned_places("fungal_nails"),
    ),
    Rule(
        code="gout",
        tier=Tier.AVOID,
        label="Active gout",
        told="you have active gout",
        reason="Active gout: do not work on the affected joint.",
        applies=lambda a: bool(a.get("gout")),
        area=_zoned_area("gout"),
        extra=_zoned_places("gout"),
    ),
    # Answered yes and placed on a foot or hand: avoid that place too (an answer from before
    # the place was asked names none, and raises only the clearance or caution flag).
    Rule(
        code="recent_surgery_area",
        tier=Tier.AVOID,
        label="Recent surgery",
        told="you have had surgery on your feet or hands in the last 6 weeks",
        reason=lambda a: (
            "Surgery in the last 6 weeks on the foot or hand: do not work on or near the "
            "operation site." + _note(a, "surgery_details")
        ),
        applies=lambda a: a.get("recent_surgery") is True and bool(places_in(a, "recent_surgery")),
        area=_zoned_area("recent_surgery"),
        extra=_zoned_places("recent_surgery"),
    ),
    Rule(
        code="varicose_veins_area",
        tier=Tier.AVOID,
        label="Varicose veins",
        told="you have varicose veins on your feet or hands",
        reason="Varicose veins: no pressure on the affected veins; work around them.",
        applies=lambda a: a.get("varicose_veins") is True and bool(places_in(a, "varicose_veins")),
        area=_zoned_area("varicose_veins"),
        extra=_zoned_places("varicose_veins"),
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
    # --- avoid oils ---
    Rule(
        code="avoid_oils",
        tier=Tier.AVOID_OILS,
        label="Oil sensitivity",
        told="you react to particular essential oils",
        reason=_avoid_oils_reason,
        applies=lambda a: bool(_sensitive_to(a)),
        extra=_avoided_oils,
    ),
    Rule(
        code="nut_allergy",
        tier=Tier.AVOID_OILS,
        label="Nut allergy",
        told="you are allergic to nuts or nut oils",
        reason=lambda a: (
            "Nut or nut-oil allergy."
            + _note(a, "nut_allergy_details")
            + " Use no nut-based carriers ("
            + ", ".join(oil.name for oil in oils.NUT_CARRIERS)
            + "), and check the ingredients of any balm or cream before you use it: the "
            "record asks you to confirm."
        ),
        applies=_yes("nut_allergy"),
    ),
    # --- no oils (keep last) ---
    Rule(
        code="no_oils",
        tier=Tier.NO_OILS,
        label=NO_OILS_LABEL,
        told=(
            "you would like nothing on your skin, or you react to essential oils or "
            "fragrance in general"
        ),
        reason=_no_oils_reason,
        applies=_no_oils,
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
    "pregnancy_bleeding_or_pain": "Bleeding or pain in a pregnancy",
    "chest_or_leg": "Chest pain, breathlessness, or a painful or swollen calf or leg",
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
        code="reported_pregnancy_bleeding_or_pain",
        tier=Tier.POSTPONE,
        label="Bleeding or pain in pregnancy",
        told="you have bleeding or pain in a pregnancy",
        reason=_reported_reason(
            "Reported bleeding or pain in a pregnancy before this session. Do not go ahead; "
            "she has been told to contact her doctor or midwife today."
        ),
        applies=_reported("pregnancy_bleeding_or_pain"),
        urgent=URGENT_TODAY,
    ),
    Rule(
        code="reported_chest_or_leg",
        tier=Tier.POSTPONE,
        label="Chest pain, breathlessness or a swollen leg",
        told="you have chest pain, breathlessness, or a painful or swollen calf or leg",
        reason=_reported_reason(
            "Reported chest pain, breathlessness or a painful or swollen leg before this "
            "session (possible signs of a clot). Do not go ahead; the client has been told to "
            "contact their doctor today, or emergency services for chest pain or "
            "breathlessness."
        ),
        applies=_reported("chest_or_leg"),
        urgent=f"{URGENT_TODAY} {URGENT_EMERGENCY}",
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
        **(rule.extra(answers) if rule.extra else {}),
        "urgent": rule.urgent(answers) if callable(rule.urgent) else rule.urgent,
    }


def with_dates(answers: Answers, when: When) -> Answers:
    """`answers` with what depends on the session date worked out for `when.on`: the weeks
    of pregnancy (WEEKS_AT_SESSION) and the client's age (AGE_AT_SESSION), for the rules."""
    return {
        **answers,
        WEEKS_AT_SESSION: pregnancy_weeks(answers, when),
        AGE_AT_SESSION: age_at(answers, when.on),
    }


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
