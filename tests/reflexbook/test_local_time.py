"""The one conversion of a wall-clock date and time to UTC (reflexbook.lib.local_time), used
by slot finding, series dates, time off and the practitioner's forms: both offsets of a zone,
the hour the clocks skip, and the hour they repeat."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from reflexbook.lib.local_time import local_instant

LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")


def test_winter_and_summer_offsets_either_side_of_the_march_change():
    # Clocks in Los Angeles go forward on Sunday 8 March 2026.
    assert local_instant(date(2026, 3, 7), time(10), LA) == datetime(2026, 3, 7, 18, tzinfo=UTC)
    assert local_instant(date(2026, 3, 9), time(10), LA) == datetime(2026, 3, 9, 17, tzinfo=UTC)


def test_a_skipped_time_has_no_instant():
    assert local_instant(date(2026, 3, 8), time(2, 30), LA) is None
    assert local_instant(date(2026, 3, 29), time(1, 30), LONDON) is None


def test_a_repeated_time_means_its_first_occurrence():
    # 01:30 happens twice on Sunday 1 November 2026 in Los Angeles: at -07:00, then -08:00.
    assert local_instant(date(2026, 11, 1), time(1, 30), LA) == datetime(
        2026, 11, 1, 8, 30, tzinfo=UTC
    )
    assert local_instant(date(2026, 10, 25), time(1, 30), LONDON) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
