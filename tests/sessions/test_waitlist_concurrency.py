"""Races on the waitlist (issue 17): clients claiming one freed time at the same moment, and
two workers making offers at once. Real threads, each with its own connection, released
together (tests.sessions.test_booking_concurrency.race); run with DATABASE_URL=postgres://...
to cover PostgreSQL as well as SQLite."""

from collections import Counter
from datetime import timedelta

import pytest

from practitioners.models import FreedTime
from sessions.booking import SlotTaken, cancel_booking
from sessions.models import Booking, WaitlistEntry, WaitlistOffer
from sessions.waitlist import OFFER_TAKEN, book_offer, process_waitlist
from tests.factories import BookingFactory, IntakeFormFactory, WaitlistEntryFactory
from tests.sessions.test_booking_concurrency import next_monday_at, race

pytestmark = pytest.mark.django_db(transaction=True)


def full_monday(practitioner) -> list[Booking]:
    """Monday's 60-minute sessions with 15-minute buffers: no 60-minute time left free."""
    return [
        BookingFactory(
            practitioner=practitioner,
            service=practitioner.services.get(),
            starts_at=next_monday_at(hour, minute),
            blocks_until=next_monday_at(hour, minute) + timedelta(minutes=75),
        )
        for hour, minute in [(9, 0), (10, 30), (12, 0), (13, 30), (15, 0)]
    ]


def test_three_clients_claiming_one_freed_time_at_once_give_one_booking(practitioner):
    practitioner.waitlist_first_to_claim = True
    practitioner.save()
    cancelled = full_monday(practitioner)[1]
    entries = [WaitlistEntryFactory(practitioner=practitioner) for _ in range(3)]
    intakes = {entry.pk: IntakeFormFactory(client=entry.client) for entry in entries}
    cancel_booking(booking=cancelled, by=cancelled.client, reason="")
    offers = list(WaitlistOffer.objects.select_related("entry__client", "entry__length__service"))
    assert len(offers) == 3
    assert {offer.starts_at for offer in offers} == {cancelled.starts_at}

    def claim(offer):
        return lambda: book_offer(
            offer=offer,
            client=offer.entry.client,
            practitioner=practitioner,
            service=offer.entry.length.service,
            minutes=60,
            starts_at=offer.starts_at,
            intake=intakes[offer.entry_id],
        )

    results = race([claim(offer) for offer in offers])

    outcomes = Counter(
        "won"
        if isinstance(r, Booking)
        else "kindly refused"
        if isinstance(r, SlotTaken) and str(r) == OFFER_TAKEN
        else f"ERROR {r!r}"
        for r in results
    )
    assert outcomes == {"won": 1, "kindly refused": 2}
    (winner,) = [r for r in results if isinstance(r, Booking)]
    assert Booking.objects.active().filter(starts_at=cancelled.starts_at).get() == winner
    assert WaitlistOffer.objects.filter(status=WaitlistOffer.Status.CLAIMED).count() == 1
    statuses = Counter(WaitlistEntry.objects.values_list("status", flat=True))
    assert statuses == {WaitlistEntry.Status.BOOKED: 1, WaitlistEntry.Status.ACTIVE: 2}


def test_two_workers_at_once_offer_each_freed_time_once(practitioner, mailoutbox):
    practitioner.waitlist_first_to_claim = True
    practitioner.save()
    full_monday(practitioner)
    WaitlistEntryFactory.create_batch(3, practitioner=practitioner)
    # Three freed hours written while no worker ran (as after a crash).
    for hour in (9, 12, 15):
        FreedTime.objects.create(
            practitioner=practitioner,
            starts_at=next_monday_at(hour),
            ends_at=next_monday_at(hour) + timedelta(minutes=75),
            cause=FreedTime.Cause.CANCELLED,
        )
    Booking.objects.filter(starts_at__in=[next_monday_at(h) for h in (9, 12, 15)]).update(
        status=Booking.Status.CANCELLED_BY_CLIENT
    )

    results = race([process_waitlist for _ in range(4)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == WaitlistOffer.objects.count() == 9  # 3 entries x 3 freed times
    assert len([m for m in mailoutbox if "is free" in m.subject]) == 9
    assert process_waitlist() == 0
