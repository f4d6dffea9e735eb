import datetime as dt
import re

from django.template.loader import render_to_string

from sessions.safety import flags_for
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
    def __init__(self, clearance_confirmed_at=None):
        self.clearance_confirmed_at = clearance_confirmed_at


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


def test_clearance_reads_confirmed_for_the_practitioner_once_confirmed():
    waiting = render(flags=FLAGS, audience="practitioner", booking=Booking())
    confirmed = render(
        flags=FLAGS,
        audience="practitioner",
        booking=Booking(clearance_confirmed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)),
    )

    assert "Pregnant (clearance confirmed)" in confirmed
    assert "(clearance confirmed)" not in waiting


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
