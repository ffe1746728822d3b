"""Inception settings pages: the TNA sampling plan and the programme timeline. Views parse input, call one
service, render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.sampling import SamplingPlan
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.inception import selectors, services
from ctip.web.inception.forms import PhaseDatesForm, SamplingSettingsForm
from ctip.web.inception.models import PhaseDates


def _number(value: float | int | Decimal, decimals: int = 0) -> str:
    # number_format cuts off extra decimals; round first (z = 1.959964 is shown 1.96).
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _percent(fraction: float | Decimal) -> str:
    value = Decimal(str(fraction)) * 100
    return _number(value, 0 if value == value.to_integral_value() else 1)


def _explained(plan: SamplingPlan, registry: selectors.RegistryStrata) -> dict[str, Any]:
    """The numbers of the plan, written out for the page's plain-words explanation."""
    size = plan.sample_size
    return {
        "confidence": _percent(size.confidence),
        "margin": _percent(size.margin),
        "population": _number(plan.population),
        "n": _number(size.n),
        "n0": _number(size.n0, 1),
        "n0_rounded": _number(size.n0_rounded),
        "z": _number(size.z, 2),
        "allocated": _number(plan.allocation.total_allocated),
        "minimum": plan.allocation.minimum_per_stratum,
        "share": _percent(round(size.n / plan.population, 3)) if plan.population else "0",
        "times_in_100": _number(size.confidence * 100, 0),
        "rows": [
            {
                "allocation": row,
                "split_known": row.key not in registry.split_unknown,
                "share": _percent(round(row.sampling_fraction, 3)),
                "interviews": interviews.planned,
            }
            for row, interviews in zip(plan.allocation.strata, plan.interviews, strict=True)
        ],
        "notes": [note.render(_) for note in plan.notes],
        "is_census": size.n >= plan.population,
    }


@workspace_view(Permission.VIEW_WORKSPACE)
def sampling(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    can_edit = may(request.membership, Permission.EDIT_CONTENT)
    parameters = selectors.sampling_settings_for(workspace)
    form = SamplingSettingsForm(request.POST or None, initial=SamplingSettingsForm.initial_for(parameters))
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.sampling_settings_update(
                    workspace=workspace, acting_user=request.user, expected_version=version, **data
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = 400
            else:
                messages.success(request, _("Sampling parameters saved; the plan below uses them."))
                return redirect("inception-sampling", workspace=workspace.slug)
        else:
            status = 400
    registry = selectors.registry_strata(workspace)
    plan: SamplingPlan | None = None
    plan_error = ""
    try:
        plan = selectors.inception_sampling_plan(workspace, registry)
    except DomainError as error:
        plan_error = error.render(_)
    return render(
        request,
        "inception/sampling.html",
        {
            "form": form,
            "can_edit": can_edit,
            "plan": plan,
            "plan_error": plan_error,
            "explained": _explained(plan, registry) if plan is not None else None,
            "parameters": [
                (_("Confidence level"), f"{_percent(parameters.confidence)}%"),
                (_("Margin of error"), f"±{_percent(parameters.margin)}%"),
                (_("Minimum respondents per organisation"), parameters.minimum_per_organisation),
                (_("Key-informant interviews per organisation"), parameters.interviews_per_organisation),
                (_("Focus-group discussions"), parameters.focus_groups),
                (_("Participants per focus group"), parameters.focus_group_size),
            ],
        },
        status=status,
    )


# --- Timeline ------------------------------------------------------------------------------------------


def _timeline_page(
    request: HttpRequest, *, bound: PhaseDatesForm | None = None, status: int = 200
) -> HttpResponse:
    workspace = request.workspace
    rows = selectors.timeline_rows(workspace)
    first, last = selectors.plan_period(workspace)
    span = (last - first).days + 1
    lines = []
    for row in rows:
        if bound is not None and bound.data.get("phase") == row.phase:
            form = bound
        else:
            initial = {"phase": row.phase, "label": row.label}
            if row.saved is not None:
                initial.update(start=row.saved.start, end=row.saved.end)
            form = PhaseDatesForm(initial=initial, auto_id=f"id_{row.phase}_%s", form_id=f"phase-{row.phase}")
        bar = None
        if row.saved is not None:
            # Position of the phase on a bar that spans the plan period (clipped to it).
            left = min(max((row.saved.start - first).days / span, 0.0), 1.0)
            right = min(max(((row.saved.end - first).days + 1) / span, 0.0), 1.0)
            bar = {"left": round(left * 100, 2), "width": round(max(right - left, 0.005) * 100, 2)}
        lines.append({"row": row, "form": form, "bar": bar})
    has_saved = any(row.saved is not None for row in rows)
    return render(
        request,
        "inception/timeline.html",
        {
            "lines": lines,
            "suggestion": None if has_saved else selectors.timeline_suggestion(workspace),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
            "years": list(range(workspace.plan_start_year, workspace.plan_end_year + 1)),
        },
        status=status,
    )


def _warn(request: HttpRequest, saved: list[PhaseDates]) -> None:
    for row in saved:
        for warning in selectors.timeline_warnings(
            request.workspace, label=row.label, start=row.start, end=row.end
        ):
            messages.warning(request, warning)


@workspace_view(Permission.VIEW_WORKSPACE)
def timeline(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _timeline_page(request)
    if not may(request.membership, Permission.EDIT_CONTENT):
        raise PermissionDenied
    phase = request.POST.get("phase", "")
    form = PhaseDatesForm(request.POST, auto_id=f"id_{phase}_%s", form_id=f"phase-{phase}")
    if form.is_valid():
        try:
            saved = services.phase_dates_set(
                workspace=request.workspace, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Dates of “%(phase)s” saved.") % {"phase": saved.label})
            _warn(request, [saved])
            return redirect("inception-timeline", workspace=request.workspace.slug)
    return _timeline_page(request, bound=form, status=400)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def timeline_use_suggestion(request: HttpRequest) -> HttpResponse:
    saved = services.timeline_replace(
        workspace=request.workspace,
        phases=selectors.timeline_suggestion(request.workspace),
        acting_user=request.user,
    )
    messages.success(request, _("The suggested dates were saved. Adjust any phase below."))
    _warn(request, saved)
    return redirect("inception-timeline", workspace=request.workspace.slug)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def timeline_delete(request: HttpRequest, phase_dates: str) -> HttpResponse:
    found = get_object_or_404(PhaseDates, uuid=phase_dates, workspace=request.workspace)
    services.phase_dates_delete(workspace=request.workspace, phase_dates=found, acting_user=request.user)
    messages.success(request, _("Dates of “%(phase)s” removed.") % {"phase": found.label})
    return redirect("inception-timeline", workspace=request.workspace.slug)
