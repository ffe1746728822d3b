"""Backup and restore of a whole workspace, section by section.

Each app that stores workspace data registers a section (export + import) here; the backup file format
itself lives in ``ctip.formats.backup``. Restoring runs in one transaction: a damaged file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

import ctip
from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import BackupDocument, backup_envelope
from ctip.web.accounts import backup as accounts_backup
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission


@dataclass(frozen=True)
class BackupSection:
    export: Callable[[Workspace], dict[str, Any]]
    restore: Callable[[dict[str, Any], Workspace], None]


SECTIONS: dict[str, BackupSection] = {}


def backup_section_register(name: str, section: BackupSection) -> None:
    SECTIONS[name] = section


def workspace_backup(*, workspace: Workspace, acting_user: User | None) -> BackupDocument:
    require_permission(acting_user, workspace, Permission.BACKUP_WORKSPACE)
    sections = {accounts_backup.SECTION: accounts_backup.section_export(workspace)}
    for name, section in SECTIONS.items():
        sections[name] = section.export(workspace)
    return backup_envelope(
        sections=sections, created_at=timezone.now().isoformat(), ctip_version=ctip.__version__
    )


def workspace_restore(*, document: BackupDocument, acting_user: User | None) -> Workspace:
    """Recreate the workspace of ``document`` (already read by ``ctip.formats.backup``)."""
    sections = document["sections"]
    if accounts_backup.SECTION not in sections:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT, "The backup has no 'accounts' section: nothing to restore."
        )
    unknown = sorted(set(sections) - {accounts_backup.SECTION} - set(SECTIONS))
    if unknown:
        raise DomainError(
            ErrorCode.BACKUP_VERSION,
            f"The backup holds parts this version cannot restore ({', '.join(unknown)}); upgrade C-TIP Planner.",
        )
    with transaction.atomic():
        workspace = accounts_backup.section_import(sections[accounts_backup.SECTION])
        for name, section in SECTIONS.items():
            if name in sections:
                section.restore(sections[name], workspace)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="workspace.restore",
            obj=workspace,
            after={
                "backup_created_at": document.get("created_at"),
                "backup_version": document.get("version"),
            },
        )
    return workspace
