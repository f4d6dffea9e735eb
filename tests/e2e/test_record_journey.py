"""Session records in a real browser: the practitioner clicks points on the foot map, sets
their tenderness, writes private SOAP notes and a client summary, saves and signs; the client
then sees the points and the aftercare advice but never the SOAP notes. Points can be chosen
with the keyboard alone, and a signed record is locked: only addenda can be added."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions.models import Booking, PointWorked, SessionRecord
from sessions.records import AFTERCARE_TEMPLATE
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import log_in, log_out, main_nav
from tests.factories import (
    BookingFactory,
    ListedPractitionerFactory,
    PointWorkedFactory,
    SessionRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

SOAP = {
    "S: Subjective": "SOAP-SECRET-S: sleeping badly since the move",
    "O: Objective": "SOAP-SECRET-O: shoulders tight, feet cold",
    "A: Assessment": "SOAP-SECRET-A: shoulder reflexes tender",
    "P: Plan": "SOAP-SECRET-P: weekly for four weeks",
}
CLIENT_SUMMARY = "We worked both feet, with extra time on the areas that felt tender."
SIGN_BOX = re.compile("Signing locks this record")


# --- helpers ---------------------------------------------------------------------------------


def past_booking(practitioner, client, hours_ago: int = 2) -> Booking:
    """A confirmed 60-minute session that started `hours_ago` hours ago."""
    starts = (timezone.now() - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return BookingFactory(practitioner=practitioner, client=client, starts_at=starts)


def spot(page: Page, name: str):
    """A point on the interactive foot map: a button named like "Right foot: Liver"."""
    return page.get_by_role("button", name=name, exact=True)


def spot_number(page: Page, name: str):
    """The tenderness number the map shows on a point."""
    return spot(page, name).locator("css=text")


def worked_list(region, place: str):
    """The text list under a read-only map: the entries under the "Right foot" title."""
    return region.locator(f"xpath=.//p[normalize-space()='{place}']/following-sibling::ul[1]/li")


def focused_label(page: Page) -> str:
    return page.evaluate(
        "() => document.activeElement && document.activeElement.getAttribute('aria-label')"
    )


def press_until(page: Page, key: str, is_there: str, limit: int = 250) -> None:
    """Press `key` until the JavaScript predicate `is_there` (about document.activeElement)
    holds: keyboard-only movement to a control."""
    for _ in range(limit):
        if page.evaluate(f"() => {{ const el = document.activeElement; return {is_there}; }}"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"Pressing {key} {limit} times never reached: {is_there}")


def chosen(page: Page, name: str):
    """The map point `name` as chosen (pressed) or not."""
    return expect(spot(page, name))


# --- tests -----------------------------------------------------------------------------------


def test_practitioner_records_three_points_and_client_sees_summary_not_notes(
    page: Page, reflex_catalogue
):
    practitioner = ListedPractitionerFactory(
        user__email="pat.lindqvist@example.com",
        user__full_name="Pat Lindqvist",
        display_name="Pat Lindqvist",
    )
    client = UserFactory(email="cara.client@example.com", full_name="Cara Client")
    booking = past_booking(practitioner, client)
    starts = booking.starts_at.astimezone(ZoneInfo(practitioner.timezone))

    # The practitioner finds the session on their agenda and opens its record.
    log_in(page, practitioner.user.email)
    main_nav(page).get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agenda")
    page.get_by_label("Go to date").fill(starts.date().isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_role(
        "link", name=f"Details of Cara Client’s session at {starts:%H:%M}"
    ).first.click()
    page.get_by_role("link", name="Write the session record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Session record\s+Draft"))
    expect(page.get_by_role("group", name="Foot map")).to_be_visible()
    expect(page.get_by_label("Aftercare advice")).to_have_value(AFTERCARE_TEMPLATE)
    assert_accessible(page)

    # Three points clicked on the map, each with its own tenderness.
    for name, tenderness in (
        ("Right foot: Kidney", "1"),
        ("Left foot: Solar plexus", "2"),
        ("Right foot: Liver", "3"),
    ):
        chosen(page, name).to_have_attribute("aria-pressed", "false")
        spot(page, name).click()
        chosen(page, name).to_have_attribute("aria-pressed", "true")
        panel = page.locator("[data-map-panel]")
        expect(panel).to_contain_text(f"{name} (chosen)")
        panel.get_by_label("Its tenderness").select_option(tenderness)
        # The map writes to the same fields as the no-JavaScript list.
        expect(page.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
        expect(page.get_by_label(f"Tenderness for {name}")).to_have_value(tenderness)
        expect(spot_number(page, name)).to_have_text(tenderness)
    expect(page.locator(".rb-spot[aria-pressed='true']")).to_have_count(3)
    # The liver exists only on the right foot.
    expect(spot(page, "Left foot: Liver")).to_have_count(0)

    for label, text in SOAP.items():
        page.get_by_label(label).fill(text)
    page.get_by_label("Summary for the client").fill(CLIENT_SUMMARY)
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved. Sign it when it is complete.")
    for name, tenderness in (
        ("Right foot: Kidney", "1"),
        ("Left foot: Solar plexus", "2"),
        ("Right foot: Liver", "3"),
    ):
        chosen(page, name).to_have_attribute("aria-pressed", "true")
        expect(spot_number(page, name)).to_have_text(tenderness)
    expect(page.get_by_label("S: Subjective")).to_have_value(SOAP["S: Subjective"])
    assert_accessible(page)

    # Signing needs the confirmation box.
    page.get_by_label(SIGN_BOX).check()
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("status")).to_contain_text("Record signed and locked.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Session record\s+Signed and locked")
    )
    worked = page.get_by_role("region", name="Points worked")
    expect(worked_list(worked, "Right foot")).to_have_text(
        [re.compile("Liver: tenderness 3 \\(marked\\)"), re.compile("Kidney: tenderness 1")]
    )
    expect(worked_list(worked, "Left foot")).to_have_text(
        [re.compile("Solar plexus: tenderness 2 \\(moderate\\)")]
    )
    expect(page.get_by_role("main")).to_contain_text(SOAP["A: Assessment"])
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    # The client opens the booking, then the session summary.
    log_in(page, client.email)
    main_nav(page).get_by_role("link", name="My bookings").click()
    page.get_by_role("listitem").filter(has_text="Pat Lindqvist").get_by_role("link").click()
    page.get_by_role("link", name="Session summary and aftercare advice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Your session on "))
    points = page.get_by_role("region", name="Reflex areas worked")
    expect(points.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"3 foot points marked")
    )
    # On the map (lightest first, so the heaviest is drawn on top) and as text.
    expect(points.locator("svg .rb-mark title")).to_have_text(
        [
            "Right foot: Kidney reflex area: tenderness 1 (mild)",
            "Left foot: Solar plexus reflex area: tenderness 2 (moderate)",
            "Right foot: Liver reflex area: tenderness 3 (marked)",
        ]
    )
    expect(worked_list(points, "Right foot")).to_have_text(
        [
            re.compile(r"Liver reflex area: tenderness 3 \(marked\)$"),
            re.compile(r"Kidney reflex area: tenderness 1 \(mild\)$"),
        ]
    )
    expect(worked_list(points, "Left foot")).to_have_text(
        [re.compile(r"Solar plexus reflex area: tenderness 2 \(moderate\)$")]
    )
    expect(page.get_by_role("region", name="Summary from Pat Lindqvist")).to_contain_text(
        CLIENT_SUMMARY
    )
    aftercare = page.get_by_role("region", name="Aftercare advice")
    expect(aftercare).to_contain_text(
        "Drink water if your doctor has not told you to limit fluids, and rest today"
    )
    expect(aftercare).to_contain_text("reactions usually settle within about 48 hours")
    html = page.content()
    for text in SOAP.values():
        assert text not in html
    assert "SOAP-SECRET" not in html
    assert_accessible(page)

    # What the browser did is what the database holds.
    record = SessionRecord.objects.get(booking=booking)
    assert record.state == SessionRecord.State.SIGNED
    assert record.signed_at is not None
    assert record.subjective == SOAP["S: Subjective"]
    assert record.plan == SOAP["P: Plan"]
    assert record.client_summary == CLIENT_SUMMARY
    assert record.aftercare.replace("\r\n", "\n") == AFTERCARE_TEMPLATE
    assert sorted(
        (w.point.slug, w.side, w.tenderness) for w in record.points.select_related("point")
    ) == [
        ("foot-kidney", "R", 1),
        ("foot-liver", "R", 3),
        ("foot-solar-plexus", "L", 2),
    ]


def test_points_can_be_chosen_with_the_keyboard_only(page: Page, reflex_catalogue):
    practitioner = ListedPractitionerFactory(user__full_name="Pat Lindqvist")
    booking = past_booking(practitioner, UserFactory(full_name="Cara Client"))
    log_in(page, practitioner.user.email)
    page.goto(f"/bookings/{booking.code}/record/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Session record\s+Draft"))

    # The map is one Tab stop: Tab reaches its first point.
    press_until(page, "Tab", "el && el.classList.contains('rb-spot')")
    assert focused_label(page) == "Right foot: Brain / top of head"
    # Arrow keys move between the points.
    press_until(page, "ArrowRight", "el.getAttribute('aria-label') === 'Right foot: Kidney'")
    kidney = spot(page, "Right foot: Kidney")
    expect(kidney).to_be_focused()
    expect(kidney).to_have_attribute("tabindex", "0")
    expect(kidney).to_have_attribute("aria-pressed", "false")

    # Enter chooses it; Tab goes to its tenderness, set with the arrow keys.
    page.keyboard.press("Enter")
    expect(kidney).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("checkbox", name="Right foot: Kidney", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    tenderness = page.locator("[data-map-panel]").get_by_label("Its tenderness")
    expect(tenderness).to_be_focused()
    expect(tenderness).to_have_accessible_name(re.compile(r"Right foot: Kidney"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(tenderness).to_have_value("2")
    expect(page.get_by_label("Tenderness for Right foot: Kidney")).to_have_value("2")
    expect(spot_number(page, "Right foot: Kidney")).to_have_text("2")
    # Escape returns to the point.
    page.keyboard.press("Escape")
    expect(kidney).to_be_focused()

    # Space toggles too: the next point is chosen, then dropped again with Enter.
    page.keyboard.press("ArrowRight")
    neighbour = page.locator(".rb-spot:focus")
    neighbour_name = neighbour.get_attribute("aria-label")
    assert neighbour_name != "Right foot: Kidney"
    expect(neighbour).to_have_attribute("aria-pressed", "false")
    page.keyboard.press(" ")
    expect(neighbour).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    expect(neighbour).to_have_attribute("aria-pressed", "false")

    # Tab on to "Save draft" and press Enter.
    press_until(
        page, "Tab", "el && el.tagName === 'BUTTON' && el.textContent.trim() === 'Save draft'"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    expect(spot(page, "Right foot: Kidney")).to_have_attribute("aria-pressed", "true")
    expect(spot(page, neighbour_name)).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)

    record = SessionRecord.objects.get(booking=booking)
    assert record.state == SessionRecord.State.DRAFT
    assert [(w.point.slug, w.side, w.tenderness) for w in record.points.all()] == [
        ("foot-kidney", "R", 2)
    ]


def test_signed_record_cannot_be_edited_and_addendum_is_shown(page: Page, reflex_catalogue):
    practitioner = ListedPractitionerFactory(
        user__full_name="Pat Lindqvist", display_name="Pat Lindqvist"
    )
    booking = past_booking(practitioner, UserFactory(full_name="Cara Client"), hours_ago=26)
    record = SessionRecordFactory(
        booking=booking,
        signed=True,
        subjective="Original subjective note",
        client_summary="Original summary for the client",
    )
    PointWorkedFactory(record=record, tenderness=2)
    addendum = "Client phoned the next day: slept well, no reactions."

    log_in(page, practitioner.user.email)
    page.goto(f"/bookings/{booking.code}/")
    page.get_by_role("link", name="Session record (signed)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Session record\s+Signed and locked")
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("Original subjective note")
    expect(main).to_contain_text("Signed by Pat Lindqvist on")
    expect(
        worked_list(page.get_by_role("region", name="Points worked"), "Right foot")
    ).to_have_text([re.compile(r"Kidney: tenderness 2 \(moderate\)")])
    # Read-only: no fields of the record form, no save or sign buttons.
    expect(page.get_by_label("S: Subjective")).to_have_count(0)
    expect(page.get_by_label("Summary for the client")).to_have_count(0)
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
    expect(page.get_by_role("button", name="Save and sign")).to_have_count(0)
    addenda = page.get_by_role("region", name="Addenda")
    expect(addenda).to_contain_text("No addenda.")
    assert_accessible(page)

    # An edit posted anyway (as a stale form would) is refused and changes nothing.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/bookings/{booking.code}/record/",
        form={
            "csrfmiddlewaretoken": csrf,
            "record_form": "1",
            "decision": "proceed",
            "medium": "none",
            "subjective": "Rewritten after signing",
            "client_summary": "Rewritten summary",
        },
        max_redirects=0,
    )
    assert response.status == 302
    page.reload()
    expect(page.get_by_role("status")).to_contain_text(
        "This record is signed and locked, so nothing was changed."
    )
    expect(main).not_to_contain_text("Rewritten")

    # The addendum is added under the record, with its author.
    addenda.get_by_label("Addendum").fill(addendum)
    addenda.get_by_role("button", name="Add addendum").click()
    expect(page.get_by_role("status")).to_contain_text("Addendum added under the record.")
    expect(addenda).to_contain_text("Pat Lindqvist")
    expect(addenda).to_contain_text(addendum)
    expect(addenda).not_to_contain_text("No addenda.")
    expect(main).to_contain_text("Original subjective note")
    assert_accessible(page)

    record.refresh_from_db()
    assert record.state == SessionRecord.State.SIGNED
    assert record.subjective == "Original subjective note"
    assert record.client_summary == "Original summary for the client"
    assert [
        (w.point.slug, w.side, w.tenderness) for w in PointWorked.objects.filter(record=record)
    ] == [("foot-kidney", "R", 2)]
    assert [(a.author_id, a.text) for a in record.addenda.all()] == [
        (practitioner.user_id, addendum)
    ]
