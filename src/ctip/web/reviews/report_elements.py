"""A report (:class:`ctip.formats.documents.model.Report`) as the elements of a version's snapshot, for the
deliverables that are documents (the inception report, the TNA report).

Each heading is a ``section``: a level-1 heading at the top, a level-2 or level-3 heading under the
nearest heading above it of a higher level. The blocks that follow a heading are its children:
``paragraph``, ``list``, ``table`` and ``figure`` (a figure's caption only, never its picture; page breaks
are left out). Content before the first heading sits in a ``front`` section.

Ids survive edits elsewhere in the report: a section's id is the slug of its heading (``methodology``;
``objectives-2`` for the second heading that reads "Objectives"), a block's id is its section's id, its
kind and its number among the blocks of that kind in the section (``methodology/paragraph-2``). Positions
follow the document order among the children of one parent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.review.diff import Element
from ctip.formats.documents.model import (
    BulletList,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from ctip.web.accounts.models import Workspace

__all__ = ["FRONT_SECTION", "REPORT_FIELD_LABELS", "REPORT_KIND_LABELS", "report_elements", "report_language"]

FRONT_SECTION = "front"
"""The id of the section that holds what comes before the first heading."""

REPORT_KIND_LABELS = {
    "section": gettext_lazy("Section"),
    "paragraph": gettext_lazy("Paragraph"),
    "list": gettext_lazy("List"),
    "table": gettext_lazy("Table"),
    "figure": gettext_lazy("Figure"),
}
REPORT_FIELD_LABELS = {
    "heading": gettext_lazy("Heading"),
    "level": gettext_lazy("Heading level"),
    "text": gettext_lazy("Text"),
    "items": gettext_lazy("Items"),
    "caption": gettext_lazy("Caption"),
    "header": gettext_lazy("Column headings"),
    "rows": gettext_lazy("Rows"),
    "note": gettext_lazy("Note under the table"),
}


def _block_names() -> dict[str, str]:
    """How a block is named in its label ("Methodology: paragraph 2"), in the active language."""
    return {
        "paragraph": _("paragraph"),
        "list": _("list"),
        "table": _("table"),
        "figure": _("figure"),
    }


@dataclass
class _Section:
    id: str
    heading: str
    level: int
    children: int = 0
    """How many elements sit directly under it so far (the next child's position)."""
    numbers: dict[str, int] = field(default_factory=dict)
    """The last number given to a block of each kind in the section."""


class _Builder:
    def __init__(self) -> None:
        self.elements: list[Element] = []
        self.taken: set[str] = {FRONT_SECTION}
        self.open: list[_Section] = []
        """The headings above the current point, outermost first."""
        self.top_count = 0
        self.names = _block_names()

    def _section_id(self, heading: str) -> str:
        base = slugify(heading) or "section"
        candidate, number = base, 1
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.taken.add(candidate)
        return candidate

    def _next_position(self, parent: _Section | None) -> int:
        if parent is None:
            self.top_count += 1
            return self.top_count - 1
        parent.children += 1
        return parent.children - 1

    def heading(self, block: Heading) -> None:
        while self.open and self.open[-1].level >= block.level:
            self.open.pop()
        if self.open and self.open[-1].id == FRONT_SECTION:
            self.open.pop()
        parent = self.open[-1] if self.open else None
        section = _Section(self._section_id(block.text), block.text, block.level)
        self.elements.append(
            Element(
                id=section.id,
                kind="section",
                label=block.text,
                parent=parent.id if parent else None,
                position=self._next_position(parent),
                fields={"heading": block.text, "level": block.level},
            )
        )
        self.open.append(section)

    def _current(self) -> _Section:
        if not self.open:
            front = _Section(FRONT_SECTION, _("Before the first heading"), 0)
            self.elements.append(
                Element(
                    id=FRONT_SECTION,
                    kind="section",
                    label=front.heading,
                    parent=None,
                    position=self._next_position(None),
                    fields={"heading": "", "level": 0},
                )
            )
            self.open.append(front)
        return self.open[-1]

    def block(self, kind: str, fields: dict[str, Any], caption: str = "") -> None:
        section = self._current()
        number = section.numbers.get(kind, 0) + 1
        section.numbers[kind] = number
        label = _("%(section)s: %(kind)s %(number)s") % {
            "section": section.heading,
            "kind": self.names[kind],
            "number": number,
        }
        if caption:
            label = f"{label} – {caption}"
        self.elements.append(
            Element(
                id=f"{section.id}/{kind}-{number}",
                kind=kind,
                label=label,
                parent=section.id,
                position=self._next_position(section),
                fields=fields,
            )
        )


def report_language(workspace: Workspace) -> str:
    """The language a workspace's reports are reviewed in: its first working language (English when it
    names none), so that every version of a report is written in the same language."""
    languages = [str(code).strip() for code in workspace.languages or () if str(code).strip()]
    return languages[0] if languages else "en"


def report_elements(report: Report) -> list[Element]:
    """The report's sections and blocks in document order, as described in the module's docstring. The
    labels use the active language; the fields hold the report's own text."""
    builder = _Builder()
    for block in report.blocks:
        if isinstance(block, Heading):
            builder.heading(block)
        elif isinstance(block, Paragraph):
            builder.block("paragraph", {"text": block.text})
        elif isinstance(block, BulletList):
            builder.block("list", {"items": list(block.items)})
        elif isinstance(block, Table):
            builder.block(
                "table",
                {
                    "caption": block.caption,
                    "header": list(block.header),
                    "rows": [list(row) for row in block.rows],
                    "note": block.note,
                },
                caption=block.caption,
            )
        elif isinstance(block, Figure):
            builder.block("figure", {"caption": block.caption}, caption=block.caption)
        elif isinstance(block, PageBreak):
            continue
    return builder.elements
