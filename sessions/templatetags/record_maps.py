"""Template access to the pure map helpers in sessions.reflex_map, and to the words of the
check-in answers (no logic here)."""

from django import template

from sessions import reflex_map
from sessions.forms.record_pages import answer_words

register = template.Library()


@register.simple_tag
def worked_chart(points, as_areas=False):
    """`{% worked_chart points as_areas as chart %}`: the read-only map of PointWorked rows."""
    return reflex_map.worked_chart(points, as_areas=as_areas)


@register.filter
def checkin_answer(text: str) -> str:
    """`{{ record.checkin_sleep|checkin_answer }}`: a stored sleep or energy answer in the
    reader's language (sessions.forms.record_pages.answer_words)."""
    return answer_words(text)
