"""Nothing a person reads is left out of translation (issue 19): pages for every role and every
email, rendered in a pseudo-locale (tests.translations: each marked text accented and wrapped
in ⟦…⟧), must show no text that did not go through it, apart from the data the test made,
Django's own texts, dates, numbers and punctuation.

`test_every_page_and_email_is_translated` lists the leftovers page by page (run it alone with
`pytest -m i18n_pages tests/reflexbook/test_pseudo_locale.py`); it is the tool for finding
what is still unmarked. `test_the_layout_home_and_error_pages_are_translated` covers the
layout (navigation for each role, footer, switcher), the home page and the error pages.
"""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from reflexbook.lib.mail import render_and_send
from sessions.models import Booking
from tests import translations
from tests.factories import (
    BookingFactory,
    CertificationFactory,
    ListedPractitionerFactory,
    SessionRecordFactory,
    StaffFactory,
    UserFactory,
)
from tests.reflexbook.test_mail_html import EMAILS
from tests.reflexbook.test_mail_html import every_context as every_context  # noqa: F401
from tests.translations import PSEUDO, PSEUDO_NAME
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db

# The role labels on the account link come from accounts.User.Role (marked with the rest of
# accounts); the layout's own test leaves them to that part.
ROLE_LABELS = {"Client", "Practitioner", "Staff"}


@pytest.fixture(scope="module")
def pseudo_messages(tmp_path_factory):
    """The msgids marked now (makemessages), or those of the committed Spanish catalog when
    GNU xgettext is missing."""
    if translations.have_xgettext():
        return translations.extract(tmp_path_factory.mktemp("pseudo-extract"))
    return translations.read_catalog(
        translations.LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po", "es"
    )


@pytest.fixture(scope="module")
def django_texts():
    return translations.django_messages("es")


@pytest.fixture
def pseudo_locale(settings, tmp_path, pseudo_messages):
    """The pseudo-locale compiled and offered (LANGUAGES), its catalog the only one of ours."""
    translations.write_pseudo_catalog(pseudo_messages, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, PSEUDO_NAME)]
    translations.reset_translation_caches()
    yield
    translation.deactivate()
    translations.reset_translation_caches()


@pytest.fixture
def world(db):
    """Something on every page: a listed practitioner with a requested, a confirmed and a
    completed session (signed record) with a client, a credential waiting for staff."""
    practitioner = ListedPractitionerFactory(user__full_name="Pia Pract")
    client = UserFactory(full_name="Cleo Client")
    staff = StaffFactory(full_name="Stan Staff")
    upcoming = BookingFactory(client=client, practitioner=practitioner)
    requested = BookingFactory(
        client=client,
        practitioner=practitioner,
        status=Booking.Status.REQUESTED,
        starts_at=upcoming.starts_at + timedelta(days=1),
    )
    record = SessionRecordFactory(
        booking__client=client, booking__practitioner=practitioner, signed=True
    )
    Booking.objects.filter(pk=record.booking.pk).update(status=Booking.Status.COMPLETED)
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    User.objects.filter(pk__in=[practitioner.user.pk, client.pk, staff.pk]).update(language=PSEUDO)
    for person in (practitioner.user, client, staff):
        person.refresh_from_db()
    length = practitioner.services.first().lengths.first()
    return {
        "practitioner": practitioner,
        "client": client,
        "staff": staff,
        "upcoming": upcoming,
        "requested": requested,
        "record": record,
        "certification": certification,
        "length": length,
    }


def pages(world) -> dict[str, list[str]]:
    """The pages to read, by role ("visitor" is not signed in)."""
    practitioner, client = world["practitioner"], world["client"]
    upcoming, record = world["upcoming"], world["record"]
    slug = practitioner.slug
    return {
        "visitor": [
            reverse("home"),
            reverse("practitioners:directory"),
            reverse("practitioners:detail", kwargs={"slug": slug}),
            reverse("sessions:book", kwargs={"slug": slug}),
            reverse("sessions:slots", kwargs={"slug": slug, "length_id": world["length"].pk}),
            reverse("accounts:signup"),
            reverse("practitioners:signup"),
            reverse("login"),
            reverse("password_reset"),
            "/no-such-page/",
        ],
        "client": [
            reverse("home"),
            reverse("sessions:my-bookings"),
            reverse("sessions:booking-detail", kwargs={"code": upcoming.code}),
            reverse("sessions:booking-detail", kwargs={"code": record.booking.code}),
            reverse("sessions:record-summary", kwargs={"code": record.booking.code}),
            reverse("sessions:intake"),
            reverse("sessions:intake-detail", kwargs={"code": upcoming.intake.code}),
            reverse("sessions:intake-access"),
            reverse("accounts:account"),
            reverse("accounts:two-factor-setup"),
            reverse("password_change"),
            reverse("sessions:my-data"),
            reverse("staff-home"),  # the 403 page
        ],
        "practitioner": [
            reverse("home"),
            reverse("practitioners:dashboard"),
            reverse("sessions:agenda"),
            reverse("sessions:calendar-week"),
            reverse("sessions:calendar-day"),
            reverse("sessions:clients"),
            reverse("sessions:client", kwargs={"client_id": client.pk}),
            reverse("sessions:booking-detail", kwargs={"code": world["requested"].code}),
            reverse("sessions:record", kwargs={"code": record.booking.code}),
            reverse("sessions:todo"),
            reverse("sessions:book-for-client"),
            reverse("practitioners:profile-edit"),
            reverse("practitioners:services"),
            reverse("practitioners:hours"),
            reverse("practitioners:time-off"),
            reverse("practitioners:exceptions"),
            reverse("practitioners:credentials"),
            reverse("practitioners:busy-calendars"),
            reverse("practitioners:billing"),
            reverse("sessions:invoices"),
            reverse("sessions:calendar-settings"),
            reverse("sessions:practice-export"),
            reverse("sessions:retained"),
        ],
        "staff": [
            reverse("home"),
            reverse("staff-home"),
            reverse("practitioners:queue"),
            reverse("practitioners:review", kwargs={"code": world["certification"].code}),
            reverse("practitioners:verification-report"),
            reverse("sessions:safety-queue"),
            reverse("sessions:staff-erasures"),
            reverse("accounts:staff-activity"),
        ],
    }


def read_page(client, url: str, data, django_texts, *, also_allowed: tuple = ()) -> list[str]:
    """The leftovers of one page, or why it could not be read."""
    response = client.get(url, follow=True)
    if response.status_code not in (200, 403, 404):
        return [f"(answered {response.status_code})"]
    html = response.content.decode()
    allowed = (*data, *also_allowed)
    found = []
    for text in translations.visible_texts(html):
        rest = translations.untranslated(text, data=allowed, django_texts=django_texts)
        if rest:
            found.append(f"{rest!r}  in  {' '.join(text.split())[:120]!r}")
    return found


def log_in(client, user) -> None:
    client.logout()
    client.cookies["django_language"] = PSEUDO
    log_in_as(client, user)


def report(leftovers: dict[str, list[str]]) -> str:
    lines = []
    for page, found in leftovers.items():
        lines.append(f"\n{page} ({len(found)}):")
        lines += [f"    {item}" for item in dict.fromkeys(found)]
    total = sum(len(found) for found in leftovers.values())
    return f"{total} text(s) not translated, by page:" + "\n".join(lines)


@pytest.mark.i18n_pages
def test_every_page_and_email_is_translated(
    client, world, every_context, pseudo_locale, django_texts, mailoutbox
):
    data = translations.data_strings()
    leftovers: dict[str, list[str]] = defaultdict(list)
    people = {"client": world["client"], "practitioner": world["practitioner"].user}
    people["staff"] = world["staff"]
    for role, urls in pages(world).items():
        if role == "visitor":
            client.logout()
            client.cookies["django_language"] = PSEUDO
        else:
            log_in(client, people[role])
        for url in urls:
            found = read_page(client, url, data, django_texts)
            if found:
                leftovers[f"{role} {url}"] = found
    data = translations.data_strings()
    with translation.override(PSEUDO), timezone.override(timezone.get_default_timezone()):
        for name in EMAILS:
            mail.outbox.clear()
            render_and_send(name, to=["pseudo@example.com"], context=every_context)
            for message in mail.outbox:
                for text in [message.subject, *message.body.splitlines()]:
                    rest = translations.untranslated(text, data=data, django_texts=django_texts)
                    if rest:
                        leftovers[f"email {name}"].append(f"{rest!r}  in  {text.strip()[:120]!r}")
    assert not leftovers, report(leftovers)


def test_the_layout_home_and_error_pages_are_translated(client, world, pseudo_locale, django_texts):
    data = translations.data_strings()
    leftovers: dict[str, list[str]] = {}
    client.cookies["django_language"] = PSEUDO
    for url in (reverse("home"), "/no-such-page/"):
        found = read_page(client, url, data, django_texts)
        if found:
            leftovers[f"visitor {url}"] = found
    people = {"client": world["client"], "practitioner": world["practitioner"].user}
    people["staff"] = world["staff"]
    for role, person in people.items():
        log_in(client, person)
        urls = [reverse("home"), "/no-such-page/"]
        if role == "client":
            urls.append(reverse("staff-home"))  # the 403 page
        for url in urls:
            found = read_page(client, url, data, django_texts, also_allowed=tuple(ROLE_LABELS))
            if found:
                leftovers[f"{role} {url}"] = found
    assert not leftovers, report(leftovers)


def test_a_page_in_the_pseudo_locale_shows_what_was_not_marked(
    client, world, pseudo_locale, django_texts
):
    """The check finds an unmarked text (and only that) on a page."""
    data = translations.data_strings()
    html = client.get(reverse("home"), headers={"accept-language": PSEUDO}).content.decode()
    assert "⟦Ɓóóķ á ŕéƒĺéẋóĺóğý šéššíóñ⟧" in html
    texts = [*translations.visible_texts(html), "Not marked at all", "Pia Pract, 10:00 a.m."]
    found = [
        rest
        for text in texts
        if (rest := translations.untranslated(text, data=data, django_texts=django_texts))
    ]
    assert found == ["Not marked at all"]
