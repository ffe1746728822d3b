"""Pages of the plan scenarios: the list (create, compare), one scenario (parameters, solve, copy, adopt,
its sessions with lock / edit / remove, the schedule, unmet needs and why), a session edited by hand, and
two scenarios side by side. Views parse input, call one service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.planning.model import Parameters
from ctip.formats.charts import BarChart, Series, render_svg
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.planning import scenario_data
from ctip.web.planning.models import PlanScenario, PlanSegment, PlanSession, TrainingModule
from ctip.web.planning.scenario_forms import CompareForm, CopyForm, ScenarioForm, SessionForm
from ctip.web.planning.services import scenarios as services


def _scenario(request: HttpRequest, scenario: object) -> PlanScenario:
    return get_object_or_404(PlanScenario, uuid=scenario, workspace=request.workspace)


def _locations(request: HttpRequest) -> list[str]:
    return sorted(
        set(PlanSegment.objects.filter(workspace=request.workspace).values_list("location", flat=True))
    )


def _to_scenario(request: HttpRequest, scenario: PlanScenario, anchor: str = "") -> HttpResponse:
    response = redirect("plan-scenario", workspace=request.workspace.slug, scenario=scenario.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _error_message(request: HttpRequest, error: DomainError) -> None:
    from django.utils.translation import gettext

    text = error.render(gettext)
    details = "; ".join(f"{problem.location}: {problem.render(gettext)}" for problem in error.problems)
    messages.error(request, f"{text} {details}".strip())


@workspace_view(Permission.VIEW_WORKSPACE)
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = PlanScenario.objects.filter(workspace=request.workspace).order_by("-is_adopted", "created_at")
    locations = _locations(request)
    form = ScenarioForm(
        request.POST or None,
        locations=locations,
        initial=ScenarioForm.initial_for(Parameters(), locations)
        | {"name": services.free_name(request.workspace, _("Baseline plan"))},
    )
    if request.method == "POST":
        if not may(request.membership, Permission.EDIT_CONTENT):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                created = services.scenario_create(
                    workspace=request.workspace,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    parameters=form.parameters(Parameters()),
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Scenario created. Solve it to get its plan."))
                return _to_scenario(request, created)
    figures = [scenario_data.scenario_figures(scenario) for scenario in scenarios]
    compare = CompareForm(scenarios=scenarios, initial=_compare_initial(list(scenarios)))
    return render(
        request,
        "planning/scenario_list.html",
        {
            "figures": figures,
            "form": form,
            "compare_form": compare,
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
            "module_count": TrainingModule.objects.filter(
                workspace=request.workspace, is_active=True
            ).count(),
            "segment_count": PlanSegment.objects.filter(workspace=request.workspace).count(),
        },
    )


def _compare_initial(scenarios: list[PlanScenario]) -> dict[str, Any]:
    if len(scenarios) < 2:
        return {}
    return {"a": scenarios[0].uuid, "b": scenarios[1].uuid}


@workspace_view(Permission.VIEW_WORKSPACE)
def scenario_detail(request: HttpRequest, scenario: str) -> HttpResponse:
    found = _scenario(request, scenario)
    locations = _locations(request)
    parameters = services.scenario_parameters(found)
    form = ScenarioForm(locations=locations, initial=ScenarioForm.initial_for(parameters, locations, found))
    return _render_detail(request, found, form)


def _render_detail(request: HttpRequest, found: PlanScenario, form: ScenarioForm) -> HttpResponse:
    figures = scenario_data.scenario_figures(found)
    copy_form = CopyForm(
        initial={
            "name": services.free_name(request.workspace, _("%(name)s, budget −20 %%") % {"name": found.name})
        }
    )
    return render(
        request,
        "planning/scenario_detail.html",
        {
            "scenario": found,
            "figures": figures,
            "form": form,
            "copy_form": copy_form,
            "segments": scenario_data.segment_labels(found),
            "schedule": scenario_data.schedule_grid(figures),
            "quarters": list(range(1, figures.parameters.quarters + 1)),
            "reason_labels": scenario_data.UNMET_REASON_LABELS,
            "conflict_labels": scenario_data.CONFLICT_LABELS,
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
            "can_solve": may(request.membership, Permission.ANALYSE_DATA),
            "time_limit": int(services.DEFAULT_TIME_LIMIT),
        },
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def scenario_edit(request: HttpRequest, scenario: str) -> HttpResponse:
    found = _scenario(request, scenario)
    form = ScenarioForm(request.POST, locations=_locations(request))
    if form.is_valid():
        try:
            services.scenario_update(
                found,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                parameters=form.parameters(services.scenario_parameters(found)),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Parameters saved. Solve again to update the plan."))
            return _to_scenario(request, found, "parameters")
    return _render_detail(request, found, form)


@workspace_view(Permission.ANALYSE_DATA)
@require_POST
def scenario_solve(request: HttpRequest, scenario: str) -> HttpResponse:
    found = _scenario(request, scenario)
    try:
        outcome = services.scenario_solve(found, acting_user=request.user)
    except DomainError as error:
        _error_message(request, error)
        return _htmx_aware(request, _to_scenario(request, found))
    plan = outcome.plan
    if plan.status.value == "infeasible":
        messages.error(
            request,
            _(
                "No plan keeps every constraint. These constraints conflict: %(groups)s. Relax one of them and solve again."
            )
            % {
                "groups": ", ".join(
                    str(scenario_data.CONFLICT_LABELS.get(g.value, g.value)) for g in plan.conflicts
                )
            },
        )
    else:
        messages.success(
            request,
            _("Solved in %(seconds).1f s: %(sessions)s sessions.")
            % {"seconds": plan.solve_seconds, "sessions": len(plan.sessions)},
        )
    return _htmx_aware(request, _to_scenario(request, outcome.scenario, "results"))


def _htmx_aware(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The page posts the solve through htmx to show its progress line meanwhile: send the browser on to
    the redirect's page (with its message) instead of swapping the page into the form. The redirect
    usually goes back to the same page, only adding ``#results``: a browser only scrolls for that, so
    htmx is also told to reload the page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return response
    target = response["Location"]
    headers = {"HX-Redirect": target}
    current = htmx.current_url_abs_path
    if current is not None and _without_fragment(current) == _without_fragment(target):
        headers["HX-Refresh"] = "true"
    return HttpResponse(status=204, headers=headers)


def _without_fragment(url: str) -> str:
    return urlsplit(url)._replace(fragment="").geturl()


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def scenario_copy(request: HttpRequest, scenario: str) -> HttpResponse:
    found = _scenario(request, scenario)
    form = CopyForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}"
            )
        return _to_scenario(request, found)
    try:
        copied = services.scenario_copy(
            found, name=form.cleaned_data["name"], budget_factor=form.budget_factor, acting_user=request.user
        )
    except DomainError as error:
        _error_message(request, error)
        return _to_scenario(request, found)
    messages.success(request, _("Scenario copied. Solve the copy to compare the two plans."))
    return _to_scenario(request, copied)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def scenario_adopt(request: HttpRequest, scenario: str) -> HttpResponse:
    found = services.scenario_adopt(_scenario(request, scenario), acting_user=request.user)
    messages.success(request, _("“%(name)s” is now the adopted plan.") % {"name": found.name})
    return _to_scenario(request, found)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def scenario_delete(request: HttpRequest, scenario: str) -> HttpResponse:
    found = _scenario(request, scenario)
    services.scenario_delete(found, acting_user=request.user)
    messages.success(request, _("Scenario “%(name)s” deleted.") % {"name": found.name})
    return redirect("plan-scenarios", workspace=request.workspace.slug)


# --- Sessions ------------------------------------------------------------------------------------------------


def _session_form(
    request: HttpRequest, found: PlanScenario, data: Any = None, initial: Any = None
) -> SessionForm:
    labels = scenario_data.segment_labels(found)
    return SessionForm(
        data,
        initial=initial,
        modules=TrainingModule.objects.filter(workspace=request.workspace).order_by("position", "code"),
        locations=_locations(request),
        quarters=services.scenario_parameters(found).quarters,
        segments=sorted(labels.items()),
    )


@workspace_view(Permission.EDIT_CONTENT)
def session_edit(request: HttpRequest, scenario: str, session: str | None = None) -> HttpResponse:
    found = _scenario(request, scenario)
    existing = (
        get_object_or_404(PlanSession, uuid=session, scenario=found, workspace=request.workspace)
        if session
        else None
    )
    initial = SessionForm.initial_for(existing) if existing else None
    form = _session_form(request, found, request.POST if request.method == "POST" else None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                found,
                module=form.cleaned_data["module"],
                location=form.cleaned_data["location"],
                quarter=form.cleaned_data["quarter"],
                trainer=form.cleaned_data["trainer"],
                seats=form.seats(),
                acting_user=request.user,
                session=existing,
                expected_version=form.cleaned_data.get("version") if existing else None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Session saved and locked: re-optimising keeps it as it is."))
            return _to_scenario(request, found, "sessions")
    return render(
        request,
        "planning/session_form.html",
        {"scenario": found, "session": existing, "form": form},
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def session_lock(request: HttpRequest, scenario: str, session: str) -> HttpResponse:
    found = _scenario(request, scenario)
    row = get_object_or_404(PlanSession, uuid=session, scenario=found, workspace=request.workspace)
    services.session_set_locked(row, locked=request.POST.get("locked") == "1", acting_user=request.user)
    return _to_scenario(request, found, f"session-{row.uuid}")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def session_delete(request: HttpRequest, scenario: str, session: str) -> HttpResponse:
    found = _scenario(request, scenario)
    row = get_object_or_404(PlanSession, uuid=session, scenario=found, workspace=request.workspace)
    services.session_delete(row, acting_user=request.user)
    messages.success(request, _("Session removed. Solve again to fill the gap it leaves."))
    return _to_scenario(request, found, "sessions")


# --- Comparison ----------------------------------------------------------------------------------------------


BUDGET_SCALE_LIMIT = 4.0
"""The chart draws the budget beside the costs only while it is at most this many times the largest cost:
a budget far above the costs would flatten the cost bars that the chart is for."""


def _cost_chart(
    first: scenario_data.ScenarioFigures, second: scenario_data.ScenarioFigures
) -> tuple[str, bool]:
    """The SVG of both plans' costs by year, and whether it also shows the first scenario's budget."""
    years = [str(_("Year %(year)s") % {"year": year.year}) for year in first.years]
    first_costs = tuple(year.cost for year in first.years)
    second_costs = tuple(year.cost for year in second.years[: len(first.years)])
    budgets = tuple(year.budget for year in first.years)
    series = [Series(first.scenario.name, first_costs), Series(second.scenario.name, second_costs)]
    largest_cost = max((*first_costs, *second_costs), default=0.0)
    shows_budget = largest_cost > 0 and max(budgets, default=0.0) <= BUDGET_SCALE_LIMIT * largest_cost
    if shows_budget:
        series.append(Series(_("Budget: %(name)s") % {"name": first.scenario.name}, budgets))
    chart = BarChart(
        title=_("Cost by year"), categories=tuple(years), series=tuple(series), value_label=_("Cost")
    )
    svg = mark_safe(render_svg(chart, width_inches=7.0))  # the SVG is written by our own chart code
    return svg, shows_budget


@workspace_view(Permission.VIEW_WORKSPACE)
def scenario_compare(request: HttpRequest) -> HttpResponse:
    scenarios = PlanScenario.objects.filter(workspace=request.workspace).order_by("-is_adopted", "created_at")
    form = CompareForm(request.GET or None, scenarios=scenarios)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        first = scenario_data.scenario_figures(form.cleaned_data["a"])
        second = scenario_data.scenario_figures(form.cleaned_data["b"])
        context |= {
            "first": first,
            "second": second,
            "rows": scenario_data.comparison_rows(first, second),
        }
        context["chart_svg"], context["chart_shows_budget"] = _cost_chart(first, second)
    elif request.GET:
        context["invalid"] = True
    context["back"] = reverse("plan-scenarios", kwargs={"workspace": request.workspace.slug})
    return render(request, "planning/scenario_compare.html", context)
