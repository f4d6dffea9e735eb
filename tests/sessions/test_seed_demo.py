import datetime as dt
from zoneinfo import ZoneInfo

import pyotp
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.activity import ACTIONS
from accounts.models import StaffAction, User
from practitioners.demo import PRACTITIONERS, SECOND_STAFF_TOTP_SECRET, STAFF_TOTP_SECRET
from practitioners.hours import whole_days
from practitioners.models import (
    BusyCalendar,
    BusyInterval,
    Certification,
    CertificationEvent,
    CertificationEvidence,
    DateException,
    Practitioner,
    RevocationProposal,
    Service,
    ServiceLength,
    TimeOff,
    WeeklyHours,
)
from practitioners.scope import (
    find_blocked_claims,
    find_soft_claims,
    find_unbacked_certification_claims,
)
from practitioners.uploads import evidence_content_type
from sessions.models import (
    Booking,
    IntakeAccess,
    IntakeForm,
    PointWorked,
    RecordAddendum,
    Reminder,
    SessionRecord,
)
from sessions.models.intake import PreSessionCheck
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

State = Certification.State
SEEDED_MODELS = [
    User,
    Practitioner,
    Service,
    ServiceLength,
    WeeklyHours,
    DateException,
    TimeOff,
    BusyCalendar,
    BusyInterval,
    Certification,
    CertificationEvidence,
    CertificationEvent,
    RevocationProposal,
    StaffAction,
    IntakeForm,
    IntakeAccess,
    Booking,
    Reminder,
    PreSessionCheck,
    SessionRecord,
    PointWorked,
    RecordAddendum,
    StaffAction,
]


def run_seed(capsys) -> list[list[str]]:
    call_command("seed_demo", even_without_debug=True)
    lines = capsys.readouterr().out.splitlines()
    return [line.split() for line in lines if not line.startswith("note: ")]


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SEEDED_MODELS}


def files_under(root) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_seed_demo_prints_working_logins_for_every_role(capsys):
    logins = run_seed(capsys)
    assert {login[0] for login in logins} == {"staff", "practitioner", "client"}
    # The logins people already know keep working; staff also get their authenticator secret.
    assert ["staff", "admin@example.com", "demo-pass-1", f"totp={STAFF_TOTP_SECRET}"] in logins
    # A second member of staff, to confirm a revocation the first proposed.
    assert [
        "staff",
        "reviewer@example.com",
        "demo-pass-30",
        f"totp={SECOND_STAFF_TOTP_SECRET}",
    ] in logins
    assert all(len(login) == 3 for login in logins if login[0] != "staff")
    assert ["practitioner", "maya@example.com", "demo-pass-2"] in logins
    assert ["practitioner", "tom@example.com", "demo-pass-3"] in logins
    assert ["client", "client@example.com", "demo-pass-4"] in logins
    assert ["client", "sam@example.com", "demo-pass-5"] in logins
    # The clients the bookings demo adds.
    assert ["client", "noor@example.com", "demo-pass-13"] in logins
    assert ["client", "ben@example.com", "demo-pass-14"] in logins
    assert ["client", "ruth@example.com", "demo-pass-15"] in logins
    assert ["client", "mia@example.com", "demo-pass-18"] in logins
    assert len({login[2] for login in logins}) == len(logins)
    for role, email, password, *_ in logins:
        browser = Client()
        response = browser.post(reverse("login"), {"username": email, "password": password})
        assert response.status_code == 302, email
        assert User.objects.get(email=email).role == role


def test_every_demo_practitioner_has_a_printed_login(capsys):
    logins = run_seed(capsys)
    printed = {login[1] for login in logins if login[0] == "practitioner"}
    assert printed == set(Practitioner.objects.values_list("user__email", flat=True))
    assert len(printed) == len(PRACTITIONERS) >= 8


def test_seed_demo_twice_changes_nothing(capsys, settings):
    first = run_seed(capsys)
    before = snapshot()
    media, private = files_under(settings.MEDIA_ROOT), files_under(settings.PRIVATE_MEDIA_ROOT)
    second = run_seed(capsys)
    assert first == second
    assert snapshot() == before
    assert files_under(settings.MEDIA_ROOT) == media
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == private


def test_seed_demo_keeps_people_who_already_exist(capsys):
    """A database seeded by an earlier version: the existing login is left as it was, and
    everyone missing is added."""
    call_command("seed_demo", even_without_debug=True)
    capsys.readouterr()
    User.objects.filter(email="sam@example.com").update(full_name="Sam Changed")
    Practitioner.objects.filter(user__email="lena@example.com").update(city="Cambridge")
    run_seed(capsys)
    assert User.objects.get(email="sam@example.com").full_name == "Sam Changed"
    assert Practitioner.objects.get(user__email="lena@example.com").city == "Cambridge"


def test_directory_shows_the_listed_demo_practitioners(client, capsys):
    run_seed(capsys)
    response = client.get(reverse("practitioners:directory"))
    shown = [p.display_name for p in response.context["page"].object_list]
    assert len(shown) == Practitioner.objects.listed().count() == 8
    assert "Maya Okafor" in shown
    assert "Tom Lindqvist" not in shown
    tom = Practitioner.objects.get(user__email="tom@example.com")
    assert len(tom.missing_for_listing()) >= 2


def test_badges_appear_for_verified_demo_credentials_only(client, capsys):
    run_seed(capsys)
    verified = set(
        Certification.objects.filter(state=State.VERIFIED).values_list(
            "practitioner__display_name", flat=True
        )
    )
    assert verified
    response = client.get(reverse("practitioners:directory"))
    for practitioner in response.context["page"].object_list:
        assert bool(practitioner.current_badges) == (practitioner.display_name in verified)
    # Badge holders come first.
    shown = [p.display_name for p in response.context["page"].object_list]
    assert set(shown[: len(verified)]) == verified
    assert response.text.count("ARCB certified: hand") == 2


def test_demo_credentials_cover_every_state_with_consistent_history(capsys):
    run_seed(capsys)
    staff = User.objects.get(email="admin@example.com")
    states = set(Certification.objects.values_list("state", flat=True))
    assert states == set(State)
    for certification in Certification.objects.prefetch_related("events"):
        events = list(certification.events.all())
        if certification.state == State.DRAFT:
            assert events == []
            continue
        assert events[0].from_state == State.DRAFT
        assert [e.to_state for e in events[:-1]] == [e.from_state for e in events[1:]]
        assert events[-1].to_state == certification.state
        assert certification.submitted_at is not None
        for event in events:
            if event.to_state == State.PENDING:
                assert event.actor == certification.practitioner.user
            elif event.to_state == State.LAPSED:
                assert event.actor is None
            else:
                assert event.actor == staff
            if event.to_state in (State.REJECTED, State.REVOKED, State.MORE_INFO):
                assert event.reason
        if certification.state == State.VERIFIED:
            assert certification.verified_at is not None
            assert certification in Certification.objects.badges()
        if certification.state == State.LAPSED:
            assert certification.ce_cycle_end < dt.date.today()


def test_staff_queue_has_pending_credentials_with_evidence(capsys):
    run_seed(capsys)
    pending = list(Certification.objects.pending_queue())
    assert len(pending) >= 2
    for certification in pending:
        types = set()
        for evidence in certification.evidence.all():
            with evidence.file.open("rb") as handle:
                # The stored files pass the same content check as an upload.
                upload = SimpleUploadedFile(evidence.original_name, handle.read())
            assert evidence_content_type(upload) == evidence.content_type
            types.add(evidence.content_type)
        assert types == {"application/pdf", "image/png"}


def test_demo_practitioners_have_photos_services_hours_and_time_off(capsys):
    run_seed(capsys)
    for practitioner in Practitioner.objects.listed():
        assert practitioner.photo
        assert practitioner.bio
        assert practitioner.services.filter(is_active=True).exists()
        days = {}
        for hours in practitioner.weekly_hours.all():
            days.setdefault(hours.weekday, []).append(hours)
        # A lunch break: at least one day has two ranges.
        assert any(len(ranges) == 2 for ranges in days.values())
        assert practitioner.date_exceptions.exists()
        # Time off as whole days, as the time-off page shows them.
        zone = ZoneInfo(practitioner.timezone)
        assert any(whole_days(t.starts_at, t.ends_at, zone) for t in practitioner.time_off.all())
    zones = set(Practitioner.objects.listed().values_list("timezone", flat=True))
    assert len(zones) >= 5
    lengths = set(ServiceLength.objects.values_list("minutes", flat=True))
    assert lengths == {30, 45, 60}
    assert Service.objects.filter(buffer_minutes__in=[10, 20]).exists()


def test_every_demo_practitioner_has_an_address_and_a_phone_and_one_visits_homes(capsys):
    run_seed(capsys)
    for practitioner in Practitioner.objects.all():
        assert practitioner.street and practitioner.practice_address, practitioner
        assert practitioner.phone, practitioner
    home_visits = Service.objects.filter(is_home_visit=True, is_active=True)
    assert home_visits.values("practitioner").distinct().count() == 1
    for service in home_visits:
        assert service.postcode_list and service.travel_minutes > 0


def test_demo_texts_make_no_medical_claims(capsys):
    run_seed(capsys)
    for practitioner in Practitioner.objects.all():
        held = {c.kind for c in Certification.objects.badges().filter(practitioner=practitioner)}
        # A soft claim only where the demo shows it saved and waiting in the review queue.
        queued = {w for item in practitioner.review_items.unresolved() for w in item.words}
        for text in (practitioner.display_name, practitioner.bio):
            assert find_blocked_claims(text) == [], practitioner
            assert set(find_soft_claims(text)) <= queued, practitioner
            assert find_unbacked_certification_claims(text, held) == [], practitioner
    for service in Service.objects.all():
        assert find_blocked_claims(service.description) == [], service
        assert find_soft_claims(service.description) == [], service


@pytest.mark.parametrize(
    ("now", "cycle_end"),
    [
        (dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), dt.date(2026, 12, 31)),
        # Early on 1 January UTC it is still 31 December in Denver: that cycle has not
        # ended there yet, so the demo lapse is the cycle before.
        (dt.datetime(2027, 1, 1, 6, tzinfo=dt.UTC), dt.date(2024, 12, 31)),
    ],
)
def test_demo_lapse_is_in_the_past_in_the_practitioners_zone(capsys, now, cycle_end):
    with time_machine.travel(now, tick=False):
        run_seed(capsys)
    lapsed = Certification.objects.get(state=State.LAPSED)
    assert lapsed.ce_cycle_end == cycle_end
    assert lapsed.events.last().at <= now


def test_the_staff_demo_login_passes_two_factor_with_the_printed_secret(capsys):
    logins = run_seed(capsys)
    _, email, password, totp = next(login for login in logins if login[0] == "staff")
    browser = Client()
    browser.post(reverse("login"), {"username": email, "password": password})
    queue = reverse("practitioners:queue")
    assert browser.get(queue).url.startswith(reverse("accounts:two-factor-verify"))
    code = pyotp.TOTP(totp.removeprefix("totp=")).now()
    response = browser.post(reverse("accounts:two-factor-verify"), {"code": code, "next": queue})
    assert response.url == queue
    assert browser.get(queue).status_code == 200
    # Running it again keeps the same secret (one device).
    run_seed(capsys)
    assert TOTPDevice.objects.filter(user__email=email).count() == 1


def test_every_demo_login_but_the_new_practitioner_has_a_confirmed_email_address(capsys, client):
    emails = [line[1] for line in run_seed(capsys)]
    assert User.objects.filter(email__in=emails).count() == len(emails)
    unconfirmed = User.objects.filter(email__in=emails, email_verified_at__isnull=True)
    assert list(unconfirmed.values_list("email", flat=True)) == ["tom@example.com"]
    client.force_login(unconfirmed.get())
    assert "Confirm your email address" in client.get(reverse("practitioners:dashboard")).text


def test_seed_demo_refuses_without_debug_so_no_public_login_reaches_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_directory_shows_next_free_times(capsys, client):
    run_seed(capsys)
    listed = Practitioner.objects.listed()
    assert listed.exists()
    assert all(p.next_free_checked_at is not None for p in listed)
    assert any(p.next_free_at is not None for p in listed)
    response = client.get(reverse("practitioners:directory"), {"sort": "soonest"})
    first = response.context["page"].object_list[0]
    assert first.upcoming_free_at is not None


@pytest.mark.parametrize(
    "now",
    [
        # Wednesdays at noon in New York: in December the badge's cycle ends on 31
        # December; in March, 30 days ahead.
        dt.datetime(2026, 12, 9, 17, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 10, 17, tzinfo=dt.UTC),
    ],
)
def test_the_staff_workspace_has_waiting_credentials_of_different_ages_and_a_lapsing_badge(
    capsys, client, time_machine, now
):
    time_machine.move_to(now, tick=False)
    run_seed(capsys)
    staff = User.objects.get(email="admin@example.com")
    log_in_verified(client, staff)
    page = client.get(reverse("staff-home")).text
    waiting = page[page.index(">Credentials waiting") : page.index(">Badges lapsing soon")]
    assert waiting.count("<li ") == 3
    assert "Overdue" in waiting and "1 overdue." in waiting
    assert "Waiting less than a working day" in waiting
    lapsing = page[page.index(">Badges lapsing soon") :]
    assert "Maya Okafor: foot credential" in lapsing
    ends = Certification.objects.get(practitioner__display_name="Maya Okafor", kind="foot")
    assert 7 <= (ends.ce_cycle_end - now.date()).days <= 60


def test_the_staff_activity_log_shows_the_demo_staffs_decisions_and_an_export(capsys, client):
    run_seed(capsys)
    staff = User.objects.get(email="admin@example.com")
    decisions = CertificationEvent.objects.filter(actor=staff).count()
    assert (
        StaffAction.objects.exclude(action__in=["activity_exported", "revocation_proposed"]).count()
        == decisions
    )
    assert (
        set(StaffAction.objects.values_list("action", flat=True))
        == {
            "credential_approved",
            "credential_rejected",
            "credential_revoked",
            "credential_more_info",
            "revocation_proposed",
            "activity_exported",
        }
        <= set(ACTIONS)
    )
    log_in_verified(client, staff)
    page = client.get(reverse("accounts:staff-activity")).text
    assert "Revoked a credential" in page and "Exported the staff activity log" in page


def test_demo_decisions_show_stock_reasons_a_request_and_a_proposal(capsys):
    run_seed(capsys)
    staff = User.objects.get(email="admin@example.com")
    rejections = CertificationEvent.objects.filter(to_state=State.REJECTED)
    assert set(rejections.values_list("reason_code", flat=True)) >= {"unreadable", "other"}
    asked = Certification.objects.get(state=State.MORE_INFO)
    assert "cuts off the date" in asked.events.last().reason
    # Each decision is in the staff log, with the files staff looked at.
    decisions = CertificationEvent.objects.filter(actor=staff)
    logged = StaffAction.objects.exclude(action__in=["activity_exported", "revocation_proposed"])
    assert logged.count() == decisions.count()
    assert all(event.evidence_seen for event in decisions)
    # One revocation waits for a second member of staff; the badge still shows meanwhile.
    (proposal,) = RevocationProposal.objects.all()
    assert proposal.status == RevocationProposal.Status.OPEN
    assert proposal.proposed_by == staff
    assert proposal.certification in Certification.objects.badges()


def test_the_second_staff_login_can_confirm_the_proposed_revocation(capsys):
    logins = run_seed(capsys)
    _, email, password, totp = next(login for login in logins if login[1] == "reviewer@example.com")
    browser = Client()
    browser.post(reverse("login"), {"username": email, "password": password})
    code = pyotp.TOTP(totp.removeprefix("totp=")).now()
    browser.post(reverse("accounts:two-factor-verify"), {"code": code})
    proposal = RevocationProposal.objects.get()
    page = browser.get(reverse("practitioners:review", args=[proposal.certification.code]))
    assert page.status_code == 200
    assert "Revocation proposed by Alex Admin" in page.text
    assert 'value="confirm_revocation"' in page.text


def test_the_demo_puts_a_flagged_profile_and_a_client_report_in_the_queue(capsys):
    from practitioners.review import open_queue

    run_seed(capsys)
    run_seed(capsys)  # a second run adds nothing
    waiting = open_queue()
    assert waiting.count == 2
    by_kind = {item.kind: item for item in waiting.items}
    assert by_kind["profile"].practitioner.user.email == "priya@example.com"
    assert by_kind["profile"].words == ["detox"]
    assert by_kind["report"].report.client.email == "sam@example.com"
