"""How far ahead a client may wait is the practitioner's booking horizon counted to a date
where the client is, on the join page and in the service alike (sessions.waitlist)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from sessions.waitlist import WaitlistRefused, join_waitlist, last_day_to_wait
from tests.factories import ServiceLengthFactory, UserFactory

pytestmark = pytest.mark.django_db

# Noon UTC on 1 June is already 00:00 on 2 June in Auckland.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_the_last_day_is_the_horizon_as_a_date_in_the_clients_zone(practitioner):
    practitioner.booking_horizon_days = 60
    assert last_day_to_wait(practitioner=practitioner, now=NOW, zone=UTC) == date(2026, 7, 31)
    auckland = ZoneInfo("Pacific/Auckland")
    assert last_day_to_wait(practitioner=practitioner, now=NOW, zone=auckland) == date(2026, 8, 1)


def test_a_client_ahead_of_utc_may_wait_from_their_own_last_day(practitioner):
    practitioner.booking_horizon_days = 60
    practitioner.save(update_fields=["booking_horizon_days"])
    length = ServiceLengthFactory(service__practitioner=practitioner, minutes=45)
    client = UserFactory(timezone="Pacific/Auckland")
    options = {"client": client, "practitioner": practitioner, "length": length}
    options |= {"weekdays": 0b1111111, "parts": 0b111, "now": NOW}

    entry = join_waitlist(**options, first_day=date(2026, 8, 1), last_day=date(2026, 8, 1))

    assert entry.first_day == date(2026, 8, 1)
    with pytest.raises(WaitlistRefused, match="up to 1 August 2026"):
        join_waitlist(**options, first_day=date(2026, 8, 2), last_day=date(2026, 8, 2))
