"""The logframe: tier names, results (nodes) and their indicators — create, update, delete, audited.

A result sits one tier below its parent (the top results, tier 1, have none). A result with results or
indicators under it cannot be deleted; an indicator's values go with it (each deletion audited).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.monitoring.model import (
    DEFAULT_TIERS,
    MAX_TIERS,
    CumulativeRule,
    Direction,
    Disaggregation,
    Frequency,
    IndicatorSpec,
    Unit,
    check_spec,
)
from ctip.core.stakeholders import Pillar
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.monitoring.models import CODE_MAX_LENGTH, Indicator, IndicatorValue, Logframe, ResultNode

LOGFRAME_FIELDS = ["tiers"]
NODE_FIELDS = ["tier", "parent", "code", "statement_en", "statement_fr", "pillar", "position"]
INDICATOR_FIELDS = [
    "node",
    "code",
    "name_en",
    "name_fr",
    "definition_en",
    "definition_fr",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "baseline_not_applicable",
    "baseline_note",
    "baseline_detail",
    "lop_target",
    "cumulative_rule",
    "disaggregation",
    "means_of_verification",
    "collection_method",
    "frequency",
    "responsible_agency",
    "data_source",
    "position",
]
VALUE_FIELDS = ["indicator", "kind", "period", "sex", "location", "value", "source", "note", "entered_by"]
TIER_NAME_MAX = 60
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# --- Tiers ---------------------------------------------------------------------------------------------


def tier_names(workspace: Workspace) -> list[dict[str, str]]:
    """The workspace's tier names, top first (the default four when it has not set its own)."""
    logframe = Logframe.objects.filter(workspace=workspace).first()
    if logframe is not None and logframe.tiers:
        return [{"en": str(t.get("en", "")), "fr": str(t.get("fr", ""))} for t in logframe.tiers]
    return [{"en": text.en, "fr": text.fr} for text in DEFAULT_TIERS]


def logframe_tiers_update(
    *, workspace: Workspace, tiers: Sequence[tuple[str, str]], acting_user: User | None
) -> Logframe:
    """Set the tier names (English, French), top first: 1 to 8 tiers, each with an English name; tiers
    that results use cannot be removed."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    cleaned = [{"en": en.strip(), "fr": fr.strip()} for en, fr in tiers if en.strip() or fr.strip()]
    problems: list[FieldProblem] = []
    if not 1 <= len(cleaned) <= MAX_TIERS:
        problems.append(
            FieldProblem(
                "tiers",
                _("A logframe has from 1 to %(max)s tiers; %(count)s were given."),
                {"max": MAX_TIERS, "count": len(cleaned)},
            )
        )
    for position, tier in enumerate(cleaned, start=1):
        if not tier["en"]:
            problems.append(
                FieldProblem(
                    f"tier_{position}", _("Tier %(position)s needs an English name."), {"position": position}
                )
            )
        if len(tier["en"]) > TIER_NAME_MAX or len(tier["fr"]) > TIER_NAME_MAX:
            problems.append(
                FieldProblem(
                    f"tier_{position}",
                    _("Tier names have at most %(limit)s characters."),
                    {"limit": TIER_NAME_MAX},
                )
            )
    deepest = ResultNode.objects.filter(workspace=workspace).aggregate(deepest=Max("tier"))["deepest"] or 0
    if cleaned and deepest > len(cleaned):
        problems.append(
            FieldProblem(
                "tiers",
                _(
                    "Results use %(deepest)s tiers, so the logframe needs at least %(deepest)s tier names; "
                    "delete or move the results of the lower tiers first."
                ),
                {"deepest": deepest},
            )
        )
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The tier names cannot be saved."), problems=problems)
    with transaction.atomic():
        existing = Logframe.objects.select_for_update().filter(workspace=workspace).first()
        if existing is None:
            return record_create(
                model=Logframe,
                workspace=workspace,
                values={"workspace": workspace, "tiers": cleaned},
                acting_user=acting_user,
                audited_fields=LOGFRAME_FIELDS,
            )
        return record_update(
            instance=existing,
            workspace=workspace,
            changes={"tiers": cleaned},
            acting_user=acting_user,
            audited_fields=LOGFRAME_FIELDS,
        )


# --- Results --------------------------------------------------------------------------------------------


def _code_problems(
    model: type[ResultNode] | type[Indicator], workspace: Workspace, code: str, exclude: int | None
) -> list[FieldProblem]:
    if not code:
        return [FieldProblem("code", _("Give a short code, e.g. “1.2” or “OUT1.2”."))]
    if len(code) > CODE_MAX_LENGTH or not _CODE.match(code):
        return [
            FieldProblem(
                "code",
                _(
                    "“%(code)s” cannot be a code: use at most %(limit)s letters, digits, “.”, “-” or “_”, "
                    "starting with a letter or a digit."
                ),
                {"code": code, "limit": CODE_MAX_LENGTH},
            )
        ]
    clash = model.objects.filter(workspace=workspace, code__iexact=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        return [
            FieldProblem("code", _("The code “%(code)s” is already used in this logframe."), {"code": code})
        ]
    return []


def _pillar_problems(pillar: str) -> list[FieldProblem]:
    if pillar and pillar not in {p.value for p in Pillar}:
        return [FieldProblem("pillar", _("“%(value)s” is not one of the 4Ps."), {"value": pillar})]
    return []


def _refuse(what: str, problems: list[FieldProblem]) -> None:
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The %(what)s cannot be saved; correct the fields listed."),
            {"what": what},
            problems=problems,
        )


def result_node_create(
    *,
    workspace: Workspace,
    parent: ResultNode | None,
    code: str,
    statement_en: str,
    statement_fr: str = "",
    pillar: str = "",
    acting_user: User | None,
) -> ResultNode:
    """A result one tier below ``parent`` (tier 1 without a parent), placed after its siblings."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    code, statement_en = code.strip(), statement_en.strip()
    problems = _code_problems(ResultNode, workspace, code, None) + _pillar_problems(pillar)
    if parent is not None and parent.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such result in this workspace."))
    tier = parent.tier + 1 if parent is not None else 1
    tiers = tier_names(workspace)
    if tier > len(tiers):
        problems.append(
            FieldProblem(
                "parent",
                _(
                    "“%(parent)s” is on the lowest tier (%(name)s): nothing can go under it. Add a tier in "
                    "the tier names first."
                ),
                {"parent": parent.code if parent else "", "name": tiers[-1]["en"]},
            )
        )
    if not statement_en:
        problems.append(FieldProblem("statement_en", _("Write the result in English.")))
    _refuse("result", problems)
    siblings = ResultNode.objects.filter(workspace=workspace, parent=parent)
    position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    return record_create(
        model=ResultNode,
        workspace=workspace,
        values={
            "workspace": workspace,
            "parent": parent,
            "tier": tier,
            "code": code,
            "statement_en": statement_en,
            "statement_fr": statement_fr.strip(),
            "pillar": pillar,
            "position": position,
        },
        acting_user=acting_user,
        audited_fields=NODE_FIELDS,
    )


def result_node_update(
    *,
    node: ResultNode,
    code: str,
    statement_en: str,
    statement_fr: str = "",
    pillar: str = "",
    expected_version: int | None = None,
    acting_user: User | None,
) -> ResultNode:
    workspace = node.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    code, statement_en = code.strip(), statement_en.strip()
    problems = _code_problems(ResultNode, workspace, code, node.pk) + _pillar_problems(pillar)
    if not statement_en:
        problems.append(FieldProblem("statement_en", _("Write the result in English.")))
    _refuse("result", problems)
    return record_update(
        instance=node,
        workspace=workspace,
        changes={
            "code": code,
            "statement_en": statement_en,
            "statement_fr": statement_fr.strip(),
            "pillar": pillar,
        },
        acting_user=acting_user,
        audited_fields=NODE_FIELDS,
        expected_version=expected_version,
    )


def result_node_delete(*, node: ResultNode, acting_user: User | None) -> None:
    workspace = node.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    children = node.children.count()
    indicators = node.indicators.count()
    if children or indicators:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(code)s” has %(children)s results and %(indicators)s indicators under it: delete or move "
                "them first."
            ),
            {"code": node.code, "children": children, "indicators": indicators},
        )
    record_delete(instance=node, workspace=workspace, acting_user=acting_user, audited_fields=NODE_FIELDS)


# --- Indicators -----------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _decimal(value: Any) -> decimal.Decimal | None:
    if value is None or value == "":
        return None
    return decimal.Decimal(str(value))


def _indicator_problems(
    workspace: Workspace, values: Mapping[str, Any], exclude: int | None
) -> list[FieldProblem]:
    problems = _code_problems(Indicator, workspace, str(values.get("code", "")), exclude)
    if not str(values.get("name_en", "")).strip():
        problems.append(FieldProblem("name_en", _("Give the indicator a name in English.")))
    enums: tuple[
        tuple[str, type[Unit] | type[Direction] | type[CumulativeRule] | type[Frequency], bool], ...
    ] = (
        ("unit", Unit, False),
        ("direction", Direction, False),
        ("cumulative_rule", CumulativeRule, False),
        ("frequency", Frequency, True),
    )
    for name, enum, blank_ok in enums:
        value = str(values.get(name, ""))
        if not (blank_ok and value == "") and value not in {member.value for member in enum}:
            problems.append(
                FieldProblem(
                    name,
                    _("“%(value)s” is not allowed here; choose one of: %(allowed)s."),
                    {"value": value, "allowed": ", ".join(member.value for member in enum)},
                )
            )
    unknown = [
        code for code in values.get("disaggregation", []) if code not in {d.value for d in Disaggregation}
    ]
    if unknown:
        problems.append(
            FieldProblem(
                "disaggregation",
                _("Unknown disaggregation: %(codes)s."),
                {"codes": ", ".join(map(str, unknown))},
            )
        )
    if values.get("baseline_not_applicable") and values.get("baseline_value") is not None:
        problems.append(
            FieldProblem(
                "baseline_value",
                _("A baseline is given although it is marked “not applicable”: clear one of the two."),
            )
        )
    if not problems:
        spec = IndicatorSpec(
            unit=Unit(values["unit"]),
            direction=Direction(values["direction"]),
            rule=CumulativeRule(values["cumulative_rule"]),
            baseline=_number(values.get("baseline_value")),
            life_of_plan_target=_number(values.get("lop_target")),
        )
        problems.extend(FieldProblem(name, template, params) for name, template, params in check_spec(spec))
    return problems


def _indicator_values(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("code", "name_en", "name_fr", "responsible_agency", "data_source", "baseline_note"):
        if name in cleaned and isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip()
    for name in ("baseline_value", "lop_target"):
        if name in cleaned:
            cleaned[name] = _decimal(cleaned[name])
    if "disaggregation" in cleaned:
        order = [d.value for d in Disaggregation]
        cleaned["disaggregation"] = sorted(
            set(cleaned["disaggregation"]),
            key=lambda code: (code not in order, order.index(code) if code in order else 0, code),
        )
    if isinstance(cleaned.get("baseline_date"), str):
        cleaned["baseline_date"] = (
            dt.date.fromisoformat(cleaned["baseline_date"]) if cleaned["baseline_date"] else None
        )
    return cleaned


INDICATOR_DEFAULTS: dict[str, Any] = {
    "name_fr": "",
    "definition_en": "",
    "definition_fr": "",
    "direction": Direction.INCREASE.value,
    "baseline_value": None,
    "baseline_date": None,
    "baseline_not_applicable": False,
    "baseline_note": "",
    "lop_target": None,
    "cumulative_rule": CumulativeRule.NON_CUMULATIVE.value,
    "disaggregation": [],
    "means_of_verification": "",
    "collection_method": "",
    "frequency": "",
    "responsible_agency": "",
    "data_source": "",
}


def indicator_create(
    *, workspace: Workspace, node: ResultNode, acting_user: User | None, **values: Any
) -> Indicator:
    """An indicator of ``node``; ``values`` are model fields (code, name_en and unit at least)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if node.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such result in this workspace."))
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    merged = _indicator_values({**INDICATOR_DEFAULTS, **values})
    _refuse("indicator", _indicator_problems(workspace, merged, None))
    position = (Indicator.objects.filter(node=node).aggregate(last=Max("position"))["last"] or 0) + 1
    return record_create(
        model=Indicator,
        workspace=workspace,
        values={"position": position, **merged, "workspace": workspace, "node": node},
        acting_user=acting_user,
        audited_fields=INDICATOR_FIELDS,
    )


def indicator_update(
    *, indicator: Indicator, acting_user: User | None, expected_version: int | None = None, **changes: Any
) -> Indicator:
    """Change some fields of ``indicator`` (``node`` moves it under another result)."""
    workspace = indicator.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    node = changes.get("node")
    if node is not None and node.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such result in this workspace."))
    current = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    merged = _indicator_values({**current, **changes})
    _refuse("indicator", _indicator_problems(workspace, merged, indicator.pk))
    return record_update(
        instance=indicator,
        workspace=workspace,
        changes={name: merged[name] for name in changes},
        acting_user=acting_user,
        audited_fields=INDICATOR_FIELDS,
        expected_version=expected_version,
    )


def indicator_delete(*, indicator: Indicator, acting_user: User | None) -> None:
    """Delete the indicator and its values (each deletion audited), in one transaction."""
    workspace = indicator.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        for value in IndicatorValue.objects.filter(indicator=indicator).order_by("id"):
            record_delete(
                instance=value, workspace=workspace, acting_user=acting_user, audited_fields=VALUE_FIELDS
            )
        record_delete(
            instance=indicator, workspace=workspace, acting_user=acting_user, audited_fields=INDICATOR_FIELDS
        )
