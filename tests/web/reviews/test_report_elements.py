"""A report as the elements of a version's snapshot (ctip.web.reviews.report_elements): sections nested by
heading level, blocks under their section, ids that survive edits elsewhere, and the diff of every kind of
element between two reports."""

from __future__ import annotations

import dataclasses
import json

from ctip.core.review.diff import Change, ChangeKind, Element, diff, element_to_json
from ctip.formats.documents.model import (
    BulletList,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from ctip.web.reviews.report_elements import (
    REPORT_FIELD_LABELS,
    REPORT_KIND_LABELS,
    report_elements,
    report_language,
)

PNG = b"\x89PNG\r\n\x1a\n not really a picture"


def _report(*blocks) -> Report:
    return Report(
        title="Inception report",
        subtitle="",
        organisation="Programme",
        date_text="1 March 2026",
        version_text="Draft",
        blocks=tuple(blocks),
    )


def _base_blocks() -> list:
    return [
        Paragraph("Prepared for the national coordinating body."),
        Heading("Introduction", 1),
        Paragraph("The programme strengthens the response."),
        Paragraph("It runs for three years."),
        BulletList(("Identify victims", "Prosecute traffickers")),
        Heading("Objectives", 2),
        Paragraph("Four objectives."),
        Heading("Specific objectives", 3),
        BulletList(("Survey", "Plan")),
        PageBreak(),
        Heading("Methodology", 1),
        Table(
            "Sample",
            ("Organisation", "Respondents"),
            (("Police", "40"), ("Labour", "12")),
            note="Source: TNA",
        ),
        Figure("Influence and interest", PNG),
        Heading("Objectives", 2),
        Paragraph("Of the survey."),
    ]


def _by_id(elements: list[Element]) -> dict[str, Element]:
    return {element.id: element for element in elements}


def test_sections_nest_by_level_and_blocks_sit_under_their_section():
    # Given a report with text before its first heading, three heading levels and every kind of block
    elements = report_elements(_report(*_base_blocks()))

    # Then each heading is a section under the nearest higher heading, each block under its section
    assert [(element.id, element.kind, element.parent, element.position) for element in elements] == [
        ("front", "section", None, 0),
        ("front/paragraph-1", "paragraph", "front", 0),
        ("introduction", "section", None, 1),
        ("introduction/paragraph-1", "paragraph", "introduction", 0),
        ("introduction/paragraph-2", "paragraph", "introduction", 1),
        ("introduction/list-1", "list", "introduction", 2),
        ("objectives", "section", "introduction", 3),
        ("objectives/paragraph-1", "paragraph", "objectives", 0),
        ("specific-objectives", "section", "objectives", 1),
        ("specific-objectives/list-1", "list", "specific-objectives", 0),
        ("methodology", "section", None, 2),
        ("methodology/table-1", "table", "methodology", 0),
        ("methodology/figure-1", "figure", "methodology", 1),
        ("objectives-2", "section", "methodology", 2),
        ("objectives-2/paragraph-1", "paragraph", "objectives-2", 0),
    ]
    found = _by_id(elements)
    assert found["introduction"].fields == {"heading": "Introduction", "level": 1}
    assert found["introduction"].label == "Introduction"
    assert found["introduction/paragraph-2"].fields == {"text": "It runs for three years."}
    assert found["introduction/paragraph-2"].label == "Introduction: paragraph 2"
    assert found["introduction/list-1"].fields == {"items": ["Identify victims", "Prosecute traffickers"]}
    assert found["methodology/table-1"].fields == {
        "caption": "Sample",
        "header": ["Organisation", "Respondents"],
        "rows": [["Police", "40"], ["Labour", "12"]],
        "note": "Source: TNA",
    }
    assert found["methodology/table-1"].label == "Methodology: table 1 – Sample"
    # A figure keeps its caption, never its picture
    assert found["methodology/figure-1"].fields == {"caption": "Influence and interest"}
    assert found["front"].label == "Before the first heading"


def test_fields_are_json_and_every_kind_and_field_has_a_label():
    elements = report_elements(_report(*_base_blocks()))

    json.dumps([element_to_json(element) for element in elements])
    assert {element.kind for element in elements} <= set(REPORT_KIND_LABELS)
    assert {name for element in elements for name in element.fields} <= set(REPORT_FIELD_LABELS)


def test_a_heading_level_2_before_any_level_1_sits_at_the_top_and_a_heading_without_letters_gets_an_id():
    elements = report_elements(_report(Heading("Annex", 2), Heading("—", 1), Heading("Front", 1)))

    assert [(element.id, element.parent) for element in elements] == [
        ("annex", None),
        ("section", None),
        # "front" is kept for the text before the first heading
        ("front-2", None),
    ]


def test_ids_stay_the_same_after_an_edit_in_another_section():
    # Given a report, and the same report with a paragraph added to the introduction
    before = report_elements(_report(*_base_blocks()))
    blocks = _base_blocks()
    blocks.insert(4, Paragraph("A new paragraph at the end of the introduction's text."))
    after = report_elements(_report(*blocks))

    # Then every element keeps its id and the diff says only what was added
    assert {element.id for element in before} <= {element.id for element in after}
    assert diff(before, after) == [
        Change(
            ChangeKind.ADDED,
            "introduction/paragraph-3",
            "paragraph",
            "Introduction: paragraph 3",
        )
    ]


def test_diff_of_every_kind_of_element():
    # Given a report
    before = report_elements(_report(*_base_blocks()))

    # When a heading is renamed (same slug), a paragraph reworded, a list item added, a table cell
    # changed, a figure's caption changed, a section removed and a new one added at the end
    blocks = _base_blocks()
    blocks[1] = Heading("INTRODUCTION", 1)
    blocks[2] = Paragraph("The programme strengthens the national response.")
    blocks[4] = BulletList(("Identify victims", "Prosecute traffickers", "Protect"))
    blocks[11] = dataclasses.replace(blocks[11], rows=(("Police", "45"), ("Labour", "12")))
    blocks[12] = Figure("Influence and interest of the stakeholders", PNG)
    del blocks[13:15]  # the second "Objectives" and its paragraph
    blocks.append(Heading("Timeline", 1))
    after = report_elements(_report(*blocks))

    # Then the diff names each change with its value before and after, in the order of the new report's
    # tree (a parent's children grouped by kind)
    assert diff(before, after) == [
        Change(
            ChangeKind.CHANGED,
            "introduction",
            "section",
            "INTRODUCTION",
            "heading",
            "Introduction",
            "INTRODUCTION",
        ),
        Change(
            ChangeKind.CHANGED,
            "introduction/list-1",
            "list",
            "INTRODUCTION: list 1",
            "items",
            ["Identify victims", "Prosecute traffickers"],
            ["Identify victims", "Prosecute traffickers", "Protect"],
        ),
        Change(
            ChangeKind.CHANGED,
            "introduction/paragraph-1",
            "paragraph",
            "INTRODUCTION: paragraph 1",
            "text",
            "The programme strengthens the response.",
            "The programme strengthens the national response.",
        ),
        Change(
            ChangeKind.CHANGED,
            "methodology/figure-1",
            "figure",
            "Methodology: figure 1 – Influence and interest of the stakeholders",
            "caption",
            "Influence and interest",
            "Influence and interest of the stakeholders",
        ),
        Change(
            ChangeKind.CHANGED,
            "methodology/table-1",
            "table",
            "Methodology: table 1 – Sample",
            "rows",
            [["Police", "40"], ["Labour", "12"]],
            [["Police", "45"], ["Labour", "12"]],
        ),
        Change(ChangeKind.ADDED, "timeline", "section", "Timeline"),
        Change(ChangeKind.REMOVED, "objectives-2", "section", "Objectives"),
        Change(ChangeKind.REMOVED, "objectives-2/paragraph-1", "paragraph", "Objectives: paragraph 1"),
    ]


def test_a_section_that_changes_level_moves_to_its_new_parent():
    before = report_elements(_report(Heading("Background", 1), Heading("Context", 2)))
    after = report_elements(_report(Heading("Background", 1), Heading("Context", 1)))

    assert diff(before, after) == [
        Change(ChangeKind.MOVED, "context", "section", "Context", "", "background", None),
        Change(ChangeKind.CHANGED, "context", "section", "Context", "level", 2, 1),
    ]


def test_sections_swapped_are_reported_as_one_move():
    before = report_elements(_report(Heading("Risks", 1), Heading("Tools", 1), Heading("Meeting", 1)))
    after = report_elements(_report(Heading("Tools", 1), Heading("Risks", 1), Heading("Meeting", 1)))

    assert diff(before, after) == [Change(ChangeKind.MOVED, "risks", "section", "Risks", "position", 0, 1)]


def test_report_language_is_the_workspace_first_language():
    class Workspace:
        languages = ["fr", "en"]

    assert report_language(Workspace()) == "fr"  # type: ignore[arg-type]
    Workspace.languages = []
    assert report_language(Workspace()) == "en"  # type: ignore[arg-type]
