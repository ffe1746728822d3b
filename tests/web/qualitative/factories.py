"""Factories for qualitative tests: objects made through the services, as users make them."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from ctip.web.accounts.models import Workspace
from ctip.web.qualitative import services
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation

_counter = itertools.count(1)


def organisation_make(workspace: Workspace, key: str | None = None, **values: object) -> Organisation:
    """An organisation of the registry, created directly (the registry's services belong to another app)."""
    key = key or f"org{next(_counter)}"
    defaults: dict[str, object] = {
        "name": f"Organisation {key}",
        "acronym": key.upper(),
        "type": "ngo",
        "sector": "civil_society",
        "level": "national",
    }
    defaults.update(values)
    return Organisation.objects.create(workspace=workspace, key=key, **defaults)


def record_make(
    workspace: Workspace, title: str = "Interview: labour inspectors", **values: object
) -> QualitativeRecord:
    arguments: dict[str, object] = {
        "kind": "interview",
        "date": dt.date(2025, 5, 5),
        "participants_women": 1,
        "participants_men": 2,
        "facilitator": "Lead consultant",
        "location": "Port Louis",
        "notes": "Inspectors need notice before entering dormitories.",
    }
    arguments.update(values)
    return services.qualitative_record_create(workspace=workspace, title=title, acting_user=None, **arguments)  # type: ignore[arg-type]


def theme_make(workspace: Workspace, code: str | None = None, **values: object) -> Theme:
    code = code or f"T{next(_counter):02d}"
    arguments: dict[str, object] = {
        "name": f"Theme {code}",
        "pillar": "protection",
        "competency_codes": ["ID01"],
    }
    arguments.update(values)
    return services.theme_create(workspace=workspace, code=code, acting_user=None, **arguments)  # type: ignore[arg-type]


def excerpt_make(
    record: QualitativeRecord, theme: Theme, text: str = "Inspectors need notice.", *, is_quote: bool = False
) -> CodedExcerpt:
    return services.excerpt_add(
        workspace=record.workspace, record=record, theme=theme, text=text, is_quote=is_quote, acting_user=None
    )


def docx_bytes(*paragraphs: str, table: tuple[tuple[str, ...], ...] = ()) -> bytes:
    """A small Word document made with python-docx."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
