"""The annex workbook of the TNA report: every table of the report and every breakdown, one sheet each.

Numbers are written as numbers (statistics to four decimals, shares as per cent) so that they can be sorted
and charted again; suppressed cells say "n<5" (or "hidden") as in the report. The first sheet says what the
workbook holds and how the numbers were computed.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ctip.core.needs import describe_methods
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.needs import report_background as background
from ctip.web.needs import report_tables as tables
from ctip.web.needs.report_content import NeedsReportData, ReportTable
from ctip.web.needs.report_recommendations import recommendation_table

SHEET_NAME_LENGTH = 31
"""Excel's limit on a sheet's name."""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _statistics_sheet(d: NeedsReportData) -> Sheet:
    """Every statistic of every competency, as computed."""
    labels = d.labels
    return Sheet(
        name=_("All statistics"),
        header=(
            _("Rank"),
            _("Tied"),
            _("Code"),
            _("Competency"),
            _("Pillar"),
            _("Level"),
            _("Respondents"),
            _("Importance"),
            _("Competence"),
            _("Gap"),
            _("Gap: CI low"),
            _("Gap: CI high"),
            _("With a gap (%)"),
            _("MWDS"),
            _("Quadrant"),
            _("Priority"),
            _("Non-zero differences"),
            _("Wilcoxon W+"),
            _("z"),
            _("p"),
            _("Adjusted p"),
        ),
        rows=[
            [
                item.rank,
                _("yes") if item.tied else "",
                item.code,
                labels.title(item),
                labels.pillar(item.group),
                labels.level(item.level),
                item.n,
                _round(item.mean_importance),
                _round(item.mean_competence),
                _round(item.mean_discrepancy),
                _round(item.discrepancy_ci[0]) if item.discrepancy_ci else None,
                _round(item.discrepancy_ci[1]) if item.discrepancy_ci else None,
                None if item.share_with_need is None else round(item.share_with_need * 100, 1),
                _round(item.mwds),
                item.quadrant.value if item.quadrant is not None else "",
                item.priority,
                item.test.n_nonzero,
                _round(item.test.statistic),
                _round(item.test.z),
                item.test.p_value,
                item.test.p_adjusted,
            ]
            for item in d.analysis.items
        ],
    )


def _reliability_items_sheet(d: NeedsReportData) -> Sheet:
    ratings = {"importance": _("Importance"), "competence": _("Competence")}
    return Sheet(
        name=_("Reliability by competency"),
        header=(
            _("Pillar"),
            _("Rating"),
            _("Code"),
            _("Competency"),
            _("Mean"),
            _("Standard deviation"),
            _("Item–rest correlation"),
            _("Alpha if deleted"),
        ),
        rows=[
            [
                d.labels.pillar(scale.group),
                ratings.get(scale.rating, scale.rating),
                item.code,
                d.labels.title(item.code),
                _round(item.mean),
                _round(item.sd),
                _round(item.item_rest_correlation),
                _round(item.alpha_if_deleted),
            ]
            for scale in d.analysis.reliability
            for item in scale.items
        ],
    )


def _review_sheet(d: NeedsReportData) -> Sheet:
    reasons = {
        "alpha_if_deleted_rises": _("The pillar’s alpha rises without it"),
        "near_constant": _("Nearly everyone gave the same answer"),
    }
    return Sheet(
        name=_("Instrument review"),
        header=(_("Code"), _("Competency"), _("Rating"), _("Reason"), _("Value")),
        rows=[
            [
                flag.code,
                d.labels.title(flag.code),
                flag.rating,
                reasons.get(flag.reason, flag.reason),
                _round(flag.value),
            ]
            for flag in d.analysis.review
        ],
    )


def annex_tables(d: NeedsReportData) -> list[ReportTable]:
    """The report's tables in the order of the report, then every breakdown in full."""
    found = [
        background.sample_table(d, detailed=True),
        background.profile_table(d),
        tables.reliability_table(d),
        tables.priority_table(d),
        tables.pillar_table(d),
        tables.sex_table(d),
        tables.location_table(d),
        background.triangulation_table(d),
        background.national_answers_table(d),
        tables.institution_table(d),
        background.institutional_answers_table(d),
        tables.individual_table(d),
        background.registry_trainings_table(d),
        background.training_effect_table(d),
        recommendation_table(d) if d.top else None,
        *(tables.disaggregation_table(d, disaggregation) for disaggregation in d.analysis.disaggregations),
    ]
    return [table for table in found if table is not None]


def _unique_names(sheets: list[Sheet]) -> list[Sheet]:
    """Sheet names cut to Excel's length and made unique, so the contents sheet names them as Excel shows
    them."""
    taken: set[str] = set()
    result = []
    for sheet in sheets:
        base = sheet.name.replace("/", "-")[:SHEET_NAME_LENGTH]
        name, counter = base, 2
        while name.casefold() in taken:
            suffix = f" ({counter})"
            name, counter = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, counter + 1
        taken.add(name.casefold())
        result.append(Sheet(name=name, header=sheet.header, rows=sheet.rows, column_notes=sheet.column_notes))
    return result


def needs_annex(d: NeedsReportData) -> bytes:
    """The workbook (call inside ``translation.override(d.language)``)."""
    report_tables = annex_tables(d)
    sheets = _unique_names(
        [
            *(table.annex() for table in report_tables),
            _statistics_sheet(d),
            _reliability_items_sheet(d),
            _review_sheet(d),
        ]
    )
    captions = [table.caption for table in report_tables] + [
        _("Every statistic of every competency"),
        _("Reliability: each competency within its pillar"),
        _("Competencies to review in the instrument"),
    ]
    options = d.analysis.options
    about = [
        [_("Workspace"), d.workspace.name],
        [_("Survey instrument"), d.instrument.title],
        [_("Respondents"), d.analysis.n_respondents],
        [_("Written on"), formats.date_format(timezone.localdate(), "j F Y")],
        [_("Weighting"), options.weighting.value],
        [_("p-value adjustment"), options.adjustment.value],
        [_("Missing answers in reliability"), options.missing.value],
        [_("Confidence level"), options.confidence],
        [_("Smallest group shown"), options.min_cell],
        *([name, text] for name, text in describe_methods(options, _).items()),
        *(
            [_("Sheet: %(name)s") % {"name": sheet.name}, caption]
            for sheet, caption in zip(sheets, captions, strict=True)
        ),
    ]
    contents = Sheet(name=_("About"), header=(_("Item"), _("Value")), rows=about)
    return write_xlsx([contents, *sheets])
