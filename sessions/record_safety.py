"""Safety checks on a session record against the client's intake flags: pure functions.

"No oils": a record that names essential oils, fragrance or a nut-based carrier needs an
explicit override with a reason. "Avoid area": a worked point inside an area the intake says
to avoid needs one too. The practitioner decides; the app makes the decision visible.
"""

import re
from collections.abc import Iterable

from sessions.safety import Tier, has_tier, of_tier

ESSENTIAL_OILS = [
    "essential oil",
    "lavender",
    "peppermint",
    "eucalyptus",
    "tea tree",
    "frankincense",
    "chamomile",
    "rosemary",
    "lemon",
    "orange",
    "bergamot",
    "ylang",
    "geranium",
    "clary sage",
    "sandalwood",
    "juniper",
    "marjoram",
    "patchouli",
    "neroli",
    "rose oil",
    "lemongrass",
    "cedarwood",
    "vetiver",
    "myrrh",
    "grapefruit",
    "mandarin",
    "fennel",
    "ginger oil",
    "clove",
    "cinnamon",
    "thyme oil",
    "black pepper oil",
    "aromatherapy",
    "lavendar",  # a common misspelling
    # Botanical names on labels
    "lavandula",
    "melaleuca",
    "mentha",
    "rosmarinus",
    "boswellia",
    "pelargonium",
    "santalum",
    "citrus",
    "chamaemelum",
    "matricaria",
]
FRAGRANCE = ["fragrance", "fragranced", "perfume", "perfumed", "scented"]
NUT_CARRIERS = [
    "almond",
    "macadamia",
    "walnut",
    "hazelnut",
    "peanut",
    "arachis",
    "brazil nut",
    "pecan",
    "pistachio",
    "cashew",
    "kukui",
    "argan",
    "apricot kernel",
    "shea",
]
# Longest first, so "lemongrass" is reported as itself rather than as "lemon".
_WORDS = re.compile(
    r"\b("
    + "|".join(
        re.escape(w)
        for w in sorted(ESSENTIAL_OILS + FRAGRANCE + NUT_CARRIERS, key=len, reverse=True)
    )
    + r")",
    re.IGNORECASE,
)
UNSCENTED = re.compile(r"\b(unscented|fragrance[- ]free|no fragrance)\b", re.IGNORECASE)


def oil_conflicts(*, flags: Iterable[dict], medium: str, details: str) -> list[str]:
    """What the record uses that a "No oils" client should not get (empty when fine)."""
    if not has_tier(flags, Tier.NO_OILS):
        return []
    found: list[str] = []
    if medium == "essential_oils":
        found.append("essential oils")
    if medium == "carrier_oil":
        found.append("carrier oil")  # the client was told: no oils at all
    if medium == "balm" and not UNSCENTED.search(details or ""):
        found.append("balm or cream not named as unscented")
    text = UNSCENTED.sub(" ", details or "")
    for match in _WORDS.finditer(text):
        word = match.group(1).lower()
        if word not in found:
            found.append(word)
    return found


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


def _area_scope(area: str) -> tuple[set[str], set[str]]:
    """Which maps and sides an "avoid" area covers: "left foot" → ({"foot"}, {"L"})."""
    words = re.findall(r"[a-z]+", area.lower())
    maps = {_MAPS[w] for w in words if w in _MAPS} or {"foot", "hand"}
    sides = {s for w, s in (("left", "L"), ("right", "R")) if w in words} or {"L", "R"}
    return maps, sides


def area_conflicts(*, flags: Iterable[dict], points: Iterable[tuple[str, str, str]]) -> list[str]:
    """Worked points (map, side, name) inside an area an "avoid" flag names, as text such as
    "Left foot: kidney (avoid: verruca on the left foot)"."""
    avoid = of_tier(flags, Tier.AVOID)
    side_names = {"L": "Left", "R": "Right"}
    conflicts: list[str] = []
    for map_name, side, name in points:
        for flag in avoid:
            maps, sides = _area_scope(flag.get("area") or flag.get("label", ""))
            if map_name in maps and side in sides:
                conflicts.append(
                    f"{side_names[side]} {map_name}: {name} (avoid: {flag.get('label', '')})"
                )
                break
    return conflicts
