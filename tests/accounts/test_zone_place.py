"""A zone named by its place ("New York time"), as the directory cards say it."""

import pytest

from accounts.timezones import zone_place


@pytest.mark.parametrize(
    ("zone", "place"),
    [
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("Pacific/Honolulu", "Honolulu"),
        ("UTC", "UTC"),
    ],
)
def test_a_zone_is_named_by_its_last_part_with_spaces(zone, place):
    assert zone_place(zone) == place
