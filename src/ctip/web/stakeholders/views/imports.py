"""Import (upload → preview → apply), the template, exports and the organisation-type list."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage
from ctip.web.stakeholders import exports, selectors, services
from ctip.web.stakeholders.forms import ImportUploadForm, OrganisationTypeEditForm, OrganisationTypeForm
from ctip.web.stakeholders.models import OrganisationType
from ctip.web.stakeholders.views.common import render_page

SESSION_KEY = "stakeholder_import"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LOCATION = re.compile(r"^row (?P<row>\d+)(?:, column (?P<column>.+))?$")
_COLUMN = re.compile(r"^“(?P<label>.*)”(?: \((?P<letter>[A-Z]+)\))?$")


def _column(text: str) -> str:
    """``“Staff total” (C)`` → ``Staff total (C)``; ``“name”`` → ``name``; ``C`` stays ``C``."""
    match = _COLUMN.match(text)
    if match is None:
        return text
    return (
        f"{match.group('label')} ({match.group('letter')})" if match.group("letter") else match.group("label")
    )


def problem_rows(error: DomainError) -> list[dict[str, str]]:
    """Each problem as (row, column, message) for the error table."""
    rows = []
    for problem in error.problems:
        match = _LOCATION.match(problem.location)
        if match:
            row, column = match.group("row"), _column(match.group("column") or "")
        elif problem.location == "header":
            row, column = "1", _("header")
        else:
            row, column = "", problem.location
        rows.append({"row": row, "column": column, "message": problem.render(_)})
    return rows


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(Permission.EDIT_CONTENT)
def stakeholder_import(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    context: dict[str, Any] = {"max_mb": _max_mb()}
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(
            request, key=SESSION_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        if staged is None:  # a different file, or none: the kept one stays for its own Apply
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("stakeholder-import", workspace=workspace.slug)
        filename, data = staged
        try:
            result = services.stakeholder_import_apply(
                workspace=workspace, data=data, filename=filename, acting_user=request.user
            )
        except DomainError as error:
            upload_unstage(request, key=SESSION_KEY)
            context.update(form=ImportUploadForm(), error=error.render(_), problems=problem_rows(error))
            return render_page(request, "stakeholders/import.html", context, status=400)
        upload_unstage(request, key=SESSION_KEY)
        return render_page(request, "stakeholders/import.html", {**context, "result": result})

    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render_page(request, "stakeholders/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = services.stakeholder_import_preview(
                workspace=workspace, data=data, filename=upload.name, acting_user=request.user
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return render_page(request, "stakeholders/import.html", context, status=400)
        context["preview"] = preview
        digest = upload_stage(request, key=SESSION_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return render_page(request, "stakeholders/import.html", context)


def _max_mb() -> int:
    return int(settings.CTIP_MAX_UPLOAD_MB)


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_template(request: HttpRequest) -> HttpResponse:
    services.organisation_types_ensure(workspace=request.workspace, acting_user=request.user)
    content = exports.stakeholder_template_xlsx(type_codes=exports.active_type_codes(request.workspace))
    return _attachment(content, XLSX, "stakeholders-template.xlsx")


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_export(request: HttpRequest) -> HttpResponse:
    services.organisation_types_ensure(workspace=request.workspace, acting_user=request.user)
    content = exports.stakeholders_export_xlsx(request.workspace)
    return _attachment(content, XLSX, f"stakeholders-{request.workspace.slug}.xlsx")


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_export_csv(request: HttpRequest) -> HttpResponse:
    content = exports.stakeholders_export_csv(request.workspace)
    return _attachment(
        content.encode("utf-8"), "text/csv; charset=utf-8", f"stakeholders-{request.workspace.slug}.csv"
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def stakeholder_types(request: HttpRequest) -> HttpResponse:
    """The editable list of organisation types: everyone reads it, editors add and change types."""
    workspace = request.workspace
    services.organisation_types_ensure(workspace=workspace, acting_user=request.user)
    can_edit = may(request.membership, Permission.EDIT_CONTENT)
    add_form = OrganisationTypeForm()
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Your role does not allow changes to the registry")
        if "label" in request.POST and "type" in request.POST:
            edit = OrganisationTypeEditForm(request.POST)
            if edit.is_valid():
                found = OrganisationType.objects.filter(
                    workspace=workspace, uuid=edit.cleaned_data["type"]
                ).first()
                if found is None:
                    messages.error(request, _("There is no such organisation type in this workspace."))
                else:
                    try:
                        services.organisation_type_update(
                            workspace=workspace,
                            organisation_type=found,
                            label=edit.cleaned_data["label"],
                            is_active=edit.cleaned_data["is_active"],
                            acting_user=request.user,
                        )
                    except DomainError as error:
                        messages.error(
                            request, error.render(_) + " " + " ".join(p.render(_) for p in error.problems)
                        )
                    else:
                        messages.success(request, _("Type “%(code)s” saved.") % {"code": found.code})
            else:
                messages.error(request, _("Give the type a label."))
            return redirect("stakeholder-types", workspace=workspace.slug)
        add_form = OrganisationTypeForm(request.POST)
        if add_form.is_valid():
            try:
                services.organisation_type_create(
                    workspace=workspace,
                    code=add_form.cleaned_data["code"],
                    label=add_form.cleaned_data["label"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(add_form, error)
            else:
                messages.success(request, _("Type added."))
                return redirect("stakeholder-types", workspace=workspace.slug)
        status = 400
    used = selectors.organisation_type_usage(workspace)
    types = [
        {"type": row, "label": _(row.label), "used": used.get(row.code, 0)}
        for row in selectors.organisation_types(workspace)
    ]
    return render_page(
        request,
        "stakeholders/types.html",
        {"types": types, "add_form": add_form, "can_edit": can_edit},
        status=status,
    )
