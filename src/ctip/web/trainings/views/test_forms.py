"""The event's tests page: build the pre-test and the post-test from the item bank, open and close them,
the participants' link with its QR code, the printable answer key (and question paper), the progress of
the participants by sex, and the switch of the follow-up survey."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.model import PHASE_LABELS, Phase
from ctip.formats.qr import qr_png, qr_svg
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.trainings.models import AssessmentForm, TrainingEvent
from ctip.web.trainings.services import test_forms
from ctip.web.trainings.services.item_bank import bank_ensure

PHASES = (Phase.PRE.value, Phase.POST.value)


def _language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _event(request: HttpRequest, event: Any) -> TrainingEvent:
    return get_object_or_404(TrainingEvent, workspace=request.workspace, uuid=event)


def _tests_url(event: TrainingEvent) -> str:
    return reverse("training-tests", kwargs={"workspace": event.workspace.slug, "event": event.uuid})


def link_url(request: HttpRequest, event: TrainingEvent) -> str:
    """The absolute address of the participants' link."""
    return request.build_absolute_uri(reverse("take-start", kwargs={"token": event.test_token}))


def _error_text(error: DomainError) -> str:
    return " ".join([error.render(_), *(p.render(_) for p in error.problems)])


def _phase_label(phase: str) -> str:
    return _(PHASE_LABELS[Phase(phase)])


def _apply(request: HttpRequest, event: TrainingEvent, forms: dict[str, AssessmentForm]) -> None:
    """Carry out a button of the page; the outcome goes into the messages."""
    action = request.POST.get("action", "")
    phase = request.POST.get("phase", "")
    if action == "build":
        wanted = [phase] if phase in PHASES else list(PHASES)
        result = test_forms.forms_build(
            event=event, mode=request.POST.get("mode", ""), phases=wanted, acting_user=request.user
        )
        built = ", ".join(_phase_label(p) for p in result.forms)
        count = max(len(form.items) for form in result.forms.values())
        messages.success(
            request, _("Built: %(tests)s (%(count)s questions).") % {"tests": built, "count": count}
        )
        for note in result.notes:
            messages.warning(request, note.render(_))
    elif action in ("open", "close") and phase in forms:
        closed = test_forms.form_set_open(
            form=forms[phase], is_open=action == "open", acting_user=request.user
        )
        if action == "open":
            messages.success(
                request,
                _("%(test)s open: participants can answer it on the link.") % {"test": _phase_label(phase)},
            )
            for other in closed:
                messages.info(
                    request, _("%(test)s closed at the same time.") % {"test": _phase_label(other.phase)}
                )
        else:
            messages.success(request, _("%(test)s closed.") % {"test": _phase_label(phase)})
    elif action in ("follow_up_open", "follow_up_close"):
        test_forms.follow_up_set(event=event, is_open=action == "follow_up_open", acting_user=request.user)
        if action == "follow_up_open":
            messages.success(request, _("Follow-up survey open: participants answer it on the same link."))
        else:
            messages.success(request, _("Follow-up survey closed."))
    else:
        messages.error(request, _("That button did nothing: reload the page and try again."))


def _progress_rows(progress: dict[str, Any], phases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = [("female", _("Women")), ("male", _("Men")), ("", _("Not stated")), ("total", _("Total"))]

    def row(label: str, counts: dict[str, int]) -> dict[str, Any]:
        return {"label": label, "cells": [{"label": name, "value": counts[key]} for key, name in columns]}

    rows = [row(_("Registered"), progress["registered"])]
    for phase in phases:
        rows.append(row(_("%(test)s: started") % {"test": phase["label"]}, phase["progress"]["started"]))
        rows.append(row(_("%(test)s: submitted") % {"test": phase["label"]}, phase["progress"]["submitted"]))
    return rows


@workspace_view(Permission.VIEW_WORKSPACE)
def tests_page(request: HttpRequest, event: Any) -> HttpResponse:
    found = _event(request, event)
    can_run = may(getattr(request, "membership", None), Permission.RUN_TRAININGS)
    forms = {form.phase: form for form in AssessmentForm.objects.filter(event=found)}
    if request.method == "POST":
        if not can_run:
            return HttpResponse(status=403)
        try:
            _apply(request, found, forms)
        except DomainError as error:
            messages.error(request, _error_text(error))
        return redirect(_tests_url(found))
    bank_ensure(found.workspace, acting_user=None)  # the modules' built-in items, before counting them
    url = link_url(request, found)
    progress = test_forms.tests_progress(found)
    phases = []
    for phase in PHASES:
        form = forms.get(phase)
        phases.append(
            {
                "phase": phase,
                "label": _phase_label(phase),
                "form": form,
                "items": form.items if form else [],
                "progress": progress["phases"][phase],
                "has_attempts": bool(progress["phases"][phase]["started"]["total"]),
            }
        )
    return render(
        request,
        "trainings/tests.html",
        {
            "event": found,
            "can_run_trainings": can_run,
            "tests": phases,
            "mode": test_forms.form_mode(forms.values()) if forms else test_forms.PARALLEL,
            "link": url,
            "qr": qr_svg(url, scale=5, title=_("QR code of the participants' link")),
            "progress_rows": _progress_rows(progress, phases),
            "surveys": progress["surveys"],
            "follow_up_open": test_forms.follow_up_is_open(found),
            "item_count": len(test_forms.event_items(found)),
            "module_count": found.event_modules.count(),
        },
    )


@workspace_view(Permission.RUN_TRAININGS)
def tests_key(request: HttpRequest, event: Any) -> HttpResponse:
    """The printable scoring key of a form (``?phase=pre|post``), or with ``?paper=1`` the question paper
    for participants without a phone (no key). ``?lang=en|fr`` picks the language."""
    found = _event(request, event)
    phase = request.GET.get("phase", Phase.PRE.value)
    form = get_object_or_404(AssessmentForm, event=found, phase=phase if phase in PHASES else "")
    language = request.GET.get("lang", "")
    language = language if language in ("en", "fr") else _language(request)
    paper = request.GET.get("paper") == "1"
    with translation.override(language):
        return render(
            request,
            "trainings/tests_key.html",
            {
                "event": found,
                "form": form,
                "phase_label": _phase_label(form.phase),
                "rows": test_forms.answer_key(form, language),
                "paper": paper,
                "language": language,
            },
        )


@workspace_view(Permission.VIEW_WORKSPACE)
def tests_qr(request: HttpRequest, event: Any, kind: str) -> HttpResponse:
    """The QR code of the participants' link, as SVG or PNG, to print or put on a slide."""
    found = _event(request, event)
    url = link_url(request, found)
    if kind == "png":
        response = HttpResponse(qr_png(url), content_type="image/png")
    else:
        response = HttpResponse(qr_svg(url, scale=10, title=url), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="test-link-{found.code}.{kind}"'
    return response
