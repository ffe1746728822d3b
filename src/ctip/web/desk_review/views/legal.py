"""The legal desk review: national instruments assessed against the Palermo Protocol checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.desk_review import checklist, selectors, services
from ctip.web.desk_review.forms import AssessmentForm, InstrumentForm
from ctip.web.desk_review.models import ChecklistAssessment, LegalInstrument


def _instrument(request: HttpRequest, instrument: str) -> LegalInstrument:
    return get_object_or_404(
        LegalInstrument.objects.select_related("reference").defer("reference__file_content"),
        uuid=instrument,
        workspace=request.workspace,
    )


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "en")


@workspace_view(Permission.VIEW_WORKSPACE)
def legal_review(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    summaries = selectors.legal_review_summary(request.workspace, language)
    return render(
        request,
        "desk_review/legal_review.html",
        {
            "summaries": summaries,
            "chapters": checklist.chapters(language),
            "gaps": selectors.legal_gaps(request.workspace, language),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
        },
    )


def _instrument_arguments(form: InstrumentForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "short_name": data["short_name"],
        "year": data["year"],
        "kind": data["kind"],
        "notes": data["notes"],
        "reference": data["reference"],
    }


@workspace_view(Permission.EDIT_CONTENT)
def legal_instrument_create(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None, workspace=request.workspace, initial={"kind": "act"})
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_create(
                workspace=request.workspace, acting_user=request.user, **_instrument_arguments(form)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Instrument added; assess each checklist item next."))
            return redirect("legal-instrument", workspace=request.workspace.slug, instrument=instrument.uuid)
    return render(request, "desk_review/instrument_form.html", {"form": form, "instrument": None})


@workspace_view(Permission.VIEW_WORKSPACE)
def legal_instrument(request: HttpRequest, instrument: str) -> HttpResponse:
    found = _instrument(request, instrument)
    return render(
        request,
        "desk_review/instrument_detail.html",
        {
            "instrument": found,
            "groups": selectors.instrument_items(found, _language(request)),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
        },
    )


@workspace_view(Permission.EDIT_CONTENT)
def legal_instrument_edit(request: HttpRequest, instrument: str) -> HttpResponse:
    found = _instrument(request, instrument)
    initial = {
        "title": found.title,
        "short_name": found.short_name,
        "year": found.year,
        "kind": found.kind,
        "notes": found.notes,
        "reference": found.reference.uuid if found.reference else None,
        "version": found.version,
    }
    form = InstrumentForm(request.POST or None, workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_update(
                workspace=request.workspace,
                instrument=found,
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
                **_instrument_arguments(form),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Instrument saved."))
            return redirect("legal-instrument", workspace=request.workspace.slug, instrument=found.uuid)
    return render(request, "desk_review/instrument_form.html", {"form": form, "instrument": found})


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def legal_instrument_delete(request: HttpRequest, instrument: str) -> HttpResponse:
    found = _instrument(request, instrument)
    try:
        services.instrument_delete(workspace=request.workspace, instrument=found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("legal-instrument", workspace=request.workspace.slug, instrument=found.uuid)
    messages.success(request, _("Instrument “%(title)s” deleted.") % {"title": found.title})
    return redirect("legal-review", workspace=request.workspace.slug)


@workspace_view(Permission.EDIT_CONTENT)
def legal_assessment_edit(request: HttpRequest, instrument: str, assessment: str) -> HttpResponse:
    found = _instrument(request, instrument)
    target = get_object_or_404(
        ChecklistAssessment.objects.select_related("instrument"), uuid=assessment, instrument=found
    )
    language = _language(request)
    item = checklist.checklist_item(target.item_code)
    initial = {
        "status": target.status,
        "provision": target.provision,
        "evidence": target.evidence,
        "note": target.note,
        "references": list(target.references.values_list("uuid", flat=True)),
        "version": target.version,
    }
    form = AssessmentForm(request.POST or None, workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_update(
                workspace=request.workspace,
                assessment=target,
                status=data["status"],
                provision=data["provision"],
                evidence=data["evidence"],
                note=data["note"],
                reference_uuids=[reference.uuid for reference in data["references"]],
                expected_version=data["version"],
                acting_user=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Assessment of %(code)s saved.") % {"code": target.item_code})
            url = reverse(
                "legal-instrument", kwargs={"workspace": request.workspace.slug, "instrument": found.uuid}
            )
            return redirect(f"{url}#item-{target.item_code}")
    return render(
        request,
        "desk_review/assessment_form.html",
        {
            "instrument": found,
            "assessment": target,
            "item": item,
            "title": checklist.localized(item.title, language) if item else target.item_code,
            "requirement": checklist.localized(item.requirement, language) if item else "",
            "guidance": checklist.localized(item.guidance, language) if item else "",
            "item_references": list(item.references) if item else [],
            "chapter": checklist.chapter_info(checklist.chapter_key(item), language) if item else None,
            "form": form,
        },
    )
