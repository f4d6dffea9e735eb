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

from reflexbook.lib.text import single_line
from sessions.reflex_map import PART_CHOICE_NAMES
from sessions.safety import LOCATED_YES_NO, ZONED, age_on, is_minor, locations_key, zones_key

MAX_PREGNANCY_WEEKS = 42

YES_NO = [(True, "Yes"), (False, "No")]
LOCATIONS = [
    ("left_foot", "Left foot"),
    ("right_foot", "Right foot"),
    ("left_hand", "Left hand"),
    ("right_hand", "Right hand"),
]
# Where on a foot or hand an area to avoid is (sessions.safety.places_in reads them).
ZONE_CHOICES = [
    (
        f"On a {map_name}:",
        [(f"{map_name}:{part}", name) for part, name in PART_CHOICE_NAMES[map_name].items()],
    )
    for map_name in ("foot", "hand")
]
# What a client may hope for from a session: relaxation and wellbeing, never a condition to
# treat (reflexology does not treat; see reflexology.md on claims).
GOALS = [
    ("relaxation", "Relaxation"),
    ("sleep", "Rest and sleep"),
    ("tension", "Easing tension"),
    ("mood", "Mood"),
    ("wellbeing", "General wellbeing"),
    ("other", "Something else"),
]
# Goals and questions of earlier intake versions, no longer asked: signed versions keep them,
# and they are still read back in words (sessions.intake.display_value, readable_answers).
LEGACY_GOALS = {
    "stress": "Stress",
    "anxiety": "Anxiety",
    "pain": "Pain",
    "digestion": "Digestion",
    "headaches": "Headaches",
    "pregnancy_support": "Pregnancy support",
}
# name: (section heading, label)
LEGACY_QUESTIONS = {
    "pain_site": ("Your goals", "If pain: where is it?"),
    "pain_rating": ("Your goals", "If pain: how bad is it, from 0 (none) to 10 (worst)?"),
    # Asked fresh when booking now (sessions.safety.ASKED_EACH_SESSION), not on the form.
    "acute_illness": (
        "Other health points",
        "Do you have a fever, infection or another illness right now?",
    ),
    "acute_illness_details": ("Other health points", "If yes: what is it?"),
}
PREGNANCY = [
    ("not_pregnant", "Not pregnant"),
    ("pregnant", "Pregnant"),
    ("trying", "Trying to conceive"),
    ("ivf_cycle", "In an IVF or fertility-treatment cycle now"),
]
PREGNANCY_COMPLICATIONS = [
    ("bleeding", "Bleeding in this pregnancy"),
    ("pre_eclampsia", "Pre-eclampsia or high blood pressure in pregnancy"),
    ("placenta_praevia", "Placenta praevia (low-lying placenta)"),
    ("preterm_labour", "Risk of pre-term (early) labour"),
    ("pain", "Pain in this pregnancy (in the tummy, back or pelvis)"),
    ("past_miscarriage", "A past miscarriage"),
    ("high_risk", "My midwife or doctor has called this a high-risk pregnancy"),
]
BLOOD_PRESSURE = [
    ("normal", "Normal"),
    ("high", "High"),
    ("low", "Low"),
    ("unknown", "I don't know"),
]
DIABETES = [
    ("no", "No"),
    ("controlled", "Yes, well controlled"),
    ("uncontrolled", "Yes, not well controlled"),
]
CANCER = [
    ("no", "No"),
    ("past", "In the past (treatment finished)"),
    ("current", "Yes, now"),
]
PRESSURE = [
    ("light", "Light"),
    ("medium", "Medium"),
    ("firm", "Firm"),
    ("no_preference", "No preference"),
]
CONVERSATION = [("quiet", "Quiet"), ("talk", "Happy to talk"), ("either", "Either")]
SKIN_PRODUCT = [
    ("oil", "Oil"),
    ("cream", "Cream or lotion"),
    ("none", "Nothing on my skin (no oils, creams or scented products)"),
    ("no_preference", "No preference"),
]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    """A required Yes/No question stored as a boolean."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Answer yes or no."},
    )


def _where(label: str) -> forms.MultipleChoiceField:
    """Which feet or hands a condition affects; none ticked means none."""
    return forms.MultipleChoiceField(
        label=label,
        choices=LOCATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick where, or leave empty if you have none.",
    )


def _where_if_yes(label: str) -> forms.MultipleChoiceField:
    """Which feet or hands the "yes" just above concerns; none ticked means none of them."""
    return forms.MultipleChoiceField(
        label=label,
        choices=LOCATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each one, or leave empty if it is elsewhere.",
    )


def _zones(label: str) -> forms.MultipleChoiceField:
    """Where on the feet or hands ticked just above; asked so the practitioner avoids only
    that part."""
    return forms.MultipleChoiceField(
        label=label,
        choices=ZONE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="If you ticked a foot or hand above: tick each part, so your practitioner "
        "can work the rest of it. Not sure? Tick the whole foot or hand.",
        error_messages={"invalid_choice": "Choose parts from the list."},
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
            "max_length": "Keep this answer to %(limit_value)d characters or fewer.",
        },
    )


def _choice(label: str, choices, help_text: str = "", *, required: bool = True):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the options."},
    )


class IntakeQuestions(forms.Form):
    """Every question of the health intake. The cleaned data, with dates as ISO strings, is
    what an IntakeForm version stores as `answers` (see `answers_from`)."""

    # --- About you ---
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as a date, such as 1990-04-21.",
        },
    )
    phone = _text("Phone", required="Enter your phone number.", max_length=32)
    guardian_name = _text(
        "Parent or guardian's full name",
        "Only if you are under 18: a parent or guardian must agree to the sessions.",
    )
    guardian_consent = forms.BooleanField(
        label="I am the parent or guardian of this client and I agree to reflexology sessions "
        "for them.",
        required=False,
    )
    emergency_name = _text(
        "Emergency contact's name",
        required="Enter the name of someone we can call in an emergency.",
    )
    emergency_phone = _text(
        "Emergency contact's phone",
        required="Enter your emergency contact's phone number.",
        max_length=32,
    )
    emergency_relationship = _text("Their relationship to you", "For example: partner, parent.")
    physician_name = _text("Your doctor or midwife (optional)")
    physician_phone = _text("Their phone (optional)", max_length=32)

    # --- Goals ---
    goals = forms.MultipleChoiceField(
        label="What would you like from reflexology?",
        choices=GOALS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one reason for coming."},
    )
    goals_other = _text("If something else: what?")
    reflexology_before = _yes_no("Have you had reflexology before?")

    # --- Pregnancy ---
    pregnancy = _choice("Are you pregnant?", PREGNANCY)
    pregnancy_weeks = forms.IntegerField(
        label="If pregnant: how many weeks?",
        help_text="Give the weeks or your due date (or both).",
        required=False,
        min_value=1,
        max_value=MAX_PREGNANCY_WEEKS,
        error_messages={
            "min_value": "Enter the weeks of pregnancy as a number from 1 to 42.",
            "max_value": "Enter the weeks of pregnancy as a number from 1 to 42.",
            "invalid": "Enter the weeks of pregnancy as a whole number, such as 16.",
        },
    )
    due_date = forms.DateField(
        label="If pregnant: due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter your due date as a date, such as 2027-03-14."},
    )
    pregnancy_complications = forms.MultipleChoiceField(
        label="If pregnant: has any of these applied to you?",
        choices=PREGNANCY_COMPLICATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty if none.",
    )
    midwife_aware = forms.TypedChoiceField(
        label="If pregnant: does your midwife or doctor know you are having reflexology?",
        choices=YES_NO,
        coerce=lambda value: value == "True",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    # --- Oils and skin ---
    oil_sensitivity = _yes_no(
        "Are you sensitive or allergic to essential oils or fragrance?",
        "Including scented creams, perfume or aromatherapy oils.",
    )
    oil_sensitivity_details = _text(
        "If yes: which ones, and what happens?",
        "Name each oil, for example lavender: your practitioner will avoid it and oils of the "
        "same plant family. If you react to fragrance or oils in general, say so: then no "
        "oils or scented products are used. To have nothing on your skin at all, choose "
        "“Nothing on my skin” under your preferences.",
        rows=2,
    )
    nut_allergy = _yes_no(
        "Are you allergic to nuts or nut oils?",
        "Some massage oils are made from nuts, such as sweet almond or macadamia oil.",
    )
    nut_allergy_details = _text("If yes: which nuts, and what happens?", rows=2)
    cream_reaction = _yes_no("Have you reacted to a cream or lotion?")
    cream_reaction_details = _text("If yes: which one?")
    latex_allergy = _yes_no("Are you allergic to latex (for example latex gloves)?")
    overstimulation = _yes_no(
        "Do you get easily overstimulated or tired by bodywork?",
        "For example with fatigue, migraine or fibromyalgia.",
    )

    # --- Circulation ---
    dvt_current = _yes_no(
        "Do you have a blood clot now (DVT, thrombosis or embolism), or suspect you do?"
    )
    dvt_past = _yes_no("Have you had a blood clot (DVT or embolism) in the past?")
    clotting_disorder = _yes_no("Do you have a clotting (blood) disorder?")
    blood_thinners = _yes_no("Do you take blood thinners (anticoagulants)?")
    varicose_veins = _yes_no("Do you have varicose veins?")
    varicose_veins_locations = _where_if_yes("If yes: are any on your feet or hands?")
    varicose_veins_zones = _zones("Where on them are the varicose veins?")
    phlebitis = _yes_no(
        "Do you have phlebitis now?", "A vein that is inflamed: red, warm, tender or hard."
    )
    swollen_ankles = _yes_no("Do your ankles or feet often swell?")
    leg_swelling = _yes_no(
        "Is one of your legs or ankles swollen, with swelling that is new or painful?"
    )
    blood_pressure = _choice("Your blood pressure", BLOOD_PRESSURE)
    heart_condition = _yes_no("Do you have a heart condition?")
    pacemaker = _yes_no("Do you have a pacemaker or another implanted device?")
    chest_pain = _yes_no("Do you have chest pain or breathlessness now?")
    circulation_details = _text("Anything else about your circulation or heart?", rows=2)

    # --- Diabetes, epilepsy and cancer ---
    diabetes = _choice("Do you have diabetes?", DIABETES)
    neuropathy = _yes_no("Do you have numbness or reduced feeling in your feet or hands?")
    foot_ulcers = _yes_no("Do you have ulcers on your feet or legs?")
    foot_ulcers_where = _text(
        "If yes: where are they?", "For example: left heel, right big toe, front of the left shin."
    )
    epilepsy = _yes_no("Do you have epilepsy?")
    epilepsy_details = _text("If yes: when was your last seizure, and what triggers them?")
    cancer = _choice("Have you had cancer?", CANCER)
    cancer_treatment = forms.TypedChoiceField(
        label="If now: are you having treatment (chemotherapy, radiotherapy, surgery)?",
        choices=YES_NO,
        coerce=lambda value: value == "True",
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    lymph_nodes_removed = _yes_no("Have you had lymph nodes removed?")
    cancer_details = _text(
        "Anything your practitioner should know?",
        "For example: treatment dates, lymph nodes removed, whether your care team knows.",
        rows=2,
    )

    # --- Feet and hands ---
    verruca = _where("Verruca (plantar wart)")
    verruca_zones = _zones("Where is the verruca?")
    athletes_foot = _where("Athlete's foot")
    athletes_foot_zones = _zones("Where is the athlete's foot?")
    fungal_nails = _where("Fungal nail infection")
    wound = _where("Cuts, open wounds or broken skin")
    wound_zones = _zones("Where are the cuts, wounds or broken skin?")
    gout = _where("Gout that is active now")
    injury = _where("A fracture, sprain or surgery in the last 6 months")
    injury_zones = _zones("Where was the fracture, sprain or surgery?")
    injury_details = _text("If so: what, and when?")
    no_touch_areas = _text(
        "Any areas you do not want touched?",
        "For example: ticklish spots, a painful joint, a bruise.",
    )

    # --- Other health points ---
    recent_surgery = _yes_no("Have you had surgery of any kind in the last 6 weeks?")
    surgery_details = _text("If yes: what, and when?")
    recent_surgery_locations = _where_if_yes("If yes: was it on a foot or a hand?")
    recent_surgery_zones = _zones("Where on it was the surgery?")
    unexplained_pain_or_lump = _yes_no(
        "Do you have pain or a lump that a doctor has not checked yet?"
    )
    unexplained_details = _text("If yes: where? (optional)")
    osteoporosis = _yes_no("Do you have osteoporosis (thinning bones)?")
    stones = _yes_no("Do you have gallstones or kidney stones?")
    mental_health = _yes_no(
        "Do you live with a mental-health condition you would like your practitioner to know "
        "about?",
        "For example anxiety, depression or PTSD. Your practitioner asks only to make the "
        "session comfortable for you.",
    )
    mental_health_details = _text(
        "If you like: what helps you feel at ease in a session? (optional)", rows=2
    )
    frail = _yes_no(
        "Would you describe yourself as frail?",
        "For example if you tire easily, have fallen recently or find it hard to get up.",
    )

    # --- Medications ---
    medications = _text(
        "Medications and supplements you take",
        "Names are enough. Write 'none' if you take none.",
        required="List your medications and supplements, or write 'none'.",
        rows=3,
    )

    # --- Preferences ---
    pressure = _choice("Pressure you prefer", PRESSURE)
    conversation = _choice("During the session", CONVERSATION)
    skin_product = _choice("On your skin", SKIN_PRODUCT)

    # The fieldsets, in order: the page layout and the readable answers both follow them.
    SECTIONS = [
        (
            "About you",
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
        ("Your goals", ["goals", "goals_other", "reflexology_before"]),
        (
            "Pregnancy",
            [
                "pregnancy",
                "pregnancy_weeks",
                "due_date",
                "pregnancy_complications",
                "midwife_aware",
            ],
        ),
        (
            "Oils, skin and sensitivities",
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
            "Circulation and heart",
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
            "Diabetes, epilepsy and cancer",
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
            "Feet and hands",
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
            "Other health points",
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
        ("Medications", ["medications"]),
        ("Your preferences", ["pressure", "conversation", "skin_product"]),
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
                    f'<h2 class="h4 mb-0">{heading}</h2>',
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
        for map_name in sorted(ticked - named):
            self.add_error(
                zones,
                ValidationError(
                    "You ticked a %(map)s: tick where on it, or “The whole %(map)s, or not sure”.",
                    code="zone_required",
                    params={"map": map_name},
                ),
            )
        for map_name in sorted(named - ticked):
            self.add_error(
                zones,
                ValidationError(
                    "You ticked a part of a %(map)s but no %(map)s above: tick which %(map)s, "
                    "or untick the part.",
                    code="zone_without_place",
                    params={"map": map_name},
                ),
            )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > self.today:
            raise ValidationError(
                "Your date of birth cannot be in the future. Check the year.",
                code="born_in_future",
            )
        if born < self.today.replace(year=self.today.year - 120):
            raise ValidationError(
                "Check the year of your date of birth: it is more than 120 years ago.",
                code="born_too_long_ago",
            )
        return born

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is None:
            return due
        if due < self.today:
            raise ValidationError(
                "Your due date is in the past. Enter the date your baby is due, or the weeks "
                "of pregnancy instead.",
                code="due_date_past",
            )
        if due > self.today + timedelta(weeks=MAX_PREGNANCY_WEEKS):
            raise ValidationError(
                "Your due date is more than 42 weeks away. Check the year.",
                code="due_date_too_far",
            )
        return due

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        if born and is_minor(age_on(born, self.today)):
            self._require(
                "guardian_name",
                "You are under 18: enter the full name of your parent or guardian.",
                "guardian_name_required",
            )
            if not cleaned.get("guardian_consent"):
                self.add_error(
                    "guardian_consent",
                    ValidationError(
                        "You are under 18: your parent or guardian must tick this box.",
                        code="guardian_consent_required",
                    ),
                )
        if "other" in (cleaned.get("goals") or []):
            self._require(
                "goals_other",
                "You ticked something else: say what you would like from reflexology.",
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
                        "You are pregnant: enter how many weeks, or your due date.",
                        code="pregnancy_weeks_or_due_date_required",
                    ),
                )
            self._require(
                "midwife_aware",
                "You are pregnant: say whether your midwife or doctor knows.",
                "midwife_aware_required",
            )
        if cleaned.get("oil_sensitivity"):
            self._require(
                "oil_sensitivity_details",
                "Say which oils or fragrances, and what happens, so your practitioner can "
                "avoid them.",
                "oil_details_required",
            )
        if cleaned.get("cancer") == "current":
            self._require(
                "cancer_treatment",
                "Say whether you are having cancer treatment now.",
                "cancer_treatment_required",
            )
        if cleaned.get("injury"):
            self._require(
                "injury_details",
                "Say what the fracture, sprain or surgery was, and when.",
                "injury_details_required",
            )
        for name in LOCATED_YES_NO:
            if cleaned.get(name) is False and cleaned.get(locations_key(name)):
                self.add_error(
                    locations_key(name),
                    ValidationError(
                        "You answered no just above: untick the feet and hands, or answer yes.",
                        code="located_without_yes",
                    ),
                )
        for name in ZONED:
            self._check_zones(name, cleaned)
        if cleaned.get("foot_ulcers"):
            self._require(
                "foot_ulcers_where",
                "Say where the ulcers are, so your practitioner can avoid them.",
                "foot_ulcers_where_required",
            )
        if cleaned.get("recent_surgery"):
            self._require(
                "surgery_details",
                "Say what the surgery was, and when.",
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
    Step(ABOUT_YOU_STEP, "About you", "About you", ("About you", "Your goals")),
    Step(PREGNANCY_STEP, "Pregnancy", "Pregnancy", ("Pregnancy",)),
    Step(
        "oils",
        "Oils, creams and allergies",
        "Skin, oils and allergies",
        ("Oils, skin and sensitivities", "Your preferences"),
    ),
    Step("feet", "Feet and hands", "Skin, oils and allergies", ("Feet and hands",)),
    Step(
        "circulation",
        "Circulation and heart",
        "Conditions and medication",
        ("Circulation and heart",),
    ),
    Step(
        "conditions",
        "Diabetes, epilepsy and cancer",
        "Conditions and medication",
        ("Diabetes, epilepsy and cancer",),
    ),
    Step(
        "medication",
        "Other health points and medication",
        "Conditions and medication",
        ("Other health points", "Medications"),
    ),
    Step(CONSENT_STEP, "Consent and signature", "Consent and signature"),
]
