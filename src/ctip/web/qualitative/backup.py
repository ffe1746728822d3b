"""The ``qualitative`` section of a workspace backup: the codebook (themes), the interviews and focus groups
with their notes and transcript text, and their coded excerpts. Rows are identified by UUID; a record's
organisations are referred to by the registry organisations' UUIDs (the stakeholders section is restored
first; a link to an organisation that is not in the restored registry is dropped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation

SECTION = "qualitative"


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def section_export(workspace: Workspace) -> dict[str, Any]:
    themes = Theme.objects.filter(workspace=workspace).select_related("parent").order_by("uuid")
    records = (
        QualitativeRecord.objects.filter(workspace=workspace)
        .prefetch_related("organisations", "excerpts__theme")
        .order_by("uuid")
    )
    return {
        "themes": [
            {
                "uuid": str(t.uuid),
                "code": t.code,
                "name": t.name,
                "description": t.description,
                "pillar": t.pillar,
                "competency_codes": list(t.competency_codes or []),
                "parent": str(t.parent.uuid) if t.parent is not None else None,
                "created_at": _when(t.created_at),
                "updated_at": _when(t.updated_at),
                "version": t.version,
            }
            for t in themes
        ],
        "records": [
            {
                "uuid": str(r.uuid),
                "kind": r.kind,
                "date": r.date.isoformat(),
                "title": r.title,
                "organisations": sorted(str(o.uuid) for o in r.organisations.all()),
                "participants_women": r.participants_women,
                "participants_men": r.participants_men,
                "participants_other": r.participants_other,
                "facilitator": r.facilitator,
                "location": r.location,
                "notes": r.notes,
                "transcript_name": r.transcript_name,
                "transcript_text": r.transcript_text,
                "created_at": _when(r.created_at),
                "updated_at": _when(r.updated_at),
                "version": r.version,
                "excerpts": [
                    {
                        "uuid": str(e.uuid),
                        "theme": str(e.theme.uuid),
                        "text": e.text,
                        "is_quote": e.is_quote,
                        "anonymised": e.anonymised,
                        "created_at": _when(e.created_at),
                    }
                    for e in sorted(r.excerpts.all(), key=lambda e: str(e.uuid))
                ],
            }
            for r in records
        ],
    }


def _damaged(where: str, error: Exception) -> DomainError:
    return DomainError(
        ErrorCode.BACKUP_FORMAT,
        _("The interviews and focus groups part of the backup is damaged (%(where)s); nothing was restored."),
        {"where": where},
        problems=[FieldProblem(where, str(error))],
    )


def _themes_import(items: list[dict[str, Any]], workspace: Workspace) -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for index, item in enumerate(items):
        try:
            themes[str(item["uuid"])] = Theme.objects.create(
                workspace=workspace,
                uuid=item["uuid"],
                code=item["code"],
                name=item["name"],
                description=item.get("description", ""),
                pillar=item.get("pillar", ""),
                competency_codes=list(item.get("competency_codes", [])),
                created_at=dt.datetime.fromisoformat(item["created_at"]),
                updated_at=dt.datetime.fromisoformat(item["updated_at"]),
                version=item.get("version", 1),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _damaged(f"themes[{index}]", error) from error
    for index, item in enumerate(items):
        parent = item.get("parent")
        if parent:
            if parent not in themes:
                raise _damaged(f"themes[{index}]", KeyError(f"unknown parent theme {parent}"))
            theme = themes[str(item["uuid"])]
            theme.parent = themes[parent]
            theme.save(update_fields=["parent"])
    return themes


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    themes = _themes_import(section.get("themes", []), workspace)
    organisations = {str(o.uuid): o for o in Organisation.objects.filter(workspace=workspace)}
    for index, item in enumerate(section.get("records", [])):
        where = f"records[{index}]"
        try:
            record = QualitativeRecord.objects.create(
                workspace=workspace,
                uuid=item["uuid"],
                kind=item["kind"],
                date=dt.date.fromisoformat(item["date"]),
                title=item["title"],
                participants_women=item.get("participants_women", 0),
                participants_men=item.get("participants_men", 0),
                participants_other=item.get("participants_other", 0),
                facilitator=item.get("facilitator", ""),
                location=item.get("location", ""),
                notes=item.get("notes", ""),
                transcript_name=item.get("transcript_name", ""),
                transcript_text=item.get("transcript_text", ""),
                created_at=dt.datetime.fromisoformat(item["created_at"]),
                updated_at=dt.datetime.fromisoformat(item["updated_at"]),
                version=item.get("version", 1),
            )
            record.organisations.set(
                [organisations[o] for o in item.get("organisations", []) if o in organisations]
            )
            CodedExcerpt.objects.bulk_create(
                [
                    CodedExcerpt(
                        record=record,
                        uuid=e["uuid"],
                        theme=themes[e["theme"]],
                        text=e["text"],
                        is_quote=bool(e.get("is_quote", False)),
                        anonymised=bool(e.get("anonymised", False)) or bool(e.get("is_quote", False)),
                        created_at=dt.datetime.fromisoformat(e["created_at"]),
                    )
                    for e in item.get("excerpts", [])
                ]
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _damaged(where, error) from error
