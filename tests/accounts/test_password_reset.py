import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_link_works_end_to_end(client, mailoutbox):
    user = UserFactory(email="rae@example.com", full_name="Rae Reset")
    response = client.post(reverse("password_reset"), {"email": "RAE@example.com"}, follow=True)
    assert "Check your email" in response.text
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["rae@example.com"]
    assert email.subject == "Reset your reflexbook password"
    site = re.escape(settings.SITE_URL)
    link = re.search(rf"{site}(/accounts/reset/\S+)", email.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "new-Soles-2026!", "new_password2": "new-Soles-2026!"},
        follow=True,
    )
    assert "Your password has been reset" in done.text
    user.refresh_from_db()
    assert user.check_password("new-Soles-2026!")
    # The link works once.
    assert "This reset link no longer works" in client.get(link, follow=True).text


def test_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "Check your email" in response.text
    assert mailoutbox == []


def test_the_task_queue_never_holds_the_reset_link_or_token(client, database_tasks, mailoutbox):
    """Task rows live for days and anyone with database access can read them: the request
    queues the user's id only, and the worker makes the link."""
    user = UserFactory(email="rae@example.com")

    client.post(reverse("password_reset"), {"email": "rae@example.com"})

    assert mailoutbox == []
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [], "kwargs": {"user_id": user.pk}}

    assert database_tasks() == 1

    (email,) = mailoutbox
    link = re.search(r"\S+/accounts/reset/\S+", email.body).group(0)
    assert link.startswith(f"{settings.SITE_URL}/accounts/reset/")
    _, token = link.rstrip("/").split("/")[-2:]
    stored = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert token not in stored
    assert link not in stored
    # The link the worker made works.
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in form.text


def test_the_reset_link_uses_the_site_url_not_the_host_the_request_named(
    client, settings, mailoutbox
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://book.example.org"
    UserFactory(email="rae@example.com")

    client.post(reverse("password_reset"), {"email": "rae@example.com"}, HTTP_HOST="evil.example")

    (email,) = mailoutbox
    assert "evil.example" not in email.body
    assert "https://book.example.org/accounts/reset/" in email.body


def test_no_reset_email_leaves_for_a_user_deactivated_before_the_worker_ran(
    client, database_tasks, mailoutbox
):
    user = UserFactory(email="rae@example.com")
    client.post(reverse("password_reset"), {"email": "rae@example.com"})
    user.is_active = False
    user.save()

    database_tasks()

    assert mailoutbox == []
