"""Who may do what in a workspace: the only place where roles are mapped to permissions.

Views, API endpoints and services ask :func:`role_allows`; none of them compares role names itself.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    TRAINER = "trainer"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class Permission(StrEnum):
    VIEW_WORKSPACE = "view_workspace"
    EDIT_WORKSPACE = "edit_workspace"
    MANAGE_MEMBERS = "manage_members"
    VIEW_MEMBERS = "view_members"
    VIEW_AUDIT_LOG = "view_audit_log"
    EDIT_CONTENT = "edit_content"
    ANALYSE_DATA = "analyse_data"
    RUN_TRAININGS = "run_trainings"
    COMMENT_AND_VALIDATE = "comment_and_validate"
    BACKUP_WORKSPACE = "backup_workspace"


_EVERY_MEMBER = frozenset({Permission.VIEW_WORKSPACE, Permission.VIEW_MEMBERS})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: _EVERY_MEMBER
    | {
        Permission.EDIT_CONTENT,
        Permission.ANALYSE_DATA,
        Permission.RUN_TRAININGS,
        Permission.COMMENT_AND_VALIDATE,
    },
    Role.ANALYST: _EVERY_MEMBER | {Permission.EDIT_CONTENT, Permission.ANALYSE_DATA},
    Role.TRAINER: _EVERY_MEMBER | {Permission.RUN_TRAININGS},
    Role.REVIEWER: _EVERY_MEMBER | {Permission.COMMENT_AND_VALIDATE},
    Role.VIEWER: _EVERY_MEMBER,
}

ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMIN: "Manages the workspace, its members and settings; sees the audit log; does everything else.",
    Role.COORDINATOR: "National coordinator: edits all content, runs analyses and trainings, validates.",
    Role.ANALYST: "Imports data, runs analyses, edits plans and reports.",
    Role.TRAINER: "Prepares and delivers trainings, registers participants, runs pre/post tests.",
    Role.REVIEWER: "Technical Committee member: reads, comments and takes part in validation.",
    Role.VIEWER: "Reads everything in the workspace (e.g. donors).",
}


def role_allows(role: Role | str | None, permission: Permission) -> bool:
    """True when ``role`` grants ``permission``; a missing or unknown role grants nothing."""
    if role is None:
        return False
    try:
        resolved = Role(role)
    except ValueError:
        return False
    return permission in ROLE_PERMISSIONS[resolved]
