"""Languages in a real browser (issue 19). The footer's switcher on a phone, with and without
JavaScript; and the acceptance journey: a visitor switches to Spanish and books, and the
confirmation page, its email and the calendar file are in Spanish, while the practitioner,
who reads reflexbook in French, finds the session on a French agenda. Axe-clean throughout.

The journey asserts words that other parts of the site translate (booking, agenda, emails,
the calendar file): it is marked `i18n_pages` with the pseudo-locale check, and runs once
every part is marked (tests/conftest.py, I18N_PAGES_BY_DEFAULT)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from icalendar import Calendar
from playwright.sync_api import Page, expect

from sessions.models import Booking
from tests.e2e.accessibility import assert_accessible
from tests.e2e.helpers import open_every_day
from tests.factories import (
    PASSWORD,
    IntakeFormFactory,
    ListedPractitionerFactory,
    ServiceLengthFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CLIENT_ZONE = ZoneInfo("America/New_York")
HOME_H1 = {
    "en": "Book a reflexology session",
    "es": "Reserve una sesión de reflexología",
    "fr": "Réservez une séance de réflexologie",
}


def switch_to(page: Page, label: str, code: str, name: str) -> None:
    """Choose `name` in the footer's switcher (labelled `label` in the page's language)."""
    footer = page.get_by_role("contentinfo")
    footer.get_by_label(label).select_option(code)
    footer.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(footer.get_by_label(LABELS[code])).to_have_value(code)
    assert footer.get_by_role("option", name=name).count() == 1


LABELS = {"en": "Site language", "es": "Idioma del sitio", "fr": "Langue du site"}
BUTTONS = {"en": "Change language", "es": "Cambiar idioma", "fr": "Changer de langue"}


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at {PHONE['width']}px"


@pytest.mark.browser_context(viewport=PHONE)
def test_a_visitor_switches_language_on_a_phone(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_H1["en"])
    assert_accessible(page)
    fits(page)
    switch_to(page, "Site language", "es", "Español")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_H1["es"])
    expect(page.get_by_role("button", name=BUTTONS["es"])).to_be_visible()
    assert_accessible(page)
    fits(page)
    # The choice stays for the next pages.
    page.goto(reverse("practitioners:directory"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    switch_to(page, "Idioma", "fr", "Français")
    # Back on the same page.
    assert page.url.endswith(reverse("practitioners:directory"))
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_H1["fr"])
    assert_accessible(page)


@pytest.mark.browser_context(viewport=PHONE, java_script_enabled=False)
def test_the_switcher_needs_no_javascript(page: Page):
    page.goto("/")
    switch_to(page, "Site language", "es", "Español")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_H1["es"])


def spanish(value: dt.datetime, fmt: str) -> str:
    with translation.override("es"):
        return date_format(value, fmt)


def french(value: dt.datetime, fmt: str) -> str:
    with translation.override("fr"):
        return date_format(value, fmt)


@pytest.mark.i18n_pages
@pytest.mark.browser_context(viewport=PHONE, timezone_id="America/New_York")
def test_a_visitor_books_in_spanish_and_the_practitioner_reads_french(page: Page, mailoutbox):
    practitioner = ListedPractitionerFactory(
        user__full_name="Pat Lindqvist",
        user__timezone="America/New_York",
        user__language="fr",
        slug="pat-lindqvist",
        timezone="America/New_York",
        min_notice_hours=1,
        auto_confirm=True,
        approve_first_time_clients=False,
    )
    open_every_day(practitioner)
    length = ServiceLengthFactory(service=practitioner.services.get(), minutes=45, price="65.00")
    # A client whose account is in Spanish (as one made on a Spanish page is).
    client = UserFactory(full_name="Lucía Rojas", timezone="America/New_York", language="es")
    IntakeFormFactory(client=client)
    tomorrow = dt.datetime.now(CLIENT_ZONE).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(12), CLIENT_ZONE)

    # The visitor switches to Spanish, then finds the practitioner and a time.
    page.goto("/")
    switch_to(page, "Site language", "es", "Español")
    page.get_by_role("main").get_by_role("link", name="Buscar un terapeuta").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)
    page.goto(reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Elija un horario")
    assert_accessible(page)

    # Logs in (the account is in Spanish too) and books.
    page.goto(reverse("login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
    page.locator("input[name=username]").fill(client.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("heading", name="Hola, Lucía")).to_be_visible()
    page.goto(
        reverse(
            "sessions:review",
            kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": start},
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise y confirme su reserva")
    assert_accessible(page)
    page.locator("input[name=unwell_now][value=False]").check()
    page.locator("input[name=accept_policy]").check()
    page.get_by_role("button", name="Reservar esta sesión").click()

    # The confirmation page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Su sesión con Pat Lindqvist")
    main = page.get_by_role("main")
    expect(main).to_contain_text(spanish(start, "l j \\d\\e F"))  # "martes 2 de diciembre"
    expect(page.locator(".rb-status")).to_have_text("Confirmada")
    assert_accessible(page)
    booking = Booking.objects.get(client=client)

    # The email and its calendar file.
    (email,) = [m for m in mailoutbox if m.to == [client.email]]
    assert "Pat Lindqvist" in email.subject and "Reserva confirmada" in email.subject
    assert spanish(start, "l j \\d\\e F") in email.body
    assert "Hola, Lucía" in email.body
    ((_, ics, _),) = email.attachments
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["summary"]) == "Reflexología (45 min) con Pat Lindqvist"

    # The practitioner reads her agenda in French.
    page.get_by_role("button", name="Mostrar u ocultar el menú").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(practitioner.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav = page.get_by_role("navigation", name="Principal")
    nav.get_by_role("button", name="Afficher ou masquer le menu").click()
    nav.get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre agenda")
    expect(page.get_by_role("main")).to_contain_text("Lucía Rojas")
    expect(page.get_by_role("main")).to_contain_text(french(start, "l j F"))
    expect(page.get_by_role("main")).to_contain_text("Confirmée")
    assert_accessible(page)
    assert booking.status == Booking.Status.CONFIRMED
