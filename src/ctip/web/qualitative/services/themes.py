"""The codebook: themes with their pillar, the competencies of the TNA framework they bear on and an
optional parent theme. A theme that excerpts are coded to, or that has sub-themes, cannot be deleted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import Pillar
from ctip.core.tna.themes import competency_code_problems, competency_codes_normalised
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.qualitative.models import Theme
from ctip.web.qualitative.services.common import (
    invalid,
    model_problems,
    same_workspace,
    stripped,
    unknown_fields,
)

THEME_FIELDS = ["code", "name", "description", "pillar", "competency_codes", "parent"]
PILLAR_CODES = [pillar.value for pillar in Pillar]
_THEME_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _theme_problems(
    workspace: Workspace, values: dict[str, Any], *, theme: Theme | None = None
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """(normalised values, every problem)."""
    problems: list[FieldProblem] = []
    code = values["code"]
    if not code:
        problems.append(FieldProblem("code", _("Give the theme a short code, e.g. “T01” or “ID.1”.")))
    elif not _THEME_CODE.fullmatch(code):
        problems.append(
            FieldProblem(
                "code",
                _("“%(code)s” is not a theme code; use letters, digits, dots, hyphens or underscores."),
                {"code": code},
            )
        )
    else:
        others = Theme.objects.filter(workspace=workspace, code__iexact=code)
        if theme is not None:
            others = others.exclude(pk=theme.pk)
        if others.exists():
            problems.append(
                FieldProblem("code", _("The codebook already has a theme “%(code)s”."), {"code": code})
            )
    if not values["name"]:
        problems.append(FieldProblem("name", _("Give the theme a name, e.g. “Unclear referral pathway”.")))
    if values["pillar"] not in ("", *PILLAR_CODES):
        problems.append(
            FieldProblem(
                "pillar",
                _("“%(value)s” is not a pillar; use one of %(codes)s, or leave it empty."),
                {"value": values["pillar"], "codes": ", ".join(PILLAR_CODES)},
            )
        )
    codes, wrong = competency_codes_normalised(values["competency_codes"])
    values = {**values, "competency_codes": list(codes)}
    problems.extend(competency_code_problems(wrong))
    problems.extend(_parent_problems(workspace, values["parent"], theme))
    flagged = {problem.location for problem in problems}
    candidate = Theme(workspace=workspace, **values)
    problems.extend(p for p in model_problems(candidate, exclude=["workspace"]) if p.location not in flagged)
    return values, problems


def _parent_problems(workspace: Workspace, parent: Theme | None, theme: Theme | None) -> list[FieldProblem]:
    if parent is None:
        return []
    if parent.workspace_id != workspace.pk:
        return [FieldProblem("parent", _("Choose a parent theme of this workspace's codebook."))]
    ancestor: Theme | None = parent
    seen: set[int] = set()
    while ancestor is not None and ancestor.pk not in seen:
        if theme is not None and ancestor.pk == theme.pk:
            return [
                FieldProblem(
                    "parent",
                    _("“%(parent)s” is this theme or one of its sub-themes; choose another parent."),
                    {"parent": str(parent)},
                )
            ]
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return []


def _values(
    *,
    code: str,
    name: str,
    description: str,
    pillar: str,
    competency_codes: Sequence[str],
    parent: Theme | None,
) -> dict[str, Any]:
    values = stripped({"code": code, "name": name, "description": description, "pillar": pillar})
    return {**values, "competency_codes": list(competency_codes), "parent": parent}


def theme_create(
    *,
    workspace: Workspace,
    code: str,
    name: str,
    description: str = "",
    pillar: str = "",
    competency_codes: Sequence[str] = (),
    parent: Theme | None = None,
    acting_user: User | None,
) -> Theme:
    """Add a theme to the codebook. ``competency_codes`` are codes of the competency framework ("ID01");
    they are stored in upper case."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    values, problems = _theme_problems(
        workspace,
        _values(
            code=code,
            name=name,
            description=description,
            pillar=pillar,
            competency_codes=competency_codes,
            parent=parent,
        ),
    )
    if problems:
        raise invalid(Theme, problems)
    return record_create(
        model=Theme,
        workspace=workspace,
        values={"workspace": workspace, **values},
        acting_user=acting_user,
        audited_fields=THEME_FIELDS,
    )


def theme_update(
    *,
    workspace: Workspace,
    theme: Theme,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Theme:
    """Change a theme (any of ``THEME_FIELDS``). ``expected_version`` guards against lost updates."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, theme.workspace_id, str(Theme._meta.verbose_name))
    unknown_fields(changes, THEME_FIELDS)
    current = {name: getattr(theme, name) for name in THEME_FIELDS}
    values, problems = _theme_problems(workspace, _values(**{**current, **changes}), theme=theme)
    if problems:
        raise invalid(Theme, problems)
    return record_update(
        instance=theme,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=THEME_FIELDS,
        expected_version=expected_version,
    )


def theme_delete(*, workspace: Workspace, theme: Theme, acting_user: User | None) -> None:
    """Remove a theme from the codebook. Refused while excerpts are coded to it or it has sub-themes."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, theme.workspace_id, str(Theme._meta.verbose_name))
    excerpts = theme.excerpts.count()
    if excerpts:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "The theme “%(theme)s” cannot be deleted: %(count)s excerpt(s) are coded to it. Delete those "
                "excerpts first, on the pages of their interviews and focus groups."
            ),
            {"theme": str(theme), "count": excerpts},
        )
    children = theme.children.count()
    if children:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "The theme “%(theme)s” cannot be deleted: it has %(count)s sub-theme(s). Give them another "
                "parent or delete them first."
            ),
            {"theme": str(theme), "count": children},
        )
    record_delete(instance=theme, workspace=workspace, acting_user=acting_user, audited_fields=THEME_FIELDS)
