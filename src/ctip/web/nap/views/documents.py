"""The page of a National Action Plan's documents and their downloads: the plan (Word), the summary deck
for the Technical Committee and the validation meeting (PowerPoint) and the budget workbook with live
formulas (Excel), written on request in English or French.

Any member may download them: they hold the plan as the members see it on its pages, no personal data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import workspace_view
from ctip.web.inception.selectors import report_template_info
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement
from ctip.web.nap.report import LANGUAGES, TEMPLATE_KIND, nap_deck_pptx, nap_docx, nap_workbook_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in LANGUAGES else (request.LANGUAGE_CODE or "en")


def _plan(request: HttpRequest, plan: uuid.UUID) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.select_related("workspace"), workspace=request.workspace, uuid=plan
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def documents_page(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    found = _plan(request, plan)
    return render(
        request,
        "nap/documents.html",
        {
            "plan": found,
            "activity_count": NapElement.objects.filter(plan=found, level="activity").count(),
            "line_count": NapCostLine.objects.filter(activity__plan=found).count(),
            "custom_template": report_template_info(request.workspace, TEMPLATE_KIND),
            "languages": [("en", "English"), ("fr", "Français")],
        },
    )


def _download(
    request: HttpRequest,
    plan: uuid.UUID,
    build: Callable[[ActionPlan, str], bytes],
    *,
    content_type: str,
    stem: str,
    extension: str,
) -> HttpResponse:
    found = _plan(request, plan)
    language = _language(request)
    try:
        content = build(found, language)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("nap-documents", workspace=request.workspace.slug, plan=found.uuid)
    response = HttpResponse(content, content_type=content_type)
    name = slugify(found.title)[:60] or "nap"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{name}-{found.period_start}-{found.period_end}-{language}.{extension}"
    )
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def documents_docx(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    """The National Action Plan as a Word file, in the workspace's own template when one was uploaded."""
    return _download(request, plan, nap_docx, content_type=DOCX, stem="nap", extension="docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def documents_pptx(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    """The summary deck as a PowerPoint file."""
    return _download(request, plan, nap_deck_pptx, content_type=PPTX, stem="nap-deck", extension="pptx")


@workspace_view(Permission.VIEW_WORKSPACE)
def documents_xlsx(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    """The budget workbook with live formulas."""
    return _download(request, plan, nap_workbook_xlsx, content_type=XLSX, stem="nap-budget", extension="xlsx")
