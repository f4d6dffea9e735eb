import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import CertificationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

URL = "practitioners:profile-edit"


def profile_data(**changes):
    data = {
        "display_name": "Pat Practitioner, RRT",
        "slug": "pat-practitioner",
        "bio": "I trained in 2015 and offer calm, unhurried sessions.",
        "city": "Eugene",
        "region": "Oregon",
        "postcode": "97401",
        "country": "United States",
        "timezone": "America/Los_Angeles",
        "premises_note": "Step-free access from the car park.",
        "offers_foot": "on",
        "offers_hand": "on",
        "languages": "English, Spanish",
        "years_in_practice": "9",
        "accepting_new_clients": "on",
        "min_notice_hours": "12",
        "booking_horizon_days": "90",
        "start_interval_minutes": "15",
        "late_cancel_hours": "48",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def png_upload(name="me.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_profile_page_shows_the_saved_profile(logged_in, practitioner):
    response = logged_in.get(reverse(URL))
    assert "<h1>Your profile</h1>" in response.text
    assert f'value="{practitioner.slug}"' in response.text
    assert "Booking rules" in response.text


def test_every_profile_field_is_saved(logged_in, practitioner):
    response = logged_in.post(reverse(URL), profile_data())
    assert response.status_code == 302
    assert response.url == reverse("practitioners:dashboard")
    practitioner.refresh_from_db()
    assert practitioner.display_name == "Pat Practitioner, RRT"
    assert practitioner.slug == "pat-practitioner"
    assert (practitioner.city, practitioner.region, practitioner.postcode) == (
        "Eugene",
        "Oregon",
        "97401",
    )
    assert practitioner.timezone == "America/Los_Angeles"
    assert (practitioner.offers_foot, practitioner.offers_hand, practitioner.offers_ear) == (
        True,
        True,
        False,
    )
    assert practitioner.language_list == ["English", "Spanish"]
    assert practitioner.years_in_practice == 9
    assert practitioner.accepting_new_clients is True
    assert practitioner.premises_note == "Step-free access from the car park."
    assert practitioner.start_interval_minutes == 15
    assert (
        practitioner.min_notice_hours,
        practitioner.booking_horizon_days,
        practitioner.late_cancel_hours,
    ) == (12, 90, 48)
    assert practitioner.is_hidden is False
    assert "Your profile was saved." in logged_in.get(response.url).text


def test_hiding_the_profile_takes_it_out_of_the_directory(logged_in, practitioner):
    logged_in.post(reverse(URL), profile_data(is_hidden="on"))
    practitioner.refresh_from_db()
    assert practitioner.is_hidden is True
    assert practitioner not in type(practitioner).objects.listed()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("pat practitioner!", "Use only letters, numbers, hyphens and underscores, e.g. jane-doe."),
        ("me", "“me” is kept for the site&#x27;s own pages."),
        ("", "Choose a web address name, e.g. jane-doe."),
    ],
)
def test_bad_slug_is_refused_and_the_rest_kept(logged_in, practitioner, slug, message):
    old_slug = practitioner.slug
    response = logged_in.post(reverse(URL), profile_data(slug=slug, city="Salem"))
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Salem"' in response.text
    practitioner.refresh_from_db()
    assert (practitioner.slug, practitioner.city) == (old_slug, "Portland")


def test_slug_of_another_practitioner_is_refused_with_a_suggestion(
    logged_in, practitioner, other_practitioner
):
    response = logged_in.post(reverse(URL), profile_data(slug=other_practitioner.slug))
    assert f"Another practitioner already uses “{other_practitioner.slug}”" in response.text
    assert f"such as {other_practitioner.slug}-2" in response.text


def test_slug_is_stored_lower_case(logged_in, practitioner):
    logged_in.post(reverse(URL), profile_data(slug="Pat-Reflexology"))
    practitioner.refresh_from_db()
    assert practitioner.slug == "pat-reflexology"


def test_at_least_one_modality_is_required(logged_in, practitioner):
    response = logged_in.post(reverse(URL), profile_data(offers_foot=None, offers_hand=None))
    assert "Choose at least one: foot, hand or ear reflexology." in response.text
    practitioner.refresh_from_db()
    assert practitioner.offers_foot is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_notice_hours", "400", "Minimum notice is between 0 and 336 hours."),
        ("booking_horizon_days", "0", "Booking horizon is between 1 and 365 days ahead."),
        ("late_cancel_hours", "200", "Late cancellation window is between 0 and 168 hours."),
        ("years_in_practice", "80", "Years in practice is between 0 and 70."),
        ("timezone", "Mars/Olympus", "Select a valid choice."),
    ],
)
def test_out_of_range_settings_are_refused(logged_in, practitioner, field, value, message):
    response = logged_in.post(reverse(URL), profile_data(**{field: value}))
    assert message in response.text
    assert 'value="Pat Practitioner, RRT"' in response.text
    practitioner.refresh_from_db()
    assert practitioner.display_name == "Pat Practitioner"


def test_a_real_photo_is_stored_re_encoded(logged_in, practitioner):
    response = logged_in.post(reverse(URL), profile_data(photo=png_upload()))
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.photo.name.startswith("practitioners/photos/")
    assert practitioner.photo.name.endswith(".jpg")
    with practitioner.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 30)


def test_a_large_photo_is_shrunk(logged_in, practitioner):
    logged_in.post(reverse(URL), profile_data(photo=png_upload(size=(2400, 1200))))
    practitioner.refresh_from_db()
    with practitioner.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (1200, 600)


def test_a_text_file_named_like_a_photo_is_refused(logged_in, practitioner):
    fake = SimpleUploadedFile(
        "photo.jpg", b"not really a picture\n" * 20, content_type="image/jpeg"
    )
    response = logged_in.post(reverse(URL), profile_data(photo=fake, city="Salem"))
    assert response.status_code == 200
    assert "photo.jpg is not a JPEG or PNG image. Choose a photo file." in response.text
    assert 'value="Salem"' in response.text
    practitioner.refresh_from_db()
    assert not practitioner.photo
    assert practitioner.city == "Portland"


def test_a_photo_over_5_mb_is_refused(logged_in, practitioner):
    header = png_upload().read()[:64]
    huge = SimpleUploadedFile(
        "huge.png", header + os.urandom(6 * 1024 * 1024), content_type="image/png"
    )
    response = logged_in.post(reverse(URL), profile_data(photo=huge))
    assert "huge.png is 6.0 MB; the limit is 5 MB." in response.text
    practitioner.refresh_from_db()
    assert not practitioner.photo


def test_photo_can_be_removed(logged_in, practitioner):
    logged_in.post(reverse(URL), profile_data(photo=png_upload()))
    logged_in.post(reverse(URL), profile_data(**{"photo-clear": "on"}))
    practitioner.refresh_from_db()
    assert not practitioner.photo


def test_medical_claims_in_the_bio_are_refused_even_when_ticked(logged_in, practitioner):
    bio = "Reflexology cures insomnia and I can diagnose stress."
    response = logged_in.post(reverse(URL), profile_data(bio=bio, confirm_wording="on"))
    assert response.status_code == 200
    text = response.text
    assert "Reflexology does not diagnose, treat, cure or prevent any condition" in text
    assert "remove “cures”, “diagnose”." in text
    assert bio in text
    practitioner.refresh_from_db()
    assert practitioner.bio == ""


def test_a_disclaimer_is_not_a_claim(logged_in, practitioner):
    bio = "I do not diagnose; see your doctor for that."
    response = logged_in.post(reverse(URL), profile_data(bio=bio))
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.bio == bio


def test_soft_health_claims_warn_until_ticked(logged_in, practitioner):
    bio = "A gentle detox session."
    response = logged_in.post(reverse(URL), profile_data(bio=bio))
    assert response.status_code == 200
    assert "This wording may read as a health claim: “detox”." in response.text
    assert "I have checked this wording and want to save it" in response.text
    practitioner.refresh_from_db()
    assert practitioner.bio == ""
    response = logged_in.post(reverse(URL), profile_data(bio=bio, confirm_wording="on"))
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.bio == bio


def test_the_tick_box_appears_only_when_there_is_wording_to_check(logged_in):
    assert "I have checked this wording" not in logged_in.get(reverse(URL)).text
    response = logged_in.post(reverse(URL), profile_data(slug="bad slug"))
    assert "I have checked this wording" not in response.text


def test_saved_wording_does_not_warn_again_but_new_claims_do(logged_in, practitioner):
    practitioner.bio = "A gentle detox session."
    practitioner.save()
    response = logged_in.post(
        reverse(URL), profile_data(bio="A gentle detox session.", city="Salem")
    )
    assert response.status_code == 302
    response = logged_in.post(
        reverse(URL), profile_data(bio="A gentle detox session. It balances hormones.")
    )
    assert "health claim: “balances hormones”." in response.text


def test_a_certification_claim_needs_a_current_verified_badge(logged_in, practitioner):
    response = logged_in.post(
        reverse(URL), profile_data(bio="ARCB certified: foot.", confirm_wording="on")
    )
    assert response.status_code == 200
    assert "Only a practitioner whose ARCB certification reflexbook has verified" in response.text
    assert "remove “ARCB certified: foot”" in response.text
    practitioner.refresh_from_db()
    assert practitioner.bio == ""


def test_a_verified_practitioner_may_say_arcb_certified_foot(logged_in, practitioner):
    CertificationFactory(practitioner=practitioner, kind="foot", verified=True)
    response = logged_in.post(reverse(URL), profile_data(bio="ARCB certified: foot."))
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.bio == "ARCB certified: foot."


def test_a_badge_of_another_kind_does_not_back_the_claim(logged_in, practitioner):
    CertificationFactory(practitioner=practitioner, kind="foot", verified=True)
    response = logged_in.post(
        reverse(URL), profile_data(display_name="Pat, nationally certified in hand reflexology")
    )
    assert response.status_code == 200
    assert "remove “nationally certified in hand”" in response.text


def test_a_new_practitioner_completes_the_profile_and_sees_it_on_the_dashboard(client):
    fresh = PractitionerFactory(city="", region="")
    client.force_login(fresh.user)
    response = client.post(reverse(URL), profile_data(slug="fresh-start"), follow=True)
    assert "Add the city or town where you practise." not in response.text
    fresh.refresh_from_db()
    assert fresh.city == "Eugene"


def test_booking_options_are_saved_from_the_profile(client, practitioner):
    client.force_login(practitioner.user)
    page = client.get(reverse("practitioners:profile-edit"))
    form = page.context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "photo"
    }
    data |= {
        "auto_confirm": "on",
        "max_active_bookings_per_client": "2",
        "max_reschedules": "1",
    }
    data.pop("approve_first_time_clients", None)
    response = client.post(reverse("practitioners:profile-edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    practitioner.refresh_from_db()
    assert practitioner.auto_confirm is True
    assert practitioner.approve_first_time_clients is False
    assert (practitioner.max_active_bookings_per_client, practitioner.max_reschedules) == (2, 1)


def test_labour_induction_wording_is_refused_even_when_acknowledged(logged_in, practitioner):
    bio = "Late pregnancy sessions to induce labour naturally."
    response = logged_in.post(reverse(URL), profile_data(bio=bio, confirm_wording="on"))

    assert response.status_code == 200
    assert "Reflexology has no evidence for inducing labour" in response.text
    assert "remove “induce labour”" in response.text
    practitioner.refresh_from_db()
    assert practitioner.bio == ""
