"""Organisations of the registry: create, change, delete, each checked by the core rules and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import (
    STAKEHOLDER_COLUMN_NAMES,
    ChainStage,
    OrganisationRecord,
    Pillar,
    cell_location,
    parse_organisation_rows,
)
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.stakeholders.models import Organisation, OrganisationType
from ctip.web.stakeholders.services.types import organisation_types_ensure

ORGANISATION_FIELDS = [
    "key",
    "name",
    "acronym",
    "type",
    "sector",
    "level",
    "location",
    "parent",
    "pillars",
    "chain_stages",
    "mandate",
    "staff_women",
    "staff_men",
    "staff_total",
    "frontline_women",
    "frontline_men",
    "staff_as_of",
    "influence",
    "interest",
    "figures_fictional",
]
"""The fields a user sets, in the order of the import template (``parent`` is an organisation)."""

EDITABLE_FIELDS = frozenset(ORGANISATION_FIELDS)

# Import columns and model fields share their names, except the key.
COLUMN_OF_FIELD = {"key": "id"}
FIELD_OF_COLUMN = {"id": "key"}


def field_of_column(column: str) -> str:
    return FIELD_OF_COLUMN.get(column, column)


def column_of_field(name: str) -> str:
    return COLUMN_OF_FIELD.get(name, name)


def ordered_codes(values: Iterable[str], codes: type[Pillar] | type[ChainStage]) -> list[str]:
    """Codes in code-list order, each once, so that the same set is always stored the same way."""
    wanted = {str(value) for value in values}
    return [code.value for code in codes if code.value in wanted]


def type_codes_of(
    workspace: Workspace, *, also: Iterable[str] = (), acting_user: User | None = None
) -> dict[str, str]:
    """The type codes an organisation of ``workspace`` may take (code → label): the active types, plus
    ``also`` (codes already in use, so that deactivating a type does not lock its organisations)."""
    organisation_types_ensure(workspace=workspace, acting_user=acting_user)
    keep = set(also)
    return {
        row.code: row.label
        for row in OrganisationType.objects.filter(workspace=workspace)
        if row.is_active or row.code in keep
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def checked_record(values: Mapping[str, Any], *, type_codes: Mapping[str, str]) -> OrganisationRecord:
    """Check one organisation's values with the same core rules as an import row (codes, counts, staff
    consistency, scores, lengths) and return them in canonical form; problems name the field."""
    row = {column_of_field(name): _text(values.get(name)) for name in ORGANISATION_FIELDS if name != "parent"}
    row.setdefault("id", "")
    result = parse_organisation_rows([(0, row)], type_codes=type_codes)
    if result.problems:
        where = {cell_location(0, column): field_of_column(column) for column in STAKEHOLDER_COLUMN_NAMES}
        problems = [
            FieldProblem(where.get(problem.location, problem.location), problem.template, problem.params)
            for problem in result.problems
        ]
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The organisation cannot be saved; correct the fields listed."),
            problems=problems,
        )
    return result.records[0]


def record_field_values(record: OrganisationRecord) -> dict[str, Any]:
    """Model field values (except ``key`` and ``parent``) from a checked record."""
    return {
        "name": record.name,
        "acronym": record.acronym,
        "type": record.type,
        "sector": record.sector.value if record.sector else "",
        "level": record.level.value if record.level else "",
        "location": record.location,
        "pillars": ordered_codes(record.pillars, Pillar),
        "chain_stages": ordered_codes(record.chain_stages, ChainStage),
        "mandate": record.mandate,
        "staff_women": record.staff_women,
        "staff_men": record.staff_men,
        "staff_total": record.staff_total,
        "frontline_women": record.frontline_women,
        "frontline_men": record.frontline_men,
        "staff_as_of": record.staff_as_of,
        "influence": record.influence,
        "interest": record.interest,
        "figures_fictional": record.is_demo_figure,
    }


def _own(workspace: Workspace, organisation: Organisation | None, location: str = "") -> None:
    if organisation is not None and organisation.workspace_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no such organisation in this workspace."),
            problems=[FieldProblem(location, _("Not an organisation of this workspace."))]
            if location
            else [],
        )


def _parent_problems(organisation: Organisation | None, parent: Organisation | None) -> list[FieldProblem]:
    """The parent must not be the organisation itself nor one of its descendants."""
    if parent is None or organisation is None or organisation.pk is None:
        return []
    if parent.pk == organisation.pk:
        return [FieldProblem("parent", _("An organisation cannot be its own parent."))]
    parent_of = dict(
        Organisation.objects.filter(workspace_id=organisation.workspace_id).values_list("pk", "parent_id")
    )
    chain = [parent.name]
    step: int | None = parent.pk
    seen: set[int] = set()
    while step is not None and step not in seen:
        seen.add(step)
        step = parent_of.get(step)
        if step == organisation.pk:
            return [
                FieldProblem(
                    "parent",
                    _(
                        "“%(parent)s” belongs (directly or through others) to “%(name)s”, so it cannot also be "
                        "its parent. Choose another parent or none."
                    ),
                    {"parent": " → ".join(chain), "name": organisation.name},
                )
            ]
    return []


def _key_problems(workspace: Workspace, key: str, exclude: Organisation | None = None) -> list[FieldProblem]:
    clash = Organisation.objects.filter(workspace=workspace, key__iexact=key)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    other = clash.first()
    if other is None:
        return []
    return [
        FieldProblem(
            "key",
            _(
                "“%(key)s” is already the key of “%(name)s”. Each organisation needs its own key (or acronym, "
                "when the key is empty)."
            ),
            {"key": key, "name": other.name},
        )
    ]


def organisation_create(
    *,
    workspace: Workspace,
    name: str,
    type: str,
    key: str = "",
    acronym: str = "",
    sector: str = "",
    level: str = "",
    location: str = "",
    parent: Organisation | None = None,
    pillars: Iterable[str] = (),
    chain_stages: Iterable[str] = (),
    mandate: str = "",
    staff_women: int | None = None,
    staff_men: int | None = None,
    staff_total: int | None = None,
    frontline_women: int | None = None,
    frontline_men: int | None = None,
    staff_as_of: dt.date | None = None,
    influence: int | None = None,
    interest: int | None = None,
    figures_fictional: bool = False,
    acting_user: User | None,
) -> Organisation:
    """Add an organisation. ``key`` defaults to the acronym; it must be unique in the workspace (ignoring
    case). ``staff_total`` left empty is women + men."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, parent, "parent")
    values = {
        "key": key,
        "name": name,
        "acronym": acronym,
        "type": type,
        "sector": sector,
        "level": level,
        "location": location,
        "pillars": list(pillars),
        "chain_stages": list(chain_stages),
        "mandate": mandate,
        "staff_women": staff_women,
        "staff_men": staff_men,
        "staff_total": staff_total,
        "frontline_women": frontline_women,
        "frontline_men": frontline_men,
        "staff_as_of": staff_as_of,
        "influence": influence,
        "interest": interest,
        "figures_fictional": figures_fictional,
    }
    record = checked_record(values, type_codes=type_codes_of(workspace, acting_user=acting_user))
    with transaction.atomic():
        problems = _key_problems(workspace, record.key)
        if problems:
            raise DomainError(
                ErrorCode.ALREADY_EXISTS, _("The organisation cannot be saved."), problems=problems
            )
        return record_create(
            model=Organisation,
            workspace=workspace,
            values={
                "workspace": workspace,
                "key": record.key,
                "parent": parent,
                **record_field_values(record),
            },
            acting_user=acting_user,
            audited_fields=ORGANISATION_FIELDS,
        )


def organisation_update(
    *,
    workspace: Workspace,
    organisation: Organisation,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> Organisation:
    """Change any of :data:`ORGANISATION_FIELDS` (``parent``: an organisation of the workspace or None).
    ``expected_version`` (from the form) guards against overwriting a change saved meanwhile."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, organisation)
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Unknown organisation field(s): %(fields)s."),
            {"fields": ", ".join(unknown)},
            problems=[FieldProblem(name, _("This field cannot be changed here.")) for name in unknown],
        )
    with transaction.atomic():
        current = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=organisation.pk)
        )
        # A stale form is refused first, with both values of each field, ahead of any other problem.
        conflict_check(current=current, expected_version=expected_version, submitted=changes)
        merged = {name: getattr(current, name) for name in ORGANISATION_FIELDS}
        merged.update(changes)
        parent = merged.pop("parent")
        if parent is not None and not isinstance(parent, Organisation):
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The parent must be an organisation of this workspace."),
                problems=[FieldProblem("parent", _("Not an organisation of this workspace."))],
            )
        _own(workspace, parent, "parent")
        record = checked_record(
            merged, type_codes=type_codes_of(workspace, also=[current.type], acting_user=acting_user)
        )
        problems = _key_problems(workspace, record.key, exclude=current) + _parent_problems(current, parent)
        if problems:
            raise DomainError(
                ErrorCode.INVALID_VALUE, _("The organisation cannot be saved."), problems=problems
            )
        return record_update(
            instance=current,
            workspace=workspace,
            changes={"key": record.key, "parent": parent, **record_field_values(record)},
            acting_user=acting_user,
            audited_fields=ORGANISATION_FIELDS,
            expected_version=expected_version,
        )


def organisation_delete(
    *, workspace: Workspace, organisation: Organisation, acting_user: User | None
) -> None:
    """Delete an organisation with its focal points, prior trainings and relations (each audited); the
    organisations that belonged to it keep existing without a parent."""
    from ctip.web.stakeholders.services.contacts import (
        FOCAL_POINT_FIELDS,
        PRIOR_TRAINING_FIELDS,
        RELATION_FIELDS,
    )

    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, organisation)
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        dependants: list[tuple[Any, list[str]]] = [
            *((item, FOCAL_POINT_FIELDS) for item in current.focal_points.all()),
            *((item, PRIOR_TRAINING_FIELDS) for item in current.prior_trainings.all()),
            *((item, RELATION_FIELDS) for item in current.relations_out.select_related("source", "target")),
            *((item, RELATION_FIELDS) for item in current.relations_in.select_related("source", "target")),
        ]
        for item, fields in dependants:
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action=f"{item._meta.model_name}.delete",
                obj=item,
                before=record_values(item, fields),
            )
        for child in Organisation.objects.select_for_update().filter(parent=current):
            record_update(
                instance=child,
                workspace=workspace,
                changes={"parent": None},
                acting_user=acting_user,
                audited_fields=ORGANISATION_FIELDS,
            )
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="organisation.delete",
            obj=current,
            before=record_values(current, ORGANISATION_FIELDS),
        )
        current.delete()
