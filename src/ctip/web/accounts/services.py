"""Every state change of users, workspaces, memberships and API tokens.

Each service takes keyword-only arguments and ``acting_user`` (``None`` means the command line), checks
permission, validates, changes the database and writes its audit row in one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctip.core.access import Permission, Role
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.workspace_profile import WorkspaceProfile, check_workspace_profile
from ctip.web.accounts.audit import audit_record, snapshot
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import ApiToken, Membership, User, Workspace
from ctip.web.accounts.permissions import require_permission

WORKSPACE_FIELDS = [
    "slug",
    "name",
    "country",
    "languages",
    "currency",
    "fiscal_year_start_month",
    "plan_start_year",
    "plan_end_year",
]
USER_FIELDS = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
API_TOKEN_PREFIX = "ctip_"


def _invalid(location: str, template: str, params: dict[str, object] | None = None) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE, template, params, problems=[FieldProblem(location, template, params or {})]
    )


def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    acting_user: User | None,
) -> User:
    """Create a user. ``password=None`` creates an account that must use password reset to sign in."""
    problems: list[FieldProblem] = []
    username = username.strip()
    if not username:
        problems.append(FieldProblem("username", _("Give a username.")))
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(
            FieldProblem("username", _("The username “%(value)s” is already taken."), {"value": username})
        )
    else:
        try:
            User.username_validator(username)
        except ValidationError as error:
            problems.append(FieldProblem("username", " ".join(error.messages)))
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                FieldProblem("email", _("“%(value)s” is not an e-mail address."), {"value": email})
            )
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password is not None:
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            problems.append(FieldProblem("password", " ".join(error.messages)))
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The user cannot be created."), problems=problems)
    with transaction.atomic():
        user = User(
            username=username, email=email, first_name=first_name, last_name=last_name, is_staff=is_staff
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        audit_record(
            acting_user=acting_user,
            workspace=None,
            action="user.create",
            obj=user,
            after=snapshot(user, USER_FIELDS),
        )
    return user


def user_password_set(*, user: User, password: str, acting_user: User | None) -> User:
    """Set a new password (already validated by the form or the caller). Audited without the secret."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise _invalid("password", " ".join(error.messages)) from error
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            acting_user=acting_user,
            workspace=None,
            action="user.set_password",
            obj=user,
            changes={"password": ["(hidden)", "(changed)"]},
        )
    return user


def user_language_set(*, user: User, language: str, acting_user: User | None) -> User:
    """Remember the language a user chose, so it follows them to other devices after they sign in."""
    available = {code for code, _name in settings.LANGUAGES}
    if language not in available:
        raise _invalid(
            "language",
            _("“%(value)s” is not offered; choose one of %(codes)s."),
            {"value": language, "codes": ", ".join(sorted(available))},
        )
    if user.preferred_language == language:
        return user
    with transaction.atomic():
        before = {"preferred_language": user.preferred_language}
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(
            acting_user=acting_user,
            workspace=None,
            action="user.set_language",
            obj=user,
            before=before,
            after={"preferred_language": language},
        )
    return user


def _checked_profile(profile: WorkspaceProfile, *, existing: Workspace | None) -> WorkspaceProfile:
    profile = check_workspace_profile(profile)
    clash = Workspace.objects.filter(slug=profile.slug)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("A workspace with the web address name “%(slug)s” already exists; choose another."),
            {"slug": profile.slug},
            problems=[FieldProblem("slug", _("“%(slug)s” is taken."), {"slug": profile.slug})],
        )
    return profile


def workspace_create(*, profile: WorkspaceProfile, admin: User | None, acting_user: User | None) -> Workspace:
    """Create a workspace; ``admin`` (default: the acting user) becomes its first administrator."""
    if acting_user is not None and not acting_user.is_staff:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("Only staff users can create workspaces."))
    profile = _checked_profile(profile, existing=None)
    first_admin = admin or acting_user
    with transaction.atomic():
        values = asdict(profile)
        values["languages"] = list(profile.languages)
        workspace = Workspace.objects.create(**values)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="workspace.create",
            obj=workspace,
            after=snapshot(workspace, WORKSPACE_FIELDS),
        )
        if first_admin is not None:
            _membership_insert(
                workspace=workspace, user=first_admin, role=Role.ADMIN, acting_user=acting_user
            )
    return workspace


def workspace_update(
    *, workspace: Workspace, acting_user: User | None, expected_version: int | None = None, **changes: Any
) -> Workspace:
    """Change workspace details. ``expected_version`` (from the form) guards against overwriting a change
    someone else saved meanwhile."""
    require_permission(acting_user, workspace, Permission.EDIT_WORKSPACE)
    unknown = set(changes) - set(WORKSPACE_FIELDS)
    if unknown:
        raise _invalid(
            sorted(unknown)[0],
            _("Unknown workspace field(s): %(fields)s."),
            {"fields": ", ".join(sorted(unknown))},
        )
    with transaction.atomic():
        current = Workspace.objects.select_for_update().get(pk=workspace.pk)
        conflict_check(current=current, expected_version=expected_version, submitted=changes)
        before = snapshot(current, WORKSPACE_FIELDS)
        merged = {**before, **changes}
        merged["languages"] = tuple(merged["languages"])
        profile = _checked_profile(WorkspaceProfile(**merged), existing=current)
        after = asdict(profile)
        after["languages"] = list(profile.languages)
        if after == before:
            return current
        for name, value in after.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        audit_record(
            acting_user=acting_user,
            workspace=current,
            action="workspace.update",
            obj=current,
            before=before,
            after=after,
        )
    return current


def _membership_insert(
    *, workspace: Workspace, user: User, role: Role, acting_user: User | None
) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(workspace=workspace, user=user, role=role.value)
    except IntegrityError as error:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("%(user)s is already a member of %(workspace)s; change their role instead."),
            {"user": user.username, "workspace": workspace.name},
            problems=[FieldProblem("user", _("%(user)s is already a member."), {"user": user.username})],
        ) from error
    audit_record(
        acting_user=acting_user,
        workspace=workspace,
        action="membership.add",
        obj=membership,
        after={"user": user.username, "role": role.value},
    )
    return membership


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as error:
        raise _invalid(
            "role",
            _("“%(value)s” is not a role; choose one of %(roles)s."),
            {"value": value, "roles": ", ".join(role.value for role in Role)},
        ) from error


def membership_add(*, workspace: Workspace, user: User, role: str, acting_user: User | None) -> Membership:
    require_permission(acting_user, workspace, Permission.MANAGE_MEMBERS)
    resolved = _role(role)
    if not user.is_active:
        raise _invalid(
            "user", _("The account of %(user)s is deactivated; reactivate it first."), {"user": user.username}
        )
    with transaction.atomic():
        return _membership_insert(workspace=workspace, user=user, role=resolved, acting_user=acting_user)


def _ensure_another_admin(membership: Membership) -> None:
    admins = Membership.objects.filter(workspace=membership.workspace, role=Role.ADMIN.value)
    if membership.role == Role.ADMIN.value and not admins.exclude(pk=membership.pk).exists():
        raise DomainError(
            ErrorCode.LAST_ADMIN,
            _("%(user)s is the last administrator of %(workspace)s; make someone else administrator first."),
            {"user": membership.user.username, "workspace": membership.workspace.name},
        )


def membership_change_role(*, membership: Membership, role: str, acting_user: User | None) -> Membership:
    require_permission(acting_user, membership.workspace, Permission.MANAGE_MEMBERS)
    resolved = _role(role)
    if membership.role == resolved.value:
        return membership
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update().select_related("workspace", "user").get(pk=membership.pk)
        )
        if resolved is not Role.ADMIN:
            _ensure_another_admin(locked)
        before = {"user": locked.user.username, "role": locked.role}
        locked.role = resolved.value
        locked.save(update_fields=["role"])
        audit_record(
            acting_user=acting_user,
            workspace=locked.workspace,
            action="membership.change_role",
            obj=locked,
            before=before,
            after={"user": locked.user.username, "role": locked.role},
        )
    return locked


def membership_remove(*, membership: Membership, acting_user: User | None) -> None:
    require_permission(acting_user, membership.workspace, Permission.MANAGE_MEMBERS)
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update().select_related("workspace", "user").get(pk=membership.pk)
        )
        _ensure_another_admin(locked)
        audit_record(
            acting_user=acting_user,
            workspace=locked.workspace,
            action="membership.remove",
            obj=locked,
            before={"user": locked.user.username, "role": locked.role},
        )
        locked.delete()


def api_token_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def api_token_create(*, user: User, name: str, acting_user: User | None) -> tuple[ApiToken, str]:
    """Create a personal token; returns the token and its secret, which is never stored or shown again."""
    if acting_user is not None and acting_user.pk != user.pk:
        raise DomainError(ErrorCode.PERMISSION_DENIED, _("You can only create tokens for yourself."))
    name = name.strip()
    if not name or len(name) > 100:
        raise _invalid("name", _("Name the token (1–100 characters), e.g. “Kobo sync laptop”."))
    raw_key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=raw_key[:12], key_hash=api_token_hash(raw_key)
        )
        audit_record(
            acting_user=acting_user,
            workspace=None,
            action="api_token.create",
            obj=token,
            after={"name": name},
        )
    return token, raw_key


def api_token_revoke(*, token: ApiToken, acting_user: User | None) -> ApiToken:
    if acting_user is not None and acting_user.pk != token.user_id:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such token."))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            acting_user=acting_user,
            workspace=None,
            action="api_token.revoke",
            obj=token,
            before={"revoked": False},
            after={"revoked": True},
        )
    return token
