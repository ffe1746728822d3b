"""What hangs off an organisation: its focal points, the trainings its staff already received, and its
relations with other organisations (who refers cases to whom, coordinates with or funds whom)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import RelationKind
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.stakeholders.models import (
    SEX_CHOICES,
    FocalPoint,
    Organisation,
    OrganisationRelation,
    PriorTraining,
)

FOCAL_POINT_FIELDS = ["organisation", "name", "title", "sex", "email", "phone"]
PRIOR_TRAINING_FIELDS = [
    "organisation",
    "year",
    "topic",
    "provider",
    "participants_women",
    "participants_men",
]
RELATION_FIELDS = ["source", "target", "kind"]
SEX_CODES = tuple(code for code, _label in SEX_CHOICES)
EARLIEST_TRAINING_YEAR = 1990


def _own(workspace: Workspace, organisation: Organisation, location: str = "") -> None:
    if organisation.workspace_id != workspace.pk:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no such organisation in this workspace."),
            problems=[FieldProblem(location, _("Not an organisation of this workspace."))]
            if location
            else [],
        )


def _invalid(what: str, problems: list[FieldProblem]) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _("The %(what)s cannot be saved; correct the fields listed."),
        {"what": what},
        problems=problems,
    )


# --- Focal points --------------------------------------------------------------------------------------


def _focal_point_problems(values: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not values["name"]:
        problems.append(FieldProblem("name", _("Give the focal point's name.")))
    if values["sex"] not in ("", *SEX_CODES):
        problems.append(
            FieldProblem(
                "sex",
                _("“%(value)s” is not one of %(codes)s."),
                {"value": values["sex"], "codes": ", ".join(SEX_CODES)},
            )
        )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                FieldProblem("email", _("“%(value)s” is not an e-mail address."), {"value": values["email"]})
            )
    return problems


def _focal_point_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: " ".join(str(values.get(name) or "").split())
        for name in ("name", "title", "sex", "email", "phone")
    }


def focal_point_create(
    *,
    workspace: Workspace,
    organisation: Organisation,
    name: str,
    title: str = "",
    sex: str = "",
    email: str = "",
    phone: str = "",
    acting_user: User | None,
) -> FocalPoint:
    """Add a contact person (work contact details only) to an organisation."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, organisation)
    values = _focal_point_values({"name": name, "title": title, "sex": sex, "email": email, "phone": phone})
    problems = _focal_point_problems(values)
    if problems:
        raise _invalid(str(FocalPoint._meta.verbose_name), problems)
    return record_create(
        model=FocalPoint,
        workspace=workspace,
        values={"organisation": organisation, **values},
        acting_user=acting_user,
        audited_fields=FOCAL_POINT_FIELDS,
    )


def focal_point_update(
    *, workspace: Workspace, focal_point: FocalPoint, acting_user: User | None, **changes: Any
) -> FocalPoint:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, focal_point.organisation)
    unknown = sorted(set(changes) - {"name", "title", "sex", "email", "phone"})
    if unknown:
        raise _invalid(
            str(FocalPoint._meta.verbose_name),
            [FieldProblem(name, _("This field cannot be changed here.")) for name in unknown],
        )
    values = _focal_point_values({**_focal_point_values(vars(focal_point)), **changes})
    problems = _focal_point_problems(values)
    if problems:
        raise _invalid(str(FocalPoint._meta.verbose_name), problems)
    return record_update(
        instance=focal_point,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=FOCAL_POINT_FIELDS,
    )


def focal_point_delete(*, workspace: Workspace, focal_point: FocalPoint, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, focal_point.organisation)
    record_delete(
        instance=focal_point, workspace=workspace, acting_user=acting_user, audited_fields=FOCAL_POINT_FIELDS
    )


# --- Prior trainings -----------------------------------------------------------------------------------


def prior_training_create(
    *,
    workspace: Workspace,
    organisation: Organisation,
    year: int,
    topic: str,
    provider: str = "",
    participants_women: int = 0,
    participants_men: int = 0,
    acting_user: User | None,
) -> PriorTraining:
    """Record a counter-trafficking training the organisation's staff already received (the needs
    assessment takes it into account)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, organisation)
    topic, provider = " ".join(topic.split()), " ".join(provider.split())
    problems: list[FieldProblem] = []
    latest = timezone.now().year + 1
    if not EARLIEST_TRAINING_YEAR <= year <= latest:
        problems.append(
            FieldProblem(
                "year",
                _("%(year)s is not a plausible year; give a year from %(low)s to %(high)s."),
                {"year": year, "low": EARLIEST_TRAINING_YEAR, "high": latest},
            )
        )
    if not topic:
        problems.append(FieldProblem("topic", _("Give the topic, e.g. “Victim identification”.")))
    for name, value in (("participants_women", participants_women), ("participants_men", participants_men)):
        if value < 0:
            problems.append(
                FieldProblem(
                    name, _("%(value)s is negative; give the number of participants."), {"value": value}
                )
            )
    if problems:
        raise _invalid(str(PriorTraining._meta.verbose_name), problems)
    return record_create(
        model=PriorTraining,
        workspace=workspace,
        values={
            "organisation": organisation,
            "year": year,
            "topic": topic,
            "provider": provider,
            "participants_women": participants_women,
            "participants_men": participants_men,
        },
        acting_user=acting_user,
        audited_fields=PRIOR_TRAINING_FIELDS,
    )


def prior_training_delete(
    *, workspace: Workspace, prior_training: PriorTraining, acting_user: User | None
) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, prior_training.organisation)
    record_delete(
        instance=prior_training,
        workspace=workspace,
        acting_user=acting_user,
        audited_fields=PRIOR_TRAINING_FIELDS,
    )


# --- Relations -----------------------------------------------------------------------------------------


def relation_create(
    *,
    workspace: Workspace,
    source: Organisation,
    target: Organisation,
    kind: str,
    acting_user: User | None,
) -> OrganisationRelation:
    """``source`` refers cases to / coordinates with / funds ``target`` (both of this workspace)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, source, "source")
    _own(workspace, target, "target")
    problems: list[FieldProblem] = []
    if kind not in {code.value for code in RelationKind}:
        problems.append(
            FieldProblem(
                "kind",
                _("“%(value)s” is not a kind of relation; use one of %(codes)s."),
                {"value": kind, "codes": ", ".join(code.value for code in RelationKind)},
            )
        )
    if source.pk == target.pk:
        problems.append(FieldProblem("target", _("An organisation cannot have a relation with itself.")))
    if problems:
        raise _invalid(str(OrganisationRelation._meta.verbose_name), problems)
    if OrganisationRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise _already_recorded(source, target, kind)
    try:
        with transaction.atomic():
            return record_create(
                model=OrganisationRelation,
                workspace=workspace,
                values={"source": source, "target": target, "kind": kind},
                acting_user=acting_user,
                audited_fields=RELATION_FIELDS,
            )
    except IntegrityError as error:  # recorded by a concurrent request
        raise _already_recorded(source, target, kind) from error


def _already_recorded(source: Organisation, target: Organisation, kind: str) -> DomainError:
    return DomainError(
        ErrorCode.ALREADY_EXISTS,
        _("This relation between “%(source)s” and “%(target)s” is already recorded."),
        {"source": source.name, "target": target.name},
        problems=[FieldProblem("target", _("Already recorded."))],
    )


def relation_delete(
    *, workspace: Workspace, relation: OrganisationRelation, acting_user: User | None
) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, relation.source)
    record_delete(
        instance=relation, workspace=workspace, acting_user=acting_user, audited_fields=RELATION_FIELDS
    )
