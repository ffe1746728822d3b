"""PowerPoint decks: a title slide, then one or more slides for each :class:`Slide`.

The deck starts from python-pptx's default template, widened to 16:9 (13.33 × 7.5 in) with its master and
layouts moved to match, so that a slide a user adds in PowerPoint looks like ours. Titles are left-aligned
in dark blue (#1F4E79, as in the Word reports) with a short accent bar, text is Arial, and every slide but
the first has the deck's title and its number in the footer.

A slide holds bullets, a table and a picture in any combination, side by side. Nothing overflows: bullets
that do not fit and table rows that do not fit go on following slides titled "… (continued)", where a
table repeats its header row; pictures are scaled to fit their area and keep their proportions. The fit is
estimated from the length of the text (python-pptx cannot measure text), with a margin to spare.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide as PptxSlide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from ctip.formats.documents.model import Table, bold_spans, xml_safe

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: 16:9
SLIDE_HEIGHT = Emu(6858000)  # 7.5 in
FONT = "Arial"


def _rgb(red: int, green: int, blue: int) -> RGBColor:
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


ACCENT = _rgb(0x1F, 0x4E, 0x79)
TEXT = _rgb(0x22, 0x22, 0x22)
MUTED = _rgb(0x6B, 0x72, 0x80)
BAND = _rgb(0xF1, 0xF4, 0xF8)
WHITE = _rgb(0xFF, 0xFF, 0xFF)

_MARGIN = Inches(0.6)
_CONTENT_TOP = Inches(1.5)
_CONTENT_BOTTOM = Inches(6.75)
_CONTENT_WIDTH = Emu(SLIDE_WIDTH - 2 * _MARGIN)
_GAP = Inches(0.35)
_BULLET_PT = 18
_TABLE_PT = 12
_LAYOUT_TITLE_SLIDE = 0
_LAYOUT_TITLE_AND_CONTENT = 1
_LAYOUT_TITLE_ONLY = 5
_PANEL_WEIGHTS = {"bullets": 1.0, "table": 1.7, "image": 1.3}


@dataclass(frozen=True)
class Slide:
    title: str
    bullets: tuple[str, ...] = ()
    """Plain text with optional ``**bold**`` parts, as in a report paragraph."""
    table: Table | None = None
    """Its caption is not shown: the slide title names the table."""
    image_png: bytes | None = None
    notes: str = ""
    """Speaker notes."""


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    slides: tuple[Slide, ...]


def write_pptx(deck: Deck, *, continued_label: str = "(continued)") -> bytes:
    """The deck as a ``.pptx`` file; ``continued_label`` (translated) follows the title of overflow slides."""
    presentation = Presentation()
    _widen(presentation)
    _title_slide(presentation, deck)
    footer = xml_safe(deck.title)
    number = 1
    for slide in deck.slides:
        number = _content_slides(presentation, slide, footer, number, xml_safe(continued_label))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


# --- The master ------------------------------------------------------------------------------------------


def _widen(presentation: PresentationObject) -> None:
    """16:9, with the master's and layouts' shapes stretched to the new width and a left-aligned title."""
    factor = SLIDE_WIDTH / presentation.slide_width
    presentation.slide_width = SLIDE_WIDTH
    presentation.slide_height = SLIDE_HEIGHT
    master = presentation.slide_master
    for element in [master._element, *(layout._element for layout in master.slide_layouts)]:
        for transform in element.iter(qn("a:xfrm")):
            offset, extent = transform.find(qn("a:off")), transform.find(qn("a:ext"))
            if offset is not None:
                offset.set("x", str(round(int(offset.get("x", "0")) * factor)))
            if extent is not None:
                extent.set("cx", str(round(int(extent.get("cx", "0")) * factor)))
    title_style = master._element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    if title_style is not None:
        title_style.set("algn", "l")
        properties = title_style.find(qn("a:defRPr"))
        if properties is not None:
            properties.set("sz", "2800")
            properties.set("b", "1")
            _replace_children(properties, f'<a:solidFill {_NS}><a:srgbClr val="1F4E79"/></a:solidFill>')
    body_style = master._element.find(f"{qn('p:txStyles')}/{qn('p:bodyStyle')}")
    if body_style is not None:
        for level, size in enumerate((2000, 1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400), start=1):
            level_style = body_style.find(qn(f"a:lvl{level}pPr"))
            properties = None if level_style is None else level_style.find(qn("a:defRPr"))
            if properties is not None:
                properties.set("sz", str(size))
                _replace_children(properties, f'<a:solidFill {_NS}><a:srgbClr val="222222"/></a:solidFill>')


_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def _replace_children(properties: etree._Element, fill: str) -> None:
    """Give run properties a solid colour and Arial instead of the theme's colour and fonts."""
    for child in list(properties):
        properties.remove(child)
    properties.append(etree.fromstring(fill))
    for tag in ("latin", "ea", "cs"):
        properties.append(etree.fromstring(f'<a:{tag} {_NS} typeface="{FONT}"/>'))


# --- Slides ----------------------------------------------------------------------------------------------


def _title_slide(presentation: PresentationObject, deck: Deck) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[_LAYOUT_TITLE_SLIDE])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.3), SLIDE_HEIGHT)
    _plain_fill(band, ACCENT)
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    title.left, title.top, title.width, title.height = Inches(1.0), Inches(1.6), Inches(11.3), Inches(2.6)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        Inches(1.0),
        Inches(4.55),
        Inches(11.3),
        Inches(1.4),
    )
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1.0), Inches(4.35), Inches(1.6), Inches(0.06))
    _plain_fill(rule, ACCENT)
    title_frame = title.text_frame
    title_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    title_frame.margin_left = 0
    title_frame.word_wrap = True
    _write(title_frame.paragraphs[0], deck.title, size=40, bold=True, colour=ACCENT)
    title_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    subtitle_frame = subtitle.text_frame
    subtitle_frame.vertical_anchor = MSO_ANCHOR.TOP
    subtitle_frame.margin_left = 0
    subtitle_frame.word_wrap = True
    _write(subtitle_frame.paragraphs[0], deck.subtitle, size=20, colour=MUTED)
    subtitle_frame.paragraphs[0].alignment = PP_ALIGN.LEFT


def _content_slides(
    presentation: PresentationObject, slide: Slide, footer: str, number: int, continued: str
) -> int:
    """Add the slides for one :class:`Slide` (more than one when it overflows); return the last number."""
    bullets = list(slide.bullets)
    rows = list(slide.table.rows) if slide.table is not None else []
    first = True
    while first or bullets or rows:
        panels = [
            name
            for name, present in (
                ("bullets", bool(bullets)),
                ("table", slide.table is not None and (first or bool(rows))),
                ("image", first and slide.image_png is not None),
            )
            if present
        ]
        layout = _LAYOUT_TITLE_AND_CONTENT if panels and panels[0] == "bullets" else _LAYOUT_TITLE_ONLY
        page = presentation.slides.add_slide(presentation.slide_layouts[layout])
        number += 1
        _slide_title(page, slide.title if first else f"{slide.title} {continued}")
        left = int(_MARGIN)
        total_weight = sum(_PANEL_WEIGHTS[name] for name in panels)
        free_width = int(_CONTENT_WIDTH) - int(_GAP) * (len(panels) - 1)
        for name in panels:
            width = int(free_width * _PANEL_WEIGHTS[name] / total_weight)
            if name == "bullets":
                bullets = _bullets(page, bullets, left, width)
            elif name == "table" and slide.table is not None:
                rows = _table(page, slide.table, rows, left, width)
            elif name == "image" and slide.image_png is not None:
                _picture(page, slide.image_png, left, width)
            left += width + int(_GAP)
        _footer(page, footer, number)
        if first and slide.notes:
            page.notes_slide.notes_text_frame.text = xml_safe(slide.notes)
        first = False
    return number


def _slide_title(slide: PptxSlide, text: str) -> None:
    title = slide.shapes.title
    if title is None:  # pragma: no cover - both layouts used have a title
        return
    title.left, title.top, title.width, title.height = _MARGIN, Inches(0.3), _CONTENT_WIDTH, Inches(0.9)
    frame = title.text_frame
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    frame.margin_left = frame.margin_right = 0  # the text lines up with the accent bar and the content
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    size = 28 if len(text) <= 60 else 24
    _write(frame.paragraphs[0], text, size=size, bold=True, colour=ACCENT)
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _MARGIN, Inches(1.25), Inches(1.2), Inches(0.05))
    _plain_fill(rule, ACCENT)


def _footer(slide: PptxSlide, text: str, number: int) -> None:
    top, height = Inches(6.95), Inches(0.35)
    box = slide.shapes.add_textbox(_MARGIN, top, Inches(10.5), height)
    box.text_frame.word_wrap = True
    box.text_frame.margin_left = 0
    _write(box.text_frame.paragraphs[0], text, size=10, colour=MUTED)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    box.name = "Footer"
    counter = slide.shapes.add_textbox(Emu(SLIDE_WIDTH - _MARGIN - Inches(1.0)), top, Inches(1.0), height)
    counter.name = "Slide Number"
    counter.text_frame.margin_right = 0
    _write(counter.text_frame.paragraphs[0], str(number), size=10, colour=MUTED)
    counter.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _bullets(slide: PptxSlide, bullets: list[str], left: int, width: int) -> list[str]:
    """Fill the body placeholder with as many bullets as fit; return the rest."""
    body = next((shape for shape in slide.placeholders if shape.placeholder_format.idx == 1), None)
    if body is None:  # pragma: no cover - the layout has one
        return []
    body.left, body.top, body.width, body.height = Emu(left), _CONTENT_TOP, Emu(width), _content_height()
    frame: TextFrame = body.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    # Arial averages 0.4 of its size per character: 10 characters an inch at 18 pt (less the bullet's
    # indent); a line is 1.2 times the size, and each bullet has 8 pt after it and 20 % of a line before.
    characters_per_line = max(int((width / 914400 - 0.5) * 10), 10)
    budget = _content_height() / 12700 - 12
    used = 0.0
    taken = 0
    for bullet in bullets:
        lines = math.ceil(max(len(bullet), 1) / characters_per_line)
        height = lines * _BULLET_PT * 1.2 + 8 + _BULLET_PT * 0.25
        if taken and used + height > budget:
            break
        used += height
        taken += 1
    for index, bullet in enumerate(bullets[:taken]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()  # type: ignore[no-untyped-call]
        paragraph.space_after = Pt(8)
        _write(paragraph, bullet, size=_BULLET_PT, colour=TEXT)
    return bullets[taken:]


def _table(
    slide: PptxSlide, table: Table, rows: list[tuple[str, ...]], left: int, width: int
) -> list[tuple[str, ...]]:
    """Place the header and as many rows as fit; return the rows left for the next slide."""
    widths = _column_widths(table, width)
    if len(table.header) <= 5 and len(table.rows) <= 8:
        row_pt = 14
    else:
        row_pt = _TABLE_PT if len(table.header) <= 6 else 10
    budget = int(_content_height())
    used = _row_height(table.header, widths, row_pt)
    taken = 0
    for row in rows:
        height = _row_height(row, widths, row_pt)
        if taken and used + height > budget:
            break
        used += height
        taken += 1
    shown = rows[:taken]
    frame = slide.shapes.add_table(
        len(shown) + 1, len(table.header), Emu(left), _CONTENT_TOP, Emu(sum(widths)), Emu(used)
    )
    word_table = frame.table
    word_table.first_row = True
    word_table.horz_banding = False
    numeric = table.numeric_columns()
    for column_index, column_width in enumerate(widths):
        word_table.columns[column_index].width = Emu(column_width)
    for row_index, values in enumerate([table.header, *shown]):
        word_table.rows[row_index].height = Emu(_row_height(values, widths, row_pt))
        for column_index, value in enumerate(values):
            cell = word_table.cell(row_index, column_index)
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()  # type: ignore[no-untyped-call]
            if row_index == 0:
                cell.fill.fore_color.rgb = ACCENT
            else:
                cell.fill.fore_color.rgb = BAND if row_index % 2 == 0 else WHITE
            paragraph = cell.text_frame.paragraphs[0]
            _write(
                paragraph,
                value,
                size=row_pt,
                bold=row_index == 0,
                colour=WHITE if row_index == 0 else TEXT,
            )
            if numeric[column_index]:
                paragraph.alignment = PP_ALIGN.RIGHT
    return rows[taken:]


def _column_widths(table: Table, width: int) -> list[int]:
    """Fixed widths scaled to the area; otherwise widths from the content, no wider than it needs (a
    table of four short columns should not stretch across the whole slide)."""
    if table.column_widths_cm is not None:
        weights: Sequence[float] = table.column_widths_cm
        total = sum(weights)
        return [int(width * weight / total) for weight in weights]
    weights = table.column_weights()
    total = sum(weights)
    natural = 0
    for index, title in enumerate(table.header):
        longest = max(len(cell) for cell in [title, *(row[index] for row in table.rows)])
        natural += int(Inches(min(max(0.3 + longest * 0.11, 1.2), 4.5)))
    width = min(width, natural)
    return [int(width * weight / total) for weight in weights]


def _row_height(values: Sequence[str], widths: Sequence[int], size_pt: int) -> int:
    """An estimate on the safe side: Arial averages half its size per character."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        usable_points = width / 12700 - 12
        characters = max(int(usable_points / (size_pt * 0.52)), 4)
        lines = max(lines, sum(math.ceil(max(len(part), 1) / characters) for part in value.split("\n")))
    return int(Pt(lines * size_pt * 1.2 + 8))


def _picture(slide: PptxSlide, png: bytes, left: int, width: int) -> None:
    with Image.open(io.BytesIO(png)) as image:
        pixel_width, pixel_height = image.size
    height = int(_content_height())
    scale = min(width / pixel_width, height / pixel_height)
    shown_width, shown_height = int(pixel_width * scale), int(pixel_height * scale)
    slide.shapes.add_picture(
        io.BytesIO(png),
        Emu(left + (width - shown_width) // 2),
        Emu(int(_CONTENT_TOP) + (height - shown_height) // 2),
        Emu(shown_width),
        Emu(shown_height),
    )


def _content_height() -> Emu:
    return Emu(_CONTENT_BOTTOM - _CONTENT_TOP)


def _plain_fill(shape: Shape, colour: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    shape.shadow.inherit = False


def _write(paragraph: _Paragraph, text: str, *, size: float, colour: RGBColor, bold: bool = False) -> None:
    for piece, is_bold in bold_spans(xml_safe(text)) or [("", False)]:
        run = paragraph.add_run()
        run.text = piece
        font = run.font
        font.name = FONT
        font.size = Pt(size)
        font.bold = bold or is_bold
        font.color.rgb = colour
