"""An element of the plan on its own page: every field (for an activity: lead and supporting agencies,
timeline, location, target groups, markers, assumptions, risks, dependencies, citations), the activity's
cost lines with their computed amounts, and the indicators of an outcome or output with their SMART
verdict. Errors are named per field; a stale form shows the conflict with both values; nothing is saved
on error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.indicators import check_indicator
from ctip.core.nap.budget import round_money
from ctip.core.nap.checks import indicator_row
from ctip.core.nap.model import IndicatorLevel, IndicatorRef, IndicatorTarget, Nap
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.monitoring.selectors import smart_criteria, smart_summary
from ctip.web.nap import services
from ctip.web.nap.forms import CostLineForm, ElementForm, IndicatorForm
from ctip.web.nap.models import LEVEL_CHOICES, ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.views import child_level, error_text, plan_of, render_page

LEVEL_NAMES = dict(LEVEL_CHOICES)
INDICATOR_LEVELS = ("outcome", "output")


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _ancestors(element: NapElement | None) -> list[NapElement]:
    """From the pillar down to ``element`` (at most six short queries)."""
    chain: list[NapElement] = []
    while element is not None:
        chain.append(element)
        element = element.parent
    return list(reversed(chain))


def _saved(form: forms.Form, save: Callable[[], object]) -> bool:
    """Run ``save``; on a domain error show it on the form. A conflict shows, beside each field that
    differs, your value and the value saved now; the form keeps what was typed and takes the version saved
    now, so saving again overwrites knowingly."""
    try:
        save()
    except DomainError as error:
        apply_domain_error(form, error)
        return False
    return True


# --- Elements --------------------------------------------------------------------------------------------


def _line_rows(lines: list[NapCostLine]) -> tuple[list[dict[str, Any]], list[tuple[str, Decimal]]]:
    rows: list[dict[str, Any]] = []
    totals: dict[str, Decimal] = {}
    for line in lines:
        amount = round_money(line.unit_cost * line.quantity * line.frequency, line.currency)
        totals[line.currency] = totals.get(line.currency, Decimal(0)) + amount
        rows.append({"line": line, "amount": amount, "funding": line.get_funding_source_display()})
    return rows, sorted(totals.items())


def _indicator_rows(plan: ActionPlan, element: NapElement) -> list[dict[str, Any]]:
    nap = Nap(plan.title, plan.period_start, plan.period_end)
    rows = []
    for indicator in element.indicators.all():
        check = check_indicator(
            indicator_row(_indicator_ref(indicator, element.level), nap),
            language=_language(),
            today=timezone.localdate(),
        )
        rows.append({"indicator": indicator, "summary": smart_summary(check)})
    return rows


def _element_page(
    request: HttpRequest, plan: ActionPlan, element: NapElement | None, parent: NapElement | None, level: str
) -> HttpResponse:
    if element is not None:
        initial = ElementForm.initial_for(element)
    else:
        initial = {"code": services.element_code_next(plan, parent, level)}
    form = ElementForm(request.POST or None, initial=initial, plan=plan, level=level)
    if request.method == "POST" and form.is_valid():
        if element is None:
            saved: list[NapElement] = []

            def save() -> None:
                saved.append(
                    services.element_create(
                        plan=plan, parent=parent, level=level, values=form.values(), acting_user=request.user
                    )
                )

            ok = _saved(form, save)
            if ok:
                messages.success(request, _("“%(code)s” added.") % {"code": saved[0].code})
                if level == "activity":
                    return redirect(
                        "nap-element-edit",
                        workspace=plan.workspace.slug,
                        plan=plan.uuid,
                        element=saved[0].uuid,
                    )
                return _outline_at(plan, saved[0])
        else:
            target = element

            def save() -> None:
                services.element_update(
                    element=target,
                    values=form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )

            ok = _saved(form, save)
            if ok:
                messages.success(request, _("“%(code)s” saved.") % {"code": element.code})
                return _outline_at(plan, element)
    lines, totals = (
        _line_rows(list(element.cost_lines.all())) if element and level == "activity" else ([], [])
    )
    context = {
        "plan": plan,
        "element": element,
        "parent": parent,
        "level": level,
        "level_name": LEVEL_NAMES.get(level, level),
        "child_level": child_level(level),
        "ancestors": _ancestors(element.parent if element else parent),
        "form": form,
        "cost_lines": lines,
        "cost_totals": totals,
        "indicators": _indicator_rows(plan, element) if element and level in INDICATOR_LEVELS else [],
        "has_indicators": level in INDICATOR_LEVELS,
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "nap/element_form.html", context, status=status)


def _outline_at(plan: ActionPlan, element: NapElement) -> HttpResponse:
    url = reverse("nap-outline", kwargs={"workspace": plan.workspace.slug, "plan": plan.uuid})
    return redirect(f"{url}#el-{element.uuid}")


@workspace_view(Permission.VIEW_WORKSPACE)
def element_edit(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    found = plan_of(request, plan)
    target = get_object_or_404(NapElement.objects.select_related("lead", "parent"), plan=found, uuid=element)
    if request.method == "POST" and not _may_edit(request):
        raise PermissionDenied("Your role does not allow changes to the plan")
    return _element_page(request, found, target, target.parent, target.level)


@workspace_view(Permission.EDIT_CONTENT)
def element_new(request: HttpRequest, plan: Any) -> HttpResponse:
    """A new element: a pillar, or (``?parent=<uuid>``) a child of the next level."""
    found = plan_of(request, plan)
    parent_id = request.GET.get("parent") or request.POST.get("parent_uuid")
    parent = get_object_or_404(NapElement, plan=found, uuid=parent_id) if parent_id else None
    level = child_level(parent.level) if parent else "pillar"
    if level is None:
        raise Http404("An activity has no children; add cost lines instead")
    return _element_page(request, found, None, parent, level)


def _may_edit(request: HttpRequest) -> bool:
    return may(getattr(request, "membership", None), Permission.EDIT_CONTENT)


# --- Cost lines ------------------------------------------------------------------------------------------


def _cost_line_page(
    request: HttpRequest, plan: ActionPlan, activity: NapElement, line: NapCostLine | None
) -> HttpResponse:
    if line is not None and request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.cost_line_delete(line=line, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Cost line “%(code)s” deleted.") % {"code": line.code})
        return _element_redirect(plan, activity)
    if line:
        initial = CostLineForm.initial_for(line)
    else:
        initial = {
            "code": services.cost_line_code_next(activity),
            "currency": plan.currency,
            "quantity": 1,
            "frequency": 1,
            "gender_marker": 0,
        }
    form = CostLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if line is None:

            def save() -> None:
                services.cost_line_create(activity=activity, values=form.values(), acting_user=request.user)

            ok = _saved(form, save)
        else:
            target = line

            def save() -> None:
                services.cost_line_update(
                    line=target,
                    values=form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )

            ok = _saved(form, save)
        if ok:
            messages.success(request, _("Cost line “%(code)s” saved.") % {"code": form.cleaned_data["code"]})
            return _element_redirect(plan, activity)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "activity": activity, "line": line, "form": form}
    return render_page(request, "nap/cost_line_form.html", context, status=status)


def _element_redirect(plan: ActionPlan, element: NapElement) -> HttpResponse:
    return redirect("nap-element-edit", workspace=plan.workspace.slug, plan=plan.uuid, element=element.uuid)


@workspace_view(Permission.EDIT_CONTENT)
def cost_line_new(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    found = plan_of(request, plan)
    activity = get_object_or_404(NapElement, plan=found, uuid=element)
    if activity.level != "activity":
        messages.info(request, _("Cost lines belong to activities: open an activity to add one."))
        return redirect(
            "nap-element-edit", workspace=request.workspace.slug, plan=found.uuid, element=activity.uuid
        )
    return _cost_line_page(request, found, activity, None)


@workspace_view(Permission.EDIT_CONTENT)
def cost_line_edit(request: HttpRequest, plan: Any, cost_line: Any) -> HttpResponse:
    found = plan_of(request, plan)
    line = get_object_or_404(
        NapCostLine.objects.select_related("activity"), activity__plan=found, uuid=cost_line
    )
    return _cost_line_page(request, found, line.activity, line)


# --- Indicators ------------------------------------------------------------------------------------------


def _indicator_ref(indicator: NapIndicator, level: str) -> IndicatorRef:
    targets = []
    for target in indicator.targets or ():
        try:
            targets.append(
                IndicatorTarget(int(target["year"]), target.get("value", ""), target.get("sex", ""))
            )
        except (KeyError, TypeError, ValueError):
            continue
    return IndicatorRef(
        code=indicator.code,
        level=IndicatorLevel(level) if level in INDICATOR_LEVELS else IndicatorLevel.OUTPUT,
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline or None,
        baseline_year=indicator.baseline_year,
        targets=tuple(targets),
        source=indicator.source,
        responsible_agency=indicator.responsible_agency,
        frequency=indicator.frequency,
    )


def _smart(plan: ActionPlan, indicator: NapIndicator, level: str) -> list[Any]:
    nap = Nap(plan.title, plan.period_start, plan.period_end)
    row = indicator_row(_indicator_ref(indicator, level), nap)
    return smart_criteria(check_indicator(row, language=_language(), today=timezone.localdate()))


def _indicator_page(
    request: HttpRequest, plan: ActionPlan, element: NapElement, indicator: NapIndicator | None
) -> HttpResponse:
    if indicator is not None and request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.indicator_delete(indicator=indicator, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Indicator “%(code)s” deleted.") % {"code": indicator.code})
        return _element_redirect(plan, element)
    if indicator:
        initial = IndicatorForm.initial_for(indicator)
    else:
        initial = {"code": services.indicator_code_next(element)}
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved: list[NapIndicator] = []
        if indicator is None:

            def save() -> None:
                saved.append(
                    services.indicator_create(element=element, values=form.values(), acting_user=request.user)
                )

            ok = _saved(form, save)
        else:
            target = indicator

            def save() -> None:
                saved.append(
                    services.indicator_update(
                        indicator=target,
                        values=form.values(),
                        acting_user=request.user,
                        expected_version=form.cleaned_data.get("version"),
                    )
                )

            ok = _saved(form, save)
        if ok:
            messages.success(
                request,
                _("Indicator “%(code)s” saved; its SMART verdict is shown beside the form.")
                % {"code": form.cleaned_data["code"]},
            )
            return redirect(
                "nap-indicator-edit",
                workspace=plan.workspace.slug,
                plan=plan.uuid,
                nap_indicator=saved[0].uuid,
            )
    status = 400 if request.method == "POST" else 200
    context = {
        "plan": plan,
        "element": element,
        "indicator": indicator,
        "form": form,
        "smart": _smart(plan, indicator, element.level) if indicator else None,
    }
    return render_page(request, "nap/indicator_form.html", context, status=status)


@workspace_view(Permission.EDIT_CONTENT)
def indicator_new(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    found = plan_of(request, plan)
    target = get_object_or_404(NapElement, plan=found, uuid=element)
    if target.level not in INDICATOR_LEVELS:
        messages.info(request, _("Indicators belong to outcomes and outputs: open one of them to add one."))
        return redirect(
            "nap-element-edit", workspace=request.workspace.slug, plan=found.uuid, element=target.uuid
        )
    return _indicator_page(request, found, target, None)


@workspace_view(Permission.EDIT_CONTENT)
def indicator_edit(request: HttpRequest, plan: Any, nap_indicator: Any) -> HttpResponse:
    found = plan_of(request, plan)
    indicator = get_object_or_404(
        NapIndicator.objects.select_related("element"), element__plan=found, uuid=nap_indicator
    )
    return _indicator_page(request, found, indicator.element, indicator)
