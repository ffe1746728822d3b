"""Pages of an event's participants: the list with a form to register one more, a participant's page (edit,
remove), the sign-in sheet import (upload → preview → apply) and its template, the attendance grid, and the
certificates of attendance. Participants are known by their code only: no names are stored."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.formats.certificates import MAX_NAME_LENGTH
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage
from ctip.web.trainings import certificates, services
from ctip.web.trainings.forms import CertificateOptionsForm, ParticipantForm, SigninUploadForm
from ctip.web.trainings.models import Participant, TrainingEvent
from ctip.web.trainings.views.events import can_run, error_message, event_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNIN_KEY = "trainings_signin_import"
LANGUAGES = ("en", "fr")
_LOCATION = re.compile(r"^row (?P<row>\d+)(?:, (?:column )?(?P<column>.+))?$")


def _language(request: HttpRequest, wanted: str = "") -> str:
    if wanted in LANGUAGES:
        return wanted
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _participant(event: TrainingEvent, participant: object) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("organisation"), uuid=participant, event=event
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def problem_rows(error: DomainError) -> list[dict[str, str]]:
    """Each problem of an import as row, column and message, for the error table."""
    rows = []
    for problem in error.problems:
        match = _LOCATION.match(problem.location)
        if match:
            row, column = match.group("row"), (match.group("column") or "")
        else:
            row, column = "", problem.location
        rows.append({"row": row, "column": column, "message": problem.render(_)})
    return rows


# --- Participants --------------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def participants(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    may_run = can_run(request)
    form = ParticipantForm(request.POST or None, workspace=request.workspace)
    status = 200
    if request.method == "POST":
        if not may_run:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                added = services.participant_create(
                    event=found, values=form.values(), acting_user=request.user
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Participant %(code)s registered.") % {"code": added.code})
                return redirect("training-participants", workspace=request.workspace.slug, event=found.uuid)
        status = 400
    elif may_run:
        form = ParticipantForm(
            initial={"code": services.participant_code_next(found)}, workspace=request.workspace
        )
    grid = services.attendance_grid(found)
    return render(
        request,
        "trainings/participants.html",
        {
            "event": found,
            "rows": grid.rows,
            "days": grid.days,
            "registered": services.SexCounts.of(row.participant.sex for row in grid.rows),
            "form": form,
            "can_run": may_run,
        },
        status=status,
    )


@workspace_view(Permission.RUN_TRAININGS)
def participant_edit(request: HttpRequest, event: str, participant: str) -> HttpResponse:
    found = event_of(request, event)
    target = _participant(found, participant)
    blocker = services.participant_removal_blocker(target)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.participant_delete(participant=target, acting_user=request.user)
        except DomainError as error:
            error_message(request, error)
            return redirect(
                "training-participant-edit",
                workspace=request.workspace.slug,
                event=found.uuid,
                participant=target.uuid,
            )
        messages.success(request, _("Participant %(code)s removed.") % {"code": target.code})
        return redirect("training-participants", workspace=request.workspace.slug, event=found.uuid)
    initial = {
        "code": target.code,
        "sex": target.sex,
        "age_band": target.age_band,
        "organisation": target.organisation,
        "organisation_name": target.organisation_name,
        "role": target.role,
        "location": target.location,
        "version": target.version,
    }
    form = ParticipantForm(request.POST or None, initial=initial, workspace=request.workspace)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.participant_update(
                    participant=target,
                    values=form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Participant saved."))
                return redirect("training-participants", workspace=request.workspace.slug, event=found.uuid)
        status = 400
    return render(
        request,
        "trainings/participant_form.html",
        {
            "event": found,
            "participant": target,
            "form": form,
            "blocker_text": _(blocker) % {"code": target.code} if blocker else "",
        },
        status=status,
    )


# --- Sign-in sheet -------------------------------------------------------------------------------------


@workspace_view(Permission.RUN_TRAININGS)
def participants_import(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    workspace = request.workspace
    key = f"{SIGNIN_KEY}:{found.uuid}"
    context: dict[str, Any] = {
        "event": found,
        "days": services.event_days(found),
        "max_mb": settings.CTIP_MAX_UPLOAD_MB,
    }
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(request, key=key, workspace=workspace, digest=request.POST.get("digest", ""))
        upload_unstage(request, key=key)
        if staged is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("training-participants-import", workspace=workspace.slug, event=found.uuid)
        filename, data = staged
        try:
            result = services.signin_apply(
                event=found, data=data, filename=filename, acting_user=request.user
            )
        except DomainError as error:
            context.update(form=SigninUploadForm(), error=error.render(_), problems=problem_rows(error))
            return render(request, "trainings/participants_import.html", context, status=400)
        messages.success(
            request,
            _("Sign-in sheet imported: %(created)s participant(s) added, %(updated)s updated.")
            % {"created": result.to_create, "updated": result.to_update},
        )
        return redirect("training-participants", workspace=workspace.slug, event=found.uuid)
    form = SigninUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "trainings/participants_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = services.signin_preview(
                event=found, data=data, filename=upload.name, acting_user=request.user
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return render(request, "trainings/participants_import.html", context, status=400)
        context["preview"] = preview
        digest = upload_stage(request, key=key, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return render(request, "trainings/participants_import.html", context)


@workspace_view(Permission.VIEW_WORKSPACE)
def signin_template(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    language = _language(request, request.GET.get("language", ""))
    with translation.override(language):
        content = services.signin_template(found, language)
    return _attachment(content, XLSX, f"sign-in-sheet-{found.code}.xlsx")


# --- Attendance ----------------------------------------------------------------------------------------


def _checked(request: HttpRequest, days: list[dt.date]) -> tuple[dict[str, list[dt.date]], list[str]]:
    """The ticked boxes (``present`` = ``<participant uuid>|<ISO day>``) by participant, and what was not
    understood."""
    present: dict[str, list[dt.date]] = {}
    bad: list[str] = []
    for value in request.POST.getlist("present"):
        participant, _sep, day_text = value.partition("|")
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            bad.append(value)
            continue
        present.setdefault(participant, []).append(day)
    for participant in request.POST.getlist("participant"):
        present.setdefault(participant, [])
    return present, bad


@workspace_view(Permission.VIEW_WORKSPACE)
def attendance(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    may_run = can_run(request)
    if request.method == "POST":
        if not may_run:
            return HttpResponse(status=403)
        days = services.event_days(found)
        present, bad = _checked(request, days)
        if bad:
            messages.error(
                request, _("Some ticks could not be read; reload the page and tick the boxes again.")
            )
        else:
            try:
                changed = services.attendance_save(event=found, present=present, acting_user=request.user)
            except DomainError as error:
                error_message(request, error)
            else:
                messages.success(
                    request,
                    _("Attendance saved (%(count)s change(s)).") % {"count": changed}
                    if changed
                    else _("Attendance saved: nothing had changed."),
                )
                return redirect("training-attendance", workspace=request.workspace.slug, event=found.uuid)
    grid = services.attendance_grid(found)
    return render(
        request,
        "trainings/attendance.html",
        {
            "event": found,
            "grid": grid,
            "cells": [
                (row, [(day, day in row.present, day in row.recorded) for day in grid.days])
                for row in grid.rows
            ],
            "summary": services.attendance_summary(found),
            "can_run": may_run,
        },
    )


# --- Certificates --------------------------------------------------------------------------------------


@workspace_view(Permission.RUN_TRAININGS)
def certificates_page(request: HttpRequest, event: str) -> HttpResponse:
    """Pick participants and type their names for one download: the names are not saved."""
    found = event_of(request, event)
    language = _language(request, found.language)
    options = CertificateOptionsForm(
        request.POST or None, initial={"language": found.language or language, "all_days": False}
    )
    everyone = certificates.certificate_candidates(found)
    error = ""
    if request.method == "POST" and options.is_valid():
        all_days = options.cleaned_data["all_days"]
        chosen_ids = set(request.POST.getlist("include"))
        chosen = [
            candidate
            for candidate in certificates.certificate_candidates(found, all_days=all_days)
            if str(candidate.participant.uuid) in chosen_ids
        ]
        names = {
            str(candidate.participant.uuid): request.POST.get(f"name_{candidate.participant.uuid}", "")[
                :MAX_NAME_LENGTH
            ]
            for candidate in chosen
        }
        if chosen:
            try:
                content = certificates.certificates_docx(
                    found, chosen, names, language=options.cleaned_data["language"]
                )
            except DomainError as problem:
                error = problem.render(_)
            else:
                response = _attachment(
                    content, certificates.DOCX_CONTENT_TYPE, certificates.certificates_filename(found)
                )
                response["Cache-Control"] = "no-store"  # the file holds the names typed: keep no copy
                return response
        else:
            error = (
                _(
                    "Nobody chosen was present on every training day: untick that option or choose other participants."
                )
                if all_days and chosen_ids
                else _("Choose at least one participant.")
            )
    return render(
        request,
        "trainings/certificates.html",
        {
            "event": found,
            "options": options,
            "candidates": [
                (
                    candidate,
                    request.method != "POST"
                    or str(candidate.participant.uuid) in request.POST.getlist("include"),
                    request.POST.get(f"name_{candidate.participant.uuid}", "")[:MAX_NAME_LENGTH]
                    if request.method == "POST"
                    else "",
                )
                for candidate in everyone
            ],
            "days": len(services.event_days(found)),
            "error": error,
            "registered": found.participants.count(),
        },
        status=400 if error else 200,
    )
