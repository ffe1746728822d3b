"""The NAP budget workbook: one row per cost line with a live amount, SUMIFS summaries by pillar × year, by
funding source and by gender marker, per currency, and a native bar chart. The LibreOffice test
recalculates the workbook headless and compares every total with :func:`ctip.core.nap.budget.budget`."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.core.nap.budget import budget
from ctip.core.nap.model import (
    Activity,
    CostLine,
    FundingSource,
    GenderMarker,
    Nap,
    Outcome,
    Output,
    Pillar,
    StrategicObjective,
    StrategicPriority,
)
from ctip.formats.nap_workbook import write_nap_workbook
from tests.formats.libreoffice import recalculated


def line(
    code,
    unit_cost,
    quantity,
    frequency="1",
    year=2025,
    currency="USD",
    source=FundingSource.UNFUNDED,
    marker=0,
):
    return CostLine(
        code=code,
        description=f"Line {code}",
        unit="day",
        unit_cost=Decimal(unit_cost),
        quantity=Decimal(quantity),
        frequency=Decimal(frequency),
        year=year,
        currency=currency,
        funding_source=source,
        gender_marker=GenderMarker(marker),
        marker_justification="Women survivors" if marker else "",
    )


def pillar(code, activities):
    return Pillar(
        code,
        f"Pillar {code}",
        (
            StrategicObjective(
                f"SO{code}",
                "Objective",
                (
                    StrategicPriority(
                        f"SP{code}",
                        "Priority",
                        (
                            Outcome(
                                f"OC{code}", "Outcome", (), (Output(f"OP{code}", "Output", (), activities),)
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def sample() -> Nap:
    return Nap(
        "NAP 2025–2027",
        2025,
        2027,
        pillars=(
            pillar(
                "P1",
                (
                    Activity(
                        "A1.1",
                        "Train labour inspectors",
                        lead_agency="Ministry of Labour",
                        cost_lines=(
                            # 12.345 × 3 × 1 = 37.035 → 37.04 (half up, as the core rounds)
                            line("C1", "12.345", "3", source=FundingSource.GOVERNMENT, marker=1),
                            line("C2", "1000", "2", "4", year=2026, source=FundingSource.DONOR),
                            line("C3", "250", "1", year=None),
                        ),
                    ),
                ),
            ),
            pillar(
                "P2",
                (
                    Activity(
                        "A2.1",
                        "Shelter places for women survivors",
                        cost_lines=(
                            line("C1", "75.5", "10", "12", year=2027, marker=2, source=FundingSource.DONOR),
                            line("C2", "400000", "1", year=2025, currency="RWF"),
                            line("C3", "5", "1", year=2031),  # outside the period
                        ),
                    ),
                ),
            ),
            Pillar("P3", "Prosecution"),
        ),
    )


def test_cost_lines_sheet_has_one_row_per_line_with_a_live_amount():
    book = openpyxl.load_workbook(io.BytesIO(write_nap_workbook(sample(), currency="USD")))
    assert book.sheetnames == ["Cost lines", "Summary"]
    lines = book["Cost lines"]
    assert lines["A1"].value == "Pillar" and lines["M1"].value == "Amount"
    assert [lines[f"F{row}"].value for row in range(2, 8)] == ["C1", "C2", "C3", "C1", "C2", "C3"]
    assert lines["A2"].value == "P1" and lines["C2"].value == "OPP1" and lines["D2"].value == "A1.1"
    assert lines["H2"].value == "Ministry of Labour"
    assert lines["M2"].value == "=ROUND(J2*K2*L2,2)"
    assert lines["M6"].value == "=ROUND(J6*K6*L6,0)"  # RWF has no minor unit
    assert lines["N4"].value is None and lines["P2"].value == "Government" and lines["Q5"].value == 2
    assert lines["O6"].value == "RWF"
    assert lines.freeze_panes == "A2"


def test_summary_uses_sumifs_per_currency_and_has_a_chart():
    book = openpyxl.load_workbook(io.BytesIO(write_nap_workbook(sample())))
    summary = book["Summary"]
    formulas = [cell.value for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(value.startswith("=SUMIFS('Cost lines'!$M$2:$M$") for value in formulas)
    titles = [value for value in formulas if value.startswith("Cost by pillar")]
    assert titles == ["Cost by pillar and year (USD)", "Cost by pillar and year (RWF)"]
    assert len(summary._charts) == 2


def test_french_workbook():
    book = openpyxl.load_workbook(io.BytesIO(write_nap_workbook(sample(), language="fr")))
    assert book.sheetnames == ["Lignes de coût", "Synthèse"]
    assert book["Lignes de coût"]["P2"].value == "Gouvernement"


def test_formula_like_text_is_kept_as_text():
    nap = Nap(
        "N",
        2025,
        2025,
        pillars=(pillar("P1", (Activity("A1", '=HYPERLINK("x")', cost_lines=(line("C1", "1", "1"),)),)),),
    )
    lines = openpyxl.load_workbook(io.BytesIO(write_nap_workbook(nap)))["Cost lines"]
    assert lines["E2"].value == '\'=HYPERLINK("x")'


def test_plan_without_cost_lines_says_so():
    nap = Nap("Empty", 2025, 2026, pillars=(Pillar("P1", "Prevention"),))
    book = openpyxl.load_workbook(io.BytesIO(write_nap_workbook(nap, currency="MUR")))
    assert "no cost lines yet" in book["Cost lines"]["A2"].value
    assert book["Summary"]["A1"].value == "Cost by pillar and year (MUR)"


def test_unknown_language_is_refused():
    with pytest.raises(DomainError) as raised:
        write_nap_workbook(sample(), language="de")
    assert [problem.location for problem in raised.value.problems] == ["language"]


def _block(summary, title):
    """The rows of the by-pillar block titled ``title``: {pillar code: [values per column C…]}."""
    rows = list(summary.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(rows) if row[0] == title) + 2
    block = {}
    for row in rows[start:]:
        if row[0] == "Total":
            block["Total"] = row
            break
        block[row[0]] = row
    return block


def _pairs(summary, title):
    rows = list(summary.iter_rows(values_only=True))
    start = next(index for index, row in enumerate(rows) if row[0] == title) + 2
    pairs = {}
    for row in rows[start:]:
        pairs[row[0]] = row[1]
        if row[0] == "Total":
            break
    return pairs


def money(value) -> Decimal:
    """A computed cell as a Decimal to the cent (spreadsheets add in binary floating point)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_libreoffice_computes_the_totals_of_the_core_budget(tmp_path):
    nap = sample()
    expected = budget(nap)
    book = recalculated(tmp_path, write_nap_workbook(nap))
    lines, summary = book["Cost lines"], book["Summary"]
    amounts = [money(lines[f"M{row}"].value) for row in range(2, 8)]
    assert amounts == [costed.amount for costed in expected.lines]
    assert amounts[0] == Decimal("37.04")
    for currency, rolled in expected.by_currency.items():
        block = _block(summary, f"Cost by pillar and year ({currency})")
        for pillar_code in ("P1", "P2", "P3"):
            row = block[pillar_code]
            by_year = [money(value) for value in row[2:5]]
            assert by_year == [
                rolled.by_pillar_year.get((pillar_code, year), Decimal(0)) for year in (2025, 2026, 2027)
            ]
            assert money(row[6]) == rolled.by_pillar.get(pillar_code, Decimal(0))
        assert money(block["Total"][6]) == rolled.total
        sources = _pairs(summary, f"Cost by funding source ({currency})")
        assert money(sources["Unfunded"]) == rolled.unfunded
        assert money(sources["Donor"]) == rolled.by_funding[FundingSource.DONOR]
        assert money(sources["Total"]) == rolled.total
        markers = _pairs(summary, f"Cost by gender marker ({currency})")
        assert [
            money(markers[label])
            for label in ("0 — not targeted", "1 — significant objective", "2 — principal objective")
        ] == [rolled.by_marker[marker] for marker in GenderMarker]
    # The lines without a year or outside 2025–2027 land in the "other" column, never lost.
    usd = _block(summary, "Cost by pillar and year (USD)")
    assert money(usd["P1"][5]) == Decimal("250.00") and money(usd["P2"][5]) == Decimal("5.00")
