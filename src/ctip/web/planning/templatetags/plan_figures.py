"""Filters that show the plan's figures: money without decimals, shares as percentages, comparison values
by their kind, and a dash for a figure that does not exist yet."""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()
DASH = "—"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@register.filter
def money(value: Any) -> str:
    if _missing(value):
        return DASH
    return str(number_format(round(float(value)), 0, force_grouping=True))


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    if _missing(value):
        return DASH
    return f"{number_format(float(value) * 100, int(digits))} %"


@register.filter
def figure(value: Any, digits: int = 1) -> str:
    if _missing(value):
        return DASH
    if isinstance(value, int):
        return str(number_format(value, 0, force_grouping=True))
    return str(number_format(float(value), int(digits), force_grouping=True))


@register.filter
def as_kind(value: Any, kind: str) -> str:
    """A comparison value shown as its row's kind (``money``, ``percent``, ``number``, ``seconds``, ``text``)."""
    if kind == "text":
        return DASH if _missing(value) else str(value)
    if kind == "money":
        return money(value)
    if kind == "percent":
        return percent(value)
    if kind == "seconds":
        return DASH if _missing(value) else f"{number_format(float(value), 1)} s"
    return figure(value)


@register.filter
def signed_as_kind(value: Any, kind: str) -> str:
    """A difference, with its sign."""
    if _missing(value) or kind == "text":
        return ""
    shown = as_kind(abs(value), kind)
    if value > 0:
        return f"+{shown}"
    if value < 0:
        return f"−{shown}"
    return "±0"
