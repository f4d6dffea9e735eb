"""Email leaves the request: views queue it, the task worker (`manage.py db_worker`) sends it."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


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


def queue_email(
    *, to: list[str], subject: str, body: str, ics: str | None = None, ics_method: str = "REQUEST"
) -> None:
    """Queue an email. The database queue is transactional: if the surrounding transaction
    rolls back, the email is never sent. Arguments must survive a JSON round trip."""
    deliver_email.enqueue(subject=subject, body=body, to=to, ics=ics, ics_method=ics_method)
