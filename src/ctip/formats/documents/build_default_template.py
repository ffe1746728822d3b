"""Build the shipped Word template, ``templates/report.docx``.

Run it again after changing this file::

    .venv/bin/python -m ctip.formats.documents.build_default_template

The output is byte-for-byte the same on every run (fixed dates in the file's properties and in the zip
entries), so a changed ``report.docx`` in a diff always means a changed design.

The template is an ordinary Word document that users may download, restyle and upload as their own (see
:func:`ctip.formats.documents.docx_writer.template_fields`). It contains:

- an A4 page with 2.5 cm margins and no header or footer on the title page;
- the title page: ``{{ organisation }}``, ``{{ title }}``, ``{{ subtitle }}``, ``{{ date }}`` and
  ``{{ version }}``, then a page break;
- ``{{p body }}``, the paragraph that the report's body replaces;
- a header with ``{{ organisation }}`` and ``{{ title }}``, and a footer with ``{{ version }}`` and
  "``{{ page_label }}`` PAGE ``{{ of_label }}`` NUMPAGES" (Word fields, so the numbers are always right);
- the styles the body uses: Normal (Arial 10.5 pt), Title, Subtitle, Heading 1–3, List Bullet, Caption,
  "Table Note" and the table style "CTIP Table" (dark blue header row, repeated on each page, light bands).

The colours are a restrained dark blue (#1F4E79) and greys, which print well in black and white.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

TEMPLATE_PATH = Path(__file__).with_name("templates") / "report.docx"

FONT = "Arial"
ACCENT = "1F4E79"
TEXT = "222222"
MUTED = "4B5563"
LIGHT = "6B7280"
TABLE_STYLE = "CTIP Table"
TABLE_NOTE_STYLE = "Table Note"

_FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _fonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _run_properties(
    size_pt: float, colour: str, *, bold: bool = False, italic: bool = False, extra: str = ""
) -> str:
    half_points = round(size_pt * 2)
    return (
        f"<w:rPr {nsdecls('w')}>{_fonts()}{'<w:b/><w:bCs/>' if bold else ''}{'<w:i/><w:iCs/>' if italic else ''}"
        f'<w:color w:val="{colour}"/>{extra}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _restyle(style: BaseStyle, paragraph: str | None, run: str | None) -> None:
    """Replace a style's paragraph and run properties with ours (dropping the theme fonts and colours that
    python-docx's default template uses: they would win over plain values in Word)."""
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    if paragraph is not None:
        element.append(parse_xml(paragraph))
    if run is not None:
        element.append(parse_xml(run))


def _paragraph_properties(inner: str) -> str:
    return f"<w:pPr {nsdecls('w')}>{inner}</w:pPr>"


def _spacing(before: float, after: float, line: int = 264) -> str:
    """``line`` is in 240ths of a line: 264 is 1.1 lines."""
    return f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" w:line="{line}" w:lineRule="auto"/>'


def _set_styles(document: WordDocument) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    defaults.getparent().remove(defaults)
    styles.element.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts()}"
            f'<w:color w:val="{TEXT}"/><w:sz w:val="21"/><w:szCs w:val="21"/>'
            '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f"<w:pPrDefault><w:pPr>{_spacing(0, 6)}</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    # Normal takes everything from the document defaults above, so that a table style can still set a
    # smaller size and a white header text: in Word a paragraph style's own values win over a table style's.
    _restyle(styles["Normal"], None, None)
    _restyle(
        styles["Title"],
        _paragraph_properties(_spacing(0, 10, 240)),
        _run_properties(28, ACCENT, bold=True),
    )
    _restyle(
        styles["Subtitle"],
        _paragraph_properties(_spacing(0, 24, 264)),
        _run_properties(15, MUTED),
    )
    headings = (
        ("Heading 1", 16, ACCENT, 20, 8, "0"),
        ("Heading 2", 13, ACCENT, 14, 5, "1"),
        ("Heading 3", 11, "374151", 10, 4, "2"),
    )
    for name, size, colour, before, after, outline in headings:
        _restyle(
            styles[name],
            _paragraph_properties(
                f'<w:keepNext/><w:keepLines/>{_spacing(before, after, 240)}<w:outlineLvl w:val="{outline}"/>'
            ),
            _run_properties(size, colour, bold=True),
        )
    _restyle(
        styles["List Bullet"],
        _paragraph_properties(
            f'<w:numPr><w:numId w:val="1"/></w:numPr>{_spacing(0, 3)}<w:ind w:left="357" w:hanging="357"/>'
        ),
        None,
    )
    _restyle(styles["Caption"], _paragraph_properties(_spacing(4, 10, 240)), _run_properties(9, "374151"))
    _restyle(
        styles["Header"],
        _paragraph_properties(
            f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="D1D5DB"/></w:pBdr>'
            f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
            f'<w:tab w:val="right" w:pos="9071"/></w:tabs>{_spacing(0, 0, 240)}'
        ),
        _run_properties(8.5, LIGHT),
    )
    _restyle(
        styles["Footer"],
        _paragraph_properties(
            f'<w:tabs><w:tab w:val="clear" w:pos="4680"/><w:tab w:val="clear" w:pos="9360"/>'
            f'<w:tab w:val="right" w:pos="9071"/></w:tabs>{_spacing(0, 0, 240)}'
        ),
        _run_properties(8.5, LIGHT),
    )

    note = styles.add_style(TABLE_NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.quick_style = True
    _restyle(note, _paragraph_properties(_spacing(3, 12, 240)), _run_properties(8.5, MUTED, italic=True))

    cover = styles.add_style("Cover Organisation", WD_STYLE_TYPE.PARAGRAPH)
    cover.base_style = styles["Normal"]
    _restyle(
        cover,
        _paragraph_properties(
            f'{_spacing(160, 18, 240)}<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
        ),
        _run_properties(11, ACCENT, bold=True, extra='<w:caps/><w:spacing w:val="10"/>'),
    )
    details = styles.add_style("Cover Details", WD_STYLE_TYPE.PARAGRAPH)
    details.base_style = styles["Normal"]
    _restyle(details, _paragraph_properties(_spacing(0, 2, 240)), _run_properties(10.5, MUTED))

    styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="CTIPTable">'
            f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>'
            f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr>"
            f'<w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>'
            '<w:tblPr><w:tblStyleRowBandSize w:val="1"/>'
            f'<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
            f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
            '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="D1D5DB"/></w:tblBorders>'
            '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
            "<w:trPr><w:tblHeader/></w:trPr>"
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/></w:tcPr></w:tblStylePr>'
            '<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F1F4F8"/></w:tcPr>'
            "</w:tblStylePr></w:style>"
        )
    )


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) with a placeholder result that Word and LibreOffice replace."""
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {{ns}}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {{ns}}><w:t>{placeholder}</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


def build() -> bytes:
    document = Document()
    _set_styles(document)

    properties = document.core_properties
    properties.author = "C-TIP Planner"
    properties.last_modified_by = "C-TIP Planner"
    properties.title = "{{ title }}"
    properties.comments = "C-TIP Planner report template: see template_fields() for the fields it may hold."
    properties.created = _FIXED_TIME
    properties.modified = _FIXED_TIME
    properties.last_printed = _FIXED_TIME
    properties.revision = 1

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.3)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.1)
    section.different_first_page_header_footer = True

    # The Header and Footer styles hold a right tab stop at the text width (16 cm).
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.add_run("{{ organisation }}\t{{ title }}")

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run("{{ version }}\t{{ page_label }} ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" {{ of_label }} ")
    _add_field(footer, "NUMPAGES", "1")

    body = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    body.style = document.styles["Cover Organisation"]
    body.add_run("{{ organisation }}")
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ subtitle }}", style="Subtitle")
    document.add_paragraph("{{ date }}", style="Cover Details")
    document.add_paragraph("{{ version }}", style="Cover Details")
    # A paragraph that holds only the page break; tiny, so that it leaves no visible gap on page 2.
    page_break = document.add_paragraph(style="Cover Details")
    page_break.paragraph_format.space_after = Pt(0)
    page_break.add_run().add_break(WD_BREAK.PAGE)
    page_break.runs[0].font.size = Pt(1)
    document.add_paragraph("{{p body }}")

    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so that the file only changes when its content does."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()


def main() -> None:
    TEMPLATE_PATH.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE_PATH.write_bytes(build())
    print(f"wrote {TEMPLATE_PATH}")


if __name__ == "__main__":
    main()
