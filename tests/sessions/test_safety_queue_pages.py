"""The staff trust-and-safety queue (issue 15, point 4): the list, an item with its words
marked, the decisions (each one staff action row), the practitioner's notice and email, and
who may open it. Fixed queries with 10 and 1,000 items."""

import re

import pytest
from django.urls import reverse

from accounts.models import StaffAction
from practitioners import review
from practitioners.models import ReviewItem
from sessions.models import IntakeAccess
from tests.factories import PractitionerFactory, SessionRecordFactory, StaffFactory

pytestmark = pytest.mark.django_db
State = ReviewItem.State


def flag_profile(practitioner, bio="Sessions to <b>detox</b> & relax."):
    practitioner.bio = bio
    practitioner.save()
    return review.flag_saved_text(
        practitioner=practitioner,
        subject=review.profile_subject(),
        texts=[practitioner.display_name, bio],
        warned=True,
    )


def item_url(item) -> str:
    return reverse("sessions:safety-item", kwargs={"code": item.code})


def test_the_queue_lists_open_items_oldest_first(staff_client, practitioner, other_practitioner):
    first = flag_profile(practitioner)
    second = flag_profile(other_practitioner)
    decided = flag_profile(PractitionerFactory(display_name="Done Dana"))
    review.decide_fine(item=decided, by=StaffFactory())

    page = staff_client.get(reverse("sessions:safety-queue")).text

    assert "2 waiting, oldest first" in page
    assert page.index(first.practitioner.display_name) < page.index(
        second.practitioner.display_name
    )
    assert "Done Dana" not in page
    assert "<mark>detox</mark>" in page


def test_the_item_page_shows_the_text_escaped_with_the_words_marked(staff_client, practitioner):
    item = flag_profile(practitioner)

    page = staff_client.get(item_url(item)).text

    assert "Sessions to &lt;b&gt;<mark>detox</mark>&lt;/b&gt; &amp; relax." in page
    assert "<b>detox</b>" not in page


def test_fine_as_it_is_closes_the_item_with_one_staff_action(staff_client, staff, practitioner):
    item = flag_profile(practitioner)

    response = staff_client.post(item_url(item), {"decision": "fine"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.decided_by) == (State.FINE, staff)
    assert item.decided_at is not None
    action = StaffAction.objects.get()
    assert (action.action, action.subject_id) == ("review_fine", str(item.code))


def test_asking_for_a_change_emails_the_practitioner_and_shows_a_notice(
    staff_client, client, practitioner, mailoutbox
):
    item = flag_profile(practitioner)

    response = staff_client.post(
        item_url(item), {"decision": "change", "message": "Please talk about relaxation."}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.CHANGE_ASKED
    assert item.note == "Please talk about relaxation."
    assert StaffAction.objects.get().action == "review_change_asked"
    (email,) = mailoutbox
    assert email.to == [practitioner.user.email]
    assert "Please talk about relaxation." in email.body
    assert "“detox”" in email.body

    client.force_login(practitioner.user)
    dashboard = client.get(reverse("practitioners:dashboard")).text
    assert "Staff ask you to change some wording" in dashboard
    assert "<mark>detox</mark>" in dashboard
    assert "Please talk about relaxation." in dashboard


def test_asking_for_a_change_without_a_message_keeps_the_choice_and_says_why(
    staff_client, practitioner
):
    item = flag_profile(practitioner)

    response = staff_client.post(item_url(item), {"decision": "change", "message": ""})

    assert response.status_code == 200
    assert "Write the practitioner a message saying what to change." in response.text
    assert re.search(r'value="change"[^>]*checked', response.text)
    item.refresh_from_db()
    assert item.state == State.OPEN
    assert not StaffAction.objects.exists()


def test_a_decided_item_cannot_be_decided_twice(staff_client, staff, practitioner):
    item = flag_profile(practitioner)
    review.decide_fine(item=item, by=staff)

    response = staff_client.post(item_url(item), {"decision": "change", "message": "x"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.FINE
    assert StaffAction.objects.count() == 1


def test_staff_cannot_decide_on_their_own_practice(staff, client):
    own = PractitionerFactory(user=staff)
    item = flag_profile(own)
    with pytest.raises(review.ReviewRefused):
        review.decide_fine(item=item, by=staff)


def test_a_summary_item_shows_the_summary_and_logs_the_health_read(staff_client, staff):
    record = SessionRecordFactory(aftercare="Rest; it helps the detox.")
    item = review.flag_saved_text(
        practitioner=record.booking.practitioner,
        subject=review.summary_subject(record.code),
        texts=[record.client_summary, record.aftercare],
        warned=True,
    )

    page = staff_client.get(item_url(item)).text

    assert "Rest; it helps the <mark>detox</mark>." in page
    read = IntakeAccess.objects.get()
    assert (read.viewer, read.booking, read.kind) == (staff, record.booking, "summary")
    assert StaffAction.objects.get().action == "health_read"


@pytest.mark.parametrize(
    "who", ["anonymous", "client", "practitioner", "other practitioner"], indirect=True
)
@pytest.mark.parametrize("page", ["queue", "item", "practitioner"])
def test_only_staff_open_the_queue_pages(client, who, page, practitioner):
    item = flag_profile(practitioner)
    url = {
        "queue": reverse("sessions:safety-queue"),
        "item": item_url(item),
        "practitioner": reverse("sessions:safety-practitioner", kwargs={"slug": practitioner.slug}),
    }[page]

    assert client.get(url).status_code == 403
    posted = client.post(url, {"decision": "fine", "action": "hide", "reason": "x"})
    assert posted.status_code == (405 if page == "queue" else 403)
    item.refresh_from_db()
    assert item.state == State.OPEN
    assert not practitioner.staff_hides.exists()


def test_staff_without_a_verified_second_factor_are_sent_to_verify(client, staff, practitioner):
    client.force_login(staff)
    response = client.get(reverse("sessions:safety-queue"))
    assert response.status_code == 302
    assert "two-factor" in response.url or "2fa" in response.url or "verify" in response.url


# Session, user, the verified two-factor device, the items (joined), their count.
QUEUE_QUERY_BUDGET = 6  # and the staff menu's count


@pytest.mark.parametrize("size", [10, 1000])
def test_the_queue_page_keeps_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries, size
):
    practitioners = PractitionerFactory.create_batch(5)
    ReviewItem.objects.bulk_create(
        ReviewItem(
            practitioner=practitioners[n % 5],
            kind="profile" if n < size // 2 else "service",
            subject_key=f"test:{n}",
            words=["detox"],
        )
        for n in range(size)
    )
    with django_assert_max_num_queries(QUEUE_QUERY_BUDGET):
        response = staff_client.get(reverse("sessions:safety-queue"))
    assert f"{size} waiting" in response.text
    assert response.text.count("<mark>detox</mark>") == size


@pytest.mark.parametrize("size", [10, 1000])
def test_the_staff_home_selector_is_two_queries(django_assert_num_queries, size, practitioner):
    ReviewItem.objects.bulk_create(
        ReviewItem(practitioner=practitioner, kind="profile", subject_key=f"k{n}")
        for n in range(size)
    )
    with django_assert_num_queries(2):
        waiting = review.open_queue(limit=5)
        [item.practitioner.display_name for item in waiting.items]
    assert waiting.count == size
    assert len(waiting.items) == 5
