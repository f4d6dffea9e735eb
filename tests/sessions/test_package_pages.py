"""The package pages: the practitioner's packages page (offer one, take it off sale, what
happens with no credit left), selling one to a client, a sold package's page for its client
and its practitioner, the client's balance on the booking pages; who may open each, and
their query budgets."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import ClientPackage, Package, PackagePolicy
from tests.factories import BookingFactory, UserFactory
from tests.sessions.billing_helpers import completed_invoice
from tests.sessions.booking_helpers import MONDAY, NOW, book, la
from tests.sessions.package_helpers import offered, sold
from tests.two_factor import log_in_as

pytestmark = pytest.mark.django_db

SALE = {"method": "cash", "sold_on": "2026-11-30"}


@pytest.fixture
def package(practitioner) -> Package:
    return offered(practitioner)


@pytest.fixture
def bought(practitioner, client_user) -> ClientPackage:
    return sold(client_user, practitioner)


@pytest.fixture
def regular(practitioner, client_user):
    """client_user has booked `practitioner` before: one of their clients."""
    return BookingFactory(practitioner=practitioner, client=client_user)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("practitioner", 200),
        ("other practitioner", 200),
    ],
    indirect=["who"],
)
@pytest.mark.parametrize("name", ["sessions:packages", "sessions:package-sell"])
def test_the_package_pages_are_for_practitioners_only(client, who, status, name):
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("client", 403), ("staff", 403)],
    indirect=["who"],
)
@pytest.mark.parametrize(
    "name", ["sessions:package-new", "sessions:package-policy", "sessions:package-sell"]
)
def test_nobody_but_a_practitioner_offers_sells_or_sets_the_policy(client, who, status, name):
    assert client.post(reverse(name), {"when_no_credit": "refuse"}).status_code == status
    assert not Package.objects.exists() and not PackagePolicy.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("other practitioner", 404),
        ("practitioner", 302),
    ],
    indirect=["who"],
)
def test_only_its_practitioner_takes_a_package_off_sale(client, package, who, status):
    url = reverse("sessions:package-on-sale", kwargs={"code": package.code})

    assert client.post(url, {"on_sale": "0"}).status_code == status
    package.refresh_from_db()
    assert package.is_active is (status != 302 or who is None)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 200),
        ("practitioner", 200),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 404),
    ],
    indirect=["who"],
)
def test_a_sold_package_is_seen_by_its_client_and_its_practitioner_only(
    client, bought, who, status
):
    url = reverse("sessions:client-package", kwargs={"code": bought.code})

    assert client.get(url).status_code == status


def test_the_practitioner_offers_a_package_of_a_length_they_offer(client, practitioner):
    log_in_as(client, practitioner.user)
    data = {
        "name": "Five full",
        "minutes": "60",
        "sessions": "5",
        "price": "300",
        "valid_months": "6",
    }

    response = client.post(reverse("sessions:package-new"), data, follow=True)

    assert "Package on sale: you can now sell it to a client." in response.text
    package = Package.objects.get()
    assert (package.minutes, package.sessions, package.price, package.valid_months) == (
        60,
        5,
        Decimal("300.00"),
        6,
    )
    assert "5 × 60 minutes" in response.text and "$300.00" in response.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Give the package a name."),
        ({"minutes": "45"}, "Choose one of the lengths you offer."),
        ({"sessions": "0"}, "A package holds at least 1 session."),
        ({"sessions": "51"}, "A package holds at most 50 sessions."),
        ({"price": "-1"}, "A price cannot be negative."),
        ({"price": "12.345"}, "Enter the price to the cent: at most 2 decimal places."),
        ({"valid_months": ""}, "Enter how many months the package is valid."),
    ],
)
def test_a_package_form_with_a_mistake_says_what_to_fix(client, practitioner, change, message):
    log_in_as(client, practitioner.user)
    data = {"name": "Five", "minutes": "60", "sessions": "5", "price": "300", "valid_months": "6"}

    response = client.post(reverse("sessions:package-new"), data | change)

    assert response.status_code == 400
    assert message in response.text
    assert not Package.objects.exists()


def test_a_package_off_sale_is_put_back_on_sale(client, practitioner, package):
    log_in_as(client, practitioner.user)
    url = reverse("sessions:package-on-sale", kwargs={"code": package.code})

    off = client.post(url, {"on_sale": "0"}, follow=True)
    on = client.post(url, {"on_sale": "1"}, follow=True)

    assert "is no longer on sale. Packages already sold keep their credits." in off.text
    assert "“Five full sessions” is on sale again." in on.text
    package.refresh_from_db()
    assert package.is_active


def test_the_practitioner_chooses_to_refuse_bookings_without_credit(client, practitioner):
    log_in_as(client, practitioner.user)

    missing = client.post(reverse("sessions:package-policy"), {})
    response = client.post(
        reverse("sessions:package-policy"), {"when_no_credit": "refuse"}, follow=True
    )

    assert missing.status_code == 400
    assert "Choose what happens when no credit is left." in missing.text
    assert "Saved: what happens when a client has no credit left." in response.text
    assert practitioner.package_policy.when_no_credit == PackagePolicy.WhenNoCredit.REFUSE


def test_the_practitioner_sells_a_package_to_a_client(
    client, practitioner, client_user, package, regular
):
    log_in_as(client, practitioner.user)
    form = client.get(reverse("sessions:package-sell"))
    data = SALE | {"client": client_user.pk, "package": package.pk}

    response = client.post(reverse("sessions:package-sell"), data, follow=True)

    assert "Cara Client" in form.text and "Five full sessions" in form.text
    assert "Sale recorded: Cara Client has 5 credits on “Five full sessions”." in response.text
    bought = ClientPackage.objects.get()
    assert (bought.client, bought.sessions, bought.used) == (client_user, 5, 0)
    assert (bought.payment_method, str(bought.expires_on)) == ("cash", "2027-05-30")
    assert "5 of 5" in response.text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("stranger", "client", "Choose one of your clients."),
        ("elsewhere", "package", "Choose one of your packages on sale."),
        ("credit", "method", "Choose one of the ways listed."),
        ("no date", "sold_on", "Enter the date you received the payment."),
        ("year 9999", "sold_on", "Enter a date in the years 2000 to 2099."),
    ],
)
def test_a_sale_with_a_mistake_says_what_to_fix(
    client,
    practitioner,
    other_practitioner,
    client_user,
    package,
    regular,
    change,
    field,
    message,
):
    log_in_as(client, practitioner.user)
    data = SALE | {"client": client_user.pk, "package": package.pk}
    if change == "stranger":
        data["client"] = UserFactory().pk  # never booked this practitioner
    elif change == "elsewhere":
        data["package"] = offered(other_practitioner).pk
    elif change == "credit":
        data["method"] = "package_credit"
    elif change == "year 9999":
        data["sold_on"] = "9999-12-31"  # its expiry would be past the calendar's end
    else:
        data["sold_on"] = ""

    response = client.post(reverse("sessions:package-sell"), data)

    assert response.status_code == 400
    assert message in response.text
    assert not ClientPackage.objects.exists()


def test_a_package_off_sale_cannot_be_sold(client, practitioner, client_user, package, regular):
    package.is_active = False
    package.save()
    log_in_as(client, practitioner.user)

    response = client.post(
        reverse("sessions:package-sell"), SALE | {"client": client_user.pk, "package": package.pk}
    )

    assert response.status_code == 400  # nothing on sale to choose
    assert "You have no package on sale." in response.text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_packages_page_runs_as_many_queries_for_many_packages_as_for_one(
    client, practitioner, django_assert_max_num_queries
):
    offered(practitioner)
    first = UserFactory()
    sold(first, practitioner)
    log_in_as(client, practitioner.user)
    url = reverse("sessions:packages")
    few = count_queries(client, url)
    for n in range(6):
        sold(UserFactory(), practitioner, name=f"Package {n}")

    # Session and user, the practitioner, packages on sale, those sold with their clients,
    # the lengths offered, the policy, the currency.
    with django_assert_max_num_queries(8):
        response = client.get(url)

    assert count_queries(client, url) == few
    assert response.text.count("5 of 5") == 7


def test_a_sold_package_page_keeps_to_its_budget_and_lists_its_sessions(
    client, practitioner, client_user, intake, bought, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(NOW, tick=False)
    for hour in (9, 11, 13):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, hour))
    log_in_as(client, client_user)
    url = reverse("sessions:client-package", kwargs={"code": bought.code})

    # Session and user, the package with its client and practitioner, its uses with bookings.
    with django_assert_max_num_queries(5):
        response = client.get(url)

    assert response.text.count("credit used") == 3
    assert "2 of 5" in response.text


def test_the_client_sees_the_credit_a_booking_will_use_before_booking(
    client, practitioner, client_user, intake, time_machine
):
    time_machine.move_to(NOW, tick=False)
    sold(client_user, practitioner)  # on 1 June 2026, for six months
    log_in_as(client, client_user)
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": la(MONDAY, 10)},
    )

    page = client.get(url).text

    assert (
        "This session will use a credit from your package “Five full sessions”: 4 credits left "
        "after it, valid until Dec. 1, 2026." in page
    )


def test_the_review_page_says_a_booking_without_credit_is_refused(
    client, practitioner, client_user, intake, time_machine
):
    time_machine.move_to(NOW, tick=False)
    sold(client_user, practitioner, sessions=1)
    book(practitioner, client_user, intake, starts_at=la(MONDAY, 9))
    PackagePolicy.objects.create(practitioner=practitioner, when_no_credit="refuse")
    log_in_as(client, client_user)
    length = practitioner.services.get().lengths.get(minutes=60)
    url = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": la(MONDAY, 12)},
    )

    page = client.get(url).text

    assert "books these sessions only from a package" in page


def test_my_bookings_shows_the_balance_and_the_booking_its_credit(
    client, practitioner, client_user, intake, bought, time_machine
):
    time_machine.move_to(NOW, tick=False)
    booking = book(practitioner, client_user, intake)
    log_in_as(client, client_user)

    bookings = client.get(reverse("sessions:my-bookings")).text
    detail = client.get(booking.get_absolute_url()).text

    assert "Your packages" in bookings
    assert "with Pat Practitioner: 4 credits left for 60-minute sessions" in bookings
    assert "This booking uses a credit from the package “Five full sessions”" in detail


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("other practitioner", 404),
        ("staff", 404),
    ],
    indirect=["who"],
)
def test_only_the_issuing_practitioner_pays_an_invoice_with_a_credit(
    client, practitioner, client_user, who, status
):
    invoice = completed_invoice(practitioner=practitioner, client=client_user)
    sold(client_user, practitioner)
    url = reverse("sessions:invoice-pay-with-credit", kwargs={"code": invoice.code})

    assert client.post(url).status_code == status
    assert not invoice.payments.exists()


def test_the_invoice_page_pays_with_a_credit_or_says_why_not(client, practitioner, client_user):
    invoice = completed_invoice(practitioner=practitioner, client=client_user)
    log_in_as(client, practitioner.user)
    url = reverse("sessions:invoice-pay-with-credit", kwargs={"code": invoice.code})

    refused = client.post(url, follow=True)
    sold(client_user, practitioner, sessions=2, price=Decimal("80.00"))
    paid = client.post(url, follow=True)

    assert "has no package with a credit left for a 60-minute session" in refused.text
    assert "Paid $40.00 with a package credit on INV-0001." in paid.text
    assert "Package credit" not in paid.text.split('id="id_method"')[1].split("</select>")[0]
