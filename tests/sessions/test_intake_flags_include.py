import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape

from sessions.safety import SESSION_CHANGES, URGENT_EMERGENCY, URGENT_TODAY, flags_for
from tests.sessions.intake_helpers import answers

TODAY = dt.date(2026, 11, 25)
FLAGS = flags_for(
    answers(
        oil_sensitivity=True,
        oil_sensitivity_details="Lavender",
        skin_product="none",
        verruca=["left_foot"],
        epilepsy=True,
        pregnancy="pregnant",
        pregnancy_weeks=20,
        midwife_aware=True,
        pregnancy_complications=["high_risk"],
        acute_illness=True,
    ),
    signed_on=TODAY,
)


class Booking:
    def __init__(self, clearance_confirmed_at=None, has_clearance_note=False):
        self.clearance_confirmed_at = clearance_confirmed_at
        self.has_clearance_note = has_clearance_note


def render(**context):
    return render_to_string("sessions/includes/flags.html", context)


def test_flags_render_as_a_list_with_tier_names_in_order_of_severity():
    html = render(flags=list(reversed(FLAGS)), audience="practitioner")

    tiers = re.findall(r"</span>\s*([A-Za-z ]+):</span>", html)
    assert tiers == [
        "Talk first",
        "Medical clearance",
        "Caution",
        "Avoid area",
        "Avoid oils",
        "No oils",
    ]
    assert html.count("<li") == len(FLAGS)
    assert '<ul class="list-unstyled rb-flags"' in html


def test_icons_are_decoration():
    html = render(flags=FLAGS, audience="client")

    icons = re.findall(r'<span class="rb-flag-icon"[^>]*>', html)
    assert icons and all('aria-hidden="true"' in icon for icon in icons)


def test_icons_are_inline_svg_not_emoji_or_symbol_characters():
    html = render(flags=FLAGS, audience="practitioner")

    icons = re.findall(r'<span class="rb-flag-icon" aria-hidden="true">(.*?)</span>', html, re.S)
    assert len(icons) == len(FLAGS)
    assert all(icon.startswith("<svg") and icon.endswith("</svg>") for icon in icons)
    for character in "✋✚⚠⊘⊗":
        assert character not in html


def test_client_reads_what_it_means_practitioner_reads_the_reason():
    client_html = render(flags=FLAGS, audience="client")
    practitioner_html = render(flags=FLAGS, audience="practitioner")

    assert "will want to talk with you before your session" in client_html
    assert "Usually postponed" not in client_html
    assert "Usually postponed" in practitioner_html
    assert "will want to talk with you" not in practitioner_html


def test_avoid_area_shows_the_area_and_no_oils_is_prominent():
    html = render(flags=FLAGS, audience="practitioner")

    assert "Area: Left foot" in html
    assert "<strong>No oils / unscented</strong>" in html


TICKED = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def test_a_ticked_clearance_reads_as_the_clients_word_for_the_practitioner():
    waiting = render(flags=FLAGS, audience="practitioner", booking=Booking())
    ticked = render(flags=FLAGS, audience="practitioner", booking=Booking(TICKED))

    assert "Pregnant (client says their doctor or midwife agrees)" in ticked
    assert "clearance confirmed" not in ticked
    assert "doctor or midwife agrees)" not in waiting
    assert "clearance confirmed" not in waiting


def test_clearance_reads_confirmed_only_with_a_note_uploaded_for_the_intake():
    html = render(
        flags=FLAGS,
        audience="practitioner",
        booking=Booking(TICKED, has_clearance_note=True),
    )

    assert "Pregnant (clearance confirmed: note uploaded)" in html
    assert "client says" not in html


def test_the_client_reads_their_own_confirmation_not_the_practitioners_words():
    html = render(flags=FLAGS, audience="client", booking=Booking(TICKED, has_clearance_note=True))

    assert "You confirmed you have talked with your healthcare provider." in html
    assert "clearance confirmed" not in html
    assert "client says" not in html


def test_no_flags_render_nothing():
    assert render(flags=[], audience="client").strip() == ""


def test_a_named_oil_sensitivity_reads_avoid_that_oil_for_client_and_practitioner():
    flags = flags_for(
        answers(oil_sensitivity=True, oil_sensitivity_details="Lavender: rash"), signed_on=TODAY
    )
    for audience in ("client", "practitioner"):
        html = render(flags=flags, audience=audience)

        assert "Avoid oils:</span>" in html
        assert "Avoid lavender and its plant family, Lamiaceae (mint family)" in html
        assert "No oils / unscented" not in html
    assert "will not use these, or products made with them" in render(
        flags=flags, audience="client"
    )


def _flag(code, **overrides):
    return next(f for f in flags_for(answers(**overrides), signed_on=TODAY) if f["code"] == code)


URGENT_CASES = [
    ("current_clot", {"dvt_current": True}, [URGENT_TODAY, URGENT_EMERGENCY]),
    ("chest_pain", {"chest_pain": True}, [URGENT_EMERGENCY, URGENT_TODAY]),
    (
        "pregnancy_warning_signs",
        {
            "pregnancy": "pregnant",
            "pregnancy_weeks": 20,
            "midwife_aware": True,
            "pregnancy_complications": ["bleeding"],
        },
        [URGENT_TODAY],
    ),
]


@pytest.mark.parametrize(("code", "overrides", "words"), URGENT_CASES)
def test_urgent_care_words_stand_out_for_the_client_first(code, overrides, words):
    flag = _flag(code, **overrides)

    client_html = render(flags=[flag], audience="client")
    practitioner_html = render(flags=[flag], audience="practitioner")

    urgent = re.search(r'<p class="rb-flag-urgent[^"]*"><strong>(.*?)</strong></p>', client_html)
    assert urgent and urgent.group(1) == " ".join(escape(w) for w in words)
    assert client_html.index("rb-flag-urgent") < client_html.index(escape(flag["detail"]))
    assert "rb-flag-urgent" not in practitioner_html


def test_flags_without_urgent_words_show_none():
    html = render(flags=[_flag("clot_history", dvt_past=True)], audience="client")

    assert "rb-flag-urgent" not in html


def test_stored_flags_from_before_urgent_words_still_render():
    old = {k: v for k, v in _flag("current_clot", dvt_current=True).items() if k != "urgent"}

    html = render(flags=[old], audience="client")

    assert "Blood clot now" in html
    assert "rb-flag-urgent" not in html


# Each new rule: (answers, a phrase of the client's text, a phrase of the practitioner's).
NEW_RULES = {
    "chest_pain": ({"chest_pain": True}, "chest pain or breathlessness now", "Do not go ahead"),
    "phlebitis": ({"phlebitis": True}, "you have phlebitis", "inflamed vein"),
    "leg_swelling": ({"leg_swelling": True}, "swelling is new or painful", "sign of a clot"),
    "pregnancy_first_trimester": (
        {"pregnancy": "pregnant", "pregnancy_weeks": 9, "midwife_aware": True},
        "less than 13 weeks pregnant",
        "never confirmed automatically",
    ),
    "ivf_cycle": ({"pregnancy": "ivf_cycle"}, "IVF or fertility-treatment cycle", "clinic"),
    "recent_surgery": (
        {"recent_surgery": True, "surgery_details": "Hip, 2 weeks ago"},
        "surgery in the last 6 weeks",
        "Client's note: “Hip, 2 weeks ago”",
    ),
    "unexplained_pain_or_lump": (
        {"unexplained_pain_or_lump": True},
        "pain or a lump that a doctor has not yet checked",
        "see their doctor first",
    ),
    "blood_pressure": ({"blood_pressure": "low"}, "blood pressure is high or low", "stand slowly"),
    "cancer_not_in_treatment": (
        {"cancer": "past"},
        "not having treatment now",
        "use light pressure",
    ),
    "lymph_nodes_removed": (
        {"lymph_nodes_removed": True},
        "lymph nodes removed",
        "no pressure on the affected arm or leg",
    ),
    "osteoporosis": ({"osteoporosis": True}, "osteoporosis", "Use light pressure"),
    "stones": ({"stones": True}, "gallstones or kidney stones", "lightly and briefly"),
    "mental_health": (
        {"mental_health": True},
        "mental-health condition",
        "Ask what helps them feel at ease",
    ),
    "under_18": (
        {"date_of_birth": "2010-05-01", "guardian_name": "Gail Guardian", "guardian_consent": True},
        "a parent or guardian must come with you",
        "must be present for the whole session",
    ),
    "older_or_frail": ({"frail": True}, "you feel frail", "offer a shorter session"),
    "foot_ulcer_area": (
        {"foot_ulcers": True, "foot_ulcers_where": "Right heel"},
        "Area: Right heel",
        "do not work on or near it",
    ),
    "epilepsy": ({"epilepsy": True}, "you have epilepsy", "may lower the seizure threshold"),
    # Reported at the pre-session check (a session rule), rendered by the same include.
    "alcohol_or_drugs_today": (
        {SESSION_CHANGES: ["alcohol_or_drugs"]},
        "alcohol or recreational drugs on the day",
        "postpone the session to another day",
    ),
}


@pytest.mark.parametrize("code", list(NEW_RULES))
def test_each_new_rule_renders_its_words_for_client_and_practitioner(code):
    overrides, client_words, practitioner_words = NEW_RULES[code]
    flag = _flag(code, **overrides)

    client_html = render(flags=[flag], audience="client")
    practitioner_html = render(flags=[flag], audience="practitioner")

    assert escape(client_words) in client_html
    assert escape(practitioner_words) in practitioner_html
    assert escape(flag["reason"]) not in client_html
    assert escape(flag["detail"]) not in practitioner_html
