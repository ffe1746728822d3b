"""The workspace's editable list of organisation types, seeded from the default (HTCDS-based) list."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import ORGANISATION_TYPE_LABELS
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.stakeholders.models import Organisation, OrganisationType

TYPE_FIELDS = ["code", "label", "is_active"]


def organisation_types_ensure(*, workspace: Workspace, acting_user: User | None = None) -> None:
    """Give the workspace the default organisation types it does not have yet (all of them on first use).

    Idempotent: when every default code is there, it reads one query and writes nothing. Types are never
    deleted, only deactivated, so a default type that is missing was never added. Seeding is part of
    reading the registry, so it needs no permission; each added type is audited.
    """
    present = set(OrganisationType.objects.filter(workspace=workspace).values_list("code", flat=True))
    if all(code.value in present for code in ORGANISATION_TYPE_LABELS):
        return
    with transaction.atomic():
        # Lock the workspace row so that two first visits at the same moment do not both seed.
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        present = set(OrganisationType.objects.filter(workspace=workspace).values_list("code", flat=True))
        for code, label in ORGANISATION_TYPE_LABELS.items():
            if code.value in present:
                continue
            created = OrganisationType.objects.create(workspace=workspace, code=code.value, label=label)
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="organisationtype.create",
                obj=created,
                after=record_values(created, TYPE_FIELDS),
            )


def _own_type(workspace: Workspace, organisation_type: OrganisationType) -> None:
    if organisation_type.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such organisation type in this workspace."))


def organisation_type_create(
    *, workspace: Workspace, code: str, label: str, is_active: bool = True, acting_user: User | None
) -> OrganisationType:
    """Add a type to the workspace's list. ``code`` (lower-case letters, digits, ``_`` and ``-``) is what
    import files use; ``label`` is what pages show."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    code, label = code.strip().lower(), " ".join(label.split())
    problems: list[FieldProblem] = []
    if not label:
        problems.append(FieldProblem("label", _("Give the type a name, e.g. “Faith-based organisation”.")))
    if code and OrganisationType.objects.filter(workspace=workspace, code__iexact=code).exists():
        problems.append(
            FieldProblem(
                "code",
                _("The code “%(code)s” is already in the list; choose another or edit that type."),
                {"code": code},
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The organisation type cannot be added."), problems=problems
        )
    try:
        with transaction.atomic():
            return record_create(
                model=OrganisationType,
                workspace=workspace,
                values={"workspace": workspace, "code": code, "label": label, "is_active": is_active},
                acting_user=acting_user,
                audited_fields=TYPE_FIELDS,
            )
    except IntegrityError as error:  # a concurrent request added the same code
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("The code “%(code)s” is already in the list."),
            {"code": code},
            problems=[FieldProblem("code", _("“%(code)s” is taken."), {"code": code})],
        ) from error


def organisation_type_update(
    *,
    workspace: Workspace,
    organisation_type: OrganisationType,
    label: str | None = None,
    is_active: bool | None = None,
    code: str | None = None,
    acting_user: User | None,
) -> OrganisationType:
    """Rename, deactivate or reactivate a type. Its code may change only while no organisation uses it
    (organisations and import files refer to the code)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own_type(workspace, organisation_type)
    changes: dict[str, object] = {}
    problems: list[FieldProblem] = []
    if label is not None:
        label = " ".join(label.split())
        if not label:
            problems.append(FieldProblem("label", _("Give the type a name.")))
        changes["label"] = label
    if is_active is not None:
        changes["is_active"] = is_active
    if code is not None and code.strip().lower() != organisation_type.code:
        code = code.strip().lower()
        used = Organisation.objects.filter(workspace=workspace, type=organisation_type.code).count()
        if used:
            problems.append(
                FieldProblem(
                    "code",
                    _(
                        "The code “%(code)s” cannot change: %(count)s organisation(s) use it. Change the "
                        "label instead, or add a new type and move the organisations to it."
                    ),
                    {"code": organisation_type.code, "count": used},
                )
            )
        elif (
            OrganisationType.objects.filter(workspace=workspace, code__iexact=code)
            .exclude(pk=organisation_type.pk)
            .exists()
        ):
            problems.append(
                FieldProblem("code", _("The code “%(code)s” is already in the list."), {"code": code})
            )
        changes["code"] = code
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The organisation type cannot be changed."), problems=problems
        )
    return record_update(
        instance=organisation_type,
        workspace=workspace,
        changes=changes,
        acting_user=acting_user,
        audited_fields=TYPE_FIELDS,
    )
