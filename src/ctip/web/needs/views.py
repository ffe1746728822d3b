"""The gap-analysis dashboard: filters (survey, organisation, sex, location) above a panel with the key
figures, the priority table with the interviews' evidence, the Locus for Focus chart, the heat map by
organisation, the reliability of the scales and the needs by sex. Changing a filter or sorting the table
asks for the panel alone (htmx); without JavaScript the same links and form reload the page.

Plus the learning profiles (each respondent's own largest gaps) for members who analyse the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.needs import Triangulated, attribute_values, describe_methods, filter_respondents
from ctip.core.needs.model import (
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_SEX,
    InstrumentFlag,
    ItemNeed,
    MissingRule,
    NeedsAnalysis,
    NeedsData,
    NeedsOptions,
)
from ctip.formats.charts import HeatMapChart, render_svg
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.needs import charts, data
from ctip.web.needs.forms import FILTERS, NeedsFilterForm
from ctip.web.tna.models import SurveyInstrument

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DISAGGREGATE_BY = ((ATTRIBUTE_ORGANISATION,), (ATTRIBUTE_SEX,))
DEFAULT_SORT = "rank"
ASCENDING_FIRST = {"rank", "code", "p"}
"""Columns sorted smallest first on the first click (the others: largest first, the need first)."""
SORT_VALUES = {
    "rank": lambda item: item.rank,
    "code": lambda item: item.code,
    "importance": lambda item: item.mean_importance,
    "competence": lambda item: item.mean_competence,
    "discrepancy": lambda item: item.mean_discrepancy,
    "share": lambda item: item.share_with_need,
    "mwds": lambda item: item.mwds,
    "p": lambda item: item.test.p_adjusted,
}
HEAT_STEPS = 4
"""Shades on each side of zero in the heat map table."""


@dataclass(frozen=True)
class PriorityRow:
    item: ItemNeed
    title: str
    priority: str  # "first priority", …
    p_adjusted: str
    evidence: Triangulated | None


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    query: str
    state: str  # "ascending", "descending" or "none" (aria-sort)


def _language(request: HttpRequest) -> str:
    return charts.language_of(getattr(request, "LANGUAGE_CODE", "") or "en")


def _chosen(instruments: list[SurveyInstrument], wanted: str) -> SurveyInstrument | None:
    """The instrument named in the query (by UUID) or the one with the most answers."""
    return next(
        (row for row in instruments if str(row.uuid) == wanted), instruments[0] if instruments else None
    )


def _sort(request: HttpRequest) -> tuple[str, bool]:
    """(column, descending) from ``?sort=mwds`` / ``?sort=-mwds``; unknown columns sort by rank."""
    text = request.GET.get("sort", DEFAULT_SORT).strip()
    descending = text.startswith("-")
    key = text.lstrip("-")
    if key not in SORT_VALUES:
        return DEFAULT_SORT, False
    return key, descending


def sorted_items(items: tuple[ItemNeed, ...], key: str, descending: bool) -> list[ItemNeed]:
    """Items by one column; items without a value (nobody rated them) stay last either way, and equal values
    keep the rank order."""
    value = SORT_VALUES[key]
    known = [item for item in items if value(item) is not None]
    unknown = [item for item in items if value(item) is None]
    return [*sorted(known, key=value, reverse=descending), *unknown]  # sorted() is stable


def _p_text(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "—"
    if value < 0.001:
        return "< " + number_format(0.001, 3)
    return number_format(value, 3)


def _heat_class(value: float | str, reach: float) -> str:
    if isinstance(value, str):
        return "needs-heat-hidden"
    if math.isnan(value):
        return "needs-heat-none"
    step = min(HEAT_STEPS, math.ceil(abs(value) / reach * HEAT_STEPS)) if reach else 0
    return f"needs-heat-{'p' if value > 0 else 'n'}{step}" if step else "needs-heat-0"


def _heat_table(chart: HeatMapChart, names: list[str]) -> list[dict[str, Any]]:
    numbers = [abs(v) for row in chart.values for v in row if not isinstance(v, str) and not math.isnan(v)]
    reach = max(numbers, default=0.0)
    return [
        {
            "name": name,
            "label": label,
            "cells": [
                {
                    "code": code,
                    "text": value
                    if isinstance(value, str)
                    else "–"
                    if math.isnan(value)
                    else number_format(value, 1),
                    "css": _heat_class(value, reach),
                }
                for code, value in zip(chart.columns, row, strict=True)
            ],
        }
        for name, label, row in zip(names, chart.rows, chart.values, strict=True)
    ]


def _flag_text(flag: InstrumentFlag) -> str:
    rating = _("importance") if flag.rating == "importance" else _("competence")
    if flag.reason == "alpha_if_deleted_rises":
        return _("%(code)s (%(rating)s): the scale's alpha rises to %(value)s without it.") % {
            "code": flag.code,
            "rating": rating,
            "value": number_format(flag.value, 2),
        }
    if flag.reason == "near_constant":
        return _(
            "%(code)s (%(rating)s): %(share)s%% of the answers are the same; it tells people apart little."
        ) % {
            "code": flag.code,
            "rating": rating,
            "share": number_format(flag.value * 100, 0),
        }
    return f"{flag.code} ({rating}): {flag.reason}"


def _missing_rule_text(rule: MissingRule) -> str:
    if rule == MissingRule.PAIRWISE:
        return _(
            "Missing answers: pairwise (each variance and covariance from the respondents who rated both items)."
        )
    return _("Missing answers: listwise (only respondents who rated every item of the scale).")


def _analysis_context(
    request: HttpRequest, kept: NeedsData, analysis: NeedsAnalysis, query: dict[str, str]
) -> dict[str, Any]:
    workspace = request.workspace
    language = _language(request)
    titles = {item.code: item.title.get(language) for item in kept.items}
    evidence = {row.code: row for row in data.triangulation_for(workspace, analysis)}
    key, descending = _sort(request)
    rows = [
        PriorityRow(
            item=item,
            title=titles.get(item.code, item.code),
            priority=charts.priority_label(item.priority),
            p_adjusted=_p_text(item.test.p_adjusted),
            evidence=evidence.get(item.code),
        )
        for item in sorted_items(analysis.items, key, descending)
    ]
    short_names = data.organisation_short_names(workspace)
    heat_map = charts.heat_map_chart(analysis, row_labels=short_names)
    full_names = [group.values[0] for _label, group in charts.organisation_rows(analysis, short_names)]
    ranked = charts.ranked_items(analysis)
    # The SVG is drawn here by ctip.formats.charts from our own chart definitions (matplotlib escapes the
    # labels, which are user data); nothing else is marked safe.
    empty = _("No data yet")
    return {
        "analysis": analysis,
        "top": ranked[0] if ranked else None,
        "top_title": titles.get(ranked[0].code, "") if ranked else "",
        "first_priority": sum(1 for item in analysis.items if item.priority == 1),
        "rows": rows,
        "sort_links": _sort_links(query, key, descending),
        "heat_columns": heat_map.columns,
        "heat_rows": _heat_table(heat_map, full_names),
        "locus_svg": mark_safe(render_svg(charts.locus_chart(analysis), empty_text=empty)),
        "sex_svg": mark_safe(render_svg(charts.sex_chart(analysis), empty_text=empty)),
        "reliability": [
            {"scale": scale, "pillar": charts.pillar_label(scale.group)} for scale in analysis.reliability
        ],
        "missing_rule": _missing_rule_text(analysis.options.missing),
        "flags": [_flag_text(flag) for flag in analysis.review],
        "methods": list(describe_methods(analysis.options, _).values()),
        "confidence": number_format(analysis.options.confidence * 100, 0),
        "min_cell": analysis.options.min_cell,
    }


def _sort_links(query: dict[str, str], key: str, descending: bool) -> dict[str, SortLink]:
    labels = {
        "rank": _("Rank"),
        "code": _("Competency"),
        "importance": _("Importance"),
        "competence": _("Competence"),
        "discrepancy": _("Discrepancy"),
        "share": _("With a gap"),
        "mwds": _("MWDS"),
        "p": _("Adjusted p"),
    }
    links: dict[str, SortLink] = {}
    for name, label in labels.items():
        if name == key:
            next_descending = not descending
            state = "descending" if descending else "ascending"
        else:
            next_descending = name not in ASCENDING_FIRST
            state = "none"
        value = f"-{name}" if next_descending else name
        links[name] = SortLink(name, label, urlencode({**query, "sort": value}), state)
    return links


def _panel_context(request: HttpRequest) -> dict[str, Any]:
    workspace = request.workspace
    instruments = data.instruments_by_use(workspace)
    chosen = _chosen(instruments, request.GET.get("instrument", ""))
    needs = data.workspace_needs_data(workspace, chosen) if chosen is not None else None
    values = {name: attribute_values(needs, name) for name in FILTERS} if needs is not None else {}
    form = NeedsFilterForm(
        request.GET or None,
        instruments=instruments,
        values=values,
        initial={"instrument": str(chosen.uuid) if chosen else ""},
    )
    if form.is_bound:
        form.is_valid()  # invalid filters are shown on the form and left out; the valid ones apply
    filters = form.filters()
    key, descending = _sort(request)
    query = {"instrument": str(chosen.uuid)} if chosen is not None else {}
    query.update({name: next(iter(accepted)) for name, accepted in filters.items()})
    context: dict[str, Any] = {
        "form": form,
        "instrument": chosen,
        "instruments": instruments,
        "filters": [
            (str(form.fields[name].label), dict(form.fields[name].choices).get(form[name].value(), ""))
            for name in filters
        ],
        "query": urlencode(query),
        "sort": f"-{key}" if descending else key,
        "can_analyse_data": may(request.membership, Permission.ANALYSE_DATA),
        "can_edit_content": may(request.membership, Permission.EDIT_CONTENT),
        "respondents": len(needs.respondents) if needs is not None else 0,
        "withheld": "",
        "analysis": None,
    }
    if needs is None or not needs.respondents:
        return context
    try:
        kept, analysis = data.analyse(needs, filters=filters, by=DISAGGREGATE_BY, options=NeedsOptions())
    except DomainError as error:
        context["withheld"] = error.render(_)
        return context
    context.update(_analysis_context(request, kept, analysis, query))
    return context


@workspace_view(Permission.VIEW_WORKSPACE)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "needs/dashboard.html", _panel_context(request))


@workspace_view(Permission.VIEW_WORKSPACE)
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """The panel alone, for htmx; the address bar shows the dashboard with the same query, so that
    reloading or sharing the link gives the whole page."""
    context = _panel_context(request)
    response = render(request, "needs/_panel.html", context)
    query = {**dict(parse_qsl(context["query"])), "sort": context["sort"]}
    if context["sort"] == DEFAULT_SORT:
        query.pop("sort")
    address = reverse("needs-dashboard", kwargs={"workspace": request.workspace.slug})
    return push_url(response, f"{address}?{urlencode(query)}" if query else address)


@workspace_view(Permission.ANALYSE_DATA)
def profiles_xlsx(request: HttpRequest) -> HttpResponse:
    """Each respondent's own largest gaps (the survey and filters of the dashboard), for the trainers."""
    workspace = request.workspace
    try:
        chosen = data.instrument_for(workspace, request.GET.get("instrument"))
    except DomainError:
        raise Http404 from None
    if chosen is None:
        raise Http404
    needs = data.workspace_needs_data(workspace, chosen)
    values = {name: attribute_values(needs, name) for name in FILTERS}
    form = NeedsFilterForm(request.GET or None, instruments=[chosen], values=values)
    form.is_valid()
    filters = form.filters()
    kept = filter_respondents(needs, filters) if filters else needs
    content = data.profiles_xlsx(kept, data.profiles_for(kept), language=_language(request))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="learning-profiles-{workspace.slug}.xlsx"'
    return response
