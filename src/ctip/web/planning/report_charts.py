"""The figures of the capacity development plan and its deck: the three-year schedule as a Gantt chart, the
cost by year and pillar against the budget, and the seats by location and sex. Drawn as PNG with
:func:`png`; build them inside ``translation.override(language)``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ctip.formats.charts import BarChart, Chart, GanttChart, GanttTask, Series, render_png
from ctip.web.planning.report_content import PlanReportData

WIDTH_INCHES = 6.5
DPI = 170


def png(chart: Chart, *, width_inches: float = WIDTH_INCHES) -> bytes:
    return render_png(chart, width_inches=width_inches, dpi=DPI, empty_text=_("No data to show yet."))


def schedule_gantt(d: PlanReportData) -> GanttChart:
    """One bar per module and location, from the start of its first session's quarter to the end of its
    last one, coloured by pillar; the label names the quarters of its sessions."""
    spans: dict[tuple[int, str], list[int]] = {}
    order: dict[tuple[int, str], tuple[int, str, str]] = {}
    for session in d.sessions:
        key = (session.module.pk, session.location)
        spans.setdefault(key, []).append(session.quarter)
        order[key] = (session.module.position, session.module.code, session.location)
    tasks = []
    for key in sorted(spans, key=lambda found: (min(spans[found]), order[found])):
        quarters = spans[key]
        module = next(session.module for session in d.sessions if session.module.pk == key[0])
        label = _("%(code)s %(location)s: %(quarters)s") % {
            "code": module.code,
            "location": key[1],
            "quarters": ", ".join(d.quarter_label(quarter) for quarter in sorted(set(quarters))),
        }
        tasks.append(
            GanttTask(
                label=label,
                start=d.quarter_start(min(quarters)),
                end=d.quarter_end(max(quarters)),
                group=d.pillar_label(module.pillar),
            )
        )
    return GanttChart(
        title=_("Sessions by module and location, first to last quarter"),
        tasks=tuple(tasks),
        locale=d.language,
    )


def budget_by_year(d: PlanReportData) -> BarChart:
    """The cost of each year, stacked by pillar, beside the budget available."""
    costs = d.cost_by_year_and_pillar()
    years = range(1, d.years + 1)
    used = [(code, label) for code, label in d.pillars if any(costs.get((y, code)) for y in years)]
    return BarChart(
        title=_("Cost by year and pillar"),
        categories=tuple(d.year_label(year) for year in years),
        series=tuple(
            Series(label, tuple(round(costs.get((year, code), 0.0)) for year in years))
            for code, label in used
        ),
        stacked=True,
        value_label=d.currency,
    )


def seats_by_location(d: PlanReportData) -> BarChart:
    seats = d.seats_by("location")
    locations = d.locations
    women = tuple(sum(seats.get((loc, y), (0, 0))[0] for y in range(1, d.years + 1)) for loc in locations)
    men = tuple(sum(seats.get((loc, y), (0, 0))[1] for y in range(1, d.years + 1)) for loc in locations)
    return BarChart(
        title=_("Seats by location and sex, whole plan"),
        categories=locations,
        series=(
            Series(_("Women"), tuple(float(v) for v in women)),
            Series(_("Men"), tuple(float(v) for v in men)),
        ),
        horizontal=True,
        value_label=_("Seats"),
    )
