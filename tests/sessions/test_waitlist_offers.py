"""Offers of freed time to the waitlist (issue 17, point 2): the outbox row written with each
freeing change, the offer emailed at once after the commit (or at the next run_due_jobs
after a crash), one person at a time in join order or everyone at once, expiry passing the
time on, and nothing offered twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from practitioners.models import FreedTime, Practitioner
from sessions import waitlist
from sessions.booking import (
    SlotTaken,
    cancel_booking,
    decline_booking,
    record_safety_decision,
    reschedule_booking,
)
from sessions.models import Booking, WaitlistEntry, WaitlistOffer
from sessions.waitlist import (
    OFFER_TAKEN,
    book_offer,
    decline_offer,
    process_waitlist,
)
from sessions.waitlist_rules import mask
from tests.factories import BookingFactory, IntakeFormFactory, WaitlistEntryFactory
from tests.sessions.booking_helpers import MONDAY, NOW, la, to

pytestmark = pytest.mark.django_db
Offer = WaitlistOffer.Status

# Monday's 60-minute sessions (09:00-17:00 Los Angeles, 15-minute buffers): no 60-minute
# time is left free, so only a freed one can be offered.
FULL_DAY = [(9, 0), (10, 30), (12, 0), (13, 30), (15, 0)]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def fill_monday(practitioner) -> list[Booking]:
    service = practitioner.services.get()
    return [
        BookingFactory(
            practitioner=practitioner,
            service=service,
            starts_at=la(MONDAY, hour, minute),
            blocks_until=la(MONDAY, hour, minute) + timedelta(minutes=75),
        )
        for hour, minute in FULL_DAY
    ]


@pytest.fixture
def booked(practitioner) -> Booking:
    """The 10:30 session of a full Monday, the one that will be cancelled."""
    return fill_monday(practitioner)[1]


def waiting(practitioner, count: int, **kwargs) -> list[WaitlistEntry]:
    """`count` clients on the waitlist, joined a minute apart in this order."""
    return [
        WaitlistEntryFactory(
            practitioner=practitioner, joined_at=NOW - timedelta(minutes=count - n), **kwargs
        )
        for n in range(count)
    ]


def cancel(booking: Booking) -> Booking:
    return cancel_booking(booking=booking, by=booking.client, reason="")


def offers_to(entry: WaitlistEntry) -> list[WaitlistOffer]:
    return list(WaitlistOffer.objects.filter(entry=entry))


def offer_emails(mailoutbox, entry) -> list:
    return [m for m in to(mailoutbox, entry.client) if "is free" in m.subject]


def test_a_cancellation_emails_the_freed_time_to_the_first_to_join(
    practitioner, booked, mailoutbox
):
    first, second = waiting(practitioner, 2)

    cancel(booked)

    (offer,) = offers_to(first)
    assert offer.status == Offer.OFFERED
    assert offer.starts_at == la(MONDAY, 10, 30)
    assert offer.expires_at == NOW + timedelta(minutes=120)  # the default offer time
    assert offers_to(second) == []
    (email,) = offer_emails(mailoutbox, first)
    # 10:30 in Los Angeles is 13:30 for a client in New York.
    assert email.subject == f"A time with {practitioner.display_name} is free: Monday 8 June, 13:30"
    assert f"/waitlist/offers/{offer.code}/" in email.body
    # 14:00 UTC is 10:00 in New York.
    assert "offered to you first, until 10:00 on Monday 1 June" in email.body
    assert offer_emails(mailoutbox, second) == []
    freed = FreedTime.objects.get()
    assert (freed.cause, freed.starts_at, freed.ends_at) == (
        FreedTime.Cause.CANCELLED,
        la(MONDAY, 10, 30),
        la(MONDAY, 11, 45),
    )


def test_an_expired_offer_passes_to_the_next_client_in_join_order(
    practitioner, booked, mailoutbox, frozen
):
    first, second, third = waiting(practitioner, 3)
    cancel(booked)

    frozen.shift(timedelta(minutes=119))
    call_command("run_due_jobs")
    assert offers_to(second) == []  # the first still has a minute

    frozen.shift(timedelta(minutes=1))
    call_command("run_due_jobs")

    assert offers_to(first)[0].status == Offer.EXPIRED
    (offer,) = offers_to(second)
    assert offer.status == Offer.OFFERED
    assert offer.expires_at == NOW + timedelta(minutes=240)
    assert len(offer_emails(mailoutbox, second)) == 1
    assert offers_to(third) == []


def test_a_second_run_of_the_jobs_sends_nothing_new(practitioner, booked, mailoutbox, frozen):
    waiting(practitioner, 2)
    cancel(booked)
    sent = len(mailoutbox)

    call_command("run_due_jobs")
    call_command("run_due_jobs")

    assert len(mailoutbox) == sent
    assert WaitlistOffer.objects.count() == 1
    assert process_waitlist() == 0


def test_first_to_claim_offers_everyone_who_matches_at_once(practitioner, booked, mailoutbox):
    practitioner.waitlist_first_to_claim = True
    practitioner.save()
    entries = waiting(practitioner, 3)

    cancel(booked)

    assert [len(offers_to(entry)) for entry in entries] == [1, 1, 1]
    for entry in entries:
        (email,) = offer_emails(mailoutbox, entry)
        assert "the first to book it has it" in email.body
    assert process_waitlist() == 0  # nobody offered twice


def test_a_crash_between_the_cancellation_and_the_offer_still_offers_at_the_next_run(
    practitioner, booked, mailoutbox, monkeypatch
):
    (entry,) = waiting(practitioner, 1)
    # The after-commit attempt never happens (the process died right after the commit).
    monkeypatch.setattr(waitlist, "attempt_soon", lambda: None)

    cancel(booked)

    assert offers_to(entry) == []
    assert FreedTime.objects.get().done_at is None  # the outbox row survived the "crash"

    call_command("run_due_jobs")

    (offer,) = offers_to(entry)
    assert offer.starts_at == la(MONDAY, 10, 30)
    assert len(offer_emails(mailoutbox, entry)) == 1


def test_an_offer_never_lasts_past_the_notice_limit(practitioner):
    # The freed session starts 25 hours from now and clients need 24 hours' notice: the
    # offer may last one hour, not the practitioner's 120 minutes.
    starts_at = NOW + timedelta(hours=25)
    assert starts_at == la(MONDAY - timedelta(days=6), 6)  # Tuesday 2 June, 06:00
    practitioner.weekly_hours.create(weekday=1, starts="06:00", ends="08:00")
    booking = BookingFactory(
        practitioner=practitioner,
        starts_at=starts_at,
        blocks_until=starts_at + timedelta(minutes=75),
    )
    (entry,) = waiting(practitioner, 1)

    cancel_booking(booking=booking, by=practitioner.user, reason="Unwell")

    (offer,) = offers_to(entry)
    assert offer.expires_at == NOW + timedelta(hours=1)


def test_a_declined_offer_passes_to_the_next_client_at_once(practitioner, booked, mailoutbox):
    first, second = waiting(practitioner, 2)
    cancel(booked)
    (offer,) = offers_to(first)

    assert decline_offer(offer=offer)

    offer.refresh_from_db()
    assert offer.status == Offer.DECLINED
    assert len(offers_to(second)) == 1
    assert len(offer_emails(mailoutbox, second)) == 1
    assert not decline_offer(offer=offer)  # once only


def test_entries_whose_days_parts_or_dates_do_not_suit_get_no_offer(practitioner, booked):
    practitioner.waitlist_first_to_claim = True  # everyone who suits hears
    practitioner.save()
    # 10:30 Los Angeles on Monday is 13:30 in New York: an afternoon.
    wrong_day = WaitlistEntryFactory(practitioner=practitioner, weekdays=mask([1, 2]))
    wrong_part = WaitlistEntryFactory(practitioner=practitioner, parts=mask([0, 2]))
    too_late = WaitlistEntryFactory(practitioner=practitioner, first_day=MONDAY + timedelta(days=1))
    shorter = WaitlistEntryFactory(
        practitioner=practitioner, length=practitioner.services.get().lengths.get(minutes=30)
    )
    suits = WaitlistEntryFactory(practitioner=practitioner, parts=mask([1]), weekdays=mask([0]))

    cancel(booked)

    for entry in (wrong_day, wrong_part, too_late):
        assert offers_to(entry) == []
    # A 30-minute session in the freed hour is offered at the very time given up.
    assert [o.starts_at for o in offers_to(shorter)] == [la(MONDAY, 10, 30)]
    assert [o.starts_at for o in offers_to(suits)] == [la(MONDAY, 10, 30)]


def test_nobody_suiting_marks_the_freed_time_done(practitioner, booked, mailoutbox):
    WaitlistEntryFactory(practitioner=practitioner, weekdays=mask([3]))

    cancel(booked)

    assert FreedTime.objects.get().done_at == NOW
    assert WaitlistOffer.objects.count() == 0


def test_booking_the_offer_marks_it_claimed_and_the_entry_booked(
    practitioner, booked, frozen, mailoutbox
):
    first, second = waiting(practitioner, 2)
    cancel(booked)
    (offer,) = offers_to(first)

    booking = book_offer(
        offer=offer,
        client=first.client,
        practitioner=practitioner,
        service=first.length.service,
        minutes=60,
        starts_at=offer.starts_at,
        intake=IntakeFormFactory(client=first.client),
    )

    assert booking.starts_at == offer.starts_at
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == Offer.CLAIMED
    assert (first.status, first.place) == (WaitlistEntry.Status.BOOKED, None)
    frozen.shift(timedelta(hours=3))
    call_command("run_due_jobs")
    assert offers_to(second) == []  # the time is taken: nothing to pass on
    assert FreedTime.objects.get().done_at is not None


def test_a_time_taken_meanwhile_is_refused_kindly(practitioner, booked):
    (entry,) = waiting(practitioner, 1)
    cancel(booked)
    (offer,) = offers_to(entry)
    BookingFactory(
        practitioner=practitioner,
        starts_at=offer.starts_at,
        blocks_until=offer.starts_at + timedelta(minutes=75),
    )

    with pytest.raises(SlotTaken) as refused:
        book_offer(
            offer=offer,
            client=entry.client,
            practitioner=practitioner,
            service=entry.length.service,
            minutes=60,
            starts_at=offer.starts_at,
            intake=IntakeFormFactory(client=entry.client),
        )

    assert str(refused.value) == OFFER_TAKEN
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.ACTIVE


def test_a_decline_a_postponement_and_a_move_each_free_time(practitioner):
    requests = [
        BookingFactory(
            practitioner=practitioner,
            status=Booking.Status.REQUESTED,
            starts_at=la(MONDAY, hour),
            blocks_until=la(MONDAY, hour) + timedelta(minutes=75),
        )
        for hour in (9, 11, 13)
    ]

    decline_booking(booking=requests[0], reason="Fully booked that week")
    record_safety_decision(booking=requests[1], decision="postpone", note="Talk first")
    requests[2].status = Booking.Status.CONFIRMED
    requests[2].save()
    reschedule_booking(booking=requests[2], new_starts_at=la(MONDAY, 15))

    freed = FreedTime.objects.order_by("pk")
    assert [(f.cause, f.starts_at) for f in freed] == [
        (FreedTime.Cause.DECLINED, la(MONDAY, 9)),
        (FreedTime.Cause.DECLINED, la(MONDAY, 11)),
        (FreedTime.Cause.RESCHEDULED, la(MONDAY, 13)),
    ]


def test_a_practitioner_no_longer_listed_offers_nothing_and_the_freed_time_is_done(
    practitioner, booked, mailoutbox
):
    (first,) = waiting(practitioner, 1)
    Practitioner.objects.filter(pk=practitioner.pk).update(is_hidden=True)

    cancel(booked)

    assert offers_to(first) == []
    assert offer_emails(mailoutbox, first) == []
    assert FreedTime.objects.get().done_at is not None
