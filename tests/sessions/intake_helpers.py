"""Answer sets for intake tests: a complete form post that raises no flag, and the stored
answers it gives, each with overrides; and a walk through the form in steps."""

from django.urls import resolve, reverse

from sessions.forms.intake_questions import IntakeQuestions
from sessions.intake import answers_from

CONSENT = {
    "consent_complementary": "on",
    "consent_after_effects": "on",
    "consent_truthful": "on",
    "consent_cancellation": "on",
}

FORM_DATA = {
    "date_of_birth": "1985-06-15",
    "phone": "555 123 4567",
    "emergency_name": "Ed Emergency",
    "emergency_phone": "555 987 6543",
    "emergency_relationship": "Partner",
    "physician_name": "Dr Doris Doctor",
    "physician_phone": "555 222 3333",
    "goals": ["relaxation", "sleep"],
    "reflexology_before": "False",
    "pregnancy": "not_pregnant",
    "oil_sensitivity": "False",
    "nut_allergy": "False",
    "cream_reaction": "False",
    "latex_allergy": "False",
    "overstimulation": "False",
    "dvt_current": "False",
    "dvt_past": "False",
    "clotting_disorder": "False",
    "blood_thinners": "False",
    "varicose_veins": "False",
    "phlebitis": "False",
    "swollen_ankles": "False",
    "leg_swelling": "False",
    "blood_pressure": "normal",
    "heart_condition": "False",
    "pacemaker": "False",
    "chest_pain": "False",
    "diabetes": "no",
    "neuropathy": "False",
    "foot_ulcers": "False",
    "epilepsy": "False",
    "cancer": "no",
    "lymph_nodes_removed": "False",
    "recent_surgery": "False",
    "unexplained_pain_or_lump": "False",
    "osteoporosis": "False",
    "stones": "False",
    "mental_health": "False",
    "frail": "False",
    "medications": "Vitamin D supplement",
    "pressure": "medium",
    "conversation": "quiet",
    "skin_product": "cream",
}


def form_data(**overrides) -> dict:
    """A complete, valid POST of the intake questions (no flags), with overrides."""
    return {**FORM_DATA, **overrides}


def post_data(signature: str = "Cara Client", **overrides) -> dict:
    """Every answer of the form in steps: the questions, "could you be pregnant?" (yes),
    consent and signature."""
    return {
        "may_be_pregnant": "True",
        **form_data(**overrides),
        **CONSENT,
        "signature": signature,
    }


def fill_in_steps(client, data: dict, *, next_url: str = "", changed=None, **extra):
    """Open the health form (a returning client ticks the `changed` steps) and post `data`
    (post_data) to each step it leads to, as a client would fill it in; return the response
    that leaves the steps (the signing's redirect) or the first step that refuses its
    answers (status 400), with the steps visited as `response.steps`."""
    query = f"?next={next_url}" if next_url else ""
    edit = reverse("sessions:intake-edit") + query
    response = client.get(edit) if changed is None else client.post(edit, {"steps": changed})
    steps = []
    while (
        response.status_code == 302
        and resolve(response["Location"].split("?")[0]).url_name == "intake-step"
    ):
        url = response["Location"]
        steps.append(resolve(url.split("?")[0]).kwargs["step"])
        assert len(steps) < 20, steps
        response = client.post(url, {**data, **({"next": next_url} if next_url else {})}, **extra)
    response.steps = steps
    return response


def answers(**overrides) -> dict:
    """Stored answers (as sessions.intake.answers_from gives them) with no flags, plus
    overrides in stored form (booleans, lists, ISO dates)."""
    form = IntakeQuestions(form_data())
    assert form.is_valid(), form.errors
    return {**answers_from(form.cleaned_data), **overrides}
