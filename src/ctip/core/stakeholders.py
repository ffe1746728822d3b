"""Stakeholder mapping: the code lists, and the rules for one imported organisation row.

A national counter-trafficking response involves many organisations: ministries, police units, prosecutors,
labour inspectors, shelters, international organisations. The stakeholder map records, for each one, what it
is (type, sector, level, location, parent body), where it acts (the 4Ps pillars and the stages of the
response chain), how many staff it has (by sex, and how many are frontline: those who may meet a victim),
and its influence on and interest in the response (1–5, for the power/interest grid).

Organisation types follow the HTCDS organisation-type code list (UNMigration/HTCDS, the Human Trafficking
Case Data Standard: ngo, law_enforcement, health_service, central_government, local_government,
immigration_service, legal_service, corporate_business), extended with the other actors of a national
response (international organisations, the judiciary, labour inspection, social and child protection,
media, academia). A workspace may edit its list, so the row parser takes the allowed type codes as an
argument.

Rows come from a spreadsheet (see ``ctip.formats.tabular.read_table``) as ``(row number, column → text)``;
:func:`parse_organisation_rows` checks every cell and reports every problem with the row and column the
user sees, in the form ``row 4, column “staff_total”``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

CodeT = TypeVar("CodeT", bound=StrEnum)

# --- Code lists ----------------------------------------------------------------------------------------


class OrganisationType(StrEnum):
    NGO = "ngo"
    LAW_ENFORCEMENT = "law_enforcement"
    HEALTH_SERVICE = "health_service"
    CENTRAL_GOVERNMENT = "central_government"
    LOCAL_GOVERNMENT = "local_government"
    IMMIGRATION_SERVICE = "immigration_service"
    LEGAL_SERVICE = "legal_service"
    CORPORATE_BUSINESS = "corporate_business"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    JUDICIARY = "judiciary"
    LABOUR_INSPECTION = "labour_inspection"
    SOCIAL_CHILD_PROTECTION = "social_child_protection"
    MEDIA = "media"
    ACADEMIA = "academia"


ORGANISATION_TYPE_LABELS: dict[OrganisationType, str] = {
    OrganisationType.NGO: _("Non-governmental organisation"),
    OrganisationType.LAW_ENFORCEMENT: _("Law enforcement"),
    OrganisationType.HEALTH_SERVICE: _("Health service"),
    OrganisationType.CENTRAL_GOVERNMENT: _("Central government"),
    OrganisationType.LOCAL_GOVERNMENT: _("Local government"),
    OrganisationType.IMMIGRATION_SERVICE: _("Immigration service"),
    OrganisationType.LEGAL_SERVICE: _("Legal service"),
    OrganisationType.CORPORATE_BUSINESS: _("Corporate business"),
    OrganisationType.INTERNATIONAL_ORGANISATION: _("International organisation"),
    OrganisationType.JUDICIARY: _("Judiciary and prosecution"),
    OrganisationType.LABOUR_INSPECTION: _("Labour inspection"),
    OrganisationType.SOCIAL_CHILD_PROTECTION: _("Social and child protection"),
    OrganisationType.MEDIA: _("Media"),
    OrganisationType.ACADEMIA: _("Academia and research"),
}


class Sector(StrEnum):
    GOVERNMENT = "government"
    PRIVATE = "private"
    CIVIL_SOCIETY = "civil_society"
    INTERNATIONAL = "international"


SECTOR_LABELS: dict[Sector, str] = {
    Sector.GOVERNMENT: _("Government"),
    Sector.PRIVATE: _("Private sector"),
    Sector.CIVIL_SOCIETY: _("Civil society"),
    Sector.INTERNATIONAL: _("International"),
}


class Level(StrEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    LOCAL = "local"


LEVEL_LABELS: dict[Level, str] = {
    Level.NATIONAL: _("National"),
    Level.REGIONAL: _("Regional"),
    Level.LOCAL: _("Local"),
}


class Pillar(StrEnum):
    """The 4Ps of every national counter-trafficking response."""

    PREVENTION = "prevention"
    PROTECTION = "protection"
    PROSECUTION = "prosecution"
    PARTNERSHIP = "partnership"


PILLAR_LABELS: dict[Pillar, str] = {
    Pillar.PREVENTION: _("Prevention"),
    Pillar.PROTECTION: _("Protection"),
    Pillar.PROSECUTION: _("Prosecution"),
    Pillar.PARTNERSHIP: _("Partnership"),
}


class ChainStage(StrEnum):
    """The stages a case passes through, plus prevention and coordination."""

    IDENTIFICATION = "identification"
    REFERRAL = "referral"
    PROTECTION_ASSISTANCE = "protection_assistance"
    INVESTIGATION = "investigation"
    PROSECUTION = "prosecution"
    ADJUDICATION = "adjudication"
    PREVENTION = "prevention"
    COORDINATION = "coordination"


CHAIN_STAGE_LABELS: dict[ChainStage, str] = {
    ChainStage.IDENTIFICATION: _("Identification"),
    ChainStage.REFERRAL: _("Referral"),
    ChainStage.PROTECTION_ASSISTANCE: _("Protection and assistance"),
    ChainStage.INVESTIGATION: _("Investigation"),
    ChainStage.PROSECUTION: _("Prosecution"),
    ChainStage.ADJUDICATION: _("Adjudication"),
    ChainStage.PREVENTION: _("Prevention"),
    ChainStage.COORDINATION: _("Coordination"),
}


class RelationKind(StrEnum):
    """A directed link between two organisations on the map."""

    REFERS_CASES_TO = "refers_cases_to"
    COORDINATES_WITH = "coordinates_with"
    FUNDS = "funds"


RELATION_KIND_LABELS: dict[RelationKind, str] = {
    RelationKind.REFERS_CASES_TO: _("Refers cases to"),
    RelationKind.COORDINATES_WITH: _("Coordinates with"),
    RelationKind.FUNDS: _("Funds"),
}

SCORE_MIN = 1
SCORE_MAX = 5
"""Influence and interest are scored 1 (lowest) to 5 (highest)."""

NAME_MAX_LENGTH = 250
ACRONYM_MAX_LENGTH = 40
KEY_MAX_LENGTH = 60
LOCATION_MAX_LENGTH = 100
MAX_PROBLEMS = 50
"""How many problems :meth:`ParseResult.raise_for_problems` lists (all of them are counted)."""


# --- Records and columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRecord:
    """One organisation, as read from an import row.

    ``key`` identifies it within the import (the ``id`` column, or else the acronym); ``parent`` is the key
    of its parent body (resolved to that row's key when the file names it by acronym) or ``""``. ``type``
    is a code of the workspace's organisation-type list (see :class:`OrganisationType` for the defaults).
    ``staff_total`` is women + men when the file leaves it empty and gives both.
    """

    key: str
    name: str
    acronym: str = ""
    type: str = ""
    sector: Sector | None = None
    level: Level | None = None
    location: str = ""
    parent: str = ""
    pillars: tuple[Pillar, ...] = ()
    chain_stages: tuple[ChainStage, ...] = ()
    mandate: str = ""
    staff_women: int | None = None
    staff_men: int | None = None
    staff_total: int | None = None
    frontline_women: int | None = None
    frontline_men: int | None = None
    staff_as_of: dt.date | None = None
    influence: int | None = None
    interest: int | None = None
    is_demo_figure: bool = False


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the import template. ``multiple``: several codes separated by ``;`` or ``,``."""

    name: str
    required: bool
    description: str
    example: str
    choices: tuple[str, ...] = ()
    multiple: bool = False


STAKEHOLDER_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "id",
        False,
        _(
            "A short unique key for the organisation, used by the “parent” column and by later imports. "
            "Leave empty to use the acronym."
        ),
        "MPF-TIP",
    ),
    ColumnSpec("name", True, _("The organisation's full name."), "Police Anti-Trafficking Unit"),
    ColumnSpec("acronym", False, _("Its usual abbreviation; it is the key when “id” is empty."), "ATU"),
    ColumnSpec(
        "type",
        True,
        _("Organisation type: one code from the list (the English name is accepted too)."),
        OrganisationType.LAW_ENFORCEMENT.value,
        tuple(code.value for code in OrganisationType),
    ),
    ColumnSpec(
        "sector",
        False,
        _("Sector: government, private, civil_society or international."),
        Sector.GOVERNMENT.value,
        tuple(code.value for code in Sector),
    ),
    ColumnSpec(
        "level",
        False,
        _("Where it acts: national, regional or local."),
        Level.NATIONAL.value,
        tuple(code.value for code in Level),
    ),
    ColumnSpec("location", False, _("Town, district or island of its main office."), "Port Louis"),
    ColumnSpec(
        "parent",
        False,
        _(
            "The id or acronym of the body it belongs to (a row of this file or an organisation already mapped)."
        ),
        "MPF",
    ),
    ColumnSpec(
        "pillars",
        False,
        _("The 4Ps it works on, separated by “;”: prevention, protection, prosecution, partnership."),
        "prosecution; protection",
        tuple(code.value for code in Pillar),
        multiple=True,
    ),
    ColumnSpec(
        "chain_stages",
        False,
        _("The stages of the response chain it acts in, separated by “;”."),
        "identification; investigation",
        tuple(code.value for code in ChainStage),
        multiple=True,
    ),
    ColumnSpec("mandate", False, _("Its counter-trafficking mandate, in a sentence or two."), ""),
    ColumnSpec("staff_women", False, _("Number of women on its staff (whole number)."), "8"),
    ColumnSpec("staff_men", False, _("Number of men on its staff (whole number)."), "16"),
    ColumnSpec(
        "staff_total",
        False,
        _("Total staff; at least women + men. Left empty, it is women + men."),
        "24",
    ),
    ColumnSpec(
        "frontline_women",
        False,
        _("Women on its staff who may meet victims (frontline); no more than the women on its staff."),
        "5",
    ),
    ColumnSpec(
        "frontline_men",
        False,
        _("Men on its staff who may meet victims (frontline); no more than the men on its staff."),
        "12",
    ),
    ColumnSpec(
        "staff_as_of",
        False,
        _("Date of the staff figures: yyyy-mm-dd or dd/mm/yyyy."),
        "2024-06-30",
    ),
    ColumnSpec(
        "influence",
        False,
        _("Its influence on the national response, from 1 (lowest) to 5 (highest)."),
        "4",
        tuple(str(score) for score in range(SCORE_MIN, SCORE_MAX + 1)),
    ),
    ColumnSpec(
        "interest",
        False,
        _("Its interest in the national response, from 1 (lowest) to 5 (highest)."),
        "5",
        tuple(str(score) for score in range(SCORE_MIN, SCORE_MAX + 1)),
    ),
    ColumnSpec(
        "figures_fictional",
        False,
        _("“yes” when the staff figures are invented (demonstration data), otherwise “no” or empty."),
        "no",
        ("yes", "no"),
    ),
)

STAKEHOLDER_COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in STAKEHOLDER_COLUMNS)
_COLUMN_ORDER = {name: index for index, name in enumerate(STAKEHOLDER_COLUMN_NAMES)}
_COUNT_COLUMNS = ("staff_women", "staff_men", "staff_total", "frontline_women", "frontline_men")


def organisation_template_rows() -> list[list[str]]:
    """Two fictional example rows, in the order of :data:`STAKEHOLDER_COLUMNS`, that import cleanly."""
    examples = (
        {
            "id": "ATU",
            "name": "Police Anti-Trafficking Unit (example)",
            "acronym": "ATU",
            "type": OrganisationType.LAW_ENFORCEMENT.value,
            "sector": Sector.GOVERNMENT.value,
            "level": Level.NATIONAL.value,
            "location": "Port Louis",
            "parent": "",
            "pillars": "prosecution; protection",
            "chain_stages": "identification; referral; investigation",
            "mandate": "Investigates trafficking cases and refers identified victims to protection services.",
            "staff_women": "8",
            "staff_men": "16",
            "staff_total": "24",
            "frontline_women": "5",
            "frontline_men": "12",
            "staff_as_of": "2024-06-30",
            "influence": "4",
            "interest": "5",
            "figures_fictional": "yes",
        },
        {
            "id": "SHELTER-N",
            "name": "Safe Haven Shelter (example)",
            "acronym": "SHS",
            "type": OrganisationType.NGO.value,
            "sector": Sector.CIVIL_SOCIETY.value,
            "level": Level.LOCAL.value,
            "location": "Grand Baie",
            "parent": "",
            "pillars": "protection; prevention",
            "chain_stages": "protection_assistance; referral",
            "mandate": "Runs a shelter for women and girls and gives psychosocial support.",
            "staff_women": "6",
            "staff_men": "2",
            "staff_total": "",
            "frontline_women": "6",
            "frontline_men": "1",
            "staff_as_of": "30/06/2024",
            "influence": "2",
            "interest": "5",
            "figures_fictional": "yes",
        },
    )
    return [[example[name] for name in STAKEHOLDER_COLUMN_NAMES] for example in examples]


# --- Parsing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseResult:
    """``records``: the rows that passed every check, in file order (none when a required column is
    missing). ``problems``: every problem found, header first, then by row and column. An import should
    save nothing while there is a problem: see :meth:`raise_for_problems`."""

    records: tuple[OrganisationRecord, ...]
    problems: tuple[FieldProblem, ...] = field(default_factory=tuple)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise one :class:`DomainError` listing the problems (the first :data:`MAX_PROBLEMS`), if any."""
        if not self.problems:
            return
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "The organisations were not imported. Problems found: %(count)s (the first %(shown)s are "
                "listed with their row and column). Correct them in the spreadsheet and upload it again."
            ),
            {"count": len(self.problems), "shown": min(len(self.problems), MAX_PROBLEMS)},
            problems=list(self.problems[:MAX_PROBLEMS]),
        )


def cell_location(row: int, column: str) -> str:
    """``row 4, column “staff_total”``: where a problem is, as the user sees it."""
    return f"row {row}, column “{column}”"


@dataclass
class _RowProblems:
    row: int
    found: list[tuple[int, FieldProblem]] = field(default_factory=list)

    def add(self, column: str, template: str, params: Mapping[str, object] | None = None) -> None:
        problem = FieldProblem(cell_location(self.row, column), template, dict(params or {}))
        self.found.append((_COLUMN_ORDER.get(column, len(_COLUMN_ORDER)), problem))


@dataclass
class _Draft:
    row: int
    record: OrganisationRecord
    key_column: str
    problems: _RowProblems


def parse_organisation_rows(
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    type_codes: Collection[str],
    known_keys: Collection[str] = (),
) -> ParseResult:
    """Check imported organisation rows and turn the valid ones into :class:`OrganisationRecord` objects.

    ``rows`` are ``(spreadsheet row number, normalised column name → text)``. ``type_codes`` are the
    workspace's organisation-type codes; pass a mapping ``code → label`` to accept the labels as well
    (the English labels of the built-in :class:`OrganisationType` codes are always accepted).
    ``known_keys`` are the ids/acronyms of organisations already in the workspace, which ``parent`` may
    name besides the rows of the file. Codes and keys are compared ignoring case.
    """
    header_problems: list[FieldProblem] = []
    present: set[str] = set()
    for _number, values in rows:
        present.update(values)
    if rows:
        for column in STAKEHOLDER_COLUMNS:
            if column.required and column.name not in present:
                header_problems.append(
                    FieldProblem(
                        "header",
                        _(
                            "The column “%(column)s” is missing. Add it to the header row, spelt as in the "
                            "template, and fill it in for every organisation."
                        ),
                        {"column": column.name},
                    )
                )
        if "id" not in present and "acronym" not in present:
            header_problems.append(
                FieldProblem(
                    "header",
                    _(
                        "The file has neither an “id” nor an “acronym” column, so its organisations cannot be "
                        "told apart. Add one of these columns to the header row and fill it in."
                    ),
                )
            )

    type_lookup = _type_lookup(type_codes)
    drafts = [_parse_row(number, values, present, type_lookup) for number, values in rows]

    first_row_of: dict[str, _Draft] = {}
    for draft in drafts:
        key = draft.record.key.casefold()
        if not key:
            continue
        first = first_row_of.get(key)
        if first is None:
            first_row_of[key] = draft
        else:
            draft.problems.add(
                draft.key_column,
                _(
                    "“%(key)s” is already the key of row %(first_row)s. Each organisation needs its own id "
                    "(or acronym, when the id is empty): change one of the two."
                ),
                {"key": draft.record.key, "first_row": first.row},
            )
    by_acronym: dict[str, _Draft] = {}
    for draft in drafts:
        acronym = draft.record.acronym.casefold()
        if acronym and acronym not in first_row_of:
            by_acronym.setdefault(acronym, draft)
    known = {key.strip().casefold(): key.strip() for key in known_keys if key.strip()}

    resolved: list[OrganisationRecord] = []
    for draft in drafts:
        record = draft.record
        parent = record.parent
        if parent:
            wanted = parent.casefold()
            target = first_row_of.get(wanted) or by_acronym.get(wanted)
            if target is draft:
                draft.problems.add(
                    "parent",
                    _(
                        "An organisation cannot be its own parent. Type the id or acronym of the body it "
                        "belongs to, or leave the cell empty."
                    ),
                )
            elif target is not None:
                parent = target.record.key
            elif wanted in known:
                parent = known[wanted]
            else:
                draft.problems.add(
                    "parent",
                    _(
                        "“%(value)s” is not the id or acronym of any organisation in this file or already "
                        "in the workspace. Type the parent's id or acronym exactly, add the parent as a row, "
                        "or leave the cell empty."
                    ),
                    {"value": record.parent},
                )
        resolved.append(_replace_parent(record, parent))

    _check_parent_loops(drafts, resolved)

    problems = list(header_problems)
    records: list[OrganisationRecord] = []
    for draft, record in zip(drafts, resolved, strict=True):
        if draft.problems.found:
            problems.extend(problem for _order, problem in sorted(draft.problems.found, key=lambda p: p[0]))
        elif not header_problems:
            records.append(record)
    return ParseResult(records=tuple(records), problems=tuple(problems))


def _replace_parent(record: OrganisationRecord, parent: str) -> OrganisationRecord:
    if parent == record.parent:
        return record
    return replace(record, parent=parent)


def _check_parent_loops(drafts: Sequence[_Draft], records: Sequence[OrganisationRecord]) -> None:
    """Flag every row whose parent chain comes back to it (A → B → A). Self-parents are flagged elsewhere."""
    parent_of: dict[str, str] = {}
    name_of: dict[str, str] = {}
    for record in records:
        if record.key:
            parent_of.setdefault(record.key.casefold(), record.parent.casefold())
            name_of.setdefault(record.key.casefold(), record.key)
    for draft, record in zip(drafts, records, strict=True):
        start = record.key.casefold()
        if not start or not record.parent or record.parent.casefold() == start:
            continue
        chain = [record.key]
        seen = {start}
        step = parent_of.get(start, "")
        while step and step not in seen:
            seen.add(step)
            chain.append(name_of.get(step, step))
            step = parent_of.get(step, "")
        if step == start:
            chain.append(record.key)
            draft.problems.add(
                "parent",
                _(
                    "The parent chain loops back to this organisation (%(chain)s). Correct the “parent” "
                    "column so that the chain ends at an organisation without a parent."
                ),
                {"chain": " → ".join(chain)},
            )


def _type_lookup(type_codes: Collection[str]) -> dict[str, str]:
    """Accepted spellings (folded) → code: each code, its English label, and the labels given."""
    lookup = {_fold(code): code for code in type_codes}  # a code wins over another code's label
    for code in type_codes:
        builtin = _builtin_type(code)
        if builtin is not None:
            lookup.setdefault(_fold(ORGANISATION_TYPE_LABELS[builtin]), code)
        if isinstance(type_codes, Mapping):
            label = type_codes[code]
            if isinstance(label, str) and label.strip():
                lookup.setdefault(_fold(label), code)
    return lookup


def _builtin_type(code: str) -> OrganisationType | None:
    try:
        return OrganisationType(code)
    except ValueError:
        return None


def _fold(text: str) -> str:
    """Case, spaces, hyphens and underscores do not matter when matching a code or a label."""
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold()).strip("_")


def _parse_row(
    number: int, raw: Mapping[str, str], present: set[str], type_lookup: Mapping[str, str]
) -> _Draft:
    problems = _RowProblems(number)
    values = {name: (raw.get(name) or "").strip() for name in STAKEHOLDER_COLUMN_NAMES}

    for spec in STAKEHOLDER_COLUMNS:
        if spec.required and spec.name in present and not values[spec.name]:
            problems.add(
                spec.name,
                _(
                    "This cell is empty, but every organisation needs a “%(column)s”. Fill it in (for "
                    "example “%(example)s”) or delete the row."
                ),
                {"column": spec.name, "example": spec.example},
            )

    key_column = "id" if values["id"] else "acronym"
    key = values["id"] or values["acronym"]
    if not key and ("id" in present or "acronym" in present):
        problems.add(
            "id" if "id" in present else "acronym",
            _(
                "This organisation has neither an id nor an acronym. Fill in one of them: it is the key by "
                "which other rows (the “parent” column) and later imports find the organisation."
            ),
        )
    for column, limit in (
        ("id", KEY_MAX_LENGTH),
        ("name", NAME_MAX_LENGTH),
        ("acronym", ACRONYM_MAX_LENGTH),
        ("location", LOCATION_MAX_LENGTH),
        ("parent", KEY_MAX_LENGTH),
    ):
        if len(values[column]) > limit:
            problems.add(
                column,
                _("This text is %(length)s characters long; shorten it to %(limit)s characters at most."),
                {"length": len(values[column]), "limit": limit},
            )

    organisation_type = ""
    if values["type"]:
        organisation_type = type_lookup.get(_fold(values["type"]), "")
        if not organisation_type:
            problems.add(
                "type",
                _(
                    "“%(value)s” is not one of this workspace's organisation types. Use one of these codes "
                    "(or its English name): %(codes)s."
                ),
                {"value": values["type"], "codes": ", ".join(sorted(set(type_lookup.values())))},
            )
    sector = _one_code(problems, "sector", values["sector"], Sector, SECTOR_LABELS)
    level = _one_code(problems, "level", values["level"], Level, LEVEL_LABELS)
    pillars = _several_codes(problems, "pillars", values["pillars"], Pillar, PILLAR_LABELS)
    chain_stages = _several_codes(
        problems, "chain_stages", values["chain_stages"], ChainStage, CHAIN_STAGE_LABELS
    )

    counts = {column: _count(problems, column, values[column]) for column in _COUNT_COLUMNS}
    staff_total = _staff_total(problems, counts)
    _check_frontline(problems, counts, staff_total)
    staff_as_of = _date(problems, "staff_as_of", values["staff_as_of"])
    influence = _score(problems, "influence", values["influence"])
    interest = _score(problems, "interest", values["interest"])
    is_demo_figure = _yes_no(problems, "figures_fictional", values["figures_fictional"])

    record = OrganisationRecord(
        key=key,
        name=" ".join(values["name"].split()),
        acronym=values["acronym"],
        type=organisation_type,
        sector=sector,
        level=level,
        location=values["location"],
        parent=values["parent"],
        pillars=pillars,
        chain_stages=chain_stages,
        mandate=values["mandate"],
        staff_women=counts["staff_women"],
        staff_men=counts["staff_men"],
        staff_total=staff_total,
        frontline_women=counts["frontline_women"],
        frontline_men=counts["frontline_men"],
        staff_as_of=staff_as_of,
        influence=influence,
        interest=interest,
        is_demo_figure=is_demo_figure,
    )
    return _Draft(row=number, record=record, key_column=key_column, problems=problems)


def _code_lookup(codes: type[CodeT], labels: Mapping[CodeT, str]) -> dict[str, CodeT]:
    lookup: dict[str, CodeT] = {}
    for code in codes:
        lookup[_fold(code.value)] = code
        lookup.setdefault(_fold(labels[code]), code)
    return lookup


def _one_code(
    problems: _RowProblems, column: str, text: str, codes: type[CodeT], labels: Mapping[CodeT, str]
) -> CodeT | None:
    if not text:
        return None
    code = _code_lookup(codes, labels).get(_fold(text))
    if code is None:
        problems.add(
            column,
            _(
                "“%(value)s” is not a valid %(column)s. Use one of these codes (or its English name): %(codes)s."
            ),
            {"value": text, "column": column, "codes": ", ".join(code.value for code in codes)},
        )
    return code


def _several_codes(
    problems: _RowProblems, column: str, text: str, codes: type[CodeT], labels: Mapping[CodeT, str]
) -> tuple[CodeT, ...]:
    lookup = _code_lookup(codes, labels)
    found: list[CodeT] = []
    unknown: list[str] = []
    for piece in re.split(r"[;,]", text):
        if not piece.strip():
            continue
        code = lookup.get(_fold(piece))
        if code is None:
            unknown.append(piece.strip())
        elif code not in found:
            found.append(code)
    if unknown:
        problems.add(
            column,
            _(
                "Not valid in “%(column)s”: %(values)s. Use one or more of these codes (or their English "
                "names), separated by “;”: %(codes)s."
            ),
            {
                "column": column,
                "values": ", ".join(f"“{value}”" for value in unknown),
                "codes": ", ".join(code.value for code in codes),
            },
        )
    return tuple(found)


_WHOLE_NUMBER = re.compile(r"^[+-]?\d{1,12}(?:\.0+)?$")
# 1,200 / 1 200 (also with the narrow or non-breaking spaces that French number formatting inserts).
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f ]\d{3}){1,3}$")


def _count(problems: _RowProblems, column: str, text: str) -> int | None:
    if not text:
        return None
    if _GROUPED_NUMBER.match(text):
        return int(re.sub(r"\D", "", text))
    if not _WHOLE_NUMBER.match(text):
        problems.add(
            column,
            _(
                "“%(value)s” is not a whole number. Type the number of people in digits, for example 12, or "
                "leave the cell empty if it is not known."
            ),
            {"value": text},
        )
        return None
    value = int(text.split(".")[0])
    if value < 0:
        problems.add(
            column,
            _("%(value)s is negative. Type the number of people (0 or more), or leave the cell empty."),
            {"value": text},
        )
        return None
    return value


def _staff_total(problems: _RowProblems, counts: Mapping[str, int | None]) -> int | None:
    women, men, total = counts["staff_women"], counts["staff_men"], counts["staff_total"]
    if total is None:
        return women + men if women is not None and men is not None else None
    by_sex = [value for value in (women, men) if value is not None]
    if by_sex and sum(by_sex) > total:
        if len(by_sex) == 2:
            problems.add(
                "staff_total",
                _(
                    "The total staff (%(total)s) is less than women plus men (%(women)s + %(men)s = %(sum)s). "
                    "Correct the total or the figures by sex (the total may be larger, when some staff are "
                    "not counted by sex, but not smaller)."
                ),
                {"total": total, "women": women, "men": men, "sum": sum(by_sex)},
            )
        else:
            column = "staff_women" if women is not None else "staff_men"
            problems.add(
                "staff_total",
                _(
                    "The total staff (%(total)s) is less than “%(column)s” (%(value)s). Correct the total or "
                    "the figure by sex."
                ),
                {"total": total, "column": column, "value": by_sex[0]},
            )
    return total


def _check_frontline(
    problems: _RowProblems, counts: Mapping[str, int | None], staff_total: int | None
) -> None:
    for frontline_column, staff_column in (
        ("frontline_women", "staff_women"),
        ("frontline_men", "staff_men"),
    ):
        frontline, staff = counts[frontline_column], counts[staff_column]
        if frontline is not None and staff is not None and frontline > staff:
            problems.add(
                frontline_column,
                _(
                    "%(frontline)s frontline staff is more than the %(staff)s in “%(staff_column)s”. Frontline "
                    "staff are part of the staff: correct one of the two figures."
                ),
                {"frontline": frontline, "staff": staff, "staff_column": staff_column},
            )
    frontline_women, frontline_men = counts["frontline_women"], counts["frontline_men"]
    frontline_total = (frontline_women or 0) + (frontline_men or 0)
    if staff_total is not None and frontline_total > staff_total:
        problems.add(
            "frontline_women" if frontline_women is not None else "frontline_men",
            _(
                "The frontline staff (%(frontline)s) are more than the total staff (%(total)s). Frontline staff "
                "are part of the staff: correct the frontline figures or the total."
            ),
            {"frontline": frontline_total, "total": staff_total},
        )


_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(problems: _RowProblems, column: str, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        match = _DAY_FIRST.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    problems.add(
        column,
        _(
            "“%(value)s” is not a date. Type it as yyyy-mm-dd (for example 2024-06-30) or dd/mm/yyyy (for "
            "example 30/06/2024)."
        ),
        {"value": text},
    )
    return None


def _score(problems: _RowProblems, column: str, text: str) -> int | None:
    if not text:
        return None
    value = int(text.split(".")[0]) if _WHOLE_NUMBER.match(text) else None
    if value is None or not SCORE_MIN <= value <= SCORE_MAX:
        problems.add(
            column,
            _(
                "“%(value)s” is not a score from %(low)s to %(high)s. Type a whole number from %(low)s "
                "(lowest) to %(high)s (highest), or leave the cell empty."
            ),
            {"value": text, "low": SCORE_MIN, "high": SCORE_MAX},
        )
        return None
    return value


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})


def _yes_no(problems: _RowProblems, column: str, text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded not in _NO:
        problems.add(
            column,
            _(
                "“%(value)s” is not yes or no. Type “yes” when the staff figures are invented (demonstration "
                "data), “no” or nothing when they are real."
            ),
            {"value": text},
        )
    return False
