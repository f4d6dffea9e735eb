"""Error reports (SENTRY_DSN) carry nothing personal: no default PII, no bodies, no local
variables, and health fields scrubbed wherever they appear."""

import pytest
import sentry_sdk

from reflexbook.lib import error_reporting


def filtered(value) -> bool:
    """sentry-sdk's mark for a scrubbed value (sent as "[Filtered]")."""
    return getattr(value, "value", None) == "[Filtered]"


@pytest.fixture
def init_kwargs(monkeypatch):
    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: seen.update(kwargs))
    error_reporting.init("https://key@sentry.example.com/1", environment="test")
    return seen


def test_reporting_sends_no_default_pii_bodies_or_local_variables(init_kwargs):
    assert init_kwargs["send_default_pii"] is False
    assert init_kwargs["max_request_body_size"] == "never"
    assert init_kwargs["include_local_variables"] is False
    assert init_kwargs["before_send"] is error_reporting.scrub


def test_health_fields_are_scrubbed_from_an_event(init_kwargs):
    event = {
        "extra": {"answers": {"pregnant": "yes, 20 weeks"}, "booking_code": "abc"},
        "breadcrumbs": {"values": [{"data": {"subjective": "migraines since May"}}]},
    }
    init_kwargs["event_scrubber"].scrub_event(event)
    assert filtered(event["extra"]["answers"])
    assert event["extra"]["booking_code"] == "abc"
    assert filtered(event["breadcrumbs"]["values"][0]["data"]["subjective"])


def test_before_send_drops_bodies_cookies_and_user_details():
    event = {
        "request": {"url": "/x", "data": "intake=...", "cookies": {"s": "1"}, "query_string": "q"},
        "user": {"id": 7, "email": "a@example.com", "ip_address": "10.0.0.1"},
    }
    scrubbed = error_reporting.scrub(event, {})
    assert scrubbed["request"] == {"url": "/x"}
    assert scrubbed["user"] == {"id": 7}
