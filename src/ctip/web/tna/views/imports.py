"""Importing survey answers: upload (instrument + file) → column mapping for files that are not Kobo or ODK
exports → preview (create / update / unchanged / reject, with reasons) → import (all or nothing, or the
valid rows only) → the batch's result and its rejected rows as CSV.

The uploaded file is kept in the session between the steps (files up to ``SESSION_MAX_BYTES``; larger
files go through the API or the command line, in one request)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.tna import selectors, services
from ctip.web.tna.forms import ColumnMappingForm, SurveyUploadForm
from ctip.web.tna.models import ColumnMapping, ImportBatch, SurveyInstrument
from ctip.web.tna.views.common import CSV, attachment, problem_rows, render_page

SESSION_KEY = "tna_survey_import"
SESSION_MAX_BYTES = 2 * 1024 * 1024
"""Files up to this size are kept in the session between the steps."""
PREVIEW_ROWS = 300


def _kept(request: HttpRequest) -> dict[str, Any] | None:
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("workspace") != request.workspace.slug:
        return None
    return kept


def _kept_file(request: HttpRequest) -> tuple[dict[str, Any], SurveyInstrument, bytes] | None:
    """The file of the import in progress, with its instrument, or None (then say so and start again)."""
    kept = _kept(request)
    if kept is None:
        return None
    instrument = SurveyInstrument.objects.filter(
        workspace=request.workspace, uuid=kept.get("instrument")
    ).first()
    try:
        data = base64.b64decode(kept["data"])
    except (binascii.Error, KeyError, TypeError):
        return None
    if instrument is None or hashlib.sha256(data).hexdigest() != kept.get("digest"):
        return None
    return kept, instrument, data


def _start_again(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.error(request, _("The uploaded file is no longer available. Upload it again."))
    return redirect("tna-imports", workspace=request.workspace.slug)


def _upload_form(
    request: HttpRequest, instruments: list[SurveyInstrument], data: Any = None
) -> SurveyUploadForm:
    mappings = [
        (str(row.uuid), f"{row.name} ({row.instrument.title})")
        for row in selectors.column_mappings(request.workspace)
    ]
    initial = {"instrument": request.GET.get("instrument", "")}
    return SurveyUploadForm(
        data, request.FILES or None, instruments=instruments, mappings=mappings, initial=initial
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def import_list(request: HttpRequest) -> HttpResponse:
    """The imports so far and, for editors, the upload form."""
    workspace = request.workspace
    instruments = list(selectors.instruments(workspace))
    can_edit = may(request.membership, Permission.EDIT_CONTENT)
    form = _upload_form(request, instruments, request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Your role does not allow imports")
        if form.is_valid():
            instrument = next(i for i in instruments if str(i.uuid) == form.cleaned_data["instrument"])
            upload = form.cleaned_data["file"]
            data = upload.read()
            if len(data) > SESSION_MAX_BYTES:
                form.add_error(
                    "file",
                    _(
                        "This file is larger than %(size)s MB, too large to keep between the steps of the page. "
                        "Import it with the command line (ctip tna import) or the API, or split it."
                    )
                    % {"size": SESSION_MAX_BYTES // (1024 * 1024)},
                )
            else:
                mapping: dict[str, str] | None = None
                chosen = form.cleaned_data.get("mapping")
                if chosen:
                    saved = ColumnMapping.objects.filter(workspace=workspace, uuid=chosen).first()
                    mapping = dict(saved.mapping) if saved is not None else None
                try:
                    layout = services.survey_file_layout(
                        workspace=workspace, instrument=instrument, data=data, filename=upload.name
                    )
                except DomainError as error:
                    apply_domain_error(form, error)
                else:
                    request.session[SESSION_KEY] = {
                        "workspace": workspace.slug,
                        "instrument": str(instrument.uuid),
                        "name": upload.name,
                        "digest": hashlib.sha256(data).hexdigest(),
                        "data": base64.b64encode(data).decode("ascii"),
                        "mapping": mapping,
                    }
                    if mapping is None and layout.needs_mapping:
                        return redirect("tna-import-mapping", workspace=workspace.slug)
                    return redirect("tna-import-preview", workspace=workspace.slug)
        status = 400
    return render_page(
        request,
        "tna/imports.html",
        {
            "form": form,
            "instruments": instruments,
            "batches": list(selectors.batches(workspace)[:50]),
            "connections": list(selectors.kobo_connections(workspace)),
            "max_mb": SESSION_MAX_BYTES // (1024 * 1024),
            "upload_limit_mb": int(settings.CTIP_MAX_UPLOAD_MB),
        },
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
def import_mapping(request: HttpRequest) -> HttpResponse:
    """Match the file's columns to the instrument's fields (pre-filled by label similarity)."""
    workspace = request.workspace
    found = _kept_file(request)
    if found is None:
        return _start_again(request)
    kept, instrument, data = found
    try:
        layout = services.survey_file_layout(
            workspace=workspace, instrument=instrument, data=data, filename=kept["name"]
        )
    except DomainError:
        return _start_again(request)
    current = services.fields_from_mapping(kept["mapping"]) if kept.get("mapping") else layout.suggested
    initial = {f"field_{name}": column for name, column in current.items()}
    form = ColumnMappingForm(
        request.POST or None,
        fields=layout.fields,
        columns=layout.columns,
        required=layout.required,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            mapping = services.mapping_from_fields(
                form.mapping(), [header for header, _label in layout.columns]
            )
            name = form.cleaned_data["save_as"].strip()
            saved = True
            if name:
                try:
                    services.column_mapping_save(
                        workspace=workspace,
                        instrument=instrument,
                        name=name,
                        mapping=mapping,
                        acting_user=request.user,
                    )
                except DomainError as error:
                    apply_domain_error(form, error)
                    saved = False
                else:
                    messages.success(request, _("Mapping “%(name)s” saved.") % {"name": name})
            if saved:
                request.session[SESSION_KEY] = {**kept, "mapping": mapping}
                return redirect("tna-import-preview", workspace=workspace.slug)
        status = 400
    return render_page(
        request,
        "tna/import_mapping.html",
        {"form": form, "instrument": instrument, "filename": kept["name"], "layout": layout},
        status=status,
    )


@workspace_view(Permission.EDIT_CONTENT)
def import_preview(request: HttpRequest) -> HttpResponse:
    """What the import will do, row by row; then import everything, or only the valid rows."""
    workspace = request.workspace
    found = _kept_file(request)
    if found is None:
        return _start_again(request)
    kept, instrument, data = found
    mapping = kept.get("mapping")
    if request.method == "POST":
        valid_rows_only = request.POST.get("apply") == "valid"
        try:
            result = services.survey_import_apply(
                workspace=workspace,
                instrument=instrument,
                data=data,
                filename=kept["name"],
                mapping=mapping,
                valid_rows_only=valid_rows_only,
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(request, error.render(_))
            return redirect("tna-import-preview", workspace=workspace.slug)
        request.session.pop(SESSION_KEY, None)
        if result.batch is None:
            if result.rejected:
                messages.warning(
                    request,
                    _(
                        "Nothing new was imported: the valid rows are already stored, and %(count)s row(s) are still rejected."
                    )
                    % {"count": result.rejected},
                )
            else:
                messages.info(
                    request, _("Nothing to import: every row of the file is already stored as it is.")
                )
            return redirect("tna-imports", workspace=workspace.slug)
        return redirect("tna-import-result", workspace=workspace.slug, batch=result.batch.uuid)
    try:
        preview = services.survey_import_preview(
            workspace=workspace,
            instrument=instrument,
            data=data,
            filename=kept["name"],
            mapping=mapping,
            acting_user=request.user,
        )
    except DomainError as error:
        return render_page(
            request,
            "tna/import_preview.html",
            {
                "instrument": instrument,
                "filename": kept["name"],
                "error": error.render(_),
                "problems": problem_rows(error),
                "mapping": mapping,
            },
            status=400,
        )
    # Rejected and updated rows first; a long file shows its first rows only (the counts cover them all).
    ordered = sorted(
        preview.rows, key=lambda row: (row.action not in (services.REJECT, services.UPDATE), row.row)
    )
    return render_page(
        request,
        "tna/import_preview.html",
        {
            "instrument": instrument,
            "filename": kept["name"],
            "preview": preview,
            "rows": ordered[:PREVIEW_ROWS],
            "rows_hidden": max(0, len(ordered) - PREVIEW_ROWS),
            "mapping": mapping,
        },
    )


def batch_for(request: HttpRequest, batch: Any) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.select_related("instrument", "created_by"),
        workspace=request.workspace,
        uuid=batch,
    )


@require_GET
@workspace_view(Permission.VIEW_WORKSPACE)
def import_result(request: HttpRequest, batch: Any) -> HttpResponse:
    found = batch_for(request, batch)
    return render_page(request, "tna/import_result.html", {"batch": found})


@require_GET
@workspace_view(Permission.ANALYSE_DATA)
def import_rejected(request: HttpRequest, batch: Any) -> HttpResponse:
    """The rejected rows (original columns and a ``problem`` column), to correct and import again. They hold
    free-text answers, so only members who analyse data may download them."""
    found = batch_for(request, batch)
    stem = found.file_name.rsplit(".", 1)[0] or "import"
    return attachment(bytes(found.rejected_csv or b""), CSV, f"{stem}-rejected.csv")
