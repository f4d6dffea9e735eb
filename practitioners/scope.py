"""Scope of practice: ARCB standards bar claims to diagnose, treat or cure. Profile and service
texts that use such words get a warning the practitioner must acknowledge before saving; an
offer to induce labour is refused outright."""

import re

# Each pattern is matched as whole words, case-insensitively.
CLAIM_PATTERNS = [
    r"diagnos\w*",
    r"cures?",
    r"cured",
    r"curing",
    r"heals?\s+\w+",
    r"healing\s+(?:of\s+)?\w+",
    r"treats?\s+\w+",
    r"treating\s+\w+",
    r"treatment\s+(?:of|for)\s+\w+",
    r"medical\s+reflexolog\w*",
    r"prescrib\w*",
    r"remed(?:y|ies)\s+for\s+\w+",
    r"fix(?:es)?\s+your\s+\w+",
]
_CLAIMS = re.compile(r"\b(?:" + "|".join(CLAIM_PATTERNS) + r")\b", re.IGNORECASE)
# Refused outright, whatever the practitioner acknowledges: reflexology has no evidence for
# inducing labour (Cochrane review CD009290), so it must not be offered for it.
_LABOUR = r"(?:(?:your|the|her)\s+)?labou?r"
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
_REFUSED = re.compile(r"\b(?:" + "|".join(REFUSED_PATTERNS) + r")\b", re.IGNORECASE)


def _phrases(pattern: re.Pattern, text: str) -> list[str]:
    found: list[str] = []
    for match in pattern.finditer(text or ""):
        phrase = " ".join(match.group(0).split())
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found


def find_claims(text: str) -> list[str]:
    """The phrases in `text` that read as medical claims, in order, without repeats."""
    return _phrases(_CLAIMS, text)


def find_refused_claims(text: str) -> list[str]:
    """The phrases in `text` that offer reflexology to induce labour, which no
    acknowledgement makes acceptable, in order, without repeats."""
    return _phrases(_REFUSED, text)
