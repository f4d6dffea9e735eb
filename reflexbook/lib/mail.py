"""Email leaves the request: code queues it with its transaction (enqueue_on_commit), the task
worker (`manage.py db_worker`) renders and sends it.

Every email is a template in `templates/emails/` with two partials, `subject` and `body`,
rendered apart, so no text in the body (a name, a reason) can end up in a header. The body is
plain text, the one source of truth: the HTML part beside it is made from that same text
(escaped, paragraphs, links made clickable) inside one layout, `emails/_layout.html`, so the
two parts of every email say the same thing.

The queue holds references, never rendered text: the template name, the recipient (a user id,
or the address when it belongs to no user), the time zone to render in, the language of the
request that queued it (a language code), and the context with
each model instance as (app_label.model, pk). Task rows can outlive the request by days and be
read by anyone with database access, so no health details, names or secret links sit there;
the worker re-loads the rows and renders. An email whose rows were deleted meanwhile is
skipped (and logged), not sent half-empty.

Each recipient reads the email, its dates and its calendar file in their own language: an
account's preference (User.language), or for an address with no account the language of the
request that queued it (reflexbook.lib.language). Recipients in different languages get one
message each.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django_tasks_db.backend import DatabaseBackend

from reflexbook.lib.language import supported

logger = logging.getLogger(__name__)

ICS_METHODS = ("REQUEST", "CANCEL")


class Gone(Exception):
    """A row an email refers to was deleted before the worker ran."""


def calendar_builder(func: Callable[..., bytes]) -> Callable[..., bytes]:
    """Mark `func(**arguments) -> bytes (.ics)` as one the worker may call for an email's
    calendar file; the worker refuses any other function named in a task row."""
    func.builds_email_calendar = True
    return func


@dataclass(frozen=True)
class CalendarFile:
    """An email's .ics attachment, built by the worker as `build(**arguments)`. `build` is a
    `@calendar_builder` function; `arguments` follow the rules of `send_templated`'s context
    (model instances travel as references), so no free text rides in the queue."""

    build: Callable[..., bytes]
    arguments: dict = field(default_factory=dict)


def enqueue_on_commit(email_task, **arguments) -> None:
    """Queue `email_task` with `arguments` so that it runs only if the surrounding transaction
    commits (at once outside one): no email leaves for a change that rolled back. A queue kept
    in this database (django-tasks-db, as in production) is an outbox: the task row is written
    inside the transaction, so it commits with the change or not at all, and no crash between
    the two can lose the email of a committed change. A backend that would run the task at
    once (the immediate one of tests and `make run`) is called after the commit."""
    if isinstance(email_task.get_backend(), DatabaseBackend):
        email_task.enqueue(**arguments)
    else:
        transaction.on_commit(partial(email_task.enqueue, **arguments))


def one_line(value: str) -> str:
    """`value` as one header line: every run of whitespace, CR and LF included, is one space."""
    return " ".join(value.split())


def _check_address(address: str) -> None:
    if not isinstance(address, str) or not address or address != one_line(address):
        raise ValueError(f"Not a single email address: {address!r}")


# References: each value becomes a one-key dict naming its kind, so no caller value can be
# mistaken for a reference.


def reference(value) -> dict:
    """`value` as JSON the worker turns back into it: a saved model instance as its label and
    pk, an aware datetime or a date as ISO text, str/int/bool/None as themselves. Anything
    else (a float, a dict, a queryset, a naive datetime) raises TypeError."""
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"An unsaved {value._meta.label} cannot be referred to in an email.")
        pk = value.pk if isinstance(value.pk, int) else str(value.pk)
        return {"model": [value._meta.label_lower, pk]}
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise TypeError("A naive datetime has no meaning in another time zone; make it aware.")
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int):
        return {"value": value}
    if isinstance(value, str):
        return {"value": str(value)}
    raise TypeError(
        f"An email's context takes model instances, dates and str/int/bool/None; "
        f"got {type(value).__name__}."
    )


def resolve(ref: dict):
    """The value `reference` encoded, re-loaded now; raises Gone for a deleted row."""
    ((kind, value),) = ref.items()
    if kind == "model":
        label, pk = value
        row = apps.get_model(label)._base_manager.filter(pk=pk).first()
        if row is None:
            raise Gone(f"{label} {pk}")
        return row
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "value":
        return value
    raise ValueError(f"Unknown reference kind {kind!r}")


def _recipients(to: list[str]) -> list[dict]:
    """Each address as its user's id when it belongs to one (the worker sends to the user's
    address of the moment), else as the address itself."""
    for address in to:
        _check_address(address)
    users = {
        user.email.lower(): user.pk
        for user in get_user_model()._default_manager.filter(
            email__in=[address.lower() for address in to]
        )
    }
    return [
        {"user": users[address.lower()]} if address.lower() in users else {"address": address}
        for address in to
    ]


def _address(recipient: dict) -> str:
    if "user" in recipient:
        user = get_user_model()._base_manager.filter(pk=recipient["user"]).first()
        if user is None:
            raise Gone(f"recipient user {recipient['user']}")
        return user.email
    return recipient["address"]


def _by_language(to: list[str], language: str) -> dict[str, list[str]]:
    """`to` grouped by the language each address reads: its account's (User.language), else
    `language`."""
    accounts = dict(
        get_user_model()
        ._base_manager.filter(email__in=[address.lower() for address in to])
        .values_list("email", "language")
    )
    groups: dict[str, list[str]] = {}
    for address in to:
        reads = supported(accounts.get(address.lower())) or language
        groups.setdefault(reads, []).append(address)
    return groups


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)


def _calendar_method(calendar: bytes, fallback: str) -> str:
    """The METHOD the calendar file itself declares (it is built from the booking as it is
    when the worker runs), so the attachment's content type always matches its content."""
    for line in calendar.decode().splitlines():
        if line.upper().startswith("METHOD:"):
            method = line.split(":", 1)[1].strip().upper()
            if method in ICS_METHODS:
                return method
    return fallback


def html_version(subject: str, body: str) -> str:
    """The HTML part of an email whose plain text is `body`: the same text, escaped, in
    paragraphs with its links clickable, inside the branded layout (inline CSS, nothing
    loaded from elsewhere)."""
    content = linebreaks(urlize(body.strip(), autoescape=True))
    return render_to_string(
        "emails/_layout.html", {"subject": subject, "content": mark_safe(content)}
    )


def render_and_send(
    template: str,
    *,
    to: list[str],
    context: dict,
    calendar: bytes | Callable[[], bytes] | None = None,
    ics_method: str = "REQUEST",
    language: str | None = None,
) -> None:
    """Render `emails/<template>.txt` (subject folded to one line, body) with `context` in the
    active time zone and send it now, as plain text with its HTML version (`html_version`).
    Each recipient reads it in their account's language; an address with no account in
    `language` (default: the active one); recipients in different languages get one message
    each. `calendar` is the .ics, or a function that builds it, called in each language.
    For task workers only: requests use `send_templated`."""
    for address in to:
        _check_address(address)
    fallback = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    for reads, addresses in _by_language(to, fallback).items():
        with translation.override(reads):
            _render_and_send_one(
                template,
                to=addresses,
                context=context,
                calendar=calendar() if callable(calendar) else calendar,
                ics_method=ics_method,
            )


def _render_and_send_one(
    template: str, *, to: list[str], context: dict, calendar: bytes | None, ics_method: str
) -> None:
    name = f"emails/{template}.txt"
    subject = one_line(render_to_string(f"{name}#subject", context))
    body = render_to_string(f"{name}#body", context).lstrip()
    message = EmailMultiAlternatives(subject, body, to=list(to))
    message.attach_alternative(html_version(subject, body), "text/html")
    if calendar:
        method = _calendar_method(calendar, ics_method)
        message.attach(
            "booking.ics", calendar.decode(), f"text/calendar; method={method}; charset=utf-8"
        )
    message.send()


@task
def deliver_email(
    *,
    template: str,
    to: list[dict],
    timezone_name: str,
    context: dict,
    ics: dict | None = None,
    ics_method: str = "REQUEST",
    language: str | None = None,
) -> None:
    """Re-load what a queued email refers to, render it in the recipient's time zone and
    language and send it, with its calendar file built now (in that language too); skip it
    (logged) if a row it needs is gone. `language` is the queueing request's (None in tasks
    queued before languages existed: English)."""
    try:
        addresses = [_address(recipient) for recipient in to]
        values = {key: resolve(ref) for key, ref in context.items()}
        builder, arguments = None, {}
        if ics:
            builder = import_string(ics["build"])
            if not getattr(builder, "builds_email_calendar", False):
                raise ValueError(f"{ics['build']} is not a @calendar_builder")
            arguments = {key: resolve(ref) for key, ref in ics["arguments"].items()}
    except Gone as gone:
        logger.warning("Email %r not sent: %s no longer exists.", template, gone)
        return
    with timezone.override(_zone(timezone_name)):
        render_and_send(
            template,
            to=addresses,
            context=values,
            calendar=partial(builder, **arguments) if builder else None,
            ics_method=ics_method,
            language=supported(language) or settings.LANGUAGE_CODE,
        )


def send_templated(
    template: str,
    *,
    to: list[str],
    context: dict,
    ics: CalendarFile | None = None,
    ics_method: str = "REQUEST",
) -> None:
    """Queue `emails/<template>.txt` for `to` once the surrounding transaction commits (at once
    outside one), so no email leaves for a change that rolled back. The worker renders it in
    the time zone active now and in each recipient's language (for an address with no account,
    the language active now), from `context` re-loaded: values may be saved model instances,
    aware datetimes, dates, and str/int/bool/None (see `reference`); put ids and rows in it,
    never health text. `ics` is a CalendarFile the worker builds; its content decides the
    calendar method, `ics_method` is the fallback. An address with a line break, an unknown
    calendar method or a value the queue cannot carry raises at once, and nothing is queued."""
    if ics_method not in ICS_METHODS:
        raise ValueError(f"Calendar method must be one of {ICS_METHODS}; got {ics_method!r}")
    if ics is not None and not isinstance(ics, CalendarFile):
        raise TypeError("`ics` is a CalendarFile the worker builds, not rendered text.")
    if ics is not None and not getattr(ics.build, "builds_email_calendar", False):
        raise ValueError(f"{ics.build!r} is not a @calendar_builder")
    kwargs = {
        "template": template,
        "to": _recipients(to),
        "timezone_name": timezone.get_current_timezone_name(),
        "context": {key: reference(value) for key, value in context.items()},
        "ics": None
        if ics is None
        else {
            "build": f"{ics.build.__module__}.{ics.build.__qualname__}",
            "arguments": {key: reference(value) for key, value in ics.arguments.items()},
        },
        "ics_method": ics_method,
        "language": supported(translation.get_language()) or settings.LANGUAGE_CODE,
    }
    enqueue_on_commit(deliver_email, **kwargs)
