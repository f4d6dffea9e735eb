import datetime as dt
import re

import pytest
import time_machine
from django.forms.widgets import ChoiceWidget
from django.urls import reverse
from django.utils.html import escape

from sessions.forms.intake import ConsentForm, MayBePregnantForm
from sessions.forms.intake_questions import STEPS, IntakeQuestions
from sessions.intake import CONSENT_TEXT_VERSION
from sessions.models import IntakeDraft, IntakeForm
from sessions.models.intake import ClearanceNote
from sessions.safety import URGENT_EMERGENCY, URGENT_TODAY
from tests.factories import PDF_BYTES, BookingFactory, IntakeFormFactory
from tests.sessions.intake_helpers import answers, fill_in_steps, post_data

EDIT = reverse("sessions:intake-edit")
PAGE = reverse("sessions:intake")


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    return client


def test_intake_page_without_a_form_invites_the_client_to_fill_it_in(logged_in):
    response = logged_in.get(PAGE)

    assert response.status_code == 200
    assert "Fill in your health form" in response.text
    assert EDIT in response.text


def test_filling_in_the_form_signs_version_1_with_flags_and_consent(logged_in, client_user):
    response = fill_in_steps(
        logged_in,
        post_data(
            signature="cara client",
            physician_contact_allowed="on",
            oil_sensitivity="True",
            oil_sensitivity_details="Lavender gives me a rash",
        ),
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    assert response["Location"] == PAGE
    intake = IntakeForm.objects.get(client=client_user)
    assert intake.version == 1
    assert intake.answers["oil_sensitivity_details"] == "Lavender gives me a rash"
    assert [flag["code"] for flag in intake.flags] == ["avoid_oils"]
    assert intake.signed_name == "cara client"
    assert intake.signed_ip == "203.0.113.7"
    assert intake.consent_text_version == CONSENT_TEXT_VERSION
    assert intake.physician_contact_allowed is True
    page = logged_in.get(PAGE)
    assert "Version 1, signed by cara client" in page.text
    assert "Avoid lavender and its plant family" in page.text
    assert "Lavender gives me a rash" in page.text


def test_a_minors_form_reads_as_signed_by_the_guardian_for_the_client(
    logged_in, client, client_user, practitioner
):
    fill_in_steps(
        logged_in,
        post_data(
            signature="Gina Guardian",
            date_of_birth="2012-05-01",
            guardian_name="Gina Guardian",
            guardian_consent="on",
        ),
    )
    intake = IntakeForm.objects.get(client=client_user)
    assert "under_18" in [flag["code"] for flag in intake.flags]

    page = logged_in.get(PAGE)
    assert "Version 1, signed by Gina Guardian (parent or guardian) for Cara Client" in page.text

    booking = BookingFactory(
        client=client_user, practitioner=practitioner, intake=intake, flags=intake.flags
    )
    client.force_login(practitioner.user)
    detail = client.get(
        reverse("sessions:intake-detail", kwargs={"code": intake.code}) + f"?booking={booking.code}"
    )
    assert "by Gina Guardian (parent or guardian) for Cara Client" in detail.text
    assert "A parent or guardian (Gina Guardian) signed the form and must be present" in (
        detail.text
    )


def test_a_minor_cannot_sign_for_themselves(logged_in, client_user):
    response = fill_in_steps(
        logged_in,
        post_data(
            signature="Cara Client",
            date_of_birth="2012-05-01",
            guardian_name="Gina Guardian",
            guardian_consent="on",
        ),
    )

    assert response.status_code == 400
    assert response.steps[-1] == "consent"
    assert "your parent or guardian signs: they type their own full name" in response.text
    assert "(Gina Guardian)" in response.text
    assert not IntakeForm.objects.filter(client=client_user).exists()


def test_an_adults_form_reads_as_signed_by_themselves(logged_in, client_user):
    IntakeFormFactory(client=client_user, signed_name="Cara Client", answers=answers())

    page = logged_in.get(PAGE)

    assert "signed by Cara Client on" in page.text
    assert "parent or guardian" not in page.text


def test_after_signing_a_possible_clot_the_client_is_told_to_get_care_today(logged_in):
    fill_in_steps(logged_in, post_data(dvt_current="True"))

    page = logged_in.get(PAGE)

    assert 'class="rb-flag-urgent' in page.text
    assert escape(URGENT_TODAY) in page.text
    assert escape(URGENT_EMERGENCY) in page.text


def test_changing_answers_adds_a_version_and_keeps_the_old_one(logged_in, client_user):
    first = IntakeFormFactory(client=client_user, version=1, answers=answers())

    logged_in.post(EDIT, {"steps": ["about-you", "conditions"]})
    page = logged_in.get(reverse("sessions:intake-step", kwargs={"step": "about-you"}))
    assert 'value="Ed Emergency"' in page.text  # prefilled from version 1
    assert "Your answers from version 1 are filled in" in page.text

    response = fill_in_steps(
        logged_in, post_data(epilepsy="True"), changed=["about-you", "conditions"]
    )

    assert response.steps == ["about-you", "pregnancy", "conditions", "consent"]
    assert response.status_code == 302
    versions = list(client_user.intake_forms.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].answers == first.answers  # never edited
    assert versions[1].answers["epilepsy"] is True
    assert [flag["code"] for flag in versions[1].flags] == ["epilepsy"]


def test_saving_returns_to_a_safe_next_address(logged_in):
    review = "/book/pat/1/20261130T1800Z/"

    page = logged_in.get(f"{EDIT}?next={review}", follow=True)
    assert f'name="next" value="{review}"' in page.text
    assert "Back to your booking" in page.text

    response = fill_in_steps(logged_in, post_data(), next_url=review)

    assert response.status_code == 302
    assert response["Location"] == review


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_saving_ignores_a_next_address_on_another_site(logged_in, target):
    response = fill_in_steps(logged_in, {**post_data(), "next": target})

    assert response.status_code == 302
    assert response["Location"] == PAGE


def assert_answers_kept(text: str, data: dict, names) -> None:
    """Each of `names` answered in `data` is shown again as answered."""
    fields = {
        **IntakeQuestions.base_fields,
        **ConsentForm.base_fields,
        **MayBePregnantForm.base_fields,
    }
    for name in names:
        value = data.get(name)
        if value in (None, "", []):
            continue
        if value == "on":  # a box to tick
            assert re.search(rf'name="{name}"[^>]*checked', text), name
        elif isinstance(fields[name].widget, ChoiceWidget):
            for item in value if isinstance(value, list) else [value]:
                assert re.search(rf'name="{name}" value="{item}"[^>]*checked', text), (name, item)
        else:
            assert f'value="{value}"' in text or f"{escape(value)}</textarea>" in text, name


@pytest.mark.parametrize(
    ("overrides", "step", "message"),
    [
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "due_date": "2020-01-01"},
            "pregnancy",
            "Your due date is in the past",
        ),
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "pregnancy_weeks": "43"},
            "pregnancy",
            "Enter the weeks of pregnancy as a number from 1 to 42.",
        ),
        ({"signature": ""}, "consent", "Sign by typing your full name."),
        (
            {"signature": "Someone Else"},
            "consent",
            "The signature must be your full name as on your account",
        ),
        (
            {"date_of_birth": "2999-01-01"},
            "about-you",
            "Your date of birth cannot be in the future.",
        ),
    ],
    ids=["due date in the past", "weeks 43", "empty signature", "wrong signature", "born later"],
)
def test_a_bad_answer_is_refused_and_every_other_answer_is_kept(
    logged_in, overrides, step, message
):
    data = post_data(
        **{
            "goals": ["tension", "sleep", "other"],
            "goals_other": "Feel less tired",
            "nut_allergy": "True",
            "nut_allergy_details": "Almond: hives",
            "verruca": ["left_foot"],
            "verruca_zones": ["foot:heel"],
            "injury": ["right_hand"],
            "injury_zones": ["hand:wrist"],
            "injury_details": "Sprained wrist, September",
            "no_touch_areas": "Ticklish soles",
            "medications": "Ibuprofen now and then",
            "physician_contact_allowed": "on",
            "blood_pressure": "high",
            "diabetes": "controlled",
            **overrides,
        }
    )

    response = fill_in_steps(logged_in, data)

    assert response.status_code == 400
    assert response.steps[-1] == step
    assert not IntakeForm.objects.exists()
    text = response.text
    assert message in text
    assert "This step is not saved yet: please check 1 answer" in text
    anchor = re.search(r'<a class="alert-link" href="#([^"]+)"', text).group(1)
    assert f'id="{anchor}"' in text
    on_the_step = {
        "about-you": [*STEPS[0].fields, "may_be_pregnant"],
        "pregnancy": STEPS[1].fields,
        "consent": list(ConsentForm.base_fields),
    }[step]
    assert_answers_kept(text, data, on_the_step)
    # The steps before were saved to the draft, as answered (nothing before the first).
    if step == "about-you":
        assert not IntakeDraft.objects.exists()
        return
    draft = IntakeDraft.objects.get()
    assert draft.answers["phone"] == "555 123 4567"
    if step == "consent":
        assert draft.answers["injury_details"] == "Sprained wrist, September"
        assert draft.answers["diabetes"] == "controlled"


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_an_intake_signed_over_12_months_ago_needs_review(logged_in, client_user):
    IntakeFormFactory(
        client=client_user,
        version=1,
        answers=answers(),
        signed_at=dt.datetime(2025, 11, 20, tzinfo=dt.UTC),
    )

    response = logged_in.get(PAGE)

    assert "Needs review" in response.text
    assert "Confirm nothing has changed" in response.text
    assert reverse("sessions:intake-confirm") in response.text


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_a_recent_intake_needs_no_review(logged_in, client_user):
    IntakeFormFactory(
        client=client_user, signed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), answers=answers()
    )

    response = logged_in.get(PAGE)

    assert "Needs review" not in response.text


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_confirming_nothing_changed_signs_the_same_answers_as_a_new_version(logged_in, client_user):
    old = IntakeFormFactory(
        client=client_user,
        version=1,
        answers=answers(epilepsy=True),
        flags=[],
        signed_at=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
    )

    response = logged_in.post(
        reverse("sessions:intake-confirm"),
        {
            "consent_complementary": "on",
            "consent_after_effects": "on",
            "consent_truthful": "on",
            "consent_cancellation": "on",
            "signature": "Cara Client",
        },
    )

    assert response.status_code == 302
    new = client_user.intake_forms.get(version=2)
    assert new.answers == old.answers
    assert new.signed_at == dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    assert [flag["code"] for flag in new.flags] == ["epilepsy"]  # flags worked out again
    assert "Needs review" not in logged_in.get(PAGE).text


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_confirming_with_a_wrong_signature_keeps_the_review_open(logged_in, client_user):
    IntakeFormFactory(
        client=client_user, answers=answers(), signed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )

    response = logged_in.post(
        reverse("sessions:intake-confirm"),
        {"consent_complementary": "on", "signature": "Nobody"},
    )

    assert response.status_code == 400
    assert "The signature must be your full name" in response.text
    assert "Tick this box to accept the cancellation policy." in response.text
    assert 'value="Nobody"' in response.text
    assert client_user.intake_forms.count() == 1


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_a_year_old_pregnancy_cannot_be_confirmed_unchanged(logged_in, client_user):
    IntakeFormFactory(
        client=client_user,
        answers=answers(pregnancy="pregnant", pregnancy_weeks=10, midwife_aware=True),
        signed_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
    )

    response = logged_in.post(
        reverse("sessions:intake-confirm"),
        {
            "consent_complementary": "on",
            "consent_after_effects": "on",
            "consent_truthful": "on",
            "consent_cancellation": "on",
            "signature": "Cara Client",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == EDIT
    assert "Please update your answers instead" in response.text
    assert client_user.intake_forms.count() == 1


def test_intake_page_lists_versions_and_links_to_the_access_list(logged_in, client_user):
    v1 = IntakeFormFactory(client=client_user, version=1, answers=answers())
    v2 = IntakeFormFactory(client=client_user, version=2, answers=answers(epilepsy=True))

    response = logged_in.get(PAGE)

    assert reverse("sessions:intake-detail", kwargs={"code": v1.code}) in response.text
    assert reverse("sessions:intake-detail", kwargs={"code": v2.code}) in response.text
    assert "Version 2</a>" in response.text and "(current)" in response.text
    assert reverse("sessions:intake-access") in response.text


def test_intake_page_links_to_the_check_in_of_upcoming_bookings(logged_in, client_user):
    upcoming = BookingFactory(client=client_user)
    past = BookingFactory(
        client=client_user,
        starts_at=upcoming.starts_at - dt.timedelta(days=30),
        status="completed",
    )
    IntakeFormFactory(client=client_user, answers=answers())

    response = logged_in.get(PAGE)

    assert reverse("sessions:check-in", kwargs={"code": upcoming.code}) in response.text
    assert reverse("sessions:check-in", kwargs={"code": past.code}) not in response.text


def test_client_with_a_clearance_flag_can_upload_a_doctors_note(logged_in, client_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    intake = IntakeFormFactory(
        client=client_user,
        answers=answers(heart_condition=True),
        flags=[
            {
                "code": "heart",
                "tier": "clearance",
                "label": "Heart",
                "detail": "d",
                "reason": "r",
                "area": "",
            }
        ],
    )
    assert "Note from your doctor or midwife" in logged_in.get(PAGE).text

    response = logged_in.post(
        reverse("sessions:intake-note"),
        {"note": SimpleUploadedFile("gp-letter.pdf", PDF_BYTES, "application/pdf")},
    )

    assert response.status_code == 302
    note = ClearanceNote.objects.get()
    assert note.intake == intake
    assert note.content_type == "application/pdf"
    assert "gp-letter.pdf" in logged_in.get(PAGE).text
    download = logged_in.get(reverse("sessions:intake-note-file", kwargs={"code": note.code}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_note_that_is_not_a_pdf_or_image_is_refused(logged_in, client_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    IntakeFormFactory(
        client=client_user,
        flags=[
            {
                "code": "heart",
                "tier": "clearance",
                "label": "Heart",
                "detail": "d",
                "reason": "r",
                "area": "",
            }
        ],
    )

    response = logged_in.post(
        reverse("sessions:intake-note"),
        {"note": SimpleUploadedFile("note.pdf", b"MZ not a pdf", "application/pdf")},
    )

    assert response.status_code == 400
    assert "is not a PDF, JPEG or PNG file" in response.text
    assert not ClearanceNote.objects.exists()


def test_the_error_summary_names_each_question_and_links_to_it(logged_in):
    response = fill_in_steps(logged_in, post_data(reflexology_before="", phone=""))

    assert response.status_code == 400
    assert response.steps == ["about-you"]
    assert '<a class="alert-link" href="#id_phone">Phone</a>: Enter your phone number.' in (
        response.text
    )
    assert (
        '<a class="alert-link" href="#div_id_reflexology_before">Have you had reflexology '
        "before?</a>: Answer yes" in response.text
    )
    assert 'id="div_id_reflexology_before"' in response.text


def test_the_signature_hint_escapes_the_account_name(client, client_user):
    client_user.full_name = '"><img src=x onerror=alert(1)>'
    client_user.save()
    client.force_login(client_user)
    response = fill_in_steps(client, post_data(signature=""))
    assert response.steps[-1] == "consent"
    page = client.get(reverse("sessions:intake-step", kwargs={"step": "consent"}))
    assert "<img src=x" not in page.text
    assert "&quot;&gt;&lt;img src=x" in page.text


def test_changing_the_form_brings_the_weeks_of_pregnancy_forward_to_today(logged_in, client_user):
    IntakeFormFactory(
        client=client_user,
        signed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=28),
        answers=answers(pregnancy="pregnant", pregnancy_weeks=9, midwife_aware=True),
    )

    step = logged_in.post(EDIT, {"steps": ["pregnancy"]})
    page = logged_in.get(step["Location"])

    assert re.search(r'name="pregnancy_weeks" value="13"', page.text)
