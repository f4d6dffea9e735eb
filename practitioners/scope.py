"""Scope of practice and honest credentials: ARCB standards bar claims to diagnose, treat,
cure or prevent disease, and reflexologists do not prescribe. Pure text checks (no models);
practitioners.forms.scope_guard applies them to profiles, services and the client-facing
parts of session records.

- Blocked outright (find_blocked_claims): claims to diagnose, cure, heal, treat or prevent
  disease, prescription words, and offers to induce labour (find_refused_claims).
- Warned (find_soft_claims): softer health claims ("detox", "boosts the immune system",
  "balances hormones"), saved only once the practitioner ticks that the wording is checked.
- Certification (find_unbacked_certification_claims): "ARCB", "board certified" or
  "nationally certified" only with a current verified badge of the kind named.

A phrase shortly after a negation in the same sentence ("I do not diagnose") is not a claim.
"""

import re
from collections.abc import Iterable

_DISEASE = (
    r"(?:diseases?|illness(?:es)?|cancers?|diabetes|infections?|conditions?|disorders?"
    r"|migraines?|arthritis|asthma|infertility|depression|anxiety|insomnia)"
)
# Each pattern is matched as whole words, case-insensitively.
BLOCKED_PATTERNS = [
    r"diagnos\w*",
    r"cures?",
    r"cured",
    r"curing",
    r"heals?\s+\w+",
    r"healing\s+(?:of\s+)?\w+",
    # "treat yourself" is an invitation, not a claim.
    r"treats?\s+(?!yourself\b|yourselves\b|your\s*self\b)\w+",
    r"treating\s+\w+",
    r"treatment\s+(?:of|for)\s+\w+",
    rf"prevent(?:s|ing|ion\s+of)?\s+(?:\w+\s+){{0,2}}?{_DISEASE}",
    rf"{_DISEASE}\s+prevention",
    r"medical\s+reflexolog\w*",
    r"prescri(?:be|bes|bed|bing|ption|ptions)",
    r"remed(?:y|ies)\s+for\s+\w+",
    r"fix(?:es)?\s+your\s+\w+",
]
SOFT_PATTERNS = [
    r"detox\w*",
    r"(?:flush\w*|clears?|clearing|releases?|releasing|eliminat\w+)\s+(?:out\s+)?toxins",
    r"boost(?:s|ing)?\s+(?:your\s+|the\s+)?immun\w*(?:\s+system)?",
    r"balanc(?:e|es|ing)\s+(?:your\s+)?hormones?",
    r"hormone\s+balanc\w*",
    r"cleans(?:e|es|ing)\s+(?:the\s+|your\s+)?(?:body|blood|organs?|liver|kidneys?)",
    r"lower(?:s|ing)?\s+(?:your\s+)?blood\s+pressure",
]
_LABOUR = r"(?:(?:your|the|her)\s+)?labou?r"
# Refused too: reflexology has no evidence for inducing labour (Cochrane review CD009290),
# so it must not be offered for it; it has its own message.
_STARTS = (
    r"(?:induc\w*|start\w*|kick[- ]?start\w*|jump[- ]?start\w*|trigger\w*|stimulat\w*|"
    r"encourag\w*|hasten\w*|speed(?:s|ing)?\s+up|bring(?:s|ing)?\s+on|brought\s+on)"
)
REFUSED_PATTERNS = [
    rf"{_STARTS}\s+{_LABOUR}",
    rf"induction\s+of\s+{_LABOUR}",
    r"labou?r[- ](?:induc\w*|start\w*|stimulat\w*|trigger\w*)",
    rf"(?:bring|brings|bringing|brought)\s+{_LABOUR}\s+on",
    rf"{_LABOUR}\s+(?:started|going|moving|along|on\s+its\s+way)",
    r"overdue\s+(?:mums?|moms?|mothers?|mamas?|pregnanc\w*|bab(?:y|ies)|clients?)",
    r"(?:past|beyond|over)\s+(?:your|her|the)\s+due\s+date",
]
CERTIFICATION_PATTERN = r"ARCB|board[\s-]+certified|nationally[\s-]+certified"
# Credential kinds (practitioners.models.Certification.Kind) and the words naming them.
KIND_WORDS = {"foot": r"foot|feet", "hand": r"hands?"}
NEGATIONS = {"not", "never", "no", "don't", "doesn't", "cannot", "can't", "won't", "nor"}


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


_BLOCKED, _SOFT, _REFUSED = map(_compile, (BLOCKED_PATTERNS, SOFT_PATTERNS, REFUSED_PATTERNS))
_CERTIFICATION = _compile([CERTIFICATION_PATTERN])
_KINDS = {kind: _compile([words]) for kind, words in KIND_WORDS.items()}
_SENTENCE_END = re.compile(r"[.!?;\n]")


def _negated(text: str, start: int) -> bool:
    """Whether one of the four words before `start`, in the same sentence, is a negation."""
    before = _SENTENCE_END.split(text[:start])[-1]
    words = re.findall(r"[\w']+", before.lower().replace("’", "'"))[-4:]
    return any(word in NEGATIONS for word in words)


def _add(found: list[str], phrase: str) -> None:
    phrase = " ".join(phrase.split())
    if phrase.lower() not in (f.lower() for f in found):
        found.append(phrase)


def _phrases(pattern: re.Pattern, text: str, *, negatable: bool = True) -> list[str]:
    found: list[str] = []
    for match in pattern.finditer(text or ""):
        if not (negatable and _negated(text, match.start())):
            _add(found, match.group(0))
    return found


def find_blocked_claims(text: str) -> list[str]:
    """The phrases in `text` that claim to diagnose, cure, treat or prevent disease, or use
    prescription words: refused whatever is ticked. In order, without repeats."""
    return _phrases(_BLOCKED, text)


def find_soft_claims(text: str) -> list[str]:
    """The softer health claims in `text` ("detox", "boosts the immune system"), which the
    practitioner must confirm before saving. In order, without repeats."""
    return _phrases(_SOFT, text)


def find_refused_claims(text: str) -> list[str]:
    """The phrases in `text` that offer reflexology to induce labour, which no
    acknowledgement makes acceptable, in order, without repeats."""
    return _phrases(_REFUSED, text, negatable=False)


def find_unbacked_certification_claims(text: str, held_kinds: Iterable[str]) -> list[str]:
    """The certification claims in `text` ("ARCB certified: hand", "board certified") not
    backed by a current verified badge: of each kind named in the rest of the sentence, or
    of any kind when none is named. `held_kinds`: the kinds of the practitioner's current
    badges. In order, without repeats."""
    held = set(held_kinds)
    found: list[str] = []
    for match in _CERTIFICATION.finditer(text or ""):
        if _negated(text, match.start()):
            continue
        rest = _SENTENCE_END.split(text[match.end() :])[0][:60]
        named = {
            kind: kind_match
            for kind, pattern in _KINDS.items()
            if (kind_match := pattern.search(rest))
        }
        if (named and not set(named) <= held) or (not named and not held):
            end = match.end() + max((m.end() for m in named.values()), default=0)
            _add(found, text[match.start() : end])
    return found
