"""Compile the translations: each `locale/<lang>/LC_MESSAGES/django.po` to the `.mo` beside it.

The .po files are committed, the .mo files are not (they are build output). `make run`,
`make test` and the test suite (tests/conftest.py) compile them with this module, in pure
Python (Babel), so nobody needs GNU gettext's msgfmt:

    python -m reflexbook.lib.catalogs [locale]

Only a .mo older than its .po is written, through a temporary file renamed into place, so
several test processes starting together never read half a file. Fuzzy and untranslated
entries are left out (English shows), as msgfmt does; tests/reflexbook/test_translations.py
fails on any of them.
"""

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalog(po: Path, mo: Path) -> None:
    """Write `po`'s translated, non-fuzzy entries to `mo` (atomically)."""
    with po.open("rb") as handle:
        # The language from the folder's name, so the .mo carries its plural rule (French
        # counts 0 as one) even when the .po header leaves it out.
        catalog = read_po(handle, locale=po.parent.parent.name)
    descriptor, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".", suffix=".mo")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compile_all(locale_dir: Path = DEFAULT_LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile every stale (or, with `force`, every) .po under `locale_dir`; the .mo written."""
    written = []
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if force or _stale(po, mo):
            compile_catalog(po, mo)
            written.append(mo)
    return written


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LOCALE_DIR
    for path in compile_all(directory):
        print(f"compiled {path.relative_to(directory.parent)}")
