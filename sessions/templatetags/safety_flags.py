"""Template access to sessions.safety for the flags include: flags in tier order, each with
what the list prints for its tier (no rules here: the tiers and their names are safety's)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sessions.oils import avoid_text
from sessions.safety import (
    NO_OILS_LABEL,
    TIER_NAMES,
    URGENT_EMERGENCY,
    URGENT_TODAY,
    WARNING_SIGNS_AFTER_SESSION,
    Tier,
    by_tier,
    flag_words,
)

register = template.Library()

# Decoration beside the tier's name, which says it in words (never colour or icon alone).
# Inline SVG, not emoji or symbol characters: those render as empty boxes where no font has
# them. Drawn in currentColor on a 16×16 grid; flags.html hides them from screen readers.
_CUT = 'fill="#fff"'  # the white marks cut into a filled shape
_RING = 'fill="none" stroke="currentColor" stroke-width="1.75"'
_SHAPES = {
    # A stop sign with a bar: talk first.
    Tier.POSTPONE: f'<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z"/><rect x="4" y="7" width="8" height="2" {_CUT}/>',
    # A cross: medical clearance.
    Tier.CLEARANCE: '<path d="M6 1h4v5h5v4h-5v5H6v-5H1V6h5z"/>',
    # A warning triangle with "!".
    Tier.CAUTION: f'<path d="M8 1l7.5 14H.5z"/><rect x="7.1" y="5.5" width="1.8" height="5" {_CUT}/>'
    f'<rect x="7.1" y="11.75" width="1.8" height="1.8" {_CUT}/>',
    # A circle struck through: avoid.
    Tier.AVOID: f'<circle cx="8" cy="8" r="6.5" {_RING}/><path d="M3.4 12.6l9.2-9.2" {_RING}/>',
    Tier.AVOID_OILS: f'<circle cx="8" cy="8" r="6.5" {_RING}/><path d="M3.4 12.6l9.2-9.2" {_RING}/>',
    # A circle crossed out: no oils.
    Tier.NO_OILS: f'<circle cx="8" cy="8" r="6.5" {_RING}/><path d="M5 5l6 6M11 5l-6 6" {_RING}/>',
}
ICONS = {
    tier: mark_safe(  # constant markup above, no user input
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="currentColor" '
        f'focusable="false">{shape}</svg>'
    )
    for tier, shape in _SHAPES.items()
}


@register.filter
def listed_flags(flags: list[dict]) -> list[dict]:
    """`flags` most serious tier first, each with its words in the active language
    (sessions.safety.flag_words: `label`, `detail`, `reason`, `area`, `urgent` and `told`, the
    client's detail without its tier's advice, for pages that give their own: an existing
    booking), `tier_name`, `icon`, `title` (a no-oils flag always reads "No oils /
    unscented", whatever its own label), `is_clearance` and `avoid` (the oils an avoid_oils
    flag names, in words)."""
    listed = []
    for flag in by_tier(flags):
        words = flag_words(flag)
        listed.append(
            {
                **flag,
                **words,
                "tier_name": TIER_NAMES[flag["tier"]],
                "icon": ICONS[flag["tier"]],
                "title": _(NO_OILS_LABEL) if flag["tier"] == Tier.NO_OILS else words["label"],
                "is_clearance": flag["tier"] == Tier.CLEARANCE,
                "avoid": avoid_text(flag["oils"], flag.get("families", []))
                if flag.get("oils")
                else "",
            }
        )
    return listed


@register.simple_tag
def after_session_warnings() -> dict:
    """The warning signs to look out for after a session, with the urgent-care words:
    `{% after_session_warnings as warnings %}` gives `signs`, `today` and `emergency`."""
    return {
        "signs": [_(sign) for sign in WARNING_SIGNS_AFTER_SESSION],
        "today": _(URGENT_TODAY),
        "emergency": _(URGENT_EMERGENCY),
    }
