"""Forms for the client's booking flow: they validate input and nothing else; the write path
(sessions.booking) decides whether a booking can be made."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.models import Practitioner, Service, ServiceLength
from practitioners.models.services import NO_HOME_ADDRESS
from reflexbook.lib.text import single_line

# A start time in URLs and forms: the UTC instant, e.g. 20260309T1400Z (sessions.urls has the
# path converter, <start:…>).
START_FORMAT = "%Y%m%dT%H%MZ"
START_PATTERN = r"[0-9]{8}T[0-9]{4}Z"
# Instants a booking could start at. Python's datetimes end at year 1 and 9999, so the
# extremes (99991231T2359Z, 00010101T0000Z) would overflow once shown in a zone or given an
# end time; no practitioner books that far from now, so such a start is simply not found.
FIRST_START_YEAR, LAST_START_YEAR = 2000, 2999


def format_start(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime(START_FORMAT)


def parse_start(value: str) -> datetime | None:
    """The aware UTC instant written as YYYYMMDDTHHMMZ, or None if it is not one."""
    if len(value) != len("20260309T1400Z"):
        return None
    try:
        instant = datetime.strptime(value, START_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return instant if FIRST_START_YEAR <= instant.year <= LAST_START_YEAR else None


def shown_instant(stamp: str, day: date, wall: time, tz: ZoneInfo) -> datetime | None:
    """The instant posted along with a date and time (`stamp`, as format_start writes it)
    if it is shown as that date and time in `tz`: which of the two 01:15s of the night the
    clocks go back was chosen on the calendar. None without one, or once the date or time
    was changed (the typed date and time then decide)."""
    instant = parse_start(stamp)
    if instant is None:
        return None
    local = instant.astimezone(tz)
    return instant if (local.date(), local.time()) == (day, wall) else None


def instant_field() -> forms.CharField:
    """The hidden field that carries shown_instant's `stamp` (the calendar cell's data-start
    or ?start) next to a form's date and time."""
    return forms.CharField(
        required=False, max_length=len("20260309T1400Z"), widget=forms.HiddenInput
    )


class LengthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceLength) -> str:
        return _("%(service)s, %(minutes)s minutes, $%(price)s") % {
            "service": obj.service.name,
            "minutes": obj.minutes,
            "price": f"{obj.price:.2f}".removesuffix(".00"),
        }


class LengthChoiceForm(forms.Form):
    """Step 1: which service and length (GET; the choice only picks the next page)."""

    length = LengthChoiceField(
        label=gettext_lazy("Session"),
        queryset=ServiceLength.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choose a session and its length."),
            "invalid_choice": gettext_lazy(
                "That session is no longer offered. Choose one from the list."
            ),
        },
    )

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["length"].queryset = (
            ServiceLength.objects.filter(
                service__practitioner=practitioner, service__is_active=True
            )
            .select_related("service")
            .order_by("service__name", "minutes")
        )


class ReviewForm(forms.Form):
    """Step 3: the client's message, the policy they accept, their address for a home visit
    and, when a flag needs it, their word that they have talked to their doctor or midwife.
    `price_seen` carries the price the page showed, so a changed or tampered price is refused
    rather than charged."""

    message = forms.CharField(
        label=gettext_lazy("Message to the practitioner (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Anything they should know before the session. Health details belong in your "
            "health form."
        ),
        error_messages={
            "max_length": gettext_lazy("Keep the message under %(limit_value)d characters.")
        },
    )
    unwell_now = forms.TypedChoiceField(
        label=gettext_lazy("Are you unwell right now (fever, infection, anything contagious)?"),
        help_text=gettext_lazy("We ask each time you book: your health form may be months old."),
        choices=[(True, gettext_lazy("Yes")), (False, gettext_lazy("No"))],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Tell us whether you are unwell right now.")},
    )
    unwell_details = forms.CharField(
        label=gettext_lazy("If yes: what is it?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": gettext_lazy("Keep this under %(limit_value)d characters.")},
    )
    accept_policy = forms.BooleanField(
        label=gettext_lazy("I accept the cancellation policy above."),
        error_messages={
            "required": gettext_lazy("Tick the box to accept the cancellation policy.")
        },
    )
    price_seen = forms.DecimalField(
        widget=forms.HiddenInput,
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": gettext_lazy("The price shown is missing. Reload the page and try again."),
            "invalid": gettext_lazy(
                "The price shown is not a price. Reload the page and try again."
            ),
        },
    )

    def __init__(
        self,
        *args,
        clearance_topics: Sequence[str] = (),
        home_visit: Service | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.home_visit = home_visit
        if home_visit is not None:
            # Asked only for a home visit: where the practitioner should come.
            self.fields["home_address"] = forms.CharField(
                label=_("Your address for the home visit"),
                max_length=250,
                validators=[single_line],
                help_text=_("Street, house or flat number, and town."),
                error_messages={
                    "required": NO_HOME_ADDRESS,
                    "max_length": _("Keep the address under %(limit_value)d characters."),
                },
            )
            self.fields["home_postcode"] = forms.CharField(
                label=_("Postcode"),
                max_length=20,
                validators=[single_line],
                help_text=_("%(name)s visits these postcodes: %(postcodes)s.")
                % {
                    "name": home_visit.practitioner.display_name,
                    "postcodes": ", ".join(home_visit.postcode_list),
                },
                error_messages={
                    "required": home_visit.visit_refusal(""),
                    "max_length": _("A postcode has at most %(limit_value)d characters."),
                },
            )
            self.fields["home_address"].widget.attrs["autocomplete"] = "street-address"
            self.fields["home_postcode"].widget.attrs["autocomplete"] = "postal-code"
            self.order_fields(["home_address", "home_postcode"])  # first: where, then the rest
        if clearance_topics:
            self.fields["clearance_confirmed"] = forms.BooleanField(
                label=_("I have talked to my doctor or midwife about: %(topics)s.")
                % {"topics": ", ".join(clearance_topics)},
                error_messages={
                    "required": _(
                        "Tick the box once you have talked to your doctor or midwife. "
                        "If you have not yet, please do before booking."
                    )
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_home_postcode(self):
        postcode = self.cleaned_data["home_postcode"].strip()
        if refusal := self.home_visit.visit_refusal(postcode):
            raise ValidationError(refusal, code="postcode_not_visited")
        return postcode

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unwell_now") and not (cleaned.get("unwell_details") or "").strip():
            self.add_error(
                "unwell_details",
                ValidationError(
                    _("You said you are unwell: say what it is, so your practitioner can advise."),
                    code="unwell_details_required",
                ),
            )
        return cleaned

    def session_answers(self) -> dict:
        """The answers for this session alone, with the health form's keys (sessions.safety
        ASKED_EACH_SESSION): the "acute_illness" rule reads them instead of the form's."""
        unwell = self.cleaned_data["unwell_now"]
        details = self.cleaned_data.get("unwell_details", "").strip()
        return {"acute_illness": unwell, "acute_illness_details": details if unwell else ""}

    def clean_price_seen(self):
        price = self.cleaned_data["price_seen"]
        if price < 0:
            raise ValidationError(
                _("The price shown is not a price. Reload the page and try again."),
                code="negative_price",
            )
        return price


class CancelForm(forms.Form):
    unwell = forms.BooleanField(
        label=gettext_lazy("I am cancelling because I am unwell"),
        required=False,
        help_text=gettext_lazy(
            "A cancellation because you are unwell is never counted as late. Your "
            "practitioner sees only that you are unwell; you do not need to say more."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Your practitioner sees this."),
        error_messages={
            "max_length": gettext_lazy("Keep the reason under %(limit_value)d characters.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class StartField(forms.CharField):
    """A start time written as the UTC instant YYYYMMDDTHHMMZ."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        instant = parse_start(value)
        if instant is None:
            raise ValidationError(
                _("That is not a start time we offered. Choose one of the times shown."),
                code="invalid_start",
            )
        return instant


class RescheduleForm(forms.Form):
    start = StartField(
        widget=forms.HiddenInput,
        error_messages={"required": gettext_lazy("Choose a new time from the week shown.")},
    )
