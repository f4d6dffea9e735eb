"""The claims checks (practitioners.scope): claims to diagnose, cure, treat or prevent disease,
prescription words and offers to induce labour are refused; softer health claims warn; a
certification claim needs a current verified badge of its kind."""

import pytest

from practitioners.scope import (
    find_blocked_claims,
    find_refused_claims,
    find_soft_claims,
    find_unbacked_certification_claims,
)


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


def test_labour_wording_has_its_own_message_not_the_general_one():
    assert find_blocked_claims("Sessions to induce labour") == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I can diagnose what is wrong.", "diagnose"),
        ("Reflexology cures back pain.", "cures"),
        ("Sessions that heal migraines.", "heal migraines"),
        ("This session treats anxiety.", "treats anxiety"),
        ("Treatment for infertility.", "Treatment for infertility"),
        ("Regular sessions prevent heart disease.", "prevent heart disease"),
        ("Cancer prevention through the feet.", "Cancer prevention"),
        ("I prescribe a course of six sessions.", "prescribe"),
        ("A natural alternative to your prescription.", "prescription"),
        ("Medical reflexology for all ages.", "Medical reflexology"),
    ],
)
def test_claims_to_diagnose_cure_treat_prevent_or_prescribe_are_blocked(text, phrase):
    assert find_blocked_claims(text) == [phrase]
    assert find_soft_claims(text) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("A gentle detox for body and mind.", "detox"),
        ("Detoxifying foot sessions.", "Detoxifying"),
        ("It boosts the immune system.", "boosts the immune system"),
        ("Helps boost your immunity.", "boost your immunity"),
        ("Said to balance hormones.", "balance hormones"),
        ("It balances hormones naturally.", "balances hormones"),
        ("Flushes out toxins.", "Flushes out toxins"),
    ],
)
def test_softer_health_claims_warn(text, phrase):
    assert find_soft_claims(text) == [phrase]
    assert find_blocked_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Reflexology does not diagnose, treat or cure any condition.",
        "I never prescribe; ask your doctor about medication.",
        "Treat yourself to an hour of calm.",
        "A relaxing session for wellbeing.",
        "",
    ],
)
def test_disclaimers_and_plain_wording_are_not_claims(text):
    assert find_blocked_claims(text) == []
    assert find_soft_claims(text) == []


@pytest.mark.parametrize(
    ("text", "held", "unbacked"),
    [
        ("ARCB certified: foot", {"foot"}, []),
        ("ARCB certified: foot", set(), ["ARCB certified: foot"]),
        ("ARCB certified: hand", {"foot"}, ["ARCB certified: hand"]),
        ("Board certified reflexologist.", set(), ["Board certified"]),
        ("Board certified reflexologist.", {"hand"}, []),
        (
            "Nationally certified in hand and foot.",
            {"foot"},
            ["Nationally certified in hand and foot"],
        ),
        ("Nationally certified in hand and foot.", {"foot", "hand"}, []),
        ("Member of the ARCB since 2019.", set(), ["ARCB"]),
        ("I am not ARCB certified.", set(), []),
        ("Certified by my training school.", set(), []),
    ],
)
def test_certification_claims_need_a_badge_of_the_kind_named(text, held, unbacked):
    assert find_unbacked_certification_claims(text, held) == unbacked
