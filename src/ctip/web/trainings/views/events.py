"""Pages of the training events: the list (filters; the adopted plan's sessions that have no event yet),
creating an event (ad hoc or prefilled from a plan session), the event's page — the hub that links to its
kit, participants, attendance, certificates, tests, results and report — editing it, moving its status on
and deleting it while nothing hangs on it. Views parse input, call one service, render."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.model import EVENT_STATUS_LABELS, EventStatus, TrainerOrigin
from ctip.web.accounts.conflicts import conflict_form_refresh
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.planning.models import PlanSession, TrainingLocation, TrainingModule
from ctip.web.planning.services import catalogue_ensure, catalogue_locations
from ctip.web.trainings import services
from ctip.web.trainings.forms import (
    LOCATIONS_LIST,
    EventFilterForm,
    EventForm,
    ModuleFormSet,
    StatusForm,
    TrainerFormSet,
    module_choices,
)
from ctip.web.trainings.models import TrainingEvent
from ctip.web.trainings.services.attendance import SexCounts

_INDEXED = re.compile(r"^(?P<group>trainers|modules)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


# --- Shared by the event pages ---------------------------------------------------------------------------


def event_of(request: HttpRequest, event: object) -> TrainingEvent:
    return get_object_or_404(
        TrainingEvent.objects.select_related("workspace"), uuid=event, workspace=request.workspace
    )


def can_run(request: HttpRequest) -> bool:
    return may(getattr(request, "membership", None), Permission.RUN_TRAININGS)


def error_message(request: HttpRequest, error: DomainError) -> None:
    details = "; ".join(f"{problem.location}: {problem.render(_)}" for problem in error.problems)
    messages.error(request, f"{error.render(_)} {details}".strip())


def to_detail(request: HttpRequest, event: TrainingEvent, anchor: str = "") -> HttpResponse:
    response = redirect("training-detail", workspace=request.workspace.slug, event=event.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def ui_language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def status_label(status: str) -> str:
    try:
        return _(EVENT_STATUS_LABELS[EventStatus(status)])
    except ValueError:
        return status


def trainer_origin_label(origin: str) -> str:
    return {
        TrainerOrigin.NATIONAL.value: _("National trainer"),
        TrainerOrigin.INTERNATIONAL.value: _("International trainer"),
    }.get(origin, origin)


def _days_text(module: TrainingModule) -> str:
    days = module.duration_days.normalize()
    return ngettext("%(days)s day", "%(days)s days", 1 if days <= 1 else 2) % {"days": f"{days:f}"}


def quarter_text(session: PlanSession) -> str:
    first, last = services.plan_quarter_span(session.workspace, session.quarter)
    return _("Quarter %(quarter)s (%(first)s to %(last)s)") % {
        "quarter": session.quarter,
        "first": formats.date_format(first, "j M Y"),
        "last": formats.date_format(last, "j M Y"),
    }


# --- List ----------------------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def event_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    every = TrainingEvent.objects.filter(workspace=workspace)
    years = sorted({day.year for day in every.values_list("start_date", flat=True)}, reverse=True)
    locations = sorted(set(every.values_list("location", flat=True)), key=str.casefold)
    filters = EventFilterForm(request.GET or None, years=years, locations=locations)
    events = every
    if filters.is_valid():
        if filters.cleaned_data.get("status"):
            events = events.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data.get("year"):
            events = events.filter(start_date__year=filters.cleaned_data["year"])
        if filters.cleaned_data.get("location"):
            events = events.filter(location=filters.cleaned_data["location"])
    events = events.annotate(
        registered=Count("participants", distinct=True),
        attended=Count("participants", filter=Q(participants__attendance__present=True), distinct=True),
    ).order_by("start_date", "code")
    sessions = [
        {
            "session": session,
            "when": quarter_text(session),
            "trainer": trainer_origin_label(session.trainer),
            "title": services.module_title(session.module, ui_language(request)),
            "women": sum(int(seat.get("female") or 0) for seat in session.seats or []),
            "men": sum(int(seat.get("male") or 0) for seat in session.seats or []),
        }
        for session in services.plan_sessions_open(workspace)
    ]
    return render(
        request,
        "trainings/event_list.html",
        {
            "events": [(event, status_label(event.status)) for event in events],
            "filters": filters,
            "filtered": bool(
                request.GET and any(request.GET.get(name) for name in ("status", "year", "location"))
            ),
            "total": every.count(),
            "sessions": sessions,
            "scenario": services.adopted_scenario(workspace),
            "can_run": can_run(request),
        },
    )


# --- Create and edit -----------------------------------------------------------------------------------


def _locations(workspace: Any) -> list[str]:
    found = set(catalogue_locations(workspace))
    found |= set(TrainingLocation.objects.filter(workspace=workspace).values_list("venue", flat=True))
    found |= set(TrainingEvent.objects.filter(workspace=workspace).values_list("location", flat=True))
    return sorted({place for place in found if place}, key=str.casefold)


def _trainer_rows(formset: Any) -> list[dict[str, Any]]:
    return [dict(form.cleaned_data) for form in formset.forms]


def _apply_error(
    error: DomainError, form: EventForm, trainers: Any, modules: Any, module_rows: list[int]
) -> None:
    """Show each problem next to its field: on the event form, on a trainer's row or on a module's row.
    After a conflict, the form keeps what was typed and takes the version saved now."""
    form.add_error(None, error.render(_))
    for problem in error.problems:
        message = problem.render(_)
        indexed = _INDEXED.match(problem.location)
        if problem.location in form.fields:
            form.add_error(problem.location, message)
        elif (
            indexed
            and indexed.group("group") == "trainers"
            and int(indexed.group("index")) < len(trainers.forms)
        ):
            row = trainers.forms[int(indexed.group("index"))]
            field = indexed.group("field")
            row.add_error(field if field in row.fields else None, message)
        elif (
            indexed and indexed.group("group") == "modules" and int(indexed.group("index")) < len(module_rows)
        ):
            modules.forms[module_rows[int(indexed.group("index"))]].add_error("module", message)
        elif problem.location == "modules":
            form.add_error(None, message)
        else:
            form.add_error(None, f"{problem.location}: {message}")
    conflict_form_refresh(form, error)


def _form_page(
    request: HttpRequest,
    *,
    event: TrainingEvent | None,
    initial: dict[str, Any],
    trainers: list[dict[str, Any]],
    modules: list[TrainingModule],
    session: PlanSession | None,
) -> HttpResponse:
    workspace = request.workspace
    catalogue_ensure(workspace=workspace, acting_user=None)
    choices = module_choices(workspace, modules)
    posted = request.method == "POST"
    form = EventForm(request.POST if posted else None, initial=initial)
    trainer_set = TrainerFormSet(request.POST if posted else None, initial=trainers, prefix="trainers")
    module_set = ModuleFormSet(
        request.POST if posted else None,
        initial=[{"module": module, "position": index + 1} for index, module in enumerate(modules)],
        prefix="modules",
        modules=choices,
    )
    status = 200
    if posted:
        if form.is_valid() and trainer_set.is_valid() and module_set.is_valid():
            ordered = module_set.ordered()
            chosen = [module for _index, module in ordered]
            try:
                if event is None:
                    saved = services.event_create(
                        workspace=workspace,
                        values={**form.values(), "trainers": _trainer_rows(trainer_set)},
                        modules=chosen,
                        acting_user=request.user,
                        plan_session=session,
                    )
                    messages.success(request, _("Training %(code)s created.") % {"code": saved.code})
                else:
                    saved = services.event_update(
                        event=event,
                        values={**form.values(), "trainers": _trainer_rows(trainer_set)},
                        modules=chosen,
                        acting_user=request.user,
                        expected_version=form.cleaned_data.get("version"),
                    )
                    messages.success(request, _("Training saved."))
            except DomainError as error:
                _apply_error(error, form, trainer_set, module_set, [index for index, _module in ordered])
            else:
                return to_detail(request, saved)
        status = 400
    return render(
        request,
        "trainings/event_form.html",
        {
            "form": form,
            "trainers": trainer_set,
            "modules": module_set,
            "event": event,
            "session": session,
            "session_when": quarter_text(session) if session is not None else "",
            "locations": _locations(workspace),
            "locations_list": LOCATIONS_LIST,
        },
        status=status,
    )


@workspace_view(Permission.RUN_TRAININGS)
def event_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    session_id = request.POST.get("session") if request.method == "POST" else request.GET.get("session")
    session = None
    if session_id:
        try:
            session_id = str(uuid.UUID(session_id))
        except ValueError:
            raise Http404("No such plan session") from None
        session = get_object_or_404(
            PlanSession.objects.select_related("module", "workspace"), uuid=session_id, workspace=workspace
        )
    if session is not None:
        prefill = services.session_prefill(session)
        modules = list(prefill.pop("modules"))
        trainers = list(prefill.pop("trainers"))
        prefill.pop("plan_session")
        initial = prefill | {"session": session.uuid}
    else:
        initial = {"language": services.workspace_language(workspace), "pass_mark": 70}
        modules, trainers = [], []
    return _form_page(
        request, event=None, initial=initial, trainers=trainers, modules=modules, session=session
    )


@workspace_view(Permission.RUN_TRAININGS)
def event_edit(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    initial = {name: getattr(found, name) for name in services.EDITABLE_FIELDS} | {"version": found.version}
    return _form_page(
        request,
        event=found,
        initial=initial,
        trainers=[dict(row) for row in found.trainers or []],
        modules=services.event_modules(found),
        session=found.plan_session,
    )


# --- The event's page ----------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def event_detail(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    participants = list(found.participants.all())
    attended_ids = set(services.days_attended(found))
    registered = SexCounts.of(participant.sex for participant in participants)
    attended = SexCounts.of(participant.sex for participant in participants if participant.pk in attended_ids)
    allowed = services.status_choices(found)
    session = found.plan_session
    return render(
        request,
        "trainings/event_detail.html",
        {
            "event": found,
            "status_label": status_label(found.status),
            "modules": [
                (module, services.module_title(module, ui_language(request)), _days_text(module))
                for module in services.event_modules(found)
            ],
            "days": services.event_days(found),
            "trainers": [
                {**trainer, "origin_label": trainer_origin_label(str(trainer.get("origin", "")))}
                for trainer in found.trainers or []
            ],
            "registered": registered,
            "attended": attended,
            "status_form": StatusForm(allowed=allowed) if allowed else None,
            "can_run": can_run(request),
            "can_delete": not participants
            and found.status in (EventStatus.PLANNED.value, EventStatus.CANCELLED.value),
            "session": session,
            "session_when": quarter_text(session) if session is not None else "",
        },
    )


@workspace_view(Permission.RUN_TRAININGS)
@require_POST
def event_status(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    form = StatusForm(request.POST, allowed=services.status_choices(found))
    if not form.is_valid():
        messages.error(
            request,
            _("Choose one of the statuses offered: a training that is “%(status)s” cannot take that one.")
            % {"status": status_label(found.status)},
        )
        return to_detail(request, found, "status")
    try:
        changed = services.event_status_set(
            event=found, status=form.cleaned_data["status"], acting_user=request.user
        )
    except DomainError as error:
        error_message(request, error)
    else:
        messages.success(
            request, _("The training is now “%(status)s”.") % {"status": status_label(changed.status)}
        )
    return to_detail(request, found, "status")


@workspace_view(Permission.RUN_TRAININGS)
@require_POST
def event_delete(request: HttpRequest, event: str) -> HttpResponse:
    found = event_of(request, event)
    try:
        services.event_delete(event=found, acting_user=request.user)
    except DomainError as error:
        error_message(request, error)
        return to_detail(request, found)
    messages.success(request, _("Training %(code)s deleted.") % {"code": found.code})
    return redirect("training-list", workspace=request.workspace.slug)
