"""The gender-responsive budget of a NAP (issue 8, item 3): cost line amounts, roll-ups, the funding gap,
the share of spending by gender marker, and warnings on markers and beneficiaries.

Money is :class:`~decimal.Decimal` throughout, never ``float``. A line's amount is ``unit_cost × quantity ×
frequency`` rounded once, half up, to the currency's minor unit (:func:`minor_units`: 2 decimals for MUR,
USD, EUR; none for RWF; 2 for a currency not listed). Roll-ups add rounded line amounts, so they equal
the sum of the lines a reader sees. Amounts in different currencies are never added: every roll-up is
kept per currency (:class:`CurrencyBudget`); a plan that mixes currencies gets a warning, and a combined
view only when exchange rates for every currency are given (:func:`budget` ``rates``).

Gender marker (OECD-DAC): 0 not targeted, 1 significant objective, 2 principal objective.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

from ctip.core.errors import _
from ctip.core.nap.model import (
    Activity,
    CostLine,
    Flag,
    FundingSource,
    GenderMarker,
    Nap,
    Severity,
    parent_path,
    pillar_code,
    walk,
)

CURRENCY_EXPONENTS: dict[str, int] = {"MUR": 2, "RWF": 0, "USD": 2, "EUR": 2}
"""Decimal places of the minor unit (ISO 4217). Rwanda's franc has no minor unit in use."""
DEFAULT_EXPONENT = 2
SHARE_QUANTUM = Decimal("0.0001")
"""Shares are fractions rounded to four places (0.1234 = 12.34 per cent)."""
NO_AGENCY = ""
"""The agency key of lines whose activity has no lead agency."""

K = TypeVar("K", bound=Hashable)


class BudgetFlag(StrEnum):
    WOMEN_OR_GIRLS_MARKED_ZERO = "women_or_girls_marked_zero"
    MARKER_WITHOUT_JUSTIFICATION = "marker_without_justification"
    NO_SEX_DISAGGREGATION = "no_sex_disaggregation"
    MIXED_CURRENCIES = "mixed_currencies"
    MISSING_RATE = "missing_rate"
    UNKNOWN_CURRENCY = "unknown_currency"
    YEAR_OUTSIDE_PERIOD = "year_outside_period"


def minor_units(currency: str) -> int:
    """How many decimal places amounts in ``currency`` carry (2 when the currency is not listed)."""
    return CURRENCY_EXPONENTS.get(currency.upper(), DEFAULT_EXPONENT)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up to the minor unit of ``currency`` (0.005 USD → 0.01; 0.5 RWF → 1)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def line_amount(line: CostLine) -> Decimal:
    """``unit_cost × quantity × frequency``, rounded to the currency's minor unit."""
    return round_money(line.unit_cost * line.quantity * line.frequency, line.currency)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part / whole`` rounded half up to four places; ``None`` when ``whole`` is zero."""
    if not whole:
        return None
    return (part / whole).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CostedLine:
    """A cost line with where it sits and its amount."""

    path: str
    pillar: str
    activity: str
    lead_agency: str
    line: CostLine
    amount: Decimal
    targets_people: bool = False  # the activity names target groups, or the line targets women or girls

    @property
    def currency(self) -> str:
        return self.line.currency


@dataclass(frozen=True)
class CurrencyBudget:
    """All roll-ups of the lines in one currency. ``by_year`` has the key ``None`` for lines without a
    year; ``by_marker`` and ``by_funding`` always have every key (0 when nothing is spent)."""

    currency: str
    total: Decimal
    by_pillar: Mapping[str, Decimal]
    by_year: Mapping[int | None, Decimal]
    by_agency: Mapping[str, Decimal]
    by_marker: Mapping[GenderMarker, Decimal]
    by_funding: Mapping[FundingSource, Decimal]
    by_pillar_year: Mapping[tuple[str, int | None], Decimal]

    @property
    def unfunded(self) -> Decimal:
        """The funding gap: the amount nobody has committed to pay."""
        return self.by_funding[FundingSource.UNFUNDED]

    @property
    def funded(self) -> Decimal:
        return self.total - self.unfunded

    @property
    def unfunded_share(self) -> Decimal | None:
        return share(self.unfunded, self.total)

    def marker_share(self, marker: GenderMarker) -> Decimal | None:
        return share(self.by_marker[marker], self.total)

    @property
    def gender_amount(self) -> Decimal:
        """Spending with marker 1 or 2."""
        return self.by_marker[GenderMarker.SIGNIFICANT] + self.by_marker[GenderMarker.PRINCIPAL]

    @property
    def gender_share(self) -> Decimal | None:
        """The share of spending with marker 1 or 2."""
        return share(self.gender_amount, self.total)


@dataclass(frozen=True)
class Budget:
    """The budget of a plan: its lines, roll-ups per currency, warnings, and — when exchange rates were
    given for every currency — ``converted``, the same roll-ups in the base currency."""

    lines: tuple[CostedLine, ...]
    by_currency: Mapping[str, CurrencyBudget]
    warnings: tuple[Flag, ...]
    converted: CurrencyBudget | None = None

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(self.by_currency)

    @property
    def mixes_currencies(self) -> bool:
        return len(self.by_currency) > 1


def _add(totals: dict[K, Decimal], key: K, amount: Decimal) -> None:
    totals[key] = totals.get(key, Decimal(0)) + amount


def roll_up(currency: str, lines: Iterable[tuple[CostedLine, Decimal]]) -> CurrencyBudget:
    """Roll ``lines`` (each with the amount to count, in ``currency``) up by every key."""
    total = Decimal(0)
    by_pillar: dict[str, Decimal] = {}
    by_year: dict[int | None, Decimal] = {}
    by_agency: dict[str, Decimal] = {}
    by_marker: dict[GenderMarker, Decimal] = {marker: Decimal(0) for marker in GenderMarker}
    by_funding: dict[FundingSource, Decimal] = {source: Decimal(0) for source in FundingSource}
    by_pillar_year: dict[tuple[str, int | None], Decimal] = {}
    for costed, amount in lines:
        line = costed.line
        total += amount
        _add(by_pillar, costed.pillar, amount)
        _add(by_year, line.year, amount)
        _add(by_agency, costed.lead_agency, amount)
        _add(by_marker, GenderMarker(line.gender_marker), amount)
        _add(by_funding, FundingSource(line.funding_source), amount)
        _add(by_pillar_year, (costed.pillar, line.year), amount)
    zero = round_money(Decimal(0), currency)
    return CurrencyBudget(
        currency=currency,
        total=total + zero,  # carries the currency's places even when there is nothing to add
        by_pillar=by_pillar,
        by_year=by_year,
        by_agency=by_agency,
        by_marker=by_marker,
        by_funding=by_funding,
        by_pillar_year=by_pillar_year,
    )


def costed_lines(nap: Nap) -> tuple[CostedLine, ...]:
    """Every cost line of the plan with its amount, in document order."""
    parents: dict[str, Activity] = {}
    result: list[CostedLine] = []
    for path, element in walk(nap):
        if isinstance(element, Activity):
            parents[path] = element
        elif isinstance(element, CostLine):
            activity = parents[parent_path(path)]
            result.append(
                CostedLine(
                    path=path,
                    pillar=pillar_code(path),
                    activity=activity.code,
                    lead_agency=activity.lead_agency.strip() or NO_AGENCY,
                    line=element,
                    amount=line_amount(element),
                    targets_people=bool(activity.target_groups) or element.targets_women_or_girls,
                )
            )
    return tuple(result)


def budget(nap: Nap, *, base_currency: str = "", rates: Mapping[str, Decimal] | None = None) -> Budget:
    """The plan's budget. ``rates`` (with ``base_currency``) gives, for each other currency, how many
    units of the base currency one unit is worth; each line is converted and rounded on its own."""
    lines = costed_lines(nap)
    grouped: dict[str, list[CostedLine]] = defaultdict(list)
    for costed in lines:
        grouped[costed.currency].append(costed)
    by_currency = {
        currency: roll_up(currency, ((costed, costed.amount) for costed in group))
        for currency, group in grouped.items()
    }
    warnings = [flag for costed in lines for flag in line_warnings(costed, nap)]
    converted = None
    if base_currency:
        known = {currency: Decimal(rate) for currency, rate in (rates or {}).items()}
        known[base_currency] = Decimal(1)
        missing = sorted(set(grouped) - set(known))
        if missing:
            warnings.append(
                Flag(
                    BudgetFlag.MISSING_RATE,
                    Severity.WARNING,
                    _("No exchange rate to %(base)s for %(currencies)s: the combined total cannot be shown."),
                    {"base": base_currency, "currencies": ", ".join(missing)},
                )
            )
        else:
            converted = roll_up(
                base_currency,
                (
                    (costed, round_money(costed.amount * known[costed.currency], base_currency))
                    for costed in lines
                ),
            )
    if len(by_currency) > 1 and converted is None:
        warnings.append(
            Flag(
                BudgetFlag.MIXED_CURRENCIES,
                Severity.WARNING,
                _(
                    "The plan's costs are in %(count)s currencies (%(currencies)s), shown separately: "
                    "give exchange rates, or use one currency, to see a single total."
                ),
                {"count": len(by_currency), "currencies": ", ".join(sorted(by_currency))},
            )
        )
    return Budget(lines=lines, by_currency=by_currency, warnings=tuple(warnings), converted=converted)


def _targets_women_or_girls(line: CostLine) -> bool:
    return line.targets_women_or_girls or any(
        (count or 0) > 0 for count in (line.beneficiaries_women, line.beneficiaries_girls)
    )


def line_warnings(costed: CostedLine, nap: Nap | None = None) -> list[Flag]:
    """Warnings on one line: women or girls targeted but marker 0; marker 1 or 2 with no justification;
    people targeted without any sex-disaggregated beneficiaries; an unknown currency; a year outside the
    plan's period (when ``nap`` is given)."""
    line, path = costed.line, costed.path
    flags: list[Flag] = []
    code = {"code": line.code}
    if _targets_women_or_girls(line) and line.gender_marker == GenderMarker.NOT_TARGETED:
        flags.append(
            Flag(
                BudgetFlag.WOMEN_OR_GIRLS_MARKED_ZERO,
                Severity.WARNING,
                _(
                    "Cost line %(code)s targets women or girls but has gender marker 0: mark it 1 "
                    "(significant) or 2 (principal) and say why, or correct its target groups."
                ),
                code,
                path,
            )
        )
    if line.gender_marker in (GenderMarker.SIGNIFICANT, GenderMarker.PRINCIPAL) and not (
        line.marker_justification.strip()
    ):
        flags.append(
            Flag(
                BudgetFlag.MARKER_WITHOUT_JUSTIFICATION,
                Severity.WARNING,
                _(
                    "Cost line %(code)s has gender marker %(marker)s without a justification: say how it "
                    "advances gender equality."
                ),
                {"code": line.code, "marker": int(line.gender_marker)},
                path,
            )
        )
    if (costed.targets_people or _targets_women_or_girls(line)) and all(
        count is None for count in line.beneficiaries
    ):
        flags.append(
            Flag(
                BudgetFlag.NO_SEX_DISAGGREGATION,
                Severity.WARNING,
                _(
                    "Cost line %(code)s targets people but records no beneficiaries by sex: enter how "
                    "many women, men, girls and boys it reaches."
                ),
                code,
                path,
            )
        )
    if line.currency.upper() not in CURRENCY_EXPONENTS:
        flags.append(
            Flag(
                BudgetFlag.UNKNOWN_CURRENCY,
                Severity.WARNING,
                _(
                    "Cost line %(code)s is in %(currency)s, a currency not listed: amounts are kept to 2 decimals."
                ),
                {"code": line.code, "currency": line.currency},
                path,
            )
        )
    if nap is not None and line.year is not None and line.year not in nap.years:
        flags.append(
            Flag(
                BudgetFlag.YEAR_OUTSIDE_PERIOD,
                Severity.WARNING,
                _(
                    "Cost line %(code)s is budgeted for %(year)s, outside the plan's period %(start)s–%(end)s."
                ),
                {"code": line.code, "year": line.year, "start": nap.period_start, "end": nap.period_end},
                path,
            )
        )
    return flags
