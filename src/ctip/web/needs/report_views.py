"""The TNA report page and its downloads: the report (Word), the annex (Excel) and the validation deck
(PowerPoint), generated on request from the chosen survey instrument's answers.

Any member may download them: they hold aggregates only, with small groups suppressed (see
:mod:`ctip.web.needs.report`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.permissions import workspace_view
from ctip.web.inception.selectors import report_template_info
from ctip.web.needs.data import default_instrument, instruments_by_use
from ctip.web.needs.report import TEMPLATE_KIND, needs_annex_xlsx, needs_deck_pptx, needs_report_docx
from ctip.web.tna.models import SurveyInstrument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
REPORT_LANGUAGES = ("en", "fr")


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in REPORT_LANGUAGES else (request.LANGUAGE_CODE or "en")


def _instrument(request: HttpRequest) -> SurveyInstrument | None:
    """The instrument named by ``?instrument=<uuid>`` (404 when it is not one of the workspace's), or the
    one with the most answers."""
    wanted = request.GET.get("instrument", "").strip()
    if not wanted:
        return default_instrument(request.workspace)
    try:
        key = uuid.UUID(wanted)
    except ValueError as error:
        raise Http404("No such instrument") from error
    found = SurveyInstrument.objects.filter(workspace=request.workspace, uuid=key).first()
    if found is None:
        raise Http404("No such instrument")
    return found


@workspace_view(Permission.VIEW_WORKSPACE)
def report_page(request: HttpRequest) -> HttpResponse:
    instruments = [
        instrument for instrument in instruments_by_use(request.workspace) if instrument.submission_count
    ]
    chosen = _instrument(request)
    return render(
        request,
        "needs/report.html",
        {
            "instruments": instruments,
            "chosen": chosen,
            "custom_template": report_template_info(request.workspace, TEMPLATE_KIND),
            "languages": [("en", "English"), ("fr", "Français")],
        },
    )


def _page_url(request: HttpRequest, instrument: SurveyInstrument) -> str:
    page = reverse("needs-report", kwargs={"workspace": request.workspace.slug})
    return f"{page}?instrument={instrument.uuid}"


def _download(
    request: HttpRequest,
    build: Callable[..., bytes],
    *,
    content_type: str,
    stem: str,
    extension: str,
) -> HttpResponse:
    instrument = _instrument(request)
    if instrument is None or not instrument.submissions.exists():
        messages.error(
            request,
            _(
                "There are no survey answers to report on yet: import them on the needs assessment pages first."
            ),
        )
        return redirect(reverse("needs-report", kwargs={"workspace": request.workspace.slug}))
    language = _language(request)
    try:
        content = build(request.workspace, instrument, language=language)
    except DomainError as error:
        # Too few respondents to show anything without pointing at them.
        messages.error(request, error.render(_))
        return redirect(_page_url(request, instrument))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{request.workspace.slug}-{language}.{extension}"
    )
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def report_docx(request: HttpRequest) -> HttpResponse:
    """The TNA report as a Word file, in the workspace's own template when one was uploaded."""
    return _download(request, needs_report_docx, content_type=DOCX, stem="tna-report", extension="docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def annex_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table of the report and every breakdown, as an Excel workbook."""
    return _download(request, needs_annex_xlsx, content_type=XLSX, stem="tna-annex", extension="xlsx")


@workspace_view(Permission.VIEW_WORKSPACE)
def deck_pptx(request: HttpRequest) -> HttpResponse:
    """The validation-workshop deck as a PowerPoint file."""
    return _download(
        request, needs_deck_pptx, content_type=PPTX, stem="tna-validation-deck", extension="pptx"
    )
