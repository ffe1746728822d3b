"""The summary deck of a National Action Plan for the Technical Committee and the validation meeting: the
plan on 10 to 15 slides, ending with the questions to validate. Built from the same data and charts as the
plan document; call :func:`nap_deck` inside ``translation.override(d.language)``.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ctip.core.nap.model import Activity, IndicatorRef, Outcome, Output, walk
from ctip.formats.documents.model import Table
from ctip.formats.documents.pptx_writer import Deck, Slide
from ctip.web.nap import charts
from ctip.web.nap.report_sections import NapDocData, money, number, percent, png

SLIDE_CHART_WIDTH = 8.0


def _png(chart: charts.BarChart) -> bytes:
    return png(chart, width_inches=SLIDE_CHART_WIDTH)


def _at_a_glance(d: NapDocData) -> Slide:
    counts = {"outcome": 0, "output": 0, "activity": 0, "indicator": 0}
    for _path, element in walk(d.nap):
        if isinstance(element, Outcome):
            counts["outcome"] += 1
        elif isinstance(element, Output):
            counts["output"] += 1
        elif isinstance(element, Activity):
            counts["activity"] += 1
        elif isinstance(element, IndicatorRef):
            counts["indicator"] += 1
    bullets = [
        _("**%(start)s–%(end)s**, %(pillars)s pillars")
        % {"start": d.nap.period_start, "end": d.nap.period_end, "pillars": number(len(d.nap.pillars))},
        _("**%(outcomes)s outcomes**, %(outputs)s outputs, %(activities)s activities")
        % {
            "outcomes": number(counts["outcome"]),
            "outputs": number(counts["output"]),
            "activities": number(counts["activity"]),
        },
        _("**%(indicators)s indicators** to follow progress") % {"indicators": number(counts["indicator"])},
    ]
    for totals in d.budget.by_currency.values():
        bullets.append(
            _("**%(total)s** budgeted, %(share)s not yet funded")
            % {"total": money(totals.total, totals.currency), "share": percent(totals.unfunded_share)}
        )
    return Slide(_("The plan at a glance"), bullets=tuple(bullets))


def _vision(d: NapDocData) -> Slide:
    bullets = []
    if d.nap.vision:
        bullets.append(_("**Vision**: %(text)s") % {"text": d.nap.vision})
    if d.nap.goal:
        bullets.append(_("**Goal**: %(text)s") % {"text": d.nap.goal})
    bullets += list(d.nap.principles)
    return Slide(_("Vision, goal and guiding principles"), bullets=tuple(bullets))


def _situation(d: NapDocData) -> Slide:
    bullets = [
        _("**%(instrument)s**: %(score)s of the checklist met")
        % {"instrument": name, "score": percent(score)}
        for name, score in d.legal_scores
    ]
    if d.legal_gaps:
        bullets.append(_("**%(count)s gaps** in the legal framework") % {"count": number(len(d.legal_gaps))})
    bullets += [
        _("Training need: **%(competency)s**") % {"competency": name} for name, _score in d.tna_priorities[:3]
    ]
    if not bullets:
        bullets.append(_("No desk review or training needs assessment has been recorded yet."))
    return Slide(_("Where we start from"), bullets=tuple(bullets))


def _pillar(d: NapDocData, index: int) -> Slide:
    pillar = d.nap.pillars[index]
    bullets = []
    for objective in pillar.objectives:
        bullets.append(f"**{objective.code}** {objective.name}")
        for priority in objective.priorities:
            for outcome in priority.outcomes:
                bullets.append(_("Outcome %(code)s: %(name)s") % {"code": outcome.code, "name": outcome.name})
    if not bullets:
        bullets.append(_("No strategic objective has been written for this pillar yet."))
    return Slide(f"{pillar.code} {pillar.name}", bullets=tuple(bullets[:8]))


def _budget_slides(d: NapDocData) -> list[Slide]:
    slides: list[Slide] = []
    for totals in list(d.budget.by_currency.values())[:2]:
        slides.append(
            Slide(
                _("Budget by pillar (%(currency)s)") % {"currency": totals.currency},
                image_png=_png(charts.pillar_chart(totals, d.pillar_codes, d.pillar_names)),
            )
        )
        slides.append(
            Slide(
                _("Budget by year (%(currency)s)") % {"currency": totals.currency},
                image_png=_png(charts.year_chart(totals, d.pillar_codes, d.pillar_names)),
            )
        )
        slides.append(
            Slide(
                _("Who pays: the funding gap (%(currency)s)") % {"currency": totals.currency},
                bullets=(
                    _("**Not yet funded: %(gap)s** (%(share)s)")
                    % {
                        "gap": money(totals.unfunded, totals.currency),
                        "share": percent(totals.unfunded_share),
                    },
                    _("Spending that advances gender equality (marker 1 or 2): %(share)s")
                    % {"share": percent(totals.gender_share)},
                ),
                image_png=_png(charts.funding_chart(totals)),
            )
        )
    if not slides:
        slides.append(Slide(_("Budget"), bullets=(_("No cost lines have been entered yet."),)))
    return slides


def _coordination(d: NapDocData) -> Slide:
    if not d.bodies:
        return Slide(
            _("Coordination"), bullets=(_("No coordination bodies have been recorded for this plan yet."),)
        )
    return Slide(
        _("Coordination"),
        table=Table(
            _("Coordination bodies"),
            (_("Body"), _("Chair"), _("Meets"), _("Reports to")),
            tuple(
                (body.name, body.chair or "—", body.meets or "—", body.reports_to or "—") for body in d.bodies
            ),
        ),
        image_png=d.orgchart_png,
    )


def nap_deck(d: NapDocData) -> Deck:
    pillar_slides = [_pillar(d, index) for index in range(min(len(d.nap.pillars), 5))]
    slides: list[Slide] = [
        _at_a_glance(d),
        _vision(d),
        _situation(d),
        *pillar_slides,
        *_budget_slides(d),
        _coordination(d),
        Slide(
            _("Questions for validation"),
            bullets=(
                _("Do the pillars, objectives and outcomes answer the gaps found?"),
                _("Is each activity led by the right institution, and can it deliver on time?"),
                _("Are the costs realistic, and who will fund the gap?"),
                _("Are the indicators measurable, with a source and a responsible agency?"),
                _("Who will coordinate, and how often will the plan be reviewed?"),
            ),
        ),
    ]
    return Deck(
        title=d.title,
        subtitle=_("%(country)s · for the Technical Committee · %(date)s")
        % {"country": d.country, "date": formats.date_format(timezone.localdate(), "j F Y")},
        slides=tuple(slide for slide in slides if slide.bullets or slide.table or slide.image_png)[:15],
    )
