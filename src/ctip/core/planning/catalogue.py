"""The default training-module catalogue: what a capacity plan can schedule.

The package data (``catalogue.json``) holds 26 modules written for this project in English and French:
one foundational module per pillar of the 4Ps for every stakeholder, specialised modules along the response
chain (screening with the IOM tools, trauma-informed and child-sensitive interviewing, the national
referral mechanism and case management, shelters, labour inspection, border checks, investigation,
financial and digital evidence, prosecution, adjudication, data, prevention, ethical media, private-sector
due diligence, coordination), a training of trainers (``TOT``) and two short cascade modules that its
graduates lead. Every module builds competencies of the default framework (``ctip.core.tna``), and every
competency of that framework is built by at least one module.

Costs come in two figures, each a cost per session and a cost per participant: ``base`` (a venue on the
main island or mainland) and ``remote`` (an outer island or a remote district, with the trainers' travel
and per diem). A workspace copies the catalogue and gives each of its locations one of the two figures;
:func:`to_core_module` turns a module and those per-location costs into the solver's
:class:`~ctip.core.planning.model.Module`.

:func:`check_catalogue` enforces what the solver relies on: unique codes, prerequisites that exist and do
not loop, and ``cascade_of`` naming a training-of-trainers module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.planning.model import Module, ModuleLevel, TrainerProfile
from ctip.core.stakeholders import Pillar
from ctip.core.tna.model import Text

CATALOGUE_FILE = "catalogue.json"
CODE = re.compile(r"[A-Z][A-Z0-9_]*")
CODE_MAX_LENGTH = 20
DELIVERY_MODES = ("in_person", "blended", "online")
MIN_DAYS = 0.5
MAX_DAYS = 30.0


@dataclass(frozen=True)
class Cost:
    """What one session costs (venue, materials, trainer fees and travel) and what each participant adds."""

    session: float
    participant: float


@dataclass(frozen=True)
class CatalogueModule:
    code: str
    title: Text
    summary: Text
    pillar: str  # ctip.core.stakeholders.Pillar value
    level: ModuleLevel
    competencies: tuple[str, ...]  # competency codes it builds
    duration_days: float
    delivery_mode: str  # one of DELIVERY_MODES
    participants_min: int
    participants_max: int
    cost_base: Cost
    cost_remote: Cost
    trainer_profile: TrainerProfile
    trainer_note: Text
    prerequisites: tuple[str, ...] = ()
    is_training_of_trainers: bool = False
    cascade_of: str = ""
    sensitivity: Text = field(default_factory=lambda: Text(""))  # child- and gender-sensitive content
    assessment_link: str = ""  # the item bank of its pre/post tests (filled by the trainings work)

    def cost_for(self, *, remote: bool) -> Cost:
        return self.cost_remote if remote else self.cost_base


# --- Checks --------------------------------------------------------------------------------------------


def _cycle(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    """One prerequisite cycle as a list of codes (first code repeated at the end), or ``[]``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(code: str) -> list[str]:
        state[code] = 1
        path.append(code)
        for needed in prerequisites.get(code, ()):
            if needed not in prerequisites:
                continue
            if state.get(needed) == 1:
                return [*path[path.index(needed) :], needed]
            if needed not in state:
                found = visit(needed)
                if found:
                    return found
        path.pop()
        state[code] = 2
        return []

    for code in sorted(prerequisites):
        if code not in state:
            found = visit(code)
            if found:
                return found
    return []


def catalogue_problems(
    modules: Sequence[CatalogueModule], *, competency_codes: Collection[str] | None = None
) -> list[FieldProblem]:
    """Every problem of a catalogue as a whole: duplicate codes, unknown prerequisites, prerequisite cycles,
    ``cascade_of`` not naming a training-of-trainers module, and (when ``competency_codes`` is given)
    competencies that are not in the framework. Locations are ``<module code>.<field>``; a cycle is reported
    once, on its first module, with the whole cycle in the ``cycle`` parameter."""
    problems: list[FieldProblem] = []
    by_code: dict[str, CatalogueModule] = {}
    for module in modules:
        if module.code in by_code:
            problems.append(
                FieldProblem(
                    f"{module.code}.code", _("The code “%(code)s” is used twice."), {"code": module.code}
                )
            )
        by_code[module.code] = module
    for module in modules:
        for needed in module.prerequisites:
            if needed == module.code:
                problems.append(
                    FieldProblem(
                        f"{module.code}.prerequisites", _("A module cannot be its own prerequisite.")
                    )
                )
            elif needed not in by_code:
                problems.append(
                    FieldProblem(
                        f"{module.code}.prerequisites",
                        _("The prerequisite “%(code)s” is not a module of the catalogue."),
                        {"code": needed},
                    )
                )
        if module.cascade_of:
            tot = by_code.get(module.cascade_of)
            if tot is None or not tot.is_training_of_trainers:
                problems.append(
                    FieldProblem(
                        f"{module.code}.cascade_of",
                        _(
                            "“%(code)s” is not a training-of-trainers module: a cascade module is led by the "
                            "graduates of one."
                        ),
                        {"code": module.cascade_of},
                    )
                )
            if module.trainer_profile is TrainerProfile.INTERNATIONAL:
                problems.append(
                    FieldProblem(
                        f"{module.code}.trainer_profile",
                        _(
                            "A cascade module is led by national trainers: its trainer profile cannot be international."
                        ),
                    )
                )
            if module.is_training_of_trainers:
                problems.append(
                    FieldProblem(
                        f"{module.code}.cascade_of",
                        _("A training of trainers cannot itself be a cascade module."),
                    )
                )
        if competency_codes is not None:
            unknown = [code for code in module.competencies if code not in competency_codes]
            if unknown:
                problems.append(
                    FieldProblem(
                        f"{module.code}.competencies",
                        _("These competencies are not in the framework: %(codes)s."),
                        {"codes": ", ".join(unknown)},
                    )
                )
    cycle = _cycle({module.code: module.prerequisites for module in modules})
    if cycle:
        problems.append(
            FieldProblem(
                f"{cycle[0]}.prerequisites",
                _("The prerequisites go round in a circle (%(cycle)s); remove one of them."),
                {"cycle": " → ".join(cycle)},
            )
        )
    return problems


def check_catalogue(
    modules: Sequence[CatalogueModule], *, competency_codes: Collection[str] | None = None
) -> None:
    """Raise one :class:`DomainError` listing every problem :func:`catalogue_problems` finds."""
    problems = catalogue_problems(modules, competency_codes=competency_codes)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The module catalogue is not valid: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )


def module_problems(module: CatalogueModule) -> list[FieldProblem]:
    """Problems of one module on its own, located by field name (for forms and the API)."""
    problems: list[FieldProblem] = []
    if not CODE.fullmatch(module.code) or len(module.code) > CODE_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "code",
                _(
                    "“%(code)s” cannot be a module code: use capital letters, digits and “_”, starting with a letter."
                ),
                {"code": module.code},
            )
        )
    if not module.title.en.strip():
        problems.append(FieldProblem("title_en", _("Give the module a title in English.")))
    if module.pillar not in {pillar.value for pillar in Pillar}:
        problems.append(FieldProblem("pillar", _("Choose one of the 4Ps.")))
    if not module.competencies:
        problems.append(FieldProblem("competencies", _("Choose at least one competency the module builds.")))
    if not MIN_DAYS <= module.duration_days <= MAX_DAYS:
        problems.append(
            FieldProblem(
                "duration_days",
                _("The duration must be between %(min)s and %(max)s days."),
                {"min": MIN_DAYS, "max": MAX_DAYS},
            )
        )
    if module.delivery_mode not in DELIVERY_MODES:
        problems.append(FieldProblem("delivery_mode", _("Choose in person, blended or online.")))
    if module.participants_min < 1 or module.participants_max < module.participants_min:
        problems.append(
            FieldProblem(
                "participants_max",
                _(
                    "The participants must be at least 1 and the maximum at least the minimum (got %(min)s–%(max)s)."
                ),
                {"min": module.participants_min, "max": module.participants_max},
            )
        )
    for name, cost in (("cost_base", module.cost_base), ("cost_remote", module.cost_remote)):
        if cost.session < 0 or cost.participant < 0:
            problems.append(FieldProblem(name, _("Costs cannot be negative.")))
    return problems


# --- The default catalogue ------------------------------------------------------------------------------


def _text(value: object, where: str, problems: list[FieldProblem]) -> Text:
    if isinstance(value, dict):
        english, french = value.get("en"), value.get("fr")
        if isinstance(english, str) and english.strip() and isinstance(french, str) and french.strip():
            return Text(english.strip(), french.strip())
    problems.append(
        FieldProblem(where, _('Give this text in both English and French: {"en": "…", "fr": "…"}.'))
    )
    return Text("")


def _number(value: object, where: str, problems: list[FieldProblem]) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    problems.append(FieldProblem(where, _("“%(value)s” is not a number."), {"value": value}))
    return 0.0


def _whole(value: object, where: str, problems: list[FieldProblem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    problems.append(FieldProblem(where, _("“%(value)s” is not a whole number."), {"value": value}))
    return 0


def _codes(value: object, where: str, problems: list[FieldProblem]) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.append(FieldProblem(where, _("This must be a list of codes.")))
    return ()


def _cost(value: object, where: str, problems: list[FieldProblem]) -> Cost:
    if not isinstance(value, dict):
        problems.append(FieldProblem(where, _('Give {"session": …, "participant": …}.')))
        return Cost(0.0, 0.0)
    return Cost(
        _number(value.get("session"), f"{where}.session", problems),
        _number(value.get("participant"), f"{where}.participant", problems),
    )


def _choice(value: object, known: Collection[str], where: str, problems: list[FieldProblem]) -> str:
    if isinstance(value, str) and value in known:
        return value
    problems.append(
        FieldProblem(
            where,
            _("“%(value)s” is not a known code: use one of %(known)s."),
            {"value": value, "known": ", ".join(sorted(known))},
        )
    )
    return ""


def _module(entry: dict[str, object], where: str, problems: list[FieldProblem]) -> CatalogueModule:
    code = entry.get("code")
    if not isinstance(code, str):
        problems.append(FieldProblem(f"{where}.code", _("Give the module a code.")))
        code = ""
    costs = entry.get("costs")
    costs = costs if isinstance(costs, dict) else {}
    level = _choice(entry.get("level"), [lv.value for lv in ModuleLevel], f"{where}.level", problems)
    profile = _choice(
        entry.get("trainer_profile", TrainerProfile.ANY.value),
        [p.value for p in TrainerProfile],
        f"{where}.trainer_profile",
        problems,
    )
    flag = entry.get("is_training_of_trainers", False)
    if not isinstance(flag, bool):
        problems.append(FieldProblem(f"{where}.is_training_of_trainers", _("This must be true or false.")))
    cascade_of = entry.get("cascade_of", "")
    if not isinstance(cascade_of, str):
        problems.append(FieldProblem(f"{where}.cascade_of", _("This must be a module code.")))
        cascade_of = ""
    module = CatalogueModule(
        code=code,
        title=_text(entry.get("title"), f"{where}.title", problems),
        summary=_text(entry.get("summary"), f"{where}.summary", problems),
        pillar=_choice(entry.get("pillar"), [p.value for p in Pillar], f"{where}.pillar", problems),
        level=ModuleLevel(level) if level else ModuleLevel.SPECIALISED,
        competencies=_codes(entry.get("competencies"), f"{where}.competencies", problems),
        duration_days=_number(entry.get("duration_days"), f"{where}.duration_days", problems),
        delivery_mode=_choice(entry.get("delivery_mode"), DELIVERY_MODES, f"{where}.delivery_mode", problems),
        participants_min=_whole(entry.get("participants_min"), f"{where}.participants_min", problems),
        participants_max=_whole(entry.get("participants_max"), f"{where}.participants_max", problems),
        cost_base=_cost(costs.get("base"), f"{where}.costs.base", problems),
        cost_remote=_cost(costs.get("remote"), f"{where}.costs.remote", problems),
        trainer_profile=TrainerProfile(profile) if profile else TrainerProfile.ANY,
        trainer_note=_text(entry.get("trainer_note"), f"{where}.trainer_note", problems),
        prerequisites=_codes(entry.get("prerequisites", []), f"{where}.prerequisites", problems),
        is_training_of_trainers=flag is True,
        cascade_of=cascade_of,
        sensitivity=_text(entry.get("sensitivity"), f"{where}.sensitivity", problems),
        assessment_link=str(entry.get("assessment_link", "") or ""),
    )
    problems.extend(
        FieldProblem(f"{where}.{problem.location}", problem.template, problem.params)
        for problem in module_problems(module)
        if module.code or problem.location != "code"
    )
    return module


def parse_catalogue(
    data: object, *, competency_codes: Collection[str] | None = None
) -> list[CatalogueModule]:
    """The modules of a catalogue document (``{"modules": [...]}``, the shape of the package data), checked
    one by one and as a whole (:func:`catalogue_problems`). Raises one :class:`DomainError` listing every
    problem."""
    entries = data.get("modules") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The module catalogue must hold a non-empty list under “modules”.")
        )
    problems: list[FieldProblem] = []
    modules: list[CatalogueModule] = []
    for index, entry in enumerate(entries):
        where = f"modules[{index}]"
        if not isinstance(entry, dict):
            problems.append(FieldProblem(where, _("Each module must be an object with named fields.")))
            continue
        modules.append(_module(entry, where, problems))
    problems += catalogue_problems(modules, competency_codes=competency_codes)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The module catalogue is not valid: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    return modules


@cache
def _default() -> tuple[CatalogueModule, ...]:
    from ctip.core.tna.framework import default_framework

    text = resources.files("ctip.core.planning").joinpath(CATALOGUE_FILE).read_text("utf-8")
    codes = {competency.code for competency in default_framework()}
    return tuple(parse_catalogue(json.loads(text), competency_codes=codes))


def default_catalogue() -> list[CatalogueModule]:
    """The modules of the default catalogue, in the order of the package data (read and checked once)."""
    return list(_default())


def default_module(code: str) -> CatalogueModule | None:
    return next((module for module in _default() if module.code == code), None)


def uncovered_competencies(modules: Sequence[CatalogueModule], competency_codes: Sequence[str]) -> list[str]:
    """The competency codes (in the order given) that no module builds."""
    built = {code for module in modules for code in module.competencies}
    return [code for code in competency_codes if code not in built]


# --- To the solver --------------------------------------------------------------------------------------


def to_core_module(module: CatalogueModule, costs: Mapping[str, Cost]) -> Module:
    """The solver's module: offered at the locations of ``costs`` (location → cost), nowhere else."""
    locations = sorted(costs)
    return Module(
        code=module.code,
        title=module.title,
        pillar=module.pillar,
        level=module.level,
        competencies=module.competencies,
        duration_days=float(module.duration_days),
        participants_min=module.participants_min,
        participants_max=module.participants_max,
        cost_per_session={location: float(costs[location].session) for location in locations},
        cost_per_participant={location: float(costs[location].participant) for location in locations},
        trainer_profile=module.trainer_profile,
        prerequisites=module.prerequisites,
        is_training_of_trainers=module.is_training_of_trainers,
        cascade_of=module.cascade_of,
    )
