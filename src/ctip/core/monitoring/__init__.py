"""The M&E framework (issue 6): logframe tiers, indicator metadata, targets and actuals per period and
disaggregation, progress with an on-track / off-track status, and baselines drawn from the TNA.

See docs/monitoring.md for the rules.
"""

from ctip.core.monitoring.baseline import Share, TnaBaseline, tna_baseline
from ctip.core.monitoring.model import (
    ALL,
    DEFAULT_TIERS,
    MAX_TIERS,
    TOTAL,
    Cell,
    CumulativeRule,
    DataPoint,
    Direction,
    Disaggregation,
    Frequency,
    IndicatorSpec,
    Period,
    Sex,
    Status,
    Unit,
    ValueKind,
    check_spec,
    parse_period,
    value_problems,
)
from ctip.core.monitoring.progress import (
    IndicatorProgress,
    PlanProgress,
    YearProgress,
    cell_value,
    indicator_progress,
    judge,
)
from ctip.core.monitoring.values import ValueEntry, parse_value, parse_value_rows

__all__ = [
    "ALL",
    "DEFAULT_TIERS",
    "MAX_TIERS",
    "TOTAL",
    "Cell",
    "CumulativeRule",
    "DataPoint",
    "Direction",
    "Disaggregation",
    "Frequency",
    "IndicatorProgress",
    "IndicatorSpec",
    "Period",
    "PlanProgress",
    "Sex",
    "Share",
    "Status",
    "TnaBaseline",
    "Unit",
    "ValueEntry",
    "ValueKind",
    "YearProgress",
    "cell_value",
    "check_spec",
    "indicator_progress",
    "judge",
    "parse_period",
    "parse_value",
    "parse_value_rows",
    "tna_baseline",
    "value_problems",
]
