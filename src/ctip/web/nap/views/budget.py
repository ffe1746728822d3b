"""The NAP's gender-responsive budget, its checks panel and its coverage of findings.

- ``nap-budget``: per currency, the totals, the funding gap, the share of spending with gender marker 1
  and 2, and the roll-ups by pillar, year, pillar × year, lead agency, gender marker and funding source
  (tables and bar charts); then the budget's warnings, each linking to the activity to fix.
- ``nap-checks``: every flag of ``ctip.core.nap.checks.check_nap`` (with the plan's capacity per quarter
  and unfunded threshold, the workspace's legal gaps as the Palermo checklist items to cover, and the
  elements' citations), grouped by kind, errors first, counts at the top.
- ``nap-coverage``: the workspace's legal gaps and top TNA needs that no element cites, the elements that
  rest on no finding, and citations of findings no longer listed.

All three read the plan through ``selectors.nap_core`` and link flags through
``selectors.elements_by_path``; every number comes from ``ctip.core.nap``. Money is ``Decimal`` from the
database to the page, shown with the currency's minor units (no decimals for RWF).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.nap.budget import BudgetFlag, CurrencyBudget, budget, minor_units, round_money, share
from ctip.core.nap.checks import CheckFlag, check_nap
from ctip.core.nap.coverage import Citations, CoverageItem, coverage
from ctip.core.nap.model import Flag, FundingSource, GenderMarker, Nap, Severity, parent_path
from ctip.formats.charts import render_svg
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.desk_review.selectors import LegalGap, legal_gaps
from ctip.web.nap import charts, selectors
from ctip.web.nap.models import ActionPlan, NapElement
from ctip.web.nap.views import plan_of
from ctip.web.needs.data import analysis_for, default_instrument

TOP_NEEDS = 10
"""How many of the TNA's highest-ranked needs (by MWDS) the coverage view expects the plan to address."""

KIND_LABELS: dict[str, str] = {
    CheckFlag.PILLAR_WITHOUT_ACTIVITY: gettext_lazy("Pillars with no activity"),
    CheckFlag.CHECKLIST_ITEM_WITHOUT_ACTIVITY: gettext_lazy("Legal gaps with no activity"),
    CheckFlag.ACTIVITY_WITHOUT_LEAD: gettext_lazy("Activities with no lead agency"),
    CheckFlag.ACTIVITY_WITHOUT_TIMELINE: gettext_lazy("Activities with no timeline"),
    CheckFlag.ACTIVITY_WITHOUT_COST: gettext_lazy("Activities with no cost"),
    CheckFlag.ACTIVITY_OUTSIDE_PERIOD: gettext_lazy("Activities outside the plan's period"),
    CheckFlag.OUTCOME_WITHOUT_INDICATOR: gettext_lazy("Outcomes with no indicator"),
    CheckFlag.OUTPUT_WITHOUT_INDICATOR: gettext_lazy("Outputs with no indicator"),
    CheckFlag.INDICATOR_NOT_SMART: gettext_lazy("Indicators that are not SMART"),
    CheckFlag.AGENCY_OVER_CAPACITY: gettext_lazy("Agencies leading too many activities in a quarter"),
    CheckFlag.UNFUNDED_SHARE_HIGH: gettext_lazy("Unfunded share too high"),
    CheckFlag.SCHEDULED_BEFORE_DEPENDENCY: gettext_lazy("Activities scheduled before what they depend on"),
    CheckFlag.UNKNOWN_DEPENDENCY: gettext_lazy("Dependencies on activities not in the plan"),
    CheckFlag.DEPENDENCY_CYCLE: gettext_lazy("Activities depending on each other in a circle"),
    BudgetFlag.WOMEN_OR_GIRLS_MARKED_ZERO: gettext_lazy("Lines for women or girls marked 0"),
    BudgetFlag.MARKER_WITHOUT_JUSTIFICATION: gettext_lazy("Gender markers without a justification"),
    BudgetFlag.NO_SEX_DISAGGREGATION: gettext_lazy("Beneficiaries not recorded by sex"),
    BudgetFlag.MIXED_CURRENCIES: gettext_lazy("Costs in several currencies"),
    BudgetFlag.MISSING_RATE: gettext_lazy("Exchange rates missing"),
    BudgetFlag.UNKNOWN_CURRENCY: gettext_lazy("Currencies not listed"),
    BudgetFlag.YEAR_OUTSIDE_PERIOD: gettext_lazy("Cost lines outside the plan's period"),
}


# --- Formatting ------------------------------------------------------------------------------------------


def money(amount: Decimal, currency: str) -> str:
    """``amount`` with the currency's minor units and the reader's separators (RWF: no decimals)."""
    places = minor_units(currency)
    return number_format(
        round_money(amount, currency), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def percent(value: Decimal | None) -> str:
    """A share as the core rounds it (0.1234, four places) as "12.34%" in the reader's notation; "—" when
    there is nothing to divide by."""
    if value is None:
        return "—"
    shown = number_format((value * 100).quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True)
    return _("%(value)s%%") % {"value": shown}


def _language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("fr") else "en"


# --- Links to elements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementLink:
    """The element a flag points at (the nearest element above a cost line or indicator) and its page."""

    code: str
    title: str
    level: str
    url: str


class Linker:
    """Turns a core path (``P1/SO1.1/…/A1.1.1/C2``) into a link to the element to edit. A cost line or an
    indicator links to its activity, outcome or output; an element the plan no longer has, to nothing."""

    def __init__(self, workspace_slug: str, plan: ActionPlan, by_path: Mapping[str, NapElement]) -> None:
        self.workspace_slug = workspace_slug
        self.plan = plan
        self.by_path = by_path

    def element(self, path: str) -> NapElement | None:
        while path:
            found = self.by_path.get(path)
            if found is not None:
                return found
            path = parent_path(path)
        return None

    def url(self, element: NapElement) -> str:
        try:
            return reverse(
                "nap-element-edit",
                kwargs={"workspace": self.workspace_slug, "plan": self.plan.uuid, "element": element.uuid},
            )
        except NoReverseMatch:  # the outline editor is not installed: no link, the code still shows
            return ""

    def link(self, path: str) -> ElementLink | None:
        element = self.element(path)
        if element is None:
            return None
        return ElementLink(
            code=element.code,
            title=element.title,
            level=element.get_level_display(),
            url=self.url(element),
        )


@dataclass(frozen=True)
class FlagRow:
    kind: str
    severity: str
    message: str
    path: str
    element: ElementLink | None


def flag_rows(flags: Iterable[Flag], linker: Linker) -> list[FlagRow]:
    return [
        FlagRow(
            kind=str(flag.kind),
            severity=str(flag.severity),
            message=flag.render(_),
            path=flag.path,
            element=linker.link(flag.path) if flag.path else None,
        )
        for flag in flags
    ]


def _linker(request: HttpRequest, plan: ActionPlan) -> tuple[Linker, dict[str, NapElement]]:
    by_path = dict(selectors.elements_by_path(plan))
    return Linker(request.workspace.slug, plan, by_path), by_path


def citations_of(by_path: Mapping[str, NapElement]) -> Citations:
    """Element path → the finding ids it cites (``legal:P09``, ``tna:FD01``, ``library:…``)."""
    return {path: frozenset(str(i) for i in element.citations or []) for path, element in by_path.items()}


def _outline_url(request: HttpRequest, plan: ActionPlan, name: str) -> str:
    try:
        return reverse(name, kwargs={"workspace": request.workspace.slug, "plan": plan.uuid})
    except NoReverseMatch:
        return ""


# --- The budget page -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountRow:
    label: str
    amount: str
    share: str


@dataclass(frozen=True)
class MatrixRow:
    label: str
    cells: list[str]
    total: str


@dataclass
class CurrencySection:
    """Everything the page shows for one currency."""

    currency: str
    total: str
    funded: str
    unfunded: str
    unfunded_share: str
    gender_amount: str
    gender_share: str
    marker_shares: list[AmountRow]
    by_pillar: list[AmountRow]
    by_year: list[AmountRow]
    by_agency: list[AmountRow]
    by_marker: list[AmountRow]
    by_funding: list[AmountRow]
    year_labels: list[str]
    pillar_year: list[MatrixRow]
    year_totals: list[str]
    charts: list[str] = field(default_factory=list)


def _rows(totals: CurrencyBudget, items: Sequence[tuple[str, Decimal]]) -> list[AmountRow]:
    return [
        AmountRow(label, money(amount, totals.currency), percent(share(amount, totals.total)))
        for label, amount in items
    ]


def currency_section(
    totals: CurrencyBudget, pillar_codes: Sequence[str], names: Mapping[str, str], *, with_charts: bool = True
) -> CurrencySection:
    currency = totals.currency
    zero = Decimal(0)
    codes = list(pillar_codes) + sorted(code for code in totals.by_pillar if code not in pillar_codes)
    years = charts.ordered_years(totals)
    section = CurrencySection(
        currency=currency,
        total=money(totals.total, currency),
        funded=money(totals.funded, currency),
        unfunded=money(totals.unfunded, currency),
        unfunded_share=percent(totals.unfunded_share),
        gender_amount=money(totals.gender_amount, currency),
        gender_share=percent(totals.gender_share),
        marker_shares=[
            AmountRow(
                charts.marker_label(marker),
                money(totals.by_marker[marker], currency),
                percent(totals.marker_share(marker)),
            )
            for marker in (GenderMarker.SIGNIFICANT, GenderMarker.PRINCIPAL)
        ],
        by_pillar=_rows(
            totals, [(charts.pillar_label(code, names), totals.by_pillar.get(code, zero)) for code in codes]
        ),
        by_year=_rows(totals, [(charts.year_label(year), totals.by_year[year]) for year in years]),
        by_agency=_rows(
            totals,
            [
                (charts.agency_label(agency), totals.by_agency[agency])
                for agency in charts.ordered_agencies(totals)
            ],
        ),
        by_marker=_rows(totals, [(charts.marker_label(m), totals.by_marker[m]) for m in GenderMarker]),
        by_funding=_rows(totals, [(charts.funding_label(s), totals.by_funding[s]) for s in FundingSource]),
        year_labels=[charts.year_label(year) for year in years],
        pillar_year=[
            MatrixRow(
                label=charts.pillar_label(code, names),
                cells=[money(totals.by_pillar_year.get((code, year), zero), currency) for year in years],
                total=money(totals.by_pillar.get(code, zero), currency),
            )
            for code in codes
        ],
        year_totals=[money(totals.by_year[year], currency) for year in years],
    )
    if with_charts:
        empty = _("Nothing costed yet")
        section.charts = [
            render_svg(chart, empty_text=empty)
            for chart in (
                charts.pillar_chart(totals, codes, names),
                charts.year_chart(totals, codes, names),
                charts.agency_chart(totals),
                charts.marker_chart(totals),
                charts.funding_chart(totals),
            )
        ]
    return section


def _pillars(nap: Nap) -> tuple[list[str], dict[str, str]]:
    return [pillar.code for pillar in nap.pillars], {pillar.code: pillar.name for pillar in nap.pillars}


@workspace_view(Permission.VIEW_WORKSPACE)
def budget_page(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    action_plan = plan_of(request, plan)
    nap = selectors.nap_core(action_plan)
    linker, _by_path = _linker(request, action_plan)
    result = budget(nap)
    codes, names = _pillars(nap)
    sections = [currency_section(totals, codes, names) for totals in result.by_currency.values()]
    # The plan's own currency first, the others after it in the order they first appear.
    sections.sort(key=lambda section: section.currency != action_plan.currency)
    return render(
        request,
        "nap/budget.html",
        {
            "plan": action_plan,
            "sections": sections,
            "line_count": len(result.lines),
            "warnings": flag_rows(result.warnings, linker),
            "outline_url": _outline_url(request, action_plan, "nap-outline"),
            "checks_url": _outline_url(request, action_plan, "nap-checks"),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
        },
    )


# --- The checks panel ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagGroup:
    kind: str
    label: str
    severity: str
    rows: list[FlagRow]


def group_flags(rows: Sequence[FlagRow]) -> list[FlagGroup]:
    """The rows grouped by kind: groups holding errors first, each group in the order its first flag
    comes (``check_nap`` sorts errors first, then document order)."""
    order: list[str] = []
    grouped: dict[str, list[FlagRow]] = {}
    for row in rows:
        if row.kind not in grouped:
            order.append(row.kind)
            grouped[row.kind] = []
        grouped[row.kind].append(row)

    def severity(kind: str) -> str:
        kinds = {row.severity for row in grouped[kind]}
        return Severity.ERROR.value if Severity.ERROR.value in kinds else Severity.WARNING.value

    order.sort(key=lambda kind: severity(kind) != Severity.ERROR.value)
    return [
        FlagGroup(
            kind=kind, label=str(KIND_LABELS.get(kind, kind)), severity=severity(kind), rows=grouped[kind]
        )
        for kind in order
    ]


def gap_checklist(gaps: Iterable[LegalGap]) -> dict[str, str]:
    """The workspace's legal gaps (Palermo checklist items no instrument fully meets) as ``check_nap``'s
    checklist: item code → title."""
    return {gap.item_code: gap.title for gap in gaps}


@workspace_view(Permission.VIEW_WORKSPACE)
def checks_page(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    action_plan = plan_of(request, plan)
    nap = selectors.nap_core(action_plan)
    linker, by_path = _linker(request, action_plan)
    language = _language(request)
    flags = check_nap(
        nap,
        capacity=action_plan.capacity_per_quarter,
        unfunded_threshold=Decimal(action_plan.unfunded_threshold),
        checklist=gap_checklist(legal_gaps(request.workspace, language)),
        citations=citations_of(by_path),
        language=language,
    )
    rows = flag_rows(flags, linker)
    errors = sum(row.severity == Severity.ERROR.value for row in rows)
    return render(
        request,
        "nap/checks.html",
        {
            "plan": action_plan,
            "groups": group_flags(rows),
            "error_count": errors,
            "warning_count": len(rows) - errors,
            "flag_count": len(rows),
            "capacity": action_plan.capacity_per_quarter,
            "threshold": percent(Decimal(action_plan.unfunded_threshold)),
            "outline_url": _outline_url(request, action_plan, "nap-outline"),
            "budget_url": _outline_url(request, action_plan, "nap-budget"),
            "coverage_url": _outline_url(request, action_plan, "nap-coverage"),
        },
    )


# --- The coverage view -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TnaNeed:
    code: str
    title: str
    rank: int
    mwds: str


def top_tna_needs(workspace: Workspace, language: str, *, top: int = TOP_NEEDS) -> list[TnaNeed]:
    """The TNA's ``top`` highest-ranked competencies with a need (MWDS above 0), from the instrument with
    the most answers, all respondents (as the needs dashboard and the training kit read them); empty when
    there is no instrument or too few answers to show results."""
    instrument = default_instrument(workspace)
    if instrument is None:
        return []
    try:
        _data, analysis = analysis_for(workspace, instrument, filters={}, by=())
    except DomainError:
        return []
    ranked = sorted(
        (item for item in analysis.items if item.rank is not None and (item.mwds or 0) > 0),
        key=lambda item: (item.rank, item.code),
    )
    return [
        TnaNeed(
            code=item.code,
            title=(item.title.fr or item.title.en) if language == "fr" else item.title.en,
            rank=item.rank or 0,
            mwds=number_format(round(item.mwds or 0.0, 2), decimal_pos=2, use_l10n=True),
        )
        for item in ranked[:top]
    ]


@dataclass(frozen=True)
class CoverageRow:
    code: str
    title: str
    detail: str
    cited_by: list[ElementLink]


def _coverage_rows(
    items: Sequence[CoverageItem], details: Mapping[str, str], linker: Linker
) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """(not addressed, addressed)."""
    rows = [
        CoverageRow(
            code=item.code,
            title=item.label,
            detail=details.get(item.code, ""),
            cited_by=[link for link in (linker.link(path) for path in item.cited_by) if link is not None],
        )
        for item in items
    ]
    return [row for row in rows if not row.cited_by], [row for row in rows if row.cited_by]


STATUS_LABELS = {"not_met": gettext_lazy("Not met"), "partly_met": gettext_lazy("Partly met")}


@workspace_view(Permission.VIEW_WORKSPACE)
def coverage_page(request: HttpRequest, plan: uuid.UUID) -> HttpResponse:
    action_plan = plan_of(request, plan)
    nap = selectors.nap_core(action_plan)
    linker, by_path = _linker(request, action_plan)
    language = _language(request)
    gaps = legal_gaps(request.workspace, language)
    needs = top_tna_needs(request.workspace, language)
    result = coverage(
        nap,
        citations_of(by_path),
        legal_gaps=gap_checklist(gaps),
        tna_needs={need.code: need.title for need in needs},
    )
    gap_details = {gap.item_code: str(STATUS_LABELS.get(gap.best_status, gap.best_status)) for gap in gaps}
    need_details = {
        need.code: _("rank %(rank)s, MWDS %(mwds)s") % {"rank": need.rank, "mwds": need.mwds}
        for need in needs
    }
    open_gaps, covered_gaps = _coverage_rows(result.gaps, gap_details, linker)
    open_needs, covered_needs = _coverage_rows(result.needs, need_details, linker)
    ungrounded = [link for link in (linker.link(path) for path in result.ungrounded) if link is not None]
    stale = [
        (link, ", ".join(ids))
        for path, ids in result.unknown_citations.items()
        if (link := linker.link(path)) is not None
    ]
    workspace_slug = request.workspace.slug
    return render(
        request,
        "nap/coverage.html",
        {
            "plan": action_plan,
            "open_gaps": open_gaps,
            "covered_gaps": covered_gaps,
            "gap_count": len(result.gaps),
            "open_needs": open_needs,
            "covered_needs": covered_needs,
            "need_count": len(result.needs),
            "top_needs": TOP_NEEDS,
            "ungrounded": ungrounded,
            "element_count": len(by_path),
            "stale": stale,
            "complete": result.complete,
            "outline_url": _outline_url(request, action_plan, "nap-outline"),
            "checks_url": _outline_url(request, action_plan, "nap-checks"),
            "legal_url": reverse("legal-review", kwargs={"workspace": workspace_slug}),
            "needs_url": reverse("needs-dashboard", kwargs={"workspace": workspace_slug}),
        },
    )
