"""The practitioner's profile and booking rules. Validates input and nothing else; the view
saves."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import TimezoneField
from practitioners import services, uploads
from practitioners.forms.scope_guard import ScopeGuardMixin
from practitioners.models import Practitioner


def _range_field(label, message, *, minimum: int, maximum: int) -> forms.IntegerField:
    """A whole number from `minimum` to `maximum`; `message` (naming both) when it is not."""
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        error_messages={"min_value": message, "max_value": message},
    )


class ProfileForm(ScopeGuardMixin, forms.ModelForm):
    """Everything on the practitioner's profile, and their booking rules."""

    scope_guarded_fields = ("display_name", "bio")

    # A plain file field: uploads.clean_photo decides what is an image (and says so clearly),
    # instead of Django's ImageField with its generic message.
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=gettext_lazy(
            "A JPEG or PNG of at most 5 MB. We resize it and remove its hidden details (such as where it was taken)."
        ),
    )
    timezone = TimezoneField(help_text=gettext_lazy("Your hours and time off are in this zone."))
    min_notice_hours = _range_field(
        gettext_lazy("Minimum notice (hours)"),
        gettext_lazy("Minimum notice is between 0 and 336 hours."),
        minimum=0,
        maximum=24 * 14,
    )
    booking_horizon_days = _range_field(
        gettext_lazy("Booking horizon (days ahead)"),
        gettext_lazy("Booking horizon is between 1 and 365 days ahead."),
        minimum=1,
        maximum=365,
    )
    late_cancel_hours = _range_field(
        gettext_lazy("Late cancellation window (hours)"),
        gettext_lazy("Late cancellation window is between 0 and 168 hours."),
        minimum=0,
        maximum=24 * 7,
    )
    years_in_practice = forms.IntegerField(
        label=gettext_lazy("Years in practice"),
        required=False,
        min_value=0,
        max_value=70,
        error_messages={
            "min_value": gettext_lazy("Years in practice is between 0 and 70."),
            "max_value": gettext_lazy("Years in practice is between 0 and 70."),
        },
    )

    class Meta:
        model = Practitioner
        fields = [
            "display_name",
            "slug",
            "photo",
            "bio",
            "street",
            "city",
            "region",
            "postcode",
            "country",
            "timezone",
            "premises_note",
            "phone",
            "offers_foot",
            "offers_hand",
            "offers_ear",
            "languages",
            "years_in_practice",
            "accepting_new_clients",
            "min_notice_hours",
            "booking_horizon_days",
            "start_interval_minutes",
            "late_cancel_hours",
            "auto_confirm",
            "approve_first_time_clients",
            "max_active_bookings_per_client",
            "max_reschedules",
            "waitlist_offer_minutes",
            "waitlist_first_to_claim",
            "is_hidden",
        ]
        labels = {
            "display_name": gettext_lazy("Display name"),
            "slug": gettext_lazy("Web address name"),
            "bio": gettext_lazy("About you"),
            "street": gettext_lazy("Street address"),
            "premises_note": gettext_lazy("Directions and parking"),
            "phone": gettext_lazy("Phone number"),
        }
        help_texts = {
            "display_name": gettext_lazy("The name clients see, e.g. Jane Doe, RRT."),
            "slug": gettext_lazy(
                "Your profile's address: /practitioners/jane-doe/. Letters, numbers, hyphens."
            ),
            "bio": gettext_lazy("Your training, your approach, what a first session is like."),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "slug": {
                "invalid": gettext_lazy(
                    "Use only letters, numbers, hyphens and underscores, e.g. jane-doe."
                ),
                "required": gettext_lazy("Choose a web address name, e.g. jane-doe."),
            },
            "display_name": {"required": gettext_lazy("Enter the name clients will see.")},
            "bio": {
                "max_length": gettext_lazy(
                    "Keep “About you” to %(limit_value)d characters (it has %(show_value)d)."
                )
            },
        }

    def scope_practitioner(self):
        return self.instance

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_notice_hours"].help_text = _(
            "How soon before a session clients may still book it (0 to 336)."
        )
        self.fields["booking_horizon_days"].help_text = _(
            "How far ahead clients may book a session (1 to 365)."
        )
        self.fields["late_cancel_hours"].help_text = _(
            "Cancelling closer to the session than this counts as late (0 to 168)."
        )
        offer_minutes = self.fields["waitlist_offer_minutes"]
        offer_minutes.required = False  # empty: the default, 120 minutes
        offer_minutes.help_text = _(
            "When time frees up, a client on your waitlist has this long to claim it (15 to "
            "10080; empty: 120), never past your minimum notice before the session."
        )
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["street"].widget.attrs["autocomplete"] = "address-line1"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["country"].widget.attrs["autocomplete"] = "country-name"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "display_name",
                "slug",
                "photo",
                "bio",
                *self.scope_guard_fields(),
            ),
            Fieldset(
                _("Where you practise"),
                "street",
                Row(Column("city", css_class="col-sm-6"), Column("region", css_class="col-sm-6")),
                Row(
                    Column("postcode", css_class="col-sm-6"),
                    Column("country", css_class="col-sm-6"),
                ),
                "timezone",
                "premises_note",
                "phone",
            ),
            Fieldset(
                _("Reflexology you offer"),
                "offers_foot",
                "offers_hand",
                "offers_ear",
                "languages",
                "years_in_practice",
                "accepting_new_clients",
            ),
            Fieldset(
                _("Booking rules"),
                "min_notice_hours",
                "booking_horizon_days",
                "start_interval_minutes",
                "late_cancel_hours",
                "auto_confirm",
                "approve_first_time_clients",
                "max_active_bookings_per_client",
                "max_reschedules",
            ),
            Fieldset(_("Waitlist"), "waitlist_offer_minutes", "waitlist_first_to_claim"),
            Fieldset(_("Directory"), "is_hidden"),
        )

    def clean_waitlist_offer_minutes(self) -> int:
        value = self.cleaned_data["waitlist_offer_minutes"]
        return (
            Practitioner._meta.get_field("waitlist_offer_minutes").default
            if value is None
            else value
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in services.RESERVED_SLUGS:
            raise ValidationError(
                _(
                    "“%(slug)s” is kept for the site's own pages. Choose another, such as %(suggestion)s."
                ),
                code="reserved_slug",
                params={
                    "slug": slug,
                    "suggestion": services.unique_slug(
                        self.cleaned_data.get("display_name") or "my-practice"
                    ),
                },
            )
        taken = Practitioner.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _(
                    "Another practitioner already uses “%(slug)s”. Choose another, such as %(suggestion)s."
                ),
                code="duplicate_slug",
                params={"slug": slug, "suggestion": services.unique_slug(slug)},
            )
        return slug

    def _name_taken_in_place(self, cleaned: dict) -> Practitioner | None:
        """Another practitioner listed under this name in this place (compared ignoring
        case), who clients could not tell apart from this one."""
        name, city = cleaned.get("display_name"), cleaned.get("city")
        if not name or not city:
            return None
        return (
            Practitioner.objects.exclude(pk=self.instance.pk)
            .filter(
                display_name__iexact=name,
                city__iexact=city,
                region__iexact=cleaned.get("region", ""),
            )
            .first()
        )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            # The stored file is the re-encoded one, never the upload itself.
            return uploads.clean_photo(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"offers_{kind}") for kind in ("foot", "hand", "ear")):
            self.add_error(
                "offers_foot",
                ValidationError(
                    _("Choose at least one: foot, hand or ear reflexology."), code="no_modality"
                ),
            )
        if self._name_taken_in_place(cleaned):
            self.add_error(
                "display_name",
                ValidationError(
                    _(
                        "Another practitioner in %(place)s is listed as “%(name)s”. Add something "
                        "that tells you apart, such as your middle initial or your credentials "
                        "(e.g. %(name)s, RRT)."
                    ),
                    code="duplicate_display_name",
                    params={
                        "place": ", ".join(
                            p for p in (cleaned["city"], cleaned.get("region")) if p
                        ),
                        "name": cleaned["display_name"],
                    },
                ),
            )
        return cleaned

    def validate_constraints(self):
        # The name-and-place constraint is said above, on the field, in words.
        if self.has_error("display_name", "duplicate_display_name"):
            return
        super().validate_constraints()
