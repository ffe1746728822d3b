"""The vocabulary of the SMART checker: an indicator row, the findings on it and the verdict per criterion.

An :class:`IndicatorRow` is one row of a results framework as people type it (DOMAIN.md §2): the statement
and its metadata. Values are kept as entered (``"45 %"``, ``"[specify number]"``, ``"n/a"``) because judging
what was typed is the point. :func:`ctip.core.indicators.check_indicator` turns a row into an
:class:`IndicatorCheck`: one :class:`SmartVerdict` per criterion, each with its :class:`Finding` list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ctip.core.tna.model import Text

Translate = Callable[[str], str]
Value = str | int | float | None


class Criterion(StrEnum):
    SPECIFIC = "specific"
    MEASURABLE = "measurable"
    ACHIEVABLE = "achievable"
    RELEVANT = "relevant"
    TIME_BOUND = "time_bound"


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)


class Severity(StrEnum):
    ERROR = "error"  # the indicator fails the criterion
    WARNING = "warning"  # worth a second look; the criterion still passes


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator with its metadata, as entered. Empty strings and ``None`` mean "not given".

    ``unit`` is ``number``, ``percent``, ``milestone`` (yes/no) or ``scale`` (qualitative, with ``scale``
    saying what the points mean); English and French synonyms are accepted (see :mod:`.vocabulary`), and
    any other unit (``"sessions"``) counts as a number. ``period`` is free text such as ``"2026–2028"`` or
    ``"Q4 2027"``; its last year stands in for ``target_year`` when that is missing."""

    text: str
    unit: str = ""
    baseline: Value = None
    baseline_year: int | None = None
    target: Value = None
    target_year: int | None = None
    period: str = ""
    data_source: str = ""
    responsible: str = ""
    disaggregation: tuple[str, ...] = ()
    frequency: str = ""
    scale: str = ""
    key: str = ""  # the caller's reference for the row, e.g. "1.2.3"; not judged


@dataclass(frozen=True)
class Rule:
    """One documented rule (docs/indicators.md). ``id`` is stable: callers may filter on it."""

    id: str
    criterion: Criterion
    severity: Severity
    title: Text
    description: Text
    fix: Text


@dataclass(frozen=True)
class Finding:
    """Why a rule fired on a row. ``template`` is a ``%``-style message marked for translation, filled with
    ``params`` (see :mod:`ctip.core.errors`); ``field`` names the row field concerned (``"text"``,
    ``"target"`` …) so that a form can show the finding next to it."""

    criterion: Criterion
    rule: str
    severity: Severity
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    field: str = ""

    @property
    def message(self) -> str:
        """The message in English."""
        return self.render()

    def render(self, translate: Translate = str) -> str:
        """The message in the reader's language (``translate``: e.g. Django's ``gettext``)."""
        text = translate(self.template)
        return text % dict(self.params) if self.params else text


@dataclass(frozen=True)
class SmartVerdict:
    """The verdict on one criterion: it passes unless an error-level finding was raised."""

    criterion: Criterion
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return not any(finding.severity is Severity.ERROR for finding in self.findings)


@dataclass(frozen=True)
class IndicatorCheck:
    """The whole judgement on one row: five verdicts in S, M, A, R, T order."""

    row: IndicatorRow
    verdicts: tuple[SmartVerdict, ...]

    @property
    def passed(self) -> bool:
        """True when every criterion passes (warnings allowed)."""
        return all(verdict.passed for verdict in self.verdicts)

    @property
    def score(self) -> int:
        """How many of the five criteria pass."""
        return sum(verdict.passed for verdict in self.verdicts)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(finding for verdict in self.verdicts for finding in verdict.findings)

    def verdict(self, criterion: Criterion) -> SmartVerdict:
        return next(verdict for verdict in self.verdicts if verdict.criterion is criterion)

    def rule_ids(self) -> frozenset[str]:
        return frozenset(finding.rule for finding in self.findings)
