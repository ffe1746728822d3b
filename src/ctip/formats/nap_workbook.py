"""The budget of a National Action Plan as an Excel workbook whose totals are live formulas (issue 8).

Written from the plan's core dataclasses (:class:`ctip.core.nap.model.Nap`), in English or French:

* **Cost lines** — one row per cost line, in the plan's order: pillar, output, activity and line codes,
  the activity and the line, the lead agency, unit, unit cost, quantity, frequency, the amount
  ``= ROUND(unit cost × quantity × frequency, minor unit)`` (the rule of :func:`ctip.core.nap.budget.line_amount`),
  the year, the currency, the funding source and the gender marker. Unit cost, quantity, frequency, year,
  funding source and marker are the cells a finance officer edits (pale yellow);
* **Summary** — for each currency of the plan (amounts in different currencies are never added): the cost
  by pillar × year, by funding source and by gender marker, every cell a ``SUMIFS`` over the Cost lines
  sheet, so that a changed quantity or a line moved to another year shows at once; and a bar chart of the
  cost by pillar and year (native to the spreadsheet, so it follows the edits too).

The workbook asks the spreadsheet to recalculate on opening (openpyxl stores no computed values). Text
cells are written as text (a value that a spreadsheet would run as a formula gets a leading apostrophe).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.datavalidation import DataValidation

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.nap.budget import costed_lines, minor_units
from ctip.core.nap.model import Activity, FundingSource, GenderMarker, Nap, walk
from ctip.core.tna.model import Text
from ctip.formats.tabular import column_letter, neutralise_formula

LANGUAGES = ("en", "fr")
COUNT_FORMAT = "#,##0.###"
HEADER_FILL = PatternFill("solid", start_color="DDE5EE")
INPUT_FILL = PatternFill("solid", start_color="FFF8E1")
"""Cells a finance officer may change: a pale yellow, as spreadsheet users expect."""
TOTAL_FILL = PatternFill("solid", start_color="F1F4F8")
BOLD = Font(name="Calibri", bold=True)
TITLE = Font(name="Calibri", bold=True, size=13)

_W: dict[str, Text] = {
    "lines": Text("Cost lines", "Lignes de coût"),
    "summary": Text("Summary", "Synthèse"),
    "pillar": Text("Pillar", "Pilier"),
    "pillar_name": Text("Pillar name", "Nom du pilier"),
    "output": Text("Output", "Produit"),
    "activity": Text("Activity", "Activité"),
    "activity_text": Text("Activity description", "Description de l'activité"),
    "line": Text("Line", "Ligne"),
    "description": Text("Cost line", "Ligne de coût"),
    "lead": Text("Lead agency", "Institution chef de file"),
    "unit": Text("Unit", "Unité"),
    "unit_cost": Text("Unit cost", "Coût unitaire"),
    "quantity": Text("Quantity", "Quantité"),
    "frequency": Text("Frequency", "Fréquence"),
    "amount": Text("Amount", "Montant"),
    "year": Text("Year", "Année"),
    "currency": Text("Currency", "Monnaie"),
    "source": Text("Funding source", "Source de financement"),
    "marker": Text("Gender marker", "Marqueur genre"),
    "total": Text("Total", "Total"),
    "other_years": Text("No year or outside the period", "Sans année ou hors période"),
    "by_pillar": Text(
        "Cost by pillar and year (%(currency)s)", "Coût par pilier et par année (%(currency)s)"
    ),
    "by_source": Text(
        "Cost by funding source (%(currency)s)", "Coût par source de financement (%(currency)s)"
    ),
    "by_marker": Text("Cost by gender marker (%(currency)s)", "Coût par marqueur genre (%(currency)s)"),
    "share": Text("Share", "Part"),
    "chart": Text("Cost by pillar and year (%(currency)s)", "Coût par pilier et par année (%(currency)s)"),
    "no_lines": Text(
        "The plan has no cost lines yet: add them to its activities, or type them on the Cost lines sheet.",
        "Le plan n'a pas encore de lignes de coût : ajoutez-les à ses activités ou saisissez-les dans "
        "la feuille Lignes de coût.",
    ),
    "government": Text("Government", "Gouvernement"),
    "donor": Text("Donor", "Bailleur"),
    "unfunded": Text("Unfunded", "Non financé"),
    "marker_0": Text("0 — not targeted", "0 — non ciblé"),
    "marker_1": Text("1 — significant objective", "1 — objectif significatif"),
    "marker_2": Text("2 — principal objective", "2 — objectif principal"),
}


def _w(key: str, language: str, **params: object) -> str:
    text = _W[key].get(language)
    return text % params if params else text


def funding_label(source: FundingSource, language: str) -> str:
    """The funding source as written in the workbook's cells (the Summary matches on it)."""
    return _w(source.value, language)


def money_format(currency: str) -> str:
    places = minor_units(currency)
    return "#,##0" + ("." + "0" * places if places else "")


# Cost lines columns
(
    C_PILLAR,
    C_PILLAR_NAME,
    C_OUTPUT,
    C_ACTIVITY,
    C_ACTIVITY_TEXT,
    C_LINE,
    C_DESCRIPTION,
    C_LEAD,
    C_UNIT,
    C_UNIT_COST,
    C_QUANTITY,
    C_FREQUENCY,
    C_AMOUNT,
    C_YEAR,
    C_CURRENCY,
    C_SOURCE,
    C_MARKER,
) = range(1, 18)
LAST_COLUMN = C_MARKER


def write_nap_workbook(nap: Nap, *, language: str = "en", currency: str = "USD") -> bytes:
    """The workbook as ``.xlsx`` bytes. ``currency`` is the plan's own, used for the summary when the plan
    has no cost lines yet. Raises ``invalid_value`` for a language other than English or French."""
    if language not in LANGUAGES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The budget workbook cannot be written: choose English (“en”) or French (“fr”)."),
            problems=[FieldProblem("language", _("Choose “en” or “fr”."))],
        )
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    lines_sheet = workbook.create_sheet(_w("lines", language))
    summary = workbook.create_sheet(_w("summary", language))
    first, last, currencies = _cost_lines(lines_sheet, nap, language)
    _summary(summary, lines_sheet.title, nap, language, (first, last), currencies or (currency,))
    for sheet in (lines_sheet, summary):
        _print_setup(sheet)
    workbook.calculation = CalcProperties(fullCalcOnLoad=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Writing cells ---------------------------------------------------------------------------------------


def _header(sheet: Any, titles: Sequence[str], *, row: int = 1) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=neutralise_formula(title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[row].height = 30


def _text(sheet: Any, row: int, column: int, value: str) -> Any:
    return sheet.cell(row=row, column=column, value=neutralise_formula(value))


def _number(sheet: Any, row: int, column: int, value: object, number_format: str = COUNT_FORMAT) -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = width


def _total_style(sheet: Any, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = BOLD
        cell.fill = TOTAL_FILL


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _sheet_reference(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


# --- The sheets ------------------------------------------------------------------------------------------


def _cost_lines(sheet: Any, nap: Nap, language: str) -> tuple[int, int, tuple[str, ...]]:
    """Writes the Cost lines; returns the first and last data rows and the currencies in order of use."""
    _header(
        sheet,
        [
            _w(key, language)
            for key in (
                "pillar",
                "pillar_name",
                "output",
                "activity",
                "activity_text",
                "line",
                "description",
                "lead",
                "unit",
                "unit_cost",
                "quantity",
                "frequency",
                "amount",
                "year",
                "currency",
                "source",
                "marker",
            )
        ],
    )
    sheet.print_title_rows = "1:1"
    pillar_names = {pillar.code: pillar.name for pillar in nap.pillars}
    activity_texts: dict[str, str] = {}
    for _path, element in walk(nap):
        if isinstance(element, Activity):
            activity_texts[element.code] = element.description
    currencies: dict[str, None] = {}
    first = 2
    row = first
    for costed in costed_lines(nap):
        line = costed.line
        parts = costed.path.split("/")
        output_code = parts[-3] if len(parts) >= 3 else ""
        places = money_format(line.currency)
        currencies.setdefault(line.currency, None)
        _text(sheet, row, C_PILLAR, costed.pillar)
        _text(sheet, row, C_PILLAR_NAME, pillar_names.get(costed.pillar, ""))
        _text(sheet, row, C_OUTPUT, output_code)
        _text(sheet, row, C_ACTIVITY, costed.activity)
        _text(sheet, row, C_ACTIVITY_TEXT, activity_texts.get(costed.activity, ""))
        _text(sheet, row, C_LINE, line.code)
        _text(sheet, row, C_DESCRIPTION, line.description)
        _text(sheet, row, C_LEAD, costed.lead_agency)
        _text(sheet, row, C_UNIT, line.unit)
        _number(sheet, row, C_UNIT_COST, line.unit_cost, places).fill = INPUT_FILL
        _number(sheet, row, C_QUANTITY, line.quantity).fill = INPUT_FILL
        _number(sheet, row, C_FREQUENCY, line.frequency).fill = INPUT_FILL
        letters = [column_letter(column) + str(row) for column in (C_UNIT_COST, C_QUANTITY, C_FREQUENCY)]
        _number(
            sheet,
            row,
            C_AMOUNT,
            f"=ROUND({'*'.join(letters)},{minor_units(line.currency)})",
            places,
        )
        _number(sheet, row, C_YEAR, line.year, "0").fill = INPUT_FILL
        _text(sheet, row, C_CURRENCY, line.currency)
        _text(
            sheet, row, C_SOURCE, funding_label(FundingSource(line.funding_source), language)
        ).fill = INPUT_FILL
        _number(sheet, row, C_MARKER, int(line.gender_marker), "0").fill = INPUT_FILL
        row += 1
    last = max(row - 1, first)
    if row == first:
        _text(sheet, first, C_PILLAR, _w("no_lines", language))
    # Drop-down lists where a value must match the Summary's criteria.
    sources = ",".join(funding_label(source, language) for source in FundingSource)
    if '"' not in sources and len(sources) < 250:
        choice = DataValidation(type="list", formula1=f'"{sources}"', allow_blank=True)
        choice.add(f"{column_letter(C_SOURCE)}{first}:{column_letter(C_SOURCE)}{last + 200}")
        sheet.add_data_validation(choice)
    markers = DataValidation(type="whole", operator="between", formula1="0", formula2="2", allow_blank=True)
    markers.add(f"{column_letter(C_MARKER)}{first}:{column_letter(C_MARKER)}{last + 200}")
    sheet.add_data_validation(markers)
    _widths(sheet, (8, 18, 10, 10, 40, 8, 34, 22, 16, 13, 10, 10, 15, 8, 9, 16, 9))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{column_letter(LAST_COLUMN)}{last}"
    return first, last, tuple(currencies)


def _summary(
    sheet: Any,
    lines_title: str,
    nap: Nap,
    language: str,
    rows: tuple[int, int],
    currencies: Sequence[str],
) -> None:
    lines = _sheet_reference(lines_title)
    first, last = rows
    # Reach 500 rows below the last line so that lines a finance officer appends are counted too.
    end = last + 500

    def column_range(column: int) -> str:
        letter = column_letter(column)
        return f"{lines}!${letter}${first}:${letter}${end}"

    amounts, pillars, years = column_range(C_AMOUNT), column_range(C_PILLAR), column_range(C_YEAR)
    currency_range = column_range(C_CURRENCY)
    year_list = list(nap.years)
    total_column = 2 + len(year_list) + 2  # A pillar, B name, years…, other, total
    other_column = total_column - 1
    row = 1
    for currency in currencies:
        places = money_format(currency)
        _text(sheet, row, 1, _w("by_pillar", language, currency=currency)).font = TITLE
        row += 1
        header_row = row
        _header(
            sheet,
            (
                _w("pillar", language),
                _w("pillar_name", language),
                *(str(year) for year in year_list),
                _w("other_years", language),
                _w("total", language),
            ),
            row=row,
        )
        first_pillar = row + 1
        for index, pillar in enumerate(nap.pillars):
            row = first_pillar + index
            _text(sheet, row, 1, pillar.code)
            _text(sheet, row, 2, pillar.name)
            for offset, year in enumerate(year_list):
                _number(
                    sheet,
                    row,
                    3 + offset,
                    f'=SUMIFS({amounts},{pillars},$A{row},{years},{year},{currency_range},"{currency}")',
                    places,
                )
            _number(
                sheet,
                row,
                total_column,
                f'=SUMIFS({amounts},{pillars},$A{row},{currency_range},"{currency}")',
                places,
            )
            year_cells = f"C{row}:{column_letter(other_column - 1)}{row}" if year_list else ""
            _number(
                sheet,
                row,
                other_column,
                f"=ROUND({column_letter(total_column)}{row}-SUM({year_cells}),{minor_units(currency)})"
                if year_cells
                else f"={column_letter(total_column)}{row}",
                places,
            )
        last_pillar = first_pillar + len(nap.pillars) - 1
        row = max(last_pillar, first_pillar - 1) + 1
        total_row = row
        _text(sheet, total_row, 1, _w("total", language))
        for column in range(3, total_column + 1):
            letter = column_letter(column)
            formula = f"=SUM({letter}{first_pillar}:{letter}{last_pillar})" if nap.pillars else "=0"
            _number(sheet, total_row, column, formula, places)
        _total_style(sheet, total_row, total_column)
        if nap.pillars and year_list:
            _chart(
                sheet, language, currency, header_row, first_pillar, last_pillar, other_column, total_column
            )
        row = total_row + 2
        row = _by_source(sheet, language, currency, row, amounts, column_range(C_SOURCE), currency_range)
        row = _by_marker(sheet, language, currency, row, amounts, column_range(C_MARKER), currency_range)
        row += max(0, (header_row + 18) - row)  # leave room for the chart beside the tables
    _widths(sheet, (30, 24, *([13] * len(year_list)), 16, 15))


def _by_source(
    sheet: Any,
    language: str,
    currency: str,
    row: int,
    amounts: str,
    sources: str,
    currency_range: str,
) -> int:
    places = money_format(currency)
    _text(sheet, row, 1, _w("by_source", language, currency=currency)).font = BOLD
    _header(sheet, (_w("source", language), _w("amount", language), _w("share", language)), row=row + 1)
    start = row + 2
    for index, source in enumerate(FundingSource):
        current = start + index
        _text(sheet, current, 1, funding_label(source, language))
        _number(
            sheet,
            current,
            2,
            f'=SUMIFS({amounts},{sources},$A{current},{currency_range},"{currency}")',
            places,
        )
    total_row = start + len(FundingSource)
    _shares_and_total(sheet, language, start, total_row, places)
    return total_row + 2


def _by_marker(
    sheet: Any,
    language: str,
    currency: str,
    row: int,
    amounts: str,
    markers: str,
    currency_range: str,
) -> int:
    places = money_format(currency)
    _text(sheet, row, 1, _w("by_marker", language, currency=currency)).font = BOLD
    _header(sheet, (_w("marker", language), _w("amount", language), _w("share", language)), row=row + 1)
    start = row + 2
    for index, marker in enumerate(GenderMarker):
        current = start + index
        _text(sheet, current, 1, _w(f"marker_{int(marker)}", language))
        _number(
            sheet,
            current,
            2,
            f'=SUMIFS({amounts},{markers},{int(marker)},{currency_range},"{currency}")',
            places,
        )
    total_row = start + len(GenderMarker)
    _shares_and_total(sheet, language, start, total_row, places)
    return total_row + 2


def _shares_and_total(sheet: Any, language: str, start: int, total_row: int, places: str) -> None:
    _text(sheet, total_row, 1, _w("total", language))
    _number(sheet, total_row, 2, f"=SUM(B{start}:B{total_row - 1})", places)
    for current in range(start, total_row + 1):
        _number(sheet, current, 3, f'=IF($B${total_row}=0,"",B{current}/$B${total_row})', "0.0%")
    _total_style(sheet, total_row, 3)


def _chart(
    sheet: Any,
    language: str,
    currency: str,
    header_row: int,
    first_pillar: int,
    last_pillar: int,
    other_column: int,
    total_column: int,
) -> None:
    """A clustered bar chart: one group per pillar, one bar per year."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _w("chart", language, currency=currency)
    chart.y_axis.title = currency
    chart.x_axis.title = _w("pillar", language)
    data = Reference(sheet, min_col=3, max_col=other_column - 1, min_row=header_row, max_row=last_pillar)
    categories = Reference(sheet, min_col=1, min_row=first_pillar, max_row=last_pillar)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.height = 8
    chart.width = 16
    sheet.add_chart(chart, f"{column_letter(total_column + 2)}{header_row}")
