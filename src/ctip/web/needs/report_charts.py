"""The figures of the TNA report and deck.

The Locus for Focus scatter, the organisation × competency heat map and the chart by sex are the
dashboard's own definitions (:mod:`ctip.web.needs.charts`), so the page and the documents show the same
charts; the report adds a bar chart of the largest needs with their titles, for readers who do not know
the codes. Drawn as PNG with :func:`png`; build them inside ``translation.override(language)``.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from ctip.formats.charts import BarChart, Chart, HeatMapChart, ScatterChart, Series, render_png
from ctip.web.needs import charts as dashboard_charts
from ctip.web.needs.report_content import NeedsReportData
from ctip.web.needs.report_tables import TOP_ROWS

WIDTH_INCHES = 6.5
DPI = 170
HEAT_MAP_COLUMNS = 12
"""The heat map shows the largest needs overall: more columns would not be legible on a page."""


def png(chart: Chart, *, width_inches: float = WIDTH_INCHES) -> bytes:
    return render_png(chart, width_inches=width_inches, dpi=DPI, empty_text=_("No data to show yet."))


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def top_needs(d: NeedsReportData, *, count: int = TOP_ROWS) -> BarChart:
    """The largest needs by MWDS, largest at the top, named by code and title."""
    items = d.ranked[:count]
    return BarChart(
        title=_("The %(count)s largest training needs") % {"count": len(items)},
        categories=tuple(f"{item.code} {_short(d.labels.title(item), 44)}" for item in items),
        series=(Series(_("MWDS"), tuple(item.mwds or 0.0 for item in items)),),
        horizontal=True,
        value_label=_("Borich score (MWDS): mean importance × mean gap"),
    )


def locus_for_focus(d: NeedsReportData) -> ScatterChart:
    return dashboard_charts.locus_chart(d.analysis)


def hidden_organisations(d: NeedsReportData) -> list[str]:
    """The organisations whose results are suppressed, by acronym: the heat map leaves them out and the
    report names them under it."""
    table = d.disaggregation("organisation")
    if table is None:
        return []
    return sorted(
        (d.short_names.get(group.values[0], group.values[0]) for group in table.groups if group.suppressed),
        key=str.casefold,
    )


def organisation_heat_map(d: NeedsReportData) -> HeatMapChart | None:
    """The MWDS of the largest needs in each organisation large enough to be shown (by acronym): rows of
    "n<5" cells would make the map unreadable, so the report names those organisations in its text."""
    table = d.disaggregation("organisation")
    if table is None:
        return None
    shown = replace(table, groups=tuple(group for group in table.groups if not group.suppressed))
    return dashboard_charts.heat_map_chart(
        replace(d.analysis, disaggregations=(shown,)),
        codes=[item.code for item in d.ranked[:HEAT_MAP_COLUMNS]],
        row_labels=dict(d.short_names),
    )


def gap_by_sex(d: NeedsReportData) -> BarChart | None:
    if d.disaggregation("sex") is None:
        return None
    return dashboard_charts.sex_chart(d.analysis)
