"""The claims check: wording that offers reflexology to induce labour is refused outright."""

import pytest

from practitioners.scope import find_claims, find_refused_claims


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Sessions to induce labour naturally.", "induce labour"),
        ("Reflexology can induce labor.", "induce labor"),
        ("Help with inducing labour at 40 weeks.", "inducing labour"),
        ("Late pregnancy: we bring on labour gently.", "bring on labour"),
        ("Induces your labour the natural way", "Induces your labour"),
        ("Natural labour induction package", "labour induction"),
        ("Bringing labor on, the natural way", "Bringing labor on"),
        ("Gentle induction of labour sessions", "induction of labour"),
        ("Kick-start your labour at 40 weeks", "Kick-start your labour"),
        (
            "Labour-inducing reflexology for overdue mums",
            ("Labour-inducing", "overdue mums"),
        ),
        ("Overdue? Get labour started the natural way", "labour started"),
        ("Sessions for overdue mums", "overdue mums"),
        ("Help when you are past your due date", "past your due date"),
        ("Reflexology to trigger labor", "trigger labor"),
        ("We help speed up labour", "speed up labour"),
    ],
)
def test_labour_induction_wording_is_refused(text, phrases):
    expected = [phrases] if isinstance(phrases, str) else list(phrases)
    assert find_refused_claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Relaxation and comfort in late pregnancy.",
        "Calm and rest as you prepare for labour; ask your midwife about anything else.",
        "Reduces tension in the labour of daily life.",
        "",
    ],
)
def test_other_pregnancy_wording_is_not_refused(text):
    assert find_refused_claims(text) == []


def test_refused_wording_is_separate_from_claims_to_acknowledge():
    assert find_claims("Sessions to induce labour") == []
