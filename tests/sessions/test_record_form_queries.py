"""The record pages run the same number of queries for 3 points worked as for 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import ReflexPoint
from tests.factories import PointWorkedFactory, RecordAddendumFactory, SessionRecordFactory
from tests.sessions.record_helpers import NO_OILS, past_booking

pytestmark = pytest.mark.django_db


def record_with_points(practitioner, client_user, count: int, *, hours_ago: int, signed: bool):
    booking = past_booking(practitioner, client_user, hours_ago=hours_ago, flags=[NO_OILS])
    record = SessionRecordFactory(booking=booking, signed=signed)
    pairs = [(p, side) for p in ReflexPoint.objects.all() for side in p.sides()][:count]
    for point, side in pairs:
        PointWorkedFactory(record=record, point=point, side=side, tenderness=2)
    if signed:
        for _ in range(min(count, 5)):
            RecordAddendumFactory(record=record, author=practitioner.user)
    return record


def queries(client, record) -> int:
    url = reverse("sessions:record", kwargs={"code": record.booking.code})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed", [False, True], ids=["draft form", "signed record"])
def test_the_record_page_query_count_does_not_grow_with_the_points(
    client, practitioner, client_user, signed, django_assert_max_num_queries
):
    few = record_with_points(practitioner, client_user, 3, hours_ago=2, signed=signed)
    many = record_with_points(practitioner, client_user, 40, hours_ago=30, signed=signed)
    client.force_login(practitioner.user)
    queries(client, few)  # warm up (session, content types)
    budget = queries(client, few)
    assert queries(client, many) == budget, budget
    with django_assert_max_num_queries(9):
        client.get(reverse("sessions:record", kwargs={"code": many.booking.code}))
