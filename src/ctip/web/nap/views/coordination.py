"""The coordination arrangement page of a plan (``nap-coordination``): the bodies with their chair,
members, meetings, reporting line, pillar and mandate; the diagram of the reporting lines; the lead/support
matrix (agencies × outputs) derived from the activities, whose cells the coordinator can change and reset.
Plus the body form (add, edit, delete), the typical arrangement in one click and the diagram as PNG.

Everything works without JavaScript: each change is a small form posting to its own URL and coming back
to the page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.nap.coordination import ROLE_LETTERS, Role
from ctip.formats.charts import render_png, render_svg
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.nap.models import BODY_KIND_CHOICES, ROLE_CHOICES, ActionPlan, CoordinationBody, NapElement
from ctip.web.nap.services import coordination as services
from ctip.web.nap.views import error_text, plan_of, render_page
from ctip.web.stakeholders.models import Organisation


def _organisation_choices(plan: ActionPlan, blank: str) -> list[tuple[str, str]]:
    organisations = Organisation.objects.filter(workspace_id=plan.workspace_id).order_by("name")
    return [("", blank)] + [
        (str(org.uuid), f"{org.name} ({org.acronym})" if org.acronym else org.name) for org in organisations
    ]


class BodyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=250)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BODY_KIND_CHOICES)
    chair = forms.ChoiceField(label=gettext_lazy("Chair"), required=False)
    chair_name = forms.CharField(
        label=gettext_lazy("Chair, if not in the registry"),
        max_length=250,
        required=False,
        help_text=gettext_lazy(
            "E.g. “Office of the Prime Minister”. Leave empty when you chose a chair above."
        ),
    )
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )
    meeting_frequency = forms.CharField(
        label=gettext_lazy("Meets"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("E.g. “Quarterly” or “Twice a year”."),
    )
    reports_to = forms.ChoiceField(label=gettext_lazy("Reports to"), required=False)
    pillar = forms.ChoiceField(
        label=gettext_lazy("Pillar"),
        required=False,
        help_text=gettext_lazy("For a working group: the pillar it follows."),
    )
    mandate = forms.CharField(
        label=gettext_lazy("Mandate"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, plan: ActionPlan, body: CoordinationBody | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organisations = _organisation_choices(plan, _("— none —"))
        self.fields["chair"].choices = organisations
        self.fields["members"].choices = organisations[1:]
        others = CoordinationBody.objects.filter(plan=plan)
        if body is not None:
            others = others.exclude(pk=body.pk)
        self.fields["reports_to"].choices = [("", _("— nobody (top level) —"))] + [
            (str(other.uuid), other.name) for other in others
        ]
        pillars = NapElement.objects.filter(plan=plan, level="pillar").order_by("position", "id")
        self.fields["pillar"].choices = [("", _("— none —"))] + [
            (str(pillar.uuid), f"{pillar.code} {pillar.title}") for pillar in pillars
        ]

    @staticmethod
    def initial_for(body: CoordinationBody) -> dict[str, Any]:
        return {
            "name": body.name,
            "kind": body.kind,
            "chair": str(body.chair.uuid) if body.chair else "",
            "chair_name": body.chair_name,
            "members": [str(org.uuid) for org in body.members.all()],
            "meeting_frequency": body.meeting_frequency,
            "reports_to": str(body.reports_to.uuid) if body.reports_to else "",
            "pillar": str(body.pillar.uuid) if body.pillar else "",
            "mandate": body.mandate,
            "version": body.version,
        }

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def _coordination_url(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    return redirect("nap-coordination", workspace=request.workspace.slug, plan=plan.uuid)


def _rows(view: services.MatrixView) -> list[dict[str, Any]]:
    rows = []
    for agency in view.agencies:
        cells = []
        for output in view.matrix.outputs:
            cell = view.matrix.cell(agency.key, output.key)
            cells.append(
                {
                    "output": output,
                    "element": view.outputs[output.key],
                    "role": cell.role.value,
                    "letter": _(ROLE_LETTERS[cell.role]) if ROLE_LETTERS[cell.role] else "",
                    "derived": cell.derived.value,
                    "overridden": cell.overridden,
                }
            )
        led, supported = view.matrix.counts(agency.key)
        rows.append({"agency": agency, "cells": cells, "led": led, "supported": supported})
    return rows


@workspace_view(Permission.VIEW_WORKSPACE)
def coordination_page(request: HttpRequest, plan: Any) -> HttpResponse:
    found = plan_of(request, plan)
    bodies, tree = services.bodies_tree(found)
    by_key = {str(body.uuid): body for body in bodies}
    ordered = [{"body": by_key[row.key], "depth": row.depth, "indent": "↳" * row.depth} for row in tree.rows]
    view = services.matrix_of(found)
    labels = {value: str(label) for value, label in ROLE_CHOICES}
    overrides = [
        {
            "agency": agency,
            "output": output,
            "element": view.outputs[output.key],
            "role": labels[view.matrix.cell(agency.key, output.key).role.value],
            "derived": labels[view.matrix.cell(agency.key, output.key).derived.value],
        }
        for agency in view.agencies
        for output in view.matrix.outputs
        if view.matrix.cell(agency.key, output.key).overridden
    ]
    flags = [
        {"message": flag.render(_), "element": view.outputs.get(flag.path)} for flag in view.matrix.flags()
    ]
    chart = services.coordination_chart(found, _("Coordination arrangement"))
    context = {
        "plan": found,
        "bodies": ordered,
        "broken": [by_key[key] for key in tree.broken if key in by_key],
        "diagram": render_svg(chart, empty_text=_("No body yet")) if bodies else "",
        "rows": _rows(view),
        "outputs": view.matrix.outputs,
        "output_options": [
            {"uuid": str(view.outputs[output.key].uuid), "code": output.code, "name": output.name}
            for output in view.matrix.outputs
        ],
        "overrides": overrides,
        "flags": flags,
        "organisations": _organisation_choices(found, _("— choose an agency —")),
        "role_choices": ROLE_CHOICES,
        "cell_agency": request.GET.get("agency", ""),
        "cell_output": request.GET.get("output", ""),
        "lead_suggestion": _suggested_lead(view),
    }
    return render_page(request, "nap/coordination.html", context)


def _suggested_lead(view: services.MatrixView) -> str:
    best = ""
    most = 0
    for agency in view.agencies:
        if agency.organisation is not None:
            led = view.matrix.counts(agency.key)[0]
            if led > most:
                best, most = str(agency.organisation.uuid), led
    return best


@workspace_view(Permission.VIEW_WORKSPACE)
def coordination_png(request: HttpRequest, plan: Any) -> HttpResponse:
    found = plan_of(request, plan)
    chart = services.coordination_chart(found, _("Coordination arrangement"))
    response = HttpResponse(render_png(chart, empty_text=_("No body yet")), content_type="image/png")
    response["Content-Disposition"] = 'attachment; filename="coordination.png"'
    return response


def _body_form_page(request: HttpRequest, plan: ActionPlan, body: CoordinationBody | None) -> HttpResponse:
    initial = BodyForm.initial_for(body) if body is not None else {}
    form = BodyForm(request.POST or None, plan=plan, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if body is None:
                saved = services.body_create(plan=plan, values=form.values(), acting_user=request.user)
            else:
                saved = services.body_update(
                    body=body,
                    values=form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
            return _coordination_url(request, plan)
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "nap/coordination_body_form.html", {"plan": plan, "body": body, "form": form}, status
    )


@workspace_view(Permission.EDIT_CONTENT)
def body_new(request: HttpRequest, plan: Any) -> HttpResponse:
    return _body_form_page(request, plan_of(request, plan), None)


@workspace_view(Permission.EDIT_CONTENT)
def body_edit(request: HttpRequest, plan: Any, body: Any) -> HttpResponse:
    found_plan = plan_of(request, plan)
    found = get_object_or_404(CoordinationBody, plan=found_plan, uuid=body)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.body_delete(body=found, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("“%(name)s” deleted.") % {"name": found.name})
        return _coordination_url(request, found_plan)
    return _body_form_page(request, found_plan, found)


@require_POST
@workspace_view(Permission.EDIT_CONTENT)
def default_bodies(request: HttpRequest, plan: Any) -> HttpResponse:
    found = plan_of(request, plan)
    lead = None
    raw = request.POST.get("lead", "")
    if raw:
        lead = Organisation.objects.filter(workspace_id=found.workspace_id, uuid=_uuid_or_none(raw)).first()
        if lead is None:
            messages.error(
                request, _("The chair you chose is not in the registry any more: choose it again.")
            )
            return _coordination_url(request, found)
    try:
        created = services.default_arrangement_create(plan=found, acting_user=request.user, lead=lead)
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(count)s bodies created: review their chairs and members, and edit them as needed.")
            % {"count": len(created)},
        )
    return _coordination_url(request, found)


def _uuid_or_none(raw: str) -> str | None:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


@require_POST
@workspace_view(Permission.EDIT_CONTENT)
def matrix_cell(request: HttpRequest, plan: Any) -> HttpResponse:
    """Set (``role``) or reset (``action=reset``) one cell; ``action=reset-all`` clears every override."""
    found = plan_of(request, plan)
    action = request.POST.get("action", "set")
    try:
        if action == "reset-all":
            count = services.role_overrides_reset(plan=found, acting_user=request.user)
            messages.success(
                request,
                _("%(count)s changes cleared: the matrix follows the activities again.") % {"count": count},
            )
            return _coordination_url(request, found)
        output = NapElement.objects.filter(
            plan=found, level="output", uuid=_uuid_or_none(request.POST.get("output", ""))
        ).first()
        organisation = Organisation.objects.filter(
            workspace_id=found.workspace_id, uuid=_uuid_or_none(request.POST.get("organisation", ""))
        ).first()
        if output is None or organisation is None:
            messages.error(
                request,
                _("Choose an agency from the registry and an output of this plan, then save the cell again."),
            )
            return _coordination_url(request, found)
        if action == "reset":
            services.role_override_clear(
                plan=found, output=output, organisation=organisation, acting_user=request.user
            )
            messages.success(
                request,
                _("%(agency)s, output %(output)s: back to the role the activities give.")
                % {"agency": organisation.acronym or organisation.name, "output": output.code},
            )
        else:
            role = request.POST.get("role", "")
            services.role_override_set(
                plan=found, output=output, organisation=organisation, role=role, acting_user=request.user
            )
            labels = dict(ROLE_CHOICES)
            messages.success(
                request,
                _("%(agency)s, output %(output)s: %(role)s.")
                % {
                    "agency": organisation.acronym or organisation.name,
                    "output": output.code,
                    "role": labels[role],
                },
            )
    except DomainError as error:
        messages.error(request, error_text(error))
    return _coordination_url(request, found)


__all__ = [
    "BodyForm",
    "Role",
    "body_edit",
    "body_new",
    "coordination_page",
    "coordination_png",
    "default_bodies",
    "matrix_cell",
]
