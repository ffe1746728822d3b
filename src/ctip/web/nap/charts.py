"""Chart definitions of the NAP's gender-responsive budget, labelled in the reader's language.

One definition (``ctip.formats.charts``) per chart: the budget page inlines its SVG (``render_svg``), the
NAP document and the summary deck place its PNG (``render_png``). The numbers come from
``ctip.core.nap.budget`` (one :class:`~ctip.core.nap.budget.CurrencyBudget` per currency, never added
across currencies); nothing is computed here except which numbers to show. Bars are drawn from the rounded
``Decimal`` amounts (a chart needs floats to draw; the tables beside it show the exact amounts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from ctip.core.nap.budget import NO_AGENCY, CurrencyBudget
from ctip.core.nap.model import FUNDING_SOURCE_LABELS, GENDER_MARKER_LABELS, FundingSource, GenderMarker
from ctip.formats.charts import BarChart, Series

TOP_AGENCIES = 12
"""How many lead agencies the chart by agency shows (the largest budgets; the rest are added up)."""


def pillar_label(code: str, names: Mapping[str, str]) -> str:
    """ "P1 Prevention" (the code alone when the plan has no such pillar any more)."""
    name = names.get(code, "")
    return f"{code} {name}".strip()


def year_label(year: int | None) -> str:
    return str(year) if year is not None else _("No year")


def agency_label(agency: str) -> str:
    return agency if agency != NO_AGENCY else _("No lead agency")


def marker_label(marker: GenderMarker) -> str:
    return _(GENDER_MARKER_LABELS[marker])


def funding_label(source: FundingSource) -> str:
    return _(FUNDING_SOURCE_LABELS[source])


def ordered_years(totals: CurrencyBudget) -> list[int | None]:
    """The years with spending, in order, lines without a year last."""
    years = sorted(year for year in totals.by_year if year is not None)
    return [*years, None] if None in totals.by_year else list(years)


def ordered_agencies(totals: CurrencyBudget) -> list[str]:
    """The lead agencies, largest budget first (ties by name), lines without a lead agency last."""
    named = sorted(
        (agency for agency in totals.by_agency if agency != NO_AGENCY),
        key=lambda agency: (-totals.by_agency[agency], agency.casefold()),
    )
    return [*named, NO_AGENCY] if NO_AGENCY in totals.by_agency else named


def _amount_axis(currency: str) -> str:
    return _("Amount (%(currency)s)") % {"currency": currency}


def pillar_chart(totals: CurrencyBudget, pillar_codes: Sequence[str], names: Mapping[str, str]) -> BarChart:
    """The budget of each pillar of the plan, in order (a pillar with nothing costed shows an empty bar)."""
    codes = list(pillar_codes) + sorted(code for code in totals.by_pillar if code not in pillar_codes)
    return BarChart(
        title=_("Budget by pillar (%(currency)s)") % {"currency": totals.currency},
        categories=tuple(pillar_label(code, names) for code in codes),
        series=(Series(_("Budget"), tuple(float(totals.by_pillar.get(code, 0)) for code in codes)),),
        horizontal=True,
        value_label=_amount_axis(totals.currency),
    )


def year_chart(totals: CurrencyBudget, pillar_codes: Sequence[str], names: Mapping[str, str]) -> BarChart:
    """The budget of each year, stacked by pillar (the pillar × year roll-up)."""
    years = ordered_years(totals)
    codes = [code for code in pillar_codes if code in totals.by_pillar] + sorted(
        code for code in totals.by_pillar if code not in pillar_codes
    )
    return BarChart(
        title=_("Budget by year and pillar (%(currency)s)") % {"currency": totals.currency},
        categories=tuple(year_label(year) for year in years),
        series=tuple(
            Series(
                pillar_label(code, names),
                tuple(float(totals.by_pillar_year.get((code, year), 0)) for year in years),
            )
            for code in codes
        ),
        stacked=True,
        value_label=_amount_axis(totals.currency),
    )


def agency_chart(totals: CurrencyBudget, *, top: int = TOP_AGENCIES) -> BarChart:
    """The budget led by each agency, largest first; past ``top`` agencies the rest share one bar."""
    agencies = ordered_agencies(totals)
    shown = agencies[:top]
    values = [float(totals.by_agency[agency]) for agency in shown]
    labels = [agency_label(agency) for agency in shown]
    rest = agencies[top:]
    if rest:
        labels.append(_("%(count)s other agencies") % {"count": len(rest)})
        values.append(float(sum(totals.by_agency[agency] for agency in rest)))
    return BarChart(
        title=_("Budget by lead agency (%(currency)s)") % {"currency": totals.currency},
        categories=tuple(labels),
        series=(Series(_("Budget"), tuple(values)),),
        horizontal=True,
        value_label=_amount_axis(totals.currency),
    )


def marker_chart(totals: CurrencyBudget) -> BarChart:
    """Spending by OECD-DAC gender marker (0, 1, 2)."""
    return BarChart(
        title=_("Budget by gender marker (%(currency)s)") % {"currency": totals.currency},
        categories=tuple(marker_label(marker) for marker in GenderMarker),
        series=(Series(_("Budget"), tuple(float(totals.by_marker[marker]) for marker in GenderMarker)),),
        horizontal=True,
        value_label=_amount_axis(totals.currency),
    )


def funding_chart(totals: CurrencyBudget) -> BarChart:
    """Spending by funding source; the "Unfunded" bar is the funding gap."""
    return BarChart(
        title=_("Budget by funding source (%(currency)s)") % {"currency": totals.currency},
        categories=tuple(funding_label(source) for source in FundingSource),
        series=(Series(_("Budget"), tuple(float(totals.by_funding[source]) for source in FundingSource)),),
        horizontal=True,
        value_label=_amount_axis(totals.currency),
    )
