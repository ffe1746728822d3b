"""The planning instance, its parameters and plans as JSON (format ``ctip-plan-instance``, version 1).

The format is documented in docs/planning-instance.md. Readers check every value and, on bad input, raise
:class:`DomainError` with one :class:`FieldProblem` per problem, located by its JSON path (for example
``modules[3].cost_per_session.Rodrigues``), so that a user can find and fix the value. Writers give the
dataclasses' field names as keys; a number that is not a number (NaN, e.g. the greedy plan's gap) is
written as ``null``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.model import (
    ConstraintGroup,
    Demand,
    Gap,
    Instance,
    Module,
    ModuleLevel,
    Parameters,
    Plan,
    PlanStatus,
    ReturnStep,
    Seats,
    Segment,
    Session,
    SessionExplanation,
    TrainerOrigin,
    TrainerProfile,
    UnmetNeed,
    UnmetReason,
)
from ctip.core.planning.validation import check_instance
from ctip.core.tna.model import Text

FORMAT = "ctip-plan-instance"
VERSION = 1
_E = TypeVar("_E")
_MISSING = object()


def _show(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if not isinstance(value, dict | list) else type(value).__name__


class _Reader:
    """Reads values at JSON paths, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, path: str, template: str, params: Mapping[str, object] | None = None) -> None:
        self.problems.append(FieldProblem(path, template, dict(params or {})))

    def raise_if_any(self, summary: str) -> None:
        if self.problems:
            raise DomainError(ErrorCode.INVALID_VALUE, summary, problems=list(self.problems))

    def obj(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object, got %(got)s"), {"got": _show(value)})
            return {}
        return value

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, _("expected a list, got %(got)s"), {"got": _show(value)})
            return []
        return value

    def keys(self, data: Mapping[str, Any], path: str, allowed: set[str], required: set[str]) -> None:
        for key in sorted(set(data) - allowed):
            self.fail(
                f"{path}.{key}" if path else key,
                _("unknown key; allowed keys are %(allowed)s"),
                {"allowed": ", ".join(sorted(allowed))},
            )
        for key in sorted(required - set(data)):
            self.fail(f"{path}.{key}" if path else key, _("this key is required"))

    def string(self, value: object, path: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.fail(path, _("expected a non-empty text, got %(got)s"), {"got": _show(value)})
            return ""
        return value

    def number(
        self, value: object, path: str, *, minimum: float | None = 0.0, maximum: float | None = None
    ) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if ok and minimum is not None and float(value) < minimum:  # type: ignore[arg-type]
            ok = False
        if ok and maximum is not None and float(value) > maximum:  # type: ignore[arg-type]
            ok = False
        if not ok:
            if minimum is not None and maximum is not None:
                template = _("expected a number from %(minimum)s to %(maximum)s, got %(got)s")
            elif minimum is not None:
                template = _("expected a number ≥ %(minimum)s, got %(got)s")
            else:
                template = _("expected a number, got %(got)s")
            self.fail(
                path, template, {"minimum": _plain(minimum), "maximum": _plain(maximum), "got": _show(value)}
            )
            return 0.0 if minimum is None else max(minimum, 0.0)
        return float(value)  # type: ignore[arg-type]

    def integer(self, value: object, path: str, *, minimum: int = 0) -> int:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if isinstance(value, float) and value.is_integer():
            whole, value = True, int(value)
        if not whole or int(value) < minimum:  # type: ignore[call-overload]
            self.fail(
                path,
                _("expected a whole number ≥ %(minimum)s, got %(got)s"),
                {"minimum": minimum, "got": _show(value)},
            )
            return minimum
        return int(cast(int, value))

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, _("expected true or false, got %(got)s"), {"got": _show(value)})
            return False
        return value

    def choice(self, value: object, path: str, enum: type[_E], default: _E) -> _E:
        options = [member.value for member in enum]  # type: ignore[attr-defined]
        if value not in options:
            self.fail(
                path,
                _("expected one of %(options)s, got %(got)s"),
                {"options": ", ".join(options), "got": _show(value)},
            )
            return default
        return enum(value)  # type: ignore[call-arg]

    def strings(self, value: object, path: str) -> tuple[str, ...]:
        return tuple(
            self.string(item, f"{path}[{index}]") for index, item in enumerate(self.array(value, path))
        )

    def text(self, value: object, path: str) -> Text:
        if isinstance(value, str):
            return Text(self.string(value, path))
        data = self.obj(value, path)
        if not data:
            return Text("")
        self.keys(data, path, {"en", "fr"}, {"en"})
        return Text(
            self.string(data.get("en", ""), f"{path}.en"),
            self.string(data.get("fr", ""), f"{path}.fr", empty=True),
        )

    def numbers_by_location(self, value: object, path: str) -> dict[str, float]:
        data = self.obj(value, path)
        return {str(key): self.number(item, f"{path}.{key}") for key, item in data.items()}


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


# --- parameters -----------------------------------------------------------------------------------------


def parameters_to_json(p: Parameters) -> dict[str, Any]:
    """Every parameter, by its field name."""
    return {
        "quarters": p.quarters,
        "budget_per_year": list(p.budget_per_year),
        "trainer_days_per_quarter": p.trainer_days_per_quarter,
        "sessions_per_location_per_quarter": p.sessions_per_location_per_quarter,
        "frontline_year1_seats": p.frontline_year1_seats,
        "location_need_floor": p.location_need_floor,
        "location_need_floor_by_location": dict(sorted(p.location_need_floor_by_location.items())),
        "women_seat_factor": p.women_seat_factor,
        "national_share_year2": p.national_share_year2,
        "national_share_year3": p.national_share_year3,
        "cascade_sessions_per_tot_session": p.cascade_sessions_per_tot_session,
        "return_steps": [{"up_to_share": step.up_to_share, "value": step.value} for step in p.return_steps],
    }


_PARAMETER_KEYS = {field.name for field in dataclasses.fields(Parameters)}


def _parameters(reader: _Reader, value: object, path: str) -> Parameters:
    data = reader.obj(value, path)
    reader.keys(data, path, _PARAMETER_KEYS, set())
    changes: dict[str, Any] = {}

    def at(key: str) -> str:
        return f"{path}.{key}" if path else key

    readers: dict[str, Callable[[object, str], Any]] = {
        "quarters": lambda v, where: reader.integer(v, where, minimum=1),
        "budget_per_year": lambda v, where: tuple(
            reader.number(item, f"{where}[{index}]") for index, item in enumerate(reader.array(v, where))
        ),
        "trainer_days_per_quarter": lambda v, where: reader.number(v, where),
        "sessions_per_location_per_quarter": lambda v, where: reader.integer(v, where),
        "frontline_year1_seats": lambda v, where: reader.integer(v, where),
        "location_need_floor": lambda v, where: reader.number(v, where, maximum=1.0),
        "location_need_floor_by_location": lambda v, where: {
            str(key): reader.number(item, f"{where}.{key}", maximum=1.0)
            for key, item in reader.obj(v, where).items()
        },
        "women_seat_factor": lambda v, where: reader.number(v, where),
        "national_share_year2": lambda v, where: reader.number(v, where, maximum=1.0),
        "national_share_year3": lambda v, where: reader.number(v, where, maximum=1.0),
        "cascade_sessions_per_tot_session": lambda v, where: reader.integer(v, where),
        "return_steps": lambda v, where: tuple(
            _step(reader, item, f"{where}[{index}]") for index, item in enumerate(reader.array(v, where))
        ),
    }
    for key, read in readers.items():
        if key in data:
            changes[key] = read(data[key], at(key))
    if "return_steps" in changes and not changes["return_steps"]:
        reader.fail(at("return_steps"), _("give at least one step"))
        del changes["return_steps"]
    return dataclasses.replace(Parameters(), **changes)


def _step(reader: _Reader, value: object, path: str) -> ReturnStep:
    data = reader.obj(value, path)
    reader.keys(data, path, {"up_to_share", "value"}, {"up_to_share", "value"})
    return ReturnStep(
        reader.number(data.get("up_to_share", 1.0), f"{path}.up_to_share", maximum=1.0),
        reader.number(data.get("value", 0.0), f"{path}.value"),
    )


def parameters_from_json(d: Mapping[str, Any]) -> Parameters:
    """Parameters from the keys given (the others keep their defaults); an unknown key is an error."""
    reader = _Reader()
    parameters = _parameters(reader, dict(d) if isinstance(d, Mapping) else d, "")
    reader.raise_if_any(_("The planning parameters are not valid."))
    return parameters


# --- instance -------------------------------------------------------------------------------------------


def _module_to_json(module: Module) -> dict[str, Any]:
    return {
        "code": module.code,
        "title": {"en": module.title.en, "fr": module.title.fr},
        "pillar": module.pillar,
        "level": module.level.value,
        "competencies": list(module.competencies),
        "duration_days": module.duration_days,
        "participants_min": module.participants_min,
        "participants_max": module.participants_max,
        "cost_per_session": dict(module.cost_per_session),
        "cost_per_participant": dict(module.cost_per_participant),
        "trainer_profile": module.trainer_profile.value,
        "prerequisites": list(module.prerequisites),
        "is_training_of_trainers": module.is_training_of_trainers,
        "cascade_of": module.cascade_of,
    }


def instance_to_json(instance: Instance) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": instance.name,
        "parameters": parameters_to_json(instance.parameters),
        "modules": [_module_to_json(module) for module in instance.modules],
        "segments": [dataclasses.asdict(segment) for segment in instance.segments],
        "demands": [dataclasses.asdict(demand) for demand in instance.demands],
    }


_MODULE_REQUIRED = {
    "code",
    "title",
    "level",
    "competencies",
    "duration_days",
    "participants_min",
    "participants_max",
    "cost_per_session",
    "cost_per_participant",
}
_MODULE_KEYS = _MODULE_REQUIRED | {
    "pillar",
    "trainer_profile",
    "prerequisites",
    "is_training_of_trainers",
    "cascade_of",
}


def _module(reader: _Reader, value: object, path: str) -> Module:
    data = reader.obj(value, path)
    reader.keys(data, path, _MODULE_KEYS, _MODULE_REQUIRED)
    return Module(
        code=reader.string(data.get("code", "?"), f"{path}.code"),
        title=reader.text(data.get("title", "?"), f"{path}.title"),
        pillar=reader.string(data.get("pillar", ""), f"{path}.pillar", empty=True),
        level=reader.choice(
            data.get("level", "specialised"), f"{path}.level", ModuleLevel, ModuleLevel.SPECIALISED
        ),
        competencies=reader.strings(data.get("competencies", []), f"{path}.competencies"),
        duration_days=reader.number(data.get("duration_days", 1.0), f"{path}.duration_days"),
        participants_min=reader.integer(data.get("participants_min", 0), f"{path}.participants_min"),
        participants_max=reader.integer(
            data.get("participants_max", 1), f"{path}.participants_max", minimum=1
        ),
        cost_per_session=reader.numbers_by_location(
            data.get("cost_per_session", {}), f"{path}.cost_per_session"
        ),
        cost_per_participant=reader.numbers_by_location(
            data.get("cost_per_participant", {}), f"{path}.cost_per_participant"
        ),
        trainer_profile=reader.choice(
            data.get("trainer_profile", "any"), f"{path}.trainer_profile", TrainerProfile, TrainerProfile.ANY
        ),
        prerequisites=reader.strings(data.get("prerequisites", []), f"{path}.prerequisites"),
        is_training_of_trainers=reader.boolean(
            data.get("is_training_of_trainers", False), f"{path}.is_training_of_trainers"
        ),
        cascade_of=reader.string(data.get("cascade_of", ""), f"{path}.cascade_of", empty=True),
    )


_SEGMENT_KEYS = {field.name for field in dataclasses.fields(Segment)}


def _segment(reader: _Reader, value: object, path: str) -> Segment:
    data = reader.obj(value, path)
    reader.keys(data, path, _SEGMENT_KEYS, _SEGMENT_KEYS - {"is_frontline", "role_group", "organisation"})
    return Segment(
        code=reader.string(data.get("code", "?"), f"{path}.code"),
        organisation=reader.string(data.get("organisation", ""), f"{path}.organisation", empty=True),
        role_group=reader.string(data.get("role_group", ""), f"{path}.role_group", empty=True),
        location=reader.string(data.get("location", "?"), f"{path}.location"),
        is_frontline=reader.boolean(data.get("is_frontline", False), f"{path}.is_frontline"),
        staff_female=reader.integer(data.get("staff_female", 0), f"{path}.staff_female"),
        staff_male=reader.integer(data.get("staff_male", 0), f"{path}.staff_male"),
    )


_DEMAND_KEYS = {field.name for field in dataclasses.fields(Demand)}


def _demand(reader: _Reader, value: object, path: str) -> Demand:
    data = reader.obj(value, path)
    reader.keys(data, path, _DEMAND_KEYS, _DEMAND_KEYS)
    return Demand(
        segment=reader.string(data.get("segment", "?"), f"{path}.segment"),
        competency=reader.string(data.get("competency", "?"), f"{path}.competency"),
        staff_female=reader.integer(data.get("staff_female", 0), f"{path}.staff_female"),
        staff_male=reader.integer(data.get("staff_male", 0), f"{path}.staff_male"),
        weight=reader.number(data.get("weight", 0.0), f"{path}.weight"),
    )


def instance_from_json(data: Mapping[str, Any]) -> Instance:
    """The instance of a ``ctip-plan-instance`` document; DomainError naming the JSON path of each problem.

    Besides the shapes of the values, the instance's consistency is checked (unknown prerequisites, staff in
    need above the segment's staff, ...), as :func:`ctip.core.planning.validation.check_instance` does.
    """
    reader = _Reader()
    root = reader.obj(data, "(document)")
    if root:
        if root.get("format") != FORMAT:
            reader.fail(
                "format",
                _('expected "%(format)s", got %(got)s'),
                {"format": FORMAT, "got": _show(root.get("format"))},
            )
        elif root.get("version") != VERSION:
            reader.fail(
                "version",
                _("this program reads version %(version)s of the format, got %(got)s"),
                {"version": VERSION, "got": _show(root.get("version"))},
            )
        reader.raise_if_any(_("This is not a planning instance file."))
        reader.keys(
            root,
            "",
            {"format", "version", "name", "parameters", "modules", "segments", "demands"},
            {"modules", "segments", "demands"},
        )
    reader.raise_if_any(_("The planning instance file is not valid."))
    name = reader.string(root.get("name", ""), "name", empty=True)
    parameters = _parameters(reader, root.get("parameters", {}), "parameters")
    modules = tuple(
        _module(reader, item, f"modules[{index}]")
        for index, item in enumerate(reader.array(root.get("modules"), "modules"))
    )
    segments = tuple(
        _segment(reader, item, f"segments[{index}]")
        for index, item in enumerate(reader.array(root.get("segments"), "segments"))
    )
    demands = tuple(
        _demand(reader, item, f"demands[{index}]")
        for index, item in enumerate(reader.array(root.get("demands"), "demands"))
    )
    reader.raise_if_any(_("The planning instance file is not valid."))
    instance = Instance(modules, segments, demands, parameters, name=name)
    check_instance(instance)
    return instance


# --- sessions and plans ---------------------------------------------------------------------------------


def session_to_json(session: Session) -> dict[str, Any]:
    return {
        "module": session.module,
        "location": session.location,
        "quarter": session.quarter,
        "trainer": session.trainer.value,
        "seats": [
            {"segment": seat.segment, "female": seat.female, "male": seat.male} for seat in session.seats
        ],
    }


def _session(reader: _Reader, value: object, path: str) -> Session:
    data = reader.obj(value, path)
    reader.keys(
        data, path, {"module", "location", "quarter", "trainer", "seats"}, {"module", "location", "quarter"}
    )
    seats = []
    for index, item in enumerate(reader.array(data.get("seats", []), f"{path}.seats")):
        where = f"{path}.seats[{index}]"
        seat = reader.obj(item, where)
        reader.keys(seat, where, {"segment", "female", "male"}, {"segment"})
        seats.append(
            Seats(
                reader.string(seat.get("segment", "?"), f"{where}.segment"),
                reader.integer(seat.get("female", 0), f"{where}.female"),
                reader.integer(seat.get("male", 0), f"{where}.male"),
            )
        )
    return Session(
        module=reader.string(data.get("module", "?"), f"{path}.module"),
        location=reader.string(data.get("location", "?"), f"{path}.location"),
        quarter=reader.integer(data.get("quarter", 1), f"{path}.quarter", minimum=1),
        trainer=reader.choice(
            data.get("trainer", "national"), f"{path}.trainer", TrainerOrigin, TrainerOrigin.NATIONAL
        ),
        seats=tuple(seats),
    )


def session_from_json(d: Mapping[str, Any]) -> Session:
    reader = _Reader()
    session = _session(reader, d, "session")
    reader.raise_if_any(_("The session is not valid."))
    return session


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The plan by its dataclass field names; NaN (e.g. the greedy plan's gap) becomes null."""
    return {
        "status": plan.status.value,
        "sessions": [session_to_json(session) for session in plan.sessions],
        "objective": _number(plan.objective),
        "gap": _number(plan.gap),
        "solve_seconds": plan.solve_seconds,
        "cost_by_year": list(plan.cost_by_year),
        "explanations": [
            {
                "session_index": explanation.session_index,
                "serves": [
                    {"segment": gap.segment, "competency": gap.competency, "people": gap.people}
                    for gap in explanation.serves
                ],
            }
            for explanation in plan.explanations
        ],
        "unmet": [
            {
                "segment": need.segment,
                "competency": need.competency,
                "staff": need.staff,
                "covered": need.covered,
                "reason": need.reason.value,
            }
            for need in plan.unmet
        ],
        "conflicts": [group.value for group in plan.conflicts],
        "notes": list(plan.notes),
        "best_bound": _number(plan.best_bound),
    }


def _nullable(reader: _Reader, value: object, path: str) -> float:
    return math.nan if value is None else reader.number(value, path, minimum=None)


def plan_from_json(d: Mapping[str, Any]) -> Plan:
    """The plan :func:`plan_to_json` wrote (DomainError naming the path of a bad value)."""
    reader = _Reader()
    data = reader.obj(d, "plan")
    keys = {field.name for field in dataclasses.fields(Plan)}
    reader.keys(data, "plan", keys, {"status"})
    explanations = []
    for index, item in enumerate(reader.array(data.get("explanations", []), "plan.explanations")):
        where = f"plan.explanations[{index}]"
        entry = reader.obj(item, where)
        serves = tuple(
            Gap(
                reader.string(
                    reader.obj(gap, f"{where}.serves[{number}]").get("segment"),
                    f"{where}.serves[{number}].segment",
                ),
                reader.string(
                    reader.obj(gap, f"{where}.serves[{number}]").get("competency"),
                    f"{where}.serves[{number}].competency",
                ),
                reader.integer(
                    reader.obj(gap, f"{where}.serves[{number}]").get("people"),
                    f"{where}.serves[{number}].people",
                ),
            )
            for number, gap in enumerate(reader.array(entry.get("serves", []), f"{where}.serves"))
        )
        explanations.append(
            SessionExplanation(reader.integer(entry.get("session_index"), f"{where}.session_index"), serves)
        )
    unmet = []
    for index, item in enumerate(reader.array(data.get("unmet", []), "plan.unmet")):
        where = f"plan.unmet[{index}]"
        entry = reader.obj(item, where)
        unmet.append(
            UnmetNeed(
                reader.string(entry.get("segment"), f"{where}.segment"),
                reader.string(entry.get("competency"), f"{where}.competency"),
                reader.integer(entry.get("staff"), f"{where}.staff"),
                reader.integer(entry.get("covered"), f"{where}.covered"),
                reader.choice(
                    entry.get("reason"), f"{where}.reason", UnmetReason, UnmetReason.LOWER_PRIORITY
                ),
            )
        )
    plan = Plan(
        status=reader.choice(data.get("status"), "plan.status", PlanStatus, PlanStatus.INFEASIBLE),
        sessions=tuple(
            _session(reader, item, f"plan.sessions[{index}]")
            for index, item in enumerate(reader.array(data.get("sessions", []), "plan.sessions"))
        ),
        objective=_nullable(reader, data.get("objective", 0.0), "plan.objective"),
        gap=_nullable(reader, data.get("gap", 0.0), "plan.gap"),
        solve_seconds=reader.number(data.get("solve_seconds", 0.0), "plan.solve_seconds"),
        cost_by_year=tuple(
            reader.number(item, f"plan.cost_by_year[{index}]")
            for index, item in enumerate(reader.array(data.get("cost_by_year", []), "plan.cost_by_year"))
        ),
        explanations=tuple(explanations),
        unmet=tuple(unmet),
        conflicts=tuple(
            reader.choice(item, f"plan.conflicts[{index}]", ConstraintGroup, ConstraintGroup.BUDGET)
            for index, item in enumerate(reader.array(data.get("conflicts", []), "plan.conflicts"))
        ),
        notes=reader.strings(data.get("notes", []), "plan.notes"),
        best_bound=_nullable(reader, data.get("best_bound"), "plan.best_bound"),
    )
    reader.raise_if_any(_("The plan is not valid."))
    return plan
