"""Safety checks on a session record against the client's flags: pure functions.

Oils (sessions/data/oils.yaml through sessions.oils): "No oils / unscented" refuses every oil,
fragrance and nut-based carrier; otherwise the record may not name an oil the client reacts to
(or one of its plant family), a nut-based carrier for a nut allergy, an oil restricted in
pregnancy (flags whose code starts with "pregnancy"), with epilepsy ("epilepsy"), or any
essential oil for a client under 18 ("under_18"). Each needs an explicit override with a
reason. A balm or cream for a client with a nut allergy needs the practitioner's confirmation
that it has no nut ingredients. A phototoxic citrus oil puts the sun warning in the aftercare.
"Avoid area": a worked point inside a place an "avoid" flag names (a part of a foot or hand,
such as the left heel, or the whole of it; ReflexPoint.part says which part a point lies in)
needs an override too; points outside it need none.
The practitioner decides; the app makes the decision visible.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reflexbook.lib.translation import gettext as _
from reflexbook.lib.translation import gettext_lazy
from sessions import oils
from sessions.reflex_map import MAP_ORDER, SIDES, WHOLE, in_part, place_label, place_name
from sessions.safety import Tier, gettext_noop, has_tier, of_tier

# The codes of the sessions.safety rules the oil check reads.
PREGNANCY_PREFIX = "pregnancy"
EPILEPSY = "epilepsy"
UNDER_18 = "under_18"
AVOID_OILS = "avoid_oils"
NUT_ALLERGY = "nut_allergy"
# Added to the client's aftercare when the record names a phototoxic oil (sessions.records),
# in the language of the practitioner who writes the record (English marked, translated there).
SUN_WARNING = gettext_noop(
    "A citrus oil used in your session can make skin burn in sunlight: please have no sun or "
    "sunbed on the treated skin for 12 hours."
)


def _codes(flags: Iterable[dict]) -> set[str]:
    return {flag.get("code", "") for flag in flags}


def _cautions(codes: set[str]) -> list[str]:
    """The sessions.oils cautions the client's flags call for."""
    return [
        caution
        for caution, applies in (
            ("pregnancy", any(code.startswith(PREGNANCY_PREFIX) for code in codes)),
            ("epilepsy", EPILEPSY in codes),
            ("children", UNDER_18 in codes),
        )
        if applies
    ]


def oils_checked(flags: Iterable[dict]) -> bool:
    """Whether the client's flags restrict oils, so a record's oils are checked (and the
    record form offers the oil override)."""
    flags = list(flags)
    codes = _codes(flags)
    return (
        has_tier(flags, Tier.NO_OILS) or has_tier(flags, Tier.AVOID_OILS) or bool(_cautions(codes))
    )


def _no_oils_conflicts(medium: str, details: str) -> list[str]:
    found: list[str] = []
    if medium == "essential_oils":
        found.append(_("essential oils"))
    if medium == "carrier_oil":
        found.append(_("carrier oil"))  # the client was told: no oils at all
    if medium == "balm" and not oils.says_unscented(details):
        found.append(_("balm or cream not named as unscented"))
    found += [oil.name for oil in oils.named_in(details) if not oil.carrier or oil.nut]
    found += oils.unnamed_oils_in(details) + oils.fragrance_in(details)
    return list(dict.fromkeys(found))


def _restricted(flags: list[dict], medium: str, details: str) -> list[str]:
    codes = _codes(flags)
    cautions = _cautions(codes)
    minor = UNDER_18 in codes
    avoided = [flag for flag in flags if flag.get("code") == AVOID_OILS]
    names = [name for flag in avoided for name in flag.get("oils", [])]
    families = {family for flag in avoided for family in flag.get("families", [])}
    named = oils.named_in(details)
    found: list[str] = []
    for oil in named:
        why: list[str] = []
        if oil.carrier:
            if oil.nut and NUT_ALLERGY in codes:
                why.append(_("nut allergy"))
        else:
            if oil.name in names:
                why.append(_("the client reacts to it"))
            elif oil.family in families:
                why.append(
                    _("same plant family as %(oils)s: %(family)s")
                    % {"oils": ", ".join(names), "family": oil.family_name}
                )
            why += [str(oils.CAUTIONS[c]) for c in cautions if c in oil.cautions]
            if minor and "children" not in oil.cautions:
                why.append(_("no essential oils under 18"))
        if why:
            found.append(_("%(oil)s (%(why)s)") % {"oil": oil.name, "why": "; ".join(why)})
    unnamed = medium == "essential_oils" or oils.unnamed_oils_in(details)
    if unnamed and not any(not oil.carrier for oil in named):
        if minor:
            found.append(_("essential oils (no essential oils under 18)"))
        elif cautions or names:
            found.append(_("essential oils not named (name each oil so it can be checked)"))
    if medium == "carrier_oil" and NUT_ALLERGY in codes and not any(oil.carrier for oil in named):
        found.append(_("carrier oil not named (name it so it can be checked for nuts)"))
    return found


def oil_conflicts(*, flags: Iterable[dict], medium: str, details: str) -> list[str]:
    """What the record uses that the client's flags rule out (empty when fine): for a "No
    oils" client each oil, product or fragrance named; otherwise each restricted oil with why,
    e.g. "clary sage (restricted in pregnancy)"."""
    flags = list(flags)
    if has_tier(flags, Tier.NO_OILS):
        return _no_oils_conflicts(medium, details)
    return _restricted(flags, medium, details)


def has_nut_allergy(flags: Iterable[dict]) -> bool:
    return NUT_ALLERGY in _codes(flags)


def needs_nut_check(*, flags: Iterable[dict], medium: str) -> bool:
    """A balm or cream for a client with a nut allergy: the practitioner must confirm they
    checked it has no nut ingredients."""
    return medium == "balm" and has_nut_allergy(flags)


def phototoxic_oils(details: str) -> list[str]:
    """The phototoxic oils the record names (bergamot, lime, lemon...)."""
    return [oil.name for oil in oils.named_in(details) if "phototoxic" in oil.cautions]


def with_sun_warning(aftercare: str, details: str) -> str:
    """`aftercare` with SUN_WARNING as a paragraph of its own when the record names a
    phototoxic oil, and without it when it names none (the oil was taken out of the record);
    otherwise unchanged."""
    aftercare = aftercare or ""
    warning = _(SUN_WARNING)
    # Written in English or in the practitioner's language (now or when it was added).
    warnings = {SUN_WARNING, warning}
    paragraphs = re.split(r"\n\s*\n", aftercare.strip())
    has_warning = any(p.strip() in warnings for p in paragraphs)
    if phototoxic_oils(details) and not has_warning:
        return f"{aftercare.rstrip()}\n\n{warning}" if aftercare.strip() else warning
    if has_warning and not phototoxic_oils(details):
        return "\n\n".join(p for p in paragraphs if p.strip() not in warnings)
    return aftercare


_MAPS = {
    "foot": "foot",
    "feet": "foot",
    "toe": "foot",
    "heel": "foot",
    "ankle": "foot",
    "hand": "hand",
    "finger": "hand",
    "thumb": "hand",
    "wrist": "hand",
    "ear": "ear",
}
# What the practitioner may find at the pre-session check and name as an area to avoid.
FOUND_AT_CHECK = {
    "verruca": gettext_lazy("Verruca"),
    "injury": gettext_lazy("Injury"),
    "recent_surgery": gettext_lazy("Recent surgery"),
    "varicose_veins": gettext_lazy("Varicose veins"),
    "wound": gettext_lazy("Wound or broken skin"),
    "other": gettext_lazy("Something else"),
}


def _area_scope(area: str) -> tuple[set[str], set[str]]:
    """Which maps and sides an "avoid" area in words covers: "left foot" → ({"foot"}, {"L"})."""
    words = re.findall(r"[a-z]+", area.lower())
    maps = {_MAPS[w] for w in words if w in _MAPS} or {"foot", "hand"}
    sides = {s for w, s in (("left", "L"), ("right", "R")) if w in words} or {"L", "R"}
    return maps, sides


def places_of(flag: dict) -> list[dict]:
    """The places an "avoid" flag covers ({"map", "side", "part"}): those it names, or for a
    flag that names none (stored before avoid areas named parts, or a free-text area such as
    a no-touch area) the whole of each foot, hand or ear its area names in words."""
    if "places" in flag:
        return flag["places"]
    maps, sides = _area_scope(flag.get("area") or flag.get("label", ""))
    return [
        {"map": map_name, "side": side, "part": WHOLE}
        for map_name in MAP_ORDER
        if map_name in maps
        for side in SIDES
        if side in sides
    ]


def avoid_text(flag: dict, place: dict) -> str:
    """One place of an "avoid" flag in words: "left heel (verruca)"."""
    return _("%(place)s (%(flag)s)") % {
        "place": place_label(place["map"], place["side"], place["part"]),
        # A rule's label is English marked for translation (sessions.safety.flag_words).
        "flag": (_(flag["label"]) if flag.get("label") else "").lower(),
    }


@dataclass(frozen=True)
class Avoided:
    """One place to avoid, from one flag: what the map shades and the page says."""

    map: str
    side: str
    part: str
    text: str  # "left heel (verruca)"


def avoided(flags: Iterable[dict]) -> list[Avoided]:
    """Every place the "avoid" flags among `flags` cover, in flag order, without repeats."""
    found: dict[tuple[str, str, str, str], Avoided] = {}
    for flag in of_tier(flags, Tier.AVOID):
        for place in places_of(flag):
            text = avoid_text(flag, place)
            key = (place["map"], place["side"], place["part"], text)
            found.setdefault(key, Avoided(place["map"], place["side"], place["part"], text))
    return list(found.values())


def avoid_for(areas: Iterable[Avoided], *, map_name: str, side: str, part: str) -> list[str]:
    """What keeps a point (on `map_name`, `side`, lying in `part`) from being worked without
    an override: the texts of the `areas` it is inside (empty: it may be worked). A point
    outside every named part needs no override; a whole foot, hand or ear covers them all."""
    return [
        area.text
        for area in areas
        if area.map == map_name and area.side == side and in_part(part, area.part)
    ]


def area_conflicts(
    *, flags: Iterable[dict], points: Iterable[tuple[str, str, str, str]]
) -> list[str]:
    """Worked points (map, side, part, name) inside an area an "avoid" flag names, as text
    such as "Left foot: Pelvis / buttocks (avoid: left heel (verruca))"."""
    areas = avoided(flags)
    conflicts: list[str] = []
    for map_name, side, part, name in points:
        inside = avoid_for(areas, map_name=map_name, side=side, part=part)
        if inside:
            conflicts.append(
                _("%(place)s: %(point)s (avoid: %(area)s)")
                % {"place": place_name(map_name, side), "point": name, "area": inside[0]}
            )
    return conflicts


def found_flags(found: Iterable[dict]) -> list[dict]:
    """The areas to avoid the practitioner found at the pre-session check ({"what", "map",
    "side", "part"}, as SessionRecord.avoid_found keeps them) as "avoid" flags."""
    flags = []
    for entry in found:
        place = {"map": entry["map"], "side": entry["side"], "part": entry["part"]}
        flags.append(
            {
                "code": "found_at_check",
                "tier": Tier.AVOID.value,
                "label": _("%(what)s, seen at the check")
                % {"what": FOUND_AT_CHECK.get(entry["what"], entry["what"])},
                "area": place_label(place["map"], place["side"], place["part"]).capitalize(),
                "places": [place],
            }
        )
    return flags
