"""The record form with an area to avoid by zone: a left heel verruca shades the left heel,
a heel point needs the override with a reason, solar plexus on the same foot does not; an
area the practitioner finds at the pre-session check counts the same."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import PointWorked, SessionRecord
from sessions.safety import flags_for
from tests.sessions.record_helpers import AVOID_LEFT_FOOT, form_data, past_booking

pytestmark = pytest.mark.django_db

LEFT_HEEL_VERRUCA = flags_for(
    {"pregnancy": "not_pregnant", "verruca": ["left_foot"], "verruca_zones": ["foot:heel"]},
    signed_on=timezone.localdate(),
)
HEEL_POINT = {"point-foot-pelvis-L": "on", "tender-foot-pelvis-L": "1"}
SOLAR_PLEXUS = {"point-foot-solar-plexus-L": "on", "tender-foot-solar-plexus-L": "2"}


def url(booking) -> str:
    return reverse("sessions:record", kwargs={"code": booking.code})


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


@pytest.fixture
def heel_booking(practitioner, client_user):
    return past_booking(practitioner, client_user, flags=LEFT_HEEL_VERRUCA)


def spot(html: str, key: str) -> str:
    """The map point's opening tag for `key` (e.g. foot-pelvis-L)."""
    return re.search(rf'<g class="rb-spot[^>]*data-key="{key}"[^>]*>', html).group(0)


def test_the_map_shades_the_left_heel_and_says_so_in_words(as_practitioner, heel_booking):
    html = as_practitioner.get(url(heel_booking)).text

    assert "Avoid: left heel (verruca)" in html
    bands = re.findall(r'<rect class="rb-avoid-band" data-avoid-band="(\w)"', html)
    assert bands == ["L"]
    assert 'data-avoid="left heel (verruca)"' in spot(html, "foot-pelvis-L")
    assert "rb-spot-avoid" in spot(html, "foot-pelvis-L")
    assert "data-avoid" not in spot(html, "foot-solar-plexus-L")
    assert "data-avoid" not in spot(html, "foot-pelvis-R")
    # The list (the way without JavaScript) names it by the point too.
    assert 'id="avoid-foot-pelvis-L">Avoid: left heel (verruca)' in html
    assert 'id="avoid-foot-solar-plexus-L"' not in html


def test_a_heel_point_on_the_left_foot_is_refused_without_the_override(
    as_practitioner, heel_booking
):
    response = as_practitioner.post(url(heel_booking), form_data(**HEEL_POINT))

    assert response.status_code == 200
    assert (
        "These points are in an area to avoid: Left foot: Pelvis / buttocks "
        "(avoid: left heel (verruca))" in response.text
    )
    assert 'id="point-foot-pelvis-L" checked' in response.text
    assert not PointWorked.objects.exists()


def test_a_heel_point_is_saved_with_the_override_and_its_reason(as_practitioner, heel_booking):
    data = form_data(
        **HEEL_POINT, area_override="on", area_override_reason="Verruca covered; light touch"
    )

    response = as_practitioner.post(url(heel_booking), data)

    assert response.status_code == 302
    record = SessionRecord.objects.get(booking=heel_booking)
    assert record.area_override_reason == "Verruca covered; light touch"
    assert record.points.get().point.slug == "foot-pelvis"


def test_solar_plexus_on_the_left_foot_needs_no_override(as_practitioner, heel_booking):
    data = form_data(**SOLAR_PLEXUS, **{"point-foot-pelvis-R": "on"})

    response = as_practitioner.post(url(heel_booking), data)

    assert response.status_code == 302
    record = SessionRecord.objects.get(booking=heel_booking)
    assert sorted((w.point.slug, w.side) for w in record.points.all()) == [
        ("foot-pelvis", "R"),
        ("foot-solar-plexus", "L"),
    ]
    assert record.area_override_reason == ""


def test_a_flag_stored_before_zones_still_blocks_the_whole_foot(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=[AVOID_LEFT_FOOT])

    response = as_practitioner.post(url(booking), form_data(**SOLAR_PLEXUS))

    assert response.status_code == 200
    assert "These points are in an area to avoid: Left foot: Solar plexus" in response.text
    assert not PointWorked.objects.exists()


def test_an_area_found_at_the_check_blocks_its_zone_only(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user)
    found = {"found_what": "injury", "found_place": "foot:R:toes"}
    brain = {"point-foot-brain-R": "on", "tender-foot-brain-R": "0"}

    refused = as_practitioner.post(url(booking), form_data(**found, **brain))
    saved = as_practitioner.post(url(booking), form_data(**found, **SOLAR_PLEXUS))

    assert refused.status_code == 200
    assert "Left foot" not in re.search(
        r"These points are in an area to avoid: [^<]*", (refused.text)
    ).group(0)
    assert "Right foot: Brain / top of head (avoid: right toes (injury, seen at the check))" in (
        refused.text
    )
    assert saved.status_code == 302
    record = SessionRecord.objects.get(booking=booking)
    assert record.avoid_found == [{"what": "injury", "map": "foot", "side": "R", "part": "toes"}]
    html = as_practitioner.get(url(booking)).text
    assert "Avoid: right toes (injury, seen at the check)" in html
    assert re.findall(r'data-avoid-band="(\w)"', html) == ["R"]
    assert "selected>Right toes</option>" in html or 'value="foot:R:toes" selected' in html


@pytest.mark.parametrize(
    ("found", "field", "words"),
    [
        ({"found_what": "verruca"}, "found_place", "You named an area to avoid: choose where"),
        ({"found_place": "foot:L:heel"}, "found_what", "You chose a place: say what you found"),
    ],
)
def test_a_half_named_area_found_at_the_check_is_refused(
    as_practitioner, practitioner, client_user, found, field, words
):
    booking = past_booking(practitioner, client_user)

    response = as_practitioner.post(url(booking), form_data(**found))

    assert response.status_code == 200
    assert words in response.text
    assert SessionRecord.objects.get(booking=booking).avoid_found == []
