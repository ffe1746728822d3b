"""Certificates of attendance as one Word document: one A4 landscape page per participant, with the
programme's name, "certificate of attendance", the participant's name (or a blank line to write it by hand),
the training's title and modules, its dates and venue, the days attended and two signature lines.

Every text comes in already worded in the certificate's language (:class:`CertificateLabels`), so this
module knows no language. Names are used for the document only; nothing here stores them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ctip.core.errors import DomainError, ErrorCode, _

BRAND = RGBColor(0x0B, 0x4F, 0x8A)
INK = RGBColor(0x1B, 0x1F, 0x24)
MUTED = RGBColor(0x4A, 0x55, 0x62)
FONT = "Calibri"
A4_LONG, A4_SHORT = Cm(29.7), Cm(21.0)
MAX_NAME_LENGTH = 150


@dataclass(frozen=True)
class CertificateLabels:
    """The fixed wording, in the certificate's language."""

    heading: str
    """E.g. "Certificate of attendance"."""
    presented_to: str
    """E.g. "This is to certify that"."""
    attended: str
    """E.g. "attended the training"."""
    modules: str
    """E.g. "Modules:" (shown when the training has more than one module)."""
    signature_left: str
    """E.g. "Trainer"."""
    signature_right: str
    """E.g. "Programme coordinator"."""


@dataclass(frozen=True)
class Certificate:
    name: str
    """The participant's name as typed for this download; empty: a blank line to fill in by hand."""
    attendance: str
    """E.g. "2 of 2 training days"."""


@dataclass(frozen=True)
class CertificateBatch:
    organisation: str
    title: str
    dates: str
    """E.g. "2–3 March 2026"."""
    venue: str
    """E.g. "Police Training School, Mauritius" (may be empty)."""
    certificates: Sequence[Certificate]
    labels: CertificateLabels
    language: str = "en"
    modules: Sequence[str] = ()
    signatory_left: str = ""
    """A name printed under the left signature line (e.g. the lead trainer), or empty."""
    signatory_right: str = ""


def write_certificates(batch: CertificateBatch) -> bytes:
    """The certificates as a ``.docx``: one page each, in the order given."""
    if not batch.certificates:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("There is nobody to make a certificate for: choose at least one participant who attended."),
        )
    document = Document()
    _page_setup(document)
    _set_language(document, batch.language)
    for index, certificate in enumerate(batch.certificates):
        _certificate(document, batch, certificate, first=index == 0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: WordDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin = section.bottom_margin = Cm(2.0)
    borders = "".join(
        f'<w:{side} w:val="double" w:sz="18" w:space="20" w:color="0B4F8A"/>'
        for side in ("top", "left", "bottom", "right")
    )
    section._sectPr.append(
        parse_xml(f'<w:pgBorders {nsdecls("w")} w:offsetFrom="page">{borders}</w:pgBorders>')
    )
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(0)


def _set_language(document: WordDocument, language: str) -> None:
    tag = {"fr": "fr-FR", "en": "en-GB"}.get(language, language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        run_properties.append(lang)
    lang.set(qn("w:val"), tag)


def _line(
    document: WordDocument,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor = INK,
    before: float = 0,
    after: float = 0,
    caps: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.all_caps = caps
    run.font.color.rgb = colour
    return paragraph


def _bottom_rule(paragraph: Paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="8" w:space="1" w:color="1B1F24"/></w:pBdr>'
        )
    )


def _fitted(text: str, sizes: Sequence[tuple[int, float]]) -> float:
    """The first size whose length limit ``text`` keeps within (long texts get smaller type to stay on the
    page)."""
    return next((size for limit, size in sizes if len(text) <= limit), sizes[-1][1])


def _certificate(
    document: WordDocument, batch: CertificateBatch, certificate: Certificate, *, first: bool
) -> None:
    labels = batch.labels
    long_page = len(batch.title) > 90 or len(batch.modules) > 2
    top = _line(
        document,
        batch.organisation,
        size=_fitted(batch.organisation, ((60, 13), (100, 11.5))),
        colour=MUTED,
        caps=True,
        before=12 if long_page else 26,
        after=14,
    )
    top.paragraph_format.page_break_before = not first
    _line(document, labels.heading, size=32 if long_page else 36, bold=True, colour=BRAND, after=18)
    _line(document, labels.presented_to, size=14, after=10)
    name = certificate.name.strip()[:MAX_NAME_LENGTH]
    name_line = _line(
        document,
        name or "\u00a0",
        size=_fitted(name, ((32, 28), (50, 22), (90, 18), (0, 15))),
        bold=True,
        after=12,
    )
    name_line.paragraph_format.left_indent = name_line.paragraph_format.right_indent = Cm(4)
    _bottom_rule(name_line)
    _line(document, labels.attended, size=14, before=10, after=6)
    _line(
        document,
        batch.title,
        size=_fitted(batch.title, ((60, 22), (110, 18), (0, 15))),
        bold=True,
        colour=BRAND,
        after=4,
    )
    if len(batch.modules) > 1:
        _line(
            document,
            f"{labels.modules} {'; '.join(batch.modules)}",
            size=10,
            italic=True,
            colour=MUTED,
            after=2,
        )
    place = f"{batch.dates} — {batch.venue}" if batch.venue else batch.dates
    _line(document, place, size=13, before=8, after=4)
    _line(document, certificate.attendance, size=12, colour=MUTED, after=12 if long_page else 24)
    _signatures(document, batch, space=24 if long_page else 36)


def _signatures(document: WordDocument, batch: CertificateBatch, *, space: float) -> None:
    table = document.add_table(rows=1, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(8.5), Cm(5.7), Cm(8.5))
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    for cell, label, signatory in (
        (table.rows[0].cells[0], batch.labels.signature_left, batch.signatory_left),
        (table.rows[0].cells[2], batch.labels.signature_right, batch.signatory_right),
    ):
        rule = cell.paragraphs[0]
        rule.paragraph_format.space_before = Pt(space)
        rule.add_run("\u00a0")
        _bottom_rule(rule)
        for text, size, colour in ((signatory, 12, INK), (label, 11, MUTED)):
            if not text:
                continue
            paragraph = cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.font.size = Pt(size)
            run.font.color.rgb = colour
