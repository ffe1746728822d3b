"""The competency framework of the TNA: the default library, and its spreadsheet form.

The default library (``competencies.json``, package data) holds 48 counter-trafficking competencies in
English and French, from the foundations everyone needs (the definition of trafficking, its signs, the
victim-centred approach, first referral) to the specialised skills of each sector (screening, interviewing,
case management, labour inspection, border checks, financial and digital investigation, prosecution,
adjudication, compensation, data, prevention, private-sector due diligence, coordination, training of
trainers). Each competency says where it sits (pillar of the 4Ps, stage of the response chain), whom it is
for (organisation types; none means everyone) and whether it carries child- or gender-sensitive content.

A workspace edits its own copy and moves it in and out of spreadsheets with :func:`framework_to_rows` and
:func:`framework_from_rows` (columns :data:`FRAMEWORK_COLUMNS`); every problem is reported with the row
and column the user sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib import resources

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import CHAIN_STAGE_LABELS, PILLAR_LABELS, ChainStage, OrganisationType, Pillar
from ctip.core.tna.model import Competency, CompetencyLevel, Text

FRAMEWORK_FILE = "competencies.json"
DEFAULT_COMPETENCY_COUNT = 48
DEFAULT_CODE = re.compile(r"[A-Z]{2}[0-9]{2}")
"""Codes of the default library: two capital letters for the area, two digits (``ID01``)."""
CODE = re.compile(r"[A-Z][A-Z0-9_]*")
"""Codes a workspace may use (after upper-casing): a letter, then letters, digits or ``_``; they become
part of the survey's field names (``imp_ID01``)."""
CODE_MAX_LENGTH = 20
TITLE_MAX_LENGTH = 250

FRAMEWORK_COLUMNS: tuple[str, ...] = (
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
)
REQUIRED_COLUMNS: tuple[str, ...] = ("code", "title_en", "pillar", "chain_stage", "level")
_YES = frozenset({"yes", "y", "true", "1", "oui", "x"})
_NO = frozenset({"no", "n", "false", "0", "non", ""})
_LEVEL_ALIASES = {"specialized": CompetencyLevel.SPECIALISED.value}

# --- The default library -----------------------------------------------------------------------------------


def parse_framework(data: object, *, type_codes: Collection[str] | None = None) -> list[Competency]:
    """The competencies of a framework document (``{"competencies": [...]}``, the shape of the package
    data), checked strictly: codes like ``ID01`` and unique, known pillar, stage, level and organisation-type
    codes, and both languages filled in for titles and descriptions. Raises one :class:`DomainError`
    listing every problem."""
    known_types = set(type_codes) if type_codes is not None else {code.value for code in OrganisationType}
    entries = data.get("competencies") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The competency framework must hold a non-empty list under “competencies”."),
        )
    problems: list[FieldProblem] = []
    competencies: list[Competency] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"competencies[{index}]"
        if not isinstance(entry, dict):
            problems.append(FieldProblem(where, _("Each competency must be an object with named fields.")))
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not DEFAULT_CODE.fullmatch(code):
            problems.append(
                FieldProblem(
                    f"{where}.code",
                    _(
                        "“%(code)s” is not a competency code: use two capital letters and two digits, "
                        "e.g. “ID01”."
                    ),
                    {"code": code},
                )
            )
            code = ""
        elif code in seen:
            problems.append(
                FieldProblem(f"{where}.code", _("The code “%(code)s” is used twice."), {"code": code})
            )
        seen.add(code)
        title = _json_text(entry.get("title"), f"{where}.title", problems)
        description = _json_text(entry.get("description"), f"{where}.description", problems)
        pillar = _json_code(entry.get("pillar"), {p.value for p in Pillar}, f"{where}.pillar", problems)
        stage = _json_code(
            entry.get("chain_stage"), {s.value for s in ChainStage}, f"{where}.chain_stage", problems
        )
        level = _json_code(
            entry.get("level"), {lv.value for lv in CompetencyLevel}, f"{where}.level", problems
        )
        raw_types = entry.get("target_types", [])
        types: list[str] = []
        if not isinstance(raw_types, list):
            problems.append(
                FieldProblem(f"{where}.target_types", _("“target_types” must be a list of codes."))
            )
        else:
            for raw in raw_types:
                types.append(_json_code(raw, known_types, f"{where}.target_types", problems))
        flags = []
        for flag in ("child_sensitive", "gender_sensitive"):
            value = entry.get(flag, False)
            if not isinstance(value, bool):
                problems.append(FieldProblem(f"{where}.{flag}", _("This must be true or false.")))
            flags.append(value is True)
        if level == CompetencyLevel.FOUNDATIONAL and types:
            problems.append(
                FieldProblem(
                    f"{where}.target_types",
                    _("A foundational competency is for everyone: leave its organisation types empty."),
                )
            )
        competencies.append(
            Competency(
                code=code,
                title=title,
                description=description,
                pillar=pillar,
                chain_stage=stage,
                level=CompetencyLevel(level) if level else CompetencyLevel.SPECIALISED,
                target_types=tuple(types),
                child_sensitive=flags[0],
                gender_sensitive=flags[1],
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The competency framework is not valid: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    return competencies


def _json_text(value: object, where: str, problems: list[FieldProblem]) -> Text:
    if isinstance(value, dict):
        english, french = value.get("en"), value.get("fr")
        if isinstance(english, str) and english.strip() and isinstance(french, str) and french.strip():
            return Text(english.strip(), french.strip())
    problems.append(
        FieldProblem(where, _('Give this text in both English and French: {"en": "…", "fr": "…"}.'))
    )
    return Text("")


def _json_code(value: object, known: Collection[str], where: str, problems: list[FieldProblem]) -> str:
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


@cache
def _default() -> tuple[Competency, ...]:
    text = resources.files("ctip.core.tna").joinpath(FRAMEWORK_FILE).read_text("utf-8")
    competencies = parse_framework(json.loads(text))
    if len(competencies) != DEFAULT_COMPETENCY_COUNT:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The default competency framework must hold %(expected)s competencies, not %(found)s."),
            {"expected": DEFAULT_COMPETENCY_COUNT, "found": len(competencies)},
        )
    return tuple(competencies)


def default_framework() -> list[Competency]:
    """The 48 competencies of the default library, in the order of the package data (read and checked
    once)."""
    return list(_default())


# --- Spreadsheet export and import -------------------------------------------------------------------------


def framework_to_rows(competencies: Sequence[Competency]) -> list[list[str]]:
    """One row per competency, in the order of :data:`FRAMEWORK_COLUMNS` (the header is not included):
    organisation types separated by ``;``, flags as ``yes``/``no``. :func:`framework_from_rows` reads
    them back unchanged."""
    return [
        [
            competency.code,
            competency.title.en,
            competency.title.fr,
            competency.description.en,
            competency.description.fr,
            competency.pillar,
            competency.chain_stage,
            competency.level.value,
            "; ".join(competency.target_types),
            "yes" if competency.child_sensitive else "no",
            "yes" if competency.gender_sensitive else "no",
        ]
        for competency in competencies
    ]


def framework_from_rows(
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    type_codes: Collection[str] | None = None,
) -> list[Competency]:
    """Competencies from spreadsheet rows ``(row number, normalised column name → text)`` (the shape of
    ``Table.numbered_rows()``), or one :class:`DomainError` listing every problem with its row and column.

    ``type_codes`` are the workspace's organisation-type codes (the built-in :class:`OrganisationType`
    codes by default). Codes are upper-cased; pillars and stages may be given as codes or English names;
    empty rows are skipped. French texts may be left empty (they fall back to English)."""
    known_types = (
        {code.lower() for code in type_codes}
        if type_codes is not None
        else {code.value for code in OrganisationType}
    )
    present: set[str] = set()
    for _number, values in rows:
        present.update(values)
    problems = [
        FieldProblem(
            "header",
            _("The column “%(column)s” is missing. Add it to the header row, spelt as in the template."),
            {"column": column},
        )
        for column in REQUIRED_COLUMNS
        if rows and column not in present
    ]
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The competency file lacks required columns."),
            problems=problems,
        )
    competencies: list[Competency] = []
    first_row_of: dict[str, int] = {}
    for number, values in rows:
        if not any(value.strip() for value in values.values()):
            continue
        code = values.get("code", "").strip().upper()
        competency = _row_competency(number, values, known_types, problems)
        if code and code in first_row_of:
            problems.append(
                FieldProblem(
                    _cell(number, "code"),
                    _(
                        "The code “%(code)s” is already used on row %(first)s: give each competency its own code."
                    ),
                    {"code": code, "first": first_row_of[code]},
                )
            )
            continue
        first_row_of.setdefault(code, number)
        if competency is not None:
            competencies.append(competency)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "The competency file has %(count)s problem(s); nothing was imported. Correct them and try again."
            ),
            {"count": len(problems)},
            problems=problems,
        )
    if not competencies:
        raise DomainError(ErrorCode.REQUIRED, _("The competency file lists no competencies."))
    return competencies


def _cell(number: int, column: str) -> str:
    return f"row {number}, column “{column}”"


def _row_competency(
    number: int, values: Mapping[str, str], known_types: Collection[str], problems: list[FieldProblem]
) -> Competency | None:
    before = len(problems)

    def value(column: str) -> str:
        return values.get(column, "").strip()

    code = value("code").upper()
    if not code:
        problems.append(FieldProblem(_cell(number, "code"), _("Give the competency a code, e.g. “ID01”.")))
    elif not CODE.fullmatch(code) or len(code) > CODE_MAX_LENGTH:
        problems.append(
            FieldProblem(
                _cell(number, "code"),
                _(
                    "“%(code)s” is not a usable code: start with a letter and use only letters, digits and "
                    "“_”, at most %(max)s characters (e.g. “ID01”)."
                ),
                {"code": value("code"), "max": CODE_MAX_LENGTH},
            )
        )
    for column in ("title_en", "title_fr"):
        if len(value(column)) > TITLE_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    _cell(number, column),
                    _("The title is %(length)s characters long; shorten it to %(max)s at most."),
                    {"length": len(value(column)), "max": TITLE_MAX_LENGTH},
                )
            )
    if not value("title_en"):
        problems.append(FieldProblem(_cell(number, "title_en"), _("Give the competency a title in English.")))
    pillar = _choice(
        number, "pillar", value("pillar"), {p.value: label for p, label in PILLAR_LABELS.items()}, problems
    )
    stage = _choice(
        number,
        "chain_stage",
        value("chain_stage"),
        {s.value: label for s, label in CHAIN_STAGE_LABELS.items()},
        problems,
    )
    level_text = _LEVEL_ALIASES.get(value("level").lower(), value("level").lower())
    level = _choice(number, "level", level_text, {lv.value: lv.value for lv in CompetencyLevel}, problems)
    types: list[str] = []
    for raw in re.split(r"[;,]", value("target_types")):
        code_type = raw.strip().lower().replace(" ", "_")
        if not code_type:
            continue
        if code_type not in known_types:
            problems.append(
                FieldProblem(
                    _cell(number, "target_types"),
                    _(
                        "“%(value)s” is not an organisation type: use codes from the list (%(known)s), "
                        "separated by “;”."
                    ),
                    {"value": raw.strip(), "known": ", ".join(sorted(known_types))},
                )
            )
        elif code_type not in types:
            types.append(code_type)
    flags = [
        _flag(number, column, value(column), problems) for column in ("child_sensitive", "gender_sensitive")
    ]
    if len(problems) > before:
        return None
    return Competency(
        code=code,
        title=Text(value("title_en"), value("title_fr")),
        description=Text(value("description_en"), value("description_fr")),
        pillar=pillar,
        chain_stage=stage,
        level=CompetencyLevel(level),
        target_types=tuple(types),
        child_sensitive=flags[0],
        gender_sensitive=flags[1],
    )


def _choice(
    number: int, column: str, text: str, labels: Mapping[str, str], problems: list[FieldProblem]
) -> str:
    wanted = text.strip().lower().replace(" ", "_").replace("-", "_")
    for code, label in labels.items():
        if wanted in (code, label.lower().replace(" ", "_").replace("-", "_")):
            return code
    problems.append(
        FieldProblem(
            _cell(number, column),
            _("“%(value)s” is not allowed here: use one of %(known)s.")
            if text
            else _("This cell is empty: use one of %(known)s."),
            {"value": text, "known": ", ".join(labels)},
        )
    )
    return ""


def _flag(number: int, column: str, text: str, problems: list[FieldProblem]) -> bool:
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    problems.append(FieldProblem(_cell(number, column), _("“%(value)s” is not yes or no."), {"value": text}))
    return False
