"""Survey instruments: the list, a new instrument (segment → pre-selected competencies → scale and title),
one instrument with its downloads (XLSForm, printable questionnaire, interview and focus-group guides)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.tna.instrument import segment_competencies
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.tna import documents, selectors, services
from ctip.web.tna.forms import (
    DocumentLanguageForm,
    InstrumentForm,
    InstrumentSegmentForm,
    organisation_type_choices,
)
from ctip.web.tna.models import SurveyInstrument
from ctip.web.tna.views.common import DOCX, XLSX, attachment, render_page


def instrument_for(request: HttpRequest, survey: Any) -> SurveyInstrument:
    return get_object_or_404(SurveyInstrument, workspace=request.workspace, uuid=survey)


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_list(request: HttpRequest) -> HttpResponse:
    segments = dict(organisation_type_choices(request.workspace))
    rows = [
        {"instrument": row, "segment": segments.get(row.segment, row.segment)}
        for row in selectors.instruments(request.workspace)
    ]
    return render_page(request, "tna/instruments.html", {"rows": rows})


@workspace_view(Permission.EDIT_CONTENT)
def instrument_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    services.framework_ensure(workspace=workspace, acting_user=request.user)
    active = list(selectors.competencies(workspace))
    segment_form = InstrumentSegmentForm(
        request.GET or None,
        workspace=workspace,
        auto_id="choose_%s",
        initial={"segment": request.POST.get("segment", "")},
    )
    segment = ""
    if segment_form.is_bound and segment_form.is_valid():
        segment = segment_form.cleaned_data["segment"]
    if request.method == "POST":
        form = InstrumentForm(request.POST, workspace=workspace, competencies=active)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.instrument_create(
                    workspace=workspace,
                    title=data["title"],
                    segment=data["segment"],
                    competency_codes=data["competencies"],
                    scale_max=data["scale_max"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Instrument “%(title)s” created.") % {"title": created.title})
                return redirect("tna-instrument", workspace=workspace.slug, survey=created.uuid)
        status = 400
    else:
        chosen = {
            competency.code
            for competency in segment_competencies([services.competency_of(row) for row in active], segment)
        }
        segment_label = dict(segment_form.fields["segment"].choices).get(segment, "")
        form = InstrumentForm(
            workspace=workspace,
            competencies=active,
            initial={
                "segment": segment,
                "scale_max": 5,
                "competencies": [row.code for row in active if row.code in chosen],
                "title": _("Training needs assessment survey: %(segment)s") % {"segment": segment_label},
            },
        )
        status = 200
    return render_page(
        request,
        "tna/instrument_form.html",
        {
            "form": form,
            "segment_form": segment_form,
            "segment_label": dict(segment_form.fields["segment"].choices).get(
                form["segment"].value() or "", ""
            ),
            "competency_count": len(active),
        },
        status=status,
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_detail(request: HttpRequest, survey: Any) -> HttpResponse:
    found = instrument_for(request, survey)
    built = services.instrument_of(found)
    segments = dict(organisation_type_choices(request.workspace))
    return render_page(
        request,
        "tna/instrument_detail.html",
        {
            "instrument": found,
            "built": built,
            "segment": segments.get(found.segment, found.segment),
            "groups": selectors.instrument_competency_groups(built, french=_french(request)),
            "submission_count": found.submissions.count(),
            "link_count": found.form_links.count(),
            "web_submitted": found.submissions.filter(source="web_form").count(),
            "batches": selectors.batches(request.workspace).filter(instrument=found)[:10],
            "question_count": len(built.profile_questions)
            + 2 * len(built.competencies)
            + len(built.institutional_questions)
            + len(built.open_questions),
        },
    )


def _french(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr")


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_xlsform(request: HttpRequest, survey: Any) -> HttpResponse:
    found = instrument_for(request, survey)
    return attachment(documents.instrument_xlsform(found), XLSX, f"{found.form_id}.xlsx")


def _document(request: HttpRequest, survey: Any, kind: str) -> HttpResponse:
    found = instrument_for(request, survey)
    form = DocumentLanguageForm(request.GET)
    language = form.cleaned_data["language"] if form.is_valid() else "en"
    content = documents.instrument_document(found, kind=kind, language=language)
    return attachment(content, DOCX, documents.document_filename(found, kind=kind, language=language))


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_questionnaire(request: HttpRequest, survey: Any) -> HttpResponse:
    return _document(request, survey, documents.QUESTIONNAIRE)


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_interview_guide(request: HttpRequest, survey: Any) -> HttpResponse:
    return _document(request, survey, documents.INTERVIEW_GUIDE)


@workspace_view(Permission.VIEW_WORKSPACE)
def instrument_fgd_guide(request: HttpRequest, survey: Any) -> HttpResponse:
    return _document(request, survey, documents.FOCUS_GROUP_GUIDE)
