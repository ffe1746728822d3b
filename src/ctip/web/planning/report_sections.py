"""The first sections of the capacity development plan (see :mod:`.report` for the whole): summary, rationale
from the TNA, catalogue, schedule, targets, budget and the needs left unmet. Each is a function of
:class:`~ctip.web.planning.report_content.PlanReportData` returning document blocks; call them inside
``translation.override(d.language)``.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.formats.documents.model import Block, BulletList, Figure, Heading, Paragraph, Table
from ctip.web.needs.report_content import ABSENT, decimal, number, percent
from ctip.web.planning import report_charts as charts
from ctip.web.planning.report_content import (
    NATIONAL,
    PlanReportData,
    status_label,
    unmet_reason_label,
)

UNMET_ROWS = 15
"""The largest unmet needs listed one by one; the rest are counted."""
DEMAND_ROWS = 12


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def trainer_label(origin: str) -> str:
    return _("National") if origin == NATIONAL else _("International")


def level_label(level: str) -> str:
    return {"foundational": _("Foundational"), "specialised": _("Specialised")}.get(level, level)


# --- Summary ---------------------------------------------------------------------------------------------


def _gap(value: object) -> str:
    """The optimality gap as a percentage with one decimal ("0.4%"): it is usually below one per cent."""
    if not isinstance(value, int | float) or value != value:
        return ABSENT
    text = decimal(value * 100, 1)
    return f"{text}\u202f%" if "," in decimal(0.5, 1) else f"{text}%"


def _status_sentence(d: PlanReportData) -> str:
    status = d.scenario.status
    if status == "draft" or not d.result:
        return _("The scenario has not been optimised yet: the sessions below were entered by hand.")
    gap = d.result.get("gap")
    if status == "optimal":
        return _(
            "The optimiser found the best plan within its tolerance (optimality gap %(gap)s): no other plan "
            "within the same constraints covers more of the weighted need."
        ) % {"gap": _gap(gap)}
    return _("The last optimisation ended with the status “%(status)s” (optimality gap %(gap)s).") % {
        "status": status_label(status),
        "gap": _gap(gap),
    }


def summary_section(d: PlanReportData) -> list[Block]:
    seats = d.female + d.male
    blocks: list[Block] = [Heading(_("Summary"), 1)]
    if not d.sessions:
        blocks.append(Paragraph(_("This scenario has no sessions yet: solve it or add sessions first.")))
        return blocks
    blocks.append(
        Paragraph(
            _(
                "This plan (scenario “%(scenario)s”) schedules %(sessions)s training sessions over %(years)s "
                "years, from %(first)s to %(last)s, at %(locations)s locations. They offer %(seats)s seats: "
                "%(women)s for women and %(men)s for men (%(share)s women). The plan costs %(cost)s, "
                "%(used)s of the budget of %(budget)s."
            )
            % {
                "scenario": d.scenario.name,
                "sessions": number(len(d.sessions)),
                "years": d.years,
                "first": d.year_label(1),
                "last": d.year_label(d.years),
                "locations": number(len({session.location for session in d.sessions})),
                "seats": number(seats),
                "women": number(d.female),
                "men": number(d.male),
                "share": percent(_share(d.female, seats)),
                "cost": d.money(d.total_cost),
                "used": percent(_share(d.total_cost, d.total_budget)),
                "budget": d.money(d.total_budget),
            }
        )
    )
    blocks.append(Paragraph(_status_sentence(d)))
    bullets = [
        ngettext(
            "**%(year)s**: %(sessions)s session, %(cost)s, %(national)s led by national trainers",
            "**%(year)s**: %(sessions)s sessions, %(cost)s, %(national)s led by national trainers",
            sum(1 for session in d.sessions if session.year == year),
        )
        % {
            "year": d.year_label(year),
            "sessions": number(sum(1 for session in d.sessions if session.year == year)),
            "cost": d.money(d.cost_by_year().get(year, 0.0)),
            "national": percent(d.national_share(year)),
        }
        for year in range(1, d.years + 1)
    ]
    if d.unmet:
        bullets.append(
            _(
                "**Not met**: %(people)s of %(staff)s staff-needs stay uncovered (see the section on unmet needs)"
            )
            % {"people": number(d.unmet_people()), "staff": number(d.staff_in_need)}
        )
    blocks.append(BulletList(tuple(bullets)))
    return blocks


# --- Rationale -------------------------------------------------------------------------------------------


def _seats_for_competency(d: PlanReportData) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for session in d.sessions:
        for code in session.module.competencies or ():
            found[str(code)] += session.participants
    return found


def rationale_section(d: PlanReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Rationale: the needs the plan answers"), 1),
        Paragraph(
            _(
                "The plan follows the training needs assessment (TNA): it trains first the staff whose work "
                "depends most on the competencies they lack, at the locations where they work. %(source)s"
            )
            % {"source": d.tna_note}
        ),
    ]
    seats = _seats_for_competency(d)
    if d.priorities:
        blocks.append(
            Table(
                _("The largest needs found by the TNA and the seats the plan offers for them"),
                (
                    _("Priority"),
                    _("Competency"),
                    _("Borich score"),
                    _("Staff with a gap"),
                    _("Seats planned"),
                ),
                tuple(
                    (
                        str(position),
                        f"{item.code} {item.title}",
                        decimal(item.mwds),
                        percent(item.share_with_need),
                        number(seats.get(item.code, 0)),
                    )
                    for position, item in enumerate(d.priorities, start=1)
                ),
                column_widths_cm=(1.6, 7.4, 2.4, 2.4, 2.2),
                note=_("Borich score (MWDS): mean importance × mean gap; the larger, the greater the need."),
            )
        )
    staff: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in d.demand:
        staff[row.competency][0] += row.staff_female
        staff[row.competency][1] += row.staff_male
    if staff:
        largest = sorted(staff.items(), key=lambda item: (-(item[1][0] + item[1][1]), item[0]))[:DEMAND_ROWS]
        blocks += [
            Paragraph(
                _(
                    "The demand the plan was optimised against counts, for each competency, the staff of each "
                    "segment (organisation, role group and location) who need it: %(staff)s staff-needs in "
                    "%(segments)s segments."
                )
                % {"staff": number(d.staff_in_need), "segments": number(len(d.segments))}
            ),
            Table(
                _("Staff in need by competency (largest first)"),
                (_("Competency"), _("Women"), _("Men"), _("Total"), _("Seats planned")),
                tuple(
                    (
                        d.competency(code),
                        number(women),
                        number(men),
                        number(women + men),
                        number(seats.get(code, 0)),
                    )
                    for code, (women, men) in largest
                ),
                column_widths_cm=(8.2, 1.8, 1.8, 1.8, 2.4),
                note=_("A person who takes two modules takes two seats."),
            ),
        ]
    return blocks


# --- Catalogue -------------------------------------------------------------------------------------------


def catalogue_section(d: PlanReportData) -> list[Block]:
    used = d.used_modules()
    rows = tuple(
        (
            module.code,
            d.module_title(module),
            d.pillar_label(module.pillar),
            level_label(module.level),
            decimal(float(module.duration_days), 1),
            f"{module.participants_min}–{module.participants_max}",
            number(used.get(module.code, 0)),
        )
        for module in d.modules
    )
    blocks: list[Block] = [
        Heading(_("Training catalogue"), 1),
        Paragraph(
            ngettext(
                "The catalogue offers %(count)s module; the plan uses %(used)s of them.",
                "The catalogue offers %(count)s modules; the plan uses %(used)s of them.",
                len(d.modules),
            )
            % {"count": number(len(d.modules)), "used": number(len(used))}
        ),
        Table(
            _("Modules of the catalogue"),
            (_("Code"), _("Module"), _("Pillar"), _("Level"), _("Days"), _("Participants"), _("Sessions")),
            rows,
            column_widths_cm=(2.1, 4.2, 2.2, 2.3, 1.1, 2.5, 1.6),
        ),
    ]
    notes = []
    for module in d.modules:
        if module.is_training_of_trainers:
            notes.append(
                _("**%(code)s** is a training of trainers: its graduates lead later sessions.")
                % {"code": module.code}
            )
        if module.cascade_of:
            notes.append(
                _("**%(code)s** is delivered by the graduates of %(tot)s (cascade).")
                % {"code": module.code, "tot": module.cascade_of}
            )
        if module.prerequisites:
            notes.append(
                _("**%(code)s** requires %(modules)s in an earlier quarter.")
                % {"code": module.code, "modules": ", ".join(str(code) for code in module.prerequisites)}
            )
    if notes:
        blocks.append(BulletList(tuple(notes)))
    return blocks


# --- Schedule --------------------------------------------------------------------------------------------


def schedule_section(d: PlanReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Three-year schedule"), 1),
        Paragraph(
            _(
                "Each bar runs from the first to the last quarter in which a module is given at a location; "
                "its label names the quarters of its sessions. The tables list every session by year."
            )
        ),
    ]
    if d.sessions:
        blocks.append(Figure(_("The schedule of the plan"), charts.png(charts.schedule_gantt(d))))
    for year in range(1, d.years + 1):
        sessions = [session for session in d.sessions if session.year == year]
        if not sessions:
            continue
        blocks += [
            Heading(d.year_label(year), 2),
            Table(
                _("Sessions of %(year)s") % {"year": d.year_label(year)},
                (_("Quarter"), _("Module"), _("Location"), _("Trainer"), _("Women"), _("Men"), _("Cost")),
                tuple(
                    (
                        d.quarter_label(session.quarter),
                        f"{session.module.code} {d.module_title(session.module)}",
                        session.location,
                        trainer_label(session.trainer),
                        number(session.female),
                        number(session.male),
                        number(round(session.cost)),
                    )
                    for session in sessions
                ),
                column_widths_cm=(2.0, 4.5, 2.3, 2.2, 1.6, 1.6, 1.8),
                note=_("Cost in %(currency)s: cost per session + participants × cost per participant.")
                % {"currency": d.currency},
            ),
        ]
    return blocks


# --- Targets ---------------------------------------------------------------------------------------------


def targets_section(d: PlanReportData) -> list[Block]:
    years = range(1, d.years + 1)
    by_location = d.seats_by("location")
    by_segment = d.seats_by("segment")
    location_rows = []
    for location in d.locations:
        cells = []
        women_total = men_total = 0
        for year in years:
            women, men = by_location.get((location, year), (0, 0))
            women_total += women
            men_total += men
            cells.append(f"{number(women)} / {number(men)}")
        location_rows.append(
            (location, *cells, number(women_total), number(men_total), number(women_total + men_total))
        )
    year_titles = tuple(_("Year %(year)s (W / M)") % {"year": year} for year in years)
    segment_rows = []
    for segment in d.segments:
        totals = [by_segment.get((segment.code, year), (0, 0)) for year in years]
        women = sum(total[0] for total in totals)
        men = sum(total[1] for total in totals)
        if not women + men:
            continue
        segment_rows.append(
            (
                f"{segment.code} {d.segment_label(segment.code)}",
                *(number(total[0] + total[1]) for total in totals),
                number(women),
                number(men),
            )
        )
    blocks: list[Block] = [
        Heading(_("Targets: who is trained, where and when"), 1),
        Paragraph(
            _(
                "The targets count seats: the number of women and men each session takes from each segment. "
                "The workbook gives them by segment, sex, location and year, with live totals."
            )
        ),
        Table(
            _("Seats by location, year and sex (women / men)"),
            (_("Location"), *year_titles, _("Women"), _("Men"), _("Total")),
            tuple(location_rows),
            column_widths_cm=(3.0, *([2.4] * len(year_titles)), 1.8, 1.8, 1.5),
            align_right=(False, *([True] * (len(year_titles) + 3))),
        ),
    ]
    if segment_rows:
        blocks.append(
            Table(
                _("Seats by segment and year"),
                (
                    _("Segment"),
                    *(_("Year %(year)s") % {"year": year} for year in years),
                    _("Women"),
                    _("Men"),
                ),
                tuple(segment_rows),
                column_widths_cm=(7.0, *([1.5] * len(years)), 1.8, 1.8),
            )
        )
    if d.sessions:
        blocks.append(Figure(_("Seats by location and sex"), charts.png(charts.seats_by_location(d))))
    return blocks


# --- Budget ----------------------------------------------------------------------------------------------


def budget_section(d: PlanReportData) -> list[Block]:
    years = range(1, d.years + 1)
    costs = d.cost_by_year_and_pillar()
    by_year = d.cost_by_year()
    rows = [
        (
            label,
            *(number(round(costs.get((year, code), 0.0))) for year in years),
            number(round(sum(costs.get((year, code), 0.0) for year in years))),
        )
        for code, label in d.pillars
    ]
    rows.append(
        (_("Total"), *(number(round(by_year.get(year, 0.0))) for year in years), number(round(d.total_cost)))
    )
    rows.append(
        (
            _("Budget available"),
            *(number(round(d.budget(year))) for year in years),
            number(round(d.total_budget)),
        )
    )
    rows.append(
        (
            _("Share of the budget used"),
            *(percent(_share(by_year.get(year, 0.0), d.budget(year))) for year in years),
            percent(_share(d.total_cost, d.total_budget)),
        )
    )
    return [
        Heading(_("Budget by year and pillar"), 1),
        Paragraph(
            _(
                "Costs come from the catalogue: each module's cost per session and per participant at the "
                "location where it is given. Amounts are in %(currency)s."
            )
            % {"currency": d.currency}
        ),
        Table(
            _("Cost by year and pillar (%(currency)s)") % {"currency": d.currency},
            (_("Pillar"), *(d.year_label(year) for year in years), _("Total")),
            tuple(rows),
            align_right=(False, *([True] * (len(years) + 1))),
        ),
        Figure(_("Cost by year and pillar"), charts.png(charts.budget_by_year(d)), width_cm=14.0),
    ]


# --- Unmet needs -----------------------------------------------------------------------------------------


def unmet_section(d: PlanReportData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Needs the plan does not meet"), 1)]
    if not d.result:
        blocks.append(Paragraph(_("The scenario has not been optimised yet, so unmet needs are not known.")))
        return blocks
    if not d.unmet:
        blocks.append(Paragraph(_("The plan covers every need of the demand.")))
        return blocks
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for need in d.unmet:
        reason = str(need.get("reason", ""))
        by_reason[reason][0] += 1
        by_reason[reason][1] += max(int(need.get("staff", 0)) - int(need.get("covered", 0)), 0)
    largest = sorted(d.unmet, key=lambda need: -(int(need.get("staff", 0)) - int(need.get("covered", 0))))[
        :UNMET_ROWS
    ]
    blocks += [
        Paragraph(
            _(
                "For each need the plan does not fully cover, the optimiser names what stops one more session: "
                "the budget, trainer time, the sessions a location can host, a prerequisite, the lack of a "
                "module at that location, or simply that other needs were worth more for the same cost."
            )
        ),
        Table(
            _("Unmet needs by reason"),
            (_("Reason"), _("Needs"), _("Staff not reached")),
            tuple(
                (unmet_reason_label(reason), number(count), number(people))
                for reason, (count, people) in sorted(by_reason.items(), key=lambda item: -item[1][1])
            ),
            column_widths_cm=(8.0, 3.0, 4.0),
        ),
        Table(
            _("The largest unmet needs"),
            (_("Segment"), _("Competency"), _("Staff in need"), _("Covered"), _("Reason")),
            tuple(
                (
                    f"{need.get('segment', '')} {d.segment_label(str(need.get('segment', '')))}",
                    d.competency(str(need.get("competency", ""))),
                    number(int(need.get("staff", 0))),
                    number(int(need.get("covered", 0))),
                    unmet_reason_label(str(need.get("reason", ""))),
                )
                for need in largest
            ),
            column_widths_cm=(5.0, 4.6, 1.8, 1.8, 3.0),
        ),
    ]
    return blocks
