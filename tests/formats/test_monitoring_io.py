"""Reading an uploaded table of indicator values: real CSV and XLSX files, problems located by row and
by the column's header and letter as the file shows them; the template round-trips."""

import io

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.core.monitoring import Period, Unit, ValueKind
from ctip.formats.monitoring_io import read_values, values_template_xlsx

UNITS = {"OC1": Unit.PERCENT, "OUT1": Unit.NUMBER}


def xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_with_french_headers_and_numbers_is_read():
    data = xlsx(
        [
            ["Indicateur", "Période", "Sexe", "Lieu", "Valeur", "Source"],
            ["OUT1", "2026-Q1", "Femmes", "Rodrigues", 12, "Registre"],
            ["oc1", "2026", "", "", 45.5, "Enquête"],
        ]
    )
    first, second = read_values(data, filename="valeurs.xlsx", max_bytes=10**6, units=UNITS, language="fr")
    assert (first.row, first.indicator, first.period, first.sex, first.value) == (
        2,
        "OUT1",
        Period(2026, 1),
        "female",
        12.0,
    )
    assert (second.indicator, second.kind, second.value) == ("OC1", ValueKind.ACTUAL, 45.5)


def test_problems_name_the_row_the_header_as_typed_and_the_column_letter(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(
        "Indicator;Period;Sex;Value;Source\nOUT1;2026;men;lots;Register\nOC1;2026;;101;Survey\n",
        encoding="utf-8",
    )
    with pytest.raises(DomainError) as caught:
        read_values(path.read_bytes(), filename="values.csv", max_bytes=10**6, units=UNITS)
    assert [p.location for p in caught.value.problems] == [
        "row 2, column “Value” (D)",
        "row 3, column “Value” (D)",
    ]
    assert "“lots” is not a number" in caught.value.problems[0].message


def test_the_template_lists_the_columns_and_the_indicators():
    content = values_template_xlsx(
        [("OUT1", "People trained")],
        periods=["2026", "2026-Q1"],
        locations=["Rodrigues"],
        notes={"value": "A number."},
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = workbook["values"]
    assert [cell.value for cell in values[1]] == [
        "indicator",
        "period",
        "sex",
        "location",
        "value",
        "source",
        "note",
        "kind",
    ]
    assert [[cell.value for cell in row] for row in workbook["indicators"].iter_rows(min_row=2)] == [
        ["OUT1", "People trained"]
    ]
