"""An indicator's values page (targets and actuals in one table, with the status of each year and the
form to enter a value), its baseline from the TNA, the targets from the adopted plan, the import of
values (upload → preview → apply), the import template and the target-vs-actual workbook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.needs import attribute_values
from ctip.formats.monitoring_io import values_template_xlsx
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.monitoring import report, selectors, services
from ctip.web.monitoring.forms import (
    GROUP_ATTRIBUTES,
    BaselineForm,
    FileUploadForm,
    PlanTargetsForm,
    ValueForm,
)
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.monitoring.views.common import (
    XLSX,
    attachment,
    language_of,
    problem_rows,
    render_page,
    report_language,
)
from ctip.web.shell.staged_uploads import upload_stage, upload_staged, upload_unstage

SESSION_KEY = "monitoring_values_import"


def _progress_rows(progress: Any, unit: str) -> list[dict[str, Any]]:
    rows = []
    for row in progress.years:
        rows.append(
            {
                "cell": selectors.cell_label(*row.cell),
                "is_total": row.cell == ("", ""),
                "year": row.year,
                "target": selectors.number_text(row.target, unit),
                "expected": selectors.number_text(row.expected, unit),
                "actual": selectors.number_text(row.actual, unit),
                "compared": selectors.number_text(row.compared, unit),
                "share": round(100 * row.share),
                "achievement": selectors.number_text(row.achievement, "percent")
                if row.achievement is not None
                else "—",
                "status": row.status.value,
                "status_label": selectors.status_label(row.status),
                "status_class": selectors.STATUS_CLASSES[row.status],
            }
        )
    return rows


def _value_action(request: HttpRequest, indicator: Indicator) -> HttpResponse | None:
    """The POST actions of the values page; ``None`` when the value form must be shown again."""
    workspace = request.workspace
    action = request.POST.get("action", "set")
    back = redirect("monitoring-indicator", workspace=workspace.slug, indicator=indicator.uuid)
    if action == "delete":
        found = IndicatorValue.objects.filter(
            indicator=indicator, uuid=_uuid(request.POST.get("value"))
        ).first()
        if found is None:
            messages.error(request, _("There is no such value for this indicator."))
            return back
        services.indicator_value_delete(value=found, acting_user=request.user)
        messages.success(request, _("Value deleted."))
        return back
    if action == "plan_targets":
        form = PlanTargetsForm(request.POST)
        form.is_valid()
        try:
            result = services.indicator_targets_from_plan(
                indicator=indicator, acting_user=request.user, modules=form.module_codes()
            )
        except DomainError as error:
            messages.error(request, error.render(_))
        else:
            messages.success(
                request,
                _(
                    "Targets taken from the adopted plan “%(scenario)s”: %(written)s values written, %(removed)s removed."
                )
                % {"scenario": result.scenario, "written": result.written, "removed": result.removed},
            )
        return back
    return None


def _uuid(value: str | None) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


@workspace_view(Permission.VIEW_WORKSPACE)
def indicator_detail(request: HttpRequest, indicator: Any) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(
        Indicator.objects.select_related("node", "workspace"), workspace=workspace, uuid=indicator
    )
    can_edit = may(request.membership, Permission.EDIT_CONTENT)
    form = ValueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Your role does not allow changes to the M&E framework")
        response = _value_action(request, found)
        if response is not None:
            return response
        if form.is_valid():
            data = form.cleaned_data
            item = services.ValueInput(
                kind=data["kind"],
                period=data["period"],
                sex=data["sex"] or "",
                location=data["location"],
                value=float(data["value"]),
                source=data["source"],
                note=data["note"],
            )
            try:
                _value, action = services.indicator_value_set(
                    indicator=found, item=item, acting_user=request.user
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                text = {
                    "create": _("Value added."),
                    "update": _("Value changed."),
                    "unchanged": _("Nothing changed."),
                }
                messages.success(request, text[action])
                return redirect("monitoring-indicator", workspace=workspace.slug, indicator=found.uuid)
        status = 400
    language = language_of(request)
    values = selectors.indicator_values(found)
    progress = selectors.progress_of(found, values)
    check = selectors.smart_check(found, progress, language)
    plan = progress.plan()
    context = {
        "indicator": found,
        "name": found.name(language),
        "definition": found.definition(language),
        "statement": found.node.statement(language),
        "baseline": selectors.baseline_text(found),
        "baseline_by_sex": selectors.baseline_by_sex(found),
        "lop_target": selectors.number_text(plan.target if plan else None, found.unit),
        "lop_actual": selectors.number_text(plan.actual if plan else None, found.unit),
        "unit_label": selectors.unit_label(found.unit),
        "frequency_label": selectors.frequency_label(found.frequency),
        "disaggregation": selectors.disaggregation_labels(found.disaggregation or []),
        "status_label": selectors.status_label(progress.status),
        "status_class": selectors.STATUS_CLASSES[progress.status],
        "progress_rows": _progress_rows(progress, found.unit),
        "values": [
            {
                "value": value,
                "text": selectors.number_text(float(value.value), found.unit),
                "cell": selectors.cell_label(value.sex, value.location),
            }
            for value in values
        ],
        "smart": selectors.smart_criteria(check),
        "smart_summary": selectors.smart_summary(check),
        "form": form,
        "plan_form": PlanTargetsForm(),
        "locations": selectors.locations_in_use(workspace),
        "can_edit": can_edit,
    }
    return render_page(request, "monitoring/indicator_detail.html", context, status=status)


def _needs_data(workspace: Any) -> tuple[Any, Any]:
    from ctip.web.needs.data import default_instrument, workspace_needs_data

    instrument = default_instrument(workspace)
    if instrument is None:
        return None, None
    with translation.override("en"):
        return instrument, workspace_needs_data(workspace, instrument)


@workspace_view(Permission.EDIT_CONTENT)
def indicator_baseline(request: HttpRequest, indicator: Any) -> HttpResponse:
    """Draw the baseline from the TNA: the share of a group rating their competence at or above a level."""
    workspace = request.workspace
    found = get_object_or_404(
        Indicator.objects.select_related("workspace"), workspace=workspace, uuid=indicator
    )
    instrument, data = _needs_data(workspace)
    language = language_of(request)
    competencies = (
        [(item.code, f"{item.code} {item.title.get(language)}") for item in data.items] if data else []
    )
    detail = found.baseline_detail or {}
    initial = {"competency": detail.get("competency"), "threshold": detail.get("threshold", 4)}
    form = BaselineForm(request.POST or None, competencies=competencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_baseline_from_tna(
                indicator=found,
                instrument=instrument,
                competency=form.cleaned_data["competency"],
                threshold=form.cleaned_data["threshold"],
                filters=form.filters(),
                baseline_date=form.cleaned_data["baseline_date"],
                acting_user=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Baseline drawn from the TNA."))
            return redirect("monitoring-indicator", workspace=workspace.slug, indicator=found.uuid)
    groups = []
    if data is not None:
        for code, label in GROUP_ATTRIBUTES:
            if code and code in data.attributes:
                groups.append(
                    {"label": label, "values": [v for v in attribute_values(data, code) if v != "not_stated"]}
                )
    context = {"form": form, "indicator": found, "instrument": instrument, "groups": groups}
    return render_page(
        request, "monitoring/baseline.html", context, status=400 if request.method == "POST" else 200
    )


@workspace_view(Permission.EDIT_CONTENT)
def values_import(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    language = language_of(request)
    context: dict[str, Any] = {"max_mb": int(settings.CTIP_MAX_UPLOAD_MB)}
    if request.method == "POST" and "apply" in request.POST:
        staged = upload_staged(
            request, key=SESSION_KEY, workspace=workspace, digest=request.POST.get("digest", "")
        )
        upload_unstage(request, key=SESSION_KEY)
        if staged is None:
            messages.error(request, _("The previewed file is no longer available. Upload it again."))
            return redirect("monitoring-import", workspace=workspace.slug)
        filename, data = staged
        try:
            result = services.values_import_apply(
                workspace=workspace, data=data, filename=filename, acting_user=request.user, language=language
            )
        except DomainError as error:
            context.update(form=FileUploadForm(), error=error.render(_), problems=problem_rows(error))
            return render_page(request, "monitoring/import.html", context, status=400)
        messages.success(
            request,
            _("Values imported: %(created)s added, %(updated)s changed.")
            % {"created": result.to_create, "updated": result.to_update},
        )
        return redirect("monitoring-framework", workspace=workspace.slug)
    form = FileUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render_page(request, "monitoring/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            preview = services.values_import_preview(
                workspace=workspace,
                data=data,
                filename=upload.name,
                acting_user=request.user,
                language=language,
            )
        except DomainError as error:
            if not error.problems:
                apply_domain_error(form, error)
            context.update(error=error.render(_), problems=problem_rows(error))
            return render_page(request, "monitoring/import.html", context, status=400)
        context["preview"] = preview
        digest = upload_stage(request, key=SESSION_KEY, workspace=workspace, name=upload.name, data=data)
        if digest is None:
            context["too_large_to_keep"] = True
        else:
            context["digest"] = digest
    return render_page(request, "monitoring/import.html", context)


@workspace_view(Permission.VIEW_WORKSPACE)
def import_template(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    language = language_of(request)
    indicators = list(Indicator.objects.filter(workspace=workspace).order_by("position", "code"))
    years = selectors.plan_years(workspace)
    periods = [str(year) for year in years] + [f"{year}-Q{q}" for year in years for q in range(1, 5)]
    notes = {
        "indicator": _("The indicator's code, as in the framework (second sheet)."),
        "period": _("A year (2026) or a quarter (2026-Q2)."),
        "sex": _("women, men, or empty for all."),
        "location": _("Empty for all locations."),
        "value": _("A number; percentages between 0 and 100."),
        "source": _("Where the figure comes from (required for actuals)."),
        "note": _("Optional."),
        "kind": _("actual (the default) or target."),
    }
    example = []
    if indicators:
        first = indicators[0]
        example = [
            [
                first.code,
                str(years[0]),
                "women",
                "",
                12,
                _("Example: annual report of the agency"),
                "",
                "actual",
            ]
        ]
    content = values_template_xlsx(
        [(row.code, row.name(language)) for row in indicators],
        periods=periods,
        locations=selectors.locations_in_use(workspace),
        notes=notes,
        example_rows=example,
    )
    return attachment(content, XLSX, f"indicator-values-{workspace.slug}.xlsx")


@workspace_view(Permission.VIEW_WORKSPACE)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    language = report_language(request)
    content = report.target_actual_xlsx(request.workspace, language=language)
    return attachment(content, XLSX, f"targets-actuals-{request.workspace.slug}-{language}.xlsx")
