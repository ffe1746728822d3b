"""The last sections of the capacity development plan: the M&E framework, the handover to national
ownership and the risks. Call them inside ``translation.override(d.language)``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.formats.documents.model import Block, BulletList, Heading, Paragraph, Table
from ctip.web.needs.report_content import ABSENT, decimal, number, percent
from ctip.web.planning.report_content import NATIONAL, FrameworkRow, PlanReportData

BUDGET_TIGHT = 0.9
"""A year that uses this share of its budget or more leaves no room for price rises."""


def _value(value: object) -> str:
    if value is None or value == "":
        return ABSENT
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(round(value)) if value.is_integer() else decimal(value, 1)
    return str(value)


def _targets(row: FrameworkRow) -> str:
    parts = [
        _("Y%(year)s: %(value)s") % {"year": year, "value": _value(value)}
        for year, value in sorted(row.targets_by_year.items())
    ]
    parts.append(_("Plan: %(value)s") % {"value": _value(row.life_of_plan_target)})
    return "; ".join(parts)


def monitoring_section(d: PlanReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Monitoring and evaluation framework"), 1),
        Paragraph(
            _(
                "The results the plan works towards, each with its indicator, baseline, yearly targets, source "
                "and owner. Progress is measured against these targets at the times stated."
            )
        ),
    ]
    if not d.framework:
        blocks.append(Paragraph(_("No result or indicator has been recorded on the monitoring pages yet.")))
        return blocks
    blocks.append(
        Table(
            _("M&E framework"),
            (
                _("Result"),
                _("Indicator"),
                _("Baseline"),
                _("Targets"),
                _("Source and frequency"),
                _("Responsible"),
            ),
            tuple(
                (
                    f"{row.tier_label} {row.code}: {row.statement}".strip(),
                    f"{row.indicator_name} ({row.unit})" if row.unit else row.indicator_name,
                    row.baseline_text or ABSENT,
                    _targets(row) if row.indicator_name else ABSENT,
                    " · ".join(part for part in (row.means_of_verification, row.frequency) if part) or ABSENT,
                    row.responsible_agency or ABSENT,
                )
                for row in d.framework
            ),
            column_widths_cm=(4.0, 3.4, 2.0, 2.6, 2.6, 2.0),
            align_right=(False,) * 6,
        )
    )
    remarks = tuple(
        f"**{row.indicator_code or row.code}**: {row.smart_summary}"
        for row in d.framework
        if row.smart_summary
    )
    if remarks:
        blocks.append(BulletList(remarks))
    return blocks


# --- Handover --------------------------------------------------------------------------------------------


def _target_share(d: PlanReportData, year: int) -> float | None:
    if year == 2:
        return d.parameters.national_share_year2
    if year >= 3:
        return d.parameters.national_share_year3
    return None


def ownership_section(d: PlanReportData) -> list[Block]:
    rows = []
    for year in range(1, d.years + 1):
        sessions = [session for session in d.sessions if session.year == year]
        national = sum(1 for session in sessions if session.trainer == NATIONAL)
        rows.append(
            (
                d.year_label(year),
                number(len(sessions)),
                number(national),
                percent(d.national_share(year)),
                percent(_target_share(d, year)),
            )
        )
    tot = [session for session in d.sessions if session.module.is_training_of_trainers]
    cascades = [session for session in d.sessions if session.module.cascade_of]
    blocks: list[Block] = [
        Heading(_("Handover to national ownership"), 1),
        Paragraph(
            _(
                "The plan hands delivery over to national institutions step by step: international trainers "
                "train national trainers first, national trainers then lead a rising share of the sessions, "
                "and the curricula, materials and records pass to the national training institutions."
            )
        ),
        Table(
            _("Sessions led by national trainers"),
            (_("Year"), _("Sessions"), _("National trainers"), _("Share"), _("Target share")),
            tuple(rows),
            column_widths_cm=(4.0, 2.4, 3.2, 2.4, 3.0),
            align_right=(False, True, True, True, True),
        ),
    ]
    steps = []
    if tot:
        steps.append(
            ngettext(
                "**Training of trainers**: %(count)s session (%(seats)s seats) from %(first)s",
                "**Training of trainers**: %(count)s sessions (%(seats)s seats) from %(first)s",
                len(tot),
            )
            % {
                "count": number(len(tot)),
                "seats": number(sum(session.participants for session in tot)),
                "first": d.quarter_label(min(session.quarter for session in tot)),
            }
        )
    if cascades:
        steps.append(
            ngettext(
                "**Cascade**: %(count)s session led by the graduates of the training of trainers",
                "**Cascade**: %(count)s sessions led by the graduates of the training of trainers",
                len(cascades),
            )
            % {"count": number(len(cascades))}
        )
    steps += [
        _("**Year 1**: national focal points co-facilitate every session and keep the attendance records"),
        _(
            "**Year 2**: national trainers lead at least %(share)s of the sessions; curricula adapted nationally"
        )
        % {"share": percent(d.parameters.national_share_year2)},
        _(
            "**Year 3**: national trainers lead at least %(share)s of the sessions; the modules enter the "
            "curricula of the national training institutions, which budget for them"
        )
        % {"share": percent(d.parameters.national_share_year3)},
    ]
    blocks.append(BulletList(tuple(steps)))
    return blocks


# --- Risks -----------------------------------------------------------------------------------------------


def _level(high: bool) -> str:
    return _("High") if high else _("Medium")


def risks_section(d: PlanReportData) -> list[Block]:
    reasons = {str(need.get("reason", "")) for need in d.unmet}
    by_year = d.cost_by_year()
    tight_years = [
        d.year_label(year)
        for year in range(1, d.years + 1)
        if d.budget(year) and by_year.get(year, 0.0) / d.budget(year) >= BUDGET_TIGHT
    ]
    seats = d.female + d.male
    women_in_need = sum(row.staff_female for row in d.demand)
    women_share_needed = women_in_need / d.staff_in_need if d.staff_in_need else None
    women_share = d.female / seats if seats else None
    rows = [
        (
            _("Funding falls short or arrives late"),
            _level(bool(tight_years) or "budget" in reasons),
            _("High"),
            _("Agree the yearly budget before each year starts; keep the first-priority modules first."),
        ),
        (
            _("Too few trainers, national trainers not ready in time"),
            _level("trainers" in reasons),
            _("High"),
            _("Hold the training of trainers early; pair new national trainers with experienced ones."),
        ),
        (
            _("Staff cannot be released for training, or leave their posts"),
            _("Medium"),
            _("Medium"),
            _("Agree nominations with each institution; train in the home location; track turnover."),
        ),
        (
            _("Women under-represented among participants"),
            _level(
                women_share is not None
                and women_share_needed is not None
                and women_share < women_share_needed
            ),
            _("Medium"),
            _("Ask institutions to nominate women in proportion to their staff; follow attendance by sex."),
        ),
        (
            _("Remote locations left behind"),
            _level(len(d.locations) > 1 and "capacity" in reasons),
            _("Medium"),
            _("Keep the minimum share for remote locations; use blended delivery where travel is costly."),
        ),
        (
            _("Training does not change practice"),
            _("Medium"),
            _("High"),
            _("Pre- and post-tests, follow-up after six months, and SOPs that use what was taught."),
        ),
    ]
    blocks: list[Block] = [
        Heading(_("Risks and mitigation"), 1),
        Table(
            _("Risks"),
            (_("Risk"), _("Likelihood"), _("Impact"), _("Mitigation")),
            tuple(rows),
            column_widths_cm=(4.6, 2.2, 2.0, 7.2),
            align_right=(False,) * 4,
        ),
    ]
    if tight_years:
        blocks.append(
            Paragraph(
                _(
                    "The plan uses %(share)s or more of the budget in %(years)s: there is little room for rises."
                )
                % {"share": percent(BUDGET_TIGHT), "years": ", ".join(tight_years)}
            )
        )
    return blocks
