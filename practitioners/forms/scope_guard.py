"""The scope-of-practice guard shared by the profile and service forms."""

from django import forms
from django.core.exceptions import ValidationError

from practitioners.scope import find_claims, find_refused_claims

SCOPE_ACK_FIELD = "confirm_wording"
SCOPE_ACK_LABEL = "I have checked this wording and want to save it"


def _quoted(phrases: list[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)


class ScopeGuardMixin:
    """Scope of practice (ARCB standards bar claims to diagnose, treat or cure): a form
    whose `scope_guarded_field` gains wording that reads as a medical claim is not valid
    until the practitioner ticks "I have checked this wording and want to save it". Wording
    that offers reflexology to induce labour is refused whatever is ticked: there is no
    evidence for it (find_refused_claims).

    Only claims the saved text does not already contain count, so an acknowledged bio does
    not warn again each time some other field is edited. The tick box exists only while
    there is something to acknowledge; add `scope_guard_fields()` to the layout after the
    guarded field."""

    scope_guarded_field: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_claims: list[str] = []
        if self.is_bound:
            typed = self.data.get(self.add_prefix(self.scope_guarded_field), "")
            saved = {
                claim.lower()
                for claim in find_claims(self.initial.get(self.scope_guarded_field) or "")
            }
            self.scope_claims = [
                claim for claim in find_claims(typed) if claim.lower() not in saved
            ]
        if self.scope_claims:
            self.fields[SCOPE_ACK_FIELD] = forms.BooleanField(
                label=SCOPE_ACK_LABEL,
                required=False,
                help_text="Tick this only if the wording makes no claim to diagnose, treat or cure.",
            )

    def scope_guard_fields(self) -> list[str]:
        return [SCOPE_ACK_FIELD] if SCOPE_ACK_FIELD in self.fields else []

    def clean(self):
        cleaned = super().clean()
        refused = find_refused_claims(self.data.get(self.add_prefix(self.scope_guarded_field), ""))
        if refused:
            self.add_error(
                self.scope_guarded_field,
                ValidationError(
                    "Reflexology has no evidence for inducing labour, so it must not be offered "
                    "or described as a way to bring labour on: remove %(phrases)s. You can "
                    "describe sessions in late pregnancy as relaxation and comfort.",
                    code="labour_claim",
                    params={"phrases": _quoted(refused)},
                ),
            )
        if self.scope_claims and not cleaned.get(SCOPE_ACK_FIELD):
            self.add_error(
                self.scope_guarded_field,
                ValidationError(
                    "This wording may read as a medical claim: %(phrases)s. ARCB standards bar "
                    "reflexologists from claiming to diagnose, treat or cure any condition, so "
                    "describe what a session offers instead (for example relaxation and "
                    "wellbeing). If you have checked the wording and it makes no such claim, "
                    "tick “%(ack)s” below and save again.",
                    code="scope_of_practice",
                    params={"phrases": _quoted(self.scope_claims), "ack": SCOPE_ACK_LABEL},
                ),
            )
        return cleaned
