"""The scope-of-practice guard shared by the profile, service and session-record forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practitioners.models import Certification, Practitioner
from practitioners.scope import (
    find_blocked_claims,
    find_refused_claims,
    find_soft_claims,
    find_unbacked_certification_claims,
)

SCOPE_ACK_FIELD = "confirm_wording"
SCOPE_ACK_LABEL = gettext_lazy("I have checked this wording and want to save it")


def _quoted(phrases: list[str]) -> str:
    return ", ".join(_("“%(phrase)s”") % {"phrase": phrase} for phrase in phrases)


class ScopeGuardMixin:
    """Scope of practice (ARCB standards bar claims to diagnose, treat, cure or prevent
    disease) and honest credentials, over each of `scope_guarded_fields`
    (practitioners.scope decides what the words are):

    - a claim to diagnose, cure, treat or prevent disease, a prescription word, or an offer
      to induce labour is refused, whatever is ticked;
    - "ARCB", "board certified" or "nationally certified" is refused unless the practitioner
      (`scope_practitioner()`; None: no credential check) holds a current verified badge of
      the kind named;
    - a softer health claim ("detox") is saved only once the practitioner ticks "I have
      checked this wording and want to save it". Only soft claims the saved text does not
      already contain count, so checked wording does not warn again each time another field
      is edited. The tick box exists only while there is something to confirm; add
      `scope_guard_fields()` to the layout after the guarded fields."""

    scope_guarded_fields: tuple[str, ...]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_claims: dict[str, list[str]] = {}
        if self.is_bound:
            for name in self.scope_guarded_fields:
                saved = {claim.lower() for claim in find_soft_claims(self.initial.get(name) or "")}
                new = [c for c in find_soft_claims(self._typed(name)) if c.lower() not in saved]
                if new:
                    self.scope_claims[name] = new
        if self.scope_claims:
            self.fields[SCOPE_ACK_FIELD] = forms.BooleanField(
                label=SCOPE_ACK_LABEL,
                required=False,
                help_text=_("Tick this only if the wording makes no health claim."),
            )

    def _typed(self, name: str) -> str:
        return self.data.get(self.add_prefix(name), "") or ""

    def scope_practitioner(self) -> Practitioner | None:
        """Whose current badges back a certification claim; None skips that check."""
        return None

    def scope_guard_fields(self) -> list[str]:
        return [SCOPE_ACK_FIELD] if SCOPE_ACK_FIELD in self.fields else []

    def _held_kinds(self) -> set[str] | None:
        practitioner = self.scope_practitioner()
        if practitioner is None:
            return None
        if practitioner.pk is None:
            return set()
        return set(
            Certification.objects.badges()
            .filter(practitioner=practitioner)
            .values_list("kind", flat=True)
        )

    def clean(self):
        cleaned = super().clean()
        held = None
        for name in self.scope_guarded_fields:
            typed = self._typed(name)
            if refused := find_refused_claims(typed):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "Reflexology has no evidence for inducing labour, so it must not be "
                            "offered or described as a way to bring labour on: remove %(phrases)s. "
                            "You can describe sessions in late pregnancy as relaxation and comfort."
                        ),
                        code="labour_claim",
                        params={"phrases": _quoted(refused)},
                    ),
                )
            if blocked := find_blocked_claims(typed):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "Reflexology does not diagnose, treat, cure or prevent any condition, "
                            "and reflexologists do not prescribe, so this wording cannot be "
                            "saved: remove %(phrases)s. Describe what a session offers instead "
                            "(for example relaxation and wellbeing)."
                        ),
                        code="scope_of_practice",
                        params={"phrases": _quoted(blocked)},
                    ),
                )
            if held is None:
                held = self._held_kinds()
            if held is not None and (unbacked := find_unbacked_certification_claims(typed, held)):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "Only a practitioner whose ARCB certification reflexbook has verified, "
                            "and which is current, may claim it: remove %(phrases)s, or add the "
                            "credential under “Your ARCB credentials” and use the words once it "
                            "shows its badge."
                        ),
                        code="certification_claim",
                        params={"phrases": _quoted(unbacked)},
                    ),
                )
            if self.scope_claims.get(name) and not cleaned.get(SCOPE_ACK_FIELD):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "This wording may read as a health claim: %(phrases)s. Reflexology is "
                            "offered for relaxation and wellbeing, not as a way to change how the "
                            "body works, so check it says no more than that. If it does not, tick "
                            "“%(ack)s” below and save again."
                        ),
                        code="health_claim",
                        params={
                            "phrases": _quoted(self.scope_claims[name]),
                            "ack": SCOPE_ACK_LABEL,
                        },
                    ),
                )
        return cleaned
