"""The TNA report (DOCX), its annex (XLSX) and the validation-workshop deck (PPTX).

Everything the documents say comes from one analysis of the chosen survey instrument
(:func:`~ctip.web.needs.report_content.needs_report_data`); the wording is marked for translation so the
documents can be produced in English or French. The report is written into the workspace's own Word template
when one was uploaded (the one of the inception report: one letterhead for the programme), otherwise the
default one. The report holds aggregates only: groups smaller than the analysis' ``min_cell`` are suppressed
and the individual level is shown as counts. The sections are worded in :mod:`.report_sections`, the tables
built in :mod:`.report_tables` and :mod:`.report_background`, the figures in :mod:`.report_charts`, the
annex in :mod:`.report_annex` and the deck in :mod:`.report_deck`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.workspace_profile import country_name
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import Block, Report
from ctip.formats.documents.pptx_writer import Deck, write_pptx
from ctip.web.accounts.models import Workspace
from ctip.web.inception.selectors import report_template_for
from ctip.web.needs import report_sections as sections
from ctip.web.needs.report_content import NeedsReportData, needs_report_data
from ctip.web.tna.models import SurveyInstrument

TEMPLATE_KIND = "inception_report"
"""The workspace's Word template: the letterhead uploaded on the inception report page serves every report."""


@dataclass(frozen=True)
class NeedsDocuments:
    docx: bytes
    xlsx: bytes
    pptx: bytes
    report: Report
    deck: Deck


# --- Assembly ------------------------------------------------------------------------------------------


def needs_report(d: NeedsReportData) -> Report:
    """The report's content (call inside ``translation.override(d.language)``)."""
    country = country_name(d.workspace.country, d.language)
    blocks: list[Block] = [
        *sections.summary_section(d),
        *sections.methodology_section(d),
        *sections.reliability_section(d),
        *sections.findings_section(d),
        *sections.qualitative_section(d),
        *sections.levels_section(d),
        *sections.prior_trainings_section(d),
        *sections.recommendations_section(d),
    ]
    return Report(
        title=_("Training needs assessment report"),
        subtitle=_("National counter-trafficking capacity development programme — %(country)s")
        % {"country": country},
        organisation=d.workspace.name,
        date_text=formats.date_format(timezone.localdate(), "j F Y"),
        version_text=_("Draft for the validation workshop"),
        blocks=tuple(blocks),
        language=d.language,
    )


def _docx_labels(language: str) -> DocxLabels:
    return DocxLabels(
        table=_("Table"),
        figure=_("Figure"),
        page=_("Page"),
        of=_("of"),
        caption_separator=" : " if language == "fr" else ": ",
    )


def needs_report_docx(workspace: Workspace, instrument: SurveyInstrument, *, language: str = "en") -> bytes:
    """The report as a Word file, in the workspace's own template when one was uploaded."""
    with translation.override(language):
        report = needs_report(needs_report_data(workspace, instrument, language=language))
        labels = _docx_labels(language)
    return write_docx(report, template=report_template_for(workspace, TEMPLATE_KIND), labels=labels)


def needs_annex_xlsx(workspace: Workspace, instrument: SurveyInstrument, *, language: str = "en") -> bytes:
    """The annex workbook: every table of the report and every breakdown, with numbers as numbers."""
    from ctip.web.needs.report_annex import needs_annex

    with translation.override(language):
        return needs_annex(needs_report_data(workspace, instrument, language=language))


def needs_deck_pptx(workspace: Workspace, instrument: SurveyInstrument, *, language: str = "en") -> bytes:
    """The validation-workshop deck."""
    from ctip.web.needs.report_deck import needs_deck

    with translation.override(language):
        deck = needs_deck(needs_report_data(workspace, instrument, language=language))
        continued = _("(continued)")
    return write_pptx(deck, continued_label=continued)


def needs_documents(
    workspace: Workspace, instrument: SurveyInstrument, *, language: str = "en"
) -> NeedsDocuments:
    """The report, the annex and the deck from one analysis (for ``ctip demo``)."""
    from ctip.web.needs.report_annex import needs_annex
    from ctip.web.needs.report_deck import needs_deck

    with translation.override(language):
        d = needs_report_data(workspace, instrument, language=language)
        report = needs_report(d)
        deck = needs_deck(d)
        xlsx = needs_annex(d)
        labels = _docx_labels(language)
        continued = _("(continued)")
    docx = write_docx(report, template=report_template_for(workspace, TEMPLATE_KIND), labels=labels)
    pptx = write_pptx(deck, continued_label=continued)
    return NeedsDocuments(docx=docx, xlsx=xlsx, pptx=pptx, report=report, deck=deck)
