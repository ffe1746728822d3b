"""The documents of a National Action Plan: the plan itself (DOCX), the summary deck for the Technical
Committee and the validation meeting (PPTX) and the budget workbook with live formulas (XLSX), in English
or French.

Everything comes from one read of the plan (:func:`nap_doc_data`): the plan as core dataclasses
(:func:`ctip.web.nap.selectors.nap_core`), its budget (:func:`ctip.core.nap.budget.budget`), its
coordination bodies, and the desk review and TNA of the workspace for the situation analysis. The plan is
written into the workspace's own Word template when one was uploaded (the letterhead of the inception
report), otherwise the default one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.errors import DomainError
from ctip.core.nap.budget import budget
from ctip.core.workspace_profile import country_name
from ctip.formats.charts import OrgBox, OrgChart
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import Block, Report
from ctip.formats.documents.pptx_writer import Deck, write_pptx
from ctip.formats.nap_workbook import write_nap_workbook
from ctip.web.desk_review.selectors import key_findings, legal_gaps, legal_review_summary
from ctip.web.inception.selectors import report_template_for
from ctip.web.nap import report_sections as sections
from ctip.web.nap.models import ActionPlan, CoordinationBody
from ctip.web.nap.report_deck import nap_deck
from ctip.web.nap.report_sections import Body, NapDocData
from ctip.web.nap.selectors import nap_core
from ctip.web.needs.data import analysis_for, default_instrument
from ctip.web.tna.services import instrument_of

TEMPLATE_KIND = "inception_report"
LANGUAGES = ("en", "fr")
TOP_PRIORITIES = 5


@dataclass(frozen=True)
class NapDocuments:
    docx: bytes
    pptx: bytes
    xlsx: bytes


def _bodies(plan: ActionPlan) -> tuple[Body, ...]:
    found = list(
        CoordinationBody.objects.filter(plan=plan)
        .select_related("chair", "reports_to", "pillar")
        .prefetch_related("members")
        .order_by("position", "id")
    )
    kinds = dict(CoordinationBody._meta.get_field("kind").flatchoices)
    return tuple(
        Body(
            name=body.name,
            kind=str(kinds.get(body.kind, body.kind)),
            chair=(body.chair.name if body.chair else body.chair_name),
            members=tuple(member.acronym or member.name for member in body.members.all()),
            meets=body.meeting_frequency,
            reports_to=body.reports_to.name if body.reports_to else "",
            pillar=f"{body.pillar.code} {body.pillar.title}" if body.pillar else "",
            mandate=body.mandate,
        )
        for body in found
    )


def _orgchart(plan: ActionPlan) -> bytes | None:
    """The coordination structure as a picture; ``None`` without bodies or when they report in a loop."""
    found = list(
        CoordinationBody.objects.filter(plan=plan).select_related("chair").order_by("position", "id")
    )
    if not found:
        return None
    try:
        chart = OrgChart(
            title=_("Coordination structure"),
            boxes=tuple(
                OrgBox(
                    id=str(body.pk),
                    label=body.name,
                    parent=str(body.reports_to_id) if body.reports_to_id else "",
                    detail=(body.chair.name if body.chair else body.chair_name),
                    group=body.kind,
                )
                for body in found
            ),
        )
    except ValueError:
        return None
    return sections.png(chart)


def _tna(plan: ActionPlan, language: str) -> tuple[tuple[tuple[str, float | None], ...], str]:
    workspace = plan.workspace
    instrument = default_instrument(workspace)
    if instrument is None:
        return (), _("No training needs assessment has been recorded in this workspace yet.")
    built = instrument_of(instrument)
    titles = {
        competency.code: (competency.title.fr or competency.title.en)
        if language == "fr"
        else competency.title.en
        for competency in built.competencies
    }
    try:
        _data, analysis = analysis_for(workspace, instrument, filters={}, by=())
    except DomainError as error:
        return (), error.render(_)
    ranked = [item for item in analysis.items if item.rank is not None and (item.mwds or 0) > 0]
    priorities = tuple((titles.get(item.code, item.code), item.mwds) for item in ranked[:TOP_PRIORITIES])
    note = _("The largest training needs, from the answers of %(n)s staff to “%(title)s”:") % {
        "n": sections.number(analysis.n_respondents),
        "title": instrument.title,
    }
    if not priorities:
        note = _("The training needs assessment “%(title)s” has no answers showing a need yet.") % {
            "title": instrument.title
        }
    return priorities, note


def nap_doc_data(plan: ActionPlan, language: str) -> NapDocData:
    """Everything the documents need, read once; call it inside ``translation.override(language)``."""
    workspace = plan.workspace
    nap = nap_core(plan)
    status_labels = {"not_met": _("Not met"), "partly_met": _("Partly met")}
    priorities, note = _tna(plan, language)
    return NapDocData(
        title=plan.title,
        organisation=workspace.name,
        country=country_name(workspace.country, language),
        status=plan.get_status_display(),
        currency=plan.currency,
        language=language,
        nap=nap,
        budget=budget(nap),
        bodies=_bodies(plan),
        legal_scores=tuple(
            (summary.instrument.short_name or summary.instrument.title, summary.score)
            for summary in legal_review_summary(workspace, language)
        ),
        legal_gaps=tuple(
            (gap.item_code, gap.title, status_labels.get(gap.best_status, gap.best_status))
            for gap in legal_gaps(workspace, language)
        ),
        findings=tuple(
            (
                finding.statement,
                f"{finding.reference.title}, {finding.location}"
                if finding.location
                else finding.reference.title,
            )
            for finding in key_findings(workspace)[: sections.TOP_FINDINGS]
        ),
        tna_priorities=priorities,
        tna_note=note,
        orgchart_png=_orgchart(plan),
    )


def nap_report(d: NapDocData) -> Report:
    """The plan's content (call inside ``translation.override(d.language)``)."""
    blocks: list[Block] = [
        *sections.foreword_section(d),
        *sections.introduction_section(d),
        *sections.situation_section(d),
        *sections.principles_section(d),
        *sections.framework_section(d),
        *sections.matrix_section(d),
        *sections.monitoring_section(d),
        *sections.coordination_section(d),
        *sections.budget_section(d),
        *sections.annex_section(d),
    ]
    return Report(
        title=d.title,
        subtitle=_("National Action Plan against trafficking in persons — %(country)s, %(start)s–%(end)s")
        % {"country": d.country, "start": d.nap.period_start, "end": d.nap.period_end},
        organisation=d.organisation,
        date_text=formats.date_format(timezone.localdate(), "j F Y"),
        version_text=d.status,
        blocks=tuple(blocks),
        language=d.language,
    )


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


def _labels(language: str) -> DocxLabels:
    return DocxLabels(
        table=_("Table"),
        figure=_("Figure"),
        page=_("Page"),
        of=_("of"),
        caption_separator=" : " if language == "fr" else ": ",
    )


def nap_docx(plan: ActionPlan, language: str = "en") -> bytes:
    """The National Action Plan as a Word file."""
    language = _language(language)
    with translation.override(language):
        report = nap_report(nap_doc_data(plan, language))
        labels = _labels(language)
    return write_docx(report, template=report_template_for(plan.workspace, TEMPLATE_KIND), labels=labels)


def nap_deck_pptx(plan: ActionPlan, language: str = "en") -> bytes:
    """The summary deck for the Technical Committee and the validation meeting."""
    language = _language(language)
    with translation.override(language):
        deck: Deck = nap_deck(nap_doc_data(plan, language))
        continued = _("(continued)")
    return write_pptx(deck, continued_label=continued)


def nap_workbook_xlsx(plan: ActionPlan, language: str = "en") -> bytes:
    """The budget workbook with live formulas."""
    language = _language(language)
    with translation.override(language):
        nap = nap_core(plan)
    return write_nap_workbook(nap, language=language, currency=plan.currency)


def nap_documents(plan: ActionPlan, language: str = "en") -> NapDocuments:
    """The three documents from one read of the plan."""
    language = _language(language)
    with translation.override(language):
        d = nap_doc_data(plan, language)
        report = nap_report(d)
        deck = nap_deck(d)
        labels = _labels(language)
        continued = _("(continued)")
    return NapDocuments(
        docx=write_docx(report, template=report_template_for(plan.workspace, TEMPLATE_KIND), labels=labels),
        pptx=write_pptx(deck, continued_label=continued),
        xlsx=write_nap_workbook(d.nap, language=language, currency=plan.currency),
    )
