"""Pure helpers for drawing the reflex map: foot points as SVG coordinates on the usual
two-sole chart, and hand and ear points grouped as lists. No database access: callers pass
ReflexPoint and PointWorked objects (or anything with the same attributes).

The catalogue's foot positions are foot-intrinsic (0..1): x from the big-toe (medial) edge to
the little-toe (lateral) edge, y from the toe tips to the back of the heel. On the chart a
practitioner faces the client's soles: the right sole is on the page's left and the left sole
on the page's right, big toes towards the middle. So the right foot is drawn with x' = 1 - x
and the left foot with x' = x (reflexology.md section 1).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from reflexbook.lib.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy
from sessions.reflex_point_names import translated

# The chart's SVG user space.
VIEW_W = 580
VIEW_H = 640
FOOT_W = 250
FOOT_H = 560
FOOT_TOP = 50
CAPTION_Y = 30
# The right sole on the page's left, the left sole on the page's right.
FOOT_LEFT = {"R": 20, "L": 310}
SIDES = ("R", "L")
MAP_ORDER = ("foot", "hand", "ear")
# Whole names, not "{side} {map}": the side's word agrees with the noun in Spanish and French.
PLACE_NAMES = {
    ("foot", "R"): gettext_lazy("Right foot"),
    ("foot", "L"): gettext_lazy("Left foot"),
    ("hand", "R"): gettext_lazy("Right hand"),
    ("hand", "L"): gettext_lazy("Left hand"),
    ("ear", "R"): gettext_lazy("Right ear"),
    ("ear", "L"): gettext_lazy("Left ear"),
}
TENDERNESS_WORDS = {
    0: pgettext_lazy("tenderness", "none"),
    1: pgettext_lazy("tenderness", "mild"),
    2: pgettext_lazy("tenderness", "moderate"),
    3: pgettext_lazy("tenderness", "marked"),
}

# The parts of a foot or hand (toes, ball, arch, heel...): each catalogue point lies in one
# (ReflexPoint.part, from sessions/data/reflex_points.yaml), and an avoid-area flag names the
# parts it covers, or WHOLE. Not the catalogue's `zones` (the longitudinal zones 1-5). Each
# name places the side, per side (the words agree in Spanish and French): "left heel", "ball
# of the left foot", "left foot" (the whole).
WHOLE = "whole"
PARTS = {
    "foot": {
        "toes": {"L": gettext_lazy("left toes"), "R": gettext_lazy("right toes")},
        "ball": {
            "L": gettext_lazy("ball of the left foot"),
            "R": gettext_lazy("ball of the right foot"),
        },
        "arch": {"L": gettext_lazy("left arch"), "R": gettext_lazy("right arch")},
        "heel": {"L": gettext_lazy("left heel"), "R": gettext_lazy("right heel")},
        "top": {
            "L": gettext_lazy("top of the left foot"),
            "R": gettext_lazy("top of the right foot"),
        },
        "ankle": {"L": gettext_lazy("left ankle"), "R": gettext_lazy("right ankle")},
        WHOLE: {"L": gettext_lazy("left foot"), "R": gettext_lazy("right foot")},
    },
    "hand": {
        "fingers": {
            "L": gettext_lazy("left fingers and thumb"),
            "R": gettext_lazy("right fingers and thumb"),
        },
        "upper_palm": {"L": gettext_lazy("upper left palm"), "R": gettext_lazy("upper right palm")},
        "mid_palm": {
            "L": gettext_lazy("centre of the left palm"),
            "R": gettext_lazy("centre of the right palm"),
        },
        "heel_of_hand": {
            "L": gettext_lazy("heel of the left hand"),
            "R": gettext_lazy("heel of the right hand"),
        },
        "back_of_hand": {
            "L": gettext_lazy("back of the left hand"),
            "R": gettext_lazy("back of the right hand"),
        },
        "wrist": {"L": gettext_lazy("left wrist"), "R": gettext_lazy("right wrist")},
        WHOLE: {"L": gettext_lazy("left hand"), "R": gettext_lazy("right hand")},
    },
    "ear": {WHOLE: {"L": gettext_lazy("left ear"), "R": gettext_lazy("right ear")}},
}
# A part with no side, for the intake's choices: "Heel", "Ball of the foot". Marked, kept in
# English: sessions.intake joins them as plain text, so the intake's own labels translate them
# (gettext_lazy(name)) where it marks its choices.
PART_CHOICE_NAMES = {
    "foot": {
        "toes": gettext_noop("Toes"),
        "ball": gettext_noop("Ball of the foot"),
        "arch": gettext_noop("Arch"),
        "heel": gettext_noop("Heel"),
        "top": gettext_noop("Top of the foot"),
        "ankle": gettext_noop("Ankle"),
        WHOLE: gettext_noop("The whole foot, or not sure"),
    },
    "hand": {
        "fingers": gettext_noop("Fingers and thumb"),
        "upper_palm": gettext_noop("Upper palm"),
        "mid_palm": gettext_noop("Centre of the palm"),
        "heel_of_hand": gettext_noop("Heel of the hand"),
        "back_of_hand": gettext_noop("Back of the hand"),
        "wrist": gettext_noop("Wrist"),
        WHOLE: gettext_noop("The whole hand, or not sure"),
    },
}
# The sole chart's bands (foot-intrinsic y, from the toe tips) shaded for a part of the
# sole: the neck line (0.19), just under the diaphragm line (0.37) and the heel line (0.72).
# The top of the foot and the ankle are not on a sole chart: their points are marked.
SOLE_BANDS = {
    "toes": (0.0, 0.19),
    "ball": (0.19, 0.37),
    "arch": (0.37, 0.72),
    "heel": (0.72, 1.0),
    WHOLE: (0.0, 1.0),
}

# The sole outline in foot-intrinsic coordinates (big toe at x = 0): the body of the foot as
# cubic Bézier segments, then the five toes as ellipses (cx, cy, rx, ry). A schematic shape,
# like the catalogue's positions; medial and lateral points sit on its edges.
_BODY_START = (0.03, 0.20)
_BODY_CURVES = (
    ((0.00, 0.30), (0.02, 0.40), (0.04, 0.48)),
    ((0.07, 0.58), (0.04, 0.68), (0.08, 0.80)),
    ((0.12, 0.97), (0.30, 1.00), (0.50, 1.00)),
    ((0.70, 1.00), (0.90, 0.97), (0.93, 0.82)),
    ((0.96, 0.70), (1.00, 0.58), (1.00, 0.45)),
    ((1.00, 0.33), (0.98, 0.24), (0.92, 0.20)),
    ((0.75, 0.15), (0.35, 0.15), (0.03, 0.20)),
)
_TOES = (
    (0.17, 0.10, 0.15, 0.10),
    (0.41, 0.085, 0.075, 0.07),
    (0.57, 0.10, 0.07, 0.065),
    (0.72, 0.125, 0.065, 0.06),
    (0.86, 0.16, 0.06, 0.055),
)


def place_name(map_name: str, side: str) -> str:
    """ "Right foot", "Left hand", "Right ear"."""
    return str(PLACE_NAMES[(map_name, side)])


def point_name(name: str) -> str:
    """A catalogue point's stored (English) name in the active language."""
    return translated(name)


def point_label(map_name: str, side: str, name: str) -> str:
    """The accessible name of one point on one side: "Left foot: Adrenal gland" (`name`
    already in words: point_name or area_name)."""
    return gettext("%(place)s: %(name)s") % {"place": place_name(map_name, side), "name": name}


def area_name(name: str) -> str:
    """ "Heart reflex area": a catalogue point as clients read it (an area of the foot, hand
    or ear named after a part of the body, not that part); `name` is the stored name."""
    return gettext("%(name)s reflex area") % {"name": point_name(name)}


def field_key(slug: str, side: str) -> str:
    """The suffix of a point's form fields: point-<key>, tender-<key>, texture-<key>..."""
    return f"{slug}-{side}"


def place_label(map_name: str, side: str, part: str) -> str:
    """A part of one foot or hand in words: "left heel", "whole right foot"."""
    return str(PARTS[map_name][part][side])


def in_part(point_part: str, part: str) -> bool:
    """Whether a point lying in `point_part` is inside `part` (WHOLE covers every point)."""
    return part == WHOLE or point_part == part


def sole_x(x: float, side: str) -> float:
    """The chart's x (0..1 within the foot's box) of a foot-intrinsic x: mirrored for the
    right sole, whose big toe is on the right of its box (towards the middle)."""
    if side not in SIDES:
        raise ValueError(f"side must be L or R, not {side!r}")
    return 1 - x if side == "R" else x


def to_svg(x: float, y: float, side: str) -> tuple[float, float]:
    """SVG user-space coordinates of a foot-intrinsic position on the given sole."""
    return (
        round(FOOT_LEFT[side] + sole_x(x, side) * FOOT_W, 1),
        round(FOOT_TOP + y * FOOT_H, 1),
    )


def outline_path(side: str) -> str:
    """The SVG path data of one sole's outline (without the toes)."""

    def pt(xy: tuple[float, float]) -> str:
        sx, sy = to_svg(xy[0], xy[1], side)
        return f"{sx:g} {sy:g}"

    parts = [f"M {pt(_BODY_START)}"]
    parts += [f"C {pt(c1)}, {pt(c2)}, {pt(end)}" for c1, c2, end in _BODY_CURVES]
    return " ".join(parts) + " Z"


@dataclass(frozen=True)
class Toe:
    cx: float
    cy: float
    rx: float
    ry: float


@dataclass(frozen=True)
class Band:
    """A shaded band of one sole: a part of the foot to avoid, with its words."""

    side: str
    x: float
    y: float
    width: float
    height: float
    label: str


def sole_band(side: str, part: str, label: str) -> Band | None:
    """The band shaded on `side`'s sole for a part to avoid (clipped to the sole's outline
    by the template), or None for a part not on a sole chart (top of the foot, ankle)."""
    if part not in SOLE_BANDS:
        return None
    top, bottom = SOLE_BANDS[part]
    # The toes stick out above the body's outline: a band from the tips starts above them.
    y0 = FOOT_TOP + top * FOOT_H - (8 if top == 0 else 0)
    return Band(
        side=side,
        x=FOOT_LEFT[side],
        y=round(y0, 1),
        width=FOOT_W,
        height=round(FOOT_TOP + bottom * FOOT_H - y0, 1),
        label=label,
    )


@dataclass(frozen=True)
class Sole:
    side: str
    caption: str
    caption_x: float
    path: str
    toes: tuple[Toe, ...]


def sole(side: str) -> Sole:
    """One sole of the chart: its caption, outline and toes."""
    toes = []
    for cx, cy, rx, ry in _TOES:
        sx, sy = to_svg(cx, cy, side)
        toes.append(Toe(sx, sy, round(rx * FOOT_W, 1), round(ry * FOOT_H, 1)))
    return Sole(
        side=side,
        caption=place_name("foot", side),
        caption_x=FOOT_LEFT[side] + FOOT_W / 2,
        path=outline_path(side),
        toes=tuple(toes),
    )


def soles() -> list[Sole]:
    """Both soles, right (page left) first."""
    return [sole(side) for side in SIDES]


@dataclass(frozen=True)
class Spot:
    """One foot point on one side, placed on the chart."""

    slug: str
    name: str
    side: str
    surface: str
    x: float
    y: float
    part: str = ""

    @property
    def label(self) -> str:
        return point_label("foot", self.side, self.name)

    @property
    def key(self) -> str:
        return field_key(self.slug, self.side)

    @property
    def on_top(self) -> bool:
        """Dorsal points (top of the foot) are drawn as diamonds on the sole chart."""
        return self.surface == "dorsal"


def _sides_of(point) -> list[str]:
    return ["L", "R"] if point.side == "B" else [point.side]


def spot(point, side: str) -> Spot:
    """A foot point placed on one sole. Refuses a side the point does not exist on."""
    if point.map != "foot":
        raise ValueError(f"{point.slug} is not a foot point")
    if side not in _sides_of(point):
        raise ValueError(f"{point.slug} does not exist on side {side}")
    x, y = to_svg(point.pos_x, point.pos_y, side)
    return Spot(point.slug, point_name(point.name), side, point.surface, x, y, point.part)


def foot_spots(points: Iterable) -> list[Spot]:
    """Every foot point of the catalogue on each side it exists on, right sole first."""
    feet = [p for p in points if p.map == "foot" and p.pos_x is not None]
    return [spot(p, side) for side in SIDES for p in feet if side in _sides_of(p)]


@dataclass(frozen=True)
class Group:
    """A list heading (e.g. "Left hand") and its entries, for the fallback list and for the
    text of the read-only map."""

    map: str
    side: str
    entries: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return place_name(self.map, self.side)

    @property
    def id(self) -> str:
        return f"{self.map}-{self.side}"


def catalogue_groups(points: Iterable) -> list[Group]:
    """Catalogue points per map and side, in the order Right foot, Left foot, Right hand,
    Left hand, Right ear, Left ear: each entry is (point, side). A point of side L appears
    only in the left groups."""
    points = list(points)
    groups = []
    for map_name in MAP_ORDER:
        for side in SIDES:
            entries = [(p, side) for p in points if p.map == map_name and side in _sides_of(p)]
            if entries:
                groups.append(Group(map_name, side, entries))
    return groups


@dataclass(frozen=True)
class Mark:
    """A worked point for the read-only map: placed on the chart when it is a foot point."""

    label: str
    name: str
    map: str
    side: str
    tenderness: int
    texture: str
    comment: str
    x: float | None = None
    y: float | None = None
    on_top: bool = False

    @property
    def tenderness_word(self) -> str:
        return str(TENDERNESS_WORDS.get(self.tenderness, self.tenderness))


def mark(worked, *, as_areas: bool = False) -> Mark:
    """A PointWorked (point, side, tenderness, texture, comment) as a Mark; `as_areas` names
    it as a reflex area ("Heart reflex area"), as the client's pages do."""
    point = worked.point
    name = area_name(point.name) if as_areas else point_name(point.name)
    x = y = None
    on_top = False
    if point.map == "foot" and point.pos_x is not None:
        placed = spot(point, worked.side)
        x, y, on_top = placed.x, placed.y, placed.on_top
    texture = worked.get_texture_display() if worked.texture else ""
    return Mark(
        label=point_label(point.map, worked.side, name),
        name=name,
        map=point.map,
        side=worked.side,
        tenderness=worked.tenderness,
        texture=texture,
        comment=worked.comment,
        x=x,
        y=y,
        on_top=on_top,
    )


@dataclass(frozen=True)
class WorkedChart:
    """Everything the read-only map include draws: the soles, the foot marks and every
    worked point as text, grouped like the form's lists."""

    soles: list[Sole]
    marks: list[Mark]
    groups: list[Group]
    view_w: int = VIEW_W
    view_h: int = VIEW_H

    @property
    def count(self) -> int:
        return sum(len(g.entries) for g in self.groups)


def worked_chart(worked: Iterable, *, as_areas: bool = False) -> WorkedChart:
    """The read-only map of a record's worked points (PointWorked rows with their point);
    `as_areas` names them as reflex areas (see `mark`)."""
    marks = [mark(w, as_areas=as_areas) for w in worked]
    groups = []
    for map_name in MAP_ORDER:
        for side in SIDES:
            entries = [m for m in marks if m.map == map_name and m.side == side]
            if entries:
                groups.append(Group(map_name, side, entries))
    on_chart = [m for m in marks if m.x is not None]
    # Heavier marks last, so a marked point is never hidden under a lighter neighbour.
    on_chart.sort(key=lambda m: m.tenderness)
    return WorkedChart(soles=soles(), marks=on_chart, groups=groups)
