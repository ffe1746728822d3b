"""The vocabulary of the M&E framework: logframe tiers, indicator metadata, periods and the values stored
for an indicator (targets and actuals keyed by period × sex × location), and the progress statuses.

DOMAIN.md §2: an indicator has a unit (number or percent, never both), a direction of change, a baseline
(value, date) or "not applicable", targets per period and a life-of-plan target, a cumulative rule,
disaggregations, means of verification, a data collection method and frequency, a responsible agency and
a data source. Targets and actuals are stored together, keyed by indicator × period × sex × location, so
that targets can be disaggregated too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.tna.model import Text

MAX_TIERS = 8
"""Logframes have up to about eight tiers in practice (DOMAIN.md §2)."""

DEFAULT_TIERS: tuple[Text, ...] = (
    Text("Goal", "Objectif global"),
    Text("Outcome", "Effet"),
    Text("Output", "Produit"),
    Text("Activity", "Activité"),
)

ALL = ""
"""The sex or location of a value that covers everyone (a total)."""


class Unit(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class CumulativeRule(StrEnum):
    """How the values of successive periods combine (docs/monitoring.md)."""

    NON_CUMULATIVE = "non_cumulative"
    """Each year stands alone: a year's actual is compared with that year's target only. Quarterly numbers
    add up to the year; a percentage of a year is its latest measurement."""
    CUMULATIVE = "cumulative"
    """Values entered per period are what happened in that period; progress is the running total since the
    start of the plan, compared with the running total of the targets (numbers only)."""
    CUMULATIVE_NON_SUMMING = "cumulative_non_summing"
    """Values entered are already totals to date (a stock, e.g. SOPs adopted so far): the latest value
    stands for the period and for the plan, nothing is added up."""


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


SEXES: tuple[str, ...] = (ALL, Sex.FEMALE.value, Sex.MALE.value)


class Disaggregation(StrEnum):
    SEX = "sex"
    AGE_BAND = "age_band"
    LOCATION = "location"
    INSTITUTION = "institution"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    BASELINE_ENDLINE = "baseline_endline"


class ValueKind(StrEnum):
    TARGET = "target"
    ACTUAL = "actual"


class Status(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"  # a target but no actual yet
    NO_TARGET = "no_target"  # nothing to compare an actual with


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TRACK: _("On track"),
    Status.OFF_TRACK: _("Off track"),
    Status.NO_DATA: _("No data yet"),
    Status.NO_TARGET: _("No target"),
}
UNIT_LABELS: dict[Unit, str] = {Unit.NUMBER: _("Number"), Unit.PERCENT: _("Percentage")}
DIRECTION_LABELS: dict[Direction, str] = {
    Direction.INCREASE: _("Increase is better"),
    Direction.DECREASE: _("Decrease is better"),
}
RULE_LABELS: dict[CumulativeRule, str] = {
    CumulativeRule.NON_CUMULATIVE: _("Non-cumulative (each year stands alone)"),
    CumulativeRule.CUMULATIVE: _("Cumulative (running total of the periods)"),
    CumulativeRule.CUMULATIVE_NON_SUMMING: _("Cumulative, non-summing (values are totals to date)"),
}
DISAGGREGATION_LABELS: dict[Disaggregation, str] = {
    Disaggregation.SEX: _("Sex"),
    Disaggregation.AGE_BAND: _("Age band"),
    Disaggregation.LOCATION: _("Location"),
    Disaggregation.INSTITUTION: _("Institution"),
}
FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.MONTHLY: _("Monthly"),
    Frequency.QUARTERLY: _("Quarterly"),
    Frequency.HALF_YEARLY: _("Every six months"),
    Frequency.YEARLY: _("Yearly"),
    Frequency.BASELINE_ENDLINE: _("At baseline and at the end of the plan"),
}
SEX_LABELS: dict[str, str] = {ALL: _("All"), Sex.FEMALE.value: _("Women"), Sex.MALE.value: _("Men")}


@dataclass(frozen=True, order=True)
class Period:
    """A year (``quarter`` 0) or one quarter of a year. Written ``2026`` or ``2026-Q2``."""

    year: int
    quarter: int = 0

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def is_year(self) -> bool:
        return self.quarter == 0


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER_AFTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[QT]([1-4])$", re.IGNORECASE)
_QUARTER_BEFORE = re.compile(r"^[QT]([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
MIN_YEAR = 1990
MAX_YEAR = 2100


def parse_period(text: str) -> Period:
    """``"2026"``, ``"2026-Q2"``, ``"2026 Q2"``, ``"Q2 2026"`` or French ``"T2 2026"`` → :class:`Period`;
    :class:`DomainError` (``invalid_value``) for anything else."""
    value = text.strip()
    year = quarter = None
    if match := _YEAR.match(value):
        year, quarter = int(match.group(1)), 0
    elif match := _QUARTER_AFTER.match(value):
        year, quarter = int(match.group(1)), int(match.group(2))
    elif match := _QUARTER_BEFORE.match(value):
        year, quarter = int(match.group(2)), int(match.group(1))
    if year is None or quarter is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(value)s” is not a period: write a year (2026) or a quarter (2026-Q2)."),
            {"value": text},
        )
    return Period(year, quarter)


Cell = tuple[str, str]
"""A disaggregation cell: (sex, location); ``""`` in either place means all."""

TOTAL: Cell = (ALL, ALL)


@dataclass(frozen=True)
class DataPoint:
    """One stored value of an indicator."""

    kind: ValueKind
    period: Period
    sex: str
    location: str
    value: float

    @property
    def cell(self) -> Cell:
        return (self.sex, self.location)


@dataclass(frozen=True)
class IndicatorSpec:
    """What the progress rules need to know about an indicator."""

    unit: Unit
    direction: Direction
    rule: CumulativeRule
    baseline: float | None = None
    life_of_plan_target: float | None = None

    @property
    def is_summing(self) -> bool:
        """True when values of successive periods add up (numbers, not already totals to date)."""
        return self.unit is Unit.NUMBER and self.rule is not CumulativeRule.CUMULATIVE_NON_SUMMING


def check_spec(spec: IndicatorSpec) -> list[tuple[str, str, dict[str, object]]]:
    """Problems with an indicator's metadata as (field, message template, params): a percentage cannot
    be cumulative (percentages do not add up), and percentages lie within 0–100."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    if spec.unit is Unit.PERCENT and spec.rule is CumulativeRule.CUMULATIVE:
        problems.append(
            (
                "cumulative_rule",
                _(
                    "A percentage cannot be cumulative: percentages of different periods do not add up. "
                    "Choose “non-cumulative”, or count a number instead."
                ),
                {},
            )
        )
    for name, value in (("baseline_value", spec.baseline), ("lop_target", spec.life_of_plan_target)):
        problems.extend(value_problems(spec.unit, value, name))
    return problems


def value_problems(unit: Unit, value: float | None, field: str) -> list[tuple[str, str, dict[str, object]]]:
    """A percentage must lie within 0–100; no value may be negative."""
    if value is None:
        return []
    if value < 0:
        return [(field, _("%(value)s is negative: indicator values are 0 or more."), {"value": value})]
    if unit is Unit.PERCENT and value > 100:
        return [
            (field, _("%(value)s is not a percentage: percentages lie between 0 and 100."), {"value": value})
        ]
    return []
