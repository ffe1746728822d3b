"""The page of a scenario's plan documents and their downloads: the capacity development plan (Word), its
workbook with live formulas (Excel) and the validation-workshop deck (PowerPoint), written on request in
English or French.

Any member may download them: they hold the plan's aggregates (sessions, seats by segment, costs), no
personal data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import workspace_view
from ctip.web.inception.selectors import report_template_info
from ctip.web.planning.models import PlanScenario, PlanSession
from ctip.web.planning.report import TEMPLATE_KIND, plan_deck_pptx, plan_report_docx, plan_workbook_xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
REPORT_LANGUAGES = ("en", "fr")


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in REPORT_LANGUAGES else (request.LANGUAGE_CODE or "en")


def _scenario(request: HttpRequest, scenario: uuid.UUID) -> PlanScenario:
    return get_object_or_404(PlanScenario, workspace=request.workspace, uuid=scenario)


@workspace_view(Permission.VIEW_WORKSPACE)
def report_page(request: HttpRequest, scenario: uuid.UUID) -> HttpResponse:
    found = _scenario(request, scenario)
    return render(
        request,
        "planning/report.html",
        {
            "scenario": found,
            "session_count": PlanSession.objects.filter(scenario=found).count(),
            "custom_template": report_template_info(request.workspace, TEMPLATE_KIND),
            "languages": [("en", "English"), ("fr", "Français")],
        },
    )


def _download(
    request: HttpRequest,
    scenario: uuid.UUID,
    build: Callable[..., bytes],
    *,
    content_type: str,
    stem: str,
    extension: str,
) -> HttpResponse:
    found = _scenario(request, scenario)
    page = redirect("plan-report", workspace=request.workspace.slug, scenario=found.uuid)
    if not PlanSession.objects.filter(scenario=found).exists():
        messages.error(
            request,
            _(
                "The scenario “%(name)s” has no sessions yet: solve it or add sessions before writing its plan."
            )
            % {"name": found.name},
        )
        return page
    language = _language(request)
    try:
        content = build(request.workspace, found, language=language)
    except DomainError as error:
        messages.error(request, error.render(_))
        return page
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{request.workspace.slug}-{language}.{extension}"
    )
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def report_docx(request: HttpRequest, scenario: uuid.UUID) -> HttpResponse:
    """The capacity development plan as a Word file, in the workspace's own template when one was uploaded."""
    return _download(
        request, scenario, plan_report_docx, content_type=DOCX, stem="capacity-plan", extension="docx"
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def report_xlsx(request: HttpRequest, scenario: uuid.UUID) -> HttpResponse:
    """The plan's schedule, seats, budget and targets as an Excel workbook with live totals."""
    return _download(
        request, scenario, plan_workbook_xlsx, content_type=XLSX, stem="capacity-plan", extension="xlsx"
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def report_pptx(request: HttpRequest, scenario: uuid.UUID) -> HttpResponse:
    """The validation-workshop deck as a PowerPoint file."""
    return _download(
        request, scenario, plan_deck_pptx, content_type=PPTX, stem="capacity-plan-deck", extension="pptx"
    )
