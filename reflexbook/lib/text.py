"""Validators for text people type: one definition of what a single-line field and a name may
hold, used by the forms of every app and by the practitioners models.

- `single_line`: no line breaks (CR, LF, the Unicode line and paragraph separators) and no
  other control characters (tab, NUL, escape, DEL, the C1 range). A name or a phone number
  with a line break in it breaks emails' headers, CSV exports and the pages that show it.
- `no_bidi_controls`: no bidirectional override or isolate characters (U+202A–U+202E,
  U+2066–U+2069). In a name they make text read differently from how it is stored, e.g. a
  display name that shows as another practitioner's.
- `NAME_VALIDATORS`: both, for names and slugs.
- `phone_number`: a number someone can dial, on one line.
- `postcode_key`: a postcode as postcodes are compared (case and spaces ignored).
"""

import unicodedata

from django.core.exceptions import ValidationError

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line and paragraph separators are not "control characters" to Unicode (Zl, Zp) but end a
# line all the same.
LINE_SEPARATORS = frozenset("\u2028\u2029")


def _describe(char: str) -> str:
    if char in "\r\n" or char in LINE_SEPARATORS:
        return "a line break"
    if char == "\t":
        return "a tab"
    return f"the control character U+{ord(char):04X}"


def single_line(value: str) -> None:
    """Refuse line breaks and control characters (Unicode category Cc) anywhere in `value`."""
    for char in value:
        if char in LINE_SEPARATORS or unicodedata.category(char) == "Cc":
            raise ValidationError(
                "Enter this on one line: it contains %(what)s. Remove it and try again.",
                code="not_single_line",
                params={"what": _describe(char)},
            )


def no_bidi_controls(value: str) -> None:
    """Refuse the bidirectional override and isolate characters (U+202A–U+202E,
    U+2066–U+2069), which make text display in a different order from how it is stored."""
    for char in value:
        if char in BIDI_CONTROLS:
            raise ValidationError(
                "Remove the hidden text-direction character (U+%(code)04X): names must show "
                "exactly as they are typed.",
                code="bidi_control",
                params={"code": ord(char)},
            )


NAME_VALIDATORS = [single_line, no_bidi_controls]


PHONE_CHARACTERS = frozenset("0123456789+-() .")
PHONE_MIN_DIGITS = 7


def phone_number(value: str) -> None:
    """Refuse what cannot be dialled: only digits, spaces, "+", "-", "(", ")" and ".", with
    at least 7 digits (e.g. +1 503 555 0142, (503) 555-0142). Line breaks are refused
    with the rest."""
    digits = sum(char in "0123456789" for char in value)
    if not set(value) <= PHONE_CHARACTERS or digits < PHONE_MIN_DIGITS:
        raise ValidationError(
            "Enter a phone number of at least 7 digits, such as +1 555 123 4567.",
            code="invalid_phone",
        )


def postcode_key(value: str) -> str:
    """A postcode as postcodes are compared: upper case, without spaces or hyphens
    ("sw1a 1aa" and "SW1A1AA" are the same; so are "97201-1234" and "972011234")."""
    return "".join(char for char in value.upper() if char not in " -")
