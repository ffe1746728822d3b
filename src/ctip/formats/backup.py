"""The workspace backup file: a versioned JSON document holding everything one workspace owns.

Shape (version 1)::

    {
      "format": "ctip-workspace-backup",
      "version": 1,
      "created_at": "2026-11-24T09:00:00+00:00",
      "ctip_version": "0.1.0",
      "sections": {"accounts": {...}, ...}
    }

Each Django app contributes one section (see ``ctip.web.workspace_backup``). Reading checks the envelope and
upgrades older versions step by step, so a file written today can still be restored after the format
moves on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem

BACKUP_FORMAT = "ctip-workspace-backup"
BACKUP_VERSION = 1

BackupDocument = dict[str, Any]

# version n → function turning a version-n document into version n + 1
_UPGRADES: dict[int, Callable[[BackupDocument], BackupDocument]] = {}


def backup_envelope(*, sections: dict[str, Any], created_at: str, ctip_version: str) -> BackupDocument:
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": created_at,
        "ctip_version": ctip_version,
        "sections": sections,
    }


def backup_dumps(document: BackupDocument) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def backup_write(document: BackupDocument, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".partial")
    temporary.write_text(backup_dumps(document), encoding="utf-8")
    temporary.replace(path)


def backup_read(path: Path) -> BackupDocument:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise DomainError(ErrorCode.NOT_FOUND, f"There is no backup file at {path}.") from error
    except UnicodeDecodeError as error:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            f"{path} is not a C-TIP Planner backup: it is not UTF-8 text (byte {error.start}).",
        ) from error
    return backup_loads(text, source=str(path))


def backup_loads(text: str, *, source: str = "the backup") -> BackupDocument:
    try:
        document: BackupDocument = json.loads(text)
    except json.JSONDecodeError as error:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            f"{source} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
        ) from error
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            f"{source} is not a C-TIP Planner workspace backup (its \"format\" is not '{BACKUP_FORMAT}'). "
            "Create backups with `ctip backup FILE`.",
        )
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise DomainError(ErrorCode.BACKUP_FORMAT, f'{source} has no valid "version" number.')
    if version > BACKUP_VERSION:
        raise DomainError(
            ErrorCode.BACKUP_VERSION,
            f"{source} was written by a newer C-TIP Planner (backup version {version}; this one reads up to "
            f"{BACKUP_VERSION}). Upgrade C-TIP Planner, then restore.",
        )
    while document["version"] < BACKUP_VERSION:
        document = _UPGRADES[document["version"]](document)
    sections = document.get("sections")
    if not isinstance(sections, dict):
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            f'{source} has no "sections" object.',
            problems=[
                FieldProblem("sections", "expected an object with one entry per part of the workspace")
            ],
        )
    return document
