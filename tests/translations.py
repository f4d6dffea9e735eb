"""Helpers for the translation tests (issue 19): the msgids in the sources now, a pseudo-locale
built from them, and the visible text of a page that did not go through it.

The pseudo-locale ("en-xa") translates every msgid to itself with its letters accented and
wrapped in ⟦…⟧, placeholders, tags and entities kept: a page rendered in it shows at a glance
(and to `untranslated`) every text that was not marked for translation.
"""

import functools
import gettext
import os
import re
import shutil
import subprocess
import sys
import zoneinfo
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import django
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.utils.translation import to_locale

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
TRANSLATED = ("es", "fr")
PSEUDO = "en-xa"
PSEUDO_NAME = "⟦Ƥšéúđó⟧"

# What `makemessages` reads, as /work/i18n/fill.py and the README run it: everything but these
# top-level folders (and hidden ones, which makemessages skips itself).
NOT_SOURCES = {
    "tests",
    "bench",
    "scripts",
    "deploy",
    "static",
    "media",
    "locale",
    "private",
    "staticfiles",
    "node_modules",
}
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdfr]|%[sd]|\{[a-zA-Z0-9_]*\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


def have_xgettext() -> bool:
    return shutil.which("xgettext") is not None


def extract(workdir: Path) -> Catalog:
    """The messages `makemessages` finds in the sources now (needs GNU xgettext), without
    touching the committed locale/: it runs over a tree of links to the sources, with
    LOCALE_PATHS pointed into `workdir`."""
    tree = workdir / "sources"
    tree.mkdir()
    for entry in BASE_DIR.iterdir():
        if not entry.name.startswith(".") and entry.name not in NOT_SOURCES:
            (tree / entry.name).symlink_to(entry)
    output = tree / "locale"
    output.mkdir()
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        f"settings.LOCALE_PATHS = [{str(output)!r}]\n"
        "from django.core.management import call_command\n"
        "call_command('makemessages', locale=['es'], symlinks=True, no_obsolete=True,"
        " add_location='file', verbosity=0)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=tree,
        env={
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "reflexbook.settings",
            "PYTHONPATH": str(BASE_DIR),
        },
        check=True,
        capture_output=True,
    )
    return read_catalog(output / "es" / "LC_MESSAGES" / "django.po", "es")


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def keys(catalog: Catalog) -> set[tuple]:
    """Each message as (context, msgid[, msgid_plural]), the header left out."""
    return {
        (message.context, *(message.id if isinstance(message.id, tuple) else (message.id,)))
        for message in catalog
        if message.id
    }


# --- the pseudo-locale -----------------------------------------------------------------------

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçđéƒğĥíĵķĺḿñóṗʠŕšŧúṽŵẋýžÁƁÇĐÉƑĞĤÍĴĶĹḾÑÓṖɊŔŠŦÚṼŴẊÝŽ"
assert len(_PLAIN) == len(_ACCENTED)
_ACCENT = str.maketrans(_PLAIN, _ACCENTED)
# Kept as they are: placeholders, %%, HTML tags and entities.
_KEEP = re.compile(r"%\([a-zA-Z0-9_]+\)[sdfr]|%[sd%]|\{[a-zA-Z0-9_]*\}|<[^>]*>|&[#a-zA-Z0-9]+;")
# A translatable date format (`{{ when|date:_("D j M, g:i a") }}`): only format characters,
# separators, and no run of three letters (no word).
_DATE_FORMAT = re.compile(r"[dDjlNSwzWFMmnyYaAbBcefgGhHiIsuOPrtTUZEL ,.:/\-–()\\]+")


def is_date_format(msgid: str) -> bool:
    return bool(_DATE_FORMAT.fullmatch(msgid)) and not re.search(r"[A-Za-z]{3}", msgid)


def pseudo(msgid: str) -> str:
    """`msgid` accented and wrapped in ⟦…⟧ (a date format is left as it is: it must stay one)."""
    if is_date_format(msgid):
        return msgid
    parts = []
    last = 0
    for kept in _KEEP.finditer(msgid):
        parts.append(msgid[last : kept.start()].translate(_ACCENT))
        parts.append(kept.group())
        last = kept.end()
    parts.append(msgid[last:].translate(_ACCENT))
    return "⟦" + "".join(parts) + "⟧"


def write_pseudo_catalog(messages: Catalog, locale_dir: Path) -> Path:
    """A compiled pseudo-locale of `messages` in `locale_dir` (a LOCALE_PATHS entry)."""
    catalog = Catalog(locale="en", domain="django")
    for message in messages:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string = tuple(pseudo(part) for part in message.id)
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    folder = locale_dir / to_locale(PSEUDO) / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "django.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder / "django.mo"


def reset_translation_caches() -> None:
    """Forget loaded catalogs and language look-ups (after LANGUAGES or LOCALE_PATHS change)."""
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    for name in ("translation_catalog_exists", "get_languages", "_get_supported_language_variant"):
        cached = getattr(trans_real, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


# --- what a page shows that was not translated ------------------------------------------------

# Attributes a person reads or hears.
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description"}


class VisibleText(HTMLParser):
    """The text nodes of a page outside script, style and template, and the attributes people
    read (plus a submit button's value)."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        attributes = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name])
        button = tag == "input" and attributes.get("type") in ("submit", "button")
        if button and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def django_messages(language: str = "es") -> set[str]:
    """Every msgid that Django and the installed apps translate themselves (their own
    catalogs for `language`): such a text on a page is translated, just not by us."""
    found: set[str] = set()
    folders = [Path(django.__file__).parent / "conf" / "locale"]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    for folder in folders:
        for mo in folder.glob(f"{language}/LC_MESSAGES/*.mo"):
            if mo.parent.parent.parent.resolve() == LOCALE_DIR.resolve():
                continue
            with mo.open("rb") as handle:
                for key in gettext.GNUTranslations(handle)._catalog:
                    msgid = key[0] if isinstance(key, tuple) else key
                    if msgid:
                        found.add(msgid.split("\x04")[-1])
            po = mo.with_suffix(".po")  # a .mo keeps a plural's singular only
            if po.exists():
                with po.open("rb") as handle:
                    for message in read_po(handle):
                        ids = message.id if isinstance(message.id, tuple) else (message.id,)
                        found.update(msgid for msgid in ids if msgid)
    return found | {loose(msgid) for msgid in found}


# Words of dates and times as Django writes them in English (the pseudo-locale has Django's
# English catalog): day and month names and their abbreviations, a.m./p.m., noon, midnight,
# and the units of "3 days" or "in 2 hours".
_DATE_WORDS = {
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "a.m.",
    "a.m",
    "p.m",
    "p.m.",
    "AM",
    "PM",
    "am",
    "pm",
    "noon",
    "midnight",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
}
_ZONE = re.compile(r"^[A-Z][A-Za-z_]+/[A-Za-z_/+-]+$|^(UTC|GMT)([+-]\d+)?$|^[A-Z]{2,5}$")
_PSEUDO_SEGMENT = re.compile(r"⟦[^⟦⟧]*⟧")
# Deliberately the same in every language.
NEVER_TRANSLATED = {
    "reflexbook",
    "ARCB",
    "English",
    "Español",
    "Français",
    PSEUDO_NAME,
    # Products' names, as their makers write them in every language.
    "Google Calendar",
    "Apple Calendar",
    "Outlook",
}
# Time zones as the zone pickers show them (data: the IANA names, "_" as a space).
_ZONE_LABELS = frozenset(zone.replace("_", " ") for zone in zoneinfo.available_timezones())


def loose(text: str) -> str:
    """`text` without numbers, placeholders and end punctuation, for matching a rendered text
    ("at least 8 characters.") with a message ("at least %(min_length)d characters.")."""
    bare = re.sub(r"%\(\w+\)[sdfr]|%[sd]|\d+", " ", text)
    return " ".join(bare.split()).strip(" .,:;!?")


def untranslated(text: str, *, data: Iterable[str], django_texts: set[str]) -> str | None:
    """What is left of `text` once the pseudo-translated parts, the data the test made, Django's
    own texts, dates, numbers, addresses and punctuation are taken out; None when nothing is."""
    if re.fullmatch(r"\s*https?://\S+\s*", text):
        return None  # an address shown as text (a calendar feed to copy)
    if " ".join(text.split()) in _ZONE_LABELS:
        return None
    rest = text
    while True:
        stripped = _PSEUDO_SEGMENT.sub(" ", rest)
        if stripped == rest:
            break
        rest = stripped
    rest = _words_pattern((*data, *NEVER_TRANSLATED)).sub(" ", rest)
    whole = " ".join(rest.split()).strip(" .,:;!?()[]·—–-|/")
    if not whole or whole in django_texts or loose(whole) in django_texts:
        return None

    leftovers = []
    for token in whole.split():
        bare = token.strip(".,:;!?()[]{}\"'«»“”‘’·—–-|/*+#%…⟦⟧")
        if not re.search(r"[A-Za-z]", bare):
            # Numbers, punctuation, and the pseudo-locale's accented words split by a tag
            # inside one message (`<a>` in a sentence): every plain letter is accented there.
            continue
        if re.fullmatch(r"[A-Z]", bare):
            continue  # a name's initial (the avatar of someone without a photo)
        if bare in _DATE_WORDS or token in _DATE_WORDS or _ZONE.match(bare):
            continue
        if "@" in bare or "://" in token or token.startswith("/"):
            continue
        if re.search(r"\d", bare) and re.fullmatch(r"[\w:.\-/]+", bare):
            continue  # 10:00, 3pm, 2026-06-01, codes
        leftovers.append(token)
    return " ".join(leftovers) or None


@functools.lru_cache(maxsize=8)
def _words_pattern(values: tuple[str, ...]) -> re.Pattern:
    """Any of `values` as whole words (longest first), so a short value ("en") never eats
    part of a word ("Client")."""
    ordered = sorted(set(values), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def data_strings(models_modules: Iterable[str] = ("accounts", "practitioners", "sessions")):
    """Every text the database holds now in the project's models (names, services, bios,
    answers...), longest first: data, never translated. Fields with choices are left out
    (their labels are ours to translate)."""
    values: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            if len(value.strip()) >= 2:
                values.add(value.strip())
                values.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 2)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for label in models_modules:
        config = next(c for c in apps.get_app_configs() if c.name == label)
        for model in config.get_models():
            fields = [
                field
                for field in model._meta.concrete_fields
                if not field.choices
                and field.get_internal_type() in _TEXT_FIELD_TYPES
                or field.get_internal_type() == "JSONField"
            ]
            if not fields:
                continue
            manager = model._base_manager
            for row in manager.all():
                for field in fields:
                    value = getattr(row, field.attname)
                    walk(value)
                    if "name" in field.name and isinstance(value, str):
                        walk(value.split())  # a first name on its own ("Hello Ann,")
    return tuple(sorted(values, key=len, reverse=True))


_TEXT_FIELD_TYPES = {"CharField", "TextField", "EmailField", "SlugField", "URLField"}
