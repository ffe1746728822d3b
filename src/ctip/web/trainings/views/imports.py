"""An event's imports: the paper answer sheets of its pre- and post-test (upload → preview → apply, and the
answer-sheet template), and its reaction and follow-up surveys (the XLSForms for KoboToolbox or ODK, the
import of their responses — upload → preview → apply — and a summary of the responses received)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.model import PHASE_LABELS, SURVEY_KIND_LABELS, Phase, SurveyKind
from ctip.core.training.surveys import (
    APPLIED_CHOICES,
    TOOL_CHOICES,
    QuestionKind,
    questions,
)
from ctip.formats.training_surveys_xlsform import build_survey_xlsform
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage
from ctip.web.trainings.models import AssessmentForm, TrainingEvent
from ctip.web.trainings.services.answers_import import (
    answer_sheet_template,
    answers_import_apply,
    answers_import_preview,
)
from ctip.web.trainings.services.survey_import import (
    survey_import_apply,
    survey_import_preview,
    survey_summaries,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANSWERS_KEY = "trainings_answers_import"
SURVEYS_KEY = "trainings_survey_import"
_LOCATION = re.compile(r"^row (?P<row>\d+)(?:, (?:column )?(?P<column>.+))?$")
_HEADER = re.compile(r"^header row(?:, column (?P<column>.+))?$")


class AnswersUploadForm(forms.Form):
    phase = forms.ChoiceField(
        label=gettext_lazy("Test"),
        required=False,
        choices=[
            ("", gettext_lazy("As written in the “phase” column")),
            (Phase.PRE.value, gettext_lazy(PHASE_LABELS[Phase.PRE])),
            (Phase.POST.value, gettext_lazy(PHASE_LABELS[Phase.POST])),
        ],
        help_text=gettext_lazy("Choose a test when every row of the file belongs to it."),
    )
    file = forms.FileField(label=gettext_lazy("Answer sheets (.xlsx or .csv)"))


class SurveyUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Survey"),
        choices=[(kind.value, gettext_lazy(label)) for kind, label in SURVEY_KIND_LABELS.items()],
    )
    file = forms.FileField(
        label=gettext_lazy("Export from KoboToolbox or ODK (.xlsx or .csv)"),
        help_text=gettext_lazy("Export with “XML values and headers” if you can; labels are understood too."),
    )


def _language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _event(request: HttpRequest, event: Any) -> TrainingEvent:
    return get_object_or_404(TrainingEvent, workspace=request.workspace, uuid=event)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    membership = getattr(request, "membership", None)
    return render(
        request,
        template,
        {"can_run_trainings": may(membership, Permission.RUN_TRAININGS), **context},
        status=status,
    )


def problem_rows(error: DomainError) -> list[dict[str, str]]:
    """Each problem as (row, column, message) for the error table."""
    rows = []
    for problem in error.problems:
        location = problem.location
        match = _LOCATION.match(location)
        header = _HEADER.match(location)
        if match:
            row, column = match.group("row"), match.group("column") or ""
        elif header:
            row, column = _("header"), header.group("column") or ""
        else:
            row, column = "", location
        rows.append(
            {"row": row, "column": column.replace("“", "").replace("”", ""), "message": problem.render(_)}
        )
    return rows


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "event"


# --- Paper answer sheets -------------------------------------------------------------------------------


def _answers_context(event: TrainingEvent) -> dict[str, Any]:
    built = [
        {"phase": form.phase, "label": _(PHASE_LABELS[Phase(form.phase)]), "items": len(form.items)}
        for form in AssessmentForm.objects.filter(event=event).order_by("phase")
        if form.items and form.phase in (Phase.PRE, Phase.POST)
    ]
    built.sort(key=lambda form: form["phase"] != Phase.PRE)
    return {"event": event, "built_forms": built, "max_mb": int(settings.CTIP_MAX_UPLOAD_MB)}


@workspace_view(Permission.RUN_TRAININGS)
def answers_import(request: HttpRequest, event: Any) -> HttpResponse:
    workspace = request.workspace
    found = _event(request, event)
    context = _answers_context(found)
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(
            request, key=ANSWERS_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        upload_unstage(request, key=ANSWERS_KEY)
        if staged is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("training-answers-import", workspace=workspace.slug, event=found.uuid)
        filename, data = staged
        try:
            result = answers_import_apply(
                workspace=workspace,
                event=found,
                data=data,
                filename=filename,
                acting_user=request.user,
                phase=request.POST.get("phase", ""),
            )
        except DomainError as error:
            context.update(form=AnswersUploadForm(), error=error.render(_), problems=problem_rows(error))
            return _render(request, "trainings/answers_import.html", context, status=400)
        messages.success(
            request,
            _("Answer sheets imported: %(created)s new, %(replaced)s replaced, %(unchanged)s unchanged.")
            % {"created": result.to_create, "replaced": result.to_replace, "unchanged": result.unchanged},
        )
        return redirect("training-answers-import", workspace=workspace.slug, event=found.uuid)
    form = AnswersUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return _render(request, "trainings/answers_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        phase = form.cleaned_data["phase"]
        try:
            preview = answers_import_preview(
                workspace=workspace,
                event=found,
                data=data,
                filename=upload.name,
                acting_user=request.user,
                phase=phase,
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return _render(request, "trainings/answers_import.html", context, status=400)
        context.update(preview=preview, phase=phase)
        digest = upload_stage(request, key=ANSWERS_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return _render(request, "trainings/answers_import.html", context)


@workspace_view(Permission.RUN_TRAININGS)
def answers_template(request: HttpRequest, event: Any) -> HttpResponse:
    found = _event(request, event)
    phase = request.GET.get("phase", Phase.PRE.value)
    try:
        content = answer_sheet_template(event=found, phase=phase, language=_language(request))
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("training-answers-import", workspace=request.workspace.slug, event=found.uuid)
    return _attachment(content, f"{_safe_name(found.code)}-{phase}-answer-sheets.xlsx")


# --- Surveys -------------------------------------------------------------------------------------------


def _summary_context(event: TrainingEvent, language: str) -> dict[str, Any]:
    summaries = survey_summaries(event)
    reaction, follow_up = summaries[SurveyKind.REACTION.value], summaries[SurveyKind.FOLLOW_UP.value]
    likert = []
    comments = []
    for question in questions(SurveyKind.REACTION):
        if question.kind == QuestionKind.TEXT:
            comments.append((question.label.get(language), reaction["comments"][question.name]))
            continue
        figures = reaction["questions"][question.name]
        likert.append(
            {
                "label": question.label.get(language),
                "n": figures["n"],
                "mean": figures["mean"],
                "sd": figures["sd"],
                "agree": figures["agree_percent"],
                "distribution": [figures["distribution"][value] for value in range(1, 6)],
            }
        )
    return {
        "reaction": reaction,
        "follow_up": follow_up,
        "likert_rows": likert,
        "reaction_comments": comments,
        "follow_up_labels": {q.name: q.label.get(language) for q in questions(SurveyKind.FOLLOW_UP)},
        "applied_rows": [
            (label.get(language), follow_up["applied"][name]) for name, label in APPLIED_CHOICES
        ],
        "tool_rows": [(label.get(language), follow_up["tools"][name]) for name, label in TOOL_CHOICES],
        "participants": event.participants.count(),
    }


def _surveys_context(request: HttpRequest, event: TrainingEvent) -> dict[str, Any]:
    return {
        "event": event,
        "max_mb": int(settings.CTIP_MAX_UPLOAD_MB),
        **_summary_context(event, _language(request)),
    }


@workspace_view(Permission.VIEW_WORKSPACE)
def surveys(request: HttpRequest, event: Any) -> HttpResponse:
    workspace = request.workspace
    found = _event(request, event)
    if request.method == "POST" and not may(getattr(request, "membership", None), Permission.RUN_TRAININGS):
        raise PermissionDenied("Importing survey responses needs the run-trainings permission")
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(
            request, key=SURVEYS_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        upload_unstage(request, key=SURVEYS_KEY)
        if staged is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("training-surveys", workspace=workspace.slug, event=found.uuid)
        filename, data = staged
        kind = request.POST.get("kind", "")
        try:
            result = survey_import_apply(
                workspace=workspace,
                event=found,
                kind=kind,
                data=data,
                filename=filename,
                acting_user=request.user,
            )
        except DomainError as error:
            context = _surveys_context(request, found)
            context.update(form=SurveyUploadForm(), error=error.render(_), problems=problem_rows(error))
            return _render(request, "trainings/surveys.html", context, status=400)
        messages.success(
            request,
            _("Survey responses imported: %(created)s new, %(replaced)s replaced, %(unchanged)s unchanged.")
            % {"created": result.to_create, "replaced": result.to_replace, "unchanged": result.unchanged},
        )
        return redirect("training-surveys", workspace=workspace.slug, event=found.uuid)
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    context = _surveys_context(request, found)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return _render(request, "trainings/surveys.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        kind = form.cleaned_data["kind"]
        try:
            preview = survey_import_preview(
                workspace=workspace,
                event=found,
                kind=kind,
                data=data,
                filename=upload.name,
                acting_user=request.user,
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return _render(request, "trainings/surveys.html", context, status=400)
        context.update(preview=preview, preview_rows=_preview_rows(preview, _language(request)))
        digest = upload_stage(request, key=SURVEYS_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return _render(request, "trainings/surveys.html", context)


def _preview_rows(preview: Any, language: str) -> list[dict[str, Any]]:
    """Each previewed response with its answers as short readable text."""
    rows = []
    for row in preview.rows:
        shown = []
        for question in questions(preview.kind):
            value = row.answers.get(question.name)
            if value is None or question.kind == QuestionKind.TEXT:
                continue
            if question.kind == QuestionKind.SELECT_MULTIPLE:
                text = ", ".join(question.choice_label(name, language) for name in value)
            elif question.kind == QuestionKind.SELECT_ONE:
                text = question.choice_label(str(value), language)
            else:
                text = str(value)
            shown.append((question.name, text))
        rows.append({"row": row, "answers": shown})
    return rows


@workspace_view(Permission.VIEW_WORKSPACE)
def survey_xlsform(request: HttpRequest, event: Any) -> HttpResponse:
    found = _event(request, event)
    requested = request.GET.get("kind", SurveyKind.REACTION.value)
    kind = SurveyKind(requested) if requested in {k.value for k in SurveyKind} else SurveyKind.REACTION
    version = (found.updated_at or found.created_at).strftime("%Y%m%d%H")
    content = build_survey_xlsform(kind, event_code=found.code, event_title=found.title, version=version)
    return _attachment(content, f"{_safe_name(found.code)}-{kind.value.replace('_', '-')}-survey.xlsx")
