"""Importing an existing NAP draft (an implementation matrix, one activity per row) into a plan.

The file is read by :func:`ctip.formats.nap_matrix_io.read_matrix` and through the column mapping by
:func:`ctip.core.nap.matrix.parse_matrix` (every bad cell named by row and column). This module turns the
matrix's tree (objectives → outcomes → outputs, only the levels the file has) into the plan's tree
(pillar → objective → priority → outcome → output → activity): the pillar column is matched to the plan's
pillars (P1–P4, in English or French, or by code), a level the file does not have is filled with one
element per parent that repeats the parent's title, agencies found in the registry become the lead, the
others are kept as written, a budget becomes one cost line "Budget (imported)" and the indicators are
attached to their outcome or output.

:func:`matrix_import_preview` says what would be stored; :func:`matrix_import_apply` stores it all or
nothing, in one transaction, with one audit entry ``nap.import`` (file name and counts). The target is a
new plan, or an existing plan whose content is replaced (allowed only while none of its cost lines was
entered or changed by hand).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.nap.matrix import MatrixActivity, MatrixIndicator, MatrixNode, MatrixPreview
from ctip.core.nap.matrix_values import FundingSource, fold
from ctip.core.nap.model import DEFAULT_PILLARS
from ctip.formats.nap_matrix_io import MatrixFile, read_matrix
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import AuditEntry, User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.nap.models import LEVELS, ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.services.plans import plan_create
from ctip.web.stakeholders.models import Organisation

__all__ = [
    "IMPORTED_COST_LINE",
    "ImportPreview",
    "ImportResult",
    "PlannedElement",
    "known_agencies",
    "matrix_import_apply",
    "matrix_import_preview",
    "matrix_read",
    "plan_replaceable",
]

IMPORTED_COST_LINE = _("Budget (imported)")
_PREFIX = {"objective": "SO", "priority": "SP", "outcome": "OC", "output": "OP", "activity": "A"}
_PILLAR_WORDS = {
    "P1": ("prevention",),
    "P2": ("protection", "assistance"),
    "P3": ("prosecution", "prosecutions", "poursuite", "poursuites", "repression", "justice"),
    "P4": ("partnership", "partnerships", "partenariat", "partenariats", "cooperation"),
}
_PILLAR_NUMBER = re.compile(r"^(?:pillar|pilier|axe|p)?\s*(\d{1,2})\b")


# --- Reading -------------------------------------------------------------------------------------------


def matrix_read(data: bytes, filename: str) -> MatrixFile:
    """The uploaded matrix (CSV or XLSX); a :class:`DomainError` says what to fix in the file."""
    return read_matrix(data, filename=filename, max_bytes=int(settings.CTIP_MAX_UPLOAD_MB) * 1024 * 1024)


def known_agencies(workspace: Workspace) -> dict[str, tuple[str, ...]]:
    """The registry as the matcher reads it: key → (acronym, name)."""
    return {
        key: tuple(name for name in (acronym, name) if name)
        for key, acronym, name in Organisation.objects.filter(workspace=workspace).values_list(
            "key", "acronym", "name"
        )
    }


# --- The plan's tree from the matrix's tree -------------------------------------------------------------


@dataclass
class PlannedElement:
    """An element the import will create; ``parent`` is an index in the plan's list (``None``: a pillar
    of the plan, which exists or is created, see ``existing``)."""

    level: str
    code: str
    title: str
    parent: int | None
    position: int
    row: int = 0
    existing: bool = False
    filler: bool = False
    activity: MatrixActivity | None = None
    indicators: list[MatrixIndicator] = field(default_factory=list)


@dataclass(frozen=True)
class ImportPreview:
    filename: str
    matrix: MatrixPreview
    elements: tuple[PlannedElement, ...]
    warnings: tuple[FieldProblem, ...]
    problems: tuple[FieldProblem, ...]
    target_title: str
    period: tuple[int, int]
    currency: str
    replaces: ActionPlan | None = None
    replaced_elements: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)

    def count(self, level: str) -> int:
        return sum(1 for item in self.elements if item.level == level and not item.existing)

    @property
    def counts(self) -> dict[str, int]:
        result = {level: self.count(level) for level in LEVELS}
        result["indicators"] = sum(len(item.indicators) for item in self.elements)
        result["cost_lines"] = sum(
            1 for item in self.elements if item.activity is not None and item.activity.row.budget is not None
        )
        return result

    @property
    def pillars_added(self) -> int:
        return self.count("pillar")


@dataclass(frozen=True)
class ImportResult:
    plan: ActionPlan
    preview: ImportPreview
    counts: Mapping[str, int]


def _digits(code: str) -> str:
    return code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -_")


class _Planner:
    def __init__(self, pillars: Sequence[tuple[str, str]]) -> None:
        self.elements: list[PlannedElement] = []
        self.warnings: list[FieldProblem] = []
        self.codes: set[str] = set()
        self.children: dict[int | None, int] = {}
        self.fillers: dict[tuple[int, str], int] = {}
        self.pillars: dict[str, int] = {}
        self.pillar_count = len(pillars)
        for position, (code, title) in enumerate(pillars):
            self.pillars[code] = self._add(
                PlannedElement("pillar", code, title, None, position, existing=True), code
            )

    def _add(self, element: PlannedElement, code: str) -> int:
        unique, number = code, 2
        while unique.casefold() in self.codes:
            unique, number = f"{code}-{number}", number + 1
        if unique != code and element.row:
            self.warnings.append(
                FieldProblem(
                    f"row {element.row}",
                    _("The code “%(code)s” is used twice; this %(level)s is coded “%(unique)s”."),
                    {"code": code, "level": element.level, "unique": unique},
                )
            )
        element.code = unique
        self.codes.add(unique.casefold())
        self.elements.append(element)
        return len(self.elements) - 1

    def _position(self, parent: int | None) -> int:
        position = self.children.get(parent, 0)
        self.children[parent] = position + 1
        return position

    def pillar(self, text: str, row: int) -> int:
        """The pillar named ``text``: one of the plan's, or a new one."""
        title = text.strip() or gettext("Not assigned to a pillar")
        words = fold(title)
        for code, index in self.pillars.items():
            if words and (words == fold(self.elements[index].title) or words == fold(code)):
                return index
        number = _PILLAR_NUMBER.match(words)
        for code, synonyms in _PILLAR_WORDS.items():
            if code in self.pillars and (
                any(f" {word} " in f" {words} " for word in synonyms)
                or (number and number.group(1) == code[1:])
            ):
                return self.pillars[code]
        self.pillar_count += 1
        code = f"P{self.pillar_count}"
        index = self._add(PlannedElement("pillar", code, title, None, self.pillar_count - 1, row=row), code)
        self.pillars[self.elements[index].code] = index
        return index

    def under(self, parent: int, level: str) -> int:
        """``parent``, or the element between it and a child at ``level`` (created once per parent when
        the file has no column for the levels between)."""
        current = parent
        while LEVELS.index(self.elements[current].level) + 1 < LEVELS.index(level):
            above = self.elements[current]
            filler_level = LEVELS[LEVELS.index(above.level) + 1]
            key = (current, filler_level)
            if key not in self.fillers:
                digits = _digits(above.code) or str(current + 1)
                code = f"{_PREFIX[filler_level]}{digits}"
                self.fillers[key] = self._add(
                    PlannedElement(
                        filler_level,
                        code,
                        above.title,
                        current,
                        self._position(current),
                        row=above.row,
                        filler=True,
                    ),
                    code,
                )
            current = self.fillers[key]
        return current

    def node(self, node: MatrixNode, parent: int) -> int:
        host = self.under(parent, node.level.value)
        digits = _digits(node.code) or str(len(self.elements))
        code = f"{_PREFIX[node.level.value]}{digits}"
        index = self._add(
            PlannedElement(
                node.level.value, code, node.title, host, self._position(host), row=node.first_row
            ),
            code,
        )
        self.elements[index].indicators.extend(node.indicators)
        for child in node.children:
            self.node(child, index)
        if node.activities:
            output = self.under(index, "activity")
            for activity in node.activities:
                code = activity.code if activity.code[:1].isalpha() else f"A{activity.code}"
                title = activity.row.activity
                given = re.match(r"^\s*[A-Za-z]{0,3}\s?\d{1,2}(?:\.\d{1,2})*[.:)\-–]?\s+(?=\D)", title)
                if given and activity.code.endswith(_digits(given.group(0).strip(" .:)-–"))):
                    title = title[given.end() :].strip() or title
                self._add(
                    PlannedElement(
                        "activity",
                        code,
                        title,
                        output,
                        self._position(output),
                        row=activity.row.row,
                        activity=activity,
                    ),
                    code,
                )
                if activity.indicators:
                    self.elements[output].indicators.extend(activity.indicators)
                    self.warnings.append(
                        FieldProblem(
                            f"row {activity.row.row}",
                            _(
                                "A plan keeps indicators at outcome and output level: the indicator of this "
                                "activity is attached to its output."
                            ),
                        )
                    )
        return index

    def move_objective_indicators(self) -> None:
        for index, element in enumerate(self.elements):
            if element.level != "objective" or not element.indicators:
                continue
            outcome = self._first_below(index, "outcome")
            if outcome is None:
                outcome = self.under(self._first_below(index, "priority") or index, "output")
                outcome = (
                    self.elements[outcome].parent if self.elements[outcome].level == "output" else outcome
                )
            assert outcome is not None
            self.elements[outcome].indicators[:0] = element.indicators
            self.warnings.append(
                FieldProblem(
                    f"row {element.row}",
                    _(
                        "A plan keeps indicators at outcome and output level: the indicators of the objective "
                        "“%(objective)s” are attached to its outcome “%(outcome)s”."
                    ),
                    {"objective": element.title, "outcome": self.elements[outcome].title},
                )
            )
            element.indicators = []

    def _first_below(self, parent: int, level: str) -> int | None:
        for index, element in enumerate(self.elements):
            if element.parent == parent:
                if element.level == level:
                    return index
                found = self._first_below(index, level)
                if found is not None:
                    return found
        return None


def _plan_tree(
    matrix: MatrixPreview, pillars: Sequence[tuple[str, str]], has_pillar_column: bool
) -> _Planner:
    planner = _Planner(pillars)
    if not has_pillar_column and matrix.tree:
        planner.warnings.append(
            FieldProblem(
                "pillar",
                _(
                    "The file has no pillar column: its objectives are placed under the pillar “%(pillar)s”. "
                    "Move them to their pillar on the plan's outline, or add a pillar column and import again."
                ),
                {"pillar": gettext("Not assigned to a pillar")},
            )
        )
    for node in matrix.tree:
        planner.node(node, planner.pillar(node.pillar, node.first_row))
    planner.move_objective_indicators()
    levels = {node.level.value for node in _walk(matrix.tree)}
    for level in ("objective", "priority", "outcome", "output"):
        if level not in levels and any(item.level == level for item in planner.elements):
            planner.warnings.append(
                FieldProblem(
                    level,
                    _(
                        "The file has no %(level)s column: each element above gets one %(level)s with the same "
                        "title. Rename or split them on the plan's outline."
                    ),
                    {"level": level},
                )
            )
    return planner


def _walk(nodes: Sequence[MatrixNode]) -> list[MatrixNode]:
    found: list[MatrixNode] = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node.children))
    return found


# --- Preview and apply ----------------------------------------------------------------------------------


def plan_replaceable(plan: ActionPlan) -> bool:
    """Whether an import may replace the plan's content: none of its cost lines was entered or changed by
    hand (every line is an untouched imported budget line)."""
    with translation.override("fr"):
        french = gettext(IMPORTED_COST_LINE)
    lines = NapCostLine.objects.filter(activity__plan=plan)
    if (
        lines.exclude(description__in={IMPORTED_COST_LINE, french}).exists()
        or lines.filter(version__gt=1).exists()
    ):
        return False
    uuids = [str(value) for value in lines.values_list("uuid", flat=True)]
    return not AuditEntry.objects.filter(object_type="nap.napcostline", object_id__in=uuids).exists()


def _target(
    workspace: Workspace, values: Mapping[str, Any], plan: ActionPlan | None
) -> tuple[str, tuple[int, int], str]:
    if plan is not None:
        if not plan_replaceable(plan):
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "The plan “%(title)s” has cost lines entered or changed by hand; an import would lose them. "
                    "Import into a new plan instead."
                ),
                {"title": plan.title},
            )
        return plan.title, (plan.period_start, plan.period_end), plan.currency
    problems: list[FieldProblem] = []
    title = " ".join(str(values.get("title") or "").split())
    if not title:
        problems.append(FieldProblem("title", _("Give the new plan a title.")))
    period: list[int] = []
    for name in ("period_start", "period_end"):
        raw = str(values.get(name) or "").strip()
        if not raw.isdigit() or not 1900 <= int(raw) <= 2200:
            problems.append(
                FieldProblem(
                    name, _("“%(value)s” is not a year: type four digits, e.g. 2025."), {"value": raw}
                )
            )
        else:
            period.append(int(raw))
    if len(period) == 2 and period[1] < period[0]:
        problems.append(
            FieldProblem(
                "period_end",
                _("The plan ends in %(end)s, before it starts in %(start)s: check the period."),
                {"start": period[0], "end": period[1]},
            )
        )
    currency = str(values.get("currency") or workspace.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        problems.append(
            FieldProblem(
                "currency",
                _("“%(value)s” is not a currency code: use the three letters of ISO 4217, e.g. USD."),
                {"value": currency},
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The new plan cannot be created; correct the fields listed."),
            problems=problems,
        )
    return title, (period[0], period[1]), currency


def matrix_import_preview(
    *,
    workspace: Workspace,
    matrix: MatrixFile,
    mapping: Mapping[str, int],
    values: Mapping[str, Any],
    plan: ActionPlan | None = None,
    acting_user: User | None,
) -> ImportPreview:
    """What importing ``matrix`` through ``mapping`` would store, into a new plan (``values``: title,
    period_start, period_end, currency) or in place of ``plan``'s content. Nothing is written.

    Raises :class:`DomainError` for an unusable mapping or target; the file's problems are in the preview."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if plan is not None and plan.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such plan in this workspace."))
    title, period, currency = _target(workspace, values, plan)
    parsed = matrix.preview(
        mapping, plan_period=period, known_agencies=known_agencies(workspace), default_currency=currency
    )
    if plan is not None:
        pillars = list(
            NapElement.objects.filter(plan=plan, level="pillar")
            .order_by("position", "id")
            .values_list("code", "title")
        )
    else:
        pillars = [(code, str(name)) for code, name in DEFAULT_PILLARS]
    planner = _plan_tree(parsed, pillars, "pillar" in mapping)
    problems = list(parsed.problems)
    if not problems and not parsed.summary.activities:
        problems.append(
            FieldProblem(
                "activity",
                _("No activity was found in the file. Check that the activity column is the right one."),
            )
        )
    replaced = NapElement.objects.filter(plan=plan).exclude(level="pillar").count() if plan else 0
    return ImportPreview(
        filename=matrix.source,
        matrix=parsed,
        elements=tuple(planner.elements),
        warnings=(*parsed.warnings, *planner.warnings),
        problems=tuple(problems),
        target_title=title,
        period=period,
        currency=currency,
        replaces=plan,
        replaced_elements=replaced,
    )


def _timeline(activity: MatrixActivity) -> list[list[int]]:
    quarters: set[tuple[int, int]] = set()
    for (first_year, first_quarter), (last_year, last_quarter) in activity.row.timeframe:
        year, quarter = first_year, first_quarter
        while (year, quarter) <= (last_year, last_quarter):
            quarters.add((year, quarter))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return [[year, quarter] for year, quarter in sorted(quarters)]


def _cost_line(
    workspace: Workspace, activity: NapElement, source: MatrixActivity, currency: str, description: str
) -> NapCostLine | None:
    row = source.row
    if row.budget is None:
        return None
    unit_cost, quantity = row.budget.amount, Decimal(1)
    if (
        row.unit_cost is not None
        and row.quantity is not None
        and row.unit_cost.amount * row.quantity == unit_cost
    ):
        unit_cost, quantity = row.unit_cost.amount, row.quantity
    funding = row.funding_source or FundingSource.UNFUNDED
    years = [span[0][0] for span in row.timeframe]
    return NapCostLine(
        workspace=workspace,
        activity=activity,
        code="C1",
        description=description,
        unit_cost=unit_cost.quantize(Decimal("0.01")),
        quantity=quantity.quantize(Decimal("0.001")),
        year=min(years) if years else None,
        currency=_currency_code(row.budget.currency, currency),
        funding_source=funding.value,
        funder=row.funding_text[:250] if funding == FundingSource.DONOR else "",
    )


def _currency_code(written: str, default: str) -> str:
    """An ISO 4217 code for a cost line: the one written when it is one (FRW, Rwanda's usual abbreviation,
    read as RWF), otherwise the plan's currency."""
    code = "RWF" if written.strip().upper() in ("FRW", "RWF", "FRW.") else written.strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else default


def matrix_import_apply(
    *,
    workspace: Workspace,
    data: bytes,
    filename: str,
    mapping: Mapping[str, int],
    values: Mapping[str, Any],
    plan: ActionPlan | None = None,
    acting_user: User | None,
) -> ImportResult:
    """Store the import :func:`matrix_import_preview` describes, all or nothing; a file with any problem
    raises :class:`DomainError` (its problems by row and column) and nothing is stored."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    matrix = matrix_read(data, filename)
    with transaction.atomic():
        if plan is not None:
            plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
        preview = matrix_import_preview(
            workspace=workspace,
            matrix=matrix,
            mapping=mapping,
            values=values,
            plan=plan,
            acting_user=acting_user,
        )
        if preview.has_errors:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _(
                    "Nothing was imported: the file has %(count)s problem(s). Correct them and import it again."
                ),
                {"count": len(preview.problems)},
                problems=list(preview.problems),
            )
        if plan is None:
            target = plan_create(
                workspace=workspace,
                values={
                    "title": preview.target_title,
                    "period_start": preview.period[0],
                    "period_end": preview.period[1],
                    "currency": preview.currency,
                    "source_file": filename[:250],
                },
                acting_user=acting_user,
            )
        else:
            target = plan
            NapElement.objects.filter(plan=target).exclude(level="pillar").delete()
            target.source_file = filename[:250]
            target.version += 1
            target.updated_at = timezone.now()
            target.save(update_fields=["source_file", "version", "updated_at"])
        counts = _store(workspace, target, preview)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="nap.import",
            obj=target,
            before={"elements": preview.replaced_elements} if plan is not None else None,
            after={"file": filename, **counts},
        )
    return ImportResult(plan=target, preview=preview, counts=counts)


def _store(workspace: Workspace, plan: ActionPlan, preview: ImportPreview) -> dict[str, int]:
    organisations = {
        org.key: org for org in Organisation.objects.filter(workspace=workspace).only("pk", "uuid", "key")
    }
    pillars = {item.code: item for item in NapElement.objects.filter(plan=plan, level="pillar")}
    saved: dict[int, NapElement] = {}
    for index, planned in enumerate(preview.elements):
        if planned.existing:
            saved[index] = pillars[planned.code]
    description = gettext(IMPORTED_COST_LINE)
    for level in LEVELS:
        batch: list[tuple[int, NapElement]] = []
        for index, planned in enumerate(preview.elements):
            if planned.level != level or planned.existing:
                continue
            element = NapElement(
                workspace=workspace,
                plan=plan,
                parent=saved[planned.parent] if planned.parent is not None else None,
                level=level,
                code=planned.code[:40],
                title=planned.title,
                position=planned.position,
            )
            if planned.activity is not None:
                row = planned.activity.row
                if row.lead is not None:
                    organisation = organisations.get(row.lead.key or "")
                    element.lead = organisation
                    element.lead_name = "" if organisation else row.lead.text[:250]
                element.supporting = [
                    {
                        "organisation": str(organisations[match.key].uuid)
                        if match.key in organisations
                        else "",
                        "name": match.text,
                    }
                    for match in row.partners
                ]
                element.timeline = _timeline(planned.activity)
                element.location = row.location[:200]
            batch.append((index, element))
        NapElement.objects.bulk_create([element for _index, element in batch])
        ids = dict(
            NapElement.objects.filter(uuid__in=[element.uuid for _index, element in batch]).values_list(
                "uuid", "pk"
            )
        )
        for index, element in batch:
            element.pk = ids[element.uuid]
            saved[index] = element
    lines: list[NapCostLine] = []
    indicators: list[NapIndicator] = []
    for index, planned in enumerate(preview.elements):
        if planned.activity is not None:
            line = _cost_line(workspace, saved[index], planned.activity, plan.currency, description)
            if line is not None:
                lines.append(line)
        for number, indicator in enumerate(planned.indicators, start=1):
            indicators.append(
                NapIndicator(
                    workspace=workspace,
                    element=saved[index],
                    code=f"{saved[index].code}-I{number}",  # unique in the plan, as the services require
                    name=indicator.text,
                    baseline=indicator.baseline[:250],
                    targets=[{"year": plan.period_end, "value": indicator.target, "sex": ""}]
                    if indicator.target
                    else [],
                    position=number - 1,
                )
            )
    NapCostLine.objects.bulk_create(lines)
    NapIndicator.objects.bulk_create(indicators)
    counts = {level: preview.count(level) for level in LEVELS}
    counts.update(indicators=len(indicators), cost_lines=len(lines))
    return counts
