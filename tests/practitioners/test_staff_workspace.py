"""The staff workspace (/practitioners/staff/): credentials waiting, oldest first, in working
days against the 2-day target; badges lapsing in the next 60 days in each practitioner's
zone; staff only; a fixed number of queries however many credentials there are."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from practitioners.models import Certification, Practitioner
from practitioners.workspace import SECTION_ROWS
from tests.factories import CertificationFactory, PractitionerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
State = Certification.State
URL = reverse("staff-home")
# Wednesday 9 December 2026, 10:00 in New York (the staff member's zone), 07:00 in LA.
NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
# session, user, two-factor device, the menu's counts, waiting counts and rows, lapsing, the
# trust and safety queue's rows and count, pending erasures' rows and count, revocations
# to confirm.
QUERY_BUDGET = 12


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def waiting(name: str, submitted_at: datetime) -> Certification:
    return CertificationFactory(
        practitioner=PractitionerFactory(display_name=name),
        state=State.PENDING,
        submitted_at=submitted_at,
    )


def verified_until(name: str, cycle_end: date, zone: str = "America/Los_Angeles"):
    return CertificationFactory(
        practitioner=PractitionerFactory(display_name=name, timezone=zone),
        verified=True,
        ce_cycle_end=cycle_end,
    )


def section(html: str, heading: str) -> str:
    """The text of the workspace section whose heading starts with `heading`."""
    start = html.index(f">{heading}")
    end = html.find("</section>", start)
    return html[start:end]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("client", 403), ("practitioner", 403), ("staff", 200)],
    indirect=["who"],
)
def test_the_workspace_is_for_staff_only(client, who, status):
    response = client.get(URL)
    assert response.status_code == status
    if status == 200:
        assert "<h1>Staff workspace</h1>" in response.text


def test_an_unverified_staff_session_is_sent_to_the_second_factor(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert response.url.startswith(reverse("accounts:two-factor-setup"))


def test_waiting_credentials_oldest_first_in_working_days_with_overdue_marked(staff_client, now):
    waiting("Today Tia", datetime(2026, 12, 9, 14, 0, tzinfo=UTC))
    waiting("Monday Mo", datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # Tue, Wed: 2
    waiting("Friday Fay", datetime(2026, 12, 4, 15, 0, tzinfo=UTC))  # Mon, Tue, Wed: 3
    waiting("Saturday Sal", datetime(2026, 12, 5, 15, 0, tzinfo=UTC))  # the weekend: 3 too
    CertificationFactory(
        practitioner=PractitionerFactory(display_name="Verified Vic"), verified=True
    )
    CertificationFactory(practitioner=PractitionerFactory(display_name="Draft Dee"))

    html = section(staff_client.get(URL).text, "Credentials waiting")

    names = ["Friday Fay", "Saturday Sal", "Monday Mo", "Today Tia"]
    assert [html.index(name) for name in names] == sorted(html.index(name) for name in names)
    assert "Verified Vic" not in html and "Draft Dee" not in html
    assert '<span class="badge text-bg-secondary">4</span>' in html
    assert "Target: a decision within 2 working days" in html
    assert "2 overdue." in html
    rows = {name: html[html.index(name) :].split("</li>")[0] for name in names}
    assert "Waiting 3 working days" in rows["Friday Fay"] and "Overdue" in rows["Friday Fay"]
    assert "Waiting 3 working days" in rows["Saturday Sal"] and "Overdue" in rows["Saturday Sal"]
    assert "Waiting 2 working days" in rows["Monday Mo"] and "Overdue" not in rows["Monday Mo"]
    assert "Waiting less than a working day" in rows["Today Tia"]
    assert "Overdue" not in rows["Today Tia"]


def test_working_days_are_counted_in_the_staff_members_zone(staff_client, staff, now):
    # 03:00 UTC on Monday is still Sunday evening in New York: Mon, Tue, Wed have passed.
    waiting("Late Lou", datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    html = section(staff_client.get(URL).text, "Credentials waiting")
    assert "Waiting 3 working days" in html and "Overdue" in html

    User.objects.filter(pk=staff.pk).update(timezone="UTC")
    html = section(staff_client.get(URL).text, "Credentials waiting")
    assert "Waiting 2 working days" in html and "Overdue" not in html
    assert "1 overdue" not in html


def test_an_empty_workspace_says_so(staff_client, now):
    html = staff_client.get(URL).text
    assert "Nothing is waiting for review." in html
    assert "No badge lapses in the next 60 days." in html


@pytest.mark.parametrize(
    ("cycle_end", "shown", "words"),
    [
        (date(2026, 12, 8), False, ""),  # ended yesterday: the lapse job's, not a warning
        (date(2026, 12, 9), True, "last day today"),
        (date(2026, 12, 10), True, "in 1 day"),
        (date(2027, 2, 7), True, "in 60 days"),
        (date(2027, 2, 8), False, ""),
    ],
)
def test_badges_lapsing_within_60_days_of_the_practitioners_today(
    staff_client, now, cycle_end, shown, words
):
    verified_until("Lapsing Lee", cycle_end)
    html = section(staff_client.get(URL).text, "Badges lapsing soon")
    assert ("Lapsing Lee" in html) == shown
    if shown:
        assert words in html
        assert f"CE cycle ends {cycle_end:%-d %b %Y}" in html


def test_the_lapsing_window_is_the_practitioners_day_not_utcs(staff_client, now):
    # At 15:00 UTC on 9 December it is already 05:00 on the 10th in Kiritimati (UTC+14).
    verified_until("Ended Eve", date(2026, 12, 9), zone="Pacific/Kiritimati")
    verified_until("Far Fin", date(2027, 2, 8), zone="Pacific/Kiritimati")
    html = section(staff_client.get(URL).text, "Badges lapsing soon")
    assert "Ended Eve" not in html
    assert "Far Fin" in html and "in 60 days" in html


def test_only_verified_badges_lapse_and_the_soonest_come_first(staff_client, now):
    verified_until("Later Liz", date(2027, 1, 20))
    verified_until("Sooner Sam", date(2026, 12, 31))
    CertificationFactory(
        practitioner=PractitionerFactory(display_name="Pending Pat"),
        pending=True,
        ce_cycle_end=date(2026, 12, 31),
    )
    CertificationFactory(
        practitioner=PractitionerFactory(display_name="Revoked Rae"),
        state=State.REVOKED,
        ce_cycle_end=date(2026, 12, 31),
    )
    html = section(staff_client.get(URL).text, "Badges lapsing soon")
    assert html.index("Sooner Sam") < html.index("Later Liz")
    assert "Pending Pat" not in html and "Revoked Rae" not in html
    assert '<span class="badge text-bg-secondary">2</span>' in html


def test_the_workspace_links_each_credential_and_the_staff_pages(staff_client, now):
    pending = waiting("Link Lin", datetime(2026, 12, 8, 15, 0, tzinfo=UTC))
    lapsing = verified_until("Lapse Lou", date(2026, 12, 20))
    html = staff_client.get(URL).text
    for certification in (pending, lapsing):
        assert reverse("practitioners:review", kwargs={"code": certification.code}) in html
    assert f'href="{reverse("practitioners:queue")}"' in html
    assert f'href="{reverse("accounts:staff-activity")}"' in html


def bulk_credentials(count: int, *, state: str, submitted_at=None, cycle_end=None) -> None:
    """`count` credentials of as many practitioners, in three inserts."""
    tag = f"{state}-{count}"
    users = User.objects.bulk_create(
        UserFactory.build(email=f"{tag}-{n}@example.com", full_name=f"{tag} {n}")
        for n in range(count)
    )
    practitioners = Practitioner.objects.bulk_create(
        PractitionerFactory.build(user=user, display_name=user.full_name, slug=f"{tag}-{n}")
        for n, user in enumerate(users)
    )
    Certification.objects.bulk_create(
        CertificationFactory.build(
            practitioner=practitioner,
            state=state,
            submitted_at=submitted_at - timedelta(minutes=n) if submitted_at else None,
            ce_cycle_end=cycle_end or date(2028, 12, 31),
        )
        for n, practitioner in enumerate(practitioners)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_workspace_runs_the_same_queries_for_10_and_1000_credentials(
    staff_client, now, django_assert_max_num_queries, count
):
    half = count // 2
    bulk_credentials(half, state=State.PENDING, submitted_at=NOW - timedelta(days=6))
    bulk_credentials(half, state=State.VERIFIED, cycle_end=date(2026, 12, 31))

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = staff_client.get(URL)

    waiting_html = section(response.text, "Credentials waiting")
    assert f'<span class="badge text-bg-secondary">{half}</span>' in waiting_html
    assert f"{half} overdue." in waiting_html
    assert waiting_html.count("Overdue</span>") == min(half, SECTION_ROWS)
    lapsing_html = section(response.text, "Badges lapsing soon")
    assert f'<span class="badge text-bg-secondary">{half}</span>' in lapsing_html
    assert lapsing_html.count("<li ") == min(half, SECTION_ROWS)
    if half > SECTION_ROWS:
        assert f"The {SECTION_ROWS} oldest of {half}." in waiting_html
        assert f"The {SECTION_ROWS} soonest of {half}." in lapsing_html


def test_the_workspace_shows_the_safety_queue_and_pending_erasures(staff_client, now):
    from practitioners import review
    from practitioners.models import ClientReport
    from sessions.models import ErasureRequest

    flagged = PractitionerFactory(display_name="Flag Flo", bio="Sessions help you detox.")
    review.flag_saved_text(
        practitioner=flagged,
        subject=review.profile_subject(),
        texts=[flagged.bio],
        warned=True,
    )
    reported = PractitionerFactory(display_name="Report Rob")
    review.submit_report(
        client=UserFactory(),
        practitioner=reported,
        reason=ClientReport.Reason.MISLEADING,
        details="Promised a cure.",
    )
    erasure = ErasureRequest.objects.create(
        client=UserFactory(full_name="Erased Person"),
        requested_at=NOW - timedelta(days=2),
        retention_ends_at=NOW + timedelta(days=365 * 7),
    )

    html = staff_client.get(URL).text

    safety = section(html, "Trust and safety <span")
    assert '<span class="badge text-bg-secondary">2</span>' in safety
    assert "Flag Flo" in safety and "<mark>detox</mark>" in safety and "Report Rob" in safety
    assert f'href="{reverse("sessions:safety-queue")}"' in safety
    erasures = section(html, "Pending erasures <span")
    assert str(erasure.code)[:8] in erasures and "Erased Person" not in erasures
    assert f'href="{reverse("sessions:staff-erasures")}"' in erasures
    # The menu counts the queue too (one query with the credentials).
    assert "Safety queue" in html


def test_a_proposed_revocation_waits_on_the_workspace_for_a_second_member_of_staff(
    staff_client, staff, now
):
    from practitioners.models import RevocationProposal

    verified = verified_until("Revoke Rita", date(2028, 12, 31))
    other = StaffFactory(full_name="Pia Proposer")
    RevocationProposal.objects.create(certification=verified, proposed_by=other, reason="Fake ID")
    RevocationProposal.objects.filter(certification=verified).update(proposed_at=NOW)

    html = section(staff_client.get(URL).text, "Revocations to confirm")

    assert "Revoke Rita: foot credential" in html and "Proposed by Pia Proposer" in html
    assert reverse("practitioners:review", kwargs={"code": verified.code}) in html


def test_no_revocation_section_when_none_waits(staff_client, now):
    assert "Revocations to confirm" not in staff_client.get(URL).text
