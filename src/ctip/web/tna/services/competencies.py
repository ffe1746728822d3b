"""The workspace's competency framework: seeded from the default framework on first use, then edited one
competency at a time (create, update, retire, restore). The spreadsheet import and export are in
``framework_io.py``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import ChainStage, OrganisationType, Pillar
from ctip.core.tna.model import Competency, CompetencyLevel, Text
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.tna.models import CODE_MAX_LENGTH, WorkspaceCompetency

COMPETENCY_FIELDS = [
    "code",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "pillar",
    "chain_stage",
    "level",
    "target_types",
    "child_sensitive",
    "gender_sensitive",
    "is_retired",
]
EDITABLE_FIELDS = [name for name in COMPETENCY_FIELDS if name not in ("code", "is_retired")]
RETIRED_COLUMN = "retired"
"""The extra spreadsheet column (yes/no) next to the core's framework columns."""
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def competency_of(row: WorkspaceCompetency) -> Competency:
    """A stored competency as the core's :class:`Competency`."""
    return Competency(
        code=row.code,
        title=Text(row.title_en, row.title_fr),
        description=Text(row.description_en, row.description_fr),
        pillar=row.pillar,
        chain_stage=row.chain_stage,
        level=CompetencyLevel(row.level),
        target_types=tuple(row.target_types or ()),
        child_sensitive=row.child_sensitive,
        gender_sensitive=row.gender_sensitive,
    )


def competency_values(competency: Competency) -> dict[str, Any]:
    """The model fields of a core :class:`Competency` (without ``is_retired``)."""
    return {
        "code": competency.code,
        "title_en": competency.title.en,
        "title_fr": competency.title.fr,
        "description_en": competency.description.en,
        "description_fr": competency.description.fr,
        "pillar": str(competency.pillar),
        "chain_stage": str(competency.chain_stage),
        "level": CompetencyLevel(competency.level).value,
        "target_types": list(competency.target_types),
        "child_sensitive": competency.child_sensitive,
        "gender_sensitive": competency.gender_sensitive,
    }


def _default_framework() -> list[Competency]:
    from ctip.core.tna.framework import default_framework

    return list(default_framework())


def framework_ensure(*, workspace: Workspace, acting_user: User | None = None) -> None:
    """Copy the default framework into a workspace that has no competency yet (idempotent).

    Seeding is part of reading the framework, so it needs no permission; each copied competency is audited.
    A workspace that has competencies (even all retired) is never seeded again.
    """
    if WorkspaceCompetency.objects.filter(workspace=workspace).exists():
        return
    with transaction.atomic():
        # Lock the workspace row so that two first visits at the same moment do not both seed.
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        if WorkspaceCompetency.objects.filter(workspace=workspace).exists():
            return
        for position, competency in enumerate(_default_framework(), start=1):
            created = WorkspaceCompetency.objects.create(
                workspace=workspace, position=position, **competency_values(competency)
            )
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="workspacecompetency.create",
                obj=created,
                after=record_values(created, COMPETENCY_FIELDS),
            )


def next_position(workspace: Workspace) -> int:
    """The position after the framework's last competency (new competencies go to the end)."""
    last = WorkspaceCompetency.objects.filter(workspace=workspace).order_by("-position").first()
    return (last.position if last else 0) + 1


def known_type_codes(workspace: Workspace) -> set[str]:
    """Organisation type codes a competency may target: the default list and the workspace's own types."""
    from ctip.web.stakeholders.models import OrganisationType as WorkspaceType

    return {code.value for code in OrganisationType} | set(
        WorkspaceType.objects.filter(workspace=workspace).values_list("code", flat=True)
    )


def _problems(workspace: Workspace, values: Mapping[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if "code" in values:
        code = str(values["code"])
        if not code:
            problems.append(FieldProblem("code", _("Give the competency a short code, e.g. “ID07”.")))
        elif not _CODE.match(code) or len(code) > CODE_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    "code",
                    _(
                        "“%(code)s” cannot be a code: use at most %(limit)s letters, digits and “_”, starting "
                        "with a letter (the code becomes part of the survey's field names)."
                    ),
                    {"code": code, "limit": CODE_MAX_LENGTH},
                )
            )
    if "title_en" in values and not str(values["title_en"]).strip():
        problems.append(FieldProblem("title_en", _("Give the competency a title in English.")))
    if "pillar" in values and values["pillar"] not in {p.value for p in Pillar}:
        problems.append(FieldProblem("pillar", _("Choose one of the 4Ps.")))
    if "chain_stage" in values and values["chain_stage"] not in {s.value for s in ChainStage}:
        problems.append(FieldProblem("chain_stage", _("Choose a stage of the response chain.")))
    if "level" in values and values["level"] not in {level.value for level in CompetencyLevel}:
        problems.append(FieldProblem("level", _("Choose foundational or specialised.")))
    if "target_types" in values:
        unknown = sorted(set(values["target_types"] or ()) - known_type_codes(workspace))
        if unknown:
            problems.append(
                FieldProblem(
                    "target_types",
                    _("Unknown organisation type(s): %(codes)s. Choose types from the registry's list."),
                    {"codes": ", ".join(unknown)},
                )
            )
    return problems


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("code", "title_en", "title_fr"):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name] or "").split())
    if "code" in cleaned:
        cleaned["code"] = cleaned["code"].upper()
    for name in ("description_en", "description_fr"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
    if "target_types" in cleaned:
        cleaned["target_types"] = sorted(
            {str(code).strip() for code in cleaned["target_types"] or () if code}
        )
    return cleaned


def competency_create(
    *,
    workspace: Workspace,
    code: str,
    title_en: str,
    pillar: str,
    chain_stage: str,
    level: str,
    title_fr: str = "",
    description_en: str = "",
    description_fr: str = "",
    target_types: Iterable[str] = (),
    child_sensitive: bool = False,
    gender_sensitive: bool = False,
    acting_user: User | None,
) -> WorkspaceCompetency:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    framework_ensure(workspace=workspace, acting_user=acting_user)
    values = _cleaned(
        {
            "code": code,
            "title_en": title_en,
            "title_fr": title_fr,
            "description_en": description_en,
            "description_fr": description_fr,
            "pillar": pillar,
            "chain_stage": chain_stage,
            "level": level,
            "target_types": list(target_types),
            "child_sensitive": child_sensitive,
            "gender_sensitive": gender_sensitive,
        }
    )
    problems = _problems(workspace, values)
    if (
        values["code"]
        and WorkspaceCompetency.objects.filter(workspace=workspace, code__iexact=values["code"]).exists()
    ):
        problems.append(
            FieldProblem(
                "code",
                _("The code “%(code)s” is already in the framework; choose another."),
                {"code": values["code"]},
            )
        )
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The competency cannot be added."), problems=problems)
    try:
        with transaction.atomic():
            return record_create(
                model=WorkspaceCompetency,
                workspace=workspace,
                values={"workspace": workspace, "position": next_position(workspace), **values},
                acting_user=acting_user,
                audited_fields=COMPETENCY_FIELDS,
            )
    except IntegrityError as error:  # a concurrent request added the same code
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("The code “%(code)s” is already in the framework."),
            {"code": values["code"]},
            problems=[FieldProblem("code", _("“%(code)s” is taken."), {"code": values["code"]})],
        ) from error


def _own(workspace: Workspace, competency: WorkspaceCompetency) -> None:
    if competency.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such competency in this workspace."))


def competency_update(
    *,
    workspace: Workspace,
    competency: WorkspaceCompetency,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> WorkspaceCompetency:
    """Change the fields given (any of ``title_en``, ``title_fr``, ``description_en``, ``description_fr``,
    ``pillar``, ``chain_stage``, ``level``, ``target_types``, ``child_sensitive``, ``gender_sensitive``).
    The code never changes: survey instruments and their answers refer to it."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, competency)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("These fields of a competency cannot be changed: %(fields)s."),
            {"fields": ", ".join(unknown)},
        )
    values = _cleaned(changes)
    problems = _problems(workspace, values)
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The competency cannot be changed."), problems=problems)
    return record_update(
        instance=competency,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=COMPETENCY_FIELDS,
        expected_version=expected_version,
    )


def competency_retire(
    *, workspace: Workspace, competency: WorkspaceCompetency, acting_user: User | None
) -> WorkspaceCompetency:
    """Take a competency out of new instruments (existing instruments and answers keep it)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, competency)
    return record_update(
        instance=competency,
        workspace=workspace,
        changes={"is_retired": True},
        acting_user=acting_user,
        audited_fields=COMPETENCY_FIELDS,
    )


def competency_restore(
    *, workspace: Workspace, competency: WorkspaceCompetency, acting_user: User | None
) -> WorkspaceCompetency:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, competency)
    return record_update(
        instance=competency,
        workspace=workspace,
        changes={"is_retired": False},
        acting_user=acting_user,
        audited_fields=COMPETENCY_FIELDS,
    )
