"""Chart definitions of the gap analysis, labelled in the reader's language.

One definition (``ctip.formats.charts``) per chart: the dashboard inlines its SVG (``render_svg``), the TNA
report and deck place its PNG (``render_png``). The numbers come from ``ctip.core.needs``; nothing is
computed here except which numbers to show. Withheld values are never blank and silent: a suppressed
group is named in the legend and each of its bars or cells says why it is missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ctip.core.needs.model import (
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_SEX,
    NOT_STATED,
    Disaggregation,
    Group,
    GroupNeed,
    ItemNeed,
    NeedsAnalysis,
    Quadrant,
)
from ctip.core.stakeholders import PILLAR_LABELS
from ctip.core.tna.model import Sex
from ctip.formats.charts import BarChart, HeatMapChart, Point, ScatterChart, Series

TOP_ITEMS_BY_SEX = 6
"""How many of the top-ranked competencies the chart by sex compares."""
SMALL_CELL = "small_cell"


def language_of(code: str) -> str:
    """``"fr"`` for a French locale, ``"en"`` otherwise (the two languages of competency titles)."""
    return "fr" if (code or "").startswith("fr") else "en"


def sex_label(value: str) -> str:
    """A sex value of the survey (``female``, ``male``, ``other``, ``not_stated``) in the reader's language."""
    labels = {
        Sex.FEMALE.value: _("Women"),
        Sex.MALE.value: _("Men"),
        Sex.OTHER.value: pgettext("sex", "Other"),
        Sex.NOT_STATED.value: _("Not stated"),
        NOT_STATED: _("Not stated"),
    }
    return labels.get(value, value)


def priority_label(priority: int | None) -> str:
    """ "first priority", "second priority" or "last priority" (Locus for Focus)."""
    labels = {1: _("first priority"), 2: _("second priority"), 3: _("last priority")}
    return labels.get(priority, "—") if priority is not None else "—"


def quadrant_label(quadrant: Quadrant | None) -> str:
    """The Locus for Focus quadrant with its priority, e.g. "HH: first priority"."""
    if quadrant is None:
        return "—"
    labels = {
        Quadrant.HH: _("HH: first priority"),
        Quadrant.HL: _("HL: second priority"),
        Quadrant.LH: _("LH: second priority"),
        Quadrant.LL: _("LL: last priority"),
    }
    return labels[quadrant]


def pillar_label(code: str) -> str:
    labels = {pillar.value: label for pillar, label in PILLAR_LABELS.items()}
    return _(labels[code]) if code in labels else code


def suppressed_text(reason: str) -> str:
    """What a withheld cell says: "n<5" for a small group, "hidden" for one hidden to protect another."""
    return _("n<5") if reason == SMALL_CELL else _("hidden")


def disaggregation(analysis: NeedsAnalysis, *attributes: str) -> Disaggregation | None:
    """The disaggregation of ``analysis`` by exactly these attributes, or ``None``."""
    return next((table for table in analysis.disaggregations if table.by == attributes), None)


def ranked_items(analysis: NeedsAnalysis) -> list[ItemNeed]:
    """The items with a rank (rated by at least one respondent), best first."""
    return [item for item in analysis.items if item.rank is not None]


def locus_chart(analysis: NeedsAnalysis) -> ScatterChart:
    """Locus for Focus: each competency at (mean importance, mean discrepancy), cut lines at the means over
    the competencies, one colour per pillar."""
    return ScatterChart(
        title=_("Locus for Focus"),
        points=tuple(
            Point(
                label=item.code,
                x=float(item.mean_importance),
                y=float(item.mean_discrepancy),
                group=pillar_label(item.group),
            )
            for item in analysis.items
            if item.mean_importance is not None and item.mean_discrepancy is not None
        ),
        x_label=_("Mean importance (1–%(max)s)") % {"max": analysis.scale_max},
        y_label=_("Mean discrepancy (importance − competence)"),
        x_cut=analysis.importance_cut,
        y_cut=analysis.discrepancy_cut,
        # Reading order: top left, top right, bottom left, bottom right (importance across, gap up).
        quadrant_labels=(
            quadrant_label(Quadrant.LH),
            quadrant_label(Quadrant.HH),
            quadrant_label(Quadrant.LL),
            quadrant_label(Quadrant.HL),
        ),
    )


def mwds_chart(analysis: NeedsAnalysis, *, top: int = 15) -> BarChart:
    """The ``top`` competencies by Borich score (MWDS), highest first."""
    items = ranked_items(analysis)[:top]
    return BarChart(
        title=_("Training needs by Borich score (MWDS)"),
        categories=tuple(item.code for item in items),
        series=(Series(_("MWDS"), tuple(float(item.mwds or 0.0) for item in items)),),
        horizontal=True,
        value_label=_("Mean weighted discrepancy score"),
    )


def _group_need(group: Group, code: str) -> GroupNeed | None:
    return next((need for need in group.needs if need.code == code), None)


def _cell(group: Group, code: str) -> float | str:
    if group.suppressed:
        return suppressed_text(group.suppressed)
    need = _group_need(group, code)
    if need is None:
        return math.nan
    if need.suppressed:
        return suppressed_text(need.suppressed)
    return math.nan if need.mwds is None else need.mwds


def organisation_rows(
    analysis: NeedsAnalysis, row_labels: Mapping[str, str] | None = None
) -> list[tuple[str, Group]]:
    """The organisations of the disaggregation by organisation as (label, group): those with numbers first,
    then the withheld ones, each by label. ``row_labels`` may give shorter labels (e.g. acronyms)."""
    table = disaggregation(analysis, ATTRIBUTE_ORGANISATION)
    labels = row_labels or {}
    rows = [
        (
            _("Not stated")
            if group.values[0] in ("", NOT_STATED)
            else labels.get(group.values[0], group.values[0]),
            group,
        )
        for group in (table.groups if table else ())
    ]
    return sorted(rows, key=lambda row: (bool(row[1].suppressed), row[0].casefold()))


def heat_map_chart(
    analysis: NeedsAnalysis,
    *,
    codes: Sequence[str] | None = None,
    row_labels: Mapping[str, str] | None = None,
) -> HeatMapChart:
    """Organisations (rows, as :func:`organisation_rows` orders them) × competencies (columns, by rank): the
    Borich score of each competency among each organisation's respondents; withheld cells say "n<5" or
    "hidden"."""
    columns = tuple(codes) if codes is not None else tuple(item.code for item in ranked_items(analysis))
    rows = organisation_rows(analysis, row_labels)
    return HeatMapChart(
        title=_("Training needs by organisation (MWDS)"),
        rows=tuple(label for label, _group in rows),
        columns=columns,
        values=tuple(tuple(_cell(group, code) for code in columns) for _label, group in rows),
        value_label=_("Mean weighted discrepancy score"),
    )


def sex_chart(analysis: NeedsAnalysis, *, top: int = TOP_ITEMS_BY_SEX) -> BarChart:
    """Mean discrepancy of the ``top`` competencies (overall rank) among women, men and the other groups;
    a withheld group is named "(n<5: not shown)" in the legend and its bars say why."""
    table = disaggregation(analysis, ATTRIBUTE_SEX)
    codes = tuple(item.code for item in ranked_items(analysis)[:top])
    series: list[Series] = []
    for group in table.groups if table else ():
        name = sex_label(group.values[0])
        if group.suppressed:
            series.append(
                Series(
                    _("%(group)s (%(reason)s: not shown)")
                    % {"group": name, "reason": suppressed_text(group.suppressed)},
                    tuple(math.nan for _code in codes),
                    missing_label=suppressed_text(group.suppressed),
                )
            )
            continue
        values: list[float] = []
        for code in codes:
            need = _group_need(group, code)
            values.append(
                math.nan if need is None or need.mean_discrepancy is None else need.mean_discrepancy
            )
        series.append(Series(name, tuple(values)))
    return BarChart(
        title=_("Mean discrepancy of the top competencies, by sex"),
        categories=codes,
        series=tuple(series),
        value_label=_("Mean discrepancy"),
    )
