"""reflexbook.lib.prepared: a read's SQL built once, run with new values, gives what the
ORM gives (on SQLite and PostgreSQL alike: the suite runs on both)."""

import datetime as dt
from datetime import UTC
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from practitioners.models import DateException, Practitioner, ServiceLength
from reflexbook.lib.prepared import PreparedQuery
from sessions.availability import BUSY, DATES, _busy, _dates
from sessions.models import IntakeForm
from tests.factories import (
    BookingFactory,
    BusyIntervalFactory,
    DateExceptionFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    SlotHoldFactory,
    TimeOffFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2031, 3, 3, tzinfo=UTC)


@pytest.fixture
def calendar():
    """Two practitioners' busy times in one week, and one of them a week later."""
    mine, other = ListedPractitionerFactory(), ListedPractitionerFactory()
    made = {}
    for who in (mine, other):
        made[who] = [
            BookingFactory(practitioner=who, starts_at=MONDAY + dt.timedelta(hours=10)),
            BookingFactory(practitioner=who, starts_at=MONDAY + dt.timedelta(days=8, hours=9)),
            SlotHoldFactory(practitioner=who, starts_at=MONDAY + dt.timedelta(hours=14)),
            TimeOffFactory(practitioner=who, starts_at=MONDAY + dt.timedelta(days=2)),
            BusyIntervalFactory(
                calendar__practitioner=who, starts_at=MONDAY + dt.timedelta(hours=16)
            ),
        ]
    return mine, other, made


def busy_params(practitioner, *, ignore=None, mine=None, days=7):
    end = MONDAY + dt.timedelta(days=days)
    return {
        "practitioner_id": practitioner.pk,
        "window_start": MONDAY,
        "window_end": end,
        "starts_from": MONDAY - dt.timedelta(days=1),
        "starts_before": end + dt.timedelta(days=1),
        "now": dt.datetime.now(UTC),  # the holds expire 10 minutes from now
        "ignore": ignore,
        "mine": mine,
    }


def test_the_rows_are_the_orms_for_each_practitioner_window_and_shape(calendar):
    mine, other, made = calendar
    booking, _, hold, *_ = made[mine]
    cases = [
        busy_params(mine),
        busy_params(other),
        busy_params(mine, days=14),
        busy_params(mine, ignore=booking.pk),
        busy_params(mine, mine=hold.pk),
        busy_params(mine, ignore=booking.pk, mine=hold.pk),
    ]
    for params in cases:
        assert sorted(BUSY.rows(**params)) == sorted(_busy(**params))
    assert len(BUSY.rows(**busy_params(mine))) == 4  # the later booking is outside the week
    assert len(BUSY.rows(**busy_params(mine, days=14))) == 5
    assert len(BUSY.rows(**busy_params(mine, ignore=booking.pk, mine=hold.pk))) == 2
    start, end = BUSY.rows(**busy_params(mine, mine=hold.pk, ignore=booking.pk))[0]
    assert start.tzinfo is not None and isinstance(end, dt.datetime)


def test_dates_come_back_as_dates(db):
    practitioner = ListedPractitionerFactory()
    day = dt.date(2031, 3, 5)
    DateExceptionFactory(practitioner=practitioner, date=day)
    DateExceptionFactory(practitioner=practitioner, date=day + dt.timedelta(days=30))
    params = {"practitioner_id": practitioner.pk, "first_day": day, "last_day": day}
    assert DATES.rows(**params) == list(_dates(**params)) == [(day, "closed", None, None)]


def test_the_sql_is_built_once_per_shape(calendar):
    mine, other, _ = calendar
    built = []

    def build(**params):
        built.append(params)
        return _busy(**params)

    query = PreparedQuery(build)
    query.rows(**busy_params(mine))
    query.rows(**busy_params(other, days=14))
    assert len(built) == 1
    query.rows(**busy_params(mine, ignore=1))
    assert len(built) == 2


def test_a_value_computed_from_a_parameter_is_refused(db):
    def shifted(*, first_day):
        return DateException.objects.filter(date__gte=first_day + dt.timedelta(days=1))

    with pytest.raises(ValueError, match="computed from a parameter"):
        PreparedQuery(shifted).rows(first_day=dt.date(2031, 3, 5))


def test_a_parameter_missing_from_the_sql_is_refused(db):
    def ignores(*, practitioner_id):
        return DateException.objects.values_list("date")

    with pytest.raises(ValueError, match="not in the SQL"):
        PreparedQuery(ignores).rows(practitioner_id=1)


def test_only_ints_strings_dates_and_datetimes_are_parameters(db):
    def by_price(*, price):
        return ServiceLength.objects.filter(price=price).values_list(F("minutes"))

    with pytest.raises(TypeError, match="ints, strings, dates and datetimes"):
        PreparedQuery(by_price).rows(price=Decimal("80.00"))


def test_a_string_worked_into_a_pattern_is_refused(db):
    def containing(*, name):
        return Practitioner.objects.filter(display_name__icontains=name)

    with pytest.raises(ValueError, match="computed from a parameter"):
        PreparedQuery(containing).instances(name="Maya")


LISTED = PreparedQuery(
    lambda *, slug: (
        Practitioner.objects.listed().select_related("user", "billing").filter(slug=slug)
    )
)


def test_instances_are_the_orms_with_their_select_related_rows(db):
    listed, _ = ListedPractitionerFactory(), ListedPractitionerFactory()
    hidden = ListedPractitionerFactory(is_hidden=True)
    found = LISTED.get(slug=listed.slug)
    assert found == listed and found.user == listed.user
    assert found.display_name == listed.display_name and found.timezone == listed.timezone
    with CaptureQueriesContext(connection) as queries:
        assert found.user.email == listed.user.email  # loaded with it: no query
    assert len(queries) == 0
    with pytest.raises(Practitioner.DoesNotExist):
        LISTED.get(slug=hidden.slug)  # the listing's rule is in the SQL
    assert LISTED.instances(slug="nobody") == []


def test_an_encrypted_field_is_decrypted_as_the_orm_does(db):
    intake = IntakeFormFactory()
    latest = PreparedQuery(lambda *, client_id: IntakeForm.objects.filter(client_id=client_id))
    assert latest.get(client_id=intake.client_id).answers == IntakeForm.objects.get().answers
