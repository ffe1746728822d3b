"""Word reports: a :class:`~.model.Report` poured into a Word template.

The template is an ordinary ``.docx`` (the shipped :func:`default_template`, or one a programme uploads
with its own letterhead) holding Jinja fields that docxtpl fills in: ``{{ title }}``, ``{{ organisation }}``
and the others listed by :func:`template_fields`, and one paragraph ``{{p body }}`` that the report's body
replaces. The body is built with python-docx in the template's own styles ("Heading 1" to "Heading 3",
"List Bullet", "Caption", "Table Note" and the table style "CTIP Table"); a style the template lacks is
added with a plain look, so any template that passes :func:`check_template` works.

Tables get a caption above them and figures one below, numbered by Word ``SEQ`` fields ("Table 1",
"Figure 2"), so that Word can build a list of tables or of figures; the header row of a table is bold and
repeats on each page, and rows do not break across pages.

**Uploaded templates are untrusted.** Jinja in a template runs on the server, so :func:`check_template`
accepts only the documented fields, ``{% if %}`` tests and a few text filters, and rendering goes through
Jinja's sandbox with no global functions (no ``range``, so no loops that never end).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from babel.core import Locale, UnknownLocaleError, get_global
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Length, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from PIL import Image

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.documents.model import (
    Block,
    BulletList,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
    bold_spans,
    xml_safe,
)

TABLE_STYLE = "CTIP Table"
FALLBACK_TABLE_STYLE = "Table Grid"
TABLE_NOTE_STYLE = "Table Note"
MAX_TEMPLATE_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""A template is a zip archive: refuse one that would expand beyond this (a "zip bomb")."""

_DOCUMENT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_BODY_PARAGRAPH = re.compile(r"^\s*\{\{p\s+body\s*\}\}\s*$")
_BODY_ANYWHERE = re.compile(r"\{\{-?\s*(?:p\s+)?body\b")
_ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "e", "escape"})
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.Filter,
)


@dataclass(frozen=True)
class TemplateField:
    name: str
    description: str
    """A message template marked for translation (render it with ``gettext`` in the web layer)."""
    required: bool = False


@dataclass(frozen=True)
class DocxLabels:
    """Words the writer puts in the document itself; the web layer passes them translated."""

    table: str = "Table"
    figure: str = "Figure"
    page: str = "Page"
    of: str = "of"
    caption_separator: str = ": "
    """Between "Table 3" and the caption; French typography wants " : "."""


_TEMPLATE_FIELDS = (
    TemplateField(
        "body",
        _("The report itself. Write {{p body }} alone in its own paragraph, where the text should start."),
        required=True,
    ),
    TemplateField("title", _("The title of the report, for example on the title page or in the header.")),
    TemplateField("subtitle", _("The subtitle of the report.")),
    TemplateField("organisation", _("The organisation that publishes the report.")),
    TemplateField("date", _("The date of the report, already written out (“12 March 2026”).")),
    TemplateField("version", _("The version or status of the report (“Draft 0.3 – for validation”).")),
    TemplateField(
        "page_label", _("The word “Page” in the language of the report, for a page-number footer.")
    ),
    TemplateField("of_label", _("The word “of” in the language of the report, as in “Page 2 of 10”.")),
)
KNOWN_FIELDS = frozenset(field.name for field in _TEMPLATE_FIELDS)


def template_fields() -> list[TemplateField]:
    """The fields a Word template may contain; only ``body`` is required."""
    return list(_TEMPLATE_FIELDS)


def default_template() -> bytes:
    """The shipped template (built by :mod:`.build_default_template`)."""
    return resources.files("ctip.formats.documents").joinpath("templates/report.docx").read_bytes()


# --- Checking a template ---------------------------------------------------------------------------------


def check_template(template: bytes) -> list[str]:
    """Everything wrong with a Word template, in English; empty when it can be used."""
    return [problem.message for problem in _template_problems(template)]


def template_check_or_raise(template: bytes) -> None:
    """Raise ``invalid_value`` naming every problem of a Word template (for a refused upload)."""
    problems = _template_problems(template)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("This Word template cannot be used (%(count)s problems). Correct it and upload it again."),
            {"count": len(problems)},
            problems=problems,
        )


def _problem(template: str, params: dict[str, object] | None = None) -> FieldProblem:
    return FieldProblem("template", template, params or {})


def _template_problems(template: bytes) -> list[FieldProblem]:
    archive_problem = _archive_problem(template)
    if archive_problem is not None:
        return [archive_problem]
    try:
        document_template = DocxTemplate(io.BytesIO(template))
        document: WordDocument = document_template.get_docx()
    except Exception:  # python-docx and lxml raise many kinds of errors on a damaged file
        return [
            _problem(
                _("The file is damaged: Word documents can be repaired by opening and saving them in Word.")
            )
        ]

    problems: list[FieldProblem] = []
    sources = list(_jinja_sources(document_template, document))
    environment = _environment()
    unknown: set[str] = set()
    unsupported: set[str] = set()
    for source in sources:
        try:
            tree = environment.parse(source)
        except TemplateSyntaxError as error:
            problems.append(
                _problem(
                    _("A field is not written correctly (%(detail)s). Fields look like {{ title }}."),
                    {"detail": error.message or "syntax error"},
                )
            )
            continue
        for node in tree.find_all(nodes.Node):
            if not isinstance(node, _ALLOWED_NODES):
                unsupported.add(_describe(node))
            elif isinstance(node, nodes.Filter) and node.name not in _ALLOWED_FILTERS:
                unsupported.add(f"|{node.name}")
            elif isinstance(node, nodes.Name) and node.name not in KNOWN_FIELDS:
                unknown.add(node.name)
    if unknown:
        problems.append(
            _problem(
                _("Unknown fields: %(fields)s. The fields you can use are: %(known)s."),
                {
                    "fields": ", ".join(f"{{{{ {name} }}}}" for name in sorted(unknown)),
                    "known": ", ".join(field.name for field in _TEMPLATE_FIELDS),
                },
            )
        )
    if unsupported:
        problems.append(
            _problem(
                _(
                    "The template uses Jinja features that reports do not support: %(features)s. Use only fields and {%% if %%} tests."
                ),
                {"features": ", ".join(sorted(unsupported))},
            )
        )
    problems.extend(_unclosed_field_problems(document))
    problems.extend(_body_problems(document))
    return problems


def _paragraph_texts(document: WordDocument) -> Iterator[str]:
    """The text of every paragraph of the body, headers and footers, as Word shows it."""
    elements = [document.element.body]
    elements += [etree.fromstring(part_xml) for part_xml in _header_and_footer_xml(document)]
    for element in elements:
        for paragraph in element.iter(qn("w:p")):
            yield "".join(node.text or "" for node in paragraph.iter(qn("w:t")))


def _unclosed_field_problems(document: WordDocument) -> list[FieldProblem]:
    """A field left open would swallow the text up to the next one (docxtpl joins paragraphs to close it)."""
    problems = []
    for text in _paragraph_texts(document):
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            problems.append(
                _problem(
                    _(
                        "A field is not closed in the paragraph “%(text)s”: close every “{{” with “}}”, and every “{%%” with “%%}”, in the same paragraph."
                    ),
                    {"text": text.strip()[:80]},
                )
            )
    return problems


def _archive_problem(template: bytes) -> FieldProblem | None:
    not_word = _problem(_("The file is not a Word document: save it in Word as “Word Document (.docx)”."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(template))
    except (zipfile.BadZipFile, ValueError):
        return not_word
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            return not_word
        if sum(info.file_size for info in archive.infolist()) > MAX_TEMPLATE_UNCOMPRESSED_BYTES:
            return _problem(
                _("The file is too large once unpacked: remove large pictures from the template.")
            )
        content_types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
    if _DOCUMENT_CONTENT_TYPE not in content_types:
        if _TEMPLATE_CONTENT_TYPE in content_types:
            return _problem(
                _("The file is a Word template (.dotx): save it as “Word Document (.docx)” instead.")
            )
        return not_word
    return None


def _jinja_sources(document_template: Any, document: WordDocument) -> Iterator[str]:
    """The text that docxtpl runs through Jinja: body, headers, footers, footnotes and file properties."""
    yield document_template.patch_xml(_xml(document.element.body))
    for part_xml in _header_and_footer_xml(document):
        yield document_template.patch_xml(part_xml)
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES_CONTENT_TYPE:
            yield document_template.patch_xml(_xml(etree.fromstring(part.blob)))
    properties = document.core_properties
    for value in (properties.author, properties.comments, properties.identifier, properties.language):
        yield value or ""
    yield properties.subject or ""
    yield properties.title or ""


def _header_and_footer_xml(document: WordDocument) -> Iterator[str]:
    for relationship in document.part.rels.values():
        if not relationship.is_external and relationship.reltype in (
            RELATIONSHIP_TYPE.HEADER,
            RELATIONSHIP_TYPE.FOOTER,
        ):
            yield _xml(etree.fromstring(relationship.target_part.blob))


def _xml(element: Any) -> str:
    return str(etree.tostring(element, encoding="unicode"))


def _describe(node: nodes.Node) -> str:
    names = {
        nodes.For: "{% for %}",
        nodes.Macro: "{% macro %}",
        nodes.Assign: "{% set %}",
        nodes.AssignBlock: "{% set %}",
        nodes.Include: "{% include %}",
        nodes.Import: "{% import %}",
        nodes.FromImport: "{% from %}",
        nodes.Extends: "{% extends %}",
        nodes.Block: "{% block %}",
        nodes.Call: "function calls ( )",
        nodes.Getattr: "attributes (.name)",
        nodes.Getitem: "indexing ([ ])",
    }
    return names.get(type(node), type(node).__name__)


def _body_problems(document: WordDocument) -> list[FieldProblem]:
    body = document.element.body
    proper = 0
    misplaced = 0
    for paragraph in body.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
        if not _BODY_ANYWHERE.search(text):
            continue
        if _BODY_PARAGRAPH.match(text) and paragraph.getparent() is body:
            proper += 1
        else:
            misplaced += 1
    for part_xml in _header_and_footer_xml(document):
        if _BODY_ANYWHERE.search(part_xml):
            misplaced += 1
    problems = []
    if misplaced:
        problems.append(
            _problem(
                _(
                    "The report body must be written {{p body }} (with the “p”), alone in a paragraph of the main text, not in a table, a header or a footer."
                )
            )
        )
    if proper > 1:
        problems.append(_problem(_("{{p body }} appears %(count)s times: keep only one."), {"count": proper}))
    if proper == 0 and not misplaced:
        problems.append(
            _problem(
                _(
                    "The template has no {{p body }} paragraph: add one, alone in its own paragraph, where the report should start."
                )
            )
        )
    return problems


def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(autoescape=True)
    environment.globals.clear()
    return environment


# --- Writing a report ------------------------------------------------------------------------------------


def write_docx(report: Report, *, template: bytes | None = None, labels: DocxLabels = DocxLabels()) -> bytes:
    """The report as a ``.docx`` file. A ``template`` of the user's own is checked first (``invalid_value``)."""
    if template is None:
        template = default_template()
    else:
        template_check_or_raise(template)
    document_template = DocxTemplate(io.BytesIO(template))
    document: WordDocument = document_template.get_docx()
    _ensure_styles(document)
    _set_language(document, report.language)

    body = _Body(document)
    section = document.sections[-1]
    text_width = _length(section.page_width) - _length(section.left_margin) - _length(section.right_margin)
    text_height = _length(section.page_height) - _length(section.top_margin) - _length(section.bottom_margin)
    writer = _BodyWriter(body.document, document, Emu(text_width), Emu(text_height), labels)
    for block in report.blocks:
        writer.write(block)

    context = {
        "title": xml_safe(report.title),
        "subtitle": xml_safe(report.subtitle),
        "organisation": xml_safe(report.organisation),
        "date": xml_safe(report.date_text),
        "version": xml_safe(report.version_text),
        "page_label": xml_safe(labels.page),
        "of_label": xml_safe(labels.of),
        "body": body,
    }
    document_template.render(context, jinja_env=_environment(), autoescape=True)

    rendered: WordDocument = document_template.docx
    properties = rendered.core_properties
    properties.title = xml_safe(report.title)
    properties.subject = xml_safe(report.subtitle)
    properties.author = xml_safe(report.organisation)
    properties.language = report.language
    properties.comments = ""
    buffer = io.BytesIO()
    document_template.save(buffer)
    return buffer.getvalue()


class _Body:
    """The report body for docxtpl's ``{{p body }}``: a blank python-docx document that shares the template's
    package part, so that its styles, list numbering and pictures are the template's own. Jinja inserts its
    paragraphs and tables as they are (``__html__``), in place of the ``{{p body }}`` paragraph.

    (docxtpl's own ``Subdoc`` does the same but imports docxcompose, an optional extra this project does
    not install.)
    """

    def __init__(self, template: WordDocument) -> None:
        self.document = WordDocument(Document().element, template.part)

    def __html__(self) -> str:
        return "".join(
            _xml(child) for child in self.document.element.body.iterchildren() if child.tag != qn("w:sectPr")
        )

    __str__ = __html__


def _length(value: Length | None) -> int:
    if value is None:
        raise ValueError("The template's page has no size or margins.")
    return int(value)


def _ensure_styles(document: WordDocument) -> None:
    """Add, with a plain look, the styles the body needs and a user's template lacks."""
    styles = document.styles
    plain = {
        "Heading 1": (16, True),
        "Heading 2": (13, True),
        "Heading 3": (11, True),
        "Caption": (9, False),
        TABLE_NOTE_STYLE: (8.5, False),
    }
    for name, (size, bold) in plain.items():
        if name in styles:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(12)
            style.element.get_or_add_pPr().append(
                parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{int(name[-1]) - 1}"/>')
            )
        if name == TABLE_NOTE_STYLE:
            style.font.italic = True


def _set_language(document: WordDocument, language: str) -> None:
    """Tell Word which spelling checker to use: ``fr`` → ``fr-FR``; ``en`` keeps the template's ``en-GB``."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        run_properties.append(lang)
    current = lang.get(qn("w:val")) or ""
    tag = _language_tag(language)
    if "-" not in language and current.split("-")[0] == tag.split("-")[0]:
        return
    lang.set(qn("w:val"), tag)


def _language_tag(language: str) -> str:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return language
    if locale.territory:
        return f"{locale.language}-{locale.territory}"
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    territory = next((part for part in likely.split("_")[1:] if len(part) == 2 and part.isupper()), None)
    return f"{locale.language}-{territory}" if territory else locale.language


class _BodyWriter:
    """Writes blocks into the subdocument, in the template's styles, numbering tables and figures."""

    def __init__(
        self,
        subdocument: WordDocument,
        template: WordDocument,
        text_width: Emu,
        text_height: Emu,
        labels: DocxLabels,
    ) -> None:
        self.subdocument = subdocument
        self.styles = template.styles
        self.text_width = text_width
        self.text_height = text_height
        self.labels = labels
        self.tables = 0
        self.figures = 0
        self.has_bullet_style = "List Bullet" in self.styles
        self.table_style = next(
            (name for name in (TABLE_STYLE, FALLBACK_TABLE_STYLE) if name in self.styles), None
        )

    def write(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._text(self.subdocument.add_paragraph(style=f"Heading {block.level}"), block.text)
        elif isinstance(block, Paragraph):
            style = block.style if block.style and self._is_paragraph_style(block.style) else None
            self._text(self.subdocument.add_paragraph(style=style), block.text)
        elif isinstance(block, BulletList):
            self._bullets(block.items)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)
        elif isinstance(block, PageBreak):
            self.subdocument.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"Unknown block {type(block).__name__}.")

    def _is_paragraph_style(self, name: str) -> bool:
        return name in self.styles and self.styles[name].type == WD_STYLE_TYPE.PARAGRAPH

    def _text(self, paragraph: WordParagraph, text: str, *, bold: bool = False) -> None:
        for piece, is_bold in bold_spans(xml_safe(text)):
            run = paragraph.add_run(piece)
            if is_bold or bold:
                run.bold = True

    def _bullets(self, items: Sequence[str]) -> None:
        for item in items:
            if self.has_bullet_style:
                self._text(self.subdocument.add_paragraph(style="List Bullet"), item)
            else:
                paragraph = self.subdocument.add_paragraph()
                paragraph.paragraph_format.left_indent = Pt(18)
                paragraph.paragraph_format.first_line_indent = Pt(-12)
                paragraph.add_run("•\t")
                self._text(paragraph, item)

    def _caption(self, label: str, number: int, caption: str) -> WordParagraph:
        """ "Table 3: caption", the number being a SEQ field that Word's list of tables/figures uses."""
        paragraph = self.subdocument.add_paragraph(style="Caption")
        identifier = re.sub(r"\W", "", label) or "Item"
        paragraph.add_run(f"{xml_safe(label)} ").bold = True
        for xml in (
            '<w:r {ns}><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {{ns}}><w:rPr><w:b/></w:rPr><w:instrText xml:space="preserve"> SEQ {identifier} \\* ARABIC </w:instrText></w:r>',
            '<w:r {ns}><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r {{ns}}><w:rPr><w:b/><w:noProof/></w:rPr><w:t>{number}</w:t></w:r>",
            '<w:r {ns}><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))
        if caption:
            separator = xml_safe(self.labels.caption_separator)
            paragraph.add_run(separator.rstrip()).bold = True
            paragraph.add_run(separator[len(separator.rstrip()) :])
            self._text(paragraph, caption)
        return paragraph

    def _table(self, block: Table) -> None:
        self.tables += 1
        caption = self._caption(self.labels.table, self.tables, block.caption)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(10)
        caption.paragraph_format.space_after = Pt(4)

        table: WordTable = self.subdocument.add_table(rows=1 + len(block.rows), cols=len(block.header))
        if self.table_style is not None:
            table.style = self.table_style
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        properties = table._tbl.tblPr
        look = properties.find(qn("w:tblLook"))
        if look is not None:
            properties.remove(look)
        properties.append(
            parse_xml(
                f'<w:tblLook {nsdecls("w")} w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
                ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            )
        )
        widths = self._column_widths(block)
        numeric = block.numeric_columns()
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for row_index, row in enumerate(table.rows):
            row_properties = row._tr.get_or_add_trPr()
            row_properties.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            if row_index == 0:
                row_properties.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
            values = block.header if row_index == 0 else block.rows[row_index - 1]
            for column_index, (cell, width, value) in enumerate(zip(row.cells, widths, values, strict=True)):
                cell.width = width
                paragraph = cell.paragraphs[0]
                if numeric[column_index]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self._text(paragraph, value, bold=row_index == 0)
                if row_index == 0 and self.table_style != TABLE_STYLE:
                    # Without our table style the header row still stands out.
                    cell._tc.get_or_add_tcPr().append(
                        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2EC"/>')
                    )
        if block.note:
            note_style = TABLE_NOTE_STYLE if TABLE_NOTE_STYLE in self.styles else None
            self._text(self.subdocument.add_paragraph(style=note_style), block.note)
        else:
            spacer = self.subdocument.add_paragraph()
            spacer.paragraph_format.space_after = Pt(4)

    def _column_widths(self, block: Table) -> list[Emu]:
        if block.column_widths_cm is not None:
            requested = [Emu(int(width * 360000)) for width in block.column_widths_cm]
            total = sum(requested)
            if total <= self.text_width:
                return requested
            return [Emu(int(width * self.text_width / total)) for width in requested]
        weights = block.column_weights()
        total_weight = sum(weights)
        return [Emu(int(self.text_width * weight / total_weight)) for weight in weights]

    def _figure(self, block: Figure) -> None:
        self.figures += 1
        with Image.open(io.BytesIO(block.png)) as image:
            pixel_width, pixel_height = image.size
        width = min(int(block.width_cm * 360000), int(self.text_width))
        most_height = int(self.text_height * 0.8)
        if width * pixel_height / pixel_width > most_height:
            width = int(most_height * pixel_width / pixel_height)
        paragraph = self.subdocument.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run().add_picture(io.BytesIO(block.png), width=Emu(width))
        description = xml_safe(block.caption)
        for properties in paragraph._p.iter(qn("wp:docPr")):
            properties.set("descr", description)
        caption = self._caption(self.labels.figure, self.figures, block.caption)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_after = Pt(12)
