"""``{{ amount|money:currency }}``: an amount with its currency's minor units (RWF: none, USD: two) and the
reader's grouping — never through a float."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from ctip.core.nap.budget import minor_units, round_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, currency: str) -> str:
    if amount is None or amount == "":
        return ""
    places = minor_units(currency)
    return number_format(
        round_money(Decimal(str(amount)), currency), decimal_pos=places, use_l10n=True, force_grouping=True
    )
