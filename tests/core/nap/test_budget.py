"""The gender-responsive budget: amounts and roll-ups to the cent (hand-computed in the comments), rounding
half up to the currency's minor unit, currencies never added together, and the marker warnings."""

from decimal import Decimal

import pytest

from ctip.core.nap import (
    BudgetFlag,
    FundingSource,
    GenderMarker,
    Nap,
    budget,
    line_amount,
    minor_units,
    round_money,
)

from .builders import activity, line, pillar

D = Decimal
M0, M1, M2 = GenderMarker.NOT_TARGETED, GenderMarker.SIGNIFICANT, GenderMarker.PRINCIPAL
GOV, DONOR, UNFUNDED = FundingSource.GOVERNMENT, FundingSource.DONOR, FundingSource.UNFUNDED


def two_pillar_plan(*extra_lines) -> Nap:
    """P1 / A1.1 (lead RIB):
      C1  50.00 × 20 × 2        = 2000.00 USD  2026 government  marker 1
      C2  12.345 × 3 × 1 = 37.035 → 37.04 USD  2027 donor       marker 2
    P2 / A2.1 (lead MIGEPROF):
      C1  0.005 × 1 × 1 = 0.005 →  0.01 USD    2026 unfunded    marker 0
      C2  1333.333 × 3 × 1 = 3999.999 → 4000.00 USD 2027 unfunded marker 0
    """
    a1 = activity(
        "A1.1",
        cost_lines=(
            line("C1"),
            line(
                "C2",
                unit_cost=D("12.345"),
                quantity=D("3"),
                frequency=D("1"),
                year=2027,
                funding_source=DONOR,
                gender_marker=M2,
                marker_justification="Shelter for women survivors",
            ),
        ),
    )
    a2 = activity(
        "A2.1",
        lead_agency="MIGEPROF",
        target_groups=(),
        cost_lines=(
            line(
                "C1",
                unit_cost=D("0.005"),
                quantity=D(1),
                frequency=D(1),
                funding_source=UNFUNDED,
                gender_marker=M0,
            ),
            line(
                "C2",
                unit_cost=D("1333.333"),
                quantity=D(3),
                frequency=D(1),
                year=2027,
                funding_source=UNFUNDED,
                gender_marker=M0,
            ),
            *extra_lines,
        ),
    )
    return Nap(
        "Plan", 2025, 2029, pillars=(pillar("P1", "Prevention", (a1,)), pillar("P2", "Protection", (a2,)))
    )


def test_minor_units_and_rounding_half_up():
    assert [minor_units(c) for c in ("MUR", "RWF", "USD", "EUR", "XOF", "rwf")] == [2, 0, 2, 2, 2, 0]
    assert round_money(D("0.005"), "USD") == D("0.01")
    assert round_money(D("0.004999"), "USD") == D("0.00")
    assert round_money(D("2.675"), "EUR") == D("2.68")  # a float would give 2.67
    assert round_money(D("-0.005"), "USD") == D("-0.01")  # half away from zero
    assert round_money(D("0.5"), "RWF") == D("1")
    assert round_money(D("1499.49"), "RWF") == D("1499")
    assert str(round_money(D("7"), "MUR")) == "7.00"


def test_line_amount_is_unit_cost_times_quantity_times_frequency_rounded_once():
    assert line_amount(line(unit_cost=D("0.10"), quantity=D("3"), frequency=D("1"))) == D("0.30")
    # 0.333 × 3 × 5 = 4.995 → 5.00 (rounding each factor first would give 0.33 × 15 = 4.95)
    assert line_amount(line(unit_cost=D("0.333"), quantity=D("3"), frequency=D("5"))) == D("5.00")
    # RWF has no minor unit: 1 333.5 × 1 × 1 → 1 334; 333.4 → 333
    assert line_amount(line(currency="RWF", unit_cost=D("1333.5"), quantity=D(1), frequency=D(1))) == D(
        "1334"
    )
    assert line_amount(line(currency="RWF", unit_cost=D("333.4"), quantity=D(1), frequency=D(1))) == D("333")


def test_roll_ups_to_the_cent():
    result = budget(two_pillar_plan())
    assert [(c.path.split("/")[-2:], c.amount) for c in result.lines] == [
        (["A1.1", "C1"], D("2000.00")),
        (["A1.1", "C2"], D("37.04")),
        (["A2.1", "C1"], D("0.01")),
        (["A2.1", "C2"], D("4000.00")),
    ]
    usd = result.by_currency["USD"]
    assert result.currencies == ("USD",) and not result.mixes_currencies
    assert usd.total == D("6037.05")
    assert usd.by_pillar == {"P1": D("2037.04"), "P2": D("4000.01")}
    assert usd.by_year == {2026: D("2000.01"), 2027: D("4037.04")}
    assert usd.by_agency == {"RIB": D("2037.04"), "MIGEPROF": D("4000.01")}
    assert usd.by_marker == {M0: D("4000.01"), M1: D("2000.00"), M2: D("37.04")}
    assert usd.by_funding == {GOV: D("2000.00"), DONOR: D("37.04"), UNFUNDED: D("4000.01")}
    assert usd.by_pillar_year == {
        ("P1", 2026): D("2000.00"),
        ("P1", 2027): D("37.04"),
        ("P2", 2026): D("0.01"),
        ("P2", 2027): D("4000.00"),
    }
    # Funding gap 4000.01 of 6037.05 = 0.662577 → 0.6626; markers 1 + 2: 2037.04 / 6037.05 = 0.337423 → 0.3374
    assert usd.unfunded == D("4000.01") and usd.funded == D("2037.04")
    assert usd.unfunded_share == D("0.6626")
    assert usd.gender_amount == D("2037.04")
    assert usd.gender_share == D("0.3374")
    assert usd.marker_share(M2) == D("0.0061")  # 37.04 / 6037.05 = 0.006135
    for rollup in (
        usd.by_pillar,
        usd.by_year,
        usd.by_agency,
        usd.by_marker,
        usd.by_funding,
        usd.by_pillar_year,
    ):
        assert sum(rollup.values()) == usd.total
    assert all(isinstance(value, Decimal) for value in usd.by_pillar_year.values())


def test_currencies_are_never_added_and_mixing_is_warned():
    # RWF: 1 500 × 2.5 × 1 = 3 750 RWF (whole francs)
    rwf = line(
        "C3", currency="RWF", unit_cost=D("1500"), quantity=D("2.5"), frequency=D(1), funding_source=GOV
    )
    result = budget(two_pillar_plan(rwf))
    assert set(result.by_currency) == {"USD", "RWF"} and result.mixes_currencies
    assert result.by_currency["USD"].total == D("6037.05")
    assert result.by_currency["RWF"].total == D("3750")
    assert result.by_currency["RWF"].by_agency == {"MIGEPROF": D("3750")}
    assert result.converted is None
    mixed = [flag for flag in result.warnings if flag.kind == BudgetFlag.MIXED_CURRENCIES]
    assert len(mixed) == 1 and mixed[0].path == ""
    assert "2 currencies (RWF, USD)" in mixed[0].message


def test_exchange_rates_give_a_combined_view_in_the_base_currency():
    rwf = line(
        "C3", currency="RWF", unit_cost=D("1500"), quantity=D("2.5"), frequency=D(1), funding_source=GOV
    )
    # 3 750 RWF × 0.00075 = 2.8125 → 2.81 USD; combined 6037.05 + 2.81 = 6039.86
    result = budget(two_pillar_plan(rwf), base_currency="USD", rates={"RWF": D("0.00075")})
    assert result.converted is not None
    assert result.converted.total == D("6039.86")
    assert result.converted.by_funding[GOV] == D("2002.81")
    assert not [f for f in result.warnings if f.kind == BudgetFlag.MIXED_CURRENCIES]
    # Without a rate for RWF: no combined view, and both warnings
    missing = budget(two_pillar_plan(rwf), base_currency="USD", rates={})
    assert missing.converted is None
    kinds = {flag.kind for flag in missing.warnings}
    assert {BudgetFlag.MISSING_RATE, BudgetFlag.MIXED_CURRENCIES} <= kinds


def test_an_empty_plan_has_no_currency_and_no_share():
    assert budget(Nap("Empty", 2025, 2029)).by_currency == {}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"targets_women_or_girls": True, "gender_marker": M0}, {BudgetFlag.WOMEN_OR_GIRLS_MARKED_ZERO}),
        ({"beneficiaries_girls": 12, "gender_marker": M0}, {BudgetFlag.WOMEN_OR_GIRLS_MARKED_ZERO}),
        ({"gender_marker": M2, "marker_justification": "  "}, {BudgetFlag.MARKER_WITHOUT_JUSTIFICATION}),
        (
            {
                "beneficiaries_women": None,
                "beneficiaries_men": None,
                "beneficiaries_girls": None,
                "beneficiaries_boys": None,
            },
            {BudgetFlag.NO_SEX_DISAGGREGATION},
        ),
        ({"currency": "XOF"}, {BudgetFlag.UNKNOWN_CURRENCY}),
        ({"year": 2031}, {BudgetFlag.YEAR_OUTSIDE_PERIOD}),
        ({}, set()),
    ],
)
def test_line_warnings(changes, expected):
    nap = Nap(
        "Plan",
        2025,
        2029,
        pillars=(pillar("P2", "Protection", (activity("A2.1.1.3", cost_lines=(line("C2", **changes),)),)),),
    )
    warnings = budget(nap).warnings
    assert {flag.kind for flag in warnings} == expected
    for flag in warnings:
        assert flag.path == "P2/SO2.1/SP2.1.1/OC2.1/OP2.1/A2.1.1.3/C2"
        assert "C2" in flag.message


def test_no_sex_disaggregation_only_when_the_line_targets_people():
    blank = {
        "beneficiaries_women": None,
        "beneficiaries_men": None,
        "beneficiaries_girls": None,
        "beneficiaries_boys": None,
    }
    # An activity without target groups (e.g. drafting a law) and a line not aimed at women or girls: no warning
    quiet = Nap(
        "Plan",
        2025,
        2029,
        pillars=(
            pillar("P3", "Prosecution", (activity("A3", target_groups=(), cost_lines=(line(**blank),)),)),
        ),
    )
    assert budget(quiet).warnings == ()
    loud = Nap(
        "Plan",
        2025,
        2029,
        pillars=(
            pillar(
                "P3",
                "Prosecution",
                (activity("A3", target_groups=(), cost_lines=(line(targets_women_or_girls=True, **blank),)),),
            ),
        ),
    )
    assert {flag.kind for flag in budget(loud).warnings} == {BudgetFlag.NO_SEX_DISAGGREGATION}


def test_warnings_render_through_a_translation_function():
    nap = Nap(
        "Plan",
        2025,
        2029,
        pillars=(
            pillar(
                "P1",
                "Prevention",
                (activity("A1", cost_lines=(line(gender_marker=M0, targets_women_or_girls=True),)),),
            ),
        ),
    )
    flag = budget(nap).warnings[0]
    french = {flag.template: "La ligne %(code)s vise des femmes ou des filles mais porte le marqueur 0."}
    assert (
        flag.render(lambda text: french.get(text, text))
        == "La ligne C1 vise des femmes ou des filles mais porte le marqueur 0."
    )
