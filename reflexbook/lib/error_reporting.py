"""Error reporting to Sentry (or any Sentry-compatible service) when SENTRY_DSN is set.

Nothing personal leaves: no default PII (user, IP, cookies), no request bodies, no local
variables, and before_send strips whatever else a frame or breadcrumb carries under a name
that is health data or a credential (HEALTH_FIELDS, with sentry-sdk's own deny-list).
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

# Field and key names whose values are a client's health data (the intake, the booking's
# answers, session records, check-ins) or say who a person is.
HEALTH_FIELDS = [
    "answers",
    "session_answers",
    "flags",
    "details",
    "changes",
    "message",
    "client_message",
    "changes_since_last",
    "observations",
    "subjective",
    "objective",
    "assessment",
    "plan",
    "client_summary",
    "aftercare",
    "reactions_notes",
    "follow_up_note",
    "checkin_sleep",
    "checkin_energy",
    "checkin_reaction_notes",
    "text",
    "note",
    "email",
    "full_name",
    "phone",
    "signed_name",
]


def scrub(event: dict, hint: dict) -> dict:
    """The last word before an event is sent: no request body, cookies or query string, no
    user beyond an id."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string", "env"):
        request.pop(key, None)
    if "user" in event:
        event["user"] = {"id": event["user"].get("id")}
    return event


def init(dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + HEALTH_FIELDS, recursive=True),
        before_send=scrub,
    )
