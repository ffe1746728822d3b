"""Checks shared by the desk_review services: every problem is collected, then refused at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import Workspace
from ctip.web.accounts.records import validation_problems

MAX_TAG_LENGTH = 60
MAX_TAGS = 30
FIRST_YEAR = 1900


def tags_normalised(tags: Iterable[str]) -> list[str]:
    """Tags stripped, empty ones dropped, duplicates (ignoring case) removed, order kept."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in tags:
        clean = " ".join(str(tag).split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            result.append(clean)
    return result


def tag_problems(tags: list[str], location: str = "tags") -> list[FieldProblem]:
    problems = [
        FieldProblem(
            location,
            _("The tag “%(tag)s” is longer than %(limit)s characters."),
            {"tag": tag[:20] + "…", "limit": MAX_TAG_LENGTH},
        )
        for tag in tags
        if len(tag) > MAX_TAG_LENGTH
    ]
    if len(tags) > MAX_TAGS:
        problems.append(FieldProblem(location, _("Use at most %(limit)s tags."), {"limit": MAX_TAGS}))
    return problems


def year_problems(year: int | None) -> list[FieldProblem]:
    last = timezone.now().year + 1
    if year is not None and not FIRST_YEAR <= year <= last:
        return [
            FieldProblem(
                "year",
                _("The year %(year)s is not between %(first)s and %(last)s."),
                {"year": year, "first": FIRST_YEAR, "last": last},
            )
        ]
    return []


def model_problems(
    instance: Any, already: list[FieldProblem], exclude: Sequence[str] = ("workspace",)
) -> list[FieldProblem]:
    """Problems Django's field validation finds, except on fields already reported or set by the service."""
    reported = {problem.location for problem in already}
    try:
        instance.full_clean(exclude=[*exclude, *reported], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [problem for problem in validation_problems(error) if problem.location not in reported]
    return []


def refuse(what: str, problems: list[FieldProblem], *, too_large: bool = False) -> None:
    if problems:
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE if too_large else ErrorCode.INVALID_VALUE,
            _("The %(what)s cannot be saved; correct the fields listed."),
            {"what": what},
            problems=problems,
        )


def same_workspace(obj_workspace_id: int, workspace: Workspace, what: str) -> None:
    if obj_workspace_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND, _("There is no such %(what)s in this workspace."), {"what": what}
        )
