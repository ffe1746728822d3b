"""The workspace's module catalogue: copied from the default catalogue on first use, then edited module by
module (create, update, deactivate, activate, reset to the default).

**Costs by location.** Each module stores ``costs = {location: {"session": …, "participant": …,
"remote": bool}}``; a location missing there means the module is not offered there. The workspace's
locations are the places of the registry's organisations and of the plan's segments (the survey answers).
When a location first appears (the catalogue is copied, the demand is derived, or a user adds it), every
module gets the default catalogue's *remote* figures there if the location is remote, the *base* figures
otherwise. A location is remote when its name contains one of :data:`REMOTE_NAMES` (outer islands such as
Rodrigues and Agaléga) or when the user marked it remote on adding it; the mark is kept as
``"remote": true`` in the costs, so resetting a module to the default gives it the same figures again.
After that, costs are edited module by module; a location already in the catalogue is never filled again
(a user who took a module out of a place keeps it out).

Modules of the user's own (not in the default catalogue) get, at a new location, the costs they have at
another location of the same kind (remote or not), if any.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.catalogue import (
    CatalogueModule,
    Cost,
    catalogue_problems,
    default_catalogue,
    default_module,
    module_problems,
)
from ctip.core.planning.model import ModuleLevel, TrainerProfile
from ctip.core.tna.model import Text
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.planning.models import TrainingModule
from ctip.web.planning.services.costs import (
    LOCATION_MAX_LENGTH,
    catalogue_locations,
    clean_costs,
    costs_for_new_location,
    default_costs,
    is_remote_name,
    workspace_locations,
)
from ctip.web.tna.models import WorkspaceCompetency
from ctip.web.tna.services import framework_ensure

MODULE_FIELDS = [
    "code",
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "pillar",
    "level",
    "competencies",
    "duration_days",
    "delivery_mode",
    "participants_min",
    "participants_max",
    "costs",
    "trainer_profile",
    "trainer_profile_note_en",
    "trainer_profile_note_fr",
    "prerequisites",
    "is_training_of_trainers",
    "cascade_of",
    "sensitivity_en",
    "sensitivity_fr",
    "assessment_link",
    "is_active",
]
EDITABLE_FIELDS = [name for name in MODULE_FIELDS if name not in ("code", "is_active")]


# --- Reads the services share ---------------------------------------------------------------------------


def catalogue_module_of(row: TrainingModule) -> CatalogueModule:
    """A stored module as the core's :class:`CatalogueModule` (its base and remote costs are those of the
    default catalogue for a default module, zero otherwise: the stored costs are by location)."""
    default = default_module(row.code)
    return CatalogueModule(
        code=row.code,
        title=Text(row.title_en, row.title_fr),
        summary=Text(row.summary_en, row.summary_fr),
        pillar=row.pillar,
        level=ModuleLevel(row.level),
        competencies=tuple(row.competencies or ()),
        duration_days=float(row.duration_days),
        delivery_mode=row.delivery_mode,
        participants_min=row.participants_min,
        participants_max=row.participants_max,
        cost_base=default.cost_base if default else Cost(0.0, 0.0),
        cost_remote=default.cost_remote if default else Cost(0.0, 0.0),
        trainer_profile=TrainerProfile(row.trainer_profile),
        trainer_note=Text(row.trainer_profile_note_en, row.trainer_profile_note_fr),
        prerequisites=tuple(row.prerequisites or ()),
        is_training_of_trainers=row.is_training_of_trainers,
        cascade_of=row.cascade_of,
        sensitivity=Text(row.sensitivity_en, row.sensitivity_fr),
        assessment_link=row.assessment_link,
    )


def _values_of(module: CatalogueModule) -> dict[str, Any]:
    """The model fields of a core module, without costs, position and ``is_active``."""
    return {
        "code": module.code,
        "title_en": module.title.en,
        "title_fr": module.title.fr,
        "summary_en": module.summary.en,
        "summary_fr": module.summary.fr,
        "pillar": module.pillar,
        "level": module.level.value,
        "competencies": list(module.competencies),
        "duration_days": module.duration_days,
        "delivery_mode": module.delivery_mode,
        "participants_min": module.participants_min,
        "participants_max": module.participants_max,
        "trainer_profile": module.trainer_profile.value,
        "trainer_profile_note_en": module.trainer_note.en,
        "trainer_profile_note_fr": module.trainer_note.fr,
        "prerequisites": list(module.prerequisites),
        "is_training_of_trainers": module.is_training_of_trainers,
        "cascade_of": module.cascade_of,
        "sensitivity_en": module.sensitivity.en,
        "sensitivity_fr": module.sensitivity.fr,
        "assessment_link": module.assessment_link,
    }


# --- Seeding ---------------------------------------------------------------------------------------------


def catalogue_ensure(
    *, workspace: Workspace, acting_user: User | None = None, cost_factor: float = 1.0
) -> None:
    """Copy the default catalogue into a workspace that has no module yet (idempotent), with costs at every
    workspace location (remote figures where the name says remote). ``cost_factor`` multiplies the default
    figures (US dollars) into the workspace's currency. Seeding is part of reading the catalogue, so it needs
    no permission; each copied module is audited. The competency framework the modules build is seeded
    too, when the workspace has none."""
    framework_ensure(workspace=workspace, acting_user=acting_user)
    if TrainingModule.objects.filter(workspace=workspace).exists():
        return
    with transaction.atomic():
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        if TrainingModule.objects.filter(workspace=workspace).exists():
            return
        locations = workspace_locations(workspace)
        remote = {location for location in locations if is_remote_name(location)}
        for position, module in enumerate(default_catalogue(), start=1):
            created = TrainingModule.objects.create(
                workspace=workspace,
                position=position,
                costs=default_costs(module, locations, remote, cost_factor),
                **_values_of(module),
            )
            audit_record(
                acting_user=acting_user,
                workspace=workspace,
                action="trainingmodule.create",
                obj=created,
                after=record_values(created, MODULE_FIELDS),
            )


def catalogue_locations_add(
    *,
    workspace: Workspace,
    locations: Iterable[str],
    remote: Collection[str] = (),
    acting_user: User | None,
) -> list[str]:
    """Offer every module at each of ``locations`` that the catalogue does not know yet, at the default
    costs (remote figures for the names in ``remote`` and for remote-sounding names). Returns the locations
    added. Locations already in the catalogue are left as they are."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    catalogue_ensure(workspace=workspace, acting_user=acting_user)
    wanted: list[str] = []
    problems: list[FieldProblem] = []
    for location in locations:
        name = " ".join(str(location).split())
        if not name:
            continue
        if len(name) > LOCATION_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    "location",
                    _("“%(name)s” is too long for a location: use at most %(limit)s characters."),
                    {"name": name, "limit": LOCATION_MAX_LENGTH},
                )
            )
        elif name not in wanted:
            wanted.append(name)
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The location cannot be added."), problems=problems)
    known = {place.casefold() for place in catalogue_locations(workspace)}
    new = [name for name in wanted if name.casefold() not in known]
    if not new:
        return []
    marked = {str(name).strip().casefold() for name in remote}
    with transaction.atomic():
        for row in (
            TrainingModule.objects.select_for_update()
            .filter(workspace=workspace)
            .order_by("position", "code")
        ):
            costs = dict(row.costs or {})
            for name in new:
                entry = costs_for_new_location(
                    row, name, remote=name.casefold() in marked or is_remote_name(name)
                )
                if entry is not None:
                    costs[name] = entry
            record_update(
                instance=row,
                workspace=workspace,
                changes={"costs": costs},
                acting_user=acting_user,
                audited_fields=["costs"],
            )
    return new


def catalogue_costs_scale(*, workspace: Workspace, factor: float, acting_user: User | None) -> int:
    """Multiply every cost of every module by ``factor`` (for example to convert the default US dollar
    figures into the workspace's currency, or to add inflation). Returns the number of modules changed."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if not (factor > 0 and factor < 1_000_000):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The factor must be a number above 0 (for example 45.5 to turn US dollars into rupees)."),
            problems=[FieldProblem("factor", _("Give a number above 0."))],
        )
    changed = 0
    with transaction.atomic():
        for row in (
            TrainingModule.objects.select_for_update()
            .filter(workspace=workspace)
            .order_by("position", "code")
        ):
            costs = {
                location: {
                    **entry,
                    "session": round(float(entry.get("session", 0) or 0) * factor, 2),
                    "participant": round(float(entry.get("participant", 0) or 0) * factor, 2),
                }
                for location, entry in (row.costs or {}).items()
                if isinstance(entry, dict)
            }
            if costs != row.costs:
                record_update(
                    instance=row,
                    workspace=workspace,
                    changes={"costs": costs},
                    acting_user=acting_user,
                    audited_fields=["costs"],
                )
                changed += 1
    return changed


# --- Checks ----------------------------------------------------------------------------------------------


def _cleaned(values: Mapping[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in (
        "code",
        "title_en",
        "title_fr",
        "trainer_profile_note_en",
        "trainer_profile_note_fr",
        "cascade_of",
    ):
        if name in cleaned:
            cleaned[name] = " ".join(str(cleaned[name] or "").split())
    for name in ("code", "cascade_of"):
        if name in cleaned:
            cleaned[name] = cleaned[name].upper()
    for name in ("summary_en", "summary_fr", "sensitivity_en", "sensitivity_fr", "assessment_link"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name] or "").strip()
    for name in ("competencies", "prerequisites"):
        if name in cleaned:
            cleaned[name] = list(
                dict.fromkeys(str(code).strip().upper() for code in cleaned[name] or () if str(code).strip())
            )
    if "costs" in cleaned:
        cleaned["costs"] = clean_costs(cleaned["costs"], problems)
    return cleaned


def _as_module(values: Mapping[str, Any]) -> CatalogueModule:
    def number(name: str) -> float:
        try:
            return float(values.get(name, 0) or 0)
        except (TypeError, ValueError):
            return -1.0

    def whole(name: str) -> int:
        try:
            return int(values.get(name, 0) or 0)
        except (TypeError, ValueError):
            return -1

    level = values.get("level")
    profile = values.get("trainer_profile")
    return CatalogueModule(
        code=str(values.get("code", "")),
        title=Text(str(values.get("title_en", "")), str(values.get("title_fr", ""))),
        summary=Text(str(values.get("summary_en", ""))),
        pillar=str(values.get("pillar", "")),
        level=ModuleLevel(level) if level in {lv.value for lv in ModuleLevel} else ModuleLevel.SPECIALISED,
        competencies=tuple(values.get("competencies") or ()),
        duration_days=number("duration_days"),
        delivery_mode=str(values.get("delivery_mode", "")),
        participants_min=whole("participants_min"),
        participants_max=whole("participants_max"),
        cost_base=Cost(0.0, 0.0),
        cost_remote=Cost(0.0, 0.0),
        trainer_profile=TrainerProfile(profile)
        if profile in {p.value for p in TrainerProfile}
        else TrainerProfile.ANY,
        trainer_note=Text(""),
        prerequisites=tuple(values.get("prerequisites") or ()),
        is_training_of_trainers=bool(values.get("is_training_of_trainers")),
        cascade_of=str(values.get("cascade_of", "")),
    )


def _problems(
    workspace: Workspace, values: Mapping[str, Any], *, current: TrainingModule | None, is_active: bool
) -> list[FieldProblem]:
    """Problems of the module with ``values`` (its whole state) and of the catalogue with it."""
    problems: list[FieldProblem] = []
    candidate = _as_module(values)
    problems += module_problems(candidate)
    if values.get("level") not in {lv.value for lv in ModuleLevel}:
        problems.append(FieldProblem("level", _("Choose foundational or specialised.")))
    if values.get("trainer_profile") not in {p.value for p in TrainerProfile}:
        problems.append(FieldProblem("trainer_profile", _("Choose who may lead the module's sessions.")))
    framework = set(WorkspaceCompetency.objects.filter(workspace=workspace).values_list("code", flat=True))
    allowed = framework | set(current.competencies if current else ())
    unknown = [code for code in candidate.competencies if code not in allowed]
    if unknown:
        problems.append(
            FieldProblem(
                "competencies",
                _("These competencies are not in the workspace's framework: %(codes)s."),
                {"codes": ", ".join(unknown)},
            )
        )
    others = TrainingModule.objects.filter(workspace=workspace)
    if current is not None:
        others = others.exclude(pk=current.pk)
    rows = list(others.order_by("position", "code"))
    catalogue = [catalogue_module_of(row) for row in rows] + [candidate]
    for problem in catalogue_problems(catalogue):
        code, _dot, field = problem.location.partition(".")
        in_cycle = candidate.code in str(problem.params.get("cycle", "")).split(" → ")
        if code != candidate.code and not in_cycle:
            continue
        if field == "code":
            problems.append(
                FieldProblem(
                    "code",
                    _("The code “%(code)s” is already in the catalogue; choose another."),
                    {"code": candidate.code},
                )
            )
        else:
            problems.append(FieldProblem(field, problem.template, problem.params))
    active = {row.code for row in rows if row.is_active}
    if is_active:
        inactive = [
            code
            for code in (*candidate.prerequisites, candidate.cascade_of)
            if code and code not in active and code in {r.code for r in rows}
        ]
        if inactive:
            problems.append(
                FieldProblem(
                    "prerequisites",
                    _(
                        "These modules are not offered, so they cannot be required: %(codes)s. Offer them again first."
                    ),
                    {"codes": ", ".join(inactive)},
                )
            )
    return problems


def _own(workspace: Workspace, module: TrainingModule) -> None:
    if module.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such module in this workspace."))


# --- Writes ----------------------------------------------------------------------------------------------


def module_create(*, workspace: Workspace, acting_user: User | None, **values: Any) -> TrainingModule:
    """Add a module of the user's own. ``values`` are model fields (``code``, ``title_en``, ``pillar``,
    ``level``, ``competencies``, ``duration_days``, ``delivery_mode``, ``participants_min``,
    ``participants_max``, ``costs``, …)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    catalogue_ensure(workspace=workspace, acting_user=acting_user)
    unknown = sorted(set(values) - set(EDITABLE_FIELDS) - {"code"})
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("Unknown module fields: %(fields)s."), {"fields": ", ".join(unknown)}
        )
    problems: list[FieldProblem] = []
    defaults = {
        "title_fr": "",
        "summary_en": "",
        "summary_fr": "",
        "competencies": [],
        "costs": {},
        "trainer_profile": TrainerProfile.ANY.value,
        "trainer_profile_note_en": "",
        "trainer_profile_note_fr": "",
        "prerequisites": [],
        "is_training_of_trainers": False,
        "cascade_of": "",
        "sensitivity_en": "",
        "sensitivity_fr": "",
        "assessment_link": "",
    }
    cleaned = _cleaned({**defaults, **values}, problems)
    problems += _problems(workspace, cleaned, current=None, is_active=True)
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The module cannot be added."), problems=problems)
    last = TrainingModule.objects.filter(workspace=workspace).order_by("-position").first()
    try:
        with transaction.atomic():
            return record_create(
                model=TrainingModule,
                workspace=workspace,
                values={"workspace": workspace, "position": (last.position if last else 0) + 1, **cleaned},
                acting_user=acting_user,
                audited_fields=MODULE_FIELDS,
            )
    except IntegrityError as error:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("The code “%(code)s” is already in the catalogue."),
            {"code": cleaned["code"]},
            problems=[FieldProblem("code", _("“%(code)s” is taken."), {"code": cleaned["code"]})],
        ) from error


def module_update(
    *,
    workspace: Workspace,
    module: TrainingModule,
    acting_user: User | None,
    expected_version: int | None = None,
    **changes: Any,
) -> TrainingModule:
    """Change the fields given (any of :data:`EDITABLE_FIELDS`). The code never changes: plans refer to it."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, module)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("These fields of a module cannot be changed: %(fields)s."),
            {"fields": ", ".join(unknown)},
        )
    problems: list[FieldProblem] = []
    cleaned = _cleaned(changes, problems)
    whole = {name: getattr(module, name) for name in MODULE_FIELDS} | cleaned
    problems += _problems(workspace, whole, current=module, is_active=module.is_active)
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, _("The module cannot be changed."), problems=problems)
    return record_update(
        instance=module,
        workspace=workspace,
        changes=cleaned,
        acting_user=acting_user,
        audited_fields=MODULE_FIELDS,
        expected_version=expected_version,
    )


def module_deactivate(
    *, workspace: Workspace, module: TrainingModule, acting_user: User | None
) -> TrainingModule:
    """Stop offering a module (plans no longer schedule it). Refused while an offered module requires it
    or is its cascade."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, module)
    dependants = [
        row.code
        for row in TrainingModule.objects.filter(workspace=workspace, is_active=True)
        .exclude(pk=module.pk)
        .order_by("code")
        if module.code in (row.prerequisites or ()) or row.cascade_of == module.code
    ]
    if dependants:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "“%(code)s” cannot be withdrawn while these modules require it: %(modules)s. Withdraw them "
                "first, or remove “%(code)s” from their prerequisites."
            ),
            {"code": module.code, "modules": ", ".join(dependants)},
        )
    return record_update(
        instance=module,
        workspace=workspace,
        changes={"is_active": False},
        acting_user=acting_user,
        audited_fields=MODULE_FIELDS,
    )


def module_activate(
    *, workspace: Workspace, module: TrainingModule, acting_user: User | None
) -> TrainingModule:
    """Offer a module again; refused while one of its prerequisites is not offered."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, module)
    needed = [code for code in (*(module.prerequisites or ()), module.cascade_of) if code]
    missing = sorted(
        set(needed)
        - set(
            TrainingModule.objects.filter(workspace=workspace, is_active=True, code__in=needed).values_list(
                "code", flat=True
            )
        )
    )
    if missing:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("“%(code)s” requires %(modules)s, which are not offered; offer them first."),
            {"code": module.code, "modules": ", ".join(missing)},
        )
    return record_update(
        instance=module,
        workspace=workspace,
        changes={"is_active": True},
        acting_user=acting_user,
        audited_fields=MODULE_FIELDS,
    )


def module_reset(*, workspace: Workspace, module: TrainingModule, acting_user: User | None) -> TrainingModule:
    """Put a module of the default catalogue back as it ships: texts, settings and costs (the default
    figures at each location where it is offered now, or at every catalogue location when it is offered
    nowhere). Whether it is offered does not change."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, module)
    default = default_module(module.code)
    if default is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("“%(code)s” is not a module of the default catalogue, so it has no default to go back to."),
            {"code": module.code},
        )
    known = catalogue_locations(workspace)
    current = TrainingModule.objects.get(pk=module.pk)
    places = sorted(current.costs or {}) or list(known)
    remote = {place for place in places if known.get(place) or is_remote_name(place)}
    values = _values_of(default)
    values.pop("code")
    values["costs"] = default_costs(default, places, remote, 1.0)
    return record_update(
        instance=module,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=MODULE_FIELDS,
    )
