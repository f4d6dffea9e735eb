"""The review page asks the client to confirm the medical-clearance flags of the session with no
query (sessions.session_flags.clearance_flags): the clearance flags of flags_in_force, which a
strong reaction waiting or an "unwell right now" answer cannot add to."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions.models import SessionRecord
from sessions.safety import Tier, codes, of_tier
from sessions.session_flags import clearance_flags, flags_in_force
from tests.factories import SessionRecordFactory
from tests.sessions.booking_helpers import MONDAY, NOW, intake_with, la

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

UNWELL = {"acute_illness": True, "acute_illness_details": "A fever since Sunday."}


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"dvt_past": True},
        {
            "pregnancy": "pregnant",
            "due_date": "2026-09-01",
            "pregnancy_complications": ["high_risk"],
        },
    ],
)
def test_clearance_flags_are_those_in_force_even_with_a_strong_reaction_and_unwell_now(
    practitioner, client_user, answers
):
    intake = intake_with(client_user, **answers)
    SessionRecordFactory(
        booking__practitioner=practitioner,
        booking__client=client_user,
        signed=True,
        checkin_reaction=SessionRecord.Reaction.STRONG,
    )
    starts_at = la(MONDAY, 10)
    in_force = flags_in_force(
        client=client_user,
        intake=intake,
        practitioner=practitioner,
        starts_at=starts_at,
        session_answers=UNWELL,
    )
    assert {"strong_reaction", "acute_illness"} <= codes(in_force)

    with CaptureQueriesContext(connection) as queries:
        clearance = clearance_flags(
            client=client_user, intake=intake, practitioner=practitioner, starts_at=starts_at
        )

    assert clearance == of_tier(in_force, Tier.CLEARANCE)
    assert len(queries) == 0


def test_a_clot_in_the_past_asks_for_clearance(practitioner, client_user):
    intake = intake_with(client_user, dvt_past=True)

    clearance = clearance_flags(
        client=client_user, intake=intake, practitioner=practitioner, starts_at=la(MONDAY, 10)
    )

    assert codes(clearance) == {"clot_history"}
