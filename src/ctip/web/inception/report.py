"""The inception report (DOCX) and the inception meeting deck (PPTX), built from the workspace's data.

Everything the documents say comes from the registry, the legal review, the library, the sampling plan,
the timeline and the inception meeting; the fixed wording (objectives, methods, risks) is marked for
translation so the report can be produced in English or French. The document model and the writers live in
``ctip.formats.documents``; this module only gathers and words the content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.core.errors import DomainError
from ctip.core.sampling import SamplingPlan
from ctip.core.workspace_profile import country_name
from ctip.formats.charts import Chart, GanttChart, GanttTask, render_png
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import (
    Block,
    BulletList,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from ctip.formats.documents.pptx_writer import Deck, Slide, write_pptx
from ctip.web.accounts.models import Workspace
from ctip.web.desk_review.models import REFERENCE_KINDS
from ctip.web.desk_review.selectors import key_findings, legal_gaps, legal_review_summary, library_entries
from ctip.web.inception.selectors import inception_sampling_plan, inception_timeline, report_template_for
from ctip.web.meetings.models import Meeting
from ctip.web.meetings.selectors import attendance_summary
from ctip.web.stakeholders.selectors import (
    stakeholder_counts,
    stakeholder_labels,
    stakeholder_mapping_charts,
    stakeholder_matrix,
)

REPORT_KIND = "inception_report"
STATUS_LABELS = {
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_assessed": "Not assessed",
}


@dataclass(frozen=True)
class InceptionDocuments:
    docx: bytes
    pptx: bytes
    report: Report
    deck: Deck


def _number(value: int | float) -> str:
    return formats.number_format(value, decimal_pos=0 if isinstance(value, int) else 1, force_grouping=True)


def _percent(score: float | None) -> str:
    return "—" if score is None else f"{round(score * 100)}%"


def _status(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


def _chart_png(chart: Chart) -> bytes:
    return render_png(chart, width_inches=6.5, dpi=170)


# --- Sections ------------------------------------------------------------------------------------------


def _introduction(workspace: Workspace, country: str) -> list[Block]:
    findings = list(key_findings(workspace)[:6])
    blocks: list[Block] = [
        Heading(_("Introduction and background"), 1),
        Paragraph(
            _(
                "This inception report sets out how the counter-trafficking capacity development programme of "
                "%(country)s (%(start)s–%(end)s) will be carried out: who the stakeholders are, what the law "
                "already provides, how training needs will be assessed, and when each step will happen. It is "
                "presented at the inception meeting for comments before the assessment starts."
            )
            % {"country": country, "start": workspace.plan_start_year, "end": workspace.plan_end_year}
        ),
    ]
    if findings:
        blocks.append(Paragraph(_("The desk review highlights the following points:")))
        blocks.append(
            BulletList(
                tuple(
                    f"{finding.statement} ({finding.reference.authors or finding.reference.title}"
                    f"{', ' + str(finding.reference.year) if finding.reference.year else ''})"
                    for finding in findings
                )
            )
        )
    blocks += [
        Heading(_("Objectives"), 2),
        BulletList(
            (
                _(
                    "Map the institutions involved in preventing trafficking, protecting victims, prosecuting "
                    "offenders and working in partnership, and how they refer cases to each other."
                ),
                _("Review national law against the UN Trafficking in Persons Protocol and identify gaps."),
                _("Assess training needs at national, institutional and individual level."),
                _(
                    "Prepare a three-year national capacity development plan with its monitoring framework, "
                    "owned by the national coordinating body."
                ),
            )
        ),
    ]
    return blocks


def _methodology(workspace: Workspace) -> list[Block]:
    blocks: list[Block] = [
        Heading(_("Methodology"), 1),
        Paragraph(
            _(
                "The assessment works at three levels: **national** (the system as a whole: law, coordination, "
                "referral), **institutional** (each agency's procedures, data and resources) and **individual** "
                "(each officer's competencies). It combines a survey of officers, key-informant interviews and "
                "focus-group discussions, and takes earlier trainings into account."
            )
        ),
        BulletList(
            (
                _(
                    "**Survey**: each respondent rates each competency twice — its importance to the job and "
                    "their current competence — on the same scale; gaps are ranked with Borich's mean weighted "
                    "discrepancy score and the Locus for Focus model."
                ),
                _("**Interviews** with managers and focal points on procedures, data and resources."),
                _("**Focus groups** with frontline officers on practice, cases and obstacles."),
                _(
                    "**Ethics and data protection**: informed consent, no names in the analysis, results for "
                    "groups of fewer than five people suppressed, data kept in the programme's workspace only."
                ),
            )
        ),
        Heading(_("Sampling plan"), 2),
    ]
    try:
        plan = inception_sampling_plan(workspace)
    except DomainError as error:
        blocks.append(Paragraph(error.render(_)))
        return blocks
    blocks += _sampling_blocks(plan)
    return blocks


def _sampling_blocks(plan: SamplingPlan) -> list[Block]:
    size = plan.sample_size
    rows = [
        (
            row.label,
            _number(row.population),
            _number(row.allocated_women) if row.women or row.men else "—",
            _number(row.allocated_men) if row.women or row.men else "—",
            _number(row.allocated_total),
        )
        for row in plan.allocation.strata
        if row.population
    ]
    rows.append(
        (
            _("Total"),
            _number(plan.population),
            _number(plan.allocation.allocated_women),
            _number(plan.allocation.allocated_men),
            _number(plan.allocation.total_allocated),
        )
    )
    return [
        Paragraph(
            _(
                "The organisations in the registry employ %(population)s staff. With %(confidence)s%% confidence "
                "and a margin of error of ±%(margin)s%%, Cochran's formula with the finite-population correction "
                "gives a sample of %(n)s respondents (%(n0)s for an unlimited population). The sample is shared "
                "between organisations in proportion to their staff, with a minimum for each, and split between "
                "women and men in proportion to their numbers."
            )
            % {
                "population": _number(plan.population),
                "confidence": _number(round(size.confidence * 100)),
                "margin": _number(round(size.margin * 100)),
                "n": _number(size.n),
                "n0": _number(size.n0_rounded),
            }
        ),
        Table(
            caption=_("Survey respondents planned per organisation"),
            header=(_("Organisation"), _("Staff"), _("Women"), _("Men"), _("Respondents")),
            rows=tuple(rows),
            note=_("Staff figures from the stakeholder registry."),
        ),
        Paragraph(
            _(
                "In addition, %(interviews)s key-informant interviews and %(groups)s focus groups of about "
                "%(size)s participants each (%(participants)s people) are planned."
            )
            % {
                "interviews": _number(plan.total_interviews),
                "groups": _number(plan.focus_groups),
                "size": _number(plan.focus_group_size),
                "participants": _number(plan.focus_group_participants),
            }
        ),
        *([BulletList(tuple(note.render(_) for note in plan.notes))] if plan.notes else []),
    ]


def _stakeholder_mapping(workspace: Workspace) -> tuple[list[Block], dict[str, Chart]]:
    counts = stakeholder_counts(workspace)
    labels = stakeholder_labels(workspace)
    matrix = stakeholder_matrix(workspace)
    charts = stakeholder_mapping_charts(workspace)
    blocks: list[Block] = [
        Heading(_("Stakeholder mapping"), 1),
        Paragraph(
            ngettext(
                "The registry lists %(count)s organisation.",
                "The registry lists %(count)s organisations, by type:",
                counts.total.organisations,
            )
            % {"count": _number(counts.total.organisations)}
        ),
        Table(
            caption=_("Organisations and staff by type"),
            header=(_("Type"), _("Organisations"), _("Staff: women"), _("Staff: men"), _("Staff: total")),
            rows=tuple(
                (
                    labels.type(row.value),
                    _number(row.organisations),
                    _number(row.staff_women),
                    _number(row.staff_men),
                    _number(row.staff_total),
                )
                for row in counts.by_type
            ),
            note=_(
                "Staff figures as reported by each organisation; see the registry for the date of each figure."
            ),
        ),
        Table(
            caption=_("Organisations and staff by sector"),
            header=(_("Sector"), _("Organisations"), _("Staff: women"), _("Staff: men"), _("Staff: total")),
            rows=tuple(
                (
                    labels.sector(row.value),
                    _number(row.organisations),
                    _number(row.staff_women),
                    _number(row.staff_men),
                    _number(row.staff_total),
                )
                for row in counts.by_sector
            ),
        ),
        Heading(_("Who does what along the response chain"), 2),
        Table(
            caption=_("Organisations by response-chain stage and pillar"),
            header=(_("Stage"), *(labels.pillars.get(pillar, pillar) for pillar in matrix.pillars)),
            rows=tuple(
                (
                    labels.stages.get(stage, stage),
                    *(
                        ", ".join(o.short_name for o in matrix.cell(pillar, stage)) or "—"
                        for pillar in matrix.pillars
                    ),
                )
                for stage in matrix.stages
            ),
            column_widths_cm=(3.2, 3.2, 3.2, 3.2, 3.2),
            note=_("Organisations are shown by acronym; the registry lists their full names."),
        ),
        Figure(_("Influence and interest of the stakeholders"), _chart_png(charts["grid"])),
        Figure(_("Referral network: who refers cases to whom"), _chart_png(charts["network"])),
    ]
    if matrix.gaps:
        blocks.append(
            Paragraph(
                _("No organisation covers these combinations of pillar and stage: %(cells)s.")
                % {
                    "cells": "; ".join(
                        f"{labels.pillars.get(p, p)} – {labels.stages.get(s, s)}" for p, s in matrix.gaps
                    )
                }
            )
        )
    return blocks, charts


def _literature(workspace: Workspace) -> list[Block]:
    kinds = dict(REFERENCE_KINDS)
    entries = list(library_entries(workspace))
    blocks: list[Block] = [Heading(_("Mini literature review"), 1)]
    if not entries:
        return [*blocks, Paragraph(_("The library is empty so far."))]
    blocks.append(
        Table(
            caption=_("Documents reviewed"),
            header=(_("Document"), _("Author or publisher"), _("Year"), _("Type")),
            column_widths_cm=(7.0, 4.8, 1.4, 2.8),
            rows=tuple(
                (entry.title, entry.authors, str(entry.year or ""), str(kinds.get(entry.kind, entry.kind)))
                for entry in entries
            ),
        )
    )
    for entry in entries:
        if entry.summary:
            blocks.append(Paragraph(f"**{entry.title}** ({entry.year or _('n.d.')}). {entry.summary}"))
    return blocks


def _legal_review(workspace: Workspace, language: str) -> list[Block]:
    summaries = legal_review_summary(workspace, language)
    blocks: list[Block] = [Heading(_("Legal framework"), 1)]
    if not summaries:
        return [*blocks, Paragraph(_("No national instrument has been reviewed yet."))]
    chapters = [chapter.title for chapter in summaries[0].chapters]
    blocks += [
        Paragraph(
            _(
                "Each instrument was reviewed against a 20-item checklist drawn from the UN Trafficking in "
                "Persons Protocol and recognised benchmarks. The score counts an item met as 1 and partly met "
                "as 0.5, over the items assessed."
            )
        ),
        Table(
            caption=_("Legal review scores by chapter of the checklist"),
            header=(_("Instrument"), *chapters, _("Overall")),
            column_widths_cm=(3.6, *([10.4 / max(len(chapters), 1)] * len(chapters)), 2.0),
            rows=tuple(
                (
                    str(summary.instrument),
                    *(_percent(chapter.score) for chapter in summary.chapters),
                    _percent(summary.score),
                )
                for summary in summaries
            ),
        ),
    ]
    gaps = legal_gaps(workspace, language)
    if gaps:
        blocks.append(
            Table(
                caption=_("Gaps in the legal framework"),
                header=(_("Item"), _("Requirement"), _("Best status"), _("Where"), _("Note")),
                rows=tuple(
                    (
                        f"{gap.item_code} {gap.title}",
                        gap.requirement,
                        _status(gap.best_status),
                        str(gap.best.instrument),
                        gap.best.assessment.note,
                    )
                    for gap in gaps
                ),
                column_widths_cm=(3.2, 5.4, 2.0, 2.4, 3.0),
            )
        )
    return blocks


def _timeline_chart(rows: Sequence[tuple[str, dt.date, dt.date]]) -> GanttChart:
    return GanttChart(
        title=_("Programme timeline"),
        tasks=tuple(GanttTask(label=label, start=start, end=end) for label, start, end in rows),
    )


def _timeline(workspace: Workspace) -> tuple[list[Block], GanttChart | None]:
    rows = inception_timeline(workspace)
    blocks: list[Block] = [Heading(_("Timeline"), 1)]
    if not rows:
        return [*blocks, Paragraph(_("The timeline has not been set yet."))], None
    chart = _timeline_chart(rows)
    blocks += [
        Figure(_("Programme phases over the plan period"), _chart_png(chart)),
        Table(
            caption=_("Phases and dates"),
            header=(_("Phase"), _("Start"), _("End")),
            rows=tuple(
                (label, formats.date_format(start, "j M Y"), formats.date_format(end, "j M Y"))
                for label, start, end in rows
            ),
        ),
    ]
    return blocks, chart


def _tools_and_risks() -> list[Block]:
    return [
        Heading(_("Data-collection tools"), 1),
        Paragraph(_("The following tools are annexed to this report once validated:")),
        BulletList(
            (
                _(
                    "Annex 1 – Training needs survey questionnaire (XLSForm for KoboToolbox / ODK, and a "
                    "printable version)."
                ),
                _("Annex 2 – Key-informant interview guide."),
                _("Annex 3 – Focus-group discussion guide."),
                _("Annex 4 – Consent statement and data protection note."),
            )
        ),
        Heading(_("Risks and mitigation"), 1),
        Table(
            caption=_("Risks and how they are managed"),
            header=(_("Risk"), _("Mitigation")),
            rows=(
                (
                    _("Low response to the survey from busy frontline units."),
                    _("Focal points in each organisation; survey on phones and on paper; reminders."),
                ),
                (
                    _("Sensitive information about cases or victims."),
                    _("No case data collected; anonymised notes; small groups suppressed in results."),
                ),
                (
                    _("Remote locations (e.g. outer islands) under-represented."),
                    _("A minimum number of respondents per organisation and location; remote interviews."),
                ),
                (
                    _("Staff turnover after the training."),
                    _("Training of trainers and handover of the plan to the national coordinating body."),
                ),
            ),
            column_widths_cm=(7.5, 8.5),
        ),
    ]


def _inception_meeting(workspace: Workspace) -> list[Block]:
    meeting = Meeting.objects.filter(workspace=workspace, kind="inception_meeting").order_by("-date").first()
    if meeting is None:
        return []
    summary = attendance_summary(meeting)
    blocks: list[Block] = [
        Heading(_("Inception meeting"), 1),
        Paragraph(
            _("The inception meeting took place on %(date)s in %(place)s with %(count)s participants.")
            % {
                "date": formats.date_format(meeting.date, "j F Y"),
                "place": meeting.place or "—",
                "count": _number(summary.total),
            }
        ),
    ]
    decisions = [decision.text for decision in meeting.decisions.all()]
    if decisions:
        blocks += [Paragraph(_("Decisions:")), BulletList(tuple(decisions))]
    actions = list(meeting.action_points.all())
    if actions:
        blocks.append(
            Table(
                caption=_("Action points agreed at the inception meeting"),
                header=(_("Action"), _("Owner"), _("Due"), _("Status")),
                rows=tuple(
                    (
                        action.text,
                        action.owner or "—",
                        formats.date_format(action.due_date, "j M Y") if action.due_date else "—",
                        str(action.get_status_display()),
                    )
                    for action in actions
                ),
                column_widths_cm=(8.0, 3.6, 2.4, 2.0),
            )
        )
    return blocks


# --- Assembly ------------------------------------------------------------------------------------------


def inception_report(workspace: Workspace, *, language: str = "en") -> tuple[Report, dict[str, Chart]]:
    with translation.override(language):
        country = country_name(workspace.country, language)
        mapping_blocks, charts = _stakeholder_mapping(workspace)
        timeline_blocks, gantt = _timeline(workspace)
        if gantt is not None:
            charts = {**charts, "timeline": gantt}
        blocks: list[Block] = [
            *_introduction(workspace, country),
            *_methodology(workspace),
            PageBreak(),
            *mapping_blocks,
            PageBreak(),
            *_literature(workspace),
            *_legal_review(workspace, language),
            *timeline_blocks,
            *_tools_and_risks(),
            *_inception_meeting(workspace),
        ]
        report = Report(
            title=_("Inception report"),
            subtitle=_("National counter-trafficking capacity development programme — %(country)s")
            % {"country": country},
            organisation=workspace.name,
            date_text=formats.date_format(timezone.localdate(), "j F Y"),
            version_text=_("Draft for discussion at the inception meeting"),
            blocks=tuple(blocks),
            language=language,
        )
    return report, charts


def _largest_rows(table: Table, *, keep: int) -> Table:
    """The ``keep`` organisations with the most respondents, the others summed on one line, and the total
    (the last row), so the slide fits on one page."""
    body, total = list(table.rows[:-1]), table.rows[-1]
    if len(body) <= keep:
        return table

    def respondents(row: tuple[str, ...]) -> int:
        return int("".join(ch for ch in row[-1] if ch.isdigit()) or 0)

    body.sort(key=respondents, reverse=True)
    rest = body[keep:]
    others = ngettext("%(count)s other organisation", "%(count)s other organisations", len(rest)) % {
        "count": len(rest)
    }
    summed = [
        _number(sum(int("".join(ch for ch in row[index] if ch.isdigit()) or 0) for row in rest))
        for index in range(1, len(table.header))
    ]
    return Table(table.caption, table.header, (*body[:keep], (others, *summed), total))


def inception_deck(
    workspace: Workspace, report: Report, charts: dict[str, Chart], *, language: str = "en"
) -> Deck:
    tables = [block for block in report.blocks if isinstance(block, Table)]
    by_caption = {table.caption: table for table in tables}
    with translation.override(language):
        slides = [
            Slide(
                _("Why this programme"),
                bullets=tuple(
                    item for block in report.blocks if isinstance(block, BulletList) for item in block.items
                )[:4],
            ),
            Slide(
                _("How we will assess training needs"),
                bullets=(
                    _("Three levels: national, institutional, individual"),
                    _("Survey, key-informant interviews, focus groups"),
                    _("Needs ranked by Borich score and Locus for Focus"),
                    _("Consent, anonymity, small groups suppressed"),
                ),
            ),
        ]
        sampling = by_caption.get(_("Survey respondents planned per organisation"))
        if sampling is not None:
            slides.append(Slide(_("Who will answer the survey"), table=_largest_rows(sampling, keep=10)))
        slides += [
            Slide(_("Stakeholders: influence and interest"), image_png=_chart_png(charts["grid"])),
            Slide(_("Referral network"), image_png=_chart_png(charts["network"])),
        ]
        gaps = by_caption.get(_("Gaps in the legal framework"))
        if gaps is not None:
            slides.append(
                Slide(
                    _("Gaps in the legal framework"),
                    table=Table(
                        gaps.caption,
                        (gaps.header[0], gaps.header[2]),
                        tuple((row[0], row[2]) for row in gaps.rows),
                    ),
                )
            )
        if "timeline" in charts:
            slides.append(Slide(_("Timeline"), image_png=_chart_png(charts["timeline"])))
        slides.append(
            Slide(
                _("For discussion today"),
                bullets=(
                    _("Are the right institutions in the registry?"),
                    _("Do you agree with the legal gaps identified?"),
                    _("Who will be the focal point for the survey in your organisation?"),
                    _("Is the timeline realistic?"),
                ),
            )
        )
        return Deck(
            title=report.subtitle, subtitle=f"{report.title} · {report.date_text}", slides=tuple(slides)
        )


def inception_documents(workspace: Workspace, *, language: str = "en") -> InceptionDocuments:
    """The report as a Word file (with the workspace's own template when one was uploaded) and the deck."""
    report, charts = inception_report(workspace, language=language)
    deck = inception_deck(workspace, report, charts, language=language)
    with translation.override(language):
        labels = DocxLabels(
            table=_("Table"),
            figure=_("Figure"),
            page=_("Page"),
            of=_("of"),
            caption_separator=" : " if language == "fr" else ": ",
        )
        continued = _("(continued)")
    docx = write_docx(report, template=report_template_for(workspace, REPORT_KIND), labels=labels)
    pptx = write_pptx(deck, continued_label=continued)
    return InceptionDocuments(docx=docx, pptx=pptx, report=report, deck=deck)
