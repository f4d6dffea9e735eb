"""{{ amount|money:currency }}: an amount as people read it (reflexbook.lib.money)."""

from django import template

from reflexbook.lib.money import format_amount

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    return format_amount(amount, currency)
