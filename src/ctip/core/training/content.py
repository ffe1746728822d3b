"""What is taught and tested in each module of the catalogue, in English and French.

The package data holds one file per catalogue module, ``modules/<CODE>.json``: the module's learning
objectives (each tied to one of its competencies), the sessions that fill its teaching time (title, key
points, an exercise and a one-paragraph handout each), notes on child- and gender-sensitive practice, and a
bank of ten test items: four parallel pairs (versions ``A`` and ``B`` of the same objective and difficulty,
one of each pair in the pre-test and the other in the post-test) and two items common to both forms.

:func:`parse_module_content` turns a file's JSON into a :class:`ModuleContent`, naming the JSON path of any
value of the wrong shape (``items[3].options[1].key``); :func:`check_content` then applies the authoring
rules (numbers of objectives, sessions, key points and items, teaching time, correct answers that exist…)
and returns every problem as a readable sentence. :func:`module_content` reads a module's file once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import ItemKind

CONTENT_DIRECTORY = "modules"
MODULE_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,19}")
MINUTES_PER_DAY = 330
"""Teaching time of a training day: 5½ hours, once breaks and the opening and closing are taken out."""
SESSION_MINUTES = (45, 120)
OBJECTIVES_PER_MODULE = (3, 5)
KEY_POINTS_PER_SESSION = (3, 5)
PRACTICE_NOTES_PER_MODULE = (2, 4)
ITEMS_PER_MODULE = 10
PARALLEL_PAIRS = 4
TRUE_FALSE_KEYS = ("true", "false")
TRUE_FALSE_LABELS = {"true": ("True", "Vrai"), "false": ("False", "Faux")}
CATCH_ALL_OPTIONS = ("all of the above", "none of the above", "toutes les réponses", "aucune des réponses")


@dataclass(frozen=True)
class Localised:
    """A text in English and French; French falls back to English when it is missing."""

    en: str
    fr: str = ""

    def get(self, language: str) -> str:
        return (self.fr or self.en) if language.lower().startswith("fr") else self.en


@dataclass(frozen=True)
class LocalisedList:
    """A list of texts (e.g. key points) in English and French; French falls back to English."""

    en: tuple[str, ...]
    fr: tuple[str, ...] = ()

    def get(self, language: str) -> tuple[str, ...]:
        return (self.fr or self.en) if language.lower().startswith("fr") else self.en


@dataclass(frozen=True)
class Objective:
    code: str  # "<MODULE>-LO<n>"
    competency: str  # a competency code of the module
    text: Localised


@dataclass(frozen=True)
class SessionPlan:
    code: str  # "<MODULE>-S<n>"
    minutes: int
    objectives: tuple[str, ...]  # objective codes it covers
    title: Localised
    key_points: LocalisedList
    exercise: Localised
    handout: Localised


@dataclass(frozen=True)
class OptionSpec:
    key: str  # "a", "b"… or "true"/"false"
    label: Localised


@dataclass(frozen=True)
class ItemSpec:
    code: str  # "<MODULE>-01" … "<MODULE>-10"
    kind: ItemKind
    objective: str
    competency: str
    parallel_group: str  # "<MODULE>-P<n>", or "" for an item common to both forms
    form_version: str  # "A", "B", or "" for an item common to both forms
    stem: Localised
    options: tuple[OptionSpec, ...]
    correct: tuple[str, ...]


@dataclass(frozen=True)
class ModuleContent:
    module: str
    objectives: tuple[Objective, ...]
    sessions: tuple[SessionPlan, ...]
    practice_notes: LocalisedList
    items: tuple[ItemSpec, ...]

    @property
    def minutes(self) -> int:
        """The teaching time of all sessions."""
        return sum(session.minutes for session in self.sessions)

    def objective(self, code: str) -> Objective | None:
        return next((objective for objective in self.objectives if objective.code == code), None)


def teaching_minutes(duration_days: float) -> int:
    """A module's teaching time: ``duration_days`` × 330 minutes, to the nearest multiple of 15."""
    return round(duration_days * MINUTES_PER_DAY / 15) * 15


# --- Reading the JSON -----------------------------------------------------------------------------------


def _string(value: object, where: str, problems: list[FieldProblem], *, blank: bool = False) -> str:
    if isinstance(value, str) and (blank or value.strip()):
        return value.strip()
    problems.append(
        FieldProblem(where, _("This must be text.") if blank else _("This must be text that is not empty."))
    )
    return ""


def _localised(value: object, where: str, problems: list[FieldProblem]) -> Localised:
    if not isinstance(value, Mapping):
        problems.append(
            FieldProblem(where, _('Give this text in English and French: {"en": "…", "fr": "…"}.'))
        )
        return Localised("")
    return Localised(
        _string(value.get("en"), f"{where}.en", problems),
        _string(value.get("fr", ""), f"{where}.fr", problems, blank=True),
    )


def _texts(value: object, where: str, problems: list[FieldProblem]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(FieldProblem(where, _("This must be a list of texts.")))
        return ()
    return tuple(_string(entry, f"{where}[{index}]", problems) for index, entry in enumerate(value))


def _localised_list(value: object, where: str, problems: list[FieldProblem]) -> LocalisedList:
    if not isinstance(value, Mapping):
        problems.append(
            FieldProblem(where, _('Give these texts in English and French: {"en": ["…"], "fr": ["…"]}.'))
        )
        return LocalisedList(())
    return LocalisedList(
        _texts(value.get("en"), f"{where}.en", problems), _texts(value.get("fr", []), f"{where}.fr", problems)
    )


def _objects(
    data: Mapping[str, object], name: str, problems: list[FieldProblem]
) -> list[tuple[str, Mapping[str, object]]]:
    """The objects of list ``name``, each with its JSON path; entries that are not objects are reported."""
    value = data.get(name)
    if not isinstance(value, list):
        problems.append(FieldProblem(name, _("This must be a list of objects.")))
        return []
    entries: list[tuple[str, Mapping[str, object]]] = []
    for index, entry in enumerate(value):
        if isinstance(entry, Mapping):
            entries.append((f"{name}[{index}]", entry))
        else:
            problems.append(FieldProblem(f"{name}[{index}]", _("This must be an object with named fields.")))
    return entries


def _objective(entry: Mapping[str, object], where: str, problems: list[FieldProblem]) -> Objective:
    return Objective(
        code=_string(entry.get("code"), f"{where}.code", problems),
        competency=_string(entry.get("competency"), f"{where}.competency", problems),
        text=Localised(
            _string(entry.get("en"), f"{where}.en", problems),
            _string(entry.get("fr", ""), f"{where}.fr", problems, blank=True),
        ),
    )


def _session(entry: Mapping[str, object], where: str, problems: list[FieldProblem]) -> SessionPlan:
    minutes = entry.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        problems.append(
            FieldProblem(f"{where}.minutes", _("This must be a whole number of minutes above 0."))
        )
        minutes = 0
    objectives = entry.get("objectives")
    if not isinstance(objectives, list) or not all(isinstance(code, str) for code in objectives):
        problems.append(FieldProblem(f"{where}.objectives", _("This must be a list of objective codes.")))
        objectives = []
    return SessionPlan(
        code=_string(entry.get("code"), f"{where}.code", problems),
        minutes=minutes,
        objectives=tuple(objectives),
        title=_localised(entry.get("title"), f"{where}.title", problems),
        key_points=_localised_list(entry.get("key_points"), f"{where}.key_points", problems),
        exercise=_localised(entry.get("exercise"), f"{where}.exercise", problems),
        handout=_localised(entry.get("handout"), f"{where}.handout", problems),
    )


def _option(value: object, where: str, problems: list[FieldProblem]) -> OptionSpec:
    if not isinstance(value, Mapping):
        problems.append(FieldProblem(where, _('Give each option as {"key": "a", "en": "…", "fr": "…"}.')))
        return OptionSpec("", Localised(""))
    return OptionSpec(
        key=_string(value.get("key"), f"{where}.key", problems),
        label=Localised(
            _string(value.get("en"), f"{where}.en", problems),
            _string(value.get("fr", ""), f"{where}.fr", problems, blank=True),
        ),
    )


def _item(entry: Mapping[str, object], where: str, problems: list[FieldProblem]) -> ItemSpec:
    kind_value = entry.get("kind")
    kinds = [kind.value for kind in ItemKind]
    if kind_value in kinds:
        kind = ItemKind(str(kind_value))
    else:
        problems.append(
            FieldProblem(f"{where}.kind", _("Use one of: %(choices)s."), {"choices": ", ".join(kinds)})
        )
        kind = ItemKind.SINGLE
    options = entry.get("options")
    if not isinstance(options, list):
        problems.append(FieldProblem(f"{where}.options", _("This must be a list of options.")))
        options = []
    correct = entry.get("correct")
    if not isinstance(correct, list) or not all(isinstance(key, str) for key in correct):
        problems.append(FieldProblem(f"{where}.correct", _("This must be a list of option keys.")))
        correct = []
    return ItemSpec(
        code=_string(entry.get("code"), f"{where}.code", problems),
        kind=kind,
        objective=_string(entry.get("objective"), f"{where}.objective", problems),
        competency=_string(entry.get("competency"), f"{where}.competency", problems),
        parallel_group=_string(
            entry.get("parallel_group", ""), f"{where}.parallel_group", problems, blank=True
        ),
        form_version=_string(entry.get("form_version", ""), f"{where}.form_version", problems, blank=True),
        stem=_localised(entry.get("stem"), f"{where}.stem", problems),
        options=tuple(
            _option(option, f"{where}.options[{index}]", problems) for index, option in enumerate(options)
        ),
        correct=tuple(correct),
    )


def parse_module_content(data: Mapping[str, object]) -> ModuleContent:
    """A module's content from its JSON document. Raises one :class:`DomainError` with a problem for every
    value of the wrong shape, located by its JSON path (e.g. ``sessions[2].key_points.fr[0]``). The
    authoring rules are checked apart, by :func:`check_content`."""
    if not isinstance(data, Mapping):
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("A module's content must be a JSON object with named fields.")
        )
    problems: list[FieldProblem] = []
    module = _string(data.get("module"), "module", problems)
    objectives = tuple(
        _objective(entry, where, problems) for where, entry in _objects(data, "objectives", problems)
    )
    sessions = tuple(
        _session(entry, where, problems) for where, entry in _objects(data, "sessions", problems)
    )
    notes = _localised_list(data.get("practice_notes"), "practice_notes", problems)
    items = tuple(_item(entry, where, problems) for where, entry in _objects(data, "items", problems))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The content of module %(module)s is not valid: %(count)s problem(s) to correct."),
            {"module": module or "?", "count": len(problems)},
            problems=problems,
        )
    return ModuleContent(module, objectives, sessions, notes, items)


# --- Authoring rules ------------------------------------------------------------------------------------


class _Problems(list[str]):
    def add(self, template: str, **params: object) -> None:
        self.append(template % params if params else template)


def _between(count: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= count <= bounds[1]


def _check_texts(where: str, text: Localised, problems: _Problems) -> None:
    if not text.en.strip() or not text.fr.strip():
        problems.add(_("%(where)s: give the text in both English and French."), where=where)


def _check_list(where: str, texts: LocalisedList, bounds: tuple[int, int], problems: _Problems) -> None:
    low, high, count = bounds[0], bounds[1], len(texts.en)
    if not _between(count, bounds):
        template = _("%(where)s: %(count)s in English; there must be %(low)s to %(high)s.")
        problems.add(template, where=where, count=count, low=low, high=high)
    if len(texts.fr) != count:
        template = _("%(where)s: %(en)s in English but %(fr)s in French; translate each one.")
        problems.add(template, where=where, en=count, fr=len(texts.fr))


def _duplicates(codes: list[str]) -> list[str]:
    return sorted(code for code, count in Counter(codes).items() if count > 1)


def _check_objectives(content: ModuleContent, competencies: Collection[str], problems: _Problems) -> None:
    module, count = content.module, len(content.objectives)
    if not _between(count, OBJECTIVES_PER_MODULE):
        problems.add(_("%(module)s: %(count)s learning objectives; give 3 to 5."), module=module, count=count)
    pattern = re.compile(rf"{re.escape(module)}-LO[1-9][0-9]?")
    for objective in content.objectives:
        code = objective.code
        if not pattern.fullmatch(code):
            problems.add(
                _("%(code)s: an objective code reads %(module)s-LO1, -LO2…"), code=code, module=module
            )
        if objective.competency not in competencies:
            template = _("%(code)s: competency %(competency)s is not one of the module's (%(known)s).")
            problems.add(template, code=code, competency=objective.competency, known=", ".join(competencies))
        _check_texts(code, objective.text, problems)
    for code in _duplicates([objective.code for objective in content.objectives]):
        problems.add(_("%(code)s: this objective code is used twice."), code=code)
    tied = {objective.competency for objective in content.objectives}
    for competency in competencies:
        if competency not in tied:
            template = _("%(module)s: no learning objective builds competency %(competency)s.")
            problems.add(template, module=module, competency=competency)


def _check_sessions(content: ModuleContent, duration_days: float, problems: _Problems) -> None:
    module, expected = content.module, teaching_minutes(duration_days)
    if content.minutes != expected:
        template = _(
            "%(module)s: the sessions last %(minutes)s minutes; %(days)s day(s) of teaching is %(expected)s."
        )
        problems.add(
            template, module=module, minutes=content.minutes, days=f"{duration_days:g}", expected=expected
        )
    pattern = re.compile(rf"{re.escape(module)}-S[1-9][0-9]?")
    known = {objective.code for objective in content.objectives}
    covered: set[str] = set()
    for session in content.sessions:
        code = session.code or module
        if not pattern.fullmatch(session.code):
            problems.add(_("%(code)s: a session code reads %(module)s-S1, -S2…"), code=code, module=module)
        if not _between(session.minutes, SESSION_MINUTES):
            template = _("%(code)s: %(minutes)s minutes; a session lasts 45 to 120.")
            problems.add(template, code=code, minutes=session.minutes)
        if not session.objectives:
            problems.add(_("%(code)s: the session covers no learning objective."), code=code)
        for objective_code in session.objectives:
            if objective_code not in known:
                problems.add(
                    _("%(code)s: objective %(objective)s does not exist."),
                    code=code,
                    objective=objective_code,
                )
        covered.update(session.objectives)
        _check_texts(f"{code} title", session.title, problems)
        _check_list(f"{code} key points", session.key_points, KEY_POINTS_PER_SESSION, problems)
        _check_texts(f"{code} exercise", session.exercise, problems)
        _check_texts(f"{code} handout", session.handout, problems)
    for code in _duplicates([session.code for session in content.sessions]):
        problems.add(_("%(code)s: this session code is used twice."), code=code)
    for objective in content.objectives:
        if objective.code not in covered:
            problems.add(_("%(code)s: no session covers this objective."), code=objective.code)


def _check_true_false(item: ItemSpec, problems: _Problems) -> None:
    if tuple(option.key for option in item.options) != TRUE_FALSE_KEYS:
        problems.add(_("%(code)s: a true/false item has the options 'true' then 'false'."), code=item.code)
    for option in item.options:
        labels = TRUE_FALSE_LABELS.get(option.key)
        if labels and (option.label.en, option.label.fr) != labels:
            template = _("%(code)s: option %(key)s must read %(en)s / %(fr)s.")
            problems.add(template, code=item.code, key=option.key, en=labels[0], fr=labels[1])
    if len(item.correct) != 1:
        problems.add(_("%(code)s: a true/false item has exactly one correct key."), code=item.code)


def _check_options(item: ItemSpec, problems: _Problems) -> None:
    keys = [option.key for option in item.options]
    if _duplicates(keys):
        problems.add(_("%(code)s: two options have the same key."), code=item.code)
    for key in item.correct:
        if key not in keys:
            problems.add(_("%(code)s: correct key '%(key)s' is not an option."), code=item.code, key=key)
    if _duplicates(list(item.correct)):
        problems.add(_("%(code)s: a correct key is given twice."), code=item.code)
    for option in item.options:
        _check_texts(f"{item.code} option {option.key}", option.label, problems)
        if any(phrase in f"{option.label.en} {option.label.fr}".lower() for phrase in CATCH_ALL_OPTIONS):
            template = _("%(code)s: option %(key)s is a catch-all; write a real answer instead.")
            problems.add(template, code=item.code, key=option.key)
    if item.kind is ItemKind.TRUE_FALSE:
        _check_true_false(item, problems)
    elif item.kind is ItemKind.MULTIPLE:
        if not 4 <= len(keys) <= 5 or not 2 <= len(item.correct) <= 3:
            template = _("%(code)s: a multiple-response item has 4 or 5 options of which 2 or 3 are correct.")
            problems.add(template, code=item.code)
    elif len(keys) != 4 or len(item.correct) != 1:
        problems.add(_("%(code)s: a single-choice item has 4 options and one correct key."), code=item.code)


def _check_parallel(content: ModuleContent, problems: _Problems) -> None:
    module = content.module
    groups: dict[str, list[ItemSpec]] = {}
    common = 0
    pattern = re.compile(rf"{re.escape(module)}-P[1-9]")
    for item in content.items:
        if not item.parallel_group and not item.form_version:
            common += 1
        elif pattern.fullmatch(item.parallel_group) and item.form_version in ("A", "B"):
            groups.setdefault(item.parallel_group, []).append(item)
        else:
            template = _(
                "%(code)s: a parallel item has a group %(module)s-P1… and version A or B; a common item has neither."
            )
            problems.add(template, code=item.code, module=module)
    if len(groups) != PARALLEL_PAIRS or common != ITEMS_PER_MODULE - 2 * PARALLEL_PAIRS:
        template = _(
            "%(module)s: %(pairs)s parallel groups and %(common)s common items; give 4 pairs and 2 common items."
        )
        problems.add(template, module=module, pairs=len(groups), common=common)
    for group, members in sorted(groups.items()):
        if sorted(item.form_version for item in members) != ["A", "B"]:
            problems.add(
                _("%(group)s: a parallel group holds one item of version A and one of B."), group=group
            )
        if len({item.objective for item in members}) > 1:
            problems.add(_("%(group)s: both versions must test the same objective."), group=group)


def _check_items(content: ModuleContent, competencies: Collection[str], problems: _Problems) -> None:
    module = content.module
    expected = [f"{module}-{number:02d}" for number in range(1, ITEMS_PER_MODULE + 1)]
    codes = [item.code for item in content.items]
    if sorted(codes) != expected:
        template = _("%(module)s: the items must be exactly %(first)s to %(last)s (found %(found)s).")
        problems.add(
            template, module=module, first=expected[0], last=expected[-1], found=", ".join(codes) or "-"
        )
    known = {objective.code for objective in content.objectives}
    for item in content.items:
        if item.objective not in known:
            problems.add(
                _("%(code)s: objective %(objective)s does not exist."),
                code=item.code,
                objective=item.objective,
            )
        if item.competency not in competencies:
            template = _("%(code)s: competency %(competency)s is not one of the module's.")
            problems.add(template, code=item.code, competency=item.competency)
        _check_texts(f"{item.code} question", item.stem, problems)
        _check_options(item, problems)
    kinds = Counter(item.kind for item in content.items)
    if kinds[ItemKind.TRUE_FALSE] < 2 or kinds[ItemKind.MULTIPLE] < 1:
        template = _(
            "%(module)s: give at least 2 true/false items and 1 multiple-response item (found %(tf)s and %(multiple)s)."
        )
        problems.add(
            template, module=module, tf=kinds[ItemKind.TRUE_FALSE], multiple=kinds[ItemKind.MULTIPLE]
        )
    _check_parallel(content, problems)


def check_content(content: ModuleContent, competencies: Collection[str], duration_days: float) -> list[str]:
    """Every breach of the authoring rules, as readable sentences that start with the code at fault (e.g.
    ``"SCR-04: correct key 'e' is not an option."``); empty when the content is fit to teach and test.
    ``competencies`` and ``duration_days`` are the module's in the catalogue."""
    problems = _Problems()
    if not MODULE_CODE.fullmatch(content.module):
        problems.add(_("“%(module)s” is not a module code."), module=content.module)
    _check_objectives(content, competencies, problems)
    _check_sessions(content, duration_days, problems)
    _check_list(
        f"{content.module} practice notes", content.practice_notes, PRACTICE_NOTES_PER_MODULE, problems
    )
    _check_items(content, competencies, problems)
    return list(problems)


# --- Package data ---------------------------------------------------------------------------------------


def _directory() -> Traversable:
    return resources.files("ctip.core.training").joinpath(CONTENT_DIRECTORY)


@cache
def module_content(code: str) -> ModuleContent | None:
    """The content of catalogue module ``code``, or ``None`` when the package has no content for it. Raises
    :class:`DomainError` when the file is not valid JSON of the right shape."""
    if not MODULE_CODE.fullmatch(code):
        return None
    path = _directory().joinpath(f"{code}.json")
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except ValueError as error:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The content file of module %(module)s is not valid JSON: %(error)s."),
            {"module": code, "error": str(error)},
        ) from error
    content = parse_module_content(data)
    if content.module != code:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The content file of module %(module)s says it is for module %(other)s."),
            {"module": code, "other": content.module},
            problems=[FieldProblem("module", _("Write %(module)s here."), {"module": code})],
        )
    return content


def all_module_content() -> dict[str, ModuleContent]:
    """The content of every module that has a content file, by module code (in code order)."""
    directory = _directory()
    codes = sorted(
        entry.name[: -len(".json")] for entry in directory.iterdir() if entry.name.endswith(".json")
    )
    found = {code: module_content(code) for code in codes}
    return {code: content for code, content in found.items() if content is not None}
