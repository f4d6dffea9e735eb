"""Wording the claims check warned about lands in the trust-and-safety queue once per subject
(issue 15, point 4): a profile, a service and a session summary saved with a confirmed soft
claim each appear once, however often they are saved again; new wording closes the item."""

import pytest
from django.urls import reverse

from practitioners import review
from practitioners.models import ReviewItem
from sessions.models import SessionRecord
from tests.practitioners.test_area_profile import profile_data
from tests.practitioners.test_area_services import service_data
from tests.sessions.record_helpers import form_data, past_booking

pytestmark = pytest.mark.django_db
State = ReviewItem.State
DETOX_BIO = "Gentle sessions to help your body detox and boost your immune system."


@pytest.fixture
def as_practitioner(client, practitioner):
    client.force_login(practitioner.user)
    return client


def save_profile(client, **changes):
    return client.post(reverse("practitioners:profile-edit"), profile_data(**changes))


def test_a_confirmed_soft_claim_in_the_profile_appears_once_in_the_queue(
    as_practitioner, practitioner
):
    assert save_profile(as_practitioner, bio=DETOX_BIO, confirm_wording="on").status_code == 302
    # Saved again, unchanged and then with another soft claim confirmed: still one item.
    assert save_profile(as_practitioner, bio=DETOX_BIO).status_code == 302
    changed = DETOX_BIO + " It also balances hormones."
    assert save_profile(as_practitioner, bio=changed, confirm_wording="on").status_code == 302

    item = ReviewItem.objects.get()
    assert item.kind == ReviewItem.Kind.PROFILE
    assert item.practitioner == practitioner
    assert item.state == State.OPEN
    assert item.words == ["detox", "boost your immune system", "balances hormones"]
    assert review.open_queue().count == 1


def test_an_unconfirmed_soft_claim_is_not_saved_and_not_queued(as_practitioner):
    response = save_profile(as_practitioner, bio=DETOX_BIO)
    assert response.status_code == 200
    assert not ReviewItem.objects.exists()


def test_wording_without_claims_is_not_queued(as_practitioner):
    assert save_profile(as_practitioner).status_code == 302
    assert not ReviewItem.objects.exists()


def test_a_service_with_a_confirmed_soft_claim_appears_once(as_practitioner, practitioner):
    url = reverse("practitioners:service-create")
    data = service_data(description="A hand session to flush out toxins.", confirm_wording="on")
    assert as_practitioner.post(url, data).status_code == 302
    service = practitioner.services.get(name="Hand reflexology")
    edit = reverse("practitioners:service-edit", kwargs={"pk": service.pk})
    existing = list(service.lengths.values_list("pk", flat=True))
    again = service_data(
        description="A hand session to flush out toxins.", existing=existing, buffer_minutes="15"
    )
    assert as_practitioner.post(edit, again).status_code == 302

    item = ReviewItem.objects.get()
    assert (item.kind, item.service, item.words) == ("service", service, ["flush out toxins"])


def test_a_session_summary_with_a_confirmed_soft_claim_appears_once(
    as_practitioner, practitioner, client_user
):
    booking = past_booking(practitioner, client_user)
    url = reverse("sessions:record", kwargs={"code": booking.code})
    as_practitioner.get(url)  # starts the draft
    aftercare = "Drink water to help the detox."
    for _ in range(2):
        response = as_practitioner.post(url, form_data(aftercare=aftercare, confirm_wording="on"))
        assert response.status_code == 302

    item = ReviewItem.objects.get()
    record = SessionRecord.objects.get(booking=booking)
    assert (item.kind, item.record_code, item.words) == ("summary", record.code, ["detox"])


def test_changing_the_wording_after_a_change_was_asked_closes_the_item(
    as_practitioner, practitioner, staff
):
    save_profile(as_practitioner, bio=DETOX_BIO, confirm_wording="on")
    item = review.ask_change(
        item=ReviewItem.objects.get(), by=staff, message="Please describe relaxation instead."
    )
    assert item.state == State.CHANGE_ASKED

    save_profile(as_practitioner, bio="Calm, unhurried sessions for relaxation.")

    item.refresh_from_db()
    assert item.state == State.CLOSED
    assert not ReviewItem.objects.unresolved().exists()


def test_a_new_claim_after_a_fine_decision_opens_a_new_item(as_practitioner, staff):
    save_profile(as_practitioner, bio=DETOX_BIO, confirm_wording="on")
    first = review.decide_fine(item=ReviewItem.objects.get(), by=staff)

    save_profile(
        as_practitioner, bio=DETOX_BIO + " Lowers blood pressure too.", confirm_wording="on"
    )

    assert ReviewItem.objects.count() == 2
    second = ReviewItem.objects.exclude(pk=first.pk).get()
    assert second.state == State.OPEN
    assert "Lowers blood pressure" in second.words


def test_the_database_keeps_one_unresolved_item_per_subject(practitioner):
    from django.db import IntegrityError, transaction

    ReviewItem.objects.create(practitioner=practitioner, kind="profile", subject_key="profile")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewItem.objects.create(practitioner=practitioner, kind="profile", subject_key="profile")


def test_highlight_escapes_the_text_and_marks_the_flagged_words():
    text = "<script>alert(1)</script> Helps you DETOX & boosts   the immune system."
    shown = review.highlight(text, ["detox", "boosts the immune system"])
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<mark>DETOX</mark> &amp; <mark>boosts   the immune system</mark>." in shown


def test_a_flagged_word_cannot_smuggle_markup_in():
    shown = review.marked_words(["<b>detox</b>"])
    assert shown == "<mark>&lt;b&gt;detox&lt;/b&gt;</mark>"
