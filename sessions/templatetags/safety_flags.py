"""Template access to sessions.safety for the flags include: flags in tier order, each with
what the list prints for its tier (no rules here: the tiers and their names are safety's)."""

from django import template

from sessions.oils import avoid_text
from sessions.safety import (
    NO_OILS_LABEL,
    TIER_DETAIL,
    TIER_NAMES,
    URGENT_EMERGENCY,
    URGENT_TODAY,
    WARNING_SIGNS_AFTER_SESSION,
    Tier,
    by_tier,
)

register = template.Library()

# Decoration beside the tier's name, which says it in words (never colour or icon alone).
ICONS = {
    Tier.POSTPONE: "✋",
    Tier.CLEARANCE: "✚",
    Tier.CAUTION: "⚠",
    Tier.AVOID: "⊘",
    Tier.AVOID_OILS: "⊘",
    Tier.NO_OILS: "⊗",
}


@register.filter
def listed_flags(flags: list[dict]) -> list[dict]:
    """`flags` most serious tier first, each with `tier_name`, `icon`, `title` (a no-oils
    flag always reads "No oils / unscented", whatever its own label), `is_clearance`,
    `avoid` (the oils an avoid_oils flag names, in words) and `told` (the client's detail
    without its tier's advice, for pages that give their own: an existing booking)."""
    return [
        {
            **flag,
            "tier_name": TIER_NAMES[flag["tier"]],
            "icon": ICONS[flag["tier"]],
            "title": NO_OILS_LABEL if flag["tier"] == Tier.NO_OILS else flag.get("label", ""),
            "is_clearance": flag["tier"] == Tier.CLEARANCE,
            "avoid": avoid_text(flag["oils"], flag.get("families", [])) if flag.get("oils") else "",
            "told": flag.get("detail", "").removesuffix(TIER_DETAIL.get(flag["tier"], "")).strip(),
        }
        for flag in by_tier(flags)
    ]


@register.simple_tag
def after_session_warnings() -> dict:
    """The warning signs to look out for after a session, with the urgent-care words:
    `{% after_session_warnings as warnings %}` gives `signs`, `today` and `emergency`."""
    return {
        "signs": WARNING_SIGNS_AFTER_SESSION,
        "today": URGENT_TODAY,
        "emergency": URGENT_EMERGENCY,
    }
