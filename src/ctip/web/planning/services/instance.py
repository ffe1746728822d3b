"""The solver's input from the workspace: the offered modules, the segments and their demand.

Reads only. Modules are the active ones, with their costs by location (a module is offered only where it
has costs). Demand rows with a weight of 0 or nobody in need are left out; staff in need never exceed the
segment's staff (a row is capped at it, by sex). Prerequisites and cascades that name a module that is
not offered are dropped: the catalogue services refuse to create that state, so it only arises from data
changed behind their back.
"""

from __future__ import annotations

from dataclasses import replace

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.catalogue import to_core_module
from ctip.core.planning.model import Demand, Instance, Parameters, Segment
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import DemandRow, PlanSegment, TrainingModule
from ctip.web.planning.services.catalogue import catalogue_module_of
from ctip.web.planning.services.costs import module_costs


def build_instance(workspace: Workspace, parameters: Parameters, *, name: str = "") -> Instance:
    rows = list(
        TrainingModule.objects.filter(workspace=workspace, is_active=True).order_by("position", "code")
    )
    offered = {row.code for row in rows}
    modules = []
    for row in rows:
        module = catalogue_module_of(row)
        core = to_core_module(module, module_costs(row))
        modules.append(
            replace(
                core,
                prerequisites=tuple(code for code in core.prerequisites if code in offered),
                cascade_of=core.cascade_of if core.cascade_of in offered else "",
            )
        )
    segment_rows = list(
        PlanSegment.objects.filter(workspace=workspace).select_related("organisation").order_by("code")
    )
    segments = tuple(
        Segment(
            code=segment.code,
            organisation=segment.organisation.acronym or segment.organisation.name,
            role_group=segment.role_group,
            location=segment.location,
            is_frontline=segment.is_frontline,
            staff_female=segment.staff_female,
            staff_male=segment.staff_male,
        )
        for segment in segment_rows
    )
    staff = {segment.code: segment for segment in segments}
    demands = []
    for row in (
        DemandRow.objects.filter(workspace=workspace, weight__gt=0)
        .select_related("segment")
        .order_by("segment__code", "competency")
    ):
        segment = staff[row.segment.code]
        female = min(row.staff_female, segment.staff_female)
        male = min(row.staff_male, segment.staff_male)
        if female + male > 0:
            demands.append(Demand(segment.code, row.competency, female, male, float(row.weight)))
    problems = []
    if not modules:
        problems.append(
            FieldProblem(
                "catalogue",
                _("No module is offered: open the module catalogue and offer at least one module."),
            )
        )
    elif not any(module.cost_per_session for module in modules):
        problems.append(
            FieldProblem(
                "catalogue",
                _("No module is offered at any location: give the modules costs at the plan's locations."),
            )
        )
    if not demands:
        problems.append(
            FieldProblem(
                "demand",
                _(
                    "There is no demand to plan for: derive it from the TNA on the demand page, or enter staff "
                    "in need by hand."
                ),
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The plan cannot be computed yet: %(count)s input(s) missing."),
            {"count": len(problems)},
            problems=problems,
        )
    return Instance(tuple(modules), segments, tuple(demands), parameters, name)
