"""The validation-workshop deck of the capacity development plan: the plan on a dozen slides, ending with
the questions to validate. Built from the same data and figures as the plan document; call
:func:`plan_deck` inside ``translation.override(d.language)``.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ctip.core.workspace_profile import country_name
from ctip.formats.charts import Chart
from ctip.formats.documents.model import Table
from ctip.formats.documents.pptx_writer import Deck, Slide
from ctip.web.needs.report_content import decimal, number, percent
from ctip.web.planning import report_charts as charts
from ctip.web.planning.report_content import PlanReportData, unmet_reason_label
from ctip.web.planning.report_framework import risks_section

DEMAND_BULLETS = 5
SLIDE_CHART_WIDTH = 8.0
"""Inches: a chart drawn for a slide keeps legible labels once scaled to the slide."""


def _png(chart: Chart) -> bytes:
    return charts.png(chart, width_inches=SLIDE_CHART_WIDTH)


def _rationale(d: PlanReportData) -> Slide:
    bullets = tuple(
        _("**%(position)s. %(title)s** (score %(mwds)s)")
        % {"position": position, "title": item.title, "mwds": decimal(item.mwds)}
        for position, item in enumerate(d.priorities, start=1)
    )
    if not bullets:
        staff: dict[str, int] = defaultdict(int)
        for row in d.demand:
            staff[row.competency] += row.staff_female + row.staff_male
        largest = sorted(staff.items(), key=lambda item: (-item[1], item[0]))[:DEMAND_BULLETS]
        bullets = (
            d.tna_note,
            *(
                _("**%(competency)s**: %(staff)s staff in need")
                % {"competency": d.competency(code), "staff": number(count)}
                for code, count in largest
            ),
        )
    return Slide(_("Why: the largest needs found by the TNA"), bullets=bullets)


def _in_numbers(d: PlanReportData) -> Slide:
    seats = d.female + d.male
    return Slide(
        _("The plan in numbers"),
        bullets=(
            _("**%(sessions)s sessions** over %(years)s years at %(locations)s locations")
            % {
                "sessions": number(len(d.sessions)),
                "years": d.years,
                "locations": number(len({session.location for session in d.sessions})),
            },
            _("**%(seats)s seats**: %(women)s women, %(men)s men")
            % {"seats": number(seats), "women": number(d.female), "men": number(d.male)},
            _("**%(cost)s**, %(share)s of the budget")
            % {
                "cost": d.money(d.total_cost),
                "share": percent(d.total_cost / d.total_budget if d.total_budget else None),
            },
            _("**%(modules)s modules** of the catalogue in use") % {"modules": number(len(d.used_modules()))},
        ),
    )


def _budget(d: PlanReportData) -> Slide:
    by_year = d.cost_by_year()
    return Slide(
        _("Budget by year"),
        bullets=tuple(
            _("**%(year)s**: %(cost)s of %(budget)s (%(share)s)")
            % {
                "year": d.year_label(year),
                "cost": d.money(by_year.get(year, 0.0)),
                "budget": d.money(d.budget(year)),
                "share": percent(by_year.get(year, 0.0) / d.budget(year) if d.budget(year) else None),
            }
            for year in range(1, d.years + 1)
        ),
        image_png=_png(charts.budget_by_year(d)),
    )


def _ownership(d: PlanReportData) -> Slide:
    return Slide(
        _("Handover to national trainers"),
        bullets=(
            *(
                _("**%(year)s**: %(share)s of sessions led by national trainers")
                % {"year": d.year_label(year), "share": percent(d.national_share(year))}
                for year in range(1, d.years + 1)
            ),
            _("Targets: %(year2)s in year 2, %(year3)s in year 3")
            % {
                "year2": percent(d.parameters.national_share_year2),
                "year3": percent(d.parameters.national_share_year3),
            },
        ),
    )


def _unmet(d: PlanReportData) -> Slide | None:
    if not d.unmet:
        return None
    people: dict[str, int] = defaultdict(int)
    for need in d.unmet:
        people[str(need.get("reason", ""))] += max(int(need.get("staff", 0)) - int(need.get("covered", 0)), 0)
    return Slide(
        _("What the plan leaves unmet, and why"),
        bullets=tuple(
            _("**%(reason)s**: %(people)s staff-needs")
            % {"reason": unmet_reason_label(reason), "people": number(count)}
            for reason, count in sorted(people.items(), key=lambda item: -item[1])
        ),
    )


def _risks(d: PlanReportData) -> Slide:
    table = next(block for block in risks_section(d) if isinstance(block, Table))
    return Slide(
        _("Risks and mitigation"),
        table=Table(
            table.caption,
            (table.header[0], table.header[1], table.header[3]),
            tuple((row[0], row[1], row[3]) for row in table.rows),
            column_widths_cm=(6.0, 2.4, 10.0),
        ),
    )


def plan_deck(d: PlanReportData) -> Deck:
    slides: list[Slide | None] = [
        _rationale(d),
        _in_numbers(d),
        Slide(_("Three-year schedule"), image_png=_png(charts.schedule_gantt(d)) if d.sessions else None),
        Slide(
            _("Who is trained, where"), image_png=_png(charts.seats_by_location(d)) if d.sessions else None
        ),
        _budget(d),
        _ownership(d),
        _unmet(d),
        _risks(d),
        Slide(
            _("Questions for validation"),
            bullets=(
                _("Do the priorities and the order of the modules match your needs?"),
                _("Can your institution release the staff in these quarters?"),
                _("Is the budget by year realistic, and who funds which part?"),
                _("Which national trainers and institutions take over delivery, and when?"),
                _("Are the targets by location and sex right?"),
            ),
        ),
    ]
    country = country_name(d.workspace.country, d.language)
    return Deck(
        title=_("Capacity development plan — %(country)s") % {"country": country},
        subtitle=_("Scenario “%(scenario)s” for validation · %(date)s")
        % {"scenario": d.scenario.name, "date": formats.date_format(timezone.localdate(), "j F Y")},
        slides=tuple(
            slide
            for slide in slides
            if slide is not None and (slide.bullets or slide.table or slide.image_png)
        ),
    )
