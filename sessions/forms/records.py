"""Forms of the practitioner's session record: the record's fields, the points worked (one
checkbox, tenderness, texture and comment per catalogue point and side), the signing
confirmation and the addendum. They validate input only: sessions.records saves."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from practitioners.forms.scope_guard import ScopeGuardMixin
from reflexbook.lib.text import single_line
from sessions import reflex_map
from sessions.models import PointWorked, ReflexPoint, SessionRecord
from sessions.record_safety import (
    FOUND_AT_CHECK,
    SUN_WARNING,
    Avoided,
    avoid_for,
    has_nut_allergy,
    oils_checked,
)
from sessions.records import OBSERVATION_ITEMS, SESSION_REACTIONS, Worked
from sessions.safety import Tier, has_tier

TENDERNESS_CHOICES = [
    (0, pgettext_lazy("tenderness", "0 none")),
    (1, pgettext_lazy("tenderness", "1 mild")),
    (2, pgettext_lazy("tenderness", "2 moderate")),
    (3, pgettext_lazy("tenderness", "3 marked")),
]
TEXTURE_CHOICES = [("", gettext_lazy("No texture noted")), *PointWorked.Texture.choices]
TEXT_FIELDS = [
    "changes_since_last",
    "decision",
    "actual_minutes",
    "pressure",
    "medium",
    "medium_details",
    "reactions",
    "reactions_notes",
    "subjective",
    "objective",
    "assessment",
    "plan",
    "client_summary",
    "aftercare",
]


def _found_place_label(map_name: str, side: str, part: str) -> str:
    place = reflex_map.place_label(map_name, side, part).capitalize()
    if part == reflex_map.WHOLE:
        return _("%(place)s (the whole)") % {"place": place}
    return place


# Where an area to avoid found at the check is: "foot:L:heel", grouped by foot and hand.
# Labels are lazy: the choices are built at import, read in the request's language.
FOUND_PLACE_CHOICES = [
    ("", gettext_lazy("Choose the place")),
    *(
        (
            reflex_map.PLACE_NAMES[(map_name, side)],
            [
                (
                    f"{map_name}:{side}:{part}",
                    lazy(_found_place_label, str)(map_name, side, part),
                )
                for part in reflex_map.PARTS[map_name]
            ],
        )
        for map_name in ("foot", "hand")
        for side in reflex_map.SIDES
    ),
]


def _text(label, *, rows: int = 3, max_length: int = 4000, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _aftercare_help() -> str:
    return _(
        "The client reads this after you sign, and the 48-hour check-in links to it. When the "
        "record names a phototoxic citrus oil (such as bergamot, lime, lemon or grapefruit), "
        "saving adds: “%(warning)s”"
    ) % {"warning": SUN_WARNING}


class RecordForm(ScopeGuardMixin, forms.Form):
    """Everything on the record except the points worked. The two override boxes exist only
    when the booking's flags restrict oils or name an area to avoid; the nut check box only
    for a client with a nut allergy. What the client reads (summary, aftercare) passes the
    scope-of-practice guard."""

    scope_guarded_fields = ("client_summary", "aftercare")

    changes_since_last = _text(
        gettext_lazy("Changes since last time"),
        help_text=gettext_lazy("Health, medication or pregnancy changes the client reported."),
    )
    found_what = forms.ChoiceField(
        label=gettext_lazy("Area to avoid found at the check"),
        required=False,
        choices=[("", gettext_lazy("None found")), *FOUND_AT_CHECK.items()],
        help_text=gettext_lazy(
            "A verruca, injury, operation site, varicose vein or wound you saw: the map "
            "shades its place, and points there need the avoid-area override."
        ),
    )
    found_place = forms.ChoiceField(
        label=gettext_lazy("Where it is"), required=False, choices=FOUND_PLACE_CHOICES
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision after the check"),
        choices=SessionRecord.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether you proceeded, changed the plan or postponed.")
        },
    )
    actual_minutes = forms.IntegerField(
        label=gettext_lazy("Actual length (minutes)"),
        required=False,
        min_value=1,
        max_value=240,
        error_messages={
            "invalid": gettext_lazy("Enter the length in whole minutes, e.g. 55."),
            "min_value": gettext_lazy("The length is at least 1 minute."),
            "max_value": gettext_lazy("The length is at most 240 minutes."),
        },
    )
    pressure = forms.ChoiceField(
        label=gettext_lazy("Pressure"),
        required=False,
        choices=[("", gettext_lazy("Not recorded")), *SessionRecord.Pressure.choices],
        widget=forms.RadioSelect,
    )
    medium = forms.ChoiceField(
        label=gettext_lazy("Medium used"),
        choices=SessionRecord.Medium.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the medium you used (or None).")},
    )
    medium_details = forms.CharField(
        label=gettext_lazy("Oils or products named"),
        required=False,
        max_length=200,
        validators=[single_line],
        help_text=gettext_lazy(
            "Every essential oil, carrier oil, balm or cream you used, by name, "
            "e.g. “grapeseed oil” or “2 drops lavender in sunflower oil”."
        ),
        error_messages={"max_length": gettext_lazy("Keep this to 200 characters.")},
    )
    reactions = forms.MultipleChoiceField(
        label=gettext_lazy("Reactions during the session"),
        required=False,
        choices=SESSION_REACTIONS,
        widget=forms.CheckboxSelectMultiple,
    )
    reactions_notes = _text(gettext_lazy("Notes on reactions"), rows=2)
    subjective = _text(
        gettext_lazy("S: Subjective"),
        help_text=gettext_lazy("The client's report: goals, changes, effect of last session."),
    )
    objective = _text(
        gettext_lazy("O: Objective"), help_text=gettext_lazy("What you observed and did.")
    )
    assessment = _text(
        gettext_lazy("A: Assessment"),
        help_text=gettext_lazy(
            "Non-diagnostic words only: tender reflex areas and responses, never conditions."
        ),
    )
    plan = _text(
        gettext_lazy("P: Plan"),
        help_text=gettext_lazy("Frequency, focus areas, self-care, referral if needed."),
    )
    client_summary = _text(
        gettext_lazy("Summary for the client"),
        rows=4,
        help_text=gettext_lazy("The client reads this after you sign."),
    )
    aftercare = _text(
        gettext_lazy("Aftercare advice"),
        rows=6,
        help_text=lazy(_aftercare_help, str)(),
    )
    nut_free_checked = forms.BooleanField(
        label=gettext_lazy(
            "I checked the ingredients of this balm or cream: it has no nut ingredients "
            "(such as sweet almond, shea, macadamia, argan or apricot kernel)."
        ),
        required=False,
        help_text=gettext_lazy(
            "Needed when the medium is a balm or cream: this client has a nut allergy."
        ),
    )
    oil_override = forms.BooleanField(label=gettext_lazy("Override the oil check"), required=False)
    oil_override_reason = _text(
        gettext_lazy("Reason for overriding the oil check"), rows=2, max_length=1000
    )
    area_override = forms.BooleanField(
        label=gettext_lazy("Override the avoid-area flag"), required=False
    )
    area_override_reason = _text(
        gettext_lazy("Reason for overriding the avoid-area flag"), rows=2, max_length=1000
    )

    def __init__(self, *args, flags: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in OBSERVATION_ITEMS:
            self.fields[f"obs_{key}"] = forms.BooleanField(
                label=_("%(item)s: noted") % {"item": label}, required=False
            )
            self.fields[f"obs_{key}_note"] = forms.CharField(
                label=_("%(item)s note") % {"item": label},
                required=False,
                max_length=200,
                validators=[single_line],
                error_messages={
                    "max_length": _("Keep the %(item)s note to 200 characters.")
                    % {"item": str(label).lower()}
                },
            )
        self.has_oil_flag = oils_checked(flags)
        self.no_oils = has_tier(flags, Tier.NO_OILS)
        # An area found at the check (posted now, or saved) needs the override as a flag does.
        source = self.data if self.is_bound else self.initial
        self.has_area_flag = has_tier(flags, Tier.AVOID) or bool(source.get("found_what"))
        if not self.has_oil_flag:
            del self.fields["oil_override"], self.fields["oil_override_reason"]
        if not has_nut_allergy(flags):
            del self.fields["nut_free_checked"]
        if not self.has_area_flag:
            del self.fields["area_override"], self.fields["area_override_reason"]

    @classmethod
    def initial_for(cls, record: SessionRecord) -> dict:
        """The form's initial values from a saved record."""
        initial = {name: getattr(record, name) for name in TEXT_FIELDS}
        for key, _label in OBSERVATION_ITEMS:
            if key in (record.observations or {}):
                initial[f"obs_{key}"] = True
                initial[f"obs_{key}_note"] = record.observations[key]
        initial["nut_free_checked"] = record.nut_free_checked
        initial["oil_override"] = bool(record.oil_override_reason)
        initial["oil_override_reason"] = record.oil_override_reason
        initial["area_override"] = bool(record.area_override_reason)
        initial["area_override_reason"] = record.area_override_reason
        for found in record.avoid_found[:1]:
            initial["found_what"] = found["what"]
            initial["found_place"] = f"{found['map']}:{found['side']}:{found['part']}"
        return initial

    def observation_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"obs_{key}"], self[f"obs_{key}_note"]) for key, _ in OBSERVATION_ITEMS]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("medium") == SessionRecord.Medium.ESSENTIAL_OILS
            and not (cleaned.get("medium_details") or "").strip()
        ):
            self.add_error(
                "medium_details",
                ValidationError(
                    _("You chose essential oils: name the oils you used."), code="oils_unnamed"
                ),
            )
        what, place = cleaned.get("found_what"), cleaned.get("found_place")
        if what and not place and "found_place" not in self.errors:
            self.add_error(
                "found_place",
                ValidationError(
                    _("You named an area to avoid: choose where it is."),
                    code="found_place_required",
                ),
            )
        if place and not what and "found_what" not in self.errors:
            self.add_error(
                "found_what",
                ValidationError(
                    _("You chose a place: say what you found there."),
                    code="found_what_required",
                ),
            )
        for box, reason, message in (
            (
                "oil_override",
                "oil_override_reason",
                _("You ticked the override of the oil check: give your reason."),
            ),
            (
                "area_override",
                "area_override_reason",
                _("You ticked the override of the avoid-area flag: give your reason."),
            ),
        ):
            if cleaned.get(box) and not (cleaned.get(reason) or "").strip():
                self.add_error(
                    reason,
                    ValidationError(
                        message,
                        code="override_reason_required",
                    ),
                )
        return cleaned

    def record_fields(self) -> dict:
        """The cleaned values as SessionRecord fields, for sessions.records.save_record."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in TEXT_FIELDS}
        for name in ("pressure", "medium_details"):
            fields[name] = (fields[name] or "").strip()
        if "nut_free_checked" in self.fields:
            fields["nut_free_checked"] = bool(data.get("nut_free_checked"))
        fields["avoid_found"] = self.avoid_found()
        fields["observations"] = {
            key: data.get(f"obs_{key}_note", "").strip()
            for key, _label in OBSERVATION_ITEMS
            if data.get(f"obs_{key}") or data.get(f"obs_{key}_note", "").strip()
        }
        return fields

    def avoid_found(self) -> list[dict]:
        """The area to avoid found at the check, as SessionRecord.avoid_found keeps it: what
        was posted (when valid), else what was saved."""
        if self.is_bound:
            data = getattr(self, "cleaned_data", {})
            if "found_what" in self.errors or "found_place" in self.errors:
                return []
        else:
            data = self.initial
        what, place = data.get("found_what"), data.get("found_place")
        if not (what and place):
            return []
        map_name, side, part = place.split(":")
        return [{"what": what, "map": map_name, "side": side, "part": part}]

    def override_reasons(self) -> tuple[str, str]:
        """(oil, area) override reasons: empty unless the override box is ticked."""
        data = self.cleaned_data
        oil = data.get("oil_override_reason", "") if data.get("oil_override") else ""
        area = data.get("area_override_reason", "") if data.get("area_override") else ""
        return oil.strip(), area.strip()


@dataclass
class PointRow:
    """One point on one side in the list, with its field names and current values."""

    point: ReflexPoint
    side: str
    checked: bool
    tenderness: str
    texture: str
    comment: str
    errors: list[str]
    avoid: str = ""  # "left heel (verruca)" when the point is in an area to avoid

    @property
    def key(self) -> str:
        return reflex_map.field_key(self.point.slug, self.side)

    @property
    def label(self) -> str:
        return reflex_map.point_label(
            self.point.map, self.side, reflex_map.point_name(self.point.name)
        )

    @property
    def name(self) -> str:
        """The point's name in the active language."""
        return reflex_map.point_name(self.point.name)

    @property
    def tender_options(self) -> list[tuple[str, str, bool]]:
        return [(str(v), label, str(v) == self.tenderness) for v, label in TENDERNESS_CHOICES]

    @property
    def texture_options(self) -> list[tuple[str, str, bool]]:
        return [(v, label, v == self.texture) for v, label in TEXTURE_CHOICES]


@dataclass
class PointGroup:
    group: reflex_map.Group
    rows: list[PointRow]

    @property
    def title(self) -> str:
        return self.group.title

    @property
    def is_foot(self) -> bool:
        return self.group.map == "foot"


class PointsForm(forms.Form):
    """The points worked, one set of fields per catalogue point and side it exists on:
    point-<slug>-<side> (checkbox), tender-<slug>-<side> (0-3), texture-<slug>-<side> and
    comment-<slug>-<side>. A point posted for a side it does not exist on is refused."""

    def __init__(self, *args, catalogue: list[ReflexPoint], **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.by_slug = {p.slug: p for p in catalogue}
        for point in catalogue:
            for side in point.sides():
                key = reflex_map.field_key(point.slug, side)
                label = reflex_map.point_label(point.map, side, reflex_map.point_name(point.name))
                named = {"label": label}
                self.fields[f"point-{key}"] = forms.BooleanField(label=label, required=False)
                self.fields[f"tender-{key}"] = forms.TypedChoiceField(
                    label=_("Tenderness, %(label)s") % named,
                    choices=TENDERNESS_CHOICES,
                    coerce=int,
                    required=False,
                    empty_value=0,
                    error_messages={
                        "invalid_choice": _("%(label)s: tenderness is 0 (none) to 3 (marked).")
                        % named
                    },
                )
                self.fields[f"texture-{key}"] = forms.ChoiceField(
                    label=_("Texture, %(label)s") % named,
                    choices=TEXTURE_CHOICES,
                    required=False,
                    error_messages={
                        "invalid_choice": _("%(label)s: choose a texture from the list.") % named
                    },
                )
                self.fields[f"comment-{key}"] = forms.CharField(
                    label=_("Comment, %(label)s") % named,
                    required=False,
                    max_length=200,
                    validators=[single_line],
                    error_messages={
                        "max_length": _("%(label)s: keep the comment to 200 characters.") % named
                    },
                )

    @staticmethod
    def initial_for(points: list[PointWorked]) -> dict:
        initial = {}
        for worked in points:
            key = reflex_map.field_key(worked.point.slug, worked.side)
            initial[f"point-{key}"] = True
            initial[f"tender-{key}"] = worked.tenderness
            initial[f"texture-{key}"] = worked.texture
            initial[f"comment-{key}"] = worked.comment
        return initial

    def clean(self):
        cleaned = super().clean()
        for name in self.data:
            if not name.startswith("point-") or name in self.fields:
                continue
            slug, _dash, side = name.removeprefix("point-").rpartition("-")
            point = self.by_slug.get(slug)
            if point is None or side not in reflex_map.SIDES:
                self.add_error(
                    None,
                    ValidationError(
                        _(
                            "One of the points sent is not in the reflex point catalogue. "
                            "Reload the page and choose the points again."
                        ),
                        code="unknown_point",
                    ),
                )
                continue
            # Only a one-sided point gets here (a point on both sides has both fields).
            places = [reflex_map.place_label(point.map, s, reflex_map.WHOLE) for s in point.sides()]
            where = (
                places[0]
                if len(places) == 1
                else _("%(first)s and %(second)s")
                % {
                    "first": places[0],
                    "second": places[1],
                }
            )
            self.add_error(
                None,
                ValidationError(
                    _("%(name)s exists only on the %(where)s, not on the %(other)s."),
                    code="wrong_side",
                    params={
                        "name": reflex_map.point_name(point.name),
                        "where": where,
                        "other": reflex_map.place_label(point.map, side, reflex_map.WHOLE),
                    },
                ),
            )
        return cleaned

    def worked(self) -> list[Worked]:
        """The ticked points, in catalogue order, for sessions.records.save_record."""
        data = self.cleaned_data
        chosen = []
        for point in self.catalogue:
            for side in point.sides():
                key = reflex_map.field_key(point.slug, side)
                if data.get(f"point-{key}"):
                    chosen.append(
                        Worked(
                            point=point,
                            side=side,
                            tenderness=data.get(f"tender-{key}") or 0,
                            texture=data.get(f"texture-{key}") or "",
                            comment=(data.get(f"comment-{key}") or "").strip(),
                        )
                    )
        return chosen

    def _value(self, name: str, default):
        if self.is_bound:
            return self.data.get(name, default)
        return self.initial.get(name, default)

    def groups(self, areas: list[Avoided] = ()) -> list[PointGroup]:
        """The list's groups (Right foot, Left foot, Right hand, Left hand, Right ear, Left
        ear) with each row's current values: what was posted, else what was saved; a row
        inside one of the `areas` to avoid says so."""
        groups = []
        for group in reflex_map.catalogue_groups(self.catalogue):
            rows = []
            for point, side in group.entries:
                key = reflex_map.field_key(point.slug, side)
                if self.is_bound:
                    checked = bool(self.data.get(f"point-{key}"))
                else:
                    checked = bool(self.initial.get(f"point-{key}"))
                errors = []
                if self.is_bound and hasattr(self, "cleaned_data"):
                    for prefix in ("tender", "texture", "comment"):
                        errors += self.errors.get(f"{prefix}-{key}", [])
                rows.append(
                    PointRow(
                        point=point,
                        side=side,
                        checked=checked,
                        tenderness=str(self._value(f"tender-{key}", 0)),
                        texture=self._value(f"texture-{key}", "") or "",
                        comment=self._value(f"comment-{key}", "") or "",
                        errors=errors,
                        avoid="; ".join(
                            avoid_for(areas, map_name=point.map, side=side, part=point.part)
                        ),
                    )
                )
            groups.append(PointGroup(group, rows))
        return groups


class SignForm(forms.Form):
    confirm_sign = forms.BooleanField(
        label=gettext_lazy(
            "I have checked this record. Signing locks this record: later changes can "
            "only be added as addenda."
        ),
        error_messages={"required": gettext_lazy("Tick “Signing locks this record” to sign it.")},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Addendum"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Added under the signed record with your name and the time; nothing is "
            "changed or deleted."
        ),
        error_messages={
            "required": gettext_lazy("Write the addendum's text."),
            "max_length": gettext_lazy("Keep an addendum to 4000 characters."),
        },
    )


class FollowUpForm(forms.Form):
    """How the practitioner followed up a strong reaction reported at the check-in."""

    note = forms.CharField(
        label=gettext_lazy("How you followed up"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: phoned the client; they feel better; agreed a lighter session. "
            "Private to you and staff; recorded with the time."
        ),
        error_messages={
            "required": gettext_lazy("Write a short note about your follow-up."),
            "max_length": gettext_lazy("Keep the note to 2000 characters."),
        },
    )


class ProceedWithoutIntakeForm(forms.Form):
    """Why the practitioner starts the session record before the client signed a health form."""

    reason = forms.CharField(
        label=gettext_lazy("Why you proceed without the client's health form"),
        max_length=1000,
        help_text=gettext_lazy(
            "Kept on the session record. For example: went through the health "
            "questions with the client in person; they will complete the form after the session."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write why you proceed without the client's health form."),
            "max_length": gettext_lazy("Keep it under 1000 characters."),
        },
    )
