"""The sections of the National Action Plan document, worded in the reader's language.

Each function turns :class:`NapDocData` (read once by :mod:`ctip.web.nap.report`) into report blocks
(:mod:`ctip.formats.documents.model`). Call them inside ``translation.override(language)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from ctip.core.nap.budget import Budget, CurrencyBudget, line_amount, minor_units
from ctip.core.nap.model import (
    Activity,
    CostLine,
    FundingSource,
    GenderMarker,
    IndicatorRef,
    Nap,
    Outcome,
    Output,
    Quarter,
    walk,
)
from ctip.formats.charts import Chart, render_png
from ctip.formats.documents.model import Block, BulletList, Figure, Heading, PageBreak, Paragraph, Table
from ctip.web.nap import charts

ABSENT = "—"
CHART_WIDTH_INCHES = 6.5
CHART_DPI = 150
TOP_GAPS = 12
TOP_FINDINGS = 10


@dataclass(frozen=True)
class Body:
    """A coordination body as the document shows it."""

    name: str
    kind: str
    chair: str
    members: tuple[str, ...]
    meets: str
    reports_to: str
    pillar: str
    mandate: str


@dataclass(frozen=True)
class NapDocData:
    """Everything the NAP's documents need, read once."""

    title: str
    organisation: str
    country: str
    status: str
    currency: str
    language: str
    nap: Nap
    budget: Budget
    bodies: tuple[Body, ...] = ()
    legal_scores: tuple[tuple[str, float | None], ...] = ()
    """(instrument, overall score 0–1) of the desk review's legal review."""
    legal_gaps: tuple[tuple[str, str, str], ...] = ()
    """(item code, title, best status label) of the checklist items no law fully meets."""
    findings: tuple[tuple[str, str], ...] = ()
    """(statement, source) of the desk review's key findings."""
    tna_priorities: tuple[tuple[str, float | None], ...] = ()
    """(competency, mean weighted discrepancy score) of the TNA's largest needs."""
    tna_note: str = ""
    orgchart_png: bytes | None = None

    @property
    def pillar_names(self) -> dict[str, str]:
        return {pillar.code: pillar.name for pillar in self.nap.pillars}

    @property
    def pillar_codes(self) -> list[str]:
        return [pillar.code for pillar in self.nap.pillars]


# --- Formatting ------------------------------------------------------------------------------------------


def number(value: int | float | Decimal, places: int = 0) -> str:
    return str(formats.number_format(value, decimal_pos=places, force_grouping=True))


def money(value: Decimal, currency: str) -> str:
    return f"{number(value, minor_units(currency))} {currency}"


def percent(share: Decimal | float | None) -> str:
    if share is None:
        return ABSENT
    text = number(round(float(share) * 100))
    return f"{text}\u202f%" if formats.get_format("DECIMAL_SEPARATOR") == "," else f"{text}%"


def timeline_text(timeline: Sequence[Quarter]) -> str:
    """ "2025 Q1 – 2026 Q2" (first and last quarter), or "—" when not scheduled."""
    if not timeline:
        return ABSENT
    first, last = min(timeline), max(timeline)
    start = _("%(year)s Q%(quarter)s") % {"year": first[0], "quarter": first[1]}
    if first == last:
        return start
    end = _("%(year)s Q%(quarter)s") % {"year": last[0], "quarter": last[1]}
    return f"{start} – {end}"


def activity_budget(activity: Activity) -> str:
    totals: dict[str, Decimal] = {}
    for line in activity.cost_lines:
        totals[line.currency] = totals.get(line.currency, Decimal(0)) + line_amount(line)
    return "; ".join(money(amount, currency) for currency, amount in totals.items()) or ABSENT


def png(chart: Chart, *, width_inches: float = CHART_WIDTH_INCHES) -> bytes:
    return render_png(chart, width_inches=width_inches, dpi=CHART_DPI, empty_text=_("No data to show yet."))


# --- Sections --------------------------------------------------------------------------------------------


def foreword_section(d: NapDocData) -> list[Block]:
    return [
        Heading(_("Foreword")),
        Paragraph(
            _(
                "[The foreword by the Minister goes here. Replace this paragraph with the signed text of the "
                "foreword before the plan is adopted.]"
            )
        ),
        PageBreak(),
    ]


def introduction_section(d: NapDocData) -> list[Block]:
    nap = d.nap
    counts = {"pillar": len(nap.pillars), "outcome": 0, "output": 0, "activity": 0, "indicator": 0}
    for _path, element in walk(nap):
        if isinstance(element, Outcome):
            counts["outcome"] += 1
        elif isinstance(element, Output):
            counts["output"] += 1
        elif isinstance(element, Activity):
            counts["activity"] += 1
        elif isinstance(element, IndicatorRef):
            counts["indicator"] += 1
    blocks: list[Block] = [
        Heading(_("Introduction")),
        Paragraph(
            _(
                "This National Action Plan against trafficking in persons of %(country)s covers the years "
                "%(start)s to %(end)s. It sets out what the Government and its partners will do, who leads "
                "each activity, when, at what cost, and how progress will be measured."
            )
            % {"country": d.country, "start": nap.period_start, "end": nap.period_end}
        ),
        Paragraph(
            _(
                "It is organised in %(pillars)s pillars, with %(outcomes)s outcomes, %(outputs)s outputs and "
                "%(activities)s activities, followed by %(indicators)s indicators."
            )
            % {
                "pillars": number(counts["pillar"]),
                "outcomes": number(counts["outcome"]),
                "outputs": number(counts["output"]),
                "activities": number(counts["activity"]),
                "indicators": number(counts["indicator"]),
            }
        ),
    ]
    if nap.vision:
        blocks += [Heading(_("Vision"), 2), Paragraph(nap.vision)]
    if nap.goal:
        blocks += [Heading(_("Goal"), 2), Paragraph(nap.goal)]
    return blocks


def situation_section(d: NapDocData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Situation analysis"))]
    blocks.append(Heading(_("Legal framework"), 2))
    if d.legal_scores:
        blocks.append(
            BulletList(
                tuple(
                    _("**%(instrument)s**: %(score)s of the checklist's requirements met")
                    % {"instrument": name, "score": percent(score)}
                    for name, score in d.legal_scores
                )
            )
        )
        if d.legal_gaps:
            blocks.append(
                Table(
                    _("Gaps in the legal framework (desk review)"),
                    (_("Item"), _("Requirement"), _("Best status")),
                    tuple(d.legal_gaps[:TOP_GAPS]),
                    note=_("%(shown)s of %(count)s gaps shown.")
                    % {"shown": min(len(d.legal_gaps), TOP_GAPS), "count": len(d.legal_gaps)}
                    if len(d.legal_gaps) > TOP_GAPS
                    else "",
                )
            )
    else:
        blocks.append(
            Paragraph(
                _("No legal review has been recorded in the desk review yet, so none is summarised here.")
            )
        )
    blocks.append(Heading(_("Key findings of the desk review"), 2))
    if d.findings:
        blocks.append(
            BulletList(
                tuple(
                    _("%(statement)s (%(source)s)") % {"statement": statement, "source": source}
                    for statement, source in d.findings[:TOP_FINDINGS]
                )
            )
        )
    else:
        blocks.append(Paragraph(_("No key findings have been recorded in the desk review yet.")))
    blocks.append(Heading(_("Training needs"), 2))
    if d.tna_priorities:
        blocks.append(Paragraph(d.tna_note))
        blocks.append(
            BulletList(
                tuple(
                    _("**%(competency)s** (score %(score)s)")
                    % {"competency": name, "score": ABSENT if score is None else number(score, 2)}
                    for name, score in d.tna_priorities
                )
            )
        )
    else:
        blocks.append(
            Paragraph(
                d.tna_note or _("No training needs assessment has been recorded in this workspace yet.")
            )
        )
    return blocks


def principles_section(d: NapDocData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Guiding principles"))]
    if d.nap.principles:
        blocks.append(BulletList(tuple(d.nap.principles)))
    else:
        blocks.append(Paragraph(_("No guiding principles have been recorded for this plan yet.")))
    return blocks


def _indicator_names(indicators: Sequence[IndicatorRef]) -> list[str]:
    return [_("Indicator %(code)s: %(name)s") % {"code": item.code, "name": item.name} for item in indicators]


def framework_section(d: NapDocData) -> list[Block]:
    """Pillars with their objectives, priorities, outcomes and outputs."""
    blocks: list[Block] = [Heading(_("Strategic framework"))]
    if not d.nap.pillars:
        blocks.append(Paragraph(_("The plan has no pillars yet.")))
    for pillar in d.nap.pillars:
        blocks.append(Heading(f"{pillar.code} {pillar.name}", 2))
        if not pillar.objectives:
            blocks.append(Paragraph(_("No strategic objective has been written for this pillar yet.")))
        for objective in pillar.objectives:
            blocks.append(Heading(f"{objective.code} {objective.name}", 3))
            for priority in objective.priorities:
                blocks.append(Paragraph(f"**{priority.code}** {priority.name}"))
                items: list[str] = []
                for outcome in priority.outcomes:
                    items.append(
                        _("**Outcome %(code)s**: %(name)s") % {"code": outcome.code, "name": outcome.name}
                    )
                    items += _indicator_names(outcome.indicators)
                    for output in outcome.outputs:
                        items.append(
                            _("**Output %(code)s**: %(name)s") % {"code": output.code, "name": output.name}
                        )
                        items += _indicator_names(output.indicators)
                if items:
                    blocks.append(BulletList(tuple(items)))
    return blocks


def matrix_section(d: NapDocData) -> list[Block]:
    """One implementation matrix table per pillar."""
    blocks: list[Block] = [PageBreak(), Heading(_("Implementation matrix"))]
    header = (_("Code"), _("Activity"), _("Lead"), _("Partners"), _("Timeline"), _("Budget"))
    any_rows = False
    for pillar in d.nap.pillars:
        rows = []
        for _path, element in walk_pillar(d.nap, pillar.code):
            if isinstance(element, Activity):
                rows.append(
                    (
                        element.code,
                        element.description,
                        element.lead_agency or ABSENT,
                        ", ".join(element.supporting_agencies) or ABSENT,
                        timeline_text(element.timeline),
                        activity_budget(element),
                    )
                )
        if rows:
            any_rows = True
            blocks.append(
                Table(
                    _("Implementation matrix — %(pillar)s") % {"pillar": f"{pillar.code} {pillar.name}"},
                    header,
                    tuple(rows),
                    column_widths_cm=(1.8, 5.6, 2.6, 2.8, 2.4, 2.3),
                    align_right=(False, False, False, False, False, True),
                )
            )
    if not any_rows:
        blocks.append(Paragraph(_("The plan has no activities yet.")))
    return blocks


def walk_pillar(nap: Nap, code: str) -> list[tuple[str, Any]]:
    return [(path, element) for path, element in walk(nap) if path.split("/", 1)[0] == code]


def _targets_text(indicator: IndicatorRef) -> str:
    parts = []
    for target in indicator.targets:
        sex = {"female": _("women"), "male": _("men")}.get(target.sex, "")
        parts.append(f"{target.year}: {target.value}" + (f" ({sex})" if sex else ""))
    return "; ".join(parts) or ABSENT


def monitoring_section(d: NapDocData) -> list[Block]:
    rows = []
    for _path, element in walk(d.nap):
        if isinstance(element, IndicatorRef):
            baseline = ABSENT if element.baseline in (None, "") else str(element.baseline)
            if element.baseline_year and baseline != ABSENT:
                baseline = f"{baseline} ({element.baseline_year})"
            rows.append(
                (
                    element.code,
                    element.name,
                    baseline,
                    _targets_text(element),
                    element.source or ABSENT,
                    element.responsible_agency or ABSENT,
                    element.frequency or ABSENT,
                )
            )
    blocks: list[Block] = [Heading(_("Monitoring and evaluation framework"))]
    if not rows:
        blocks.append(Paragraph(_("No indicators have been set for the plan's outcomes and outputs yet.")))
        return blocks
    blocks.append(
        Table(
            _("Indicators of the plan's outcomes and outputs"),
            (
                _("Code"),
                _("Indicator"),
                _("Baseline"),
                _("Targets"),
                _("Source of data"),
                _("Responsible"),
                _("Frequency"),
            ),
            tuple(rows),
            align_right=(False,) * 7,
        )
    )
    return blocks


def coordination_section(d: NapDocData) -> list[Block]:
    blocks: list[Block] = [Heading(_("Coordination arrangement"))]
    if not d.bodies:
        blocks.append(Paragraph(_("No coordination bodies have been recorded for this plan yet.")))
        return blocks
    blocks.append(
        Table(
            _("Coordination bodies"),
            (_("Body"), _("Chair"), _("Members"), _("Meets"), _("Reports to")),
            tuple(
                (
                    f"{body.name} ({body.kind})",
                    body.chair or ABSENT,
                    ", ".join(body.members) or ABSENT,
                    body.meets or ABSENT,
                    body.reports_to or ABSENT,
                )
                for body in d.bodies
            ),
        )
    )
    mandates = [f"**{body.name}**: {body.mandate}" for body in d.bodies if body.mandate.strip()]
    if mandates:
        blocks.append(BulletList(tuple(mandates)))
    if d.orgchart_png:
        blocks.append(Figure(_("The coordination structure"), d.orgchart_png))
    return blocks


def _currency_tables(totals: CurrencyBudget, d: NapDocData) -> list[Block]:
    currency = totals.currency
    names = d.pillar_names
    years = charts.ordered_years(totals)
    pillar_codes = d.pillar_codes + sorted(code for code in totals.by_pillar if code not in d.pillar_codes)
    rows = [
        (
            charts.pillar_label(code, names),
            *(money(totals.by_pillar_year.get((code, year), Decimal(0)), currency) for year in years),
            money(totals.by_pillar.get(code, Decimal(0)), currency),
        )
        for code in pillar_codes
    ]
    rows.append(
        (
            _("Total"),
            *(money(totals.by_year.get(year, Decimal(0)), currency) for year in years),
            money(totals.total, currency),
        )
    )
    return [
        Heading(_("Budget in %(currency)s") % {"currency": currency}, 2),
        Paragraph(
            _("**Total: %(total)s**, of which %(gap)s (%(share)s) is not yet funded.")
            % {
                "total": money(totals.total, currency),
                "gap": money(totals.unfunded, currency),
                "share": percent(totals.unfunded_share),
            }
        ),
        Table(
            _("Budget by pillar and year (%(currency)s)") % {"currency": currency},
            (_("Pillar"), *(charts.year_label(year) for year in years), _("Total")),
            tuple(rows),
        ),
        Figure(_("Budget by pillar"), png(charts.pillar_chart(totals, d.pillar_codes, names))),
        Figure(_("Budget by year"), png(charts.year_chart(totals, d.pillar_codes, names))),
        Table(
            _("Budget by funding source (%(currency)s)") % {"currency": currency},
            (_("Funding source"), _("Amount"), _("Share")),
            tuple(
                (
                    charts.funding_label(source),
                    money(totals.by_funding[source], currency),
                    percent(_share(totals.by_funding[source], totals.total)),
                )
                for source in FundingSource
            ),
        ),
        Figure(_("Budget by funding source"), png(charts.funding_chart(totals))),
        Table(
            _("Budget by gender marker (%(currency)s)") % {"currency": currency},
            (_("Gender marker"), _("Amount"), _("Share")),
            tuple(
                (
                    charts.marker_label(marker),
                    money(totals.by_marker[marker], currency),
                    percent(totals.marker_share(marker)),
                )
                for marker in GenderMarker
            ),
        ),
    ]


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole if whole else None


def budget_section(d: NapDocData) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(_("Budget summary"))]
    if not d.budget.lines:
        blocks.append(
            Paragraph(_("No cost lines have been entered yet, so the plan has no budget to summarise."))
        )
        return blocks
    if d.budget.mixes_currencies:
        blocks.append(
            Paragraph(
                _("The plan's costs are in %(currencies)s; each currency is summarised on its own.")
                % {"currencies": ", ".join(d.budget.currencies)}
            )
        )
    for totals in d.budget.by_currency.values():
        blocks += _currency_tables(totals, d)
    return blocks


def annex_section(d: NapDocData) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(_("Annex: cost lines"))]
    if not d.budget.lines:
        blocks.append(Paragraph(_("No cost lines have been entered yet.")))
        return blocks
    rows = tuple(
        (
            f"{costed.activity} {costed.line.code}",
            costed.line.description,
            _calculation(costed.line),
            money(costed.amount, costed.currency),
            str(costed.line.year) if costed.line.year is not None else ABSENT,
            charts.funding_label(FundingSource(costed.line.funding_source)),
            str(int(costed.line.gender_marker)),
        )
        for costed in d.budget.lines
    )
    blocks.append(
        Table(
            _("Cost lines of the plan"),
            (
                _("Line"),
                _("Description"),
                _("Unit cost × quantity × frequency"),
                _("Amount"),
                _("Year"),
                _("Source"),
                _("Marker"),
            ),
            rows,
            align_right=(False, False, True, True, False, False, True),
        )
    )
    return blocks


def _quantity(value: Decimal) -> str:
    return number(value, 0 if value == value.to_integral() else 2)


def _calculation(line: CostLine) -> str:
    """ "50.00 USD × 10 participant-day × 1" (the unit after the quantity when given)."""
    quantity = _quantity(line.quantity)
    if line.unit:
        quantity = f"{quantity} {line.unit}"
    return f"{money(line.unit_cost, line.currency)} × {quantity} × {_quantity(line.frequency)}"
