"""The comment matrix and the differences between two versions, written as real Word and Excel files and
read back with python-docx and openpyxl (and, for the live counts, recalculated by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from ctip.core.errors import DomainError
from ctip.core.review.diff import Change, ChangeKind
from ctip.formats.documents.docx_writer import default_template
from ctip.formats.review_documents import (
    CommentMatrix,
    DiffDocument,
    DiffLine,
    MatrixRow,
    comment_matrix_docx,
    comment_matrix_xlsx,
    diff_docx,
    diff_xlsx,
    display_value,
)
from tests.formats.libreoffice import recalculated

LINK = "https://ctip.example.org/w/mauritius/reviews/compare/?from=1&to=2#change-ind-1-2"


def row(number=1, **changes):
    values = dict(
        number=number,
        element="Indicator 1.2 Victims identified",
        element_kind="indicator",
        comment="Disaggregate the indicator by sex and age.",
        reviewer="Marie Dupont",
        organisation="UNODC",
        date=dt.date(2026, 3, 12),
        response="Done: the indicator now counts victims by sex and age.",
        decision="Accepted",
        reason="",
        change="Version 3: Indicator 1.2 changed",
        change_link=LINK,
    )
    values.update(changes)
    return MatrixRow(**values)


def matrix(rows=None, language="en"):
    return CommentMatrix(
        title="Comment matrix — National Action Plan",
        deliverable="National Action Plan 2026–2030",
        version_label="Version 2 – under review",
        round_title="Technical Committee workshop",
        meeting="Technical Committee workshop, 12 March 2026",
        generated=dt.date(2026, 3, 20),
        language=language,
        rows=tuple(rows if rows is not None else [row()]),
        organisation="National Anti-Trafficking Committee",
    )


def sample_rows():
    return [
        row(1),
        row(
            2,
            element="",
            comment="The plan has no monitoring section.",
            reviewer="John Smith",
            organisation="Ministry of Home Affairs",
            decision="Partly accepted",
            reason="Monitoring is covered by the logframe annex.",
            change="",
            change_link="",
        ),
        row(3, organisation="", decision="", response="", change="", change_link=""),
        row(4, reviewer="Aisha Bello", organisation="IOM", decision="Not accepted", reason="Out of scope."),
    ]


def diff_document(lines=None, language="en"):
    if lines is None:
        lines = [
            DiffLine(
                Change(ChangeKind.ADDED, "a4", "activity", "A1.2.4 Hold a regional workshop"),
                "Activity",
                "",
                "P1 Prevention › O1.2 Capacity",
                "",
                "",
            ),
            DiffLine(
                Change(ChangeKind.REMOVED, "c9", "cost_line", "Cost line: Venue hire"),
                "Cost line",
                "",
                "",
                "",
                "",
            ),
            DiffLine(
                Change(
                    ChangeKind.MOVED, "a7", "activity", "A2.1.1 Set up a hotline", before="o13", after="o21"
                ),
                "Activity",
                "",
                "P2 Protection › O2.1",
                "O1.3 Awareness",
                "O2.1 Victim support",
            ),
            DiffLine(
                Change(ChangeKind.MOVED, "i1", "indicator", "Indicator 1.2", "position", 1, 0),
                "Indicator",
                "",
                "P1 › O1.2",
                "2",
                "1",
            ),
            DiffLine(
                Change(ChangeKind.CHANGED, "i1", "indicator", "Indicator 1.2", "target", 50, 80),
                "Indicator",
                "Target",
                "P1 Prevention › O1.2 Capacity",
                "50",
                "80",
            ),
        ]
    return DiffDocument(
        title="Changes to the National Action Plan",
        old_label="Version 1",
        new_label="Version 2",
        generated=dt.date(2026, 3, 20),
        language=language,
        lines=tuple(lines),
    )


def reopen_docx(tmp_path, content, name="out"):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(content)
    return docx.Document(str(path))


def reopen_xlsx(tmp_path, content, name="out"):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(content)
    return openpyxl.load_workbook(str(path))


def table_texts(table):
    return [[cell.text for cell in table_row.cells] for table_row in table.rows]


def paragraphs(document):
    return [paragraph.text for paragraph in document.paragraphs]


def hyperlinks(document):
    """(text, target) of every hyperlink in the body."""
    found = []
    for element in document.element.body.iter(qn("w:hyperlink")):
        relationship = document.part.rels[element.get(qn("r:id"))]
        assert relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK
        text = "".join(node.text or "" for node in element.iter(qn("w:t")))
        found.append((text, relationship.target_ref))
    return found


def sheet_rows(sheet):
    return [list(values) for values in sheet.iter_rows(values_only=True)]


# --- display_value ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (None, "en", "—"),
        ("", "en", "—"),
        ("   ", "en", "—"),
        ("Police", "en", "Police"),
        (True, "en", "yes"),
        (False, "en", "no"),
        (True, "fr", "oui"),
        (False, "fr", "non"),
        (3, "en", "3"),
        (2.5, "en", "2.5"),
        ("1250.00", "en", "1250.00"),
        (["Police", "Immigration"], "en", "Police; Immigration"),
        ([], "en", "—"),
        ({"lead": "Police", "support": ["IOM", "UNODC"]}, "en", "lead: Police; support: IOM, UNODC"),
        ({"child_sensitive": True, "note": None}, "fr", "child_sensitive: oui; note: —"),
        ({}, "en", "—"),
    ],
)
def test_display_value_turns_json_values_into_short_texts(value, language, expected):
    assert display_value(value, language) == expected


def test_display_value_defaults_to_english():
    assert display_value(True) == "yes"


# --- The comment matrix in Word --------------------------------------------------------------------------


def test_comment_matrix_docx_holds_the_title_block_summary_and_every_comment(tmp_path):
    # Given a round with an accepted, a partly accepted, an open and a refused comment
    given = matrix(sample_rows())

    # When it is written as Word and opened again
    document = reopen_docx(tmp_path, comment_matrix_docx(given))

    # Then the body starts with the title block
    texts = paragraphs(document)
    assert "Comment matrix — National Action Plan" in texts
    for expected in (
        "Deliverable: National Action Plan 2026–2030",
        "Version: Version 2 – under review",
        "Review round: Technical Committee workshop",
        "Meeting: Technical Committee workshop, 12 March 2026",
        "Date: 20 March 2026",
    ):
        assert expected in texts
    # and the summary counts the comments by decision
    summary, comments = document.tables
    assert table_texts(summary) == [
        ["Decision", "Comments"],
        ["Accepted", "1"],
        ["Partly accepted", "1"],
        ["Not accepted", "1"],
        ["No decision yet", "1"],
        ["Total", "4"],
    ]
    # and the matrix has one row per comment, in the columns a Technical Committee expects
    cells = table_texts(comments)
    assert cells[0] == [
        "No.",
        "Element",
        "Comment",
        "Reviewer (organisation)",
        "Date",
        "Response",
        "Decision (with reason)",
        "Change",
    ]
    assert cells[1] == [
        "1",
        "Indicator 1.2 Victims identified",
        "Disaggregate the indicator by sex and age.",
        "Marie Dupont (UNODC)",
        "12 Mar 2026",
        "Done: the indicator now counts victims by sex and age.",
        "Accepted",
        "Version 3: Indicator 1.2 changed",
    ]
    assert cells[2][1] == "Whole document"
    assert cells[2][3] == "John Smith (Ministry of Home Affairs)"
    assert cells[2][6] == "Partly accepted\nMonitoring is covered by the logframe annex."
    assert cells[3][3] == "Marie Dupont"
    assert cells[3][6] == "No decision yet"
    assert cells[4][6] == "Not accepted\nOut of scope."


def test_comment_matrix_docx_links_the_change_into_the_diff(tmp_path):
    # Given two comments resolved by a change with a link, and one without
    given = matrix([row(1), row(2, change="", change_link=""), row(3, change="", change_link=LINK + "-b")])

    # When it is written as Word
    document = reopen_docx(tmp_path, comment_matrix_docx(given))

    # Then the Change cells with a link are hyperlinks to the comparison page
    assert hyperlinks(document) == [
        ("Version 3: Indicator 1.2 changed", LINK),
        ("See the change", LINK + "-b"),
    ]
    assert table_texts(document.tables[1])[2][7] == ""


def test_comment_matrix_docx_is_on_landscape_pages(tmp_path):
    document = reopen_docx(tmp_path, comment_matrix_docx(matrix()))

    section = document.sections[-1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    # the matrix uses the whole width of the landscape page
    table_width = sum(int(cell.width) for cell in document.tables[1].rows[0].cells)
    text_width = section.page_width - section.left_margin - section.right_margin
    assert table_width == pytest.approx(text_width, rel=0.02)


def test_comment_matrix_docx_in_french_has_french_headers_and_words(tmp_path):
    given = matrix(
        [row(1, decision="Accepté"), row(2, element="", decision="", change="", change_link=LINK)],
        language="fr",
    )

    document = reopen_docx(tmp_path, comment_matrix_docx(given))

    texts = paragraphs(document)
    assert "Livrable : National Action Plan 2026–2030" in texts
    assert "Cycle de revue : Technical Committee workshop" in texts
    assert "Date : 20 mars 2026" in texts
    summary, comments = document.tables
    assert table_texts(summary)[0] == ["Décision", "Commentaires"]
    cells = table_texts(comments)
    assert cells[0] == [
        "N°",
        "Élément",
        "Commentaire",
        "Relecteur (organisation)",
        "Date",
        "Réponse",
        "Décision (et motif)",
        "Modification",
    ]
    assert cells[1][4] == "12 mars 2026"
    assert cells[2][1] == "Document dans son ensemble"
    assert cells[2][6] == "Pas encore de décision"
    assert cells[2][7] == "Voir la modification"
    captions = [text for text in texts if text.startswith("Tableau")]
    assert captions == ["Tableau 1 : Commentaires par décision", "Tableau 2 : Technical Committee workshop"]


def test_an_empty_comment_matrix_docx_says_there_are_no_comments(tmp_path):
    document = reopen_docx(tmp_path, comment_matrix_docx(matrix([])))

    assert "There are no comments in this review round yet." in paragraphs(document)
    assert document.tables == []


def test_a_comment_matrix_docx_of_200_comments_has_200_rows(tmp_path):
    rows = [row(number, comment=f"Comment number {number}") for number in range(1, 201)]

    document = reopen_docx(tmp_path, comment_matrix_docx(matrix(rows)))

    cells = table_texts(document.tables[1])
    assert len(cells) == 201
    assert cells[200][:3] == ["200", "Indicator 1.2 Victims identified", "Comment number 200"]
    assert table_texts(document.tables[0])[-1] == ["Total", "200"]
    assert len(hyperlinks(document)) == 200


def test_comment_matrix_docx_keeps_the_text_of_control_characters_out(tmp_path):
    # A vertical tab pasted from Excel cannot be written to XML.
    given = matrix([row(comment="First line\x0bsecond line")])

    document = reopen_docx(tmp_path, comment_matrix_docx(given))

    assert table_texts(document.tables[1])[1][2] == "First linesecond line"


def test_comment_matrix_docx_uses_the_programmes_own_template(tmp_path):
    own = reopen_docx(tmp_path, default_template(), "template")
    own.add_paragraph("Letterhead of the programme")
    buffer = io.BytesIO()
    own.save(buffer)

    document = reopen_docx(tmp_path, comment_matrix_docx(matrix(), template=buffer.getvalue()))

    assert "Letterhead of the programme" in paragraphs(document)
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_comment_matrix_docx_refuses_a_template_that_is_not_word():
    with pytest.raises(DomainError) as raised:
        comment_matrix_docx(matrix(), template=b"not a Word file")

    assert raised.value.code == "invalid_value"
    assert raised.value.problems[0].location == "template"


@pytest.mark.parametrize("writer", [comment_matrix_docx, comment_matrix_xlsx])
def test_the_comment_matrix_is_written_in_english_or_french_only(writer):
    with pytest.raises(DomainError) as raised:
        writer(matrix(language="de"))

    assert raised.value.code == "invalid_value"
    assert "English or French, not “de”" in raised.value.message
    assert raised.value.problems[0].location == "language"


# --- The comment matrix in Excel -------------------------------------------------------------------------


def test_comment_matrix_xlsx_has_one_row_per_comment_with_real_dates_and_links(tmp_path):
    # Given a round with four comments
    given = matrix(sample_rows())

    # When it is written as Excel and opened again
    book = reopen_xlsx(tmp_path, comment_matrix_xlsx(given))

    # Then the matrix comes first, then the summary
    assert book.sheetnames == ["Comment matrix", "Summary"]
    sheet = book["Comment matrix"]
    rows = sheet_rows(sheet)
    assert rows[0] == [
        "No.",
        "Element",
        "Comment",
        "Reviewer",
        "Organisation",
        "Date",
        "Response",
        "Decision",
        "Reason",
        "Change",
    ]
    assert rows[1] == [
        1,
        "Indicator 1.2 Victims identified",
        "Disaggregate the indicator by sex and age.",
        "Marie Dupont",
        "UNODC",
        dt.datetime(2026, 3, 12),
        "Done: the indicator now counts victims by sex and age.",
        "Accepted",
        None,
        "Version 3: Indicator 1.2 changed",
    ]
    assert rows[2][1] == "Whole document"
    assert rows[2][7:9] == ["Partly accepted", "Monitoring is covered by the logframe annex."]
    assert sheet["F2"].is_date
    assert sheet["F2"].number_format == "d mmm yyyy"
    # and the Change cell links into the comparison page
    assert sheet["J2"].hyperlink.target == LINK
    assert sheet["J3"].hyperlink is None
    # and the sheet is set up for working and printing
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J5"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet["C2"].alignment.wrap_text
    assert sheet.column_dimensions["C"].width >= 40


def test_comment_matrix_xlsx_keeps_a_decision_list_to_fill_in(tmp_path):
    # Given a matrix whose caller translated a decision differently
    given = matrix([row(1), row(2, decision="Accepted in part")])

    # When it is written as Excel
    sheet = reopen_xlsx(tmp_path, comment_matrix_xlsx(given))["Comment matrix"]

    # Then the Decision column offers the three decisions, and keeps the caller's own label valid
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Accepted,Partly accepted,Not accepted,Accepted in part"'
    assert str(validation.sqref) == "H2:H503"
    assert validation.error == "Choose a decision from the list."


def test_comment_matrix_xlsx_summary_counts_with_live_formulas(tmp_path):
    book = reopen_xlsx(tmp_path, comment_matrix_xlsx(matrix(sample_rows())))

    summary = sheet_rows(book["Summary"])
    assert summary[0][0] == "Comment matrix — National Action Plan"
    assert summary[1][:2] == ["Deliverable", "National Action Plan 2026–2030"]
    assert summary[5][:2] == ["Date", dt.datetime(2026, 3, 20)]
    by_decision = {line[0]: line[1] for line in summary[9:14]}
    assert by_decision["Accepted"] == (
        "=COUNTIFS('Comment matrix'!$C$2:$C$505,\"<>\",'Comment matrix'!$H$2:$H$505,\"=Accepted\")"
    )
    assert by_decision["No decision yet"].startswith("=B14-SUM(")
    assert by_decision["Total"] == "=COUNTIFS('Comment matrix'!$C$2:$C$505,\"<>\")"
    organisations = [line[0] for line in summary[16:]]
    assert organisations == [
        "Organisation",
        "IOM",
        "Ministry of Home Affairs",
        "UNODC",
        "Other or not given",
        "Total",
    ]


def test_libreoffice_computes_the_counts_by_decision_and_organisation(tmp_path):
    # Given a matrix whose organisations hold characters a spreadsheet criterion would misread
    rows = [
        *sample_rows(),
        row(5, organisation="UNODC", decision="Accepted"),
        row(6, organisation="<NGO* Alliance?>", decision="Not accepted", reason="Duplicate."),
    ]

    # When a spreadsheet recalculates the summary
    summary = sheet_rows(recalculated(tmp_path, comment_matrix_xlsx(matrix(rows)))["Summary"])

    # Then the counts match the comments
    by_decision = {line[0]: line[1] for line in summary[9:14]}
    assert by_decision == {
        "Accepted": 2,
        "Partly accepted": 1,
        "Not accepted": 2,
        "No decision yet": 1,
        "Total": 6,
    }
    by_organisation = {line[0]: line[1:6] for line in summary[17:]}
    assert by_organisation == {
        "<NGO* Alliance?>": [1, 0, 0, 1, 0],
        "IOM": [1, 0, 0, 1, 0],
        "Ministry of Home Affairs": [1, 0, 1, 0, 0],
        "UNODC": [2, 2, 0, 0, 0],
        "Other or not given": [1, 0, 0, 0, 1],
        "Total": [6, 2, 1, 2, 1],
    }


def test_comment_matrix_xlsx_in_french_has_french_sheets_and_headers(tmp_path):
    book = reopen_xlsx(tmp_path, comment_matrix_xlsx(matrix([row(element="")], language="fr")))

    assert book.sheetnames == ["Matrice des commentaires", "Synthèse"]
    rows = sheet_rows(book["Matrice des commentaires"])
    assert rows[0][:4] == ["N°", "Élément", "Commentaire", "Relecteur"]
    assert rows[0][7:] == ["Décision", "Motif", "Modification"]
    assert rows[1][1] == "Document dans son ensemble"
    (validation,) = book["Matrice des commentaires"].data_validations.dataValidation
    assert validation.formula1 == '"Accepté,Partiellement accepté,Non accepté,Accepted"'
    summary = sheet_rows(book["Synthèse"])
    assert summary[1][0] == "Livrable"
    assert summary[7][0] == "Commentaires par décision"


def test_an_empty_comment_matrix_xlsx_says_there_are_no_comments(tmp_path):
    book = reopen_xlsx(tmp_path, comment_matrix_xlsx(matrix([])))

    rows = sheet_rows(book["Comment matrix"])
    assert rows[1][0] == "There are no comments in this review round yet."
    assert len(rows) == 2
    assert sheet_rows(book["Summary"])[7][0] == "Comments by decision"


def test_a_comment_matrix_xlsx_of_200_comments_has_200_rows(tmp_path):
    rows = [row(number, comment=f"Comment number {number}") for number in range(1, 201)]

    sheet = reopen_xlsx(tmp_path, comment_matrix_xlsx(matrix(rows)))["Comment matrix"]

    assert sheet.max_row == 201
    assert sheet["A201"].value == 200
    assert sheet["C201"].value == "Comment number 200"
    assert sheet.auto_filter.ref == "A1:J201"


def test_comment_matrix_xlsx_never_writes_a_formula_from_a_comment(tmp_path):
    given = matrix([row(comment='=HYPERLINK("http://evil.example")', reviewer="+Someone\x0b")])

    sheet = reopen_xlsx(tmp_path, comment_matrix_xlsx(given))["Comment matrix"]

    assert sheet["C2"].data_type == "s"
    assert sheet["C2"].value == '\'=HYPERLINK("http://evil.example")'
    assert sheet["D2"].value == "'+Someone"


def test_long_comments_get_taller_rows(tmp_path):
    given = matrix([row(1), row(2, comment="A long comment. " * 40)])

    sheet = reopen_xlsx(tmp_path, comment_matrix_xlsx(given))["Comment matrix"]

    assert sheet.row_dimensions[3].height > sheet.row_dimensions[2].height > 15


# --- The differences -------------------------------------------------------------------------------------


def test_diff_docx_summarises_and_lists_every_change(tmp_path):
    document = reopen_docx(tmp_path, diff_docx(diff_document()))

    texts = paragraphs(document)
    assert "From: Version 1" in texts
    assert "To: Version 2" in texts
    summary, changes = document.tables
    assert table_texts(summary) == [
        ["Type", "Added", "Removed", "Moved", "Changed", "Total"],
        ["Activity", "1", "0", "1", "0", "2"],
        ["Cost line", "0", "1", "0", "0", "1"],
        ["Indicator", "0", "0", "1", "1", "2"],
        ["Total", "1", "1", "2", "1", "5"],
    ]
    assert table_texts(changes) == [
        ["What", "Where", "Change", "Before", "After"],
        ["Activity: A1.2.4 Hold a regional workshop", "P1 Prevention › O1.2 Capacity", "Added", "", ""],
        ["Cost line: Venue hire", "—", "Removed", "", ""],
        [
            "Activity: A2.1.1 Set up a hotline",
            "P2 Protection › O2.1",
            "Moved to another place",
            "O1.3 Awareness",
            "O2.1 Victim support",
        ],
        ["Indicator 1.2", "P1 › O1.2", "Order changed", "2", "1"],
        ["Indicator 1.2", "P1 Prevention › O1.2 Capacity", "Target", "50", "80"],
    ]
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_diff_docx_in_french(tmp_path):
    document = reopen_docx(tmp_path, diff_docx(diff_document(language="fr")))

    texts = paragraphs(document)
    assert "De : Version 1" in texts
    assert table_texts(document.tables[0])[0] == ["Type", "Ajouté", "Supprimé", "Déplacé", "Modifié", "Total"]
    changes = table_texts(document.tables[1])
    assert changes[0] == ["Élément concerné", "Emplacement", "Modification", "Avant", "Après"]
    assert changes[3][2] == "Déplacé ailleurs"


def test_an_empty_diff_docx_says_there_are_no_differences(tmp_path):
    document = reopen_docx(tmp_path, diff_docx(diff_document([])))

    assert "There are no differences between these two versions." in paragraphs(document)
    assert document.tables == []


def test_diff_xlsx_lists_every_change_and_counts_them(tmp_path):
    book = reopen_xlsx(tmp_path, diff_xlsx(diff_document()))

    assert book.sheetnames == ["Changes", "Summary"]
    sheet = book["Changes"]
    rows = sheet_rows(sheet)
    assert rows[0] == ["Type", "Element", "Where", "Change", "Detail", "Before", "After"]
    assert rows[1] == [
        "Activity",
        "A1.2.4 Hold a regional workshop",
        "P1 Prevention › O1.2 Capacity",
        "Added",
        None,
        None,
        None,
    ]
    assert rows[3][3:] == ["Moved", "Moved to another place", "O1.3 Awareness", "O2.1 Victim support"]
    assert rows[5][3:] == ["Changed", "Target", "50", "80"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G6"
    summary = sheet_rows(book["Summary"])
    assert summary[0][0] == "Changes to the National Action Plan"
    assert summary[1][:2] == ["From", "Version 1"]
    assert summary[3][:2] == ["Date", dt.datetime(2026, 3, 20)]
    assert summary[6] == ["Type", "Added", "Removed", "Moved", "Changed", "Total"]
    assert summary[7:11] == [
        ["Activity", 1, 0, 1, 0, 2],
        ["Cost line", 0, 1, 0, 0, 1],
        ["Indicator", 0, 0, 1, 1, 2],
        ["Total", 1, 1, 2, 1, 5],
    ]


def test_diff_xlsx_in_french_and_empty(tmp_path):
    book = reopen_xlsx(tmp_path, diff_xlsx(diff_document([], language="fr")))

    assert book.sheetnames == ["Modifications", "Synthèse"]
    rows = sheet_rows(book["Modifications"])
    assert rows[0][:3] == ["Type", "Élément", "Emplacement"]
    assert rows[1][0] == "Il n’y a aucune différence entre ces deux versions."
    assert sheet_rows(book["Synthèse"])[-1][:2] == ["Total", 0]


@pytest.mark.parametrize("writer", [diff_docx, diff_xlsx])
def test_a_diff_of_200_changes_is_written_in_full(tmp_path, writer):
    lines = [
        DiffLine(
            Change(ChangeKind.CHANGED, f"a{number}", "activity", f"A{number}", "description", "x", "y"),
            "Activity",
            "Description",
            "P1",
            "Before text",
            f"After text {number}",
        )
        for number in range(1, 201)
    ]

    content = writer(diff_document(lines))

    if writer is diff_docx:
        cells = table_texts(reopen_docx(tmp_path, content).tables[1])
        assert len(cells) == 201
        assert cells[200][4] == "After text 200"
    else:
        sheet = reopen_xlsx(tmp_path, content)["Changes"]
        assert sheet.max_row == 201
        assert sheet["G201"].value == "After text 200"


def test_amounts_written_in_digits_are_grouped_as_people_read_money():
    assert display_value("19700000.00") == "19,700,000.00"
    assert display_value("19700000", "fr") == "19\u202f700\u202f000"
    assert display_value("-123456.5", "fr") == "-123\u202f456,5"
    # Short numbers (years, small counts) and text stay as written.
    assert display_value("2029") == "2029"
    assert display_value("2029: 250,000") == "2029: 250,000"
