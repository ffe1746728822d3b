"""The ``accounts`` section of a workspace backup: the workspace, its members' accounts, memberships and
audit log. Surrogate database ids are never written; objects are identified by UUID or username, so a
backup restores into any database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateparse import parse_datetime

from ctip.core.errors import DomainError, ErrorCode, FieldProblem
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace

SECTION = "accounts"
WORKSPACE_KEYS = [
    "slug",
    "name",
    "country",
    "languages",
    "currency",
    "fiscal_year_start_month",
    "plan_start_year",
    "plan_end_year",
    "version",
]
USER_KEYS = ["username", "email", "first_name", "last_name", "is_active", "preferred_language"]


def _when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def section_export(workspace: Workspace) -> dict[str, Any]:
    workspace = Workspace.objects.get(pk=workspace.pk)  # what is stored, not a caller's stale copy
    memberships = list(Membership.objects.filter(workspace=workspace).select_related("user").order_by("uuid"))
    audit = AuditEntry.objects.filter(workspace=workspace).select_related("actor").order_by("at", "uuid")
    return {
        "workspace": {
            "uuid": str(workspace.uuid),
            **{key: getattr(workspace, key) for key in WORKSPACE_KEYS},
            "created_at": _when(workspace.created_at),
            "updated_at": _when(workspace.updated_at),
        },
        "users": [
            {
                **{key: getattr(m.user, key) for key in USER_KEYS},
                "password": m.user.password,
                "date_joined": _when(m.user.date_joined),
            }
            for m in sorted(memberships, key=lambda m: m.user.username)
        ],
        "memberships": [
            {
                "uuid": str(m.uuid),
                "username": m.user.username,
                "role": m.role,
                "created_at": _when(m.created_at),
            }
            for m in memberships
        ],
        "audit_log": [
            {
                "uuid": str(entry.uuid),
                "at": _when(entry.at),
                "actor": entry.actor.username if entry.actor else None,
                "actor_label": entry.actor_label,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "object_repr": entry.object_repr,
                "changes": entry.changes,
            }
            for entry in audit
        ],
    }


def _require(record: Any, keys: list[str], where: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise DomainError(ErrorCode.BACKUP_FORMAT, f"The backup is damaged: {where} is not an object.")
    missing = [key for key in keys if key not in record]
    if missing:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            f"The backup is damaged: {where} lacks {', '.join(missing)}.",
            problems=[FieldProblem(f"{where}.{key}", "missing") for key in missing],
        )
    return record


def _parse_when(value: Any, where: str) -> dt.datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise DomainError(ErrorCode.BACKUP_FORMAT, f"The backup is damaged: {where} is not a date and time.")
    return parsed


def section_slug(section: dict[str, Any]) -> str:
    workspace = _require(
        _require(section, ["workspace"], SECTION)["workspace"], ["slug"], f"{SECTION}.workspace"
    )
    return str(workspace["slug"])


def section_import(section: dict[str, Any]) -> Workspace:
    """Create the workspace and everything in the section. Runs inside the restore's transaction."""
    _require(section, ["workspace", "users", "memberships", "audit_log"], SECTION)
    data = _require(
        section["workspace"], ["uuid", *WORKSPACE_KEYS, "created_at", "updated_at"], f"{SECTION}.workspace"
    )
    if (
        Workspace.objects.filter(slug=data["slug"]).exists()
        or Workspace.objects.filter(uuid=data["uuid"]).exists()
    ):
        raise DomainError(
            ErrorCode.RESTORE_TARGET_NOT_EMPTY,
            f"This database already has the workspace '{data['slug']}'. Restore into an empty database, "
            "or into one without this workspace.",
        )
    workspace = Workspace.objects.create(
        uuid=data["uuid"],
        **{key: data[key] for key in WORKSPACE_KEYS},
        created_at=_parse_when(data["created_at"], f"{SECTION}.workspace.created_at"),
        updated_at=_parse_when(data["updated_at"], f"{SECTION}.workspace.updated_at"),
    )
    users: dict[str, User] = {}
    for index, record in enumerate(section["users"]):
        where = f"{SECTION}.users[{index}]"
        _require(record, [*USER_KEYS, "password", "date_joined"], where)
        user = User.objects.filter(username=record["username"]).first()
        if user is None:
            user = User.objects.create(
                **{key: record[key] for key in USER_KEYS},
                password=record["password"],
                date_joined=_parse_when(record["date_joined"], f"{where}.date_joined"),
            )
        users[user.username] = user
    for index, record in enumerate(section["memberships"]):
        where = f"{SECTION}.memberships[{index}]"
        _require(record, ["uuid", "username", "role", "created_at"], where)
        if record["username"] not in users:
            raise DomainError(
                ErrorCode.BACKUP_FORMAT,
                f"The backup is damaged: {where} names an unknown user {record['username']!r}.",
            )
        Membership.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            user=users[record["username"]],
            role=record["role"],
            created_at=_parse_when(record["created_at"], f"{where}.created_at"),
        )
    for index, record in enumerate(section["audit_log"]):
        where = f"{SECTION}.audit_log[{index}]"
        _require(
            record,
            [
                "uuid",
                "at",
                "actor",
                "actor_label",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "changes",
            ],
            where,
        )
        AuditEntry.objects.create(
            uuid=record["uuid"],
            workspace=workspace,
            actor=users.get(record["actor"]) if record["actor"] else None,
            actor_label=record["actor_label"],
            at=_parse_when(record["at"], f"{where}.at"),
            action=record["action"],
            object_type=record["object_type"],
            object_id=record["object_id"],
            object_repr=record["object_repr"],
            changes=record["changes"],
        )
    return workspace
