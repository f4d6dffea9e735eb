"""The oils reflexbook knows: essential oils with their plant family and cautions, and carrier
oils (nut-based or not), from sessions/data/oils.yaml, loaded once. Pure: no Django.

`named_in(text)` finds the oils a text names, as whole words and longest first, so "massage"
is never sage, "sublime" never lime, "rosemary" never rose, "orange blossom" is neroli and
"lemon balm" is melissa. The safety rules read a client's named sensitivities with it, and
the session record's check (sessions.record_safety) the oils a record names.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from reflexbook.lib.translation import gettext as _
from reflexbook.lib.translation import gettext_lazy, ngettext

DATA = Path(__file__).resolve().parent / "data" / "oils.yaml"
# What an essential oil may be restricted for; flags and the record check key on these.
CAUTIONS = {
    "pregnancy": gettext_lazy("restricted in pregnancy"),
    "epilepsy": gettext_lazy("restricted with epilepsy"),
    "children": gettext_lazy("restricted for children"),
    "phototoxic": gettext_lazy("phototoxic: no sun or sunbed on the skin for 12 hours"),
}


@dataclass(frozen=True)
class Oil:
    """An essential oil (with a family and cautions) or a carrier oil (`carrier`, `nut`)."""

    name: str
    words: tuple[str, ...]
    family: str = ""
    botanical: str = ""
    cautions: frozenset[str] = frozenset()
    carrier: bool = False
    nut: bool = False
    note: str = ""

    @property
    def family_name(self) -> str:
        return FAMILIES.get(self.family, "")


def _pattern(words: list[str]) -> re.Pattern:
    """Whole words or phrases, longest first, a space matching a space or hyphen, with an
    optional plural s."""
    phrases = sorted({w.lower() for w in words}, key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", p))) for p in phrases)
    return re.compile(rf"\b(?:{alternatives})(?:'?s)?\b", re.IGNORECASE)


def _plain(words: str) -> str:
    """ "Ylang-Ylang" → "ylang ylang": how words are looked up."""
    return re.sub(r"[\s-]+", " ", words.lower())


def _load() -> tuple[dict, list[Oil], dict]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    oils = [
        Oil(
            name=row["name"],
            words=tuple(row["words"]),
            family=row["family"],
            botanical=row["botanical"],
            cautions=frozenset(row["cautions"]),
            note=row.get("note", ""),
        )
        for row in data["oils"]
    ] + [
        Oil(
            name=row["name"],
            words=tuple(row["words"]),
            carrier=True,
            nut=row["nut"],
            note=row.get("note", ""),
        )
        for row in data["carriers"]
    ]
    return data["families"], oils, data


FAMILIES, OILS, _DATA = _load()
ESSENTIAL_OILS = [oil for oil in OILS if not oil.carrier]
NUT_CARRIERS = [oil for oil in OILS if oil.nut]
BY_NAME = {oil.name: oil for oil in OILS}
_BY_WORD = {_plain(word): oil for oil in OILS for word in oil.words}
_OIL_WORDS = _pattern(list(_BY_WORD))
_UNSCENTED = _pattern(_DATA["unscented_words"])
_FRAGRANCE = _pattern(_DATA["fragrance_words"])
_UNNAMED_OIL = _pattern(_DATA["unnamed_oil_words"])
_PLURAL = re.compile(r"'?s$")
# "all oils", "any essential oil", "most perfumes": a sensitivity to oils in general.
_IN_GENERAL = re.compile(
    r"\b(?:all|any|every|most|many)\s+(?:essential\s+|aromatherapy\s+)?"
    r"(?:oils?|scents?|perfumes?|fragrances?)\b",
    re.IGNORECASE,
)


def _without_unscented(text: str) -> str:
    return _UNSCENTED.sub(" ", text or "")


def _oil_for(match: str) -> Oil:
    word = _plain(match)
    return _BY_WORD.get(word) or _BY_WORD[_PLURAL.sub("", word)]


def named_in(text: str) -> list[Oil]:
    """The oils (essential and carrier) `text` names, in order, each once."""
    found: list[Oil] = []
    for match in _OIL_WORDS.finditer(_without_unscented(text)):
        oil = _oil_for(match.group(0))
        if oil not in found:
            found.append(oil)
    return found


def says_unscented(text: str) -> bool:
    """Whether `text` names a product as unscented ("unscented balm", "fragrance-free")."""
    return bool(_UNSCENTED.search(text or ""))


def fragrance_in(text: str) -> list[str]:
    """The words for a scented product in `text` ("perfumed"), leaving "unscented",
    "fragrance-free" and the like alone."""
    return [m.group(0).lower() for m in _FRAGRANCE.finditer(_without_unscented(text))]


def unnamed_oils_in(text: str) -> list[str]:
    """Words for essential oils not named further ("essential oil", "aromatherapy")."""
    return [m.group(0).lower() for m in _UNNAMED_OIL.finditer(_without_unscented(text))]


def in_general(text: str) -> bool:
    """Whether `text` speaks of oils or fragrance in general rather than of named oils:
    "perfume", "all oils", "scented creams" (a text naming no oil is for the caller)."""
    return bool(fragrance_in(text) or _IN_GENERAL.search(text or ""))


def family_names(families: list[str]) -> list[str]:
    """Readable names of family keys: "lamiaceae" → "Lamiaceae (mint family)"."""
    return [FAMILIES.get(key, key) for key in families]


def and_join(items: list[str]) -> str:
    """`items` joined by "and", in the active language: "a and b and c"."""
    items = [str(item) for item in items]
    joined = items[0] if items else ""
    for item in items[1:]:
        joined = _("%(first)s and %(second)s") % {"first": joined, "second": item}
    return joined


def avoid_text(names: list[str], families: list[str]) -> str:
    """What an avoid_oils flag asks, in words: "avoid lavender and its plant family,
    Lamiaceae (mint family)"."""
    words = {"oils": ", ".join(names), "families": and_join(family_names(families))}
    if not families:
        return _("avoid %(oils)s") % words
    if len(names) == 1:
        text = ngettext(
            "avoid %(oils)s and its plant family, %(families)s",
            "avoid %(oils)s and its plant families, %(families)s",
            len(families),
        )
    else:
        text = ngettext(
            "avoid %(oils)s and their plant family, %(families)s",
            "avoid %(oils)s and their plant families, %(families)s",
            len(families),
        )
    return text % words
