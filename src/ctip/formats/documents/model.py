"""What a report says, independent of the file it is written to.

A :class:`Report` is a title block and a sequence of blocks; :mod:`.docx_writer` writes it as a Word
document and :mod:`.pptx_writer` reuses :class:`Table` on slides. Everything here is a frozen dataclass of
plain values, built by the web layer from the database and by tests from literals.

Text is plain text: the only markup is ``**bold**`` inside a :class:`Paragraph` or a :class:`BulletList`
item (see :func:`bold_spans`). Nothing else is interpreted, so user data cannot inject formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    """1 to 3: the template's "Heading 1" to "Heading 3" styles."""

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"Heading level must be 1, 2 or 3, not {self.level}.")


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""
    """A paragraph style of the template (such as "Quote"); empty, or a style the template lacks, means
    the normal body text."""


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    column_widths_cm: tuple[float, ...] | None = None
    """Fixed column widths; ``None`` shares the text width out according to the content."""
    note: str = ""
    """A source or a remark, printed in small type under the table."""
    align_right: tuple[bool, ...] | None = None
    """Which columns to align on the right; ``None`` finds the columns that hold only numbers. Given by a
    builder that knows a column holds numbers even where some cells say "—" or "n<5"."""

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.header):
                raise ValueError(f"Row {number} has {len(row)} cells for {len(self.header)} columns.")
        if self.column_widths_cm is not None and len(self.column_widths_cm) != len(self.header):
            raise ValueError("There must be one column width for each column.")
        if self.align_right is not None and len(self.align_right) != len(self.header):
            raise ValueError("There must be one alignment for each column.")

    def numeric_columns(self) -> tuple[bool, ...]:
        """Which columns to align on the right: ``align_right`` when given, otherwise those that hold only
        numbers ("1,250", "75%", "-3.5")."""
        if self.align_right is not None:
            return self.align_right
        return tuple(
            bool(self.rows)
            and all(_NUMBER.match(row[index]) or not row[index].strip() for row in self.rows)
            and any(row[index].strip() for row in self.rows)
            for index in range(len(self.header))
        )

    def column_weights(self) -> tuple[float, ...]:
        """Relative column widths from the content: the longest line in each column, within limits so that
        a column of short codes stays readable and a column of long comments does not take everything."""
        weights = []
        for index, title in enumerate(self.header):
            cells = [title, *(row[index] for row in self.rows)]
            longest_word = max((len(word) for cell in cells for word in cell.split()), default=1)
            longest_cell = max((len(cell) for cell in cells), default=1)
            weights.append(float(min(max(longest_cell, longest_word, 4), 40)) ** 0.8)
        return tuple(weights)


@dataclass(frozen=True)
class Figure:
    caption: str
    png: bytes
    width_cm: float = 16.0
    """Shrunk to the text width of the page when wider."""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | BulletList | Table | Figure | PageBreak


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    organisation: str
    date_text: str
    """Already formatted for the reader ("12 March 2026", "12 mars 2026")."""
    version_text: str
    """For example "Draft 0.3 – for validation"."""
    blocks: tuple[Block, ...]
    language: str = "en"
    """The language of the text (``"en"``, ``"fr"``), for the spelling checker and the file's properties."""


_NUMBER = re.compile(r"^\s*[-+−]?[\d][\d\s.,' \u202f\u00a0]*%?\s*$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def bold_spans(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(piece, is_bold)`` runs at ``**bold**`` markers; an unpaired ``**`` stays as
    it is."""
    spans: list[tuple[str, bool]] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            spans.append((text[position : match.start()], False))
        spans.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        spans.append((text[position:], False))
    return spans


def xml_safe(text: str) -> str:
    """``text`` without the control characters that XML cannot hold (a vertical tab pasted from Excel would
    otherwise make the Word or PowerPoint file impossible to write)."""
    return _NOT_XML.sub("", text)
