"""A booking's block on the calendar keeps its safety flags in view: right under the time and
name (before the status), three icons and "+N flags" on a short block, and the page's key
names every flag icon drawn on it."""

import pytest
from django.urls import reverse

from tests.factories import BookingFactory, UserFactory
from tests.sessions.booking_helpers import (
    CAUTION_FLAG,
    CLEARANCE_FLAG,
    MONDAY,
    NOW,
    POSTPONE_FLAG,
    la,
)

pytestmark = pytest.mark.time_machine(NOW, tick=False)
WEEK = reverse("sessions:calendar-week")

FIVE_FLAGS = [
    POSTPONE_FLAG,
    CLEARANCE_FLAG,
    CAUTION_FLAG,
    {**CAUTION_FLAG, "code": "epilepsy", "label": "Epilepsy"},
    {**CAUTION_FLAG, "code": "heart", "label": "Heart condition"},
]


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def block_html(client, booking) -> str:
    html = client.get(WEEK, {"date": MONDAY.isoformat()}).content.decode()
    link = reverse("sessions:booking-detail", kwargs={"code": booking.code})
    start = html.rindex('class="rb-cal-block', 0, html.index(link))
    return html[start : html.index('class="rb-cal-cell', start)]


def test_flags_come_right_after_the_time_and_name_before_the_status(logged_in, practitioner):
    booking = BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Ben Carter"),
        starts_at=la(MONDAY, 11),
        minutes=30,
        flags=[CAUTION_FLAG],
    )

    block = block_html(logged_in, booking)

    name, flag, status = (
        block.index("Ben Carter"),
        block.index("Caution: Diabetes"),
        block.index('class="rb-cal-status"'),
    )
    assert name < flag < status
    assert "flags</span>" not in block  # one flag fits: no "+N flags"


def test_a_short_block_shows_three_flag_icons_and_counts_the_rest(logged_in, practitioner):
    booking = BookingFactory(
        practitioner=practitioner, starts_at=la(MONDAY, 11), minutes=30, flags=FIVE_FLAGS
    )

    block = block_html(logged_in, booking)

    assert '<span class="rb-cal-more" aria-hidden="true">+2 flags</span>' in block
    assert block.count("rb-cal-flag-extra") == 2
    # Every flag keeps its words for screen readers, shown or not.
    for words in ("Talk first: Pregnant", "Medical clearance: Blood clot", "Caution: Epilepsy"):
        assert words in block


def test_a_long_block_shows_every_flag_icon(logged_in, practitioner):
    booking = BookingFactory(
        practitioner=practitioner, starts_at=la(MONDAY, 11), minutes=60, flags=FIVE_FLAGS
    )

    block = block_html(logged_in, booking)

    assert "rb-cal-more" not in block and "rb-cal-flag-extra" not in block
    assert block.count('class="rb-cal-flag ') == 5


def test_the_key_names_the_kinds_of_time_and_the_flag_icons_on_the_page(logged_in, practitioner):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 11), flags=[CLEARANCE_FLAG])

    html = logged_in.get(WEEK, {"date": MONDAY.isoformat()}).content.decode()

    key = html[html.index('class="rb-cal-key') : html.index("</details>")]
    for words in ("Free", "Break", "Outside your hours", "Closed", "Time off", "Buffer", "Travel"):
        assert f"</span>{words}</li>" in key
    assert "</span>Medical clearance</li>" in key
    assert "</span>Caution</li>" not in key  # no caution flag on this week
