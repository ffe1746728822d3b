"""The logframe pages: the tree of results with their indicators, the tier names, and adding, editing
and deleting results and indicators (the indicator form shows the SMART verdict per criterion)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.monitoring import selectors, services
from ctip.web.monitoring.forms import IndicatorForm, ResultNodeForm, TiersForm
from ctip.web.monitoring.models import Indicator, ResultNode
from ctip.web.monitoring.views.common import language_of, render_page


@workspace_view(Permission.VIEW_WORKSPACE)
def framework(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    language = language_of(request)
    tree = selectors.framework_tree(workspace, language)
    indicators = [item for node in tree for item in node.indicators]
    names = services.tier_names(workspace)
    return render_page(
        request,
        "monitoring/framework.html",
        {
            "tree": tree,
            "tiers": [selectors.tier_label(names, n, language) for n in range(1, len(names) + 1)],
            "indicator_count": len(indicators),
            "counts": {
                status: sum(1 for item in indicators if item.progress.status.value == status)
                for status in ("on_track", "off_track", "no_data")
            },
        },
    )


@workspace_view(Permission.EDIT_CONTENT)
def tiers_edit(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = TiersForm(request.POST or None, initial=TiersForm.initial_for(services.tier_names(workspace)))
    if request.method == "POST" and form.is_valid():
        try:
            services.logframe_tiers_update(workspace=workspace, tiers=form.tiers(), acting_user=request.user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Tier names saved."))
            return redirect("monitoring-framework", workspace=workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "monitoring/tiers.html", {"form": form}, status=status)


def _node_or_none(request: HttpRequest, value: str | None) -> ResultNode | None:
    if not value:
        return None
    try:
        return ResultNode.objects.filter(workspace=request.workspace, uuid=value).first()
    except (ValueError, TypeError):
        return None


@workspace_view(Permission.EDIT_CONTENT)
def node_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    parent = _node_or_none(request, request.GET.get("parent") or request.POST.get("parent"))
    form = ResultNodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.result_node_create(
                workspace=workspace, parent=parent, acting_user=request.user, **form.values()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Result “%(code)s” added.") % {"code": created.code})
            return redirect("monitoring-framework", workspace=workspace.slug)
    tiers = services.tier_names(workspace)
    tier = parent.tier + 1 if parent is not None else 1
    context: dict[str, Any] = {
        "form": form,
        "node": None,
        "parent": parent,
        "tier_label": selectors.tier_label(tiers, tier, language_of(request)),
    }
    return render_page(
        request, "monitoring/node_form.html", context, status=400 if request.method == "POST" else 200
    )


@workspace_view(Permission.EDIT_CONTENT)
def node_edit(request: HttpRequest, node: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(ResultNode, workspace=workspace, uuid=node)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.result_node_delete(node=found, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error.render(_))
            return redirect("monitoring-node-edit", workspace=workspace.slug, node=found.uuid)
        messages.success(request, _("Result “%(code)s” deleted.") % {"code": found.code})
        return redirect("monitoring-framework", workspace=workspace.slug)
    form = ResultNodeForm(request.POST or None, initial=ResultNodeForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.result_node_update(
                node=found,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Result “%(code)s” saved.") % {"code": found.code})
            return redirect("monitoring-framework", workspace=workspace.slug)
    context = {
        "form": form,
        "node": found,
        "parent": found.parent,
        "tier_label": selectors.tier_label(services.tier_names(workspace), found.tier, language_of(request)),
    }
    return render_page(
        request, "monitoring/node_form.html", context, status=400 if request.method == "POST" else 200
    )


def _smart(indicator: Indicator, language: str) -> list[selectors.CriterionView]:
    progress = selectors.progress_of(indicator, selectors.indicator_values(indicator))
    check = selectors.smart_check(indicator, progress, language, timezone.localdate())
    return selectors.smart_criteria(check)


@workspace_view(Permission.EDIT_CONTENT)
def indicator_create(request: HttpRequest, node: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(ResultNode, workspace=workspace, uuid=node)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.indicator_create(
                workspace=workspace, node=found, acting_user=request.user, **form.values()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Indicator “%(code)s” added; its SMART verdict is shown beside the form.")
                % {"code": created.code},
            )
            return redirect("monitoring-indicator-edit", workspace=workspace.slug, indicator=created.uuid)
    context = {"form": form, "indicator": None, "node": found, "smart": None}
    return render_page(
        request, "monitoring/indicator_form.html", context, status=400 if request.method == "POST" else 200
    )


@workspace_view(Permission.EDIT_CONTENT)
def indicator_edit(request: HttpRequest, indicator: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(
        Indicator.objects.select_related("node", "workspace"), workspace=workspace, uuid=indicator
    )
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.indicator_delete(indicator=found, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error.render(_))
            return redirect("monitoring-indicator-edit", workspace=workspace.slug, indicator=found.uuid)
        messages.success(request, _("Indicator “%(code)s” deleted with its values.") % {"code": found.code})
        return redirect("monitoring-framework", workspace=workspace.slug)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            found = services.indicator_update(
                indicator=found,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Indicator “%(code)s” saved.") % {"code": found.code})
            return redirect("monitoring-indicator-edit", workspace=workspace.slug, indicator=found.uuid)
    context = {
        "form": form,
        "indicator": found,
        "node": found.node,
        "smart": _smart(found, language_of(request)),
    }
    return render_page(
        request, "monitoring/indicator_form.html", context, status=400 if request.method == "POST" else 200
    )
