"""The "import an existing draft" wizard: upload the implementation matrix and say where it goes (a new
plan, or in place of a plan's content) → check the suggested column mapping → preview (the tree, counts,
agencies not in the registry with "did you mean", problems by row and column) → apply, all or nothing.

The file is kept in the session between the steps (:mod:`ctip.web.shell.staged_uploads`); the plan
settings and the mapping travel as hidden fields and are checked again at every step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode
from ctip.core.nap.matrix import FIELDS
from ctip.formats.nap_matrix_io import MatrixFile
from ctip.web.accounts.permissions import workspace_view
from ctip.web.nap.models import ActionPlan
from ctip.web.nap.services.matrix_import import (
    ImportPreview,
    matrix_import_apply,
    matrix_import_preview,
    matrix_read,
    plan_replaceable,
)
from ctip.web.nap.views import render_page
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage
from ctip.web.stakeholders.views.imports import problem_rows

SESSION_KEY = "nap_import"
TEMPLATE = "nap/import.html"
FIELD_LABELS = {
    "pillar": gettext_lazy("Pillar"),
    "objective": gettext_lazy("Strategic objective"),
    "outcome": gettext_lazy("Outcome"),
    "output": gettext_lazy("Output"),
    "activity": gettext_lazy("Activity"),
    "activity_code": gettext_lazy("Activity code"),
    "indicator": gettext_lazy("Indicator"),
    "indicator_level": gettext_lazy("Indicator level"),
    "baseline": gettext_lazy("Baseline"),
    "target": gettext_lazy("Target"),
    "timeframe": gettext_lazy("Timeframe"),
    "year": gettext_lazy("Year"),
    "lead": gettext_lazy("Lead agency"),
    "partners": gettext_lazy("Partners"),
    "budget": gettext_lazy("Budget"),
    "unit_cost": gettext_lazy("Unit cost"),
    "quantity": gettext_lazy("Quantity"),
    "currency": gettext_lazy("Currency"),
    "funding_source": gettext_lazy("Funding source"),
    "location": gettext_lazy("Location"),
}
LEVEL_LABELS = {
    "pillar": gettext_lazy("Pillars"),
    "objective": gettext_lazy("Strategic objectives"),
    "priority": gettext_lazy("Strategic priorities"),
    "outcome": gettext_lazy("Outcomes"),
    "output": gettext_lazy("Outputs"),
    "activity": gettext_lazy("Activities"),
    "indicators": gettext_lazy("Indicators"),
    "cost_lines": gettext_lazy("Cost lines"),
}


class TargetForm(forms.Form):
    """Where the import goes: a new plan (title, period, currency) or an existing plan's content."""

    mode = forms.ChoiceField(
        label=gettext_lazy("Import into"),
        choices=[
            ("new", gettext_lazy("A new plan")),
            ("replace", gettext_lazy("An existing plan, replacing its content")),
        ],
        initial="new",
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=gettext_lazy("Title of the new plan"), max_length=250, required=False)
    period_start = forms.IntegerField(
        label=gettext_lazy("First year"), min_value=1900, max_value=2200, required=False
    )
    period_end = forms.IntegerField(
        label=gettext_lazy("Last year"), min_value=1900, max_value=2200, required=False
    )
    currency = forms.CharField(label=gettext_lazy("Currency (ISO code)"), max_length=3, required=False)
    plan = forms.ChoiceField(label=gettext_lazy("Plan whose content is replaced"), required=False)

    def __init__(self, *args: Any, plans: list[ActionPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(plan.uuid): plan for plan in plans}
        self.fields["plan"].choices = [("", "—")] + [(key, str(plan)) for key, plan in self.plans.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == "replace":
            plan = self.plans.get(data.get("plan") or "")
            if plan is None:
                self.add_error("plan", _("Choose the plan whose content the import replaces."))
            elif not plan_replaceable(plan):
                self.add_error(
                    "plan",
                    _("This plan has cost lines entered or changed by hand; import into a new plan instead."),
                )
        elif data.get("mode") == "new":
            for name in ("title", "period_start", "period_end"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("This field is required."))
        return data

    def target(self) -> tuple[ActionPlan | None, dict[str, Any]]:
        data = self.cleaned_data
        if data["mode"] == "replace":
            return self.plans[data["plan"]], {}
        return None, {name: data.get(name) for name in ("title", "period_start", "period_end", "currency")}


class UploadForm(TargetForm):
    file = forms.FileField(label=gettext_lazy("Implementation matrix (.xlsx or .csv)"))


def _plans(request: HttpRequest) -> list[ActionPlan]:
    return list(ActionPlan.objects.filter(workspace=request.workspace))


def _mapping_rows(matrix: MatrixFile, mapping: dict[str, int]) -> list[dict[str, Any]]:
    return [{"field": name, "label": FIELD_LABELS[name], "chosen": mapping.get(name, -1)} for name in FIELDS]


def _mapping_from_post(request: HttpRequest, matrix: MatrixFile) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for name in FIELDS:
        raw = request.POST.get(f"map_{name}", "")
        if raw.isdigit() and int(raw) < len(matrix.headers):
            mapping[name] = int(raw)
    return mapping


def _preview_context(preview: ImportPreview, known: dict[str, str]) -> dict[str, Any]:
    children: dict[int | None, list[int]] = {}
    for index, element in enumerate(preview.elements):
        children.setdefault(element.parent, []).append(index)

    def branch(index: int) -> dict[str, Any]:
        element = preview.elements[index]
        below = [item for item in children.get(index, []) if preview.elements[item].level != "activity"]
        return {
            "element": element,
            "activities": sum(
                1 for item in children.get(index, []) if preview.elements[item].level == "activity"
            ),
            "children": [branch(item) for item in below],
        }

    counts = preview.counts
    return {
        "preview": preview,
        "counts": [(LEVEL_LABELS[name], count) for name, count in counts.items()],
        "tree": [branch(index) for index in children.get(None, [])],
        "unmatched": [
            {
                "text": agency.text,
                "rows": ", ".join(str(row) for row in agency.rows),
                "suggestions": [known.get(key, key) for key in agency.suggestions],
            }
            for agency in preview.matrix.summary.unmatched_agencies
        ],
        "problems": _rows(preview.problems),
        "warnings": _rows(preview.warnings),
        "totals": sorted(preview.matrix.summary.budget_totals.items()),
    }


def _rows(problems: Any) -> list[dict[str, str]]:
    return problem_rows(DomainError(ErrorCode.INVALID_VALUE, "", problems=list(problems)))


def _known(request: HttpRequest) -> dict[str, str]:
    from ctip.web.stakeholders.models import Organisation

    return {
        key: f"{key} — {name}"
        for key, name in Organisation.objects.filter(workspace=request.workspace).values_list("key", "name")
    }


@workspace_view(Permission.EDIT_CONTENT)
def nap_import(request: HttpRequest) -> HttpResponse:
    """One page, four steps: the POST's ``step`` says which (upload, mapping, preview, apply)."""
    workspace = request.workspace
    plans = _plans(request)
    context: dict[str, Any] = {"step": "upload"}
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in ("mapping", "preview", "apply"):
        target_form = TargetForm(request.POST, plans=plans)
        staged = upload_staged(
            request, key=SESSION_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        if staged is None or not target_form.is_valid():
            messages.error(request, _("The uploaded file is no longer available. Upload it again."))
            return redirect("nap-import", workspace=workspace.slug)
        filename, data = staged
        matrix = matrix_read(data, filename)
        plan, values = target_form.target()
        mapping = _mapping_from_post(request, matrix)
        context.update(
            digest=request.POST["digest"],
            target_form=target_form,
            matrix=matrix,
            filename=filename,
            columns=list(enumerate(matrix.headers)),
            mapping=mapping,
        )
        if step == "mapping":
            context.update(step="mapping", mapping_rows=_mapping_rows(matrix, mapping))
            return render_page(request, TEMPLATE, context)
        try:
            if step == "apply":
                result = matrix_import_apply(
                    workspace=workspace,
                    data=data,
                    filename=filename,
                    mapping=mapping,
                    values=values,
                    plan=plan,
                    acting_user=request.user,
                )
            else:
                preview = matrix_import_preview(
                    workspace=workspace,
                    matrix=matrix,
                    mapping=mapping,
                    values=values,
                    plan=plan,
                    acting_user=request.user,
                )
        except DomainError as error:
            context.update(
                step="mapping",
                mapping_rows=_mapping_rows(matrix, mapping),
                error=error.render(_),
                problems=problem_rows(error),
            )
            return render_page(request, TEMPLATE, context, status=400)
        if step == "apply":
            upload_unstage(request, key=SESSION_KEY)
            try:
                outline = reverse(
                    "nap-outline", kwargs={"workspace": workspace.slug, "plan": result.plan.uuid}
                )
            except NoReverseMatch:
                outline = ""
            context.update(
                step="done",
                result=result,
                outline=outline,
                done_counts=[(LEVEL_LABELS[name], count) for name, count in result.counts.items()],
            )
            return render_page(request, TEMPLATE, context)
        context.update(step="preview", **_preview_context(preview, _known(request)))
        return render_page(request, TEMPLATE, context, status=200)

    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        plans=plans,
        initial={
            "period_start": workspace.plan_start_year,
            "period_end": workspace.plan_end_year,
            "currency": workspace.currency,
        },
    )
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render_page(request, TEMPLATE, context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            matrix = matrix_read(data, upload.name)
        except DomainError as error:
            context.update(error=error.render(_), problems=problem_rows(error))
            return render_page(request, TEMPLATE, context, status=400)
        digest = upload_stage(request, key=SESSION_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
            return render_page(request, TEMPLATE, context, status=400)
        mapping = matrix.suggested_mapping()
        context.update(
            step="mapping",
            digest=digest,
            target_form=TargetForm(request.POST, plans=plans),
            matrix=matrix,
            filename=upload.name,
            columns=list(enumerate(matrix.headers)),
            mapping=mapping,
            mapping_rows=_mapping_rows(matrix, mapping),
        )
        context["target_form"].is_valid()
    return render_page(request, TEMPLATE, context)
