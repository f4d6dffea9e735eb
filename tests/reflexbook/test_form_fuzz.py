"""Every form in the app, fed hostile values, answers with a page or a refusal, never a 5xx.

The test walks the URLconf, fills each URL's arguments with real objects built by the
factories, and opens it as each kind of person (client, practitioner, staff). Each form
the page renders is read from its HTML and submitted with oversized, wrong-type,
control-character and boundary values, all fields at once and one field at a time; views
that refuse GET (POST-only actions) get the same values blind. Every GET is also sent with
such values in its query string. A new form or view is covered without touching this file."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from PIL import Image

from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
    ClearanceNoteFactory,
    DateExceptionFactory,
    IntakeFormFactory,
    SessionRecordFactory,
    TimeOffFactory,
)
from tests.reflexbook.test_url_access import named_patterns

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

CONTROL = "Ada\r\nLovelace\x00\x1b[2J\u202eevil\u2066"
HUGE = "x" * 100_001
# Values any field may get: too long, wrong type, control characters, boundaries.
HOSTILE = [
    HUGE,
    CONTROL,
    "not-a-number",
    "-1",
    "99999999999999999999999999",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "99991231T2359Z",
    "",
]
BY_TYPE = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30", "9999-99-99"],
    "time": ["23:59", "24:00", "00:00:60", "-01:00"],
    "number": ["1e309", "-0", "99999999999999999999", "0.0000001"],
    "email": ["a" * 300 + "@example.com", "@", "x@" + "y" * 300 + ".com"],
    "url": ["javascript:alert(1)", "https://" + "a" * 3000 + ".com"],
}
QUERY = {
    "week": "9999-12-31",
    "start": "99991231T2359Z",
    "date": "0001-01-01",
    "q": CONTROL,
    "language": HUGE[:5000],
    "length": "99999999999999999999",
    "modality": "\x00",
    "verified": "maybe",
    "page": "-1",
    "next": "//evil.example.com/",
    "kind": "../../etc/passwd",
}
ROLES = ("client", "practitioner", "staff")
EXTREME_STARTS = ("99991231T2359Z", "00010101T0000Z")


class FormReader(HTMLParser):
    """The forms of a page: method, action, and each field's name, type and options."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": [],
                }
            )
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag in ("input", "textarea") and attrs.get("name"):
            fields.append(
                {
                    "name": attrs["name"],
                    "type": (attrs.get("type") or "text").lower(),
                    "value": attrs.get("value") or "",
                    "checked": "checked" in attrs,
                    "options": [],
                }
            )
        elif tag == "select" and attrs.get("name"):
            self._select = {
                "name": attrs["name"],
                "type": "select",
                "value": "",
                "checked": False,
                "options": [],
            }
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms


def baseline(form: dict) -> dict:
    """What a browser would send for the form as rendered."""
    data: dict[str, list] = {}
    for field in form["fields"]:
        kind = field["type"]
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and not field["checked"]:
            continue
        value = field["options"][-1] if kind == "select" and field["options"] else field["value"]
        data.setdefault(field["name"], []).append(value)
    return data


def hostile_payloads(form: dict):
    """All fields at once with each hostile value, then each typed field (date, time, number,
    email, URL) alone with a value of its type, and a garbage file for each file input."""
    names = [f for f in form["fields"] if f["type"] not in ("submit", "button", "reset")]
    files = [f["name"] for f in names if f["type"] == "file"]
    others = [f for f in names if f["type"] != "file" and f["name"] != "csrfmiddlewaretoken"]
    for value in HOSTILE:
        data = baseline(form) | {f["name"]: value for f in others}
        yield data | {name: garbage_file() for name in files}
    # Every field at once with a value of its own type: dates at the ends of the calendar
    # with real times, so the form gets as far as combining them.
    for i in range(2):
        typed = {f["name"]: BY_TYPE.get(f["type"], [CONTROL, HUGE])[i] for f in others}
        yield baseline(form) | typed
    # Typed fields alone (the others already had every hostile value above), so cross-field
    # checks run with the rest of the form valid.
    base = baseline(form)
    for field in others:
        if field["type"] in BY_TYPE:
            yield base | {field["name"]: BY_TYPE[field["type"]][0]}
    for name in files:
        yield base | {name: garbage_file()}


def garbage_file() -> SimpleUploadedFile:
    """A JPEG cut off halfway: its header reads, its pixels do not."""
    out = io.BytesIO()
    Image.effect_noise((64, 64), 64).convert("RGB").save(out, format="JPEG")
    data = out.getvalue()
    return SimpleUploadedFile("photo.jpg", data[: len(data) // 2])


@pytest.fixture
def world(client_user, practitioner, staff):
    """One of each object the URLs name, owned by the fixtures' people."""
    intake = IntakeFormFactory(client=client_user)
    upcoming = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=intake,
        status=Booking.Status.CONFIRMED,
        starts_at=datetime(2026, 6, 8, 17, 0, tzinfo=UTC),
    )
    record = SessionRecordFactory(
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__intake=intake,
        booking__starts_at=NOW - timedelta(days=2),
    )
    note = ClearanceNoteFactory(intake=intake)
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    evidence = CertificationEvidenceFactory(certification=certification)
    exception = DateExceptionFactory(practitioner=practitioner)
    time_off = TimeOffFactory(practitioner=practitioner)
    service = practitioner.services.get()
    past_names = ("record", "summary", "checkin", "finish", "history")
    return {
        "people": {"client": client_user, "practitioner": practitioner.user, "staff": staff},
        "kwargs": lambda name, argument: {
            "slug": practitioner.slug,
            "kind": "foot",
            "length_id": service.lengths.get(minutes=60).pk,
            "start": datetime(2026, 6, 8, 20, 0, tzinfo=UTC),
            "token": practitioner.calendar_token,
            "uidb64": "MQ",
            "booking_code": record.booking.code,
            "client_id": client_user.pk,
            "page": 1,
            "year": 2026,
            "pk": {
                "practitioners:service-edit": service.pk,
                "practitioners:exception-delete": exception.pk,
                "practitioners:time-off-delete": time_off.pk,
            }.get(name, 1),
            "code": {
                "sessions:intake-detail": intake.code,
                "sessions:intake-note-file": note.code,
                "practitioners:evidence": evidence.code,
                "practitioners:evidence-download": evidence.code,
                "practitioners:evidence-page": evidence.code,
                "practitioners:review": certification.code,
            }.get(
                name,
                record.booking.code if any(p in name for p in past_names) else upcoming.code,
            ),
        }.get(argument, uuid.uuid4()),
    }


def url_for(name: str, converters: dict, world: dict) -> str:
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    kwargs = {argument: world["kwargs"](name, argument) for argument in converters}
    return reverse(name, kwargs=kwargs)


def urls_for(name: str, converters: dict, world: dict) -> list[str]:
    """The URL with real arguments, plus, for a start time, the ends of Python's calendar."""
    url = url_for(name, converters, world)
    if "start" not in converters:
        return [url]
    good = world["kwargs"](name, "start")
    return [url] + [url.replace(format_start(good), extreme) for extreme in EXTREME_STARTS]


PATTERNS = sorted(dict(named_patterns(get_resolver())).items())
# Forms the walk must reach, so a broken walk cannot pass by posting nothing.
MAIN_FORMS = {
    "accounts:signup",
    "accounts:account",
    "practitioners:profile-edit",
    "practitioners:time-off",
    "practitioners:service-create",
    "sessions:intake-edit",
}


@pytest.mark.parametrize(("name", "converters"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_form_or_query_answers_with_a_server_error(world, name, converters):
    # The login form is fuzzed on its own below.
    clients = {}
    for role in (None, *ROLES):
        clients[role] = Client(raise_request_exception=False)
        if role:
            clients[role].force_login(world["people"][role])
    failures, posted_forms = [], set()

    def check(response, what: str):
        # /readyz answers 503 by design while the periodic jobs have not run.
        if response.status_code >= 500 and not (name == "readyz" and response.status_code == 503):
            failures.append(f"{what} → {response.status_code}")

    for url in urls_for(name, converters, world):
        for role, client in clients.items():
            response = client.get(url)
            check(response, f"GET {url} as {role}")
            check(client.get(f"{url}?{urlencode(QUERY)}"), f"GET {url}?… as {role}")
            if response.status_code == 405:
                # A POST-only action: send the hostile values blind, under the names the
                # app's forms use.
                for value in HOSTILE[:4]:
                    data = dict.fromkeys(("reason", "note", "decision", "start"), value)
                    check(client.post(url, data), f"POST {url} as {role} ({value[:20]!r})")
                posted_forms.add(("blind", url))
                if role:  # the blind POST may have been "log out"
                    client.force_login(world["people"][role])
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_of(response.content.decode()):
                target = form["action"] or url
                if urlsplit(target).netloc or urlsplit(target).path != urlsplit(url).path:
                    continue  # a form posting elsewhere (the nav's log out) is that URL's test
                # A form several people see is sent once; a form only some see is sent by
                # the first of them.
                key = (form["method"], tuple(f["name"] for f in form["fields"]))
                if key in posted_forms or target.startswith(reverse("login")):
                    continue
                posted_forms.add(key)
                send = client.post if form["method"] == "post" else client.get
                for data in hostile_payloads(form):
                    check(send(target, data), f"{form['method'].upper()} {target} as {role}")
                if role:  # a form may end the session (log out, a changed password)
                    client.force_login(world["people"][role])

    assert not failures, "\n".join(failures)
    if name in MAIN_FORMS:
        assert any(key[0] == "post" for key in posted_forms), f"no form posted on {name}"


def test_the_login_form_answers_hostile_values_without_a_server_error(client_user):
    client = Client(raise_request_exception=False)
    form = forms_of(client.get(reverse("login")).content.decode())[-1]
    statuses = [client.post(reverse("login"), data).status_code for data in hostile_payloads(form)]
    assert max(statuses) < 500, statuses
