"""The practitioner's actions on a booking: confirm, decline, the safety decision, completed or
no-show, and cancel; their effect, the emails, and the forms on the booking page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
MONDAY_10_LA = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
AGENDA_THAT_DAY = reverse("sessions:agenda") + "?date=2026-03-09"
TALK_FIRST = {
    "code": "dvt",
    "tier": "postpone",
    "label": "Possible blood clot",
    "detail": "Please see your doctor first.",
    "reason": "Signs of a deep vein thrombosis: do not work until cleared.",
}
CAUTION = {"code": "diabetes", "tier": "caution", "label": "Diabetes", "detail": "", "reason": ""}
NO_OILS = {"code": "nuts", "tier": "no_oils", "label": "Nut allergy", "detail": "", "reason": ""}
CLEARANCE = {"code": "preg", "tier": "clearance", "label": "Pregnant", "detail": "", "reason": ""}


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def request_(practitioner, client_user):
    return BookingFactory(
        practitioner=practitioner,
        client=client_user,
        starts_at=MONDAY_10_LA,
        status=Booking.Status.REQUESTED,
    )


@pytest.fixture
def confirmed(practitioner, client_user):
    return BookingFactory(practitioner=practitioner, client=client_user, starts_at=MONDAY_10_LA)


def act(client, practitioner, name, booking, data=None):
    client.force_login(practitioner.user)
    return client.post(reverse(name, kwargs={"code": booking.code}), data or {})


def flash(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def ics_of(email) -> str:
    (attachment,) = email.attachments
    assert attachment.mimetype.startswith("text/calendar")
    return attachment.content


# --- confirm -----------------------------------------------------------------------------


def test_confirming_a_request_confirms_it_and_emails_the_client(
    client, practitioner, request_, mailoutbox
):
    response = act(client, practitioner, "sessions:booking-confirm", request_)

    assert response.status_code == 302
    assert response.url == AGENDA_THAT_DAY
    assert flash(response) == [
        ("success", "Confirmed: Cara Client, Monday 9 March at 10:00. The client has been emailed.")
    ]
    request_.refresh_from_db()
    assert request_.status == Booking.Status.CONFIRMED
    assert request_.sequence == 1
    (email,) = mailoutbox
    assert email.to == [request_.client.email]
    assert "METHOD:REQUEST" in ics_of(email)
    assert "STATUS:CONFIRMED" in ics_of(email)


def test_confirming_a_confirmed_booking_says_why_and_sends_nothing(
    client, practitioner, confirmed, mailoutbox
):
    response = act(client, practitioner, "sessions:booking-confirm", confirmed)

    assert response.status_code == 302
    assert flash(response) == [("error", "This booking is confirmed, so it cannot be confirmed.")]
    assert mailoutbox == []


# --- the safety decision -------------------------------------------------------------------


def test_confirm_is_refused_for_a_talk_first_flag_until_the_practitioner_proceeds(
    client, practitioner, request_, mailoutbox
):
    request_.flags = [TALK_FIRST]
    request_.save()

    refused = act(client, practitioner, "sessions:booking-confirm", request_)

    assert flash(refused) == [
        ("error", "Record your decision on the safety flags (proceed or postpone) first.")
    ]
    request_.refresh_from_db()
    assert request_.status == Booking.Status.REQUESTED
    assert mailoutbox == []

    proceeded = act(
        client,
        practitioner,
        "sessions:booking-safety",
        request_,
        {"decision": "proceed", "note": "  Her GP cleared her by letter.  "},
    )

    assert proceeded.status_code == 302
    assert flash(proceeded)[-1] == (
        "success",
        "Decision recorded and booking confirmed: Cara Client, Monday 9 March at 10:00. "
        "The client has been emailed.",
    )
    request_.refresh_from_db()
    assert request_.status == Booking.Status.CONFIRMED
    assert request_.safety_decision == Booking.SafetyDecision.PROCEED
    assert request_.safety_note == "Her GP cleared her by letter."
    (email,) = mailoutbox
    assert email.to == [request_.client.email]
    assert "METHOD:REQUEST" in ics_of(email)
    assert "GP" not in email.body  # the note is for the record, not the confirmation


def test_postponing_declines_the_request_and_keeps_the_note_out_of_the_email(
    client, practitioner, request_, mailoutbox
):
    request_.flags = [TALK_FIRST]
    request_.save()

    response = act(
        client,
        practitioner,
        "sessions:booking-safety",
        request_,
        {"decision": "postpone", "note": "Please see your doctor about the swelling first."},
    )

    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == Booking.Status.DECLINED
    assert request_.safety_decision == Booking.SafetyDecision.POSTPONE
    assert request_.safety_note == "Please see your doctor about the swelling first."
    (email,) = mailoutbox
    assert email.to == [request_.client.email]
    assert "would like to talk with you first and will be in touch" in email.body
    assert "swelling" not in email.body  # the note may name a condition: it stays on record
    assert "METHOD:CANCEL" in ics_of(email)


def test_a_safety_decision_needs_a_note_and_keeps_the_choice(
    client, practitioner, request_, mailoutbox
):
    request_.flags = [TALK_FIRST]
    request_.save()

    response = act(
        client,
        practitioner,
        "sessions:booking-safety",
        request_,
        {"decision": "postpone", "note": "   ", "next": AGENDA_THAT_DAY},
    )

    assert response.status_code == 400
    assert "Write a short note about your decision." in response.text
    assert 'value="postpone"' in response.text.split("checked")[0].rsplit("<input", 1)[1]
    assert f'name="next" value="{AGENDA_THAT_DAY}"'.replace("&", "&amp;") in response.text
    request_.refresh_from_db()
    assert request_.status == Booking.Status.REQUESTED
    assert request_.safety_decision == ""
    assert mailoutbox == []


def test_a_safety_decision_must_be_proceed_or_postpone(client, practitioner, request_):
    response = act(
        client,
        practitioner,
        "sessions:booking-safety",
        request_,
        {"decision": "maybe", "note": "x"},
    )
    assert response.status_code == 400
    assert "Choose proceed or postpone." in response.text
    assert re.search(
        r'<textarea name="note"[^>]*maxlength="1000"[^>]*>\s*x</textarea>', response.text
    )


# --- decline -----------------------------------------------------------------------------


def test_declining_sends_the_reason_with_a_cancelling_calendar_file(
    client, practitioner, request_, mailoutbox
):
    response = act(
        client,
        practitioner,
        "sessions:booking-decline",
        request_,
        {"reason": "I am away that week, sorry."},
    )

    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.status == Booking.Status.DECLINED
    assert request_.decline_reason == "I am away that week, sorry."
    (email,) = mailoutbox
    assert email.to == [request_.client.email]
    assert "I am away that week, sorry." in email.body
    assert "METHOD:CANCEL" in ics_of(email)
    assert "STATUS:CANCELLED" in ics_of(email)


def test_declining_needs_a_reason(client, practitioner, request_, mailoutbox):
    response = act(client, practitioner, "sessions:booking-decline", request_, {"reason": " "})

    assert response.status_code == 400
    assert "Give the client a reason for declining." in response.text
    assert "<h1>Decline this request</h1>" in response.text
    request_.refresh_from_db()
    assert request_.status == Booking.Status.REQUESTED
    assert mailoutbox == []


def test_a_confirmed_booking_cannot_be_declined(client, practitioner, confirmed, mailoutbox):
    response = act(
        client, practitioner, "sessions:booking-decline", confirmed, {"reason": "Changed my mind"}
    )
    assert flash(response) == [("error", "This booking is confirmed, so it cannot be declined.")]
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED
    assert mailoutbox == []


# --- completed or no-show -------------------------------------------------------------------


def test_finishing_is_refused_before_the_start(client, practitioner, confirmed):
    with time_machine.travel(MONDAY_10_LA - timedelta(minutes=1), tick=False):
        response = act(
            client, practitioner, "sessions:booking-finish", confirmed, {"status": "completed"}
        )

    assert flash(response) == [
        ("error", "You can mark the session once its start time has passed.")
    ]
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize(("status", "words"), [("completed", "completed"), ("no_show", "no-show")])
def test_a_started_session_can_be_marked(
    client, practitioner, confirmed, mailoutbox, status, words
):
    with time_machine.travel(MONDAY_10_LA + timedelta(minutes=5), tick=False):
        response = act(
            client, practitioner, "sessions:booking-finish", confirmed, {"status": status}
        )

    assert flash(response) == [
        ("success", f"Marked as {words}: Cara Client, Monday 9 March at 10:00.")
    ]
    confirmed.refresh_from_db()
    assert confirmed.status == status
    assert mailoutbox == []


def test_finishing_accepts_only_completed_or_no_show(client, practitioner, confirmed):
    with time_machine.travel(MONDAY_10_LA + timedelta(hours=2), tick=False):
        response = act(
            client,
            practitioner,
            "sessions:booking-finish",
            confirmed,
            {"status": "cancelled_by_client"},
        )
    assert response.status_code == 400
    assert "A session can only be marked completed or a no-show." in response.text
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED


# --- cancel ----------------------------------------------------------------------------------


def test_the_practitioner_cancels_with_a_reason_and_the_client_is_told(
    client, practitioner, confirmed, mailoutbox
):
    # Inside the late window: that rule is for clients, not for the practitioner.
    with time_machine.travel(MONDAY_10_LA - timedelta(hours=2), tick=False):
        response = act(
            client,
            practitioner,
            "sessions:booking-practitioner-cancel",
            confirmed,
            {"reason": "My child is ill."},
        )

    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CANCELLED_BY_PRACTITIONER
    assert confirmed.cancellation_reason == "My child is ill."
    assert not confirmed.is_late_cancellation
    to_client = next(m for m in mailoutbox if m.to == [confirmed.client.email])
    assert "My child is ill." in to_client.body
    assert "METHOD:CANCEL" in ics_of(to_client)


def test_cancelling_needs_a_reason(client, practitioner, confirmed, mailoutbox):
    response = act(
        client, practitioner, "sessions:booking-practitioner-cancel", confirmed, {"reason": ""}
    )
    assert response.status_code == 400
    assert "Give the client a reason for cancelling." in response.text
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED
    assert mailoutbox == []


def test_a_started_session_cannot_be_cancelled(client, practitioner, confirmed, mailoutbox):
    with time_machine.travel(MONDAY_10_LA + timedelta(minutes=1), tick=False):
        response = act(
            client,
            practitioner,
            "sessions:booking-practitioner-cancel",
            confirmed,
            {"reason": "Too late"},
        )
    assert flash(response) == [
        ("error", "This session has already started, so it cannot be cancelled.")
    ]
    assert mailoutbox == []


# --- where an action returns to -----------------------------------------------------------------


def test_an_action_returns_to_the_booking_page_it_came_from(client, practitioner, request_):
    detail = reverse("sessions:booking-detail", kwargs={"code": request_.code})
    response = act(client, practitioner, "sessions:booking-confirm", request_, {"next": detail})
    assert response.url == detail


def test_an_action_returns_to_the_agenda_day_it_came_from(client, practitioner, request_):
    back = reverse("sessions:agenda") + "?date=2026-03-02"
    response = act(client, practitioner, "sessions:booking-confirm", request_, {"next": back})
    assert response.url == back


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/agenda/", "//evil.example/agenda/", "/admin/", "javascript:alert(1)"],
)
def test_an_action_never_returns_elsewhere(client, practitioner, request_, next_url):
    response = act(client, practitioner, "sessions:booking-confirm", request_, {"next": next_url})
    assert response.url == AGENDA_THAT_DAY


# --- the forms on the booking page -------------------------------------------------------------


def render_actions(booking, user, place="") -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return render_to_string(
        "sessions/includes/practitioner_actions.html",
        {"booking": booking, "place": place},
        request=request,
    )


def test_the_booking_page_shows_the_practitioner_their_answer_forms(client, practitioner, request_):
    client.force_login(practitioner.user)
    page = client.get(reverse("sessions:booking-detail", kwargs={"code": request_.code})).text
    assert "Your answer" in page
    assert reverse("sessions:booking-confirm", kwargs={"code": request_.code}) in page
    assert reverse("sessions:booking-decline", kwargs={"code": request_.code}) in page


def test_the_client_sees_no_practitioner_forms(client, client_user, request_):
    client.force_login(client_user)
    page = client.get(reverse("sessions:booking-detail", kwargs={"code": request_.code})).text
    assert reverse("sessions:booking-confirm", kwargs={"code": request_.code}) not in page
    assert render_actions(request_, client_user).strip() == ""


@pytest.mark.parametrize(
    ("flags", "decision", "asks_for_decision"),
    [
        ([], "", False),
        ([CAUTION, NO_OILS, CLEARANCE], "", False),
        ([CAUTION, TALK_FIRST, NO_OILS], "", True),
        ([TALK_FIRST], "proceed", False),
    ],
)
def test_a_request_offers_confirm_or_the_safety_decision(
    practitioner, request_, flags, decision, asks_for_decision
):
    request_.flags = flags
    request_.safety_decision = decision
    html = render_actions(request_, practitioner.user)
    safety = reverse("sessions:booking-safety", kwargs={"code": request_.code})
    confirm = reverse("sessions:booking-confirm", kwargs={"code": request_.code})
    assert (safety in html) is asks_for_decision
    assert (confirm in html) is not asks_for_decision
    assert reverse("sessions:booking-decline", kwargs={"code": request_.code}) in html
    assert 'name="next" value="/somewhere/"' in html
    # A request is declined, not cancelled.
    cancel = reverse("sessions:booking-practitioner-cancel", kwargs={"code": request_.code})
    assert cancel not in html


def test_the_forms_follow_the_time(practitioner, confirmed):
    finish = reverse("sessions:booking-finish", kwargs={"code": confirmed.code})
    cancel = reverse("sessions:booking-practitioner-cancel", kwargs={"code": confirmed.code})

    before = render_actions(confirmed, practitioner.user)
    with time_machine.travel(MONDAY_10_LA, tick=False):
        at_start = render_actions(confirmed, practitioner.user)

    assert cancel in before and finish not in before
    assert finish in at_start and cancel not in at_start
    assert "Your actions" in before


def test_finished_bookings_offer_nothing(practitioner, confirmed):
    confirmed.status = Booking.Status.COMPLETED
    assert render_actions(confirmed, practitioner.user).strip() == ""


def test_ids_stay_unique_when_a_booking_shows_twice(practitioner, request_):
    day = render_actions(request_, practitioner.user, place="day")
    week = render_actions(request_, practitioner.user, place="week")
    assert f'id="day-{request_.code.hex}-decline-reason"' in day
    assert f'id="week-{request_.code.hex}-decline-reason"' in week
