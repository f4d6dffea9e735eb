"""Both faces of the session record (the draft form and the signed record) show the booking's
safety flags from the intake the same way, or say there are none."""

import pytest
from django.urls import reverse

from tests.factories import SessionRecordFactory
from tests.sessions.record_helpers import AVOID_LEFT_FOOT, NO_OILS, past_booking

pytestmark = pytest.mark.django_db


def flags_section(html: str) -> str:
    start = html.index('<section class="rb-record-section" aria-labelledby="flags-heading">')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("signed", [False, True], ids=["draft form", "signed record"])
def test_the_record_lists_the_flags_most_serious_first(client, practitioner, client_user, signed):
    booking = past_booking(practitioner, client_user, flags=[NO_OILS, AVOID_LEFT_FOOT])
    SessionRecordFactory(booking=booking, signed=signed)
    client.force_login(practitioner.user)
    section = flags_section(
        client.get(reverse("sessions:record", kwargs={"code": booking.code})).text
    )
    assert "Safety flags for this session" in section
    assert section.index("Verruca on the left foot") < section.index("No oils / unscented")
    assert "Area: left foot" in section
    assert "Client reports a reaction to essential oils." in section


@pytest.mark.parametrize("signed", [False, True], ids=["draft form", "signed record"])
def test_a_booking_without_flags_says_so(client, practitioner, client_user, signed):
    booking = past_booking(practitioner, client_user)
    SessionRecordFactory(booking=booking, signed=signed)
    client.force_login(practitioner.user)
    section = flags_section(
        client.get(reverse("sessions:record", kwargs={"code": booking.code})).text
    )
    assert "No safety flags on this booking." in section
