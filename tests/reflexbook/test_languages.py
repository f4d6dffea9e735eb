"""Languages (issue 19): which language a page, an email or a calendar file is in, the
switcher, the account's preference, and the language a consent was read in."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from reflexbook.lib.mail import CalendarFile, calendar_builder, render_and_send, send_templated
from sessions.intake import sign_intake
from tests.factories import PASSWORD, IntakeFormFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME_H1 = {
    "en": "Book a reflexology session",
    "es": "Reserve una sesión de reflexología",
    "fr": "Réservez une séance de réflexologie",
}
# A Monday, for the day's name in each language.
MONDAY = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def probe_templates(settings):
    """An email template of the tests' own (tests/reflexbook/templates/emails/language_probe.txt)."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [Path(__file__).parent / "templates", *settings.TEMPLATES[0]["DIRS"]],
        }
    ]


def h1(response) -> str:
    html = response.content.decode()
    return html.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_visitor_reads_the_page_in_the_browser_language(client, language):
    response = client.get(reverse("home"), headers={"accept-language": f"{language},en;q=0.5"})
    assert h1(response) == HOME_H1[language]
    assert f'<html lang="{language}">' in response.content.decode()
    assert response["Content-Language"] == language


def test_a_browser_language_we_do_not_offer_gets_english(client):
    response = client.get(reverse("home"), headers={"accept-language": "de"})
    assert h1(response) == HOME_H1["en"]


def test_the_switcher_works_without_a_token_for_a_visitor_and_wins_over_the_browser():
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("set_language"), {"language": "fr", "next": "/practitioners/"})
    assert response.status_code == 302 and response.url == "/practitioners/"
    assert response.cookies["django_language"].value == "fr"
    page = visitor.get(reverse("home"), headers={"accept-language": "es"})
    assert h1(page) == HOME_H1["fr"]


def test_the_switcher_is_on_every_page_names_each_language_in_itself_and_needs_no_script(client):
    html = client.get(reverse("home")).content.decode()
    form = html.split('class="language-switcher', 1)[1].split("</form>", 1)[0]
    assert f'action="{reverse("set_language")}"' in form
    assert '<label for="language-select"' in form and 'id="language-select"' in form
    for code, name in (("en", "English"), ("es", "Español"), ("fr", "Français")):
        assert f'<option value="{code}" lang="{code}"' in form and f">{name}</option>" in form
    assert 'type="submit"' in form
    # A visitor's page holds no token (public pages stay cacheable).
    assert "csrfmiddlewaretoken" not in form


def test_a_switcher_pointing_elsewhere_goes_home(client):
    response = client.post(
        reverse("set_language"), {"language": "es", "next": "https://elsewhere.example/"}
    )
    assert response.url == "/"


def test_a_signed_in_person_reads_their_account_language_whatever_the_browser_says(client):
    user = UserFactory(language="fr")
    client.force_login(user)
    response = client.get(reverse("home"), headers={"accept-language": "es"})
    assert h1(response) == HOME_H1["fr"]
    # The cookie follows, so the site stays in French after signing out.
    assert response.cookies["django_language"].value == "fr"


def test_the_switcher_changes_a_signed_in_persons_account_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "csrfmiddlewaretoken" in page.split('class="language-switcher', 1)[1]
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
    assert h1(client.get(reverse("home"))) == HOME_H1["es"]


def test_a_forged_switch_cannot_change_an_account(client):
    user = UserFactory(language="en")
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(user)
    response = forged.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.language == "en"


def test_the_account_page_sets_the_language_and_it_applies_at_once(client):
    user = UserFactory(language="en", full_name="Ana Cliente", timezone="Europe/Madrid")
    client.force_login(user)
    form = client.get(reverse("accounts:account")).content.decode()
    assert 'name="language"' in form
    response = client.post(
        reverse("accounts:account"),
        {"full_name": "Ana Cliente", "phone": "", "timezone": "Europe/Madrid", "language": "es"},
        follow=True,
    )
    user.refresh_from_db()
    assert user.language == "es"
    assert 'lang="es"' in response.content.decode()


def test_an_account_made_on_a_spanish_page_reads_spanish():
    with translation.override("es"):
        user = User.objects.create_user("nueva@example.com", "pw-long-enough", full_name="Nueva")
    assert user.language == "es"
    assert User.objects.create_user("new@example.com", "pw", full_name="New").language == "en"


def test_an_email_is_in_its_recipients_language_with_dates_for_that_language(
    probe_templates, mailoutbox
):
    UserFactory(email="ana@example.com", language="es")
    UserFactory(email="luc@example.com", language="fr")
    with translation.override("en"):
        send_templated(
            "language_probe",
            to=["ana@example.com", "luc@example.com"],
            context={"when": MONDAY},
        )
    by_address = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == 2  # one message per language
    assert by_address["ana@example.com"].subject == "Idioma"
    assert by_address["ana@example.com"].body.startswith("Idioma: lunes 1 junio")
    assert by_address["luc@example.com"].subject == "Langue"
    assert by_address["luc@example.com"].body.startswith("Langue: lundi 1 juin")


def test_an_address_with_no_account_reads_the_language_of_the_page_that_sent_it(
    probe_templates, mailoutbox
):
    with translation.override("fr"):
        send_templated("language_probe", to=["stranger@example.com"], context={"when": MONDAY})
    (message,) = mailoutbox
    assert message.subject == "Langue"


def test_the_queue_carries_a_language_code_only(probe_templates, monkeypatch):
    queued = {}
    monkeypatch.setattr(
        "reflexbook.lib.mail.enqueue_on_commit", lambda task, **arguments: queued.update(arguments)
    )
    with translation.override("es"):
        send_templated("language_probe", to=["stranger@example.com"], context={"when": MONDAY})
    assert queued["language"] == "es"


@calendar_builder
def language_calendar() -> bytes:
    return f"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nX-LANG:{translation.get_language()}\r\nEND:VCALENDAR\r\n".encode()


def test_the_calendar_file_is_built_in_the_recipients_language(probe_templates, mailoutbox):
    UserFactory(email="ana@example.com", language="es")
    send_templated(
        "language_probe",
        to=["ana@example.com"],
        context={"when": MONDAY},
        ics=CalendarFile(language_calendar),
    )
    (message,) = mailoutbox
    ((_name, content, _type),) = message.attachments
    assert "X-LANG:es" in content


def test_a_worker_rendering_for_an_account_uses_its_language(probe_templates, mailoutbox):
    UserFactory(email="luc@example.com", language="fr")
    render_and_send("language_probe", to=["luc@example.com"], context={"when": MONDAY})
    assert mailoutbox[0].subject == "Langue"


def test_the_consent_records_the_language_it_was_read_in(client_user):
    answers = IntakeFormFactory(client=client_user, version=1).answers
    with translation.override("es"):
        signed = sign_intake(
            client=client_user,
            answers=answers,
            signed_name="Cara Client",
            signed_ip=None,
            physician_contact_allowed=False,
        )
    assert signed.consent_language == "es"
    english = sign_intake(
        client=client_user,
        answers=answers,
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )
    assert english.consent_language == "en"


def test_a_cached_public_page_is_kept_apart_per_language(client, practitioner):
    url = reverse("practitioners:directory")
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    spanish = client.get(url, headers={"accept-language": "es"}).content.decode()
    assert "Find a practitioner" in english and "Buscar un terapeuta" in spanish
    assert 'lang="es"' in spanish


def test_the_demo_has_a_spanish_speaking_client_and_a_french_speaking_practitioner():
    out = io.StringIO()
    call_command("seed_demo", stdout=out, even_without_debug=True)
    languages = dict(User.objects.values_list("email", "language"))
    assert languages.pop("sam@example.com") == "es"
    assert languages.pop("daniel@example.com") == "fr"
    assert set(languages.values()) == {"en"}
    assert "client        sam@example.com        demo-pass-5" in out.getvalue()


def test_signing_in_applies_the_accounts_language(client):
    user = UserFactory(language="fr")
    client.cookies["django_language"] = "es"
    assert h1(client.get(reverse("home"))) == HOME_H1["es"]
    response = client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert 'lang="fr"' in response.content.decode()
    assert client.cookies["django_language"].value == "fr"
