"""The translations are complete and current (issue 19): every message of the Spanish and
French catalogs translated, none fuzzy, with the msgid's placeholders; the catalogs hold
exactly the messages marked in the sources now (a newly marked string with no translation
fails here); and the compiled .mo files are built from them."""

import gettext
import os

import pytest

from reflexbook.lib import catalogs
from tests import translations
from tests.translations import LOCALE_DIR, TRANSLATED, keys, placeholders, read_catalog

HOW_TO_UPDATE = (
    "Run `DJANGO_DEBUG=1 python manage.py makemessages -l es -l fr --no-obsolete "
    "--add-location=file --ignore='tests/*' --ignore='bench/*' --ignore='scripts/*' "
    "--ignore='deploy/*' --ignore='static/*' --ignore='media/*'`, then translate the new "
    "entries in locale/<lang>/LC_MESSAGES/django.po (README, Languages)."
)


def po_path(language: str):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages marked in the sources now. Extracting needs GNU xgettext: on a machine
    without it the comparison is skipped, in CI it fails."""
    if not translations.have_xgettext():
        reason = "GNU gettext's xgettext is not installed (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must check that the catalogs are current.")
        pytest.skip(f"{reason}: the catalogs cannot be compared with the sources.")
    return translations.extract(tmp_path_factory.mktemp("makemessages"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_none_fuzzy_with_its_placeholders(language):
    problems = []
    for message in read_catalog(po_path(language), language):
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        msgid = message.id[0] if plural else message.id
        where = f"{msgid!r} (context {message.context!r})" if message.context else repr(msgid)
        strings = message.string if plural else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {where}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {where}")
        if plural:
            wanted = set(placeholders(message.id[1]))
            # A singular form may leave the count out ("una reserva"), never add one.
            bad = [s for s in strings if not set(placeholders(s)) <= wanted]
        else:
            bad = [s for s in strings if placeholders(s) != placeholders(msgid)]
        problems += [f"placeholders differ: {where} -> {string!r}" for string in bad]
    assert not problems, f"locale/{language}: {len(problems)} problem(s)\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_holds_exactly_the_messages_marked_in_the_sources(language, extracted):
    committed = keys(read_catalog(po_path(language), language))
    current = keys(extracted)
    missing = sorted(current - committed, key=repr)
    obsolete = sorted(committed - current, key=repr)
    assert not missing and not obsolete, (
        f"locale/{language}/LC_MESSAGES/django.po is not current. {HOW_TO_UPDATE}\n"
        + "".join(f"missing: {key!r}\n" for key in missing)
        + "".join(f"obsolete: {key!r}\n" for key in obsolete)
    )


def test_the_compiled_catalogs_are_built_from_the_po_files():
    """The test run compiled them (tests/conftest.py), as `make messages` does."""
    for language in TRANSLATED:
        mo = po_path(language).with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run `make messages`"
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for message in read_catalog(po_path(language), language):
            if message.id and not isinstance(message.id, tuple) and message.string:
                if message.context:
                    shown = compiled.pgettext(message.context, message.id)
                else:
                    shown = compiled.gettext(message.id)
                assert shown == message.string, f"{mo} is stale: run `make messages`"


def test_compiling_leaves_out_fuzzy_and_untranslated_entries_and_keeps_the_plural_rule(tmp_path):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Yes"\nmsgstr "Oui"\n\n'
        '#, fuzzy\nmsgid "No"\nmsgstr "Non"\n\n'
        'msgid "Maybe"\nmsgstr ""\n\n'
        'msgid "%(n)s booking"\nmsgid_plural "%(n)s bookings"\n'
        'msgstr[0] "%(n)s réservation"\nmsgstr[1] "%(n)s réservations"\n',
        encoding="utf-8",
    )
    assert catalogs.compile_all(tmp_path) == [folder / "django.mo"]
    assert catalogs.compile_all(tmp_path) == []  # fresh: not written again
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.gettext("Yes") == "Oui"
    assert compiled.gettext("No") == "No"
    assert compiled.gettext("Maybe") == "Maybe"
    # French counts 0 as one.
    assert compiled.ngettext("%(n)s booking", "%(n)s bookings", 0) == "%(n)s réservation"


def test_a_pseudo_translation_keeps_placeholders_tags_and_date_formats():
    assert translations.pseudo("Hello, %(name)s") == "⟦Ĥéĺĺó, %(name)s⟧"
    assert translations.pseudo('<a href="%(url)s">Your practice</a>') == (
        '⟦<a href="%(url)s">Ýóúŕ ṗŕáçŧíçé</a>⟧'
    )
    assert translations.pseudo("D j M, g:i a") == "D j M, g:i a"
    assert translations.pseudo("l j F") == "l j F"
    assert translations.pseudo("No") == "⟦Ñó⟧"
