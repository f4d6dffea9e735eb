"""Flags that follow the client (issue 11, part 1): a booking's flags are re-scored at its own
date when the client signs a new health form, answers the pre-session check or reschedules. A
new talk-first flag sends a confirmed booking back to the practitioner, who is emailed once
with no health detail; a new clearance flag asks the client to confirm again."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from sessions.booking import (
    confirm_booking,
    record_safety_decision,
    reschedule_booking,
    sign_intake_and_rescore,
)
from sessions.models import Booking
from sessions.reminders import send_due_reminders
from sessions.safety import SESSION_CHANGES
from tests.factories import BookingFactory, SessionRecordFactory
from tests.sessions import intake_helpers
from tests.sessions.booking_helpers import (
    MONDAY,
    NOW,
    Status,
    book,
    intake_with,
    la,
    to,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

HEALTH_WORDS = ("clot", "dvt", "thrombosis", "fever", "flu", "unwell", "illness", "pregnan")


@pytest.fixture
def confirmed(practitioner, client_user):
    """A confirmed booking next Monday, made with no flags."""
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    booking = book(practitioner, client_user, intake_with(client_user))
    assert booking.status == Status.CONFIRMED and booking.flags == []
    return booking


def codes(booking) -> set[str]:
    booking.refresh_from_db()
    return {flag["code"] for flag in booking.flags}


def assert_one_change_email(mailoutbox, practitioner, booking):
    (message,) = to(mailoutbox, practitioner.user)
    assert message.subject == "A change to review before Cara Client's session"
    assert reverse("sessions:booking-detail", kwargs={"code": booking.code}) in message.body
    assert "waiting for your answer again" in message.body
    for word in HEALTH_WORDS:
        assert word not in message.body.lower(), word
        assert word not in message.subject.lower(), word


def test_a_new_form_with_a_current_clot_sends_a_confirmed_booking_back(
    client, client_user, practitioner, confirmed, mailoutbox
):
    mailoutbox.clear()
    client.force_login(client_user)

    signed = intake_helpers.fill_in_steps(
        client, intake_helpers.post_data(dvt_current="True"), changed=["circulation"]
    )
    response = client.get(signed["Location"])

    assert response.status_code == 200
    assert "will want to talk with you before your session on Monday 8 June" in response.text
    booking = Booking.objects.get(pk=confirmed.pk)
    assert booking.status == Status.REQUESTED
    assert booking.safety_decision == ""
    assert booking.sequence == confirmed.sequence + 1
    assert "current_clot" in codes(booking)
    assert booking.intake == client_user.intake_forms.order_by("-version").first()
    assert booking.intake != confirmed.intake
    assert (booking.flags_changed_at, booking.flags_change_cause) == (NOW, "intake")
    assert_one_change_email(mailoutbox, practitioner, booking)
    assert to(mailoutbox, client_user) == []

    # The client's booking page says their practitioner will be in touch.
    page = client.get(booking.get_absolute_url()).text
    assert "will want to talk with you before this session: they will be in touch" in page

    # The practitioner sees when and why, decides, confirms; the record form shows the flag.
    client.force_login(practitioner.user)
    page = client.get(booking.get_absolute_url()).text
    assert "Flags updated on 1 June 2026" in page and "after a new health form" in page
    assert "Blood clot now" in page
    record_safety_decision(booking=booking, decision="proceed", note="Doctor cleared her.")
    confirm_booking(booking=booking)
    with time_machine.travel(booking.starts_at + timedelta(minutes=5), tick=False):
        record_page = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert record_page.status_code == 200
    assert "Blood clot now" in record_page.text
    assert "after a new health form" in record_page.text


def test_a_new_form_without_new_flags_changes_only_the_stored_flags(
    client_user, practitioner, confirmed, mailoutbox
):
    mailoutbox.clear()
    _signed, rescored = sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(medications="Iron tablets"),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    booking = Booking.objects.get(pk=confirmed.pk)
    assert rescored.sent_back == rescored.confirm_again == []
    assert booking.status == Status.CONFIRMED
    assert booking.sequence == confirmed.sequence
    assert booking.flags_changed_at is None
    assert booking.intake == client_user.intake_forms.order_by("-version").first()
    assert booking.intake != confirmed.intake
    assert mailoutbox == []


def test_a_booking_already_waiting_is_emailed_once_per_new_talk_first_flag(
    client_user, practitioner, mailoutbox
):
    booking = book(practitioner, client_user, intake_with(client_user, dvt_current=True))
    assert booking.status == Status.REQUESTED
    record_safety_decision(booking=booking, decision="proceed", note="Talked.")
    mailoutbox.clear()

    # The same flag again: nothing new to review.
    sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(dvt_current=True),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    booking.refresh_from_db()
    assert booking.safety_decision == "proceed"
    assert mailoutbox == []

    # A new talk-first flag clears the decision and tells the practitioner.
    sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(
            dvt_current=True,
            pregnancy="pregnant",
            pregnancy_weeks=20,
            pregnancy_complications=["bleeding"],
        ),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    booking.refresh_from_db()
    assert booking.safety_decision == ""
    assert len(to(mailoutbox, practitioner.user)) == 1


def test_a_new_clearance_flag_asks_the_client_to_confirm_again(
    client, client_user, practitioner, confirmed, mailoutbox
):
    Booking.objects.filter(pk=confirmed.pk).update(clearance_confirmed_at=NOW)
    sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(dvt_past=True),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    booking = Booking.objects.get(pk=confirmed.pk)
    assert booking.status == Status.CONFIRMED  # clearance is not talk-first
    assert booking.clearance_confirmed_at is None
    assert not [m for m in mailoutbox if m.subject.startswith("A change to review")]

    client.force_login(client_user)
    page = client.get(booking.get_absolute_url()).text
    assert "Please confirm again" in page
    assert "I have talked to my doctor or midwife about: Past clot or clotting disorder." in page

    url = reverse("sessions:booking-clearance", kwargs={"code": booking.code})
    refused = client.post(url, {}, follow=True)
    assert "Tick the box once you have talked to your doctor or midwife" in refused.text
    client.post(url, {"clearance_confirmed": "on"})
    booking.refresh_from_db()
    assert booking.clearance_confirmed_at == NOW
    assert "Please confirm again" not in client.get(booking.get_absolute_url()).text


def check_in(client, booking, **data):
    return client.post(reverse("sessions:check-in", kwargs={"code": booking.code}), data)


def test_a_new_illness_at_the_pre_session_check_sends_the_booking_back(
    client, client_user, practitioner, confirmed, mailoutbox
):
    mailoutbox.clear()
    client.force_login(client_user)

    response = check_in(
        client, confirmed, changed="True", changes=["new_illness"], details="Fever since Sunday"
    )

    assert response.status_code == 302
    booking = Booking.objects.get(pk=confirmed.pk)
    assert booking.status == Status.REQUESTED
    assert "reported_illness" in codes(booking)
    assert booking.flags_change_cause == "check"
    assert booking.pre_session_check.changes == ["new_illness"]
    assert_one_change_email(mailoutbox, practitioner, booking)
    page = client.get(response.url).text
    assert "will want to talk with you before your session" in page

    # The practitioner's record form shows what arrived after booking.
    client.force_login(practitioner.user)
    record_safety_decision(booking=booking, decision="proceed", note="Fever gone.")
    confirm_booking(booking=booking)
    with time_machine.travel(booking.starts_at + timedelta(minutes=5), tick=False):
        record_page = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert "Unwell now" in record_page.text
    assert "Fever since Sunday" in record_page.text


def test_the_health_form_opened_for_a_booking_shows_that_sessions_flags(
    client, client_user, practitioner, confirmed
):
    client.force_login(client_user)
    check_in(client, confirmed, changed="True", changes=["new_illness"], details="Fever")
    booking = Booking.objects.get(pk=confirmed.pk)
    url = reverse("sessions:intake-detail", kwargs={"code": booking.intake.code})
    client.force_login(practitioner.user)

    for_booking = client.get(f"{url}?booking={booking.code}").text
    alone = client.get(url).text

    assert "Safety flags for this session" in for_booking
    assert "Reported a new illness before this session" in for_booking
    assert "Reported a new illness" not in alone  # the version's own flags, when signed


def test_a_later_no_change_answer_clears_nothing_and_details_alone_raise_nothing(
    client, client_user, practitioner, confirmed, mailoutbox
):
    client.force_login(client_user)
    check_in(client, confirmed, changed="True", changes=["new_medication"], details="Iron")
    booking = Booking.objects.get(pk=confirmed.pk)
    assert codes(booking) == {"reported_medication"}
    assert booking.status == Status.CONFIRMED  # caution: ask before you start
    assert not [m for m in mailoutbox if m.subject.startswith("A change to review")]

    check_in(client, booking, changed="False", details="")
    assert codes(booking) == {"reported_medication"}
    assert booking.session_answers[SESSION_CHANGES] == ["new_medication"]

    # A change needs a choice: words alone are not scored.
    response = check_in(client, booking, changed="True", details="A fever and a sprain")
    assert response.status_code == 400
    assert "tick what has changed" in response.text
    assert codes(booking) == {"reported_medication"}


def test_the_check_in_points_to_the_health_form_for_lasting_changes(client, client_user, confirmed):
    client.force_login(client_user)
    page = client.get(reverse("sessions:check-in", kwargs={"code": confirmed.code})).text
    assert "A new illness: a fever, an infection or anything contagious" in page
    assert "Alcohol or recreational drugs on the day of the session" in page
    assert "please also" in page and reverse("sessions:intake-edit") in page


def test_a_reschedule_works_the_flags_out_for_the_new_date(practitioner, client_user):
    intake = intake_with(client_user, pregnancy="pregnant", pregnancy_weeks=20, midwife_aware=True)
    booking = book(practitioner, client_user, intake)
    assert "About 21 weeks pregnant on the day of the session" in booking.flags[0]["reason"]

    moved = reschedule_booking(booking=booking, new_starts_at=la(MONDAY + timedelta(days=14), 10))

    assert "About 23 weeks pregnant on the day of the session" in moved.flags[0]["reason"]
    assert moved.flags_changed_at is None  # the same flags, worded for the new date


def test_a_reschedule_moves_a_waiting_strong_reaction_to_the_next_booking(
    practitioner, client_user, mailoutbox
):
    SessionRecordFactory(
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status=Status.COMPLETED,
        signed=True,
        checkin_reaction="strong",
        checkin_reaction_notes="Headache for two days",
        checkin_answered_at=NOW - timedelta(days=1),
    )
    first = book(practitioner, client_user, intake_with(client_user))
    assert first.status == Status.REQUESTED and "strong_reaction" in codes(first)
    later = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=first.intake,
        starts_at=la(MONDAY + timedelta(days=7), 10),
    )
    mailoutbox.clear()

    reschedule_booking(booking=first, new_starts_at=la(MONDAY + timedelta(days=14), 10))

    assert "strong_reaction" not in codes(first)
    later.refresh_from_db()
    assert "strong_reaction" in codes(later)
    assert later.status == Status.REQUESTED
    assert later.flags_change_cause == "reschedule"
    changes = [m for m in to(mailoutbox, practitioner.user) if m.subject.startswith("A change")]
    assert len(changes) == 1


def test_unwell_right_now_is_asked_fresh_when_booking(client, client_user, practitioner):
    # The form says "unwell" (months ago): not trusted for this booking.
    intake_with(client_user, acute_illness=True, acute_illness_details="Flu in March")
    client.force_login(client_user)
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": la(MONDAY, 10)},
    )
    page = client.get(url).text
    assert "Are you unwell right now (fever, infection, anything contagious)?" in page
    assert "Flu in March" not in page

    form = {"accept_policy": "on", "price_seen": str(length.price)}
    missing = client.post(url, form)
    assert "Tell us whether you are unwell right now." in missing.text
    no_details = client.post(url, form | {"unwell_now": "True"})
    assert "say what it is" in no_details.text
    assert not Booking.objects.exists()

    client.post(url, form | {"unwell_now": "False"})
    well = Booking.objects.get()
    assert well.flags == []
    assert well.session_answers == {"acute_illness": False, "acute_illness_details": ""}


def test_unwell_when_booking_asks_the_practitioner_to_talk_first(client, client_user, practitioner):
    intake_with(client_user)
    client.force_login(client_user)
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": la(MONDAY, 10)},
    )
    client.post(
        url,
        {
            "accept_policy": "on",
            "price_seen": str(length.price),
            "unwell_now": "True",
            "unwell_details": "A cold",
        },
    )
    booking = Booking.objects.get()
    assert booking.status == Status.REQUESTED
    (flag,) = booking.flags
    assert (flag["code"], flag["tier"]) == ("acute_illness", "postpone")
    assert "A cold" in flag["reason"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 302),
        ("other client", 404),
        ("practitioner", 403),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_client_confirms_clearance_again(client, who, status, client_user, practitioner):
    booking = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        flags=intake_with(client_user, dvt_past=True).flags,
    )
    url = reverse("sessions:booking-clearance", kwargs={"code": booking.code})
    response = client.post(url, {"clearance_confirmed": "on"})
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("login"))
    booking.refresh_from_db()
    assert (booking.clearance_confirmed_at is not None) == (who == client_user)


def test_the_reminder_asks_the_client_to_tell_the_practitioner_about_any_change(
    client_user, confirmed, mailoutbox
):
    mailoutbox.clear()
    with time_machine.travel(confirmed.starts_at - timedelta(hours=23), tick=False):
        assert send_due_reminders() == 1
    (message,) = mailoutbox
    assert "Has anything changed in your health, medication or pregnancy" in message.body
    assert reverse("sessions:check-in", kwargs={"code": confirmed.code}) in message.body


def test_a_new_clearance_flag_tells_and_emails_the_client_to_confirm_on_the_booking_page(
    client, client_user, practitioner, confirmed, mailoutbox
):
    Booking.objects.filter(pk=confirmed.pk).update(clearance_confirmed_at=NOW)
    mailoutbox.clear()
    client.force_login(client_user)

    signed = intake_helpers.fill_in_steps(
        client, intake_helpers.post_data(dvt_past="True"), changed=["circulation"]
    )
    response = client.get(signed["Location"])

    booking_url = confirmed.get_absolute_url()
    assert (
        "Please confirm again on your booking page that you have talked to your doctor or "
        f'midwife: <a href="{booking_url}">your session with Pat Practitioner on Monday 8 June</a>'
    ) in response.text
    (message,) = to(mailoutbox, client_user)
    assert message.subject == "Please confirm again before your session with Pat Practitioner"
    assert booking_url in message.body
    assert "confirm again, on your booking page" in message.body
    for word in (*HEALTH_WORDS, "past clot"):
        assert word not in message.body.lower(), word
    assert to(mailoutbox, practitioner.user) == []

    page = client.get(booking_url).text
    assert "When you book, you will be asked to confirm" not in page
    assert (
        "You told us you have had a blood clot, or have a clotting disorder. Please confirm "
        "below that you have talked to your doctor or midwife"
    ) in page


def test_the_same_clearance_flag_again_asks_nothing(client_user, confirmed, mailoutbox):
    sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(dvt_past=True),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    mailoutbox.clear()
    _signed, rescored = sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(dvt_past=True, medications="Iron tablets"),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    assert rescored.confirm_again == []
    assert mailoutbox == []


def test_a_confirmed_clearance_on_a_booking_is_not_asked_for_when_booking(
    client, client_user, confirmed
):
    sign_intake_and_rescore(
        client=client_user,
        answers=intake_helpers.answers(dvt_past=True),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    client.force_login(client_user)
    client.post(
        reverse("sessions:booking-clearance", kwargs={"code": confirmed.code}),
        {"clearance_confirmed": "on"},
    )

    page = client.get(confirmed.get_absolute_url()).text
    assert "You confirmed you have talked with your healthcare provider." in page
    assert "When you book" not in page and "Please confirm below" not in page
