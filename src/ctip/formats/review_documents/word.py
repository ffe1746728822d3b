"""The comment matrix and the differences as Word reports, on landscape pages."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor
from docx.text.run import Run

from ctip.formats.documents.docx_writer import (
    DocxLabels,
    default_template,
    template_check_or_raise,
    write_docx,
)
from ctip.formats.documents.model import Block, Heading, Paragraph, Report, Table
from ctip.formats.review_documents.model import (
    CHANGE_KEYS,
    COLON,
    EMPTY,
    WORDS,
    CommentMatrix,
    DiffDocument,
    change_detail,
    decision_choices,
    document_language,
    element_text,
    kind_counts,
    long_date,
    short_date,
    wording,
)


def comment_matrix_docx(matrix: CommentMatrix, *, template: bytes | None = None) -> bytes:
    """The comment matrix as a Word report on landscape pages; ``template`` is the programme's own Word
    template (``invalid_value`` when it cannot be used), ``None`` for the shipped one."""
    language = document_language(matrix.language)
    blocks: list[Block] = [
        Heading(matrix.title, 1),
        *_details(
            language,
            (
                ("deliverable", matrix.deliverable),
                ("version", matrix.version_label),
                ("round", matrix.round_title),
                ("meeting", matrix.meeting),
                ("date", long_date(matrix.generated, language)),
            ),
        ),
        Heading(wording("summary", language), 2),
    ]
    if not matrix.rows:
        blocks.append(Paragraph(wording("no_comments", language)))
    else:
        blocks += [_decision_table(matrix, language), Heading(wording("comments", language), 2)]
        blocks.append(_matrix_table(matrix, language))
    written = _write(matrix.title, matrix.deliverable, matrix.version_label, matrix, blocks, template)
    links = {number: row.change_link for number, row in enumerate(matrix.rows, start=1) if row.change_link}
    return _link_cells(written, _matrix_header(language), len(_matrix_header(language)) - 1, links)


def diff_docx(document: DiffDocument, *, template: bytes | None = None) -> bytes:
    """The differences between two versions as a Word report on landscape pages."""
    language = document_language(document.language)
    blocks: list[Block] = [
        Heading(document.title, 1),
        *_details(
            language,
            (
                ("from", document.old_label),
                ("to", document.new_label),
                ("date", long_date(document.generated, language)),
            ),
        ),
        Heading(wording("summary", language), 2),
    ]
    if not document.lines:
        blocks.append(Paragraph(wording("no_changes", language)))
    else:
        blocks.append(
            Table(
                wording("by_kind", language),
                tuple(wording(key, language) for key in ("type", *CHANGE_KEYS.values(), "total")),
                tuple((kind, *map(str, numbers)) for kind, numbers in kind_counts(document.lines, language)),
                column_widths_cm=(7.0, 2.6, 2.6, 2.6, 2.6, 2.6),
            )
        )
        blocks += [Heading(wording("changes", language), 2), _diff_table(document, language)]
    subtitle = WORDS["from_to"].get(language) % {"old": document.old_label, "new": document.new_label}
    return _write(document.title, subtitle, document.new_label, document, blocks, template)


def _details(language: str, facts: Sequence[tuple[str, str]]) -> list[Block]:
    return [
        Paragraph(f"**{wording(key, language)}{COLON[language]}** {value or EMPTY}") for key, value in facts
    ]


def _decision_table(matrix: CommentMatrix, language: str) -> Table:
    counts = {choice: 0 for choice in decision_choices(matrix, language)}
    undecided = 0
    for row in matrix.rows:
        if row.decision.strip():
            counts[row.decision] += 1
        else:
            undecided += 1
    rows = [(choice, str(count)) for choice, count in counts.items()]
    rows += [
        (wording("no_decision", language), str(undecided)),
        (wording("total", language), str(len(matrix.rows))),
    ]
    return Table(
        wording("by_decision", language),
        (wording("decision", language), wording("comments", language)),
        tuple(rows),
        column_widths_cm=(7.0, 3.0),
    )


def _matrix_header(language: str) -> tuple[str, ...]:
    keys = ("number", "element", "comment", "reviewer_organisation", "date", "response")
    return (
        *(wording(key, language) for key in keys),
        wording("decision_reason", language),
        wording("change", language),
    )


def _matrix_table(matrix: CommentMatrix, language: str) -> Table:
    rows = []
    for row in matrix.rows:
        reviewer = f"{row.reviewer} ({row.organisation})" if row.organisation else row.reviewer
        decision = "\n".join(
            part
            for part in (f"**{row.decision}**" if row.decision.strip() else "", row.reason)
            if part.strip()
        )
        change = row.change or (wording("see_change", language) if row.change_link else "")
        rows.append(
            (
                str(row.number),
                element_text(row, language),
                row.comment,
                reviewer,
                short_date(row.date, language),
                row.response,
                decision or wording("no_decision", language),
                change,
            )
        )
    return Table(
        matrix.round_title,
        _matrix_header(language),
        tuple(rows),
        column_widths_cm=(1.1, 3.4, 5.2, 3.0, 2.2, 5.0, 3.0, 2.6),
        align_right=(True, *([False] * 7)),
    )


def _diff_table(document: DiffDocument, language: str) -> Table:
    rows = []
    for line in document.lines:
        kind, label = line.element_kind_label, line.change.label
        what = label if not kind or label.casefold().startswith(kind.casefold()) else f"{kind}: {label}"
        change = change_detail(line, language) or wording(CHANGE_KEYS[line.change.kind], language)
        rows.append((what, line.where or EMPTY, change, line.before, line.after))
    header = ("what", "where", "change", "before", "after")
    return Table(
        f"{document.old_label} → {document.new_label}",
        tuple(wording(key, language) for key in header),
        tuple(rows),
        column_widths_cm=(5.6, 4.4, 3.3, 5.7, 5.7),
        align_right=(False,) * 5,
    )


def _write(
    title: str,
    subtitle: str,
    version: str,
    source: CommentMatrix | DiffDocument,
    blocks: Sequence[Block],
    template: bytes | None,
) -> bytes:
    language = document_language(source.language)
    report = Report(
        title=title,
        subtitle=subtitle,
        organisation=source.organisation,
        date_text=long_date(source.generated, language),
        version_text=version,
        blocks=tuple(blocks),
        language=language,
    )
    labels = DocxLabels(
        table=wording("table", language),
        figure=wording("figure", language),
        page=wording("page", language),
        of=wording("of", language),
        caption_separator=" : " if language == "fr" else ": ",
    )
    return write_docx(report, template=_landscape(template), labels=labels)


def _landscape(template: bytes | None) -> bytes:
    """The Word template turned to landscape pages, with the right-aligned tab stops of its page header
    and footer moved to the new right margin."""
    if template is not None:
        template_check_or_raise(template)
    document = Document(io.BytesIO(template if template is not None else default_template()))
    for section in document.sections:
        width, height = section.page_width, section.page_height
        if width is None or height is None or width >= height:
            continue
        margins = int(section.left_margin or 0) + int(section.right_margin or 0)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        _move_right_tabs(document, old=int(width) - margins, new=int(height) - margins)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _move_right_tabs(document: Any, *, old: int, new: int) -> None:
    """Tab stops are in twentieths of a point (635 EMU); a right tab within 2 mm of the old text width
    marks the right margin."""
    old_position, new_position = old // 635, new // 635
    elements = [document.styles.element]
    elements += [
        relationship.target_part.element
        for relationship in document.part.rels.values()
        if not relationship.is_external
        and relationship.reltype in (RELATIONSHIP_TYPE.HEADER, RELATIONSHIP_TYPE.FOOTER)
    ]
    for element in elements:
        for tab in element.iter(qn("w:tab")):
            position = tab.get(qn("w:pos"))
            if tab.get(qn("w:val")) == "right" and position and abs(int(position) - old_position) <= 113:
                tab.set(qn("w:pos"), str(new_position))


def _link_cells(docx: bytes, header: tuple[str, ...], column: int, links: Mapping[int, str]) -> bytes:
    """Turn the text of ``column`` in the table headed ``header`` into links, by row (1 = first data row)."""
    if not links:
        return docx
    document = Document(io.BytesIO(docx))
    for table in document.tables:
        rows = list(table.rows)
        if tuple(cell.text for cell in rows[0].cells) != header:
            continue
        for number, link in links.items():
            paragraph = rows[number].cells[column].paragraphs[0]
            relationship = document.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            hyperlink = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{relationship}" w:history="1"/>')
            for element in list(paragraph._p.r_lst):
                run = Run(element, paragraph)
                run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
                run.font.underline = True
                hyperlink.append(element)
            paragraph._p.append(hyperlink)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
