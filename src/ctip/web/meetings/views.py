"""Meeting pages: list, create, edit, delete, and the detail page with attendance, decisions and action
points (each added through a small form on that page). Views parse input, call one service, render."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.meetings import selectors, services
from ctip.web.meetings.forms import (
    ActionPointForm,
    ActionStatusForm,
    AttendanceUploadForm,
    AttendeeForm,
    DecisionForm,
    MeetingForm,
)
from ctip.web.meetings.models import ActionPoint, Attendee, Decision, Meeting


def _meeting(request: HttpRequest, meeting: object) -> Meeting:
    return get_object_or_404(Meeting, uuid=meeting, workspace=request.workspace)


def _can_edit(request: HttpRequest) -> bool:
    return may(request.membership, Permission.EDIT_CONTENT)


def _to_detail(request: HttpRequest, meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("meeting-detail", workspace=request.workspace.slug, meeting=meeting.uuid)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": selectors.meetings_of(request.workspace), "can_edit": _can_edit(request)},
    )


@workspace_view(Permission.EDIT_CONTENT)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        try:
            meeting = services.meeting_create(workspace=request.workspace, acting_user=request.user, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Meeting created. Add the attendance, decisions and action points."))
            return _to_detail(request, meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@workspace_view(Permission.EDIT_CONTENT)
def meeting_edit(request: HttpRequest, meeting: str) -> HttpResponse:
    found = _meeting(request, meeting)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.meeting_update(
                workspace=request.workspace,
                meeting=found,
                acting_user=request.user,
                expected_version=version,
                **data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return _to_detail(request, found)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": found})


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def meeting_delete(request: HttpRequest, meeting: str) -> HttpResponse:
    found = _meeting(request, meeting)
    try:
        services.meeting_delete(workspace=request.workspace, meeting=found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.render(_))
        return _to_detail(request, found)
    messages.success(request, _("Meeting “%(title)s” deleted.") % {"title": found.title})
    return redirect("meeting-list", workspace=request.workspace.slug)


def _detail_page(request: HttpRequest, meeting: object, status: int = 200, **forms: Any) -> HttpResponse:
    found = selectors.meeting_with_records(request.workspace, meeting)
    if found is None:
        raise Http404("No such meeting")
    can_edit = _can_edit(request)
    context: dict[str, Any] = {
        "meeting": found,
        "agenda_items": [line.strip() for line in found.agenda.splitlines() if line.strip()],
        "summary": selectors.attendance_summary(found),
        "can_edit": can_edit,
        "status_form": ActionStatusForm(),
    }
    if can_edit:
        context["attendee_form"] = forms.get("attendee_form") or AttendeeForm(
            organisations=selectors.registry_organisations(request.workspace)
        )
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
        context["action_form"] = forms.get("action_form") or ActionPointForm()
    return render(request, "meetings/meeting_detail.html", context, status=status)


@workspace_view(Permission.VIEW_WORKSPACE)
def meeting_detail(request: HttpRequest, meeting: str) -> HttpResponse:
    return _detail_page(request, meeting)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def attendee_add(request: HttpRequest, meeting: str) -> HttpResponse:
    found = _meeting(request, meeting)
    form = AttendeeForm(request.POST, organisations=selectors.registry_organisations(request.workspace))
    if form.is_valid():
        try:
            services.attendee_add(
                workspace=request.workspace, meeting=found, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("%(name)s added to the attendance.") % {"name": form.cleaned_data["name"]}
            )
            return _to_detail(request, found, "attendance")
    return _detail_page(request, meeting, status=400, attendee_form=form)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def attendee_delete(request: HttpRequest, meeting: str, attendee: str) -> HttpResponse:
    found = _meeting(request, meeting)
    target = get_object_or_404(Attendee.objects.select_related("meeting"), uuid=attendee, meeting=found)
    services.attendee_remove(workspace=request.workspace, attendee=target, acting_user=request.user)
    messages.success(request, _("%(name)s removed from the attendance.") % {"name": target.name})
    return _to_detail(request, found, "attendance")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def decision_add(request: HttpRequest, meeting: str) -> HttpResponse:
    found = _meeting(request, meeting)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(
                workspace=request.workspace,
                meeting=found,
                text=form.cleaned_data["text"],
                acting_user=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return _to_detail(request, found, "decisions")
    return _detail_page(request, meeting, status=400, decision_form=form)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def decision_delete(request: HttpRequest, meeting: str, decision: str) -> HttpResponse:
    found = _meeting(request, meeting)
    target = get_object_or_404(Decision.objects.select_related("meeting"), uuid=decision, meeting=found)
    services.decision_remove(workspace=request.workspace, decision=target, acting_user=request.user)
    messages.success(request, _("Decision deleted."))
    return _to_detail(request, found, "decisions")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def action_add(request: HttpRequest, meeting: str) -> HttpResponse:
    found = _meeting(request, meeting)
    form = ActionPointForm(request.POST)
    if form.is_valid():
        try:
            services.action_point_add(
                workspace=request.workspace, meeting=found, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Action point added."))
            return _to_detail(request, found, "actions")
    return _detail_page(request, meeting, status=400, action_form=form)


def _action_point(request: HttpRequest, meeting: Meeting, action: str) -> ActionPoint:
    return get_object_or_404(ActionPoint.objects.select_related("meeting"), uuid=action, meeting=meeting)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def action_update(request: HttpRequest, meeting: str, action: str) -> HttpResponse:
    found = _meeting(request, meeting)
    target = _action_point(request, found, action)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status: open, in progress or done."))
    else:
        try:
            services.action_point_update(
                workspace=request.workspace,
                action_point=target,
                status=form.cleaned_data["status"],
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(request, error.render(_))
        else:
            messages.success(request, _("Action point status changed."))
    return _to_detail(request, found, "actions")


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def action_delete(request: HttpRequest, meeting: str, action: str) -> HttpResponse:
    found = _meeting(request, meeting)
    target = _action_point(request, found, action)
    services.action_point_remove(workspace=request.workspace, action_point=target, acting_user=request.user)
    messages.success(request, _("Action point deleted."))
    return _to_detail(request, found, "actions")


# --- Attendance import ---------------------------------------------------------------------------------


def _pending_key(meeting: Meeting) -> str:
    return f"meetings:attendance-import:{meeting.uuid}"


@workspace_view(Permission.EDIT_CONTENT)
def attendance_import(request: HttpRequest, meeting: str) -> HttpResponse:
    """Upload a sign-in sheet, see what it would add (nothing is saved), then confirm. The uploaded file is
    kept in the session between the two steps, so the user does not upload it twice."""
    found = _meeting(request, meeting)
    key = _pending_key(found)
    form = AttendanceUploadForm()
    preview = None
    status = 200
    if request.method == "POST" and request.POST.get("step") == "apply":
        pending = request.session.get(key)
        if pending is None:
            messages.error(request, _("The upload has expired. Upload the sign-in sheet again."))
            return redirect("meeting-attendance-import", workspace=request.workspace.slug, meeting=found.uuid)
        try:
            result = services.attendance_import_apply(
                workspace=request.workspace,
                meeting=found,
                data=base64.b64decode(pending["data"]),
                filename=pending["filename"],
                acting_user=request.user,
            )
        except DomainError as error:
            # Something changed since the preview (the list or the registry): start again from the upload.
            del request.session[key]
            details = " ".join(f"{p.location}: {p.render(_)}" for p in error.problems)
            messages.error(request, f"{error.render(_)} {details}".strip())
            return redirect("meeting-attendance-import", workspace=request.workspace.slug, meeting=found.uuid)
        else:
            del request.session[key]
            messages.success(
                request,
                _("%(added)s attendee(s) added; %(skipped)s already on the list.")
                % {"added": len(result.added), "skipped": len(result.skipped_rows)},
            )
            return _to_detail(request, found, "attendance")
    elif request.method == "POST":
        form = AttendanceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                preview = services.attendance_import_preview(
                    workspace=request.workspace,
                    meeting=found,
                    data=data,
                    filename=upload.name,
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = 400
            else:
                request.session[key] = {
                    "filename": upload.name,
                    "data": base64.b64encode(data).decode("ascii"),
                }
                form = AttendanceUploadForm()
        else:
            status = 400
    return render(
        request,
        "meetings/attendance_import.html",
        {"meeting": found, "form": form, "preview": preview},
        status=status,
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def attendance_template(request: HttpRequest) -> HttpResponse:
    """An empty sign-in sheet to print or fill in, with drop-down lists of the registry's organisations."""
    organisations = selectors.registry_organisations(request.workspace)
    header = ("name", "organisation", "sex", "function")
    sheet = Sheet(
        name=_("Sign-in sheet"),
        header=header,
        rows=[],
        column_notes={
            "name": _("The attendee's full name (required)."),
            "organisation": _(
                "The organisation's acronym, key or name in the stakeholder registry; any other name is kept "
                "as written."
            ),
            "sex": _("female, male, other or prefer not to say (also F/M, femme/homme, F/H)."),
            "function": _("Job title or function."),
        },
        choices={
            "organisation": tuple(o.acronym or o.key for o in organisations),
            "sex": ("female", "male", "other", "prefer not to say"),
        },
    )
    response = HttpResponse(
        write_xlsx([sheet]), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="sign-in-sheet.xlsx"'
    return response
