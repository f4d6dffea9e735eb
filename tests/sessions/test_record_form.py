"""The practitioner's record form: starting the draft, the points worked posted without
JavaScript, the map's markup, the oil and avoid-area safety checks, and keeping what was typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import PointWorked, SessionRecord
from sessions.models.intake import PreSessionCheck
from sessions.records import AFTERCARE_TEMPLATE
from tests.sessions.record_helpers import AVOID_LEFT_FOOT, NO_OILS, form_data, past_booking
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

THREE_POINTS = {
    "point-foot-adrenal-L": "on",
    "tender-foot-adrenal-L": "2",
    "texture-foot-adrenal-L": "",
    "comment-foot-adrenal-L": "",
    "point-foot-kidney-R": "on",
    "tender-foot-kidney-R": "1",
    "point-foot-liver-R": "on",
    "tender-foot-liver-R": "3",
    "texture-foot-liver-R": "grainy",
    "comment-foot-liver-R": "Eased after a few passes",
    # Fields of an unticked point are posted too, and ignored.
    "tender-foot-heart-L": "3",
}


def url(booking) -> str:
    return reverse("sessions:record", kwargs={"code": booking.code})


@pytest.fixture
def booking(practitioner, client_user):
    return past_booking(practitioner, client_user)


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_opening_the_form_starts_a_draft_with_the_aftercare_template(as_practitioner, booking):
    response = as_practitioner.get(url(booking))
    assert response.status_code == 200
    record = SessionRecord.objects.get(booking=booking)
    assert record.state == SessionRecord.State.DRAFT
    html = response.content.decode()
    assert "Drink water if your doctor has not told you to limit fluids" in html
    assert "plenty of water" not in html
    assert record.aftercare == AFTERCARE_TEMPLATE


def test_the_draft_starts_with_the_clients_pre_session_answer(as_practitioner, booking):
    PreSessionCheck.objects.create(
        booking=booking,
        changed=True,
        details="Started blood pressure tablets",
        answered_at=timezone.now(),
    )
    response = as_practitioner.get(url(booking))
    assert "Started blood pressure tablets" in response.content.decode()
    assert "Started blood pressure tablets" in booking.record.changes_since_last


def test_the_form_has_every_section_and_the_map_loads_its_script(as_practitioner, booking):
    html = as_practitioner.get(url(booking)).content.decode()
    for text in (
        "Pre-session check",
        "Foot observations",
        "Skin: noted",
        "Wounds note",
        "Stomach gurgling",
        "SOAP notes",
        "Private",
        "Summary for the client",
        "Aftercare advice",
        "Signing locks this record",
    ):
        assert text in html, text
    assert '<script src="/static/js/reflex-map.js" defer></script>' in html
    assert "<script>" not in html
    assert 'style="' not in html


def test_the_map_has_a_named_button_per_foot_point_and_side(as_practitioner, booking):
    html = as_practitioner.get(url(booking)).content.decode()
    assert 'role="button"' in html
    assert 'aria-label="Left foot: Adrenal gland"' in html
    assert 'aria-label="Right foot: Liver"' in html
    assert 'aria-label="Left foot: Liver"' not in html
    assert 'data-key="foot-liver-R"' in html
    assert 'aria-pressed="false"' in html


def test_the_checkbox_list_has_the_same_fields_grouped_by_foot_hand_and_ear(
    as_practitioner, booking
):
    html = as_practitioner.get(url(booking)).content.decode()
    for legend in ("Right foot", "Left foot", "Right hand", "Left hand", "Right ear", "Left ear"):
        assert f'<legend class="fs-6 fw-semibold">{legend}</legend>' in html
    for name in ("point", "tender", "texture", "comment"):
        assert f'name="{name}-foot-liver-R"' in html
        assert f'name="{name}-foot-liver-L"' not in html
    assert 'name="point-hand-heart-L"' in html
    assert 'name="point-ear-shen-men-R"' in html
    assert 'name="point-foot-heart-R"' not in html


def test_three_points_posted_without_javascript_are_saved(as_practitioner, booking):
    response = as_practitioner.post(url(booking), form_data(**THREE_POINTS))
    assert response.status_code == 302
    assert response.url == url(booking)
    rows = set(
        PointWorked.objects.filter(record__booking=booking).values_list(
            "point__slug", "side", "tenderness", "texture", "comment"
        )
    )
    assert rows == {
        ("foot-adrenal", "L", 2, "", ""),
        ("foot-kidney", "R", 1, "", ""),
        ("foot-liver", "R", 3, "grainy", "Eased after a few passes"),
    }
    page = as_practitioner.get(url(booking)).content.decode()
    assert "Draft saved" in page
    assert 'id="point-foot-liver-R" checked' in page
    assert '<option value="3" selected>3 marked</option>' in page
    assert 'aria-pressed="true" aria-label="Right foot: Liver" data-key="foot-liver-R"' in page
    assert 'aria-pressed="false" aria-label="Left foot: Kidney"' in page


def test_the_record_fields_are_saved(as_practitioner, booking):
    as_practitioner.post(url(booking), form_data())
    record = SessionRecord.objects.get(booking=booking)
    assert record.observations == {"skin": "Dry skin on both heels"}
    assert record.reactions == ["sighing", "gurgling"]
    assert record.actual_minutes == 55
    assert record.pressure == "medium"
    assert record.subjective == "SOAP-S: sleeping badly since the move"
    assert record.client_summary.startswith("We worked both feet")


def test_a_left_liver_is_refused_because_the_point_is_only_on_the_right(as_practitioner, booking):
    data = form_data(**{"point-foot-liver-L": "on", "point-foot-kidney-R": "on"})
    response = as_practitioner.post(url(booking), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Liver exists only on the right foot, not on the left foot." in html
    assert "The record was not saved" in html
    assert not PointWorked.objects.exists()
    assert 'id="point-foot-kidney-R" checked' in html
    assert "SOAP-S: sleeping badly since the move" in html


def test_an_unknown_point_is_refused(as_practitioner, booking):
    response = as_practitioner.post(url(booking), form_data(**{"point-foot-tail-R": "on"}))
    assert response.status_code == 200
    assert "not in the reflex point catalogue" in response.content.decode()


def test_a_tenderness_outside_0_to_3_is_refused_and_the_point_kept(as_practitioner, booking):
    data = form_data(**{"point-foot-kidney-R": "on", "tender-foot-kidney-R": "7"})
    response = as_practitioner.post(url(booking), data)
    html = response.content.decode()
    assert "Right foot: Kidney: tenderness is 0 (none) to 3 (marked)." in html
    assert 'id="point-foot-kidney-R" checked' in html
    assert not PointWorked.objects.exists()


def test_essential_oils_must_be_named(as_practitioner, booking):
    response = as_practitioner.post(
        url(booking), form_data(medium="essential_oils", medium_details="")
    )
    assert "You chose essential oils: name the oils you used." in response.content.decode()


def test_override_boxes_show_only_for_bookings_with_those_flags(
    as_practitioner, booking, practitioner, client_user
):
    html = as_practitioner.get(url(booking)).content.decode()
    assert "Override the oil check" not in html
    assert "Override the avoid-area flag" not in html
    flagged = past_booking(
        practitioner, client_user, hours_ago=30, flags=[NO_OILS, AVOID_LEFT_FOOT]
    )
    html = as_practitioner.get(url(flagged)).content.decode()
    assert "Override the oil check" in html
    assert "Override the avoid-area flag" in html
    assert "No oils / unscented" in html


def test_lavender_for_a_no_oils_client_is_refused_and_everything_typed_is_kept(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=[NO_OILS])
    data = form_data(
        medium="carrier_oil", medium_details="Lavender in grapeseed oil", **THREE_POINTS
    )
    response = as_practitioner.post(url(booking), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "says No oils / unscented, and the record names carrier oil, lavender" in html
    assert "to sign it" not in html  # saving a draft does not ask to confirm signing
    assert 'value="Lavender in grapeseed oil"' in html
    assert "SOAP-P: weekly for four weeks" in html
    assert "We worked both feet, with extra time on the shoulder reflexes." in html
    assert 'id="point-foot-liver-R" checked' in html
    assert '<option value="2" selected>2 moderate</option>' in html
    assert "Eased after a few passes" in html
    record = SessionRecord.objects.get(booking=booking)
    assert record.medium_details == ""
    assert not record.points.exists()


def test_lavender_with_the_override_and_a_reason_is_saved_and_the_override_shown(
    as_practitioner, practitioner, client_user, client, staff
):
    booking = past_booking(practitioner, client_user, flags=[NO_OILS])
    data = form_data(
        medium="carrier_oil",
        medium_details="Lavender in grapeseed oil",
        oil_override="on",
        oil_override_reason="Client asked for it after a patch test",
        confirm_sign="on",
    )
    response = as_practitioner.post(
        reverse("sessions:record-sign", kwargs={"code": booking.code}), data
    )
    assert response.status_code == 302
    record = SessionRecord.objects.get(booking=booking)
    assert record.is_signed
    assert record.oil_override_reason == "Client asked for it after a patch test"
    expected = "Override: oil check</strong> — reason: Client asked for it after a patch test"
    assert expected in as_practitioner.get(url(booking)).content.decode()
    log_in_verified(client, staff)
    assert expected in client.get(url(booking)).content.decode()


def test_an_override_without_a_reason_is_refused(as_practitioner, practitioner, client_user):
    booking = past_booking(practitioner, client_user, flags=[NO_OILS])
    data = form_data(medium_details="Lavender", oil_override="on", oil_override_reason="  ")
    response = as_practitioner.post(url(booking), data)
    assert response.status_code == 200
    assert "You ticked the override of the oil check: give your reason." in (
        response.content.decode()
    )
    assert SessionRecord.objects.get(booking=booking).medium_details == ""


def test_a_left_foot_point_for_a_client_avoiding_the_left_foot_needs_the_override(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=[AVOID_LEFT_FOOT])
    data = form_data(**{"point-foot-kidney-L": "on", "tender-foot-kidney-L": "1"})
    response = as_practitioner.post(url(booking), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "These points are in an area to avoid: Left foot: Kidney" in html
    assert 'id="point-foot-kidney-L" checked' in html
    assert not PointWorked.objects.exists()

    data |= {"area_override": "on", "area_override_reason": "Verruca covered; worked around it"}
    response = as_practitioner.post(url(booking), data)
    assert response.status_code == 302
    record = SessionRecord.objects.get(booking=booking)
    assert record.area_override_reason == "Verruca covered; worked around it"
    assert record.points.get().side == "L"


def test_a_right_foot_point_is_fine_when_the_left_foot_is_avoided(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, flags=[AVOID_LEFT_FOOT])
    response = as_practitioner.post(url(booking), form_data(**{"point-foot-kidney-R": "on"}))
    assert response.status_code == 302
    assert SessionRecord.objects.get(booking=booking).area_override_reason == ""


def test_a_record_can_be_written_for_a_completed_session_days_later(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user, hours_ago=24 * 5, status="completed")
    assert as_practitioner.get(url(booking)).status_code == 200
    assert booking.starts_at < timezone.now() - dt.timedelta(days=4)
