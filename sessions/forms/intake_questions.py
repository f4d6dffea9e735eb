"""The health intake's questions: a Django form that is also the schema of the `answers` an
IntakeForm version stores (sessions.intake reads, compares and writes them)."""

from dataclasses import dataclass
from datetime import date, timedelta

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from reflexbook.lib.text import single_line
from sessions.reflex_map import PART_CHOICE_NAMES
from sessions.safety import LOCATED_YES_NO, ZONED, age_on, is_minor, locations_key, zones_key

MAX_PREGNANCY_WEEKS = 42

YES_NO = [(True, gettext_lazy("Yes")), (False, gettext_lazy("No"))]
LOCATIONS = [
    ("left_foot", gettext_lazy("Left foot")),
    ("right_foot", gettext_lazy("Right foot")),
    ("left_hand", gettext_lazy("Left hand")),
    ("right_hand", gettext_lazy("Right hand")),
]
# Where on a foot or hand an area to avoid is (sessions.safety.places_in reads them).
ZONE_GROUPS = {"foot": gettext_lazy("On a foot:"), "hand": gettext_lazy("On a hand:")}
ZONE_CHOICES = [
    (
        ZONE_GROUPS[map_name],
        [(f"{map_name}:{part}", name) for part, name in PART_CHOICE_NAMES[map_name].items()],
    )
    for map_name in ("foot", "hand")
]
# What a client may hope for from a session: relaxation and wellbeing, never a condition to
# treat (reflexology does not treat; see reflexology.md on claims).
GOALS = [
    ("relaxation", gettext_lazy("Relaxation")),
    ("sleep", gettext_lazy("Rest and sleep")),
    ("tension", gettext_lazy("Easing tension")),
    ("mood", gettext_lazy("Mood")),
    ("wellbeing", gettext_lazy("General wellbeing")),
    ("other", gettext_lazy("Something else")),
]
# Goals and questions of earlier intake versions, no longer asked: signed versions keep them,
# and they are still read back in words (sessions.intake.display_value, readable_answers).
LEGACY_GOALS = {
    "stress": gettext_lazy("Stress"),
    "anxiety": gettext_lazy("Anxiety"),
    "pain": gettext_lazy("Pain"),
    "digestion": gettext_lazy("Digestion"),
    "headaches": gettext_lazy("Headaches"),
    "pregnancy_support": gettext_lazy("Pregnancy support"),
}
# name: (section heading, as in IntakeQuestions.SECTIONS, label)
LEGACY_QUESTIONS = {
    "pain_site": ("Your goals", gettext_lazy("If pain: where is it?")),
    "pain_rating": (
        "Your goals",
        gettext_lazy("If pain: how bad is it, from 0 (none) to 10 (worst)?"),
    ),
    # Asked fresh when booking now (sessions.safety.ASKED_EACH_SESSION), not on the form.
    "acute_illness": (
        "Other health points",
        gettext_lazy("Do you have a fever, infection or another illness right now?"),
    ),
    "acute_illness_details": ("Other health points", gettext_lazy("If yes: what is it?")),
}
PREGNANCY = [
    ("not_pregnant", gettext_lazy("Not pregnant")),
    ("pregnant", gettext_lazy("Pregnant")),
    ("trying", gettext_lazy("Trying to conceive")),
    ("ivf_cycle", gettext_lazy("In an IVF or fertility-treatment cycle now")),
]
PREGNANCY_COMPLICATIONS = [
    ("bleeding", gettext_lazy("Bleeding in this pregnancy")),
    ("pre_eclampsia", gettext_lazy("Pre-eclampsia or high blood pressure in pregnancy")),
    ("placenta_praevia", gettext_lazy("Placenta praevia (low-lying placenta)")),
    ("preterm_labour", gettext_lazy("Risk of pre-term (early) labour")),
    ("pain", gettext_lazy("Pain in this pregnancy (in the tummy, back or pelvis)")),
    ("past_miscarriage", gettext_lazy("A past miscarriage")),
    ("high_risk", gettext_lazy("My midwife or doctor has called this a high-risk pregnancy")),
]
BLOOD_PRESSURE = [
    ("normal", pgettext_lazy("blood pressure", "Normal")),
    ("high", pgettext_lazy("blood pressure", "High")),
    ("low", pgettext_lazy("blood pressure", "Low")),
    ("unknown", gettext_lazy("I don't know")),
]
DIABETES = [
    ("no", gettext_lazy("No")),
    ("controlled", gettext_lazy("Yes, well controlled")),
    ("uncontrolled", gettext_lazy("Yes, not well controlled")),
]
CANCER = [
    ("no", gettext_lazy("No")),
    ("past", gettext_lazy("In the past (treatment finished)")),
    ("current", gettext_lazy("Yes, now")),
]
PRESSURE = [
    ("light", pgettext_lazy("massage pressure", "Light")),
    ("medium", pgettext_lazy("massage pressure", "Medium")),
    ("firm", pgettext_lazy("massage pressure", "Firm")),
    ("no_preference", gettext_lazy("No preference")),
]
CONVERSATION = [
    ("quiet", gettext_lazy("Quiet")),
    ("talk", gettext_lazy("Happy to talk")),
    ("either", pgettext_lazy("quiet or talk", "Either")),
]
SKIN_PRODUCT = [
    ("oil", gettext_lazy("Oil")),
    ("cream", gettext_lazy("Cream or lotion")),
    ("none", gettext_lazy("Nothing on my skin (no oils, creams or scented products)")),
    ("no_preference", gettext_lazy("No preference")),
]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A required Yes/No question stored as a boolean."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Answer yes or no.")},
    )


def _where(label: str) -> forms.MultipleChoiceField:
    """Which feet or hands a condition affects; none ticked means none."""
    return forms.MultipleChoiceField(
        label=label,
        choices=LOCATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick where, or leave empty if you have none."),
    )


def _where_if_yes(label: str) -> forms.MultipleChoiceField:
    """Which feet or hands the "yes" just above concerns; none ticked means none of them."""
    return forms.MultipleChoiceField(
        label=label,
        choices=LOCATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick each one, or leave empty if it is elsewhere."),
    )


def _zones(label: str) -> forms.MultipleChoiceField:
    """Where on the feet or hands ticked just above; asked so the practitioner avoids only
    that part."""
    return forms.MultipleChoiceField(
        label=label,
        choices=ZONE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "If you ticked a foot or hand above: tick each part, so your practitioner "
            "can work the rest of it. Not sure? Tick the whole foot or hand."
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose parts from the list.")},
    )


def _text(
    label: str,
    help_text: str = "",
    *,
    required: str = "",
    rows: int = 0,
    max_length: int | None = None,
) -> forms.CharField:
    """A text answer; `required` is the message shown when a required one is left empty."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required),
        widget=widget,
        max_length=max_length or (1000 if rows else 200),
        validators=[] if rows else [single_line],
        error_messages={
            "required": required,
            "max_length": gettext_lazy("Keep this answer to %(limit_value)d characters or fewer."),
        },
    )


def _choice(label: str, choices, help_text: str = "", *, required: bool = True):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the options.")},
    )


class IntakeQuestions(forms.Form):
    """Every question of the health intake. The cleaned data, with dates as ISO strings, is
    what an IntakeForm version stores as `answers` (see `answers_from`)."""

    # --- About you ---
    date_of_birth = forms.DateField(
        label=gettext_lazy("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": gettext_lazy("Enter your date of birth."),
            "invalid": gettext_lazy("Enter your date of birth as a date, such as 1990-04-21."),
        },
    )
    phone = _text(
        gettext_lazy("Phone"), required=gettext_lazy("Enter your phone number."), max_length=32
    )
    guardian_name = _text(
        gettext_lazy("Parent or guardian's full name"),
        gettext_lazy("Only if you are under 18: a parent or guardian must agree to the sessions."),
    )
    guardian_consent = forms.BooleanField(
        label=gettext_lazy(
            "I am the parent or guardian of this client and I agree to reflexology sessions "
            "for them."
        ),
        required=False,
    )
    emergency_name = _text(
        gettext_lazy("Emergency contact's name"),
        required=gettext_lazy("Enter the name of someone we can call in an emergency."),
    )
    emergency_phone = _text(
        gettext_lazy("Emergency contact's phone"),
        required=gettext_lazy("Enter your emergency contact's phone number."),
        max_length=32,
    )
    emergency_relationship = _text(
        gettext_lazy("Their relationship to you"), gettext_lazy("For example: partner, parent.")
    )
    physician_name = _text(gettext_lazy("Your doctor or midwife (optional)"))
    physician_phone = _text(gettext_lazy("Their phone (optional)"), max_length=32)

    # --- Goals ---
    goals = forms.MultipleChoiceField(
        label=gettext_lazy("What would you like from reflexology?"),
        choices=GOALS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one reason for coming.")},
    )
    goals_other = _text(gettext_lazy("If something else: what?"))
    reflexology_before = _yes_no(gettext_lazy("Have you had reflexology before?"))

    # --- Pregnancy ---
    pregnancy = _choice(gettext_lazy("Are you pregnant?"), PREGNANCY)
    pregnancy_weeks = forms.IntegerField(
        label=gettext_lazy("If pregnant: how many weeks?"),
        help_text=gettext_lazy("Give the weeks or your due date (or both)."),
        required=False,
        min_value=1,
        max_value=MAX_PREGNANCY_WEEKS,
        error_messages={
            "min_value": gettext_lazy("Enter the weeks of pregnancy as a number from 1 to 42."),
            "max_value": gettext_lazy("Enter the weeks of pregnancy as a number from 1 to 42."),
            "invalid": gettext_lazy("Enter the weeks of pregnancy as a whole number, such as 16."),
        },
    )
    due_date = forms.DateField(
        label=gettext_lazy("If pregnant: due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": gettext_lazy("Enter your due date as a date, such as 2027-03-14.")
        },
    )
    pregnancy_complications = forms.MultipleChoiceField(
        label=gettext_lazy("If pregnant: has any of these applied to you?"),
        choices=PREGNANCY_COMPLICATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty if none."),
    )
    midwife_aware = forms.TypedChoiceField(
        label=gettext_lazy(
            "If pregnant: does your midwife or doctor know you are having reflexology?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "True",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    # --- Oils and skin ---
    oil_sensitivity = _yes_no(
        gettext_lazy("Are you sensitive or allergic to essential oils or fragrance?"),
        gettext_lazy("Including scented creams, perfume or aromatherapy oils."),
    )
    oil_sensitivity_details = _text(
        gettext_lazy("If yes: which ones, and what happens?"),
        gettext_lazy(
            "Name each oil, for example lavender: your practitioner will avoid it and oils of the "
            "same plant family. If you react to fragrance or oils in general, say so: then no "
            "oils or scented products are used. To have nothing on your skin at all, choose "
            "“Nothing on my skin” under your preferences."
        ),
        rows=2,
    )
    nut_allergy = _yes_no(
        gettext_lazy("Are you allergic to nuts or nut oils?"),
        gettext_lazy(
            "Some massage oils are made from nuts, such as sweet almond or macadamia oil."
        ),
    )
    nut_allergy_details = _text(gettext_lazy("If yes: which nuts, and what happens?"), rows=2)
    cream_reaction = _yes_no(gettext_lazy("Have you reacted to a cream or lotion?"))
    cream_reaction_details = _text(gettext_lazy("If yes: which one?"))
    latex_allergy = _yes_no(gettext_lazy("Are you allergic to latex (for example latex gloves)?"))
    overstimulation = _yes_no(
        gettext_lazy("Do you get easily overstimulated or tired by bodywork?"),
        gettext_lazy("For example with fatigue, migraine or fibromyalgia."),
    )

    # --- Circulation ---
    dvt_current = _yes_no(
        gettext_lazy(
            "Do you have a blood clot now (DVT, thrombosis or embolism), or suspect you do?"
        )
    )
    dvt_past = _yes_no(gettext_lazy("Have you had a blood clot (DVT or embolism) in the past?"))
    clotting_disorder = _yes_no(gettext_lazy("Do you have a clotting (blood) disorder?"))
    blood_thinners = _yes_no(gettext_lazy("Do you take blood thinners (anticoagulants)?"))
    varicose_veins = _yes_no(gettext_lazy("Do you have varicose veins?"))
    varicose_veins_locations = _where_if_yes(gettext_lazy("If yes: are any on your feet or hands?"))
    varicose_veins_zones = _zones(gettext_lazy("Where on them are the varicose veins?"))
    phlebitis = _yes_no(
        gettext_lazy("Do you have phlebitis now?"),
        gettext_lazy("A vein that is inflamed: red, warm, tender or hard."),
    )
    swollen_ankles = _yes_no(gettext_lazy("Do your ankles or feet often swell?"))
    leg_swelling = _yes_no(
        gettext_lazy("Is one of your legs or ankles swollen, with swelling that is new or painful?")
    )
    blood_pressure = _choice(gettext_lazy("Your blood pressure"), BLOOD_PRESSURE)
    heart_condition = _yes_no(gettext_lazy("Do you have a heart condition?"))
    pacemaker = _yes_no(gettext_lazy("Do you have a pacemaker or another implanted device?"))
    chest_pain = _yes_no(gettext_lazy("Do you have chest pain or breathlessness now?"))
    circulation_details = _text(
        gettext_lazy("Anything else about your circulation or heart?"), rows=2
    )

    # --- Diabetes, epilepsy and cancer ---
    diabetes = _choice(gettext_lazy("Do you have diabetes?"), DIABETES)
    neuropathy = _yes_no(
        gettext_lazy("Do you have numbness or reduced feeling in your feet or hands?")
    )
    foot_ulcers = _yes_no(gettext_lazy("Do you have ulcers on your feet or legs?"))
    foot_ulcers_where = _text(
        gettext_lazy("If yes: where are they?"),
        gettext_lazy("For example: left heel, right big toe, front of the left shin."),
    )
    epilepsy = _yes_no(gettext_lazy("Do you have epilepsy?"))
    epilepsy_details = _text(
        gettext_lazy("If yes: when was your last seizure, and what triggers them?")
    )
    cancer = _choice(gettext_lazy("Have you had cancer?"), CANCER)
    cancer_treatment = forms.TypedChoiceField(
        label=gettext_lazy(
            "If now: are you having treatment (chemotherapy, radiotherapy, surgery)?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "True",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    lymph_nodes_removed = _yes_no(gettext_lazy("Have you had lymph nodes removed?"))
    cancer_details = _text(
        gettext_lazy("Anything your practitioner should know?"),
        gettext_lazy(
            "For example: treatment dates, lymph nodes removed, whether your care team knows."
        ),
        rows=2,
    )

    # --- Feet and hands ---
    verruca = _where(gettext_lazy("Verruca (plantar wart)"))
    verruca_zones = _zones(gettext_lazy("Where is the verruca?"))
    athletes_foot = _where(gettext_lazy("Athlete's foot"))
    athletes_foot_zones = _zones(gettext_lazy("Where is the athlete's foot?"))
    fungal_nails = _where(gettext_lazy("Fungal nail infection"))
    wound = _where(gettext_lazy("Cuts, open wounds or broken skin"))
    wound_zones = _zones(gettext_lazy("Where are the cuts, wounds or broken skin?"))
    gout = _where(gettext_lazy("Gout that is active now"))
    injury = _where(gettext_lazy("A fracture, sprain or surgery in the last 6 months"))
    injury_zones = _zones(gettext_lazy("Where was the fracture, sprain or surgery?"))
    injury_details = _text(gettext_lazy("If so: what, and when?"))
    no_touch_areas = _text(
        gettext_lazy("Any areas you do not want touched?"),
        gettext_lazy("For example: ticklish spots, a painful joint, a bruise."),
    )

    # --- Other health points ---
    recent_surgery = _yes_no(gettext_lazy("Have you had surgery of any kind in the last 6 weeks?"))
    surgery_details = _text(gettext_lazy("If yes: what, and when?"))
    recent_surgery_locations = _where_if_yes(gettext_lazy("If yes: was it on a foot or a hand?"))
    recent_surgery_zones = _zones(gettext_lazy("Where on it was the surgery?"))
    unexplained_pain_or_lump = _yes_no(
        gettext_lazy("Do you have pain or a lump that a doctor has not checked yet?")
    )
    unexplained_details = _text(gettext_lazy("If yes: where? (optional)"))
    osteoporosis = _yes_no(gettext_lazy("Do you have osteoporosis (thinning bones)?"))
    stones = _yes_no(gettext_lazy("Do you have gallstones or kidney stones?"))
    mental_health = _yes_no(
        gettext_lazy(
            "Do you live with a mental-health condition you would like your practitioner to know "
            "about?"
        ),
        gettext_lazy(
            "For example anxiety, depression or PTSD. Your practitioner asks only to make the "
            "session comfortable for you."
        ),
    )
    mental_health_details = _text(
        gettext_lazy("If you like: what helps you feel at ease in a session? (optional)"), rows=2
    )
    frail = _yes_no(
        gettext_lazy("Would you describe yourself as frail?"),
        gettext_lazy(
            "For example if you tire easily, have fallen recently or find it hard to get up."
        ),
    )

    # --- Medications ---
    medications = _text(
        gettext_lazy("Medications and supplements you take"),
        gettext_lazy("Names are enough. Write 'none' if you take none."),
        required=gettext_lazy("List your medications and supplements, or write 'none'."),
        rows=3,
    )

    # --- Preferences ---
    pressure = _choice(gettext_lazy("Pressure you prefer"), PRESSURE)
    conversation = _choice(gettext_lazy("During the session"), CONVERSATION)
    skin_product = _choice(gettext_lazy("On your skin"), SKIN_PRODUCT)

    # The fieldsets, in order: the page layout and the readable answers both follow them.
    SECTIONS = [
        (
            gettext_noop("About you"),
            [
                "date_of_birth",
                "phone",
                "guardian_name",
                "guardian_consent",
                "emergency_name",
                "emergency_phone",
                "emergency_relationship",
                "physician_name",
                "physician_phone",
            ],
        ),
        (gettext_noop("Your goals"), ["goals", "goals_other", "reflexology_before"]),
        (
            gettext_noop("Pregnancy"),
            [
                "pregnancy",
                "pregnancy_weeks",
                "due_date",
                "pregnancy_complications",
                "midwife_aware",
            ],
        ),
        (
            gettext_noop("Oils, skin and sensitivities"),
            [
                "oil_sensitivity",
                "oil_sensitivity_details",
                "nut_allergy",
                "nut_allergy_details",
                "cream_reaction",
                "cream_reaction_details",
                "latex_allergy",
                "overstimulation",
            ],
        ),
        (
            gettext_noop("Circulation and heart"),
            [
                "dvt_current",
                "dvt_past",
                "clotting_disorder",
                "blood_thinners",
                "varicose_veins",
                "varicose_veins_locations",
                "varicose_veins_zones",
                "phlebitis",
                "swollen_ankles",
                "leg_swelling",
                "blood_pressure",
                "heart_condition",
                "pacemaker",
                "chest_pain",
                "circulation_details",
            ],
        ),
        (
            gettext_noop("Diabetes, epilepsy and cancer"),
            [
                "diabetes",
                "neuropathy",
                "foot_ulcers",
                "foot_ulcers_where",
                "epilepsy",
                "epilepsy_details",
                "cancer",
                "cancer_treatment",
                "lymph_nodes_removed",
                "cancer_details",
            ],
        ),
        (
            gettext_noop("Feet and hands"),
            [
                "verruca",
                "verruca_zones",
                "athletes_foot",
                "athletes_foot_zones",
                "fungal_nails",
                "wound",
                "wound_zones",
                "gout",
                "injury",
                "injury_zones",
                "injury_details",
                "no_touch_areas",
            ],
        ),
        (
            gettext_noop("Other health points"),
            [
                "recent_surgery",
                "surgery_details",
                "recent_surgery_locations",
                "recent_surgery_zones",
                "unexplained_pain_or_lump",
                "unexplained_details",
                "osteoporosis",
                "stones",
                "mental_health",
                "mental_health_details",
                "frail",
            ],
        ),
        (gettext_noop("Medications"), ["medications"]),
        (gettext_noop("Your preferences"), ["pressure", "conversation", "skin_product"]),
    ]

    def __init__(self, *args, today: date | None = None, only: list[str] | None = None, **kwargs):
        """`only`: ask just these questions (one step of the form in steps, see STEPS); the
        rules between answers apply when the question they need is asked too."""
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if only is not None:
            for name in set(self.fields) - set(only):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(
                Fieldset(
                    f'<h2 class="h4 mb-0">{escape(_(heading))}</h2>',
                    *(self._layout_item(name) for name in names if name in self.fields),
                    css_class="rb-intake-section",
                )
                for heading, names in self.SECTIONS
                if any(name in self.fields for name in names)
            )
        )

    def _layout_item(self, name: str):
        """Short option lists (yes/no, which foot or hand) sit on one line."""
        field = self.fields[name]
        if isinstance(field.widget, forms.RadioSelect) and len(field.choices) <= 4:
            return InlineRadios(name)
        if isinstance(field.widget, forms.CheckboxSelectMultiple) and field.choices in (
            LOCATIONS,
            ZONE_CHOICES,
        ):
            return InlineCheckboxes(name)
        return name

    def _require(self, field: str, message: str, code: str) -> None:
        if field not in self.fields:
            return  # not asked on this step
        if self.cleaned_data.get(field) in (None, "", []) and field not in self.errors:
            self.add_error(field, ValidationError(message, code=code))

    def _check_zones(self, name: str, cleaned: dict) -> None:
        """Each foot or hand ticked for `name` has a part of it named, and each part named
        is on a foot or hand ticked."""
        zones, locations = zones_key(name), locations_key(name)
        if {zones, locations} - set(self.fields) or {zones, locations} & set(self.errors):
            return
        ticked = {location.partition("_")[2] for location in cleaned.get(locations) or []}
        named = {zone.partition(":")[0] for zone in cleaned.get(zones) or []}
        # One sentence per map: "foot" and "hand" are not words to put into another sentence.
        zone_required = {
            "foot": _("You ticked a foot: tick where on it, or “The whole foot, or not sure”."),
            "hand": _("You ticked a hand: tick where on it, or “The whole hand, or not sure”."),
        }
        zone_without_place = {
            "foot": _(
                "You ticked a part of a foot but no foot above: tick which foot, or untick the "
                "part."
            ),
            "hand": _(
                "You ticked a part of a hand but no hand above: tick which hand, or untick the "
                "part."
            ),
        }
        for map_name in sorted(ticked - named):
            self.add_error(
                zones,
                ValidationError(
                    zone_required[map_name], code="zone_required", params={"map": map_name}
                ),
            )
        for map_name in sorted(named - ticked):
            self.add_error(
                zones,
                ValidationError(
                    zone_without_place[map_name],
                    code="zone_without_place",
                    params={"map": map_name},
                ),
            )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise ValidationError(
                _("Your date of birth cannot be in the future. Check the year."),
                code="born_in_future",
            )
        if born < self.today.replace(year=self.today.year - 120):
            raise ValidationError(
                _("Check the year of your date of birth: it is more than 120 years ago."),
                code="born_too_long_ago",
            )
        return born

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is None:
            return due
        if due < self.today:
            raise ValidationError(
                _(
                    "Your due date is in the past. Enter the date your baby is due, or the weeks "
                    "of pregnancy instead."
                ),
                code="due_date_past",
            )
        if due > self.today + timedelta(weeks=MAX_PREGNANCY_WEEKS):
            raise ValidationError(
                _("Your due date is more than 42 weeks away. Check the year."),
                code="due_date_too_far",
            )
        return due

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        if born and is_minor(age_on(born, self.today)):
            self._require(
                "guardian_name",
                _("You are under 18: enter the full name of your parent or guardian."),
                "guardian_name_required",
            )
            if not cleaned.get("guardian_consent"):
                self.add_error(
                    "guardian_consent",
                    ValidationError(
                        _("You are under 18: your parent or guardian must tick this box."),
                        code="guardian_consent_required",
                    ),
                )
        if "other" in (cleaned.get("goals") or []):
            self._require(
                "goals_other",
                _("You ticked something else: say what you would like from reflexology."),
                "goals_other_required",
            )
        if cleaned.get("pregnancy") == "pregnant":
            if (
                "pregnancy_weeks" in self.fields
                and cleaned.get("pregnancy_weeks") is None
                and cleaned.get("due_date") is None
                and "pregnancy_weeks" not in self.errors
                and "due_date" not in self.errors
            ):
                self.add_error(
                    "pregnancy_weeks",
                    ValidationError(
                        _("You are pregnant: enter how many weeks, or your due date."),
                        code="pregnancy_weeks_or_due_date_required",
                    ),
                )
            self._require(
                "midwife_aware",
                _("You are pregnant: say whether your midwife or doctor knows."),
                "midwife_aware_required",
            )
        if cleaned.get("oil_sensitivity"):
            self._require(
                "oil_sensitivity_details",
                _(
                    "Say which oils or fragrances, and what happens, so your practitioner can "
                    "avoid them."
                ),
                "oil_details_required",
            )
        if cleaned.get("cancer") == "current":
            self._require(
                "cancer_treatment",
                _("Say whether you are having cancer treatment now."),
                "cancer_treatment_required",
            )
        if cleaned.get("injury"):
            self._require(
                "injury_details",
                _("Say what the fracture, sprain or surgery was, and when."),
                "injury_details_required",
            )
        for name in LOCATED_YES_NO:
            if cleaned.get(name) is False and cleaned.get(locations_key(name)):
                self.add_error(
                    locations_key(name),
                    ValidationError(
                        _("You answered no just above: untick the feet and hands, or answer yes."),
                        code="located_without_yes",
                    ),
                )
        for name in ZONED:
            self._check_zones(name, cleaned)
        if cleaned.get("foot_ulcers"):
            self._require(
                "foot_ulcers_where",
                _("Say where the ulcers are, so your practitioner can avoid them."),
                "foot_ulcers_where_required",
            )
        if cleaned.get("recent_surgery"):
            self._require(
                "surgery_details",
                _("Say what the surgery was, and when."),
                "surgery_details_required",
            )
        return cleaned


@dataclass(frozen=True)
class Step:
    """One page of the health form in steps: the SECTIONS it asks (none for the consent and
    signature), under the stage of the form it belongs to."""

    slug: str
    title: str
    stage: str
    sections: tuple[str, ...] = ()

    @property
    def fields(self) -> list[str]:
        """The questions this step asks, in order."""
        by_heading = dict(IntakeQuestions.SECTIONS)
        return [name for heading in self.sections for name in by_heading[heading]]


ABOUT_YOU_STEP = "about-you"
PREGNANCY_STEP = "pregnancy"
CONSENT_STEP = "consent"
# The pregnancy questions asked only once "pregnant" is answered.
PREGNANCY_FOLLOW_UPS = ["pregnancy_weeks", "due_date", "pregnancy_complications", "midwife_aware"]
# The form in steps, in order: about you, pregnancy, skin, oils and allergies, conditions and
# medication, consent. A stage longer than about two phone screens is split into pages; every
# section of SECTIONS is on exactly one step.
STEPS = [
    Step(
        ABOUT_YOU_STEP,
        gettext_lazy("About you"),
        gettext_lazy("About you"),
        ("About you", "Your goals"),
    ),
    Step(PREGNANCY_STEP, gettext_lazy("Pregnancy"), gettext_lazy("Pregnancy"), ("Pregnancy",)),
    Step(
        "oils",
        gettext_lazy("Oils, creams and allergies"),
        gettext_lazy("Skin, oils and allergies"),
        ("Oils, skin and sensitivities", "Your preferences"),
    ),
    Step(
        "feet",
        gettext_lazy("Feet and hands"),
        gettext_lazy("Skin, oils and allergies"),
        ("Feet and hands",),
    ),
    Step(
        "circulation",
        gettext_lazy("Circulation and heart"),
        gettext_lazy("Conditions and medication"),
        ("Circulation and heart",),
    ),
    Step(
        "conditions",
        gettext_lazy("Diabetes, epilepsy and cancer"),
        gettext_lazy("Conditions and medication"),
        ("Diabetes, epilepsy and cancer",),
    ),
    Step(
        "medication",
        gettext_lazy("Other health points and medication"),
        gettext_lazy("Conditions and medication"),
        ("Other health points", "Medications"),
    ),
    Step(
        CONSENT_STEP,
        gettext_lazy("Consent and signature"),
        gettext_lazy("Consent and signature"),
    ),
]
