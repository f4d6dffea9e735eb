"""The practitioner's agenda: requests to answer, the day-grid and the week, in the practice's
time zone."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, ClearanceNoteFactory, UserFactory

# Wednesday 4 March 2026, 12:00 in Los Angeles. Clocks there go forward on Sunday 8 March, so
# the agenda of Monday 9 March is in PDT (UTC-7) while "now" is in PST (UTC-8).
NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
MONDAY_10_LA = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)

CLEARANCE = {
    "code": "pregnancy",
    "tier": "clearance",
    "label": "Pregnant",
    "detail": "Talk to your midwife before booking.",
    "reason": "Pregnancy: work gently, avoid the uterus and ovary reflexes.",
}
NO_OILS = {
    "code": "nut_allergy",
    "tier": "no_oils",
    "label": "Nut allergy",
    "detail": "We will use no oils or creams.",
    "reason": "Allergy to nut oils: unscented, oil-free only.",
}
TALK_FIRST = {
    "code": "dvt",
    "tier": "postpone",
    "label": "Possible blood clot",
    "detail": "Please see your doctor first.",
    "reason": "Signs of a deep vein thrombosis: do not work until cleared.",
}


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def agenda(client, practitioner, day: str | None = None):
    client.force_login(practitioner.user)
    url = reverse("sessions:agenda") + (f"?date={day}" if day else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, heading_id
    return match.group(0)


def grid_row(page: str, hour: str) -> str:
    match = re.search(rf'<th scope="row" class="rb-hour">{hour}</th>(.*?)</tr>', page, re.S)
    assert match, f"no {hour} row"
    return match.group(1)


def booking(practitioner, **fields):
    fields.setdefault("starts_at", MONDAY_10_LA)
    return BookingFactory(practitioner=practitioner, **fields)


def test_the_agenda_opens_on_today_in_the_practices_time_zone(client, practitioner):
    practitioner.user.timezone = "Europe/London"  # the account's zone: already Tuesday there
    practitioner.user.save()
    with time_machine.travel(datetime(2026, 3, 10, 5, 0, tzinfo=UTC), tick=False):
        page = agenda(client, practitioner)
    assert '<h2 id="day-heading" class="h3">Monday 9 March 2026 (today)</h2>' in page
    assert "Times are in your practice’s time zone, America/Los_Angeles." in page


def test_requests_wait_for_an_answer_soonest_first_whatever_their_date(client, practitioner):
    later = booking(
        practitioner,
        client=UserFactory(full_name="Lena Later"),
        starts_at=MONDAY_10_LA + timedelta(days=42),
        status="requested",
    )
    sooner = booking(
        practitioner,
        client=UserFactory(full_name="Sam Sooner"),
        status="requested",
        client_message="First time, a bit nervous.",
    )
    booking(
        practitioner,
        client=UserFactory(full_name="Connie Confirmed"),
        starts_at=MONDAY_10_LA + timedelta(hours=2),
    )

    needs = section(agenda(client, practitioner), "needs-heading")

    assert "Needs your answer (2)" in needs
    assert needs.index("Sam Sooner") < needs.index("Lena Later")
    assert "Connie Confirmed" not in needs
    assert "Mon 9 Mar, " in needs and "Mon 20 Apr, " in needs
    assert "Message from the client: First time, a bit nervous." in needs
    for request in (sooner, later):
        assert reverse("sessions:booking-confirm", kwargs={"code": request.code}) in needs
        assert reverse("sessions:booking-decline", kwargs={"code": request.code}) in needs
    assert 'name="reason"' in needs and "required" in needs


def test_a_talk_first_flag_asks_for_a_decision_instead_of_confirm(client, practitioner):
    request = booking(practitioner, status="requested", flags=[NO_OILS, TALK_FIRST])

    needs = section(agenda(client, practitioner), "needs-heading")

    assert reverse("sessions:booking-safety", kwargs={"code": request.code}) in needs
    assert reverse("sessions:booking-confirm", kwargs={"code": request.code}) not in needs
    assert "Proceed: confirm this booking" in needs
    assert "Postpone: decline this booking for now" in needs
    assert 'name="note"' in needs


def test_after_a_proceed_decision_the_request_can_be_confirmed(client, practitioner):
    request = booking(
        practitioner,
        status="requested",
        flags=[TALK_FIRST],
        safety_decision=Booking.SafetyDecision.PROCEED,
        safety_note="Cleared by her doctor.",
    )
    needs = section(agenda(client, practitioner), "needs-heading")
    assert reverse("sessions:booking-confirm", kwargs={"code": request.code}) in needs
    assert reverse("sessions:booking-safety", kwargs={"code": request.code}) not in needs


def test_the_day_grid_places_each_booking_in_its_hour_with_its_buffer(client, practitioner):
    booking(practitioner, client=UserFactory(full_name="Cara Client"))
    booking(
        practitioner,
        client=UserFactory(full_name="Dora Declined"),
        starts_at=MONDAY_10_LA + timedelta(hours=3),
        status="declined",
    )

    page = agenda(client, practitioner, "2026-03-09")
    day = section(page, "day-heading")

    assert "Working hours: 09:00–17:00." in day
    hours = re.findall(r'<th scope="row" class="rb-hour">(\d\d:\d\d)</th>', day)
    assert hours == [f"{h:02}:00" for h in range(9, 17)]
    ten = grid_row(day, "10:00")
    assert "10:00</time>–11:00" in ten
    assert "Cara Client" in ten
    assert "Foot reflexology, 60 min" in ten
    assert "Confirmed" in ten
    assert "then buffer until 11:15" in ten
    assert "Buffer until 11:15 (after Cara Client’s session)" in grid_row(day, "11:00")
    assert "Free" in grid_row(day, "09:00")
    assert "Dora Declined" not in day  # the grid shows what holds time


def test_a_booking_outside_working_hours_widens_the_grid(client, practitioner):
    booking(practitioner, starts_at=datetime(2026, 3, 10, 1, 30, tzinfo=UTC))  # 18:30 in LA

    day = section(agenda(client, practitioner, "2026-03-09"), "day-heading")

    assert "18:30</time>–19:30" in grid_row(day, "18:00")
    assert "Not working" in grid_row(day, "17:00")
    assert "continues until 19:30, then buffer until 19:45" in grid_row(day, "19:00")


def test_a_day_without_hours_says_so(client, practitioner):
    day = section(agenda(client, practitioner, "2026-03-10"), "day-heading")
    assert "You do not work on Tuesdays." in day


def test_the_week_lists_every_booking_by_day_with_its_status_in_words(client, practitioner):
    booking(practitioner, client=UserFactory(full_name="Cara Client"))
    booking(
        practitioner,
        client=UserFactory(full_name="Lee Late"),
        starts_at=MONDAY_10_LA + timedelta(days=2),
        status=Booking.Status.CANCELLED_BY_CLIENT,
        is_late_cancellation=True,
    )
    booking(
        practitioner,
        client=UserFactory(full_name="Ned Nextweek"),
        starts_at=MONDAY_10_LA + timedelta(days=7),
    )

    week = section(agenda(client, practitioner, "2026-03-11"), "week-heading")

    assert "Week of Monday 9 March 2026" in week
    days = re.findall(r'<h3 class="h5 mt-3">(?:<a [^>]*>)?([A-Za-z]+ \d+ March)', week)
    assert days == [f"{name} {n} March" for n, name in zip(range(9, 16), WEEKDAYS, strict=True)]
    monday = week.split("Tuesday 10 March")[0]
    wednesday = week.split("Wednesday 11 March")[1].split("Thursday 12 March")[0]
    assert "Cara Client" in monday
    assert "Lee Late" in wednesday
    assert "Cancelled by client (late cancellation)" in wednesday
    assert "Ned Nextweek" not in week


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_past_confirmed_sessions_can_be_marked_completed_or_no_show(client, practitioner):
    done = booking(practitioner, client=UserFactory(full_name="Pia Past"))
    upcoming = booking(practitioner, starts_at=MONDAY_10_LA + timedelta(hours=2))

    with time_machine.travel(MONDAY_10_LA + timedelta(hours=1), tick=False):
        page = agenda(client, practitioner, "2026-03-09")

    finish_done = reverse("sessions:booking-finish", kwargs={"code": done.code})
    assert finish_done in page
    assert "Mark completed" in page and "Mark no-show" in page
    assert reverse("sessions:booking-finish", kwargs={"code": upcoming.code}) not in page
    # Before the start a session can be cancelled; after it, no longer.
    cancel = "sessions:booking-practitioner-cancel"
    assert reverse(cancel, kwargs={"code": upcoming.code}) in page
    assert reverse(cancel, kwargs={"code": done.code}) not in page


def test_each_booking_shows_the_clients_flags(client, practitioner):
    booking(
        practitioner,
        flags=[CLEARANCE, NO_OILS],
        clearance_confirmed_at=NOW,
    )

    day = section(agenda(client, practitioner, "2026-03-09"), "day-heading")

    assert "Pregnant (client says their doctor or midwife agrees)" in day
    assert "clearance confirmed" not in day  # a ticked box is the client's own word
    assert "No oils / unscented" in day
    assert "Pregnancy: work gently, avoid the uterus and ovary reflexes." in day
    assert "Talk to your midwife" not in day  # the client's wording is for the client


def test_clearance_reads_confirmed_once_a_note_is_uploaded_for_the_bookings_intake(
    client, practitioner
):
    with_note = booking(practitioner, flags=[CLEARANCE], clearance_confirmed_at=NOW)
    ClearanceNoteFactory(intake=with_note.intake)
    other_version = booking(
        practitioner,
        flags=[CLEARANCE],
        clearance_confirmed_at=NOW,
        starts_at=MONDAY_10_LA + timedelta(hours=2),
    )
    ClearanceNoteFactory(intake__client=other_version.client)  # another intake version

    day = section(agenda(client, practitioner, "2026-03-09"), "day-heading")

    assert day.count("Pregnant (clearance confirmed: note uploaded)") == 1
    assert day.count("Pregnant (client says their doctor or midwife agrees)") == 1


def test_clearance_not_yet_confirmed_is_not_claimed(client, practitioner):
    booking(practitioner, flags=[CLEARANCE])
    day = section(agenda(client, practitioner, "2026-03-09"), "day-heading")
    assert "Pregnant" in day
    assert "clearance confirmed" not in day
    assert "client says" not in day


def test_previous_and_next_links_move_by_day_and_week(client, practitioner):
    page = agenda(client, practitioner, "2026-03-09")
    for day in ("2026-03-02", "2026-03-08", "2026-03-10", "2026-03-16"):
        assert f'href="?date={day}"' in page
    assert f'href="{reverse("sessions:agenda")}">Today</a>' in page


def test_a_date_that_is_not_one_shows_today_with_an_error(client, practitioner):
    page = agenda(client, practitioner, "2026-02-30")
    assert "Enter the date as YYYY-MM-DD" in page
    assert "Wednesday 4 March 2026 (today)" in page
    assert 'value="2026-02-30"' in page  # what was typed stays in the box


def test_the_agenda_day_follows_the_clock_on_a_dst_change(client, practitioner):
    """1 November 2026, New York: clocks go back at 02:00, so the day has 25 hours."""
    practitioner.timezone = "America/New_York"
    practitioner.save()
    nine = datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 09:00 EST (10:00 if read as EDT)
    late = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 23:30 EST, still 1 November
    booking(practitioner, client=UserFactory(full_name="Nina Nine"), starts_at=nine)
    booking(practitioner, client=UserFactory(full_name="Lou Late"), starts_at=late)

    page = agenda(client, practitioner, "2026-11-01")
    day = section(page, "day-heading")

    assert "Sunday 1 November 2026" in day
    nine_row = grid_row(day, "09:00")
    assert "Nina Nine" in nine_row and "09:00</time>–10:00" in nine_row
    assert "Nina Nine" not in grid_row(day, "10:00").split("Buffer")[0]
    assert "Lou Late" in grid_row(day, "23:00")
    sunday = section(page, "week-heading").split("Sunday 1 November")[1]
    assert "Lou Late" in sunday and "23:30</time>–00:30" in sunday


def test_past_sessions_link_to_their_record_and_later_ones_do_not(client, practitioner):
    with time_machine.travel(datetime(2026, 6, 10, 18, 0, tzinfo=UTC), tick=False):
        started = BookingFactory(
            practitioner=practitioner,
            starts_at=datetime(2026, 6, 10, 15, 0, tzinfo=UTC),
            status="completed",
        )
        later = BookingFactory(
            practitioner=practitioner, starts_at=datetime(2026, 6, 10, 20, 0, tzinfo=UTC)
        )
        client.force_login(practitioner.user)
        page = client.get(reverse("sessions:agenda"), {"date": "2026-06-10"}).text
    assert reverse("sessions:booking-detail", kwargs={"code": later.code}) in page
    assert reverse("sessions:record", kwargs={"code": started.code}) in page
    assert reverse("sessions:record", kwargs={"code": later.code}) not in page
