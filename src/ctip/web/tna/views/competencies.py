"""The competency framework: the list by pillar, adding, editing, retiring and restoring, and the
spreadsheet import (upload → preview → apply) and export."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.stakeholders import CHAIN_STAGE_LABELS, PILLAR_LABELS
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage
from ctip.web.tna import selectors, services
from ctip.web.tna.forms import CompetencyFilterForm, CompetencyForm, FileUploadForm, organisation_type_choices
from ctip.web.tna.models import WorkspaceCompetency
from ctip.web.tna.views.common import XLSX, attachment, problem_rows, render_page

SESSION_KEY = "tna_framework_import"


def _labels() -> dict[str, dict[str, str]]:
    return {
        "pillars": {code.value: _(label) for code, label in PILLAR_LABELS.items()},
        "stages": {code.value: _(label) for code, label in CHAIN_STAGE_LABELS.items()},
    }


@workspace_view(Permission.VIEW_WORKSPACE)
def competency_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":
        return _retire_or_restore(request)
    services.framework_ensure(workspace=workspace, acting_user=request.user)
    form = CompetencyFilterForm(request.GET or None, workspace=workspace)
    filters = selectors.CompetencyFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.CompetencyFilter(
            pillar=data["pillar"],
            level=data["level"],
            target_type=data["target_type"],
            search=data["q"].strip(),
            show_retired=data["retired"],
        )
    rows = list(selectors.competencies(workspace, filters))
    labels = _labels()
    type_labels = dict(organisation_type_choices(workspace))
    groups = [
        {
            "pillar": code,
            "label": labels["pillars"].get(code, code),
            "rows": [
                {
                    "competency": row,
                    "title": row.title_fr if _french(request) and row.title_fr else row.title_en,
                    "stage": labels["stages"].get(row.chain_stage, row.chain_stage),
                    "types": [type_labels.get(t, t) for t in row.target_types or ()],
                }
                for row in group
            ],
        }
        for code, _label, group in selectors.competencies_by_pillar(rows)
    ]
    return render_page(
        request,
        "tna/competencies.html",
        {
            "form": form,
            "groups": groups,
            "shown": len(rows),
            "total": selectors.competencies(workspace, selectors.CompetencyFilter(show_retired=True)).count(),
            "is_filtered": filters != selectors.CompetencyFilter(),
        },
    )


def _french(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr")


def _retire_or_restore(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if not may(request.membership, Permission.EDIT_CONTENT):
        raise PermissionDenied("Your role does not allow changes to the framework")
    found = WorkspaceCompetency.objects.filter(
        workspace=workspace, uuid=_uuid_or_none(request.POST.get("competency"))
    ).first()
    if found is None:
        messages.error(request, _("There is no such competency in this workspace."))
        return redirect("tna-competencies", workspace=workspace.slug)
    action = request.POST.get("action")
    try:
        if action == "retire":
            services.competency_retire(workspace=workspace, competency=found, acting_user=request.user)
            messages.success(
                request,
                _("“%(code)s” is retired: new instruments will not include it.") % {"code": found.code},
            )
        else:
            services.competency_restore(workspace=workspace, competency=found, acting_user=request.user)
            messages.success(request, _("“%(code)s” is back in the framework.") % {"code": found.code})
    except DomainError as error:
        messages.error(request, error.render(_))
    return redirect("tna-competencies", workspace=workspace.slug)


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


@workspace_view(Permission.EDIT_CONTENT)
def competency_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    services.framework_ensure(workspace=workspace, acting_user=request.user)
    form = CompetencyForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.competency_create(
                workspace=workspace, acting_user=request.user, **form.values()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Competency “%(code)s” added.") % {"code": created.code})
            return redirect("tna-competencies", workspace=workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "tna/competency_form.html", {"form": form, "competency": None}, status=status)


@workspace_view(Permission.EDIT_CONTENT)
def competency_edit(request: HttpRequest, competency: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(WorkspaceCompetency, workspace=workspace, uuid=competency)
    form = CompetencyForm(
        request.POST or None,
        workspace=workspace,
        editing=True,
        initial=CompetencyForm.initial_for(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_update(
                workspace=workspace,
                competency=found,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Competency “%(code)s” saved.") % {"code": found.code})
            return redirect("tna-competencies", workspace=workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "tna/competency_form.html", {"form": form, "competency": found}, status=status
    )


@workspace_view(Permission.EDIT_CONTENT)
def competencies_import(request: HttpRequest) -> HttpResponse:
    """Upload the framework as a spreadsheet (the columns of the export), see what changes, apply."""
    workspace = request.workspace
    context: dict[str, Any] = {"max_mb": int(settings.CTIP_MAX_UPLOAD_MB)}
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(
            request, key=SESSION_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        upload_unstage(request, key=SESSION_KEY)
        if staged is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("tna-competencies-import", workspace=workspace.slug)
        filename, data = staged
        try:
            result = services.framework_import_apply(
                workspace=workspace, data=data, filename=filename, acting_user=request.user
            )
        except DomainError as error:
            context.update(form=FileUploadForm(), error=error.render(_), problems=problem_rows(error))
            return render_page(request, "tna/competencies_import.html", context, status=400)
        messages.success(
            request,
            _("Framework imported: %(created)s added, %(updated)s updated.")
            % {"created": result.to_create, "updated": result.to_update},
        )
        return redirect("tna-competencies", workspace=workspace.slug)

    form = FileUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render_page(request, "tna/competencies_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = services.framework_import_preview(
                workspace=workspace, data=data, filename=upload.name, acting_user=request.user
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return render_page(request, "tna/competencies_import.html", context, status=400)
        context["preview"] = preview
        digest = upload_stage(request, key=SESSION_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return render_page(request, "tna/competencies_import.html", context)


@workspace_view(Permission.VIEW_WORKSPACE)
def competencies_export(request: HttpRequest) -> HttpResponse:
    services.framework_ensure(workspace=request.workspace, acting_user=request.user)
    content = selectors.framework_xlsx(request.workspace)
    return attachment(content, XLSX, f"competencies-{request.workspace.slug}.xlsx")
