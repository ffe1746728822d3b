from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctip.core.access import Permission
from ctip.web.accounts.permissions import may
from ctip.web.accounts.selectors import workspaces_for_user
from ctip.web.shell.phases import PHASES


def shell(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "phases": PHASES,
        "current_workspace": getattr(request, "workspace", None),
        "current_membership": membership,
        "my_workspaces": workspaces_for_user(user) if user is not None and user.is_authenticated else [],
        "can_manage_members": may(membership, Permission.MANAGE_MEMBERS),
        "can_edit_workspace": may(membership, Permission.EDIT_WORKSPACE),
        "can_view_audit": may(membership, Permission.VIEW_AUDIT_LOG),
        "can_backup": may(membership, Permission.BACKUP_WORKSPACE),
        "can_run_trainings_nav": may(membership, Permission.RUN_TRAININGS),
        "can_edit_content_nav": may(membership, Permission.EDIT_CONTENT),
    }
