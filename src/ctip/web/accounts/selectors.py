"""Reads: which workspaces a user sees, members, the audit log and its CSV export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from ctip.formats.tabular import csv_text
from ctip.web.accounts.models import ApiToken, AuditEntry, Membership, User, Workspace


def workspaces_for_user(user: User) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user).order_by("name")


def memberships_of(workspace: Workspace) -> QuerySet[Membership]:
    return Membership.objects.filter(workspace=workspace).select_related("user").order_by("user__username")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries(workspace: Workspace, audit_filter: AuditFilter | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(workspace=workspace).order_by("-at", "-id")
    f = audit_filter or AuditFilter()
    if f.actor:
        entries = entries.filter(actor_label__icontains=f.actor)
    if f.action:
        entries = entries.filter(action=f.action)
    if f.object_type:
        entries = entries.filter(object_type=f.object_type)
    if f.date_from:
        entries = entries.filter(at__date__gte=f.date_from)
    if f.date_to:
        entries = entries.filter(at__date__lte=f.date_to)
    return entries


def audit_actions(workspace: Workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )


def audit_object_types(workspace: Workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


AUDIT_CSV_HEADER = [
    "time_utc",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "field",
    "before",
    "after",
]


def audit_csv(entries: QuerySet[AuditEntry]) -> str:
    """One row per changed field (an entry without field changes gets one row with empty fields)."""

    def rows() -> list[list[object]]:
        result: list[list[object]] = []
        for entry in entries.iterator():
            base = [
                entry.at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                entry.actor_label,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
            ]
            if not entry.changes:
                result.append([*base, "", "", ""])
            for field_name, (before, after) in sorted(entry.changes.items()):
                result.append([*base, field_name, _cell(before), _cell(after)])
        return result

    return csv_text(AUDIT_CSV_HEADER, rows())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
