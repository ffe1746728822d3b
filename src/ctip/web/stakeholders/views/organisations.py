"""Registry pages: the list, one organisation, adding, editing and deleting, and what hangs off an
organisation (focal points, prior trainings, relations). Views parse input, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.stakeholders import selectors, services
from ctip.web.stakeholders.forms import (
    INCOMING,
    FocalPointForm,
    OrganisationFilterForm,
    OrganisationForm,
    PriorTrainingForm,
    RelationForm,
)
from ctip.web.stakeholders.models import FocalPoint, Organisation, OrganisationRelation, PriorTraining
from ctip.web.stakeholders.views.common import render_page


def organisation_of(request: HttpRequest, organisation: Any) -> Organisation:
    return get_object_or_404(Organisation, workspace=request.workspace, uuid=organisation)


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    services.organisation_types_ensure(workspace=workspace, acting_user=request.user)
    form = OrganisationFilterForm(
        request.GET or None, workspace=workspace, locations=selectors.organisation_locations(workspace)
    )
    filters = selectors.OrganisationFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilter(
            type=data["type"],
            sector=data["sector"],
            location=data["location"],
            pillar=data["pillar"],
            search=data["q"],
        )
    found = list(selectors.organisations(workspace, filters))
    labels = selectors.stakeholder_labels(workspace)
    rows = [
        {
            "organisation": organisation,
            "type": labels.type(organisation.type),
            "sector": labels.sectors.get(organisation.sector, ""),
            "pillars": [labels.pillars.get(code, code) for code in organisation.pillars or ()],
        }
        for organisation in found
    ]
    return render_page(
        request,
        "stakeholders/list.html",
        {
            "form": form,
            "rows": rows,
            "total": selectors.organisations(workspace).count(),
            "is_filtered": filters != selectors.OrganisationFilter(),
        },
    )


def _detail_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    focal_point_form: FocalPointForm | None = None,
    training_form: PriorTrainingForm | None = None,
    relation_form: RelationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = request.workspace
    found = selectors.organisation_detail(workspace, organisation.uuid).first()
    if found is None:
        raise Http404("No such organisation")
    labels = selectors.stakeholder_labels(workspace)
    relations = [
        {"relation": r, "other": r.target, "outgoing": True, "kind": labels.relations.get(r.kind, r.kind)}
        for r in found.relations_out.all()
    ] + [
        {"relation": r, "other": r.source, "outgoing": False, "kind": labels.relations.get(r.kind, r.kind)}
        for r in found.relations_in.all()
    ]
    return render_page(
        request,
        "stakeholders/detail.html",
        {
            "organisation": found,
            "type_label": labels.type(found.type),
            "sector_label": labels.sectors.get(found.sector, ""),
            "level_label": labels.levels.get(found.level, ""),
            "pillars": [labels.pillars.get(code, code) for code in found.pillars or ()],
            "stages": [labels.stages.get(code, code) for code in found.chain_stages or ()],
            "relations": sorted(relations, key=lambda item: item["other"].name.casefold()),
            "focal_point_form": focal_point_form or FocalPointForm(),
            "training_form": training_form or PriorTrainingForm(),
            "relation_form": relation_form or RelationForm(workspace=workspace, organisation=found),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
        },
        status=status,
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_detail(request: HttpRequest, organisation: Any) -> HttpResponse:
    return _detail_page(request, organisation_of(request, organisation))


@workspace_view(Permission.EDIT_CONTENT)
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    services.organisation_types_ensure(workspace=workspace, acting_user=request.user)
    form = OrganisationForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.organisation_create(
                workspace=workspace, acting_user=request.user, **form.values()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” added to the registry.") % {"name": created.name})
            return redirect("stakeholder-detail", workspace=workspace.slug, organisation=created.uuid)
    return render_page(
        request, "stakeholders/form.html", {"form": form, "creating": True}, status=_status(request, form)
    )


def _status(request: HttpRequest, form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@workspace_view(Permission.EDIT_CONTENT)
def stakeholder_edit(request: HttpRequest, organisation: Any) -> HttpResponse:
    workspace = request.workspace
    found = organisation_of(request, organisation)
    form = OrganisationForm(
        request.POST or None, workspace=workspace, instance=found, initial=OrganisationForm.initial_for(found)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                workspace=workspace,
                organisation=found,
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes to “%(name)s” saved.") % {"name": found.name})
            return redirect("stakeholder-detail", workspace=workspace.slug, organisation=found.uuid)
    return render_page(
        request,
        "stakeholders/form.html",
        {"form": form, "creating": False, "organisation": found},
        status=_status(request, form),
    )


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def stakeholder_delete(request: HttpRequest, organisation: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    try:
        services.organisation_delete(
            workspace=request.workspace, organisation=found, acting_user=request.user
        )
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("stakeholder-detail", workspace=request.workspace.slug, organisation=found.uuid)
    messages.success(request, _("“%(name)s” deleted from the registry.") % {"name": found.name})
    return redirect("stakeholder-list", workspace=request.workspace.slug)


def _back(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    return redirect("stakeholder-detail", workspace=request.workspace.slug, organisation=organisation.uuid)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def focal_point_add(request: HttpRequest, organisation: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    form = FocalPointForm(request.POST)
    if form.is_valid():
        try:
            services.focal_point_create(
                workspace=request.workspace, organisation=found, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Focal point added."))
            return _back(request, found)
    return _detail_page(request, found, focal_point_form=form, status=400)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def focal_point_delete(request: HttpRequest, organisation: Any, focal_point: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    item = get_object_or_404(FocalPoint, organisation=found, uuid=focal_point)
    services.focal_point_delete(workspace=request.workspace, focal_point=item, acting_user=request.user)
    messages.success(request, _("Focal point “%(name)s” removed.") % {"name": item.name})
    return _back(request, found)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def training_add(request: HttpRequest, organisation: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    form = PriorTrainingForm(request.POST)
    if form.is_valid():
        try:
            services.prior_training_create(
                workspace=request.workspace, organisation=found, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Prior training added."))
            return _back(request, found)
    return _detail_page(request, found, training_form=form, status=400)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def training_delete(request: HttpRequest, organisation: Any, training: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    item = get_object_or_404(PriorTraining, organisation=found, uuid=training)
    services.prior_training_delete(workspace=request.workspace, prior_training=item, acting_user=request.user)
    messages.success(request, _("Prior training removed."))
    return _back(request, found)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def relation_add(request: HttpRequest, organisation: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    form = RelationForm(request.POST, workspace=request.workspace, organisation=found)
    if form.is_valid():
        other = form.cleaned_data["other"]
        source, target = (other, found) if form.cleaned_data["direction"] == INCOMING else (found, other)
        try:
            services.relation_create(
                workspace=request.workspace,
                source=source,
                target=target,
                kind=form.cleaned_data["kind"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.render(_))
            for problem in error.problems:
                name = problem.location if problem.location in form.fields else "other"
                form.add_error(name, problem.render(_))
        else:
            messages.success(request, _("Relation added."))
            return _back(request, found)
    return _detail_page(request, found, relation_form=form, status=400)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def relation_delete(request: HttpRequest, organisation: Any, relation: Any) -> HttpResponse:
    found = organisation_of(request, organisation)
    item = (
        OrganisationRelation.objects.filter(uuid=relation, source=found).first()
        or OrganisationRelation.objects.filter(uuid=relation, target=found).first()
    )
    if item is None:
        raise Http404("No such relation")
    services.relation_delete(workspace=request.workspace, relation=item, acting_user=request.user)
    messages.success(request, _("Relation removed."))
    return _back(request, found)
