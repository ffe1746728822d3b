"""Small factories for web tests: real objects made through the services, as users make them."""

from __future__ import annotations

import itertools

from ctip.core.workspace_profile import WorkspaceProfile
from ctip.web.accounts import services
from ctip.web.accounts.models import Membership, User, Workspace

PASSWORD = "a-long-test-password-2026"
_counter = itertools.count(1)


def user_make(username: str | None = None, *, staff: bool = False, **extra: str) -> User:
    username = username or f"user{next(_counter)}"
    return services.user_create(
        username=username,
        email=extra.get("email", f"{username}@example.org"),
        password=PASSWORD,
        first_name=extra.get("first_name", ""),
        last_name=extra.get("last_name", ""),
        is_staff=staff,
        acting_user=None,
    )


def workspace_make(slug: str | None = None, *, admin: User | None = None, **changes: object) -> Workspace:
    slug = slug or f"ws{next(_counter)}"
    values: dict[str, object] = {
        "slug": slug,
        "name": f"{slug.title()} C-TIP programme",
        "country": "MU",
        "languages": ("en", "fr"),
        "currency": "MUR",
        "fiscal_year_start_month": 7,
        "plan_start_year": 2025,
        "plan_end_year": 2027,
    }
    values.update(changes)
    return services.workspace_create(
        profile=WorkspaceProfile(**values),  # type: ignore[arg-type]
        admin=admin or user_make(),
        acting_user=None,
    )


def member_make(workspace: Workspace, role: str, user: User | None = None) -> Membership:
    return services.membership_add(workspace=workspace, user=user or user_make(), role=role, acting_user=None)
