"""The practitioner's services and the lengths and prices of each. Validates input and
nothing else; the views save."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.forms.scope_guard import ScopeGuardMixin
from practitioners.models import Service, ServiceLength
from practitioners.models.services import MAX_TRAVEL_MINUTES

LENGTH_CHOICE_ERROR = gettext_lazy("Sessions are 30, 45 or 60 minutes long.")
TRAVEL_RANGE_ERROR = gettext_lazy("The travel time is between 0 and 90 minutes.")


class ServiceForm(ScopeGuardMixin, forms.ModelForm):
    """A service's name, description, buffer and whether it is offered."""

    scope_guarded_fields = ("name", "description")

    buffer_minutes = forms.IntegerField(
        label=gettext_lazy("Buffer after each session (minutes)"),
        min_value=0,
        max_value=30,
        initial=15,
        help_text=gettext_lazy(
            "Time for hand washing, linen and notes, 0 to 30 minutes. It blocks your calendar; clients never see it."
        ),
        error_messages={
            "min_value": gettext_lazy("The buffer is between 0 and 30 minutes."),
            "max_value": gettext_lazy("The buffer is between 0 and 30 minutes."),
            "required": gettext_lazy("Enter a buffer between 0 and 30 minutes (0 for none)."),
        },
    )

    travel_minutes = forms.IntegerField(
        label=gettext_lazy("Travel time each way (minutes)"),
        min_value=0,
        max_value=MAX_TRAVEL_MINUTES,
        required=False,
        initial=0,
        help_text=gettext_lazy(
            "Home visits only, 0 to 90 minutes: blocks your calendar before and after "
            "each visit. Clients never see it."
        ),
        error_messages={
            "min_value": TRAVEL_RANGE_ERROR,
            "max_value": TRAVEL_RANGE_ERROR,
        },
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "buffer_minutes",
            "is_home_visit",
            "visit_postcodes",
            "travel_minutes",
            "is_active",
        ]
        labels = {
            "name": gettext_lazy("Name"),
            "description": gettext_lazy("Description"),
            "is_home_visit": gettext_lazy("Home visit: I go to the client"),
            "visit_postcodes": gettext_lazy("Postcodes you visit"),
            "is_active": gettext_lazy("Offered"),
        }
        help_texts = {
            "name": gettext_lazy("E.g. Foot reflexology."),
            "description": gettext_lazy("What happens in a session, in a sentence or two."),
            "is_active": gettext_lazy(
                "Untick to stop offering this service. Past bookings keep it."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"required": gettext_lazy("Give the service a name, e.g. Foot reflexology.")},
            "description": {
                "max_length": gettext_lazy(
                    "Keep the description to %(limit_value)d characters (it has %(show_value)d)."
                )
            },
        }

    def scope_practitioner(self):
        return self.instance.practitioner

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "name",
            "description",
            *self.scope_guard_fields(),
            "buffer_minutes",
            "is_home_visit",
            "visit_postcodes",
            "travel_minutes",
            "is_active",
        )

    def clean_visit_postcodes(self):
        listed = self.cleaned_data["visit_postcodes"].split(",")
        return ", ".join(code.strip() for code in listed if code.strip())

    def clean(self):
        cleaned = super().clean()
        if "travel_minutes" in cleaned and cleaned["travel_minutes"] is None:
            cleaned["travel_minutes"] = 0  # left empty: no travel time
        if not cleaned.get("is_home_visit"):
            # Postcodes and travel belong to home visits only.
            cleaned["visit_postcodes"], cleaned["travel_minutes"] = "", 0
        elif not cleaned.get("visit_postcodes") and not self.has_error("visit_postcodes"):
            self.add_error(
                "visit_postcodes",
                ValidationError(
                    _("List the postcodes you visit, separated by commas, e.g. 97201, 97232."),
                    code="no_postcodes",
                ),
            )
        return cleaned

    def validate_constraints(self):
        # Missing postcodes are said above, on the field, in words.
        if self.has_error("visit_postcodes", "no_postcodes"):
            return
        super().validate_constraints()


class ServiceLengthForm(forms.ModelForm):
    class Meta:
        model = ServiceLength
        fields = ["minutes", "price"]
        labels = {"minutes": gettext_lazy("Length"), "price": gettext_lazy("Price ($)")}
        error_messages = {
            "minutes": {"invalid_choice": LENGTH_CHOICE_ERROR},
        }
        widgets = {"price": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].choices = [
            ("", _("Choose a length")),
            *self.fields["minutes"].choices[1:],
        ]
        self.fields["price"].error_messages["min_value"] = _("A price cannot be negative.")
        self.fields["price"].error_messages["invalid"] = _("Enter a price such as 45 or 45.50.")
        # Rows may be left empty (so no asterisk). Django skips an empty extra row before
        # clean(), so any row that gets here is in use and needs both parts.
        self.fields["minutes"].required = self.fields["price"].required = False
        self.fields["minutes"].empty_value = None

    def clean(self):
        cleaned = super().clean()
        if "minutes" not in self.errors and cleaned.get("minutes") is None:
            self.add_error("minutes", ValidationError(_("Choose a length."), code="required"))
        if "price" not in self.errors and cleaned.get("price") is None:
            self.add_error(
                "price", ValidationError(_("Enter the price for this length."), code="required")
            )
        return cleaned


class BaseServiceLengthFormSet(forms.BaseInlineFormSet):
    def clean(self):
        if any(self.errors):
            return
        # Rows left empty have no cleaned data; rows ticked "Delete" do not count.
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("minutes") and not self._should_delete_form(form)
        ]
        if not kept:
            raise ValidationError(_("Add at least one length with its price."), code="no_length")
        seen: set[int] = set()
        for form in kept:
            minutes = form.cleaned_data["minutes"]
            if minutes in seen:
                form.add_error(
                    "minutes",
                    ValidationError(
                        _(
                            "You entered the %(minutes)d-minute length twice: give each length once, with its price."
                        ),
                        code="duplicate_length",
                        params={"minutes": minutes},
                    ),
                )
            seen.add(minutes)
        # Skip the model formset's generic "Please correct the duplicate data" check: the
        # loop above says the same thing more plainly.


ServiceLengthFormSet = forms.inlineformset_factory(
    Service,
    ServiceLength,
    form=ServiceLengthForm,
    formset=BaseServiceLengthFormSet,
    extra=3,
    max_num=3,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)
