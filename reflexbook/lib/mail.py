"""Email leaves the request: code queues it after its transaction commits, the task worker
(`manage.py db_worker`) sends it.

Every email is a template in `templates/emails/` with two partials, `subject` and `body`,
rendered apart, so no text in the body (a name, a reason) can end up in a header.
"""

from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

ICS_METHODS = ("REQUEST", "CANCEL")


@task
def deliver_email(
    *, subject: str, body: str, to: list[str], ics: str | None = None, ics_method: str = "REQUEST"
) -> None:
    """Send one email through the configured backend (console locally, SMTP in production),
    with a calendar file attached when `ics` is given."""
    message = EmailMultiAlternatives(subject, body, to=to)
    if ics:
        message.attach("booking.ics", ics, f"text/calendar; method={ics_method}; charset=utf-8")
    message.send()


def one_line(value: str) -> str:
    """`value` as one header line: every run of whitespace, CR and LF included, is one space."""
    return " ".join(value.split())


def queue_email(
    *, to: list[str], subject: str, body: str, ics: str | None = None, ics_method: str = "REQUEST"
) -> None:
    """Queue an email once the surrounding transaction commits (at once outside one), so no
    email leaves for a change that rolled back. The subject is folded onto one line; an
    address with a line break, or an unknown calendar method, is refused with ValueError."""
    for address in to:
        if address != one_line(address) or not address:
            raise ValueError(f"Not a single email address: {address!r}")
    if ics_method not in ICS_METHODS:
        raise ValueError(f"Calendar method must be one of {ICS_METHODS}; got {ics_method!r}")
    transaction.on_commit(
        partial(
            deliver_email.enqueue,
            subject=one_line(subject),
            body=body,
            to=list(to),
            ics=ics,
            ics_method=ics_method,
        )
    )


def send_templated(
    template: str,
    *,
    to: list[str],
    context: dict,
    ics: str | None = None,
    ics_method: str = "REQUEST",
) -> None:
    """Render `emails/<template>.txt` (its `subject` and `body` partials) with `context` now,
    in the active time zone, and queue it after commit through `queue_email`."""
    name = f"emails/{template}.txt"
    queue_email(
        to=to,
        subject=render_to_string(f"{name}#subject", context),
        body=render_to_string(f"{name}#body", context).lstrip(),
        ics=ics,
        ics_method=ics_method,
    )
