"""The staff verification queue and review page: order, age, decisions, warnings."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

from practitioners.models import Certification, CertificationEvent, CertificationEvidence
from tests.factories import (
    CertificationEventFactory,
    CertificationEvidenceFactory,
    CertificationFactory,
    ListedPractitionerFactory,
    PractitionerFactory,
    StaffFactory,
)
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db
State = Certification.State
# session, user, the verified two-factor device, the staff menu's count, the queue
QUEUE_QUERY_BUDGET = 5


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path, monkeypatch):
    """The evidence field's storage is built at import; point it at this test's folder."""
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def as_staff(client, staff):
    log_in_verified(client, staff)
    return client


@pytest.fixture
def pending(practitioner):
    certification = CertificationFactory(
        practitioner=practitioner, pending=True, credential_id="ARCB-777"
    )
    CertificationEvidenceFactory(certification=certification)
    CertificationEventFactory(
        certification=certification,
        actor=practitioner.user,
        from_state=State.DRAFT,
        to_state=State.PENDING,
    )
    return certification


def review_url(certification) -> str:
    return reverse("practitioners:review", kwargs={"code": certification.code})


def pending_since(days: int, name: str) -> Certification:
    return CertificationFactory(
        practitioner=PractitionerFactory(display_name=name),
        pending=True,
        submitted_at=timezone.now() - timedelta(days=days),
    )


def test_the_queue_lists_pending_credentials_oldest_first_with_their_age(as_staff):
    pending_since(1, "Newest Nadia")
    pending_since(3, "Oldest Olga")
    pending_since(2, "Middle Mo")
    CertificationFactory(
        practitioner=PractitionerFactory(display_name="Verified Vic"), verified=True
    )
    CertificationFactory(practitioner=PractitionerFactory(display_name="Draft Dee"))

    page = as_staff.get(reverse("practitioners:queue")).text

    assert page.index("Oldest Olga") < page.index("Middle Mo") < page.index("Newest Nadia")
    assert "waiting 3 days" in page
    assert "waiting 2 days" in page
    assert "waiting 1 day" in page
    assert "Verified Vic" not in page
    assert "Draft Dee" not in page
    assert "3 waiting, oldest first." in page


def test_the_age_is_in_hours_on_the_first_day(as_staff):
    with time_machine.travel("2026-05-04 09:00Z", tick=False):
        pending_since(0, "Fresh Fay")
    with time_machine.travel("2026-05-04 14:20Z", tick=False):
        page = as_staff.get(reverse("practitioners:queue")).text
    assert "waiting 5 hours" in page


def test_an_empty_queue_says_so(as_staff):
    assert "Nothing is waiting for review." in as_staff.get(reverse("practitioners:queue")).text


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_runs_the_same_queries_for_3_and_30_pending(
    as_staff, django_assert_max_num_queries, count
):
    for n in range(count):
        certification = pending_since(n + 1, f"Practitioner {n}")
        CertificationEvidenceFactory(certification=certification)
    with django_assert_max_num_queries(QUEUE_QUERY_BUDGET):
        response = as_staff.get(reverse("practitioners:queue"))
    assert response.text.count("evidence file") == count


def test_the_review_page_shows_data_evidence_and_history(as_staff, pending, practitioner):
    image = CertificationEvidenceFactory(
        certification=pending,
        original_name="id-card.png",
        content_type="image/png",
        file=ContentFile(b"png", name="x"),
    )
    pdf = pending.evidence.get(content_type="application/pdf")

    page = as_staff.get(review_url(pending)).text

    assert page.count("<h1") == 1
    assert "ARCB-777" in page
    assert "2019" in page
    assert "31 Dec 2027" in page
    assert practitioner.user.email in page
    image_url = reverse("practitioners:evidence", kwargs={"code": image.code})
    assert f'<img src="{image_url}?load=' in page
    assert 'alt="Evidence image id-card.png from Pat Practitioner"' in page
    # The factory's PDF has no pages to draw: the viewer says so and offers the file.
    assert "This PDF could not be shown: download it to check it." in page
    download_url = reverse("practitioners:evidence-download", kwargs={"code": pdf.code})
    assert f'href="{download_url}"' in page
    pdf_url = reverse("practitioners:evidence", kwargs={"code": pdf.code})
    assert f'<img src="{pdf_url}' not in page
    assert "Pat Practitioner (the practitioner): Draft → Waiting for review" in page
    assert 'value="approve"' in page
    assert 'value="reject"' in page
    assert 'value="revoke"' not in page


def test_approving_verifies_emails_and_returns_to_the_queue(as_staff, pending, staff, mailoutbox):
    response = as_staff.post(review_url(pending), {"action": "approve"}, follow=True)

    assert response.redirect_chain == [(reverse("practitioners:queue"), 302)]
    assert "Approved Pat Practitioner’s foot credential." in response.text
    pending.refresh_from_db()
    assert pending.state == State.VERIFIED
    event = CertificationEvent.objects.filter(certification=pending).last()
    assert (event.actor, event.to_state) == (staff, State.VERIFIED)
    (email,) = mailoutbox
    assert email.subject == "Your ARCB foot credential is verified"
    assert list(Certification.objects.badges()) == [pending]


def test_rejecting_needs_a_reason(as_staff, pending, mailoutbox):
    response = as_staff.post(review_url(pending), {"action": "reject", "reject-reason": "  "})

    assert response.status_code == 200
    assert "Choose a reason to reject a credential." in response.text
    pending.refresh_from_db()
    assert pending.state == State.PENDING
    assert CertificationEvent.objects.filter(certification=pending).count() == 1
    assert mailoutbox == []


def test_a_rejection_reason_reaches_the_practitioner(
    client, as_staff, pending, practitioner, mailoutbox
):
    reason = "The certificate shows a different name. Upload the name-change document."
    response = as_staff.post(
        review_url(pending),
        {"action": "reject", "reject-reason_code": "name_mismatch", "reject-reason": reason},
        follow=True,
    )

    assert "Rejected Pat Practitioner’s foot credential." in response.text
    pending.refresh_from_db()
    assert pending.state == State.REJECTED
    assert reason in mailoutbox[0].body

    client.force_login(practitioner.user)
    page = client.get(reverse("practitioners:credentials")).text
    assert "Status: <strong>Rejected</strong>" in page
    assert "Reason given by reflexbook staff" in page
    assert reason in page
    assert "reflexbook staff: Waiting for review → Rejected" in page
    assert "Sid Staff" not in page


def test_revoking_a_verified_credential_needs_a_reason_and_removes_the_badge(
    settings, as_staff, practitioner, mailoutbox
):
    settings.CERTIFICATION_REVOKE_NEEDS_SECOND_STAFF = False  # one member of staff revokes
    verified = CertificationFactory(practitioner=practitioner, verified=True)
    page = as_staff.get(review_url(verified)).text
    assert 'value="revoke"' in page
    assert 'value="approve"' not in page

    refused = as_staff.post(review_url(verified), {"action": "revoke", "revoke-reason": ""})
    assert "Give a reason to revoke" in refused.text
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED

    response = as_staff.post(
        review_url(verified),
        {"action": "revoke", "revoke-reason": "ARCB confirmed the certification was terminated."},
        follow=True,
    )
    assert "Revoked Pat Practitioner’s foot credential." in response.text
    verified.refresh_from_db()
    assert verified.state == State.REVOKED
    assert not Certification.objects.badges().exists()
    assert mailoutbox[0].subject == "Your ARCB foot badge has been withdrawn"


def test_a_decision_that_no_longer_applies_gives_a_message_not_an_error(
    as_staff, practitioner, mailoutbox
):
    rejected = CertificationFactory(practitioner=practitioner, state=State.REJECTED)

    response = as_staff.post(review_url(rejected), {"action": "approve"}, follow=True)

    assert response.status_code == 200
    assert "That decision is not available: this credential is rejected." in response.text
    rejected.refresh_from_db()
    assert rejected.state == State.REJECTED
    assert mailoutbox == []


def test_two_staff_deciding_at_once_get_a_message_not_an_error(as_staff, pending, monkeypatch):
    # Another member of staff approves between this page loading and the decision applying.
    from practitioners import certification as service
    from practitioners.certification_rules import Action

    real_transition = service.transition

    def approved_first(**kwargs):
        real_transition(
            certification=kwargs["certification"], action=Action.APPROVE, by=StaffFactory()
        )
        return real_transition(**kwargs)

    monkeypatch.setattr(service, "transition", approved_first)
    response = as_staff.post(
        review_url(pending),
        {"action": "reject", "reject-reason_code": "unreadable"},
        follow=True,
    )
    assert response.status_code == 200
    assert "A credential that is verified cannot be rejected." in response.text
    pending.refresh_from_db()
    assert pending.state == State.VERIFIED


def test_the_same_credential_id_on_another_practitioner_is_flagged(as_staff, pending):
    other = ListedPractitionerFactory(display_name="Quinn Other")
    CertificationFactory(practitioner=other, kind="hand", credential_id="  arcb-777 ")
    CertificationFactory(practitioner=PractitionerFactory(display_name="Ann Unrelated"))

    page = as_staff.get(review_url(pending)).text

    assert "The credential ID “ARCB-777” is also on another practitioner’s credential" in page
    assert "Quinn Other" in page
    assert "Ann Unrelated" not in page


def test_no_warning_for_the_practitioners_own_other_credential_or_a_blank_id(
    as_staff, pending, practitioner
):
    CertificationFactory(practitioner=practitioner, kind="hand", credential_id="ARCB-777")
    assert "is also on another practitioner" not in as_staff.get(review_url(pending)).text

    blank = CertificationFactory(credential_id="  ", pending=True)
    CertificationFactory(credential_id="")
    assert "is also on another practitioner" not in as_staff.get(review_url(blank)).text


def test_staff_can_find_a_decided_credential_to_revoke_it(as_staff, practitioner):
    verified = CertificationFactory(practitioner=practitioner, verified=True, credential_id="X-1")
    page = as_staff.get(reverse("practitioners:queue"), {"q": "pat prac"}).text
    assert review_url(verified) in page
    assert "Verified" in page
    assert "No credential matches" in as_staff.get(reverse("practitioners:queue"), {"q": "zz"}).text


def test_staff_cannot_decide_on_their_own_credential(as_staff, staff):
    own = CertificationFactory(practitioner=PractitionerFactory(user=staff), pending=True)
    page = as_staff.get(review_url(own)).text
    assert "another member of staff must decide" in page
    as_staff.post(review_url(own), {"action": "approve"})
    own.refresh_from_db()
    assert own.state == State.PENDING
