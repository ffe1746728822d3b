"""The module catalogue: the list by pillar (with the locations it is offered at), adding and editing a
module with its costs by location, withdrawing, offering again and resetting a module, adding a location
and scaling every cost."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.planning.catalogue import default_module
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.planning import selectors, services
from ctip.web.planning.forms import (
    CostFactorForm,
    CostFormSet,
    LocationForm,
    ModuleForm,
    cost_initial,
    costs_from_formset,
)
from ctip.web.planning.models import TrainingModule
from ctip.web.planning.views.common import is_french, render_page, uuid_or_none


def _module_row(module: TrainingModule, french: bool, titles: dict[str, str]) -> dict[str, Any]:
    costs = services.module_costs(module)
    cheapest = min(costs.items(), key=lambda item: (item[1].session, item[0])) if costs else None
    return {
        "module": module,
        "title": module.title_fr if french and module.title_fr else module.title_en,
        "summary": module.summary_fr if french and module.summary_fr else module.summary_en,
        "sensitivity": module.sensitivity_fr if french and module.sensitivity_fr else module.sensitivity_en,
        "trainer_note": (
            module.trainer_profile_note_fr
            if french and module.trainer_profile_note_fr
            else module.trainer_profile_note_en
        ),
        "competencies": [(code, titles.get(code, "")) for code in module.competencies or ()],
        "locations": len(costs),
        "base_cost": cheapest[1] if cheapest else None,
        "is_default": default_module(module.code) is not None,
    }


@workspace_view(Permission.VIEW_WORKSPACE)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":
        return _catalogue_action(request)
    services.catalogue_ensure(workspace=workspace, acting_user=request.user)
    french = is_french(request)
    titles = selectors.competency_titles(workspace, "fr" if french else "en")
    rows = list(selectors.modules(workspace))
    groups = [
        {
            "pillar": group.pillar,
            "label": group.label,
            "rows": [_module_row(m, french, titles) for m in group.modules],
        }
        for group in selectors.modules_by_pillar(rows)
    ]
    locations = services.catalogue_locations(workspace)
    offered = {location: sum(1 for row in rows if location in (row.costs or {})) for location in locations}
    return render_page(
        request,
        "planning/catalogue.html",
        {
            "groups": groups,
            "total": len(rows),
            "active": sum(1 for row in rows if row.is_active),
            "locations": [
                {"name": name, "remote": remote, "modules": offered[name]}
                for name, remote in locations.items()
            ],
            "location_form": LocationForm(),
            "factor_form": CostFactorForm(),
            "currency": workspace.currency,
        },
    )


def _catalogue_action(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if not may(request.membership, Permission.EDIT_CONTENT):
        raise PermissionDenied("Your role does not allow changes to the catalogue")
    action = request.POST.get("action", "")
    back = redirect("plan-catalogue", workspace=workspace.slug)
    try:
        if action == "add_location":
            form = LocationForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the new location a name of at most 100 characters."))
                return back
            name = form.cleaned_data["location"]
            added = services.catalogue_locations_add(
                workspace=workspace,
                locations=[name],
                remote=[name] if form.cleaned_data["remote"] else [],
                acting_user=request.user,
            )
            if added:
                messages.success(
                    request,
                    _("The modules are now offered at “%(name)s”, at the default costs.")
                    % {"name": added[0]},
                )
            else:
                messages.info(
                    request,
                    _("“%(name)s” is already in the catalogue; edit its costs module by module.")
                    % {"name": name},
                )
            return back
        if action == "scale":
            form = CostFactorForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give a factor above 0, for example 45.5."))
                return back
            count = services.catalogue_costs_scale(
                workspace=workspace, factor=float(form.cleaned_data["factor"]), acting_user=request.user
            )
            messages.success(
                request,
                _("Costs multiplied by %(factor)s in %(count)s modules.")
                % {"factor": form.cleaned_data["factor"], "count": count},
            )
            return back
        found = TrainingModule.objects.filter(
            workspace=workspace, uuid=uuid_or_none(request.POST.get("module"))
        ).first()
        if found is None:
            messages.error(request, _("There is no such module in this workspace."))
            return back
        if action == "deactivate":
            services.module_deactivate(workspace=workspace, module=found, acting_user=request.user)
            messages.success(
                request, _("“%(code)s” is withdrawn: plans will not schedule it.") % {"code": found.code}
            )
        elif action == "activate":
            services.module_activate(workspace=workspace, module=found, acting_user=request.user)
            messages.success(request, _("“%(code)s” is offered again.") % {"code": found.code})
        elif action == "reset":
            services.module_reset(workspace=workspace, module=found, acting_user=request.user)
            messages.success(
                request, _("“%(code)s” is back as the default catalogue has it.") % {"code": found.code}
            )
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as error:
        messages.error(request, error.render(_))
    return back


def _module_page(request: HttpRequest, module: TrainingModule | None) -> HttpResponse:
    workspace = request.workspace
    services.catalogue_ensure(workspace=workspace, acting_user=request.user)
    locations = services.catalogue_locations(workspace)
    for place in services.workspace_locations(workspace):
        locations.setdefault(place, services.is_remote_name(place))
    initial = (
        ModuleForm.initial_for(module) if module else {"level": "specialised", "delivery_mode": "in_person"}
    )
    form = ModuleForm(request.POST or None, workspace=workspace, module=module, initial=initial)
    costs = CostFormSet(request.POST or None, prefix="costs", initial=cost_initial(module, locations))
    if request.method == "POST" and form.is_valid() and costs.is_valid():
        values = {**form.values(), "costs": costs_from_formset(costs)}
        try:
            if module is None:
                saved = services.module_create(workspace=workspace, acting_user=request.user, **values)
                messages.success(request, _("Module “%(code)s” added.") % {"code": saved.code})
            else:
                services.module_update(
                    workspace=workspace,
                    module=module,
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **values,
                )
                messages.success(request, _("Module “%(code)s” saved.") % {"code": module.code})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("plan-catalogue", workspace=workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render_page(
        request,
        "planning/module_form.html",
        {
            "form": form,
            "costs": costs,
            "module": module,
            "currency": workspace.currency,
            "is_default": module is not None and default_module(module.code) is not None,
        },
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
def module_create(request: HttpRequest) -> HttpResponse:
    return _module_page(request, None)


@workspace_view(Permission.EDIT_CONTENT)
def module_edit(request: HttpRequest, module: Any) -> HttpResponse:
    found = get_object_or_404(TrainingModule, workspace=request.workspace, uuid=module)
    return _module_page(request, found)
