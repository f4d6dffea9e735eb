"""Template access to the pure map helpers in sessions.reflex_map (no logic here)."""

from django import template

from sessions import reflex_map

register = template.Library()


@register.simple_tag
def worked_chart(points, as_areas=False):
    """`{% worked_chart points as_areas as chart %}`: the read-only map of PointWorked rows."""
    return reflex_map.worked_chart(points, as_areas=as_areas)
