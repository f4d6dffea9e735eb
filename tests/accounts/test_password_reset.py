import re

import pytest
from django.urls import reverse

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
    link = re.search(r"http://testserver(/accounts/reset/\S+)", email.body).group(1)

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
