"""Forms for packages of sessions: a new package on sale, selling one to a client, and what
happens when a client's package has no credit left."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sessions.forms.billing import PAID_BY_HAND
from sessions.forms.report import FIRST_YEAR, LAST_YEAR
from sessions.models import Package, PackagePolicy, Payment


class PackageForm(forms.Form):
    submit_label = _("Put this package on sale")
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What clients see, e.g. “Five full sessions”."),
        error_messages={
            "required": _("Give the package a name."),
            "max_length": _("Keep the name to 100 characters."),
        },
    )
    minutes = forms.TypedChoiceField(
        label=_("Session length"),
        coerce=int,
        help_text=_("Bookings of this length use a credit."),
        error_messages={
            "required": _("Choose the length of the sessions."),
            "invalid_choice": _("Choose one of the lengths you offer."),
        },
    )
    sessions = forms.IntegerField(
        label=_("Number of sessions"),
        min_value=1,
        max_value=50,
        error_messages={
            "required": _("Enter how many sessions the package holds."),
            "invalid": _("Enter a whole number of sessions, such as 5."),
            "min_value": _("A package holds at least 1 session."),
            "max_value": _("A package holds at most 50 sessions."),
        },
    )
    price = forms.DecimalField(
        label=_("Price"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text=_("For the whole package, in your currency."),
        error_messages={
            "required": _("Enter the package's price."),
            "invalid": _("Enter an amount such as 300 or 299.50."),
            "min_value": _("A price cannot be negative."),
            "max_decimal_places": _("Enter the price to the cent: at most 2 decimal places."),
            "max_digits": _("That price is too large."),
        },
    )
    valid_months = forms.IntegerField(
        label=_("Valid for (months)"),
        min_value=1,
        max_value=60,
        initial=6,
        help_text=_("Counted from the day you sell it."),
        error_messages={
            "required": _("Enter how many months the package is valid."),
            "invalid": _("Enter a whole number of months, such as 6."),
            "min_value": _("A package is valid for at least 1 month."),
            "max_value": _("A package is valid for at most 60 months."),
        },
    )

    def __init__(self, *args, lengths: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].choices = [
            (minutes, _("%(minutes)s minutes") % {"minutes": minutes}) for minutes in lengths
        ]


class SellForm(forms.Form):
    submit_label = _("Record the sale")
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=None,
        error_messages={
            "required": _("Choose the client who bought the package."),
            "invalid_choice": _("Choose one of your clients."),
        },
    )
    package = forms.ModelChoiceField(
        label=_("Package"),
        queryset=None,
        error_messages={
            "required": _("Choose the package sold."),
            "invalid_choice": _("Choose one of your packages on sale."),
        },
    )
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=PAID_BY_HAND,  # a package is not paid with a package credit
        initial=Payment.Method.CASH,
        error_messages={
            "required": _("Choose how it was paid."),
            "invalid_choice": _("Choose one of the ways listed."),
        },
    )
    sold_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The package is valid from this day."),
        error_messages={
            "required": _("Enter the date you received the payment."),
            "invalid": _("Enter a date such as 2026-11-30."),
        },
    )

    def __init__(self, *args, clients, packages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["client"].label_from_instance = lambda user: user.full_name or user.email
        self.fields["package"].queryset = packages
        self.fields["package"].label_from_instance = package_label

    def clean_sold_on(self):
        """A practice's own years (as its report's), so no expiry runs past the calendar."""
        day = self.cleaned_data["sold_on"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date in the years %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="out_of_range",
            )
        return day


def package_label(package: Package) -> str:
    return ngettext(
        "%(name)s: %(sessions)s × %(minutes)s minutes, %(price)s, valid %(months)s month",
        "%(name)s: %(sessions)s × %(minutes)s minutes, %(price)s, valid %(months)s months",
        package.valid_months,
    ) % {
        "name": package.name,
        "sessions": package.sessions,
        "minutes": package.minutes,
        "price": package.price,
        "months": package.valid_months,
    }


class PolicyForm(forms.Form):
    submit_label = _("Save")
    when_no_credit = forms.ChoiceField(
        label=_("When a client's package has no credit left"),
        choices=PackagePolicy.WhenNoCredit.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what happens when no credit is left."),
            "invalid_choice": _("Choose one of the two options."),
        },
    )
