"""Scope of practice: ARCB standards bar claims to diagnose, treat or cure. Profile and service
texts that use such words get a warning the practitioner must acknowledge before saving."""

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


def find_claims(text: str) -> list[str]:
    """The phrases in `text` that read as medical claims, in order, without repeats."""
    found: list[str] = []
    for match in _CLAIMS.finditer(text or ""):
        phrase = " ".join(match.group(0).split())
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return found
