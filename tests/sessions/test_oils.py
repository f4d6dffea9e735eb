"""The data file of oils (sessions/data/oils.yaml) and how sessions.oils finds oils in text."""

import pytest
import yaml

from sessions import oils

COMMON = [
    "lavender", "peppermint", "eucalyptus", "tea tree", "frankincense", "roman chamomile",
    "german chamomile", "rosemary", "lemon", "lime", "sweet orange", "bergamot", "grapefruit",
    "mandarin", "ylang ylang", "geranium", "clary sage", "sage", "hyssop", "camphor", "fennel",
    "sandalwood", "juniper", "marjoram", "patchouli", "neroli", "rose", "lemongrass",
    "cedarwood", "vetiver", "myrrh", "ginger", "clove", "cinnamon", "thyme", "black pepper",
    "basil", "wintergreen", "birch", "cypress", "petitgrain", "palmarosa", "jasmine",
    "spearmint", "aniseed", "nutmeg", "parsley seed",
]  # fmt: skip


def names(text: str) -> list[str]:
    return [oil.name for oil in oils.named_in(text)]


def test_the_data_file_loads_with_every_common_oil():
    assert set(COMMON) <= set(oils.BY_NAME)
    assert {oil.name for oil in oils.NUT_CARRIERS} >= {"sweet almond", "macadamia", "shea"}


def test_every_oil_has_a_known_family_and_only_known_cautions():
    raw = yaml.safe_load(oils.DATA.read_text(encoding="utf-8"))
    for row in raw["oils"]:
        assert {"name", "words", "botanical", "family", "cautions"} <= set(row), row["name"]
    for oil in oils.ESSENTIAL_OILS:
        assert oil.family in oils.FAMILIES, oil.name
        assert oil.family_name
        assert oil.cautions <= set(oils.CAUTIONS), oil.name
        assert oil.words and not oil.carrier
    for carrier in [oil for oil in oils.OILS if oil.carrier]:
        assert isinstance(carrier.nut, bool) and not carrier.family


def test_no_word_names_two_oils():
    seen = {}
    for oil in oils.OILS:
        for word in oil.words:
            plain = " ".join(word.lower().replace("-", " ").split())
            assert seen.setdefault(plain, oil.name) == oil.name, word


def with_caution(caution: str) -> set[str]:
    return {oil.name for oil in oils.ESSENTIAL_OILS if caution in oil.cautions}


def test_oils_restricted_in_pregnancy():
    assert {
        "clary sage", "sage", "hyssop", "camphor", "rosemary", "fennel", "aniseed", "basil",
        "wintergreen", "birch", "parsley seed", "juniper", "cinnamon", "thyme", "myrrh",
    } <= with_caution("pregnancy")  # fmt: skip
    assert not {"lavender", "mandarin", "frankincense"} & with_caution("pregnancy")


def test_oils_restricted_with_epilepsy():
    assert {"rosemary", "sage", "hyssop", "fennel", "camphor", "eucalyptus"} <= with_caution(
        "epilepsy"
    )
    assert "lavender" not in with_caution("epilepsy")


def test_oils_restricted_for_children():
    assert {"peppermint", "eucalyptus", "wintergreen", "rosemary", "birch"} <= with_caution(
        "children"
    )


def test_phototoxic_oils_are_the_cold_pressed_citrus_and_not_sweet_orange_or_neroli():
    phototoxic = with_caution("phototoxic")
    assert {"bergamot", "lime", "lemon", "grapefruit", "bitter orange"} <= phototoxic
    assert not {"sweet orange", "mandarin", "neroli", "lemongrass"} & phototoxic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A relaxing massage", []),
        ("Sublime foot cream", []),
        ("Rosemary, then rose", ["rosemary", "rose"]),
        ("Rose otto", ["rose"]),
        ("Rose geranium", ["geranium"]),
        ("Rose hip oil", ["rosehip"]),
        ("Evening primrose", ["evening primrose"]),
        ("Lemongrass and lemon", ["lemongrass", "lemon"]),
        ("Lemon balm", ["melissa"]),
        ("Orange blossom water", ["neroli"]),
        ("Sweet orange", ["sweet orange"]),
        ("Bitter orange", ["bitter orange"]),
        ("Lime blossom", ["linden blossom"]),
        ("Two limes", ["lime"]),
        ("Clary sage", ["clary sage"]),
        ("Sage", ["sage"]),
        ("Spike lavender", ["spike lavender"]),
        ("Lavendar", ["lavender"]),
        ("Lavandula angustifolia", ["lavender"]),
        ("Melaleuca alternifolia", ["tea tree"]),
        ("tea-tree", ["tea tree"]),
        ("Ylang-ylang", ["ylang ylang"]),
        ("Star anise", ["star anise"]),
        ("Pineapple scrub", []),
        ("Peppermint, not mint", ["peppermint"]),
        ("Sweet almond oil", ["sweet almond"]),
        ("Shea butter", ["shea"]),
        ("Unscented balm", []),
    ],
)
def test_oils_are_found_as_whole_words_longest_first(text, expected):
    assert names(text) == expected


def test_unscented_and_fragrance_free_are_not_fragrance():
    assert oils.fragrance_in("Unscented balm, fragrance-free cream, no perfume") == []
    assert oils.fragrance_in("A perfumed cream") == ["perfumed"]
    assert oils.says_unscented("Fragrance free balm")


@pytest.mark.parametrize(
    ("text", "general"),
    [
        ("Perfume gives me a headache", True),
        ("Lavender and most essential oils", True),
        ("All oils", True),
        ("Scented creams", True),
        ("Lavender: rash", False),
        ("Lavender essential oil", False),
    ],
)
def test_a_sensitivity_to_oils_or_fragrance_in_general(text, general):
    assert oils.in_general(text) is general


def test_avoid_text_names_the_oils_and_their_family():
    assert oils.avoid_text(["lavender"], ["lamiaceae"]) == (
        "avoid lavender and its plant family, Lamiaceae (mint family)"
    )
    assert oils.avoid_text(["lime", "rose"], ["rutaceae", "rosaceae"]) == (
        "avoid lime, rose and their plant families, Rutaceae (citrus family) and Rosaceae "
        "(rose family)"
    )
