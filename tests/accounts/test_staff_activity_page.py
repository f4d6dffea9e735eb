"""The staff activity log page and its CSV export (/accounts/staff/activity/): filters by
staff member, action, subject and days in the viewer's zone, newest first, 50 to a page;
the export is logged; staff only; a fixed number of queries for 10 and 1,000 rows."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts import activity
from accounts.models import StaffAction
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:staff-activity")
EXPORT = reverse("accounts:staff-activity-export")
# session, user, two-factor device, the menu's count, staff list, subject types, count, rows
PAGE_QUERY_BUDGET = 8
# session, user, two-factor device, subject types, the export's own row, the rows (streamed)
EXPORT_QUERY_BUDGET = 6


def rows_at(actor, *whens, action="health_read", subject_type="booking", label="A booking"):
    """Rows at given instants, inserted with their time (never updated)."""
    return StaffAction.objects.bulk_create(
        StaffAction(
            actor=actor,
            action=action,
            at=when,
            subject_type=subject_type,
            subject_id=f"id-{n}",
            subject_label=f"{label} {n}",
        )
        for n, when in enumerate(whens)
    )


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def table(response) -> str:
    text = response.text
    return text[text.index("<tbody>") : text.index("</tbody>")] if "<tbody>" in text else ""


@pytest.mark.parametrize("url", [PAGE, EXPORT])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("client", 403), ("practitioner", 403), ("staff", 200)],
    indirect=["who"],
)
def test_the_log_and_its_export_are_for_staff_only(client, who, status, url):
    response = client.get(url)
    assert response.status_code == status
    exported = StaffAction.objects.filter(action="activity_exported").count()
    assert exported == (1 if url == EXPORT and status == 200 else 0)


def test_rows_are_newest_first_with_the_actions_words(staff_client, staff):
    now = datetime.now(UTC)
    rows_at(staff, now - timedelta(hours=2), label="Older")
    rows_at(staff, now - timedelta(hours=1), action="credential_approved", label="Newer")
    html = table(staff_client.get(PAGE))
    assert html.index("Newer") < html.index("Older")
    assert "Approved a credential" in html
    assert "Read a client&#x27;s health data" in html
    assert "credential_approved" not in html


def test_filter_by_staff_member_action_and_subject(staff_client, staff):
    other = StaffFactory(full_name="Olive Other")
    now = datetime.now(UTC)
    rows_at(staff, now, label="Mine")
    rows_at(other, now, label="Hers")
    rows_at(staff, now, action="credential_rejected", subject_type="credential", label="Rej")

    by_actor = table(staff_client.get(PAGE, {"actor": other.email}))
    assert "Hers" in by_actor and "Mine" not in by_actor and "Rej" not in by_actor
    by_action = table(staff_client.get(PAGE, {"action": "credential_rejected"}))
    assert "Rej" in by_action and "Mine" not in by_action and "Hers" not in by_action
    by_subject = staff_client.get(PAGE, {"subject_type": "booking"})
    assert "Rej" not in table(by_subject) and "Mine" in table(by_subject)
    assert "2 actions match these filters." in by_subject.text
    # The choices offer the staff and the subject types there are, by email and name.
    assert f'<option value="{other.email}">' in by_subject.text
    assert '<option value="credential">Credential</option>' in by_subject.text


def test_dates_are_whole_days_in_the_viewers_zone(staff_client, staff):
    # The staff member is in New York: 03:00 UTC on 2 December is still 1 December there.
    rows_at(staff, datetime(2026, 12, 2, 3, 0, tzinfo=UTC), label="Late first")
    rows_at(staff, datetime(2026, 12, 2, 15, 0, tzinfo=UTC), label="Second day")
    rows_at(staff, datetime(2026, 12, 4, 4, 59, tzinfo=UTC), label="Third day late")
    rows_at(staff, datetime(2026, 12, 4, 5, 0, tzinfo=UTC), label="Fourth day")

    html = table(staff_client.get(PAGE, {"date_from": "2026-12-02", "date_to": "2026-12-03"}))
    assert "Second day" in html and "Third day late" in html
    assert "Late first" not in html and "Fourth day" not in html
    only_first = table(staff_client.get(PAGE, {"date_to": "2026-12-01"}))
    assert "Late first" in only_first and "Second day" not in only_first


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "2026-13-01"}, "date_from", "Enter the date as YYYY-MM-DD"),
        ({"date_to": "yesterday"}, "date_to", "Enter the date as YYYY-MM-DD"),
        (
            {"date_from": "2026-12-05", "date_to": "2026-12-01"},
            "date_to",
            "The end date is before the start date: choose an end on or after 2026-12-05.",
        ),
        ({"date_to": "9999-12-31"}, "date_to", "Choose a date from 2000-01-01 to 2099-12-31."),
        ({"date_from": "0001-01-01"}, "date_from", "Choose a date from 2000-01-01"),
        ({"action": "made_up"}, "action", "Choose an action from the list."),
        ({"actor": "nobody@example.com"}, "actor", "Choose a staff member from the list."),
    ],
)
def test_bad_filters_are_clear_errors_and_keep_what_was_typed(
    staff_client, staff, query, field, message
):
    rows_at(staff, datetime.now(UTC), label="Hidden")
    response = staff_client.get(PAGE, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message.replace("'", "&#x27;") in response.text
    assert "The log is not shown until the filters marked below are corrected" in response.text
    assert "Hidden" not in response.text
    for value in query.values():
        if field.startswith("date") or value in ("made_up", "nobody@example.com"):
            continue
        assert f'value="{value}"' in response.text


def test_bad_filters_export_nothing_and_log_nothing(staff_client):
    response = staff_client.get(EXPORT, {"date_from": "soon"})
    assert response.status_code == 400
    assert "Enter the date as YYYY-MM-DD" in response.text
    assert not StaffAction.objects.exists()


def test_fifty_rows_to_a_page_and_the_filters_are_kept_across_pages(staff_client, staff):
    start = datetime.now(UTC) - timedelta(days=1)
    rows_at(staff, *(start + timedelta(minutes=n) for n in range(120)), label="Row")
    rows_at(staff, start, action="credential_revoked", label="Other action")

    first = staff_client.get(PAGE, {"action": "health_read"})
    assert table(first).count("<tr>") == 50
    assert "Row 119<" in table(first)
    assert "?action=health_read&amp;page=2" in first.text
    third = staff_client.get(PAGE, {"action": "health_read", "page": 3})
    assert table(third).count("<tr>") == 20
    assert "Row 0<" in table(third) and "Other action" not in table(third)


def test_the_csv_export_has_the_filtered_rows_in_the_viewers_zone(staff_client, staff):
    other = StaffFactory(full_name="Olive Other")
    rows_at(staff, datetime(2026, 12, 2, 15, 0, tzinfo=UTC), label="=HYPERLINK(1)")
    rows_at(other, datetime(2026, 12, 2, 16, 0, tzinfo=UTC), label="Someone else's")

    response = staff_client.get(EXPORT, {"actor": staff.email})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="staff-activity-')
    rows = csv_rows(response)
    assert rows[0][:4] == ["When", "Staff member", "Staff email", "Action"]
    assert rows[1:] == [
        [
            "2026-12-02T10:00:00-05:00",
            "Sid Staff",
            staff.email,
            "Read a client's health data",
            "health_read",
            "booking",
            "id-0",
            "'=HYPERLINK(1) 0",
            "",
        ]
    ]


def test_the_export_is_itself_logged_with_its_filters_but_not_in_its_own_file(staff_client, staff):
    rows_at(staff, datetime.now(UTC) - timedelta(minutes=5), label="Earlier")
    rows = csv_rows(staff_client.get(EXPORT, {"action": "", "subject_type": "booking"}))
    assert len(rows) == 2 and rows[1][7] == "Earlier 0"

    exported = StaffAction.objects.get(action="activity_exported")
    assert exported.actor == staff
    assert (exported.subject_type, exported.subject_label) == ("activity_log", "Staff activity log")
    assert exported.detail == {"filters": "subject_type: booking"}
    # The next export has it.
    again = csv_rows(staff_client.get(EXPORT))
    assert [row[4] for row in again[1:]] == ["activity_exported", "health_read"]


def bulk_rows(staff, count: int) -> None:
    others = [StaffFactory() for _ in range(3)]
    start = datetime.now(UTC) - timedelta(days=10)
    StaffAction.objects.bulk_create(
        StaffAction(
            actor=[staff, *others][n % 4],
            action=list(activity.ACTIONS)[n % len(activity.ACTIONS)],
            at=start + timedelta(minutes=n),
            subject_type=("booking", "credential", "client")[n % 3],
            subject_id=f"id-{n}",
            subject_label=f"Subject {n}",
            detail={"n": n},
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_page_runs_the_same_queries_for_10_and_1000_rows(
    staff_client, staff, django_assert_max_num_queries, count
):
    bulk_rows(staff, count)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        response = staff_client.get(PAGE, {"subject_type": "booking", "date_from": "2020-01-01"})
    assert table(response).count("<tr>") == min(50, len(range(0, count, 3)))


@pytest.mark.parametrize("count", [10, 1000])
def test_the_export_runs_the_same_queries_for_10_and_1000_rows(
    staff_client, staff, django_assert_max_num_queries, count
):
    bulk_rows(staff, count)
    with django_assert_max_num_queries(EXPORT_QUERY_BUDGET):
        rows = csv_rows(staff_client.get(EXPORT))
    assert len(rows) == count + 1
