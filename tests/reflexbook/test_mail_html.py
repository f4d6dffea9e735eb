"""Every email leaves as plain text with an HTML version made from that same text: the two
parts say the same thing, the HTML is escaped, its links clickable, and it loads nothing
from elsewhere."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from reflexbook.lib.mail import html_version, render_and_send
from sessions.models import WaitlistOffer
from tests.factories import (
    BookingFactory,
    BookingSeriesFactory,
    CertificationFactory,
    FreedTimeFactory,
    ServiceLengthFactory,
    SessionRecordFactory,
    WaitlistEntryFactory,
)

EMAILS = sorted(
    path.stem
    for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*.txt")
    if not path.name.startswith("_")
)


class _Text(HTMLParser):
    """The text a reader sees in an HTML email: the body's text, not the head's."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        self.in_head = self.in_head or tag == "head"
        if tag in ("br", "p"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False

    def handle_data(self, data):
        if not self.in_head:
            self.parts.append(data)


def seen_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def words(text: str) -> str:
    return " ".join(text.split())


def html_part(message) -> str:
    (alternative,) = message.alternatives
    assert alternative.mimetype == "text/html"
    return alternative.content


@pytest.fixture
def every_context(db):
    """One context holding every value any email template reads."""
    booking = BookingFactory(
        client__full_name="Ann <b>& Co</b>",
        client_message="See you then",
        cancellation_reason="Unwell",
        decline_reason="Fully booked",
        cancelled_at=datetime(2026, 5, 30, 9, 0, tzinfo=UTC),
    )
    booking.series = BookingSeriesFactory(
        practitioner=booking.practitioner, client=booking.client, service=booking.service
    )
    booking.save()
    length = ServiceLengthFactory(service=booking.service, minutes=45)
    freed = FreedTimeFactory(practitioner=booking.practitioner)
    offer = WaitlistOffer.objects.create(
        entry=WaitlistEntryFactory(
            practitioner=booking.practitioner, client=booking.client, length=length
        ),
        freed=freed,
        starts_at=freed.starts_at,
        offered_at=freed.starts_at - timedelta(days=1),
        expires_at=freed.starts_at - timedelta(hours=22),
    )
    return {
        "booking": booking,
        "recipient": booking.client,
        "for_practitioner": False,
        "site_url": settings.SITE_URL,
        "old_starts_at": datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        "series": booking.series,
        "first_cancelled": booking,
        "record": SessionRecordFactory(booking=booking, signed=True),
        "client": booking.client,
        "user": booking.client,
        "certification": CertificationFactory(practitioner=booking.practitioner),
        "reason": "The credential id does not match",
        "days_left": 3,
        "days": 7,
        "email": booking.client.email,
        "link": f"{settings.SITE_URL}/accounts/verify/abc/",
        "login_url": f"{settings.SITE_URL}/accounts/login/",
        "reset_url": f"{settings.SITE_URL}/accounts/password_reset/",
        "offer": offer,
        "practitioner": booking.practitioner,
        "length": length,
        "first_to_claim": False,
    }


@pytest.mark.parametrize("name", EMAILS)
def test_every_email_has_an_html_part_saying_what_its_text_says(name, every_context, mailoutbox):
    render_and_send(name, to=["ann@example.com"], context=every_context)
    (message,) = mailoutbox
    html = html_part(message)
    assert seen_text(html) == words(message.body)


def test_the_html_part_is_escaped_and_its_links_are_clickable():
    html = html_version(
        "Hello & welcome",
        "Hello <b>Ann</b> & Co,\n\nYour booking: https://example.com/bookings/1/\nSee you.\n",
    )
    assert "Hello &lt;b&gt;Ann&lt;/b&gt; &amp; Co," in html
    assert "<b>" not in html
    assert (
        '<p>Your booking: <a href="https://example.com/bookings/1/">'
        "https://example.com/bookings/1/</a><br>See you.</p>"
    ) in html
    assert "<title>Hello &amp; welcome</title>" in html


def test_the_html_layout_loads_nothing_from_elsewhere_and_styles_inline_only():
    html = html_version("Subject", "Hello,\n\nreflexbook\n")
    for outside in ("<img", "<link", "<script", "<style", "url(", "@import", "src="):
        assert outside not in html
    assert seen_text(html) == "Hello, reflexbook"
