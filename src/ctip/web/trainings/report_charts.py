"""Chart definitions of the training results, labelled in the reader's language: each participant's
scores before and after, the groups' means, the reaction survey, and for the programme the sessions held
against the plan and the learning by module. The results page inlines their SVG, the reports place their
PNG (:func:`png`). Build them inside ``translation.override(language)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from ctip.core.training.surveys import REACTION, QuestionKind
from ctip.formats.charts import BarChart, Chart, PrePostChart, PrePostRow, Series, render_png, render_svg
from ctip.web.trainings.report_content import group_label, reaction_short_label, sex_label
from ctip.web.trainings.services.programme import ProgrammeResults
from ctip.web.trainings.services.results import EventResults

WIDTH_INCHES = 6.5
DPI = 170
MAX_PARTICIPANT_ROWS = 60
"""A larger class is shown by group only (the chart would be taller than a page)."""


def png(chart: Chart, *, width_inches: float = WIDTH_INCHES) -> bytes:
    return render_png(chart, width_inches=width_inches, dpi=DPI, empty_text=_("No data to show yet."))


def svg(chart: Chart) -> str:
    return render_svg(chart, empty_text=_("No data to show yet."))


def _chart(title: str, rows: tuple[PrePostRow, ...], results: EventResults | None = None) -> PrePostChart:
    """A pre/post chart with the labels in the reader's language and, for one event, its pass mark."""
    mark = results.event.pass_mark if results is not None else None
    return PrePostChart(
        title=title,
        rows=rows,
        pre_label=_("Pre-test"),
        post_label=_("Post-test"),
        value_label=_("Score (per cent of the items)"),
        gain_label=_("Score rose"),
        loss_label=_("Score fell"),
        reference=float(mark) if mark is not None else None,
        reference_label=_("Pass mark (%(mark)s)") % {"mark": f"{mark}%"} if mark is not None else "",
    )


def participants_chart(results: EventResults) -> PrePostChart:
    """One row per participant who took a test, in code order."""
    rows = tuple(
        PrePostRow(
            row.code,
            row.pre.percent if row.pre is not None else math.nan,
            row.post.percent if row.post is not None else math.nan,
        )
        for row in results.participants
        if row.pre is not None or row.post is not None
    )
    return _chart(
        _("Each participant's score before and after the training"), rows[:MAX_PARTICIPANT_ROWS], results
    )


def _group_rows(prepost: Mapping[str, Any] | None, attributes: tuple[str, ...]) -> tuple[PrePostRow, ...]:
    if not prepost:
        return ()
    rows = []
    overall = prepost.get("overall") or {}
    if prepost.get("paired") and overall.get("pre_mean_pct") is not None:
        rows.append(PrePostRow(_("Everyone"), overall["pre_mean_pct"], overall["post_mean_pct"]))
    elif prepost.get("independent"):
        found = prepost["independent"]
        rows.append(PrePostRow(_("Everyone"), found["pre_mean_pct"], found["post_mean_pct"]))
    for attribute in attributes:
        for value, group in sorted(((prepost.get("groups") or {}).get(attribute) or {}).items()):
            if group.get("suppressed") or group.get("pre_mean_pct") is None:
                continue
            label = group_label(attribute, str(value))
            rows.append(
                PrePostRow(f"{label} (n = {group.get('n')})", group["pre_mean_pct"], group["post_mean_pct"])
            )
    return tuple(rows)


def shows_groups(prepost: Mapping[str, Any] | None, attributes: tuple[str, ...] = ("sex",)) -> bool:
    """Whether a chart by group would show more than everyone (some group of five or more)."""
    return len(_group_rows(prepost, attributes)) > 1


def groups_chart(results: EventResults) -> PrePostChart:
    """The mean scores of everyone and of women and men (groups of five or more)."""
    return _chart(_("Mean score before and after, by sex"), _group_rows(results.prepost, ("sex",)), results)


def reaction_chart(summary: Mapping[str, Any], language: str) -> BarChart:
    found = summary.get("questions") or {}
    questions = [q for q in REACTION if q.kind == QuestionKind.LIKERT and (found.get(q.name) or {}).get("n")]
    return BarChart(
        title=_("Reaction survey: share who agree"),
        categories=tuple(reaction_short_label(q.name) for q in questions),
        series=(
            Series(
                _("Agree or strongly agree (per cent)"),
                tuple(float(found[q.name]["agree_percent"]) for q in questions),
            ),
        ),
        horizontal=True,
        value_label=_("Per cent of answers"),
    )


# --- The programme ---------------------------------------------------------------------------------------


def plan_by_location_chart(p: ProgrammeResults) -> BarChart:
    rows = p.plan_by("location")
    return BarChart(
        title=_("Sessions planned and trainings held, by training location"),
        categories=tuple(row.location for row in rows),
        series=(
            Series(_("Planned (adopted plan)"), tuple(float(row.planned) for row in rows)),
            Series(_("Due by now"), tuple(float(row.due) for row in rows)),
            Series(_("Held"), tuple(float(row.held) for row in rows)),
        ),
        horizontal=True,
        value_label=_("Sessions"),
    )


def trained_by_location_chart(p: ProgrammeResults) -> BarChart:
    rows = p.plan_by("location")
    return BarChart(
        title=_("People trained by training location and sex"),
        categories=tuple(row.location for row in rows),
        series=(
            Series(sex_label("female"), tuple(float(row.trained_female) for row in rows)),
            Series(sex_label("male"), tuple(float(row.trained_male) for row in rows)),
        ),
        horizontal=True,
        value_label=_("Participants present at least one day"),
    )


def module_gain_chart(p: ProgrammeResults) -> PrePostChart:
    rows = []
    for gain in p.modules:
        learning = gain.learning or {}
        if learning.get("suppressed") or learning.get("pre_mean_pct") is None:
            continue
        rows.append(
            PrePostRow(
                f"{gain.module_code} (n = {learning.get('n')})",
                learning["pre_mean_pct"],
                learning["post_mean_pct"],
            )
        )
    return _chart(_("Mean score before and after, by module"), tuple(rows))


def programme_groups_chart(p: ProgrammeResults) -> PrePostChart:
    return _chart(
        _("Mean score before and after, by sex and training location"),
        _group_rows(p.pooled, ("sex", "location")),
    )
