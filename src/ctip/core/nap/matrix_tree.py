"""The hierarchy of an imported implementation matrix: the rows as read (:class:`MatrixRow`), built into
objectives → outcomes → outputs (only the levels the file has) with their activities and indicators, codes
generated where the file gives none (O1, O1.1, O1.1.1, A1.1.1.1), and the preview's summary."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ctip.core.errors import FieldProblem, _
from ctip.core.nap.matrix_values import AgencyMatch, FundingSource, Money, Span, fold

Locate = Callable[[int, str], str]
"""``(row, field)`` → ``row 7, column “Budget” (L)``."""


class Level(StrEnum):
    OBJECTIVE = "objective"
    OUTCOME = "outcome"
    OUTPUT = "output"


LEVELS = (Level.OBJECTIVE, Level.OUTCOME, Level.OUTPUT)


@dataclass(frozen=True)
class MatrixRow:
    """One row as read: hierarchy titles after "same as above", and the activity's parsed cells."""

    row: int
    pillar: str
    titles: Mapping[str, str]
    activity: str
    activity_code: str
    indicator: str
    indicator_level: str
    baseline: str
    target: str
    timeframe: tuple[Span, ...]
    lead: AgencyMatch | None
    partners: tuple[AgencyMatch, ...]
    budget: Money | None
    budget_to_be_determined: bool
    unit_cost: Money | None
    quantity: Decimal | None
    funding_source: FundingSource | None
    funding_text: str
    location: str


@dataclass(frozen=True)
class MatrixIndicator:
    text: str
    baseline: str
    target: str
    rows: tuple[int, ...]


@dataclass
class MatrixActivity:
    code: str
    row: MatrixRow
    indicators: list[MatrixIndicator] = field(default_factory=list)


@dataclass
class MatrixNode:
    level: Level
    code: str
    title: str
    first_row: int
    pillar: str = ""
    children: list[MatrixNode] = field(default_factory=list)
    activities: list[MatrixActivity] = field(default_factory=list)
    indicators: list[MatrixIndicator] = field(default_factory=list)
    parent: MatrixNode | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class UnmatchedAgency:
    text: str
    suggestions: tuple[str, ...]
    rows: tuple[int, ...]


@dataclass(frozen=True)
class MatrixSummary:
    rows: int
    objectives: int
    outcomes: int
    outputs: int
    activities: int
    indicators: int
    rows_with_problems: tuple[int, ...]
    unmatched_agencies: tuple[UnmatchedAgency, ...]
    budget_totals: Mapping[str, Decimal]
    budgets_to_be_determined: int


_CODE_PREFIX = re.compile(
    r"^\s*((?:[A-Za-z]{1,3}\s?)?\d{1,2}(?:\.\d{1,2})*)(?:[.:)\-–]\s*|\s+)(?=\D)(.+)$", re.DOTALL
)
INDICATOR_LEVELS = {
    "objective": Level.OBJECTIVE, "objectif": Level.OBJECTIVE, "impact": Level.OBJECTIVE, "goal": Level.OBJECTIVE,
    "outcome": Level.OUTCOME, "effet": Level.OUTCOME, "result": Level.OUTCOME, "resultat": Level.OUTCOME,
    "output": Level.OUTPUT, "produit": Level.OUTPUT, "extrant": Level.OUTPUT,
    "activity": "activity", "activite": "activity", "process": "activity", "processus": "activity",
}  # fmt: skip


_NEAR_DUPLICATE = 0.9


def same_text(text: str) -> str:
    """Titles repeated "with small differences" (case, accents, spaces, punctuation) are the same title."""
    return fold(text)


def split_code(text: str) -> tuple[str, str]:
    """``"1.2 Improve shelters"`` → ``("1.2", "Improve shelters")``; text without a leading code → ``("", text)``."""
    found = _CODE_PREFIX.match(text)
    if found and not re.fullmatch(r"\d{4}", found.group(1)):
        return found.group(1).replace(" ", ""), found.group(2).strip()
    return "", text.strip()


def build_tree(
    records: Sequence[MatrixRow], levels: Sequence[Level], warnings: list[FieldProblem], locate: Locate
) -> list[MatrixNode]:
    roots: list[MatrixNode] = []
    by_title: dict[tuple[int, str], MatrixNode] = {}  # (id of parent list, folded title) → node
    for record in records:
        siblings = roots
        parent_code = ""
        parent: MatrixNode | None = None
        node: MatrixNode | None = None
        for depth, level in enumerate(levels):
            title = record.titles.get(level.value, "")
            if not title:
                node = None
                break
            given, text = split_code(title)
            key = (id(siblings), same_text(text))
            node = by_title.get(key)
            if node is None:
                for other in siblings:
                    if (
                        difflib.SequenceMatcher(None, same_text(text), same_text(other.title)).ratio()
                        >= _NEAR_DUPLICATE
                    ):
                        warnings.append(
                            FieldProblem(
                                locate(record.row, level.value),
                                _(
                                    "“%(text)s” is almost the same as “%(other)s” (row %(row)s), so it was read as "
                                    "a different %(level)s. If they are the same, make the two texts identical."
                                ),
                                {
                                    "text": text,
                                    "other": other.title,
                                    "row": other.first_row,
                                    "level": level.value,
                                },
                            )
                        )
                        break
                position = len(siblings) + 1
                if given and given[0].isdigit():
                    given = f"O{given}"
                code = given or (f"O{position}" if depth == 0 else f"{parent_code}.{position}")
                node = MatrixNode(
                    level, code, text, record.row, pillar=record.pillar if depth == 0 else "", parent=parent
                )
                siblings.append(node)
                by_title[key] = node
            parent_code = node.code
            parent = node
            siblings = node.children
        if node is None:
            continue
        _attach(node, record, levels, warnings, locate)
    return roots


def _attach(
    leaf: MatrixNode,
    record: MatrixRow,
    levels: Sequence[Level],
    warnings: list[FieldProblem],
    locate: Locate,
) -> None:
    activity: MatrixActivity | None = None
    if record.activity:
        given, _text = split_code(record.activity)
        digits = leaf.code.lstrip("OoPp")
        code = record.activity_code or given or f"A{digits}.{len(leaf.activities) + 1}"
        if code[0].isdigit():
            code = f"A{code}"
        activity = MatrixActivity(code, record)
        leaf.activities.append(activity)
    if not record.indicator:
        return
    indicator = MatrixIndicator(record.indicator, record.baseline, record.target, (record.row,))
    wanted = INDICATOR_LEVELS.get(record.indicator_level, "")
    if wanted == "activity":
        if activity is not None:
            activity.indicators.append(indicator)
            return
        wanted = ""
    target = leaf
    if isinstance(wanted, Level) and wanted in levels and wanted != leaf.level:
        target = _ancestor(leaf, wanted)
    elif isinstance(wanted, Level) and wanted not in levels:
        warnings.append(
            FieldProblem(
                locate(record.row, "indicator_level"),
                _("The file has no %(level)s column, so this indicator is attached to the %(leaf)s."),
                {"level": wanted.value, "leaf": leaf.level.value},
            )
        )
    for existing in target.indicators:
        if fold(existing.text) == fold(indicator.text):
            if (indicator.baseline, indicator.target) != (existing.baseline, existing.target) and (
                indicator.baseline or indicator.target
            ):
                warnings.append(
                    FieldProblem(
                        locate(record.row, "indicator"),
                        _(
                            "This indicator repeats the one in row %(row)s with another baseline or target; the first is kept."
                        ),
                        {"row": existing.rows[0]},
                    )
                )
            return
    target.indicators.append(indicator)


def _ancestor(leaf: MatrixNode, level: Level) -> MatrixNode:
    node: MatrixNode | None = leaf
    while node is not None and node.level != level:
        node = node.parent
    return node or leaf


def summarise(records: Sequence[MatrixRow], tree: Sequence[MatrixNode], bad_rows: set[int]) -> MatrixSummary:
    counts = {level: 0 for level in LEVELS}
    indicators = 0
    activities = 0
    stack = list(tree)
    while stack:
        node = stack.pop()
        counts[node.level] += 1
        indicators += len(node.indicators) + sum(len(item.indicators) for item in node.activities)
        activities += len(node.activities)
        stack.extend(node.children)
    unmatched: dict[str, tuple[str, tuple[str, ...], list[int]]] = {}
    totals: dict[str, Decimal] = {}
    for record in records:
        for agency in ([record.lead] if record.lead else []) + list(record.partners):
            if agency.key is None:
                entry = unmatched.setdefault(fold(agency.text), (agency.text, agency.suggestions, []))
                if record.row not in entry[2]:
                    entry[2].append(record.row)
        if record.budget is not None:
            totals[record.budget.currency] = (
                totals.get(record.budget.currency, Decimal(0)) + record.budget.amount
            )
    return MatrixSummary(
        rows=len(records),
        objectives=counts[Level.OBJECTIVE],
        outcomes=counts[Level.OUTCOME],
        outputs=counts[Level.OUTPUT],
        activities=activities,
        indicators=indicators,
        rows_with_problems=tuple(sorted(bad_rows)),
        unmatched_agencies=tuple(
            UnmatchedAgency(text, suggestions, tuple(rows)) for text, suggestions, rows in unmatched.values()
        ),
        budget_totals=totals,
        budgets_to_be_determined=sum(1 for record in records if record.budget_to_be_determined),
    )
