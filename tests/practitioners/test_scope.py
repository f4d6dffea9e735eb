"""The claims check: wording that offers reflexology to induce labour is refused outright."""

import pytest

from practitioners.scope import find_claims, find_refused_claims


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Sessions to induce labour naturally.", "induce labour"),
        ("Reflexology can induce labor.", "induce labor"),
        ("Help with inducing labour at 40 weeks.", "inducing labour"),
        ("Late pregnancy: we bring on labour gently.", "bring on labour"),
        ("Induces your labour the natural way", "Induces your labour"),
        ("Natural labour induction package", "labour induction"),
        ("Bringing labor on, the natural way", "Bringing labor on"),
        ("Gentle induction of labour sessions", "induction of labour"),
    ],
)
def test_labour_induction_wording_is_refused(text, phrase):
    assert find_refused_claims(text) == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "Relaxation and comfort in late pregnancy.",
        "I do not offer sessions to start labour early; ask your midwife.",
        "Reduces tension in the labour of daily life.",
        "",
    ],
)
def test_other_pregnancy_wording_is_not_refused(text):
    assert find_refused_claims(text) == []


def test_refused_wording_is_separate_from_claims_to_acknowledge():
    assert find_claims("Sessions to induce labour") == []
