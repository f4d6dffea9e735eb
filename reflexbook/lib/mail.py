"""Email leaves the request: views queue it, the task worker (`manage.py db_worker`) sends it."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def deliver_email(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send one email through the configured backend (console locally, SMTP in production)."""
    message = EmailMultiAlternatives(subject, body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


def queue_email(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> None:
    """Queue an email. The database queue is transactional: if the surrounding transaction
    rolls back, the email is never sent."""
    deliver_email.enqueue(subject=subject, body=body, to=to, html_body=html_body)
