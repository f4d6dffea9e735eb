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
from importlib import import_module

from reflexbook.lib.translation import gettext as _
from reflexbook.lib.translation import gettext_lazy, ngettext
from sessions import oils
from sessions.reflex_map import WHOLE, place_label

Answers = dict


def gettext_noop(message: str) -> str:
    """Marks `message` for makemessages and returns it as it is: English kept in stored flags
    and constants, translated where it is shown (flag_words, the safety_flags tags)."""
    return message


def _in_english():
    """Django's translation.override("en"), loaded when called: this module imports no Django
    (the pure-modules contract; reflexbook.lib.translation does the same)."""
    return import_module("django.utils.translation").override("en")


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
    Tier.POSTPONE: gettext_lazy("Talk first"),
    Tier.CLEARANCE: gettext_lazy("Medical clearance"),
    Tier.CAUTION: gettext_lazy("Caution"),
    Tier.AVOID: gettext_lazy("Avoid area"),
    Tier.AVOID_OILS: gettext_lazy("Avoid oils"),
    Tier.NO_OILS: gettext_lazy("No oils"),
}
TIERS = list(TIER_NAMES.items())
# The words below that other modules and stored flags use as plain text are marked with
# gettext_noop: they stay English where they are kept, and are translated where they are shown
# (flag_words, the safety_flags template tags).
NO_OILS_LABEL = gettext_noop("No oils / unscented")
TIER_ORDER = {tier: position for position, tier in enumerate(Tier)}

# What each tier means for the client, after "You told us ...".
TIER_DETAIL = {
    Tier.POSTPONE: gettext_lazy(
        "Your practitioner will want to talk with you before your session. Your booking stays "
        "a request until they have, and they may suggest waiting until you are well or your "
        "doctor or midwife agrees."
    ),
    Tier.CLEARANCE: gettext_lazy(
        "Please talk to your doctor or midwife about having reflexology before your session. "
        "When you book, you will be asked to confirm you have done so, and you can upload a "
        "note from them if you have one."
    ),
    Tier.CAUTION: gettext_lazy(
        "Your practitioner will take this into account, for example with lighter pressure or "
        "a shorter session."
    ),
    Tier.AVOID: gettext_lazy(
        "Your practitioner will not work on this area. They may work around it or cover it, or "
        "work your hands or other foot instead."
    ),
    Tier.AVOID_OILS: gettext_lazy(
        "Your practitioner will not use these, or products made with them, and will check "
        "the ingredients of any balm or cream they use."
    ),
    Tier.NO_OILS: gettext_lazy(
        "Your practitioner will not use oils, creams or scented products on you."
    ),
}

WARNING_SIGNS = {
    "bleeding": gettext_lazy("bleeding"),
    "pre_eclampsia": gettext_lazy("pre-eclampsia"),
    "placenta_praevia": gettext_lazy("placenta praevia"),
    "preterm_labour": gettext_lazy("pre-term labour risk"),
    "pain": gettext_lazy("pain in this pregnancy"),
}
# A past miscarriage is not among them: it is never called "high-risk" (see _pregnancy_reason).
HIGH_RISK_SIGNS = {
    **WARNING_SIGNS,
    "high_risk": gettext_lazy("called high-risk by the midwife or doctor"),
}
# Warning signs in pregnancy that send the client to their doctor or midwife today.
URGENT_PREGNANCY_SIGNS = ("bleeding", "pain")
# Urgent-care words (reflexology.md section 6): shown with the flags that need them, and
# after a session with the warning signs to look out for.
URGENT_TODAY = gettext_noop("Please contact your doctor or midwife today.")
URGENT_EMERGENCY = gettext_noop(
    "If you have chest pain or are short of breath, call emergency services (911 in the US, "
    "999 in the UK, 112 in Europe) now."
)
WARNING_SIGNS_AFTER_SESSION = [
    gettext_noop("pain, warmth or swelling in a calf or leg"),
    gettext_noop("chest pain"),
    gettext_noop("breathlessness"),
    gettext_noop("hives, or swelling of the lips, face or tongue"),
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
    # label, told and a reason or urgent words that are plain text: English marked with
    # gettext_noop (stored as they are, translated when shown: flag_words).
    label: str
    told: str  # "You told us ...", for the client
    reason: str | Callable[[Answers], str]  # for the practitioner
    applies: Callable[[Answers], bool]
    area: Callable[[Answers], str] | None = None
    # More keys of the flag, e.g. the oils an avoid_oils flag names.
    extra: Callable[[Answers], dict] | None = None
    # Urgent-care words for the client (URGENT_TODAY, URGENT_EMERGENCY), shown prominently:
    # the sentences, in order.
    urgent: tuple[str, ...] | Callable[[Answers], tuple[str, ...]] = ()


# --- small readers over the answers dict ---


def _yes(name: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(name) is True


def _note(a: Answers, name: str) -> str:
    """The client's own words on `name`, quoted, after a space (or "")."""
    text = (a.get(name) or "").strip()
    return " " + _("Client's note: “%(note)s”.") % {"note": text} if text else ""


def _and(items: Iterable[str]) -> str:
    """`items` joined by "and": "a and b and c"."""
    return oils.and_join(list(items))


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
    stage = [
        _("About %(weeks)s weeks pregnant on the day of the session.") % {"weeks": weeks}
        if weeks
        else _("Pregnant.")
    ]
    if _first_trimester(a):
        stage.append(
            _(
                "First 12 weeks: many practitioners wait until after 12 weeks; if you go ahead, "
                "work gently and treat the uterine and ovarian reflexes lightly or not at all."
            )
        )
    else:
        stage.append(_("Work gently; treat the uterine and ovarian reflexes lightly."))
    if weeks is not None and weeks >= TERM_WEEKS:
        stage.append(
            _(
                "37 weeks or more: reflexology has no evidence for inducing labour, so do not "
                "offer or describe the session as a way to bring labour on."
            )
        )
    if _past_miscarriage(a):
        stage.append(
            _(
                "She has had a miscarriage in the past: work especially gently, and check how "
                "she feels as you go."
            )
        )
    if a.get("midwife_aware") is False:
        stage.append(_("Her midwife or doctor does not know about reflexology yet."))
    return " ".join(stage)


def _pregnancy_urgent(a: Answers) -> tuple[str, ...]:
    complications = a.get("pregnancy_complications") or []
    return (URGENT_TODAY,) if any(sign in complications for sign in URGENT_PREGNANCY_SIGNS) else ()


def _age(a: Answers) -> int | None:
    return a.get(AGE_AT_SESSION)


def _high_risk_reason(a: Answers) -> str:
    signs = ", ".join(str(sign) for sign in _complications(a, HIGH_RISK_SIGNS))
    return (
        _(
            "High-risk pregnancy (%(signs)s). Ask whether her midwife or doctor agrees to "
            "reflexology before the session."
        )
        % {"signs": signs}
        + " "
        + _pregnancy_reason(a)
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
    count = len(avoided["oils"])
    words = {
        "families": _and(oils.family_names(avoided["families"])),
        "relatives": ", ".join(relatives),
    }
    if relatives:
        do_not_use = ngettext(
            "Do not use it, nor other oils of the same plant family, %(families)s: %(relatives)s.",
            "Do not use them, nor other oils of the same plant family, %(families)s: "
            "%(relatives)s.",
            count,
        )
    else:
        do_not_use = ngettext(
            "Do not use it, nor other oils of the same plant family, %(families)s.",
            "Do not use them, nor other oils of the same plant family, %(families)s.",
            count,
        )
    return " ".join(
        [
            _("Sensitive to %(oils)s.") % {"oils": ", ".join(avoided["oils"])}
            + _note(a, "oil_sensitivity_details"),
            do_not_use % words,
            _("Unscented products are fine; the record check refuses these oils."),
        ]
    )


def _no_oils_reason(a: Answers) -> str:
    parts = []
    if a.get("skin_product") == "none":
        parts.append(_("Asked for nothing on their skin."))
    if a.get("oil_sensitivity"):
        parts.append(
            _("Sensitive to essential oils or fragrance in general.")
            + _note(a, "oil_sensitivity_details")
        )
    parts.append(
        _(
            "Use no oils (including nut-based carriers such as sweet almond), no scented "
            "products, and an unscented room."
        )
    )
    return " ".join(parts)


RULES: list[Rule] = [
    # --- postpone / refer ---
    Rule(
        code="current_clot",
        tier=Tier.POSTPONE,
        label=gettext_noop("Blood clot now"),
        told=gettext_noop(
            "You told us you have, or may have, a blood clot (DVT, thrombosis or embolism) now."
        ),
        reason=gettext_noop(
            "Reports a current or suspected blood clot. Published guidance: no reflexology "
            "with a current thrombosis or embolism. Talk to the client; postpone until their doctor "
            "has cleared them."
        ),
        applies=_yes("dvt_current"),
        urgent=(URGENT_TODAY, URGENT_EMERGENCY),
    ),
    Rule(
        code="chest_pain",
        tier=Tier.POSTPONE,
        label=gettext_noop("Chest pain or breathlessness now"),
        told=gettext_noop("You told us you have chest pain or breathlessness now."),
        reason=gettext_noop(
            "Reports chest pain or breathlessness now. Do not go ahead: talk to the client "
            "and postpone until their doctor has seen them."
        ),
        applies=_yes("chest_pain"),
        urgent=(URGENT_EMERGENCY, URGENT_TODAY),
    ),
    Rule(
        code="phlebitis",
        tier=Tier.POSTPONE,
        label=gettext_noop("Phlebitis"),
        told=gettext_noop("You told us you have phlebitis (an inflamed vein) now."),
        reason=gettext_noop(
            "Reports phlebitis now. Published guidance: no reflexology on the legs with an "
            "inflamed vein. Talk to the client; postpone until their doctor says it has settled."
        ),
        applies=_yes("phlebitis"),
    ),
    Rule(
        code="leg_swelling",
        tier=Tier.POSTPONE,
        label=gettext_noop("New or painful swelling of one leg"),
        told=gettext_noop(
            "You told us one of your legs or ankles is swollen, and the swelling is new or painful."
        ),
        reason=gettext_noop(
            "Reports swelling of a leg or ankle that is one-sided, new or painful, which can "
            "be a sign of a clot. Talk to the client; postpone until their doctor has checked it."
        ),
        applies=_yes("leg_swelling"),
        urgent=(URGENT_TODAY,),
    ),
    Rule(
        code="acute_illness",
        tier=Tier.POSTPONE,
        label=gettext_noop("Unwell now"),
        told=gettext_noop("You told us you have a fever, infection or another illness right now."),
        reason=lambda a: (
            _("Reports a fever, infection or acute illness.")
            + _note(a, "acute_illness_details")
            + " "
            + _("Usually postponed until the client is well.")
        ),
        applies=_yes("acute_illness"),
    ),
    Rule(
        code="pregnancy_warning_signs",
        tier=Tier.POSTPONE,
        label=gettext_noop("Pregnancy complications"),
        told=gettext_noop("You told us your pregnancy has complications."),
        reason=lambda a: (
            _(
                "Pregnant, and reports %(signs)s. Talk to the client before any session; "
                "usually postponed until her midwife or doctor agrees."
            )
            % {"signs": ", ".join(str(sign) for sign in _complications(a, WARNING_SIGNS))}
        ),
        applies=lambda a: _pregnant(a) and bool(_complications(a, WARNING_SIGNS)),
        urgent=_pregnancy_urgent,
    ),
    Rule(
        code="pregnancy_first_trimester",
        tier=Tier.POSTPONE,
        label=gettext_noop("Pregnant, under 13 weeks"),
        told=gettext_noop(
            "You told us you will be less than 13 weeks pregnant on the day of your session."
        ),
        reason=lambda a: (
            _(
                "Under 13 weeks pregnant at the session: never confirmed automatically. Talk to "
                "the client and record your decision."
            )
            + (
                " "
                + _("With a past miscarriage, the usual advice is to wait until after 12 weeks.")
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
        label=gettext_noop("IVF cycle in progress"),
        told=gettext_noop("You told us you are in an IVF or fertility-treatment cycle now."),
        reason=gettext_noop(
            "In an IVF or fertility-treatment cycle now. Talk to the client first, and ask "
            "whether their fertility clinic agrees to reflexology at this stage of the cycle."
        ),
        applies=lambda a: a.get("pregnancy") == "ivf_cycle",
    ),
    # --- medical clearance ---
    Rule(
        code="clot_history",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Past clot or clotting disorder"),
        told=gettext_noop("You told us you have had a blood clot, or have a clotting disorder."),
        reason=lambda a: (
            _(
                "Reports %(what)s. Ask for confirmation that their doctor agrees; work gently on the legs."
            )
            % {
                "what": _and(
                    text
                    for key, text in [
                        ("dvt_past", _("a past DVT or embolism")),
                        ("clotting_disorder", _("a clotting disorder")),
                    ]
                    if a.get(key)
                )
            }
            + _note(a, "circulation_details")
        ),
        applies=lambda a: a.get("dvt_past") is True or a.get("clotting_disorder") is True,
    ),
    Rule(
        code="pregnancy_high_risk",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Pregnant"),
        told=gettext_noop(
            "You told us you are pregnant, with a complication or a high-risk pregnancy."
        ),
        reason=_high_risk_reason,
        applies=lambda a: _pregnant(a) and bool(_complications(a, HIGH_RISK_SIGNS)),
    ),
    Rule(
        code="cancer_treatment",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Cancer treatment"),
        told=gettext_noop("You told us you are having cancer treatment."),
        reason=lambda a: (
            _(
                "In cancer treatment now. Ask for confirmation that their care team agrees; "
                "work gently, and ask about lymph nodes removed or lymphoedema risk."
            )
            + _note(a, "cancer_details")
        ),
        applies=lambda a: a.get("cancer") == "current" and a.get("cancer_treatment") is True,
    ),
    Rule(
        code="heart",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Heart condition or pacemaker"),
        told=gettext_noop(
            "You told us you have a heart condition, a pacemaker or another implanted device."
        ),
        reason=lambda a: (
            _(
                "Reports %(what)s. Ask for confirmation that their doctor agrees; keep the session gentle."
            )
            % {
                "what": _and(
                    text
                    for key, text in [
                        ("heart_condition", _("a heart condition")),
                        ("pacemaker", _("a pacemaker or implant")),
                    ]
                    if a.get(key)
                )
            }
            + _note(a, "circulation_details")
        ),
        applies=lambda a: a.get("heart_condition") is True or a.get("pacemaker") is True,
    ),
    Rule(
        code="diabetes_uncontrolled",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Diabetes, not well controlled"),
        told=gettext_noop("You told us your diabetes is not well controlled."),
        reason=gettext_noop(
            "Diabetes the client describes as not well controlled. Ask for confirmation "
            "that their doctor agrees; check the feet for broken skin and use light pressure."
        ),
        applies=lambda a: a.get("diabetes") == "uncontrolled",
    ),
    Rule(
        code="foot_ulcers",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Foot or leg ulcers"),
        told=gettext_noop("You told us you have ulcers on your feet or legs."),
        reason=gettext_noop(
            "Reports foot or leg ulcers. Ask for confirmation that their doctor agrees, "
            "and do not work on or near an ulcer."
        ),
        applies=_yes("foot_ulcers"),
    ),
    Rule(
        code="recent_surgery",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Surgery in the last 6 weeks"),
        told=gettext_noop("You told us you have had surgery in the last 6 weeks."),
        reason=lambda a: (
            _(
                "Had surgery in the last 6 weeks. Ask for confirmation that their surgeon or "
                "doctor agrees; work gently, and not near the operation site."
            )
            + _note(a, "surgery_details")
        ),
        applies=_yes("recent_surgery"),
    ),
    Rule(
        code="unexplained_pain_or_lump",
        tier=Tier.CLEARANCE,
        label=gettext_noop("Pain or a lump not yet checked"),
        told=gettext_noop("You told us you have pain or a lump that a doctor has not yet checked."),
        reason=lambda a: (
            _(
                "Has pain or a lump that no doctor has checked yet. Ask them to see their doctor "
                "first and confirm the doctor agrees to reflexology; do not comment on what it "
                "might be."
            )
            + _note(a, "unexplained_details")
        ),
        applies=_yes("unexplained_pain_or_lump"),
    ),
    # --- caution ---
    Rule(
        code="pregnancy",
        tier=Tier.CAUTION,
        label=gettext_noop("Pregnant"),
        told=gettext_noop("You told us you are pregnant."),
        reason=_pregnancy_reason,
        applies=lambda a: (
            _pregnant(a) and not _complications(a, HIGH_RISK_SIGNS) and not _first_trimester(a)
        ),
    ),
    Rule(
        code="diabetes_neuropathy",
        tier=Tier.CAUTION,
        label=gettext_noop("Diabetes or reduced feeling"),
        told=gettext_noop(
            "You told us you have diabetes, or reduced feeling in your feet or hands."
        ),
        reason=gettext_noop(
            "Feeling in the feet may be reduced, so the client may not notice too much "
            "pressure: use light pressure and check the skin before and after."
        ),
        applies=lambda a: (
            a.get("diabetes") in ("controlled", "uncontrolled") or a.get("neuropathy") is True
        ),
    ),
    Rule(
        code="epilepsy",
        tier=Tier.CAUTION,
        label=gettext_noop("Epilepsy"),
        told=gettext_noop("You told us you have epilepsy."),
        reason=lambda a: (
            _(
                "Epilepsy: avoid overstimulation, keep the session calm, and use no essential "
                "oils that may lower the seizure threshold."
            )
            + _note(a, "epilepsy_details")
        ),
        applies=_yes("epilepsy"),
    ),
    Rule(
        code="blood_thinners",
        tier=Tier.CAUTION,
        label=gettext_noop("Blood thinners"),
        told=gettext_noop("You told us you take blood thinners."),
        reason=gettext_noop("Takes blood thinners, so may bruise easily: use lighter pressure."),
        applies=_yes("blood_thinners"),
    ),
    Rule(
        code="overstimulation",
        tier=Tier.CAUTION,
        label=gettext_noop("Easily overstimulated"),
        told=gettext_noop("You told us you can be overstimulated or tired by bodywork."),
        reason=gettext_noop(
            "Sensitive to overstimulation (for example fatigue, migraine or fibromyalgia): "
            "suggest a 30-minute session with lighter work."
        ),
        applies=_yes("overstimulation"),
    ),
    Rule(
        code="varicose_veins",
        tier=Tier.CAUTION,
        label=gettext_noop("Varicose veins"),
        told=gettext_noop("You told us you have varicose veins."),
        reason=gettext_noop("Varicose veins: no pressure on the affected veins of the legs."),
        applies=_yes("varicose_veins"),
    ),
    Rule(
        code="swollen_ankles",
        tier=Tier.CAUTION,
        label=gettext_noop("Swollen ankles or feet"),
        told=gettext_noop("You told us your ankles or feet often swell."),
        reason=gettext_noop(
            "Often has swollen ankles or feet: check for pitting oedema before the session "
            "and work gently."
        ),
        applies=_yes("swollen_ankles"),
    ),
    Rule(
        code="blood_pressure",
        tier=Tier.CAUTION,
        label=gettext_noop("High or low blood pressure"),
        told=gettext_noop("You told us your blood pressure is high or low."),
        reason=lambda a: (
            _(
                "Blood pressure high: work lighter and slower, and at the end let the client sit "
                "up and stand slowly (they may feel dizzy)."
            )
            if a.get("blood_pressure") == "high"
            else _(
                "Blood pressure low: work lighter and slower, and at the end let the client sit "
                "up and stand slowly (they may feel dizzy)."
            )
        ),
        applies=lambda a: a.get("blood_pressure") in ("high", "low"),
    ),
    Rule(
        code="cancer_not_in_treatment",
        tier=Tier.CAUTION,
        label=gettext_noop("Cancer, not in treatment now"),
        told=gettext_noop("You told us you have had cancer, and are not having treatment now."),
        reason=lambda a: (
            _(
                "Has had cancer and is not in treatment now: use light pressure, and ask whether "
                "their care team has given any advice."
            )
            + _note(a, "cancer_details")
        ),
        applies=lambda a: (
            a.get("cancer") == "past"
            or (a.get("cancer") == "current" and a.get("cancer_treatment") is False)
        ),
    ),
    Rule(
        code="lymph_nodes_removed",
        tier=Tier.CAUTION,
        label=gettext_noop("Lymph nodes removed"),
        told=gettext_noop("You told us you have had lymph nodes removed."),
        reason=gettext_noop(
            "Has had lymph nodes removed: use light pressure, and no pressure on the "
            "affected arm or leg (risk of lymphoedema). Ask which side."
        ),
        applies=_yes("lymph_nodes_removed"),
    ),
    Rule(
        code="osteoporosis",
        tier=Tier.CAUTION,
        label=gettext_noop("Osteoporosis"),
        told=gettext_noop("You told us you have osteoporosis (thinning bones)."),
        reason=gettext_noop(
            "Osteoporosis: bones may break more easily. Use light pressure, and no strong "
            "stretches or twists of the feet, ankles or hands."
        ),
        applies=_yes("osteoporosis"),
    ),
    Rule(
        code="stones",
        tier=Tier.CAUTION,
        label=gettext_noop("Gall or kidney stones"),
        told=gettext_noop("You told us you have gallstones or kidney stones."),
        reason=gettext_noop(
            "Gall or kidney stones: work the gallbladder and kidney reflex areas lightly "
            "and briefly, and stop if the client feels discomfort."
        ),
        applies=_yes("stones"),
    ),
    Rule(
        code="mental_health",
        tier=Tier.CAUTION,
        label=gettext_noop("Mental health"),
        told=gettext_noop(
            "You told us you have a mental-health condition you would like your practitioner to know about."
        ),
        reason=lambda a: (
            _(
                "The client has shared that they live with a mental-health condition. Ask what "
                "helps them feel at ease (for example a quieter session, knowing what comes "
                "next, or a pause), and remind them they can stop at any time."
            )
            + _note(a, "mental_health_details")
        ),
        applies=_yes("mental_health"),
    ),
    Rule(
        code="under_18",
        tier=Tier.CAUTION,
        label=gettext_noop("Under 18"),
        told=gettext_noop(
            "You told us your date of birth: you will be under 18 on the day of your session, "
            "so a parent or guardian must come with you."
        ),
        reason=lambda a: (
            (
                _(
                    "Under 18 on the day of the session (age %(age)s). A parent or guardian "
                    "(%(guardian)s) signed the form and must be present for the whole session. Keep "
                    "to the shortest session and use no essential oils."
                )
                if (a.get("guardian_name") or "").strip()
                else _(
                    "Under 18 on the day of the session (age %(age)s). A parent or guardian signed "
                    "the form and must be present for the whole session. Keep to the shortest "
                    "session and use no essential oils."
                )
            )
            % {"age": _age(a), "guardian": a.get("guardian_name")}
        ),
        applies=lambda a: is_minor(_age(a)),
    ),
    Rule(
        code="older_or_frail",
        tier=Tier.CAUTION,
        label=gettext_noop("75 or over, or frail"),
        told=gettext_noop("You told us you are 75 or over, or you feel frail."),
        reason=lambda a: (
            (
                _(
                    "%(age)s years old on the day and describes themselves as frail: use "
                    "lighter pressure and offer a shorter session."
                )
                if a.get("frail") is True
                else _(
                    "%(age)s years old on the day: use lighter pressure and offer a shorter "
                    "session."
                )
            )
            % {"age": _age(a)}
            if (_age(a) or 0) >= OLDER_AGE
            else _(
                "Describes themselves as frail: use lighter pressure and offer a shorter session."
            )
        ),
        applies=lambda a: (_age(a) or 0) >= OLDER_AGE or a.get("frail") is True,
    ),
    Rule(
        code="skin_products",
        tier=Tier.CAUTION,
        label=gettext_noop("Cream or latex reaction"),
        told=gettext_noop("You told us you have reacted to a cream or lotion, or to latex."),
        reason=lambda a: " ".join(
            text
            for key, text in [
                (
                    "cream_reaction",
                    _("Has reacted to a cream or lotion.") + _note(a, "cream_reaction_details"),
                ),
                ("latex_allergy", _("Latex allergy: use latex-free gloves.")),
            ]
            if a.get(key)
        ),
        applies=lambda a: a.get("cream_reaction") is True or a.get("latex_allergy") is True,
    ),
    # --- avoid the area ---
    Rule(
        code="wound",
        tier=Tier.AVOID,
        label=gettext_noop("Wound or broken skin"),
        told=gettext_noop("You told us you have a cut, wound or broken skin."),
        reason=gettext_noop(
            "Open wound or broken skin: do not work on it; cover it or work elsewhere."
        ),
        applies=lambda a: bool(a.get("wound")),
        area=_zoned_area("wound"),
        extra=_zoned_places("wound"),
    ),
    Rule(
        code="foot_ulcer_area",
        tier=Tier.AVOID,
        label=gettext_noop("Ulcer"),
        told=gettext_noop("You told us you have ulcers on your feet or legs."),
        reason=gettext_noop("Ulcer: do not work on or near it; cover it and work elsewhere."),
        applies=_yes("foot_ulcers"),
        area=lambda a: (a.get("foot_ulcers_where") or "").strip() or _("Where the ulcer is"),
    ),
    Rule(
        code="injury",
        tier=Tier.AVOID,
        label=gettext_noop("Fracture, sprain or surgery"),
        told=gettext_noop(
            "You told us you have had a fracture, sprain or surgery in the last 6 months."
        ),
        reason=lambda a: (
            _("Recent fracture, sprain or surgery: do not work on the area.")
            + _note(a, "injury_details")
        ),
        applies=lambda a: bool(a.get("injury")),
        area=_zoned_area("injury"),
        extra=_zoned_places("injury"),
    ),
    Rule(
        code="verruca",
        tier=Tier.AVOID,
        label=gettext_noop("Verruca"),
        told=gettext_noop("You told us you have a verruca."),
        reason=gettext_noop("Verruca: avoid it or cover it (contagious)."),
        applies=lambda a: bool(a.get("verruca")),
        area=_zoned_area("verruca"),
        extra=_zoned_places("verruca"),
    ),
    Rule(
        code="athletes_foot",
        tier=Tier.AVOID,
        label=gettext_noop("Athlete's foot"),
        told=gettext_noop("You told us you have athlete's foot."),
        reason=gettext_noop("Athlete's foot: avoid the area or cover it (contagious)."),
        applies=lambda a: bool(a.get("athletes_foot")),
        area=_zoned_area("athletes_foot"),
        extra=_zoned_places("athletes_foot"),
    ),
    Rule(
        code="fungal_nails",
        tier=Tier.AVOID,
        label=gettext_noop("Fungal nails"),
        told=gettext_noop("You told us you have a fungal nail infection."),
        reason=gettext_noop("Fungal nail infection: avoid the nails or cover them (contagious)."),
        applies=lambda a: bool(a.get("fungal_nails")),
        area=_zoned_area("fungal_nails"),
        extra=_zoned_places("fungal_nails"),
    ),
    Rule(
        code="gout",
        tier=Tier.AVOID,
        label=gettext_noop("Active gout"),
        told=gettext_noop("You told us you have active gout."),
        reason=gettext_noop("Active gout: do not work on the affected joint."),
        applies=lambda a: bool(a.get("gout")),
        area=_zoned_area("gout"),
        extra=_zoned_places("gout"),
    ),
    # Answered yes and placed on a foot or hand: avoid that place too (an answer from before
    # the place was asked names none, and raises only the clearance or caution flag).
    Rule(
        code="recent_surgery_area",
        tier=Tier.AVOID,
        label=gettext_noop("Recent surgery"),
        told=gettext_noop(
            "You told us you have had surgery on your feet or hands in the last 6 weeks."
        ),
        reason=lambda a: (
            _(
                "Surgery in the last 6 weeks on the foot or hand: do not work on or near the "
                "operation site."
            )
            + _note(a, "surgery_details")
        ),
        applies=lambda a: a.get("recent_surgery") is True and bool(places_in(a, "recent_surgery")),
        area=_zoned_area("recent_surgery"),
        extra=_zoned_places("recent_surgery"),
    ),
    Rule(
        code="varicose_veins_area",
        tier=Tier.AVOID,
        label=gettext_noop("Varicose veins"),
        told=gettext_noop("You told us you have varicose veins on your feet or hands."),
        reason=gettext_noop("Varicose veins: no pressure on the affected veins; work around them."),
        applies=lambda a: a.get("varicose_veins") is True and bool(places_in(a, "varicose_veins")),
        area=_zoned_area("varicose_veins"),
        extra=_zoned_places("varicose_veins"),
    ),
    Rule(
        code="no_touch",
        tier=Tier.AVOID,
        label=gettext_noop("No-touch area"),
        told=gettext_noop("You told us there are areas you do not want touched."),
        reason=gettext_noop("The client asked that these areas are not touched."),
        applies=lambda a: bool((a.get("no_touch_areas") or "").strip()),
        area=lambda a: (a.get("no_touch_areas") or "").strip(),
    ),
    # --- avoid oils ---
    Rule(
        code="avoid_oils",
        tier=Tier.AVOID_OILS,
        label=gettext_noop("Oil sensitivity"),
        told=gettext_noop("You told us you react to particular essential oils."),
        reason=_avoid_oils_reason,
        applies=lambda a: bool(_sensitive_to(a)),
        extra=_avoided_oils,
    ),
    Rule(
        code="nut_allergy",
        tier=Tier.AVOID_OILS,
        label=gettext_noop("Nut allergy"),
        told=gettext_noop("You told us you are allergic to nuts or nut oils."),
        reason=lambda a: (
            _("Nut or nut-oil allergy.")
            + _note(a, "nut_allergy_details")
            + " "
            + _(
                "Use no nut-based carriers (%(carriers)s), and check the ingredients of any balm "
                "or cream before you use it: the record asks you to confirm."
            )
            % {"carriers": ", ".join(oil.name for oil in oils.NUT_CARRIERS)}
        ),
        applies=_yes("nut_allergy"),
    ),
    # --- no oils (keep last) ---
    Rule(
        code="no_oils",
        tier=Tier.NO_OILS,
        label=NO_OILS_LABEL,
        told=gettext_noop(
            "You told us you would like nothing on your skin, or you react to essential oils or "
            "fragrance in general."
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
    "new_illness": gettext_lazy("A new illness: a fever, an infection or anything contagious"),
    "new_injury": gettext_lazy("A new injury, sprain, fracture or operation"),
    "pregnancy_change": gettext_lazy("A change in a pregnancy, or you may be pregnant"),
    "pregnancy_bleeding_or_pain": gettext_lazy("Bleeding or pain in a pregnancy"),
    "chest_or_leg": gettext_lazy("Chest pain, breathlessness, or a painful or swollen calf or leg"),
    "new_medication": gettext_lazy("A new medication, or a change in one"),
    "alcohol_or_drugs": gettext_lazy("Alcohol or recreational drugs on the day of the session"),
    "other": gettext_lazy("Something else"),
}


def _reported(choice: str) -> Callable[[Answers], bool]:
    return lambda a: choice in (a.get(SESSION_CHANGES) or [])


def _reported_reason(text: str) -> Callable[[Answers], str]:
    """`text` (English marked with gettext_noop) in the active language, with the details."""
    return lambda a: _(text) + _note(a, SESSION_CHANGE_DETAILS)


SESSION_RULES: list[Rule] = [
    Rule(
        code="reported_illness",
        tier=Tier.POSTPONE,
        label=gettext_noop("Unwell now"),
        told=gettext_noop(
            "You told us you have a new illness (a fever, an infection or anything contagious)."
        ),
        reason=_reported_reason(
            gettext_noop(
                "Reported a new illness before this session. Usually postponed until the client "
                "is well."
            )
        ),
        applies=_reported("new_illness"),
    ),
    Rule(
        code="reported_injury",
        tier=Tier.POSTPONE,
        label=gettext_noop("New injury"),
        told=gettext_noop("You told us you have a new injury, sprain, fracture or operation."),
        reason=_reported_reason(
            gettext_noop(
                "Reported a new injury, sprain, fracture or operation before this session. Talk "
                "to the client about where and when; do not work on the area."
            )
        ),
        applies=_reported("new_injury"),
    ),
    Rule(
        code="reported_pregnancy_change",
        tier=Tier.POSTPONE,
        label=gettext_noop("Pregnancy change"),
        told=gettext_noop("You told us something has changed in a pregnancy."),
        reason=_reported_reason(
            gettext_noop(
                "Reported a change in a pregnancy before this session. Talk to the client first, "
                "and ask her to update her health form."
            )
        ),
        applies=_reported("pregnancy_change"),
    ),
    Rule(
        code="reported_pregnancy_bleeding_or_pain",
        tier=Tier.POSTPONE,
        label=gettext_noop("Bleeding or pain in pregnancy"),
        told=gettext_noop("You told us you have bleeding or pain in a pregnancy."),
        reason=_reported_reason(
            gettext_noop(
                "Reported bleeding or pain in a pregnancy before this session. Do not go ahead; "
                "she has been told to contact her doctor or midwife today."
            )
        ),
        applies=_reported("pregnancy_bleeding_or_pain"),
        urgent=(URGENT_TODAY,),
    ),
    Rule(
        code="reported_chest_or_leg",
        tier=Tier.POSTPONE,
        label=gettext_noop("Chest pain, breathlessness or a swollen leg"),
        told=gettext_noop(
            "You told us you have chest pain, breathlessness, or a painful or swollen calf or leg."
        ),
        reason=_reported_reason(
            gettext_noop(
                "Reported chest pain, breathlessness or a painful or swollen leg before this "
                "session (possible signs of a clot). Do not go ahead; the client has been told to "
                "contact their doctor today, or emergency services for chest pain or "
                "breathlessness."
            )
        ),
        applies=_reported("chest_or_leg"),
        urgent=(URGENT_TODAY, URGENT_EMERGENCY),
    ),
    Rule(
        code="alcohol_or_drugs_today",
        tier=Tier.POSTPONE,
        label=gettext_noop("Alcohol or drugs on the day"),
        told=gettext_noop(
            "You told us you will have had alcohol or recreational drugs on the day of your session."
        ),
        reason=gettext_noop(
            "Reported alcohol or recreational drugs on the day of the session: postpone the "
            "session to another day."
        ),
        applies=_reported("alcohol_or_drugs"),
    ),
    Rule(
        code="strong_reaction",
        tier=Tier.POSTPONE,
        label=gettext_noop("Strong reaction after the last session"),
        told=gettext_noop("You told us you had a strong reaction after your last session."),
        reason=gettext_noop(
            "Reported a strong reaction at the check-in after their last session with you. "
            "Talk to the client, and record your follow-up on that session's record, before this "
            "session."
        ),
        applies=_yes(STRONG_REACTION),
    ),
    Rule(
        code="reported_medication",
        tier=Tier.CAUTION,
        label=gettext_noop("New medication"),
        told=gettext_noop("You told us you have a new medication, or a change in one."),
        reason=_reported_reason(
            gettext_noop(
                "Reported a new or changed medication before this session: ask about it before "
                "you start."
            )
        ),
        applies=_reported("new_medication"),
    ),
    Rule(
        code="reported_other_change",
        tier=Tier.CAUTION,
        label=gettext_noop("Other change"),
        told=gettext_noop("You told us something else has changed since your health form."),
        reason=_reported_reason(
            gettext_noop(
                "Reported another change before this session: ask about it before you start."
            )
        ),
        applies=_reported("other"),
    ),
]
ALL_RULES = [*RULES, *SESSION_RULES]
RULES_BY_CODE = {rule.code: rule for rule in ALL_RULES}
assert len(RULES_BY_CODE) == len(ALL_RULES), "rule codes must be unique"


class _Reading(dict):
    """Answers that note which of them a rule's words read (`read`)."""

    def __init__(self, answers: Answers):
        super().__init__(answers)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def _words(rule: Rule, answers: Answers) -> dict:
    """`rule`'s words for `answers`, in the active language: label, detail and told (for the
    client), reason (for the practitioner), area and urgent."""
    urgent = rule.urgent(answers) if callable(rule.urgent) else rule.urgent
    told = _(rule.told)
    return {
        "label": _(rule.label),
        "told": told,
        "detail": f"{told} {TIER_DETAIL[rule.tier]}",
        "reason": rule.reason(answers) if callable(rule.reason) else _(rule.reason),
        "area": rule.area(answers) if rule.area else "",
        "urgent": " ".join(_(sentence) for sentence in urgent),
    }


def flag_for(rule: Rule, answers: Answers) -> dict:
    """The flag dict `rule` raises for `answers` (with_dates applied; whether or not it
    applies). Its words are stored in English (the source language; record_safety reads an
    area in words); `words_from` keeps the answers they were drawn from, so flag_words can
    say them again in the reader's language."""
    reading = _Reading(answers)
    with _in_english():
        words = _words(rule, reading)
    del words["told"]
    return {
        "code": rule.code,
        "tier": rule.tier.value,
        **words,
        **(rule.extra(answers) if rule.extra else {}),
        "words_from": {key: answers[key] for key in sorted(reading.read) if key in answers},
    }


def flag_words(flag: dict) -> dict:
    """A stored flag's words in the active language: `label`, `detail`, `told` (the detail
    without its tier's advice), `reason`, `area` and `urgent`. Worked out again from its rule
    and `words_from`; a flag stored before `words_from` was kept (or of a rule no longer in
    the table) has each text its rule would give in English translated, any other left as
    stored."""
    rule = RULES_BY_CODE.get(flag.get("code", ""))
    stored = {key: flag.get(key, "") for key in ("label", "detail", "reason", "area", "urgent")}
    with _in_english():  # stored words are English
        advice = str(TIER_DETAIL.get(flag.get("tier"), ""))
    stored["told"] = stored["detail"].removesuffix(advice).strip()
    if rule is None:
        return {key: _(text) if text else "" for key, text in stored.items()}
    if "words_from" in flag:
        words = _words(rule, flag["words_from"])
        return {key: text if key == "told" or key in flag else "" for key, text in words.items()}
    with _in_english():
        english = _words(rule, {})
    words = _words(rule, {})
    return {
        key: words[key] if text == english[key] else (_(text) if text else "")
        for key, text in stored.items()
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
