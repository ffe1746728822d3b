"""The capacity development report on slides (PowerPoint, English or French): the programme in numbers,
the trainings against the plan, who was trained, learning, reactions, behaviour change and the
recommendations for the next year. Same data and charts as the Word report."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.workspace_profile import country_name
from ctip.formats.charts import Chart
from ctip.formats.documents.model import BulletList, Table
from ctip.formats.documents.pptx_writer import Deck, Slide, write_pptx
from ctip.web.accounts.models import Workspace
from ctip.web.needs.report_content import number
from ctip.web.trainings import report_charts as charts
from ctip.web.trainings import report_content as content
from ctip.web.trainings.report_advice import recommendations
from ctip.web.trainings.report_programme import summary_section
from ctip.web.trainings.services.programme import ProgrammeResults, programme_results

SLIDE_CHART_WIDTH = 8.0
"""Inches: a chart drawn for a slide keeps legible labels once scaled to the slide."""


def _png(chart: Chart) -> bytes:
    return charts.png(chart, width_inches=SLIDE_CHART_WIDTH)


def _in_numbers(p: ProgrammeResults) -> Slide:
    bullets = next(block for block in summary_section(p) if isinstance(block, BulletList))
    return Slide(_("The programme in numbers"), bullets=bullets.items)


def _plan(p: ProgrammeResults) -> Slide | None:
    rows = p.plan_by("location")
    if not rows:
        return None
    return Slide(
        _("Trainings held against the plan"),
        bullets=tuple(
            _("**%(location)s**: %(held)s held, %(due)s due by now, %(planned)s planned")
            % {
                "location": row.location,
                "held": number(row.held),
                "due": number(row.due),
                "planned": number(row.planned),
            }
            for row in rows
        ),
        image_png=_png(charts.plan_by_location_chart(p)),
    )


def _who(p: ProgrammeResults) -> Slide | None:
    if not p.events:
        return None
    return Slide(
        _("Who was trained"),
        table=Table(
            _("By organisation"),
            (_("Organisation"), _("Present")),
            tuple(
                (content.group_label("organisation", name), number(present))
                for name, (_registered, present) in list(p.by_organisation.rows.items())[:10]
            ),
        ),
        image_png=_png(charts.trained_by_location_chart(p)) if p.plan else None,
    )


def _learning(p: ProgrammeResults) -> Slide | None:
    if p.pooled is None:
        return None
    independent = content.independent_text(p.pooled)
    if independent:
        return Slide(_("Learning"), bullets=(independent,))
    rows = content.group_rows(p.pooled)
    return Slide(
        _("Learning: scores before and after"),
        table=Table(
            _("Pooled scores"),
            (_("Group"), _("n"), _("Pre-test"), _("Post-test"), _("Hake g")),
            tuple(
                (row.label, row.n, row.pre, row.post, row.hake)
                for row in rows
                if row.attribute in ("", "sex", "location")
            ),
            align_right=(False, True, True, True, True),
        ),
        image_png=_png(charts.module_gain_chart(p)),
    )


def _reactions(p: ProgrammeResults) -> Slide | None:
    if not content.reaction_rows(p.reactions, p.language):
        return None
    return Slide(
        _("Reactions (level 1)"),
        bullets=(
            _("%(n)s participants answered the reaction survey.")
            % {"n": number(int(p.reactions.get("n") or 0))},
        ),
        image_png=_png(charts.reaction_chart(p.reactions, p.language)),
    )


def _behaviour(p: ProgrammeResults) -> Slide | None:
    lines = content.follow_up_lines(p.follow_up, p.language)
    if not lines:
        return None
    examples = content.quotes(p.follow_up.get("examples") or [], 2)
    return Slide(_("Behaviour change at follow-up (level 3)"), bullets=(*lines, *examples))


def programme_deck(p: ProgrammeResults) -> Deck:
    slides: list[Slide | None] = [
        _in_numbers(p),
        _plan(p),
        _who(p),
        _learning(p),
        _reactions(p),
        _behaviour(p),
        Slide(_("Recommendations for the next year"), bullets=tuple(recommendations(p))),
    ]
    return Deck(
        title=_("Capacity development report — %(country)s")
        % {"country": country_name(p.workspace.country, p.language)},
        subtitle=_("Trainings held, learning and change in practice · %(date)s")
        % {"date": formats.date_format(timezone.localdate(), "j F Y")},
        slides=tuple(slide for slide in slides if slide is not None),
    )


def programme_report_pptx(workspace: Workspace, language: str = "en") -> bytes:
    """The capacity development report of ``workspace`` as a PowerPoint deck in ``language``."""
    with translation.override(language):
        deck = programme_deck(programme_results(workspace, language=language))
        continued = _("(continued)")
    return write_pptx(deck, continued_label=continued)
