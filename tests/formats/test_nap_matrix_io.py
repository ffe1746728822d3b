"""Reading an implementation matrix from real CSV and XLSX files, and the example workbook's round trip
(merged cells read back as blanks meaning "same as above")."""

import io
from decimal import Decimal

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.core.nap.matrix_example import (
    EXAMPLE_AGENCIES,
    EXAMPLE_HEADER,
    EXAMPLE_PLAN_PERIOD,
    example_matrix_rows,
)
from ctip.formats.nap_matrix_io import read_matrix, write_example_matrix_xlsx

AGENCIES = {"MINIJUST": ["Ministère de la Justice"], "RIB": ["Rwanda Investigation Bureau"], "NPPA": []}


def test_a_french_csv_with_semicolons_and_a_bom_is_read():
    text = (
        "Objectif stratégique;Produit;Activités;Calendrier;Chef de file;Partenaires;Coût (RWF)\r\n"
        "Poursuivre les trafiquants;Enquêteurs formés;Former les enquêteurs;T1 2026;RIB;NPPA, Ministère de la Justice;1 250 000\r\n"
        ";;Créer une unité;2026-2027;RIB;;à déterminer\r\n"
        ";;;;;;\r\n"
        ";;Équiper l'unité;2035;RIBB;;beaucoup\r\n"
    )
    matrix = read_matrix(("\ufeff" + text).encode("utf-8"), filename="matrice.csv", max_bytes=10**6)
    assert matrix.headers[0] == "Objectif stratégique"
    assert [number for number, _cells in matrix.rows] == [2, 3, 5]
    mapping = matrix.suggested_mapping()
    assert mapping == {
        "objective": 0,
        "output": 1,
        "activity": 2,
        "timeframe": 3,
        "lead": 4,
        "partners": 5,
        "budget": 6,
    }
    preview = matrix.preview(mapping, plan_period=(2025, 2029), known_agencies=AGENCIES)
    first, second, third = preview.rows
    assert (first.budget.amount, first.budget.currency) == (Decimal("1250000"), "RWF")
    assert [p.key for p in first.partners] == ["NPPA", "MINIJUST"]
    assert second.titles == {"objective": "Poursuivre les trafiquants", "output": "Enquêteurs formés"}
    assert second.budget_to_be_determined
    assert third.lead.suggestions == ("RIB",)
    assert [p.location for p in preview.problems] == [
        "row 5, column “Calendrier” (D)",
        "row 5, column “Coût (RWF)” (G)",
    ]
    (objective,) = preview.tree
    assert [a.code for a in objective.children[0].activities] == ["A1.1.1", "A1.1.2", "A1.1.3"]


def test_the_example_workbook_round_trips_through_its_merged_cells():
    rows = example_matrix_rows(11)
    data = write_example_matrix_xlsx(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    merged = [str(cell_range) for cell_range in sheet.merged_cells.ranges]
    assert any(item.startswith("A2:A") for item in merged)  # the first pillar spans its activities
    assert any(item.startswith("F") for item in merged)  # indicators merged with their output
    matrix = read_matrix(data, filename="nap-matrix.xlsx", max_bytes=10**7)
    assert matrix.headers == EXAMPLE_HEADER
    assert [list(cells) for _number, cells in matrix.rows] == rows
    assert matrix.rows[0][0] == 2
    preview = matrix.preview(
        matrix.suggested_mapping(), plan_period=EXAMPLE_PLAN_PERIOD, known_agencies=EXAMPLE_AGENCIES
    )
    assert not preview.has_errors and not preview.summary.unmatched_agencies
    assert preview.summary.activities == len(rows)
    assert preview.summary.objectives == 4 and preview.summary.outputs >= 12


def test_problems_name_the_column_letter_as_the_file_shows_it():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Output", "Activity", "Budget"])
    sheet.append(["Officers trained", "Train officers", "USD 1,000"])
    sheet.append(["", "Print cards", "n'importe"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    matrix = read_matrix(buffer.getvalue(), filename="m.xlsx", max_bytes=10**6)
    preview = matrix.preview(matrix.suggested_mapping(), plan_period=(2025, 2029), known_agencies={})
    assert [p.location for p in preview.problems] == ["row 3, column “Budget” (C)"]


def test_a_formula_in_the_matrix_is_refused_by_the_reader():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Output", "Activity", "Budget"])
    sheet.append(["Officers trained", "Train officers", "=10*1000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(DomainError) as caught:
        read_matrix(buffer.getvalue(), filename="m.xlsx", max_bytes=10**6)
    assert caught.value.problems[0].location.startswith("row 2, column “Budget” (C)")
