"""API endpoints for the signed-in user, workspaces and memberships."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ctip.core.access import Permission, Role
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.workspace_profile import WorkspaceProfile
from ctip.web.accounts import selectors, services
from ctip.web.accounts.models import Membership, User, Workspace
from ctip.web.accounts.permissions import workspace_access

router = Router()


class ErrorOut(Schema):
    code: str
    message: str
    problems: list[dict[str, str]] = []


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class UserOut(Schema):
    username: str
    email: str
    first_name: str
    last_name: str
    is_staff: bool


class WorkspaceOut(Schema):
    slug: str
    name: str
    country: str
    languages: list[str]
    currency: str
    fiscal_year_start_month: int
    plan_start_year: int
    plan_end_year: int
    version: int


class WorkspaceIn(Schema):
    slug: str
    name: str
    country: str
    languages: list[str] = ["en", "fr"]
    currency: str = "USD"
    fiscal_year_start_month: int = 1
    plan_start_year: int
    plan_end_year: int


class WorkspacePatch(Schema):
    name: str | None = None
    country: str | None = None
    languages: list[str] | None = None
    currency: str | None = None
    fiscal_year_start_month: int | None = None
    plan_start_year: int | None = None
    plan_end_year: int | None = None
    expected_version: int | None = None


class MembershipOut(Schema):
    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    created_at: dt.datetime


class MembershipIn(Schema):
    username: str
    role: Role


class MembershipPatch(Schema):
    role: Role


def _membership_out(membership: Membership) -> MembershipOut:
    return MembershipOut(
        id=membership.uuid,
        username=membership.user.username,
        full_name=membership.user.get_full_name(),
        role=Role(membership.role),
        created_at=membership.created_at,
    )


@router.get("me", response={200: UserOut, **ERRORS}, tags=["accounts"], summary="The signed-in user")
def me(request: HttpRequest) -> User:
    return request.user


@router.get("workspaces", response={200: list[WorkspaceOut], **ERRORS}, tags=["workspaces"])
def workspace_list(request: HttpRequest) -> list[Workspace]:
    """Workspaces the caller is a member of."""
    return list(selectors.workspaces_for_user(request.user))


@router.post("workspaces", response={201: WorkspaceOut, **ERRORS}, tags=["workspaces"])
def workspace_create(request: HttpRequest, payload: WorkspaceIn) -> Status[Workspace]:
    """Create a workspace (staff only); the caller becomes its administrator."""
    data = payload.dict()
    data["languages"] = tuple(data["languages"])
    workspace = services.workspace_create(
        profile=WorkspaceProfile(**data), admin=None, acting_user=request.user
    )
    return Status(201, workspace)


@router.get("w/{workspace}", response={200: WorkspaceOut, **ERRORS}, tags=["workspaces"])
def workspace_detail(request: HttpRequest, workspace: str) -> Workspace:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return found


@router.patch("w/{workspace}", response={200: WorkspaceOut, **ERRORS}, tags=["workspaces"])
def workspace_update(request: HttpRequest, workspace: str, payload: WorkspacePatch) -> Workspace:
    """Change workspace details (administrators). Send ``expected_version`` to be told of a conflicting
    change (409) instead of overwriting it."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_WORKSPACE)
    changes = payload.dict(exclude_none=True)
    expected = changes.pop("expected_version", None)
    return services.workspace_update(
        workspace=found, acting_user=request.user, expected_version=expected, **changes
    )


@router.get("w/{workspace}/members", response={200: list[MembershipOut], **ERRORS}, tags=["memberships"])
def member_list(request: HttpRequest, workspace: str) -> list[MembershipOut]:
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_MEMBERS)
    return [_membership_out(m) for m in selectors.memberships_of(found)]


@router.post("w/{workspace}/members", response={201: MembershipOut, **ERRORS}, tags=["memberships"])
def member_add(request: HttpRequest, workspace: str, payload: MembershipIn) -> Status[MembershipOut]:
    found, _membership = workspace_access(request.user, workspace, Permission.MANAGE_MEMBERS)
    user = User.objects.filter(username__iexact=payload.username).first()
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no user “%(user)s”."), {"user": payload.username})
    membership = services.membership_add(
        workspace=found, user=user, role=payload.role.value, acting_user=request.user
    )
    return Status(201, _membership_out(membership))


@router.patch(
    "w/{workspace}/members/{membership}", response={200: MembershipOut, **ERRORS}, tags=["memberships"]
)
def member_change_role(
    request: HttpRequest, workspace: str, membership: uuid.UUID, payload: MembershipPatch
) -> MembershipOut:
    found, _own = workspace_access(request.user, workspace, Permission.MANAGE_MEMBERS)
    target = get_object_or_404(
        Membership.objects.select_related("user", "workspace"), uuid=membership, workspace=found
    )
    return _membership_out(
        services.membership_change_role(membership=target, role=payload.role.value, acting_user=request.user)
    )


@router.delete("w/{workspace}/members/{membership}", response={204: None, **ERRORS}, tags=["memberships"])
def member_remove(request: HttpRequest, workspace: str, membership: uuid.UUID) -> Status[None]:
    found, _own = workspace_access(request.user, workspace, Permission.MANAGE_MEMBERS)
    target = get_object_or_404(
        Membership.objects.select_related("user", "workspace"), uuid=membership, workspace=found
    )
    services.membership_remove(membership=target, acting_user=request.user)
    return Status(204, None)
