"""Deciding access to a workspace, in one place.

* An anonymous visitor is sent to sign in (API: 401), whatever the workspace.
* A signed-in user who is not a member gets **404** for every URL of the workspace, so that nobody can
  learn which workspaces exist.
* A member whose role lacks the permission gets 403 (they already know the workspace).

Which role grants which permission is decided in ``ctip.core.access``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from ctip.core.access import Permission, role_allows
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.web.accounts.models import Membership, User, Workspace

ViewFunction = Callable[..., HttpResponse]


def membership_for(user: User | None, workspace: Workspace) -> Membership | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(workspace=workspace, user=user).first()


def workspace_access(user: User, slug: str, permission: Permission) -> tuple[Workspace, Membership]:
    """The workspace and the user's membership, or Http404 (not a member) / PermissionDenied (role)."""
    membership = (
        Membership.objects.select_related("workspace")
        .filter(workspace__slug=slug, user=user, user__is_active=True)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404("No such workspace")
    if not role_allows(membership.role, permission):
        raise PermissionDenied(f"Your role ({membership.role}) does not allow {permission.value}")
    return membership.workspace, membership


def require_permission(user: User | None, workspace: Workspace, permission: Permission) -> Membership | None:
    """For services: raise a domain error unless ``user`` may do this. ``None`` is the command line,
    which acts with the operator's full authority."""
    if user is None:
        return None
    membership = membership_for(user, workspace)
    if membership is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such workspace."))
    if not role_allows(membership.role, permission):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            _("Your role in %(workspace)s (%(role)s) does not allow this."),
            {"workspace": workspace.name, "role": membership.role},
        )
    return membership


def may(membership: Membership | None, permission: Permission) -> bool:
    return membership is not None and role_allows(membership.role, permission)


def workspace_view(
    permission: Permission = Permission.VIEW_WORKSPACE,
) -> Callable[[ViewFunction], ViewFunction]:
    """Decorator for views under ``/w/<workspace>/``: resolves the workspace from the URL, refuses
    non-members with 404, sets ``request.workspace`` and ``request.membership``."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, workspace: str, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.workspace, request.membership = workspace_access(request.user, workspace, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
