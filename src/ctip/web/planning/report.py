"""The capacity development plan of one scenario: the plan (DOCX), its workbook with live formulas (XLSX)
and the validation-workshop deck (PPTX), in English or French.

Everything comes from one read of the scenario (:func:`~ctip.web.planning.report_content.plan_report_data`):
the sessions as they are now, the last solve's result, the catalogue, the segments and their demand, the
TNA's largest needs and the M&E framework. The plan is written into the workspace's own Word template when
one was uploaded (the letterhead of the inception report), otherwise the default one. The sections are
worded in :mod:`.report_sections` and :mod:`.report_framework`, the figures drawn in :mod:`.report_charts`,
the deck built in :mod:`.report_deck` and the workbook written by :mod:`ctip.formats.plan_workbook`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.workspace_profile import country_name
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import Block, Report
from ctip.formats.documents.pptx_writer import Deck, write_pptx
from ctip.formats.plan_workbook import PlanWorkbook, ScheduleRow, SeatRow, SegmentRow, write_plan_workbook
from ctip.web.accounts.models import Workspace
from ctip.web.inception.selectors import report_template_for
from ctip.web.planning import report_framework as framework
from ctip.web.planning import report_sections as sections
from ctip.web.planning.models import PlanScenario
from ctip.web.planning.report_content import PlanReportData, plan_report_data
from ctip.web.planning.report_deck import plan_deck

TEMPLATE_KIND = "inception_report"
"""The workspace's Word template: the letterhead uploaded on the inception report page serves every report."""


@dataclass(frozen=True)
class PlanDocuments:
    docx: bytes
    xlsx: bytes
    pptx: bytes
    report: Report
    deck: Deck


def adopted_scenario(workspace: Workspace) -> PlanScenario | None:
    """The scenario the documents describe by default: the adopted one."""
    return PlanScenario.objects.filter(workspace=workspace, is_adopted=True).order_by("created_at").first()


def plan_report(d: PlanReportData) -> Report:
    """The plan's content (call inside ``translation.override(d.language)``)."""
    blocks: list[Block] = [
        *sections.summary_section(d),
        *sections.rationale_section(d),
        *sections.catalogue_section(d),
        *sections.schedule_section(d),
        *sections.targets_section(d),
        *sections.budget_section(d),
        *sections.unmet_section(d),
        *framework.monitoring_section(d),
        *framework.ownership_section(d),
        *framework.risks_section(d),
    ]
    return Report(
        title=_("Capacity development plan"),
        subtitle=_("National counter-trafficking capacity development programme — %(country)s")
        % {"country": country_name(d.workspace.country, d.language)},
        organisation=d.workspace.name,
        date_text=formats.date_format(timezone.localdate(), "j F Y"),
        version_text=_("Scenario “%(scenario)s” — draft for the validation workshop")
        % {"scenario": d.scenario.name},
        blocks=tuple(blocks),
        language=d.language,
    )


def plan_workbook(d: PlanReportData) -> bytes:
    """The workbook (call inside ``translation.override(d.language)``: pillars and trainers are labels)."""
    return write_plan_workbook(
        PlanWorkbook(
            sessions=tuple(
                ScheduleRow(
                    quarter=session.quarter,
                    module_code=session.module.code,
                    module_title=d.module_title(session.module),
                    pillar=d.pillar_label(session.module.pillar),
                    location=session.location,
                    trainer=sections.trainer_label(session.trainer),
                    cost_per_session=session.cost_per_session,
                    cost_per_participant=session.cost_per_participant,
                    seats=tuple(SeatRow(code, women, men) for code, women, men in session.seats),
                )
                for session in d.sessions
            ),
            segments=tuple(
                SegmentRow(
                    code=segment.code,
                    organisation=segment.organisation.acronym or segment.organisation.name,
                    role_group=segment.role_group,
                    location=segment.location,
                )
                for segment in d.segments
            ),
            pillars=tuple(
                dict.fromkeys(
                    [label for _code, label in d.pillars]
                    + [d.pillar_label(session.module.pillar) for session in d.sessions]
                )
            ),
            years=d.years,
            budget_per_year=d.parameters.budget_per_year,
            currency=d.currency,
            language=d.language,
        )
    )


def _docx_labels(language: str) -> DocxLabels:
    return DocxLabels(
        table=_("Table"),
        figure=_("Figure"),
        page=_("Page"),
        of=_("of"),
        caption_separator=" : " if language == "fr" else ": ",
    )


def plan_report_docx(workspace: Workspace, scenario: PlanScenario, *, language: str = "en") -> bytes:
    with translation.override(language):
        report = plan_report(plan_report_data(workspace, scenario, language=language))
        labels = _docx_labels(language)
    return write_docx(report, template=report_template_for(workspace, TEMPLATE_KIND), labels=labels)


def plan_workbook_xlsx(workspace: Workspace, scenario: PlanScenario, *, language: str = "en") -> bytes:
    with translation.override(language):
        return plan_workbook(plan_report_data(workspace, scenario, language=language))


def plan_deck_pptx(workspace: Workspace, scenario: PlanScenario, *, language: str = "en") -> bytes:
    with translation.override(language):
        deck = plan_deck(plan_report_data(workspace, scenario, language=language))
        continued = _("(continued)")
    return write_pptx(deck, continued_label=continued)


def plan_documents(workspace: Workspace, scenario: PlanScenario, *, language: str = "en") -> PlanDocuments:
    """The plan, the workbook and the deck from one read of the scenario."""
    with translation.override(language):
        d = plan_report_data(workspace, scenario, language=language)
        report = plan_report(d)
        deck = plan_deck(d)
        xlsx = plan_workbook(d)
        labels = _docx_labels(language)
        continued = _("(continued)")
    docx = write_docx(report, template=report_template_for(workspace, TEMPLATE_KIND), labels=labels)
    pptx = write_pptx(deck, continued_label=continued)
    return PlanDocuments(docx=docx, xlsx=xlsx, pptx=pptx, report=report, deck=deck)
