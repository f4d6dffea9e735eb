"""reflexbook.lib.translation: the pure modules' way to Django's translation functions,
loaded at call time (the pure-modules import contract sees no Django import)."""

from django.utils.functional import Promise
from django.utils.translation import override

from reflexbook.lib import translation


def test_the_wrappers_hand_back_djangos_translations():
    with override("en"):
        assert translation.gettext("Free") == "Free"
        assert translation.pgettext("tenderness", "mild") == "mild"
        assert translation.ngettext("%(n)s flag", "%(n)s flags", 2) == "%(n)s flags"


def test_the_lazy_wrappers_stay_lazy_until_read():
    lazy = translation.gettext_lazy("Free")
    assert isinstance(lazy, Promise)
    assert isinstance(translation.pgettext_lazy("tenderness", "mild"), Promise)
    assert str(lazy) == "Free"
