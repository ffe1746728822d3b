"""The SMART indicator checker (issue 6, item 5): judges indicator rows per criterion, with reasons.

See docs/indicators.md for every rule: what triggers it, why, and how to fix the indicator.
"""

from ctip.core.indicators.model import (
    CRITERIA,
    Criterion,
    Finding,
    IndicatorCheck,
    IndicatorRow,
    Rule,
    Severity,
    SmartVerdict,
)
from ctip.core.indicators.rules import RULES, RULES_BY_ID
from ctip.core.indicators.smart import check_indicator, check_indicators, parse_number

__all__ = [
    "CRITERIA",
    "RULES",
    "RULES_BY_ID",
    "Criterion",
    "Finding",
    "IndicatorCheck",
    "IndicatorRow",
    "Rule",
    "Severity",
    "SmartVerdict",
    "check_indicator",
    "check_indicators",
    "parse_number",
]
