import codecs
import datetime
import io

import openpyxl
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.tabular import MAX_PROBLEMS, Sheet, normalise_header, read_table, write_xlsx

LIMIT = 1024 * 1024


def saved(tmp_path, name, data):
    """Write the upload to disk and read it back, as a browser upload would hand it over."""
    path = tmp_path / name
    path.write_bytes(data)
    return path.read_bytes()


def xlsx_bytes(tmp_path, cells, *, title="Data", extra_sheets=()):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for coordinate, value in cells.items():
        worksheet[coordinate] = value
    for name in extra_sheets:
        extra = workbook.create_sheet(name)
        extra["A1"], extra["A2"] = "other", "value"
    path = tmp_path / "upload.xlsx"
    workbook.save(path)
    return path.read_bytes()


def problems_of(caught):
    return {problem.location: problem.message for problem in caught.value.problems}


# --- CSV -----------------------------------------------------------------------------------------------


def test_kobo_style_semicolon_csv_with_bom_and_crlf(tmp_path):
    text = "\ufeffName;Staff total;Location\r\nMinistère de la Justice;12;Port Louis, Mauritius\r\n"
    data = saved(tmp_path, "kobo.csv", text.encode("utf-8"))

    table = read_table(data, filename="kobo.csv", max_bytes=LIMIT)

    assert table.columns == ("name", "staff_total", "location")
    assert table.labels["staff_total"] == "Staff total"
    assert table.letters["location"] == "C"
    assert table.source == "kobo.csv"
    assert table.rows[0].number == 2
    assert table.rows[0].values == {
        "name": "Ministère de la Justice",
        "staff_total": "12",
        "location": "Port Louis, Mauritius",
    }


def test_excel_separator_hint_line_is_honoured_and_not_counted(tmp_path):
    data = saved(tmp_path, "hint.csv", b"sep=;\r\nname;note\r\nATU;a, b, c and d\r\n")

    table = read_table(data, filename="hint.csv", max_bytes=LIMIT)

    assert [(row.number, row.values) for row in table.rows] == [(2, {"name": "ATU", "note": "a, b, c and d"})]


def test_utf16_csv_with_tabs(tmp_path):
    text = "name\tstaff_total\nMinistère\t7\n"
    data = saved(tmp_path, "export.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    table = read_table(data, filename="export.txt", max_bytes=LIMIT)

    assert table.rows[0].values == {"name": "Ministère", "staff_total": "7"}


def test_utf16_csv_without_bom_is_recognised(tmp_path):
    data = saved(tmp_path, "nobom.csv", "name;level\r\nMinistère;national\r\n".encode("utf-16-le"))

    table = read_table(data, filename="nobom.csv", max_bytes=LIMIT)

    assert table.rows[0].values == {"name": "Ministère", "level": "national"}


def test_windows_1252_csv_keeps_accents(tmp_path):
    data = saved(
        tmp_path, "legacy.csv", "name,sector\r\nMinistère du Travail,government\r\n".encode("cp1252")
    )

    table = read_table(data, filename="legacy.csv", max_bytes=LIMIT)

    assert table.rows[0].values["name"] == "Ministère du Travail"


def test_undecodable_bytes_are_reported_with_their_line(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8.
    data = saved(tmp_path, "broken.csv", b"name\r\nok\r\nbad \x81 byte\r\n")

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="broken.csv", max_bytes=LIMIT)

    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert "line 3" in caught.value.message
    assert "CSV UTF-8" in caught.value.message


def test_quoted_fields_with_delimiters_quotes_and_line_breaks(tmp_path):
    text = 'name,mandate\r\n"IOM, Mauritius","Says ""hello""\r\nacross lines"\r\nNGO,Shelter\r\n'
    data = saved(tmp_path, "quoted.csv", text.encode())

    table = read_table(data, filename="quoted.csv", max_bytes=LIMIT)

    assert table.rows[0].values == {"name": "IOM, Mauritius", "mandate": 'Says "hello"\r\nacross lines'}
    assert [row.number for row in table.rows] == [2, 3]


def test_values_are_stripped_missing_cells_empty_and_blank_rows_skipped(tmp_path):
    text = "name,acronym,level\n  Police TIP Unit  , PTU\n,,\n\nShelter,,local\n"
    data = saved(tmp_path, "rows.csv", text.encode())

    table = read_table(data, filename="rows.csv", max_bytes=LIMIT)

    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"name": "Police TIP Unit", "acronym": "PTU", "level": ""}),
        (5, {"name": "Shelter", "acronym": "", "level": "local"}),
    ]
    assert table.numbered_rows()[1] == (5, {"name": "Shelter", "acronym": "", "level": "local"})


def test_csv_formula_is_refused_naming_the_cell_but_negative_numbers_pass(tmp_path):
    text = "name,balance,staff_total\nA,-5,=SUM(A1)\nB,-3.5,+230 5123 4567\nC,-1,=1+1\n"
    data = saved(tmp_path, "formula.csv", text.encode())

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="formula.csv", max_bytes=LIMIT)

    problems = problems_of(caught)
    assert set(problems) == {"row 2, column “staff_total” (C)", "row 4, column “staff_total” (C)"}
    assert "=SUM(A1)" in problems["row 2, column “staff_total” (C)"]
    assert "Paste Special → Values" in problems["row 2, column “staff_total” (C)"]


def test_negative_numbers_and_escaped_text_are_read_as_values(tmp_path):
    data = saved(tmp_path, "ok.csv", b"name,change\nA,-5\nB,'=not a formula\n")

    table = read_table(data, filename="ok.csv", max_bytes=LIMIT)

    assert [row.values["change"] for row in table.rows] == ["-5", "=not a formula"]


def test_excel_workbook_named_csv_is_explained(tmp_path):
    data = xlsx_bytes(tmp_path, {"A1": "name", "A2": "x"})

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="export.csv", max_bytes=LIMIT)

    assert ".xlsx" in caught.value.message


def test_binary_bytes_named_csv_are_refused(tmp_path):
    with pytest.raises(DomainError) as caught:
        read_table(b"name\n\x00\x01\x02\x03garbage", filename="x.csv", max_bytes=LIMIT)

    assert "not look like a text" in caught.value.message


# --- Header --------------------------------------------------------------------------------------------


def test_header_names_are_normalised():
    assert normalise_header("  Staff total ") == "staff_total"
    assert normalise_header("Frontline-Women") == "frontline_women"
    assert normalise_header("meta-instanceID") == "meta_instanceid"
    assert normalise_header("group/question") == "group/question"


def test_duplicate_headers_are_named_ignoring_case_and_spaces(tmp_path):
    data = saved(tmp_path, "dup.csv", b"Name,Staff total,staff_total,NAME\nA,1,2,B\n")

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="dup.csv", max_bytes=LIMIT)

    problems = problems_of(caught)
    assert set(problems) == {"row 1, column “staff_total” (C)", "row 1, column “NAME” (D)"}
    assert "column C repeats column B (“Staff total”)" in problems["row 1, column “staff_total” (C)"]


def test_blank_header_over_data_is_refused_but_trailing_empty_columns_are_ignored(tmp_path):
    data = saved(tmp_path, "blank.csv", b"name,,level,\nA,oops,local,\nB,,national,\n")

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="blank.csv", max_bytes=LIMIT)

    problems = problems_of(caught)
    assert list(problems) == ["row 1, column B"]
    assert "no name in the header row" in problems["row 1, column B"]


def test_empty_header_cell_without_data_is_dropped(tmp_path):
    data = saved(tmp_path, "trailing.csv", b"name,level,\r\nA,local,\r\n")

    assert read_table(data, filename="trailing.csv", max_bytes=LIMIT).columns == ("name", "level")


def test_empty_file_and_header_only_file_are_refused(tmp_path):
    with pytest.raises(DomainError) as empty:
        read_table(b"\xef\xbb\xbf\r\n\r\n", filename="empty.csv", max_bytes=LIMIT)
    with pytest.raises(DomainError) as header_only:
        read_table(b"name,level\r\n,\r\n", filename="header.csv", max_bytes=LIMIT)

    assert empty.value.code == ErrorCode.REQUIRED
    assert "is empty" in empty.value.message
    assert header_only.value.code == ErrorCode.REQUIRED
    assert "no data below it" in header_only.value.message


def test_problems_are_capped_and_all_counted(tmp_path):
    lines = ["name,total"] + [f"org{i},=A{i}" for i in range(2, 70)]
    data = saved(tmp_path, "many.csv", "\n".join(lines).encode())

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="many.csv", max_bytes=LIMIT)

    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.params["count"] == 68


# --- Size and format -----------------------------------------------------------------------------------


def test_too_large_file_states_size_and_limit_in_megabytes():
    data = b"x" * (3 * 1024 * 1024)

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="big.csv", max_bytes=2 * 1024 * 1024)

    assert caught.value.code == ErrorCode.UPLOAD_TOO_LARGE
    assert "3.0 MB" in caught.value.message
    assert "2.0 MB" in caught.value.message


@pytest.mark.parametrize("filename", ["old.xls", "form.pdf", "noextension"])
def test_unsupported_formats_name_the_accepted_ones(filename):
    with pytest.raises(DomainError) as caught:
        read_table(b"whatever", filename=filename, max_bytes=LIMIT)

    assert ".csv, .txt, .xlsx" in caught.value.message


def test_garbage_named_xlsx_is_not_a_valid_excel_file(tmp_path):
    for data in (b"\x00\x01garbage" * 20, b"PK\x03\x04not really a zip", b"name,level\n"):
        with pytest.raises(DomainError) as caught:
            read_table(saved(tmp_path, "fake.xlsx", data), filename="fake.xlsx", max_bytes=LIMIT)
        assert "not a valid Excel file" in caught.value.message


def test_zip_that_is_not_a_workbook_is_not_a_valid_excel_file(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")

    with pytest.raises(DomainError) as caught:
        read_table(buffer.getvalue(), filename="fake.xlsx", max_bytes=LIMIT)

    assert "not a valid Excel file" in caught.value.message


# --- XLSX ----------------------------------------------------------------------------------------------


def test_xlsx_whole_numbers_decimals_dates_and_booleans(tmp_path):
    data = xlsx_bytes(
        tmp_path,
        {
            "A1": "name",
            "B1": "Staff total",
            "C1": "ratio",
            "D1": "staff_as_of",
            "E1": "updated",
            "F1": "active",
            "A2": "Police",
            "B2": 12,
            "C2": 0.1 + 0.2,
            "D2": datetime.date(2024, 3, 1),
            "E2": datetime.datetime(2024, 3, 1, 9, 30),
            "F2": True,
            "A3": "Shelter",
            "B3": 12.0,
            "C3": -2.5,
        },
    )

    table = read_table(data, filename="orgs.xlsx", max_bytes=LIMIT)

    assert table.sheet == "Data"
    assert table.rows[0].values == {
        "name": "Police",
        "staff_total": "12",
        "ratio": "0.3",
        "staff_as_of": "2024-03-01",
        "updated": "2024-03-01 09:30",
        "active": "TRUE",
    }
    assert table.rows[1].values["staff_total"] == "12"
    assert table.rows[1].values["ratio"] == "-2.5"
    assert table.rows[1].values["staff_as_of"] == ""


def test_xlsx_row_numbers_match_the_sheet_when_data_starts_lower(tmp_path):
    data = xlsx_bytes(tmp_path, {"B3": "name", "B4": "Police", "B6": "Shelter"})

    table = read_table(data, filename="orgs.xlsx", max_bytes=LIMIT)

    assert [(row.number, row.values["name"]) for row in table.rows] == [(4, "Police"), (6, "Shelter")]


def test_xlsx_formula_cells_are_refused_naming_each_cell(tmp_path):
    data = xlsx_bytes(
        tmp_path,
        {
            "A1": "name",
            "B1": "staff_women",
            "C1": "staff_total",
            "A2": "Police",
            "B2": 3,
            "C2": 10,
            "A4": "Shelter",
            "B4": 4,
            "C4": "=B4*2",
            "A5": "=A4",
        },
    )

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="orgs.xlsx", max_bytes=LIMIT)

    problems = problems_of(caught)
    assert set(problems) == {"row 4, column “staff_total” (C)", "row 5, column “name” (A)"}
    assert "=B4*2" in problems["row 4, column “staff_total” (C)"]
    assert "values only" in problems["row 4, column “staff_total” (C)"]


def test_xlsx_sheet_can_be_chosen_and_unknown_sheet_lists_the_sheets(tmp_path):
    data = xlsx_bytes(tmp_path, {"A1": "name", "A2": "x"}, extra_sheets=("Organisations",))

    chosen = read_table(data, filename="o.xlsx", max_bytes=LIMIT, sheet="organisations")

    assert chosen.sheet == "Organisations"
    assert chosen.rows[0].values == {"other": "value"}
    with pytest.raises(DomainError) as caught:
        read_table(data, filename="o.xlsx", max_bytes=LIMIT, sheet="Stakeholders")

    assert "“Data”, “Organisations”" in caught.value.message


def test_old_excel_format_named_xlsx_is_explained(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

    with pytest.raises(DomainError) as caught:
        read_table(data, filename="old.xlsx", max_bytes=LIMIT)

    assert ".xls" in caught.value.message


# --- Writing -------------------------------------------------------------------------------------------


def template_sheet():
    return Sheet(
        name="Organisations",
        header=("id", "name", "type", "staff_total", "staff_as_of", "note"),
        rows=[
            [
                "PTU",
                "Police Anti-Trafficking Unit",
                "law_enforcement",
                24,
                datetime.date(2024, 6, 30),
                "=cmd|' /C calc'!A0",
            ],
            ["SHL", "Safe Haven Shelter", "ngo", 9.0, None, "-5"],
            ["NEG", "+ not a number", "ngo", -3, None, "@SUM(A1)"],
        ],
        column_notes={"type": "One of the organisation type codes.", "staff_as_of": "Date, yyyy-mm-dd."},
        choices={"type": ("ngo", "law_enforcement", "health_service")},
    )


def test_write_xlsx_round_trips_through_read_table(tmp_path):
    data = saved(tmp_path, "template.xlsx", write_xlsx([template_sheet()]))

    table = read_table(data, filename="template.xlsx", max_bytes=LIMIT)

    assert table.columns == ("id", "name", "type", "staff_total", "staff_as_of", "note")
    assert [row.values for row in table.rows] == [
        {
            "id": "PTU",
            "name": "Police Anti-Trafficking Unit",
            "type": "law_enforcement",
            "staff_total": "24",
            "staff_as_of": "2024-06-30",
            "note": "=cmd|' /C calc'!A0",
        },
        {
            "id": "SHL",
            "name": "Safe Haven Shelter",
            "type": "ngo",
            "staff_total": "9",
            "staff_as_of": "",
            "note": "-5",
        },
        {
            "id": "NEG",
            "name": "+ not a number",
            "type": "ngo",
            "staff_total": "-3",
            "staff_as_of": "",
            "note": "@SUM(A1)",
        },
    ]


def test_written_cells_never_hold_formulas_and_numbers_stay_numbers(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(write_xlsx([template_sheet()]))

    worksheet = openpyxl.load_workbook(path)["Organisations"]

    assert worksheet["F2"].value == "'=cmd|' /C calc'!A0"
    assert worksheet["F2"].data_type == "s"
    assert worksheet["B4"].value == "'+ not a number"
    assert worksheet["F4"].value == "'@SUM(A1)"
    assert worksheet["F3"].value == "-5"  # a number written as text stays as it is
    assert worksheet["D2"].value == 24
    assert worksheet["D4"].value == -3
    assert worksheet["D2"].data_type == "n"
    assert worksheet["E2"].is_date
    assert not any(cell.data_type == "f" for row in worksheet.iter_rows() for cell in row)


def test_written_header_is_bold_frozen_filtered_and_annotated(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(write_xlsx([template_sheet()]))

    worksheet = openpyxl.load_workbook(path)["Organisations"]

    assert worksheet["A1"].font.bold
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:F4"
    assert worksheet["C1"].comment.text == "One of the organisation type codes."
    assert worksheet["A1"].comment is None
    assert worksheet.column_dimensions["B"].width > worksheet.column_dimensions["A"].width


def test_choices_become_drop_down_lists(tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(write_xlsx([template_sheet()]))

    workbook = openpyxl.load_workbook(path)
    validations = workbook["Organisations"].data_validations.dataValidation

    assert len(validations) == 1
    assert validations[0].type == "list"
    assert validations[0].formula1 == '"ngo,law_enforcement,health_service"'
    assert str(validations[0].sqref).startswith("C2:C")
    assert workbook.sheetnames == ["Organisations"]


def test_long_choice_lists_live_on_a_hidden_lists_sheet(tmp_path):
    codes = tuple(f"organisation_type_number_{i}" for i in range(30))
    sheet = Sheet("Organisations", ("type",), [["organisation_type_number_1"]], choices={"type": codes})
    path = tmp_path / "long.xlsx"
    path.write_bytes(write_xlsx([sheet]))

    workbook = openpyxl.load_workbook(path)
    validation = workbook["Organisations"].data_validations.dataValidation[0]

    assert workbook["lists"].sheet_state == "hidden"
    assert validation.formula1 == "'lists'!$A$2:$A$31"
    assert [workbook["lists"].cell(row=r, column=1).value for r in (1, 2, 31)] == [
        "type",
        "organisation_type_number_0",
        "organisation_type_number_29",
    ]
    # The first visible sheet is still the one read back.
    assert read_table(path.read_bytes(), filename="long.xlsx", max_bytes=LIMIT).sheet == "Organisations"


def test_several_sheets_keep_their_order_and_unique_names(tmp_path):
    data = write_xlsx(
        [Sheet("Data", ("a",), [[1]]), Sheet("data", ("b",), [[2]]), Sheet("x" * 40, ("c",), [])]
    )

    workbook = openpyxl.load_workbook(io.BytesIO(data))

    assert workbook.sheetnames == ["Data", "data (2)", "x" * 31]
