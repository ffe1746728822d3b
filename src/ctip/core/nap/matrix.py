"""Reading an existing NAP draft: an implementation matrix (one activity per row) through a column mapping.

The steps, all pure: :func:`suggest_mapping` proposes which column holds which field from the header
(English and French, case and accents ignored); :func:`check_mapping` refuses a mapping the importer
cannot use; :func:`parse_matrix` reads every row (merged cells read as blanks meaning "same as above"),
reports each bad cell by row and column, builds the hierarchy (objectives → outcomes → outputs →
activities, indicators attached), generates codes, reads budgets as decimals with their currency and
timeframes as quarter spans within the plan period, and matches lead and partner agencies to the registry
with "did you mean" suggestions. Nothing is raised for bad rows: the preview lists them and the web layer
decides (all or nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.nap.matrix_tree import (
    INDICATOR_LEVELS,
    LEVELS,
    Level,
    MatrixActivity,
    MatrixIndicator,
    MatrixNode,
    MatrixRow,
    MatrixSummary,
    UnmatchedAgency,
    build_tree,
    same_text,
    split_code,
    summarise,
)
from ctip.core.nap.matrix_values import (
    AgencyMatch,
    FundingSource,
    Money,
    Span,
    ValueProblem,
    agency_index,
    currency_in,
    fold,
    match_agency,
    match_in,
    parse_budget,
    parse_funding_source,
    parse_timeframe,
    split_agencies,
)

__all__ = [
    "FIELDS",
    "AgencyMatch",
    "FundingSource",
    "Level",
    "MatrixActivity",
    "MatrixIndicator",
    "MatrixNode",
    "MatrixPreview",
    "MatrixRow",
    "MatrixSummary",
    "Money",
    "Span",
    "UnmatchedAgency",
    "check_mapping",
    "fold",
    "match_agency",
    "parse_matrix",
    "split_agencies",
    "split_code",
    "suggest_mapping",
]

# Field → header synonyms (compared after :func:`fold`). The longest synonym found in a header wins.
_SYNONYM_TEXT = {
    "pillar": "pillar|pillars|pilier|piliers|axe|axe strategique|p|4p",
    "objective": "objective|objectives|strategic objective|specific objective|objectif|objectifs|objectif strategique|objectif specifique|goal|priority|strategic priority|priorite|priorite strategique",
    "outcome": "outcome|outcomes|expected outcome|result|effet|effets|effet attendu",
    "output": "output|outputs|expected output|produit|produits|extrant|extrants",
    "activity": "activity|activities|action|actions|activite|activites|key activities",
    "activity_code": "activity code|activity no|activity number|code|no|n|ref|code activite",
    "indicator": "indicator|indicators|performance indicator|output indicator|outcome indicator|indicateur|indicateurs|indicateur de performance|kpi",
    "indicator_level": "indicator level|level|niveau|niveau de l indicateur",
    "baseline": "baseline|base line|baseline value|situation de reference|reference|valeur de reference",
    "target": "target|targets|end target|cible|cibles|valeur cible",
    "timeframe": "timeframe|time frame|timeline|period|implementation period|schedule|when|calendrier|chronogramme|periode|echeance|delai|periode de mise en oeuvre",
    "year": "year|years|annee|annees|fiscal year",
    "lead": "lead|lead agency|lead institution|responsible|responsible agency|responsible institution|lead ministry|responsable|institution responsable|chef de file|structure responsable|pilote",
    "partners": "partners|partner|supporting agencies|supporting partners|support|stakeholders|collaborating agencies|partenaires|partenaire|acteurs impliques|structures d appui|co responsables|other actors",
    "budget": "budget|cost|total cost|estimated cost|estimated budget|amount|total budget|cout|cout total|cout estimatif|montant|budget estimatif",
    "unit_cost": "unit cost|cost per unit|cout unitaire|prix unitaire",
    "quantity": "quantity|qty|number of units|units|quantite|nombre",
    "currency": "currency|devise|monnaie",
    "funding_source": "funding source|source of funding|source of funds|funding|funded by|donor|source de financement|financement|bailleur",
    "location": "location|locations|where|district|place|lieu|localisation|zone",
}
SYNONYMS: dict[str, tuple[str, ...]] = {name: tuple(text.split("|")) for name, text in _SYNONYM_TEXT.items()}
FIELDS = tuple(SYNONYMS)
HIERARCHY_FIELDS = ("objective", "outcome", "output")


def suggest_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Field → 0-based header index, from the header's words; each column and each field used once."""
    candidates: list[tuple[float, int, str]] = []
    for index, header in enumerate(headers):
        words = fold(header)
        if not words:
            continue
        padded = f" {words} "
        for name, synonyms in SYNONYMS.items():
            best = 0.0
            for synonym in synonyms:
                if words == synonym:
                    best = max(best, 10.0 + len(synonym))
                elif len(synonym) > 2 and f" {synonym} " in padded:
                    best = max(best, float(len(synonym)))
            if best:
                candidates.append((best, index, name))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for _score, index, name in candidates:
        if name in mapping or index in taken:
            continue
        mapping[name] = index
        taken.add(index)
    return {name: mapping[name] for name in FIELDS if name in mapping}


def mapping_problems(mapping: Mapping[str, int], headers: Sequence[str] = ()) -> list[FieldProblem]:
    """Every reason the mapping cannot be used (empty when it can)."""
    problems: list[FieldProblem] = []
    for name, index in mapping.items():
        if name not in SYNONYMS:
            problems.append(
                FieldProblem(
                    "mapping",
                    _("“%(field)s” is not a field of the matrix import. Known fields: %(fields)s."),
                    {"field": name, "fields": ", ".join(FIELDS)},
                )
            )
        elif index < 0 or (headers and index >= len(headers)):
            problems.append(
                FieldProblem(
                    name,
                    _("The column chosen for “%(field)s” is not in the file. Choose one of its columns."),
                    {"field": name},
                )
            )
    if "activity" not in mapping:
        problems.append(
            FieldProblem(
                "activity",
                _("Choose the column that holds the activities: each row of the matrix is one activity."),
            )
        )
    if not any(level in mapping for level in HIERARCHY_FIELDS):
        problems.append(
            FieldProblem(
                "objective",
                _(
                    "Choose at least one of the columns objective, outcome or output, so that the "
                    "activities can be grouped under them."
                ),
            )
        )
    by_column: dict[int, list[str]] = {}
    for name, index in mapping.items():
        by_column.setdefault(index, []).append(name)
    for index, names in sorted(by_column.items()):
        if len(names) > 1:
            label = headers[index] if 0 <= index < len(headers) else str(index + 1)
            problems.append(
                FieldProblem(
                    names[1],
                    _(
                        "The column “%(column)s” is chosen for several fields (%(fields)s). Each column can "
                        "feed one field only: choose another column, or none, for the others."
                    ),
                    {"column": label, "fields": ", ".join(names)},
                )
            )
    return problems


def check_mapping(mapping: Mapping[str, int], headers: Sequence[str] = ()) -> None:
    """Raise a :class:`DomainError` listing every problem of the mapping; return quietly when it is usable."""
    problems = mapping_problems(mapping, headers)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The column mapping cannot be used. Problems found: %(count)s, listed below."),
            {"count": len(problems)},
            problems=problems,
        )


@dataclass(frozen=True)
class MatrixPreview:
    rows: tuple[MatrixRow, ...]
    tree: tuple[MatrixNode, ...]
    problems: tuple[FieldProblem, ...]
    warnings: tuple[FieldProblem, ...]
    summary: MatrixSummary

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)


class _Location:
    def __init__(self, mapping: Mapping[str, int], headers: Sequence[str], letters: Sequence[str]) -> None:
        self.mapping, self.headers, self.letters = mapping, headers, letters

    def __call__(self, row: int, name: str) -> str:
        index = self.mapping[name]
        label = self.headers[index] if index < len(self.headers) else name
        letter = self.letters[index] if index < len(self.letters) else _column_letter(index + 1)
        return f"row {row}, column “{label}” ({letter})"


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_matrix(
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[str, int],
    *,
    plan_period: tuple[int, int],
    known_agencies: Mapping[str, Sequence[str]],
    headers: Sequence[str] = (),
    letters: Sequence[str] = (),
    default_currency: str = "",
) -> MatrixPreview:
    """Read the rows (``(row number as in the file, cells)``) through ``mapping`` (field → cell index).

    Raises :class:`DomainError` only for an unusable mapping; every problem of the data is in the preview.
    """
    check_mapping(mapping, headers)
    if "budget" in mapping and mapping["budget"] < len(headers):
        default_currency = currency_in(headers[mapping["budget"]]) or default_currency
    locate = _Location(mapping, headers, letters)
    index = agency_index(known_agencies)
    problems: list[FieldProblem] = []
    warnings: list[FieldProblem] = []
    parsed: list[MatrixRow] = []
    bad_rows: set[int] = set()
    levels = [level for level in LEVELS if level.value in mapping]
    above: dict[str, str] = {}
    pillar_above = ""

    def cell(cells: Sequence[str], name: str) -> str:
        position = mapping.get(name)
        if position is None or position >= len(cells):
            return ""
        return " ".join(str(cells[position]).replace("\r", "\n").split(" ")).strip()

    for number, cells in rows:
        if not any(str(value).strip() for value in cells):
            continue
        found: list[FieldProblem] = []

        def add(
            name: str, problem: ValueProblem, row: int = number, into: list[FieldProblem] = found
        ) -> None:
            into.append(FieldProblem(locate(row, name), problem.template, problem.params))

        pillar = cell(cells, "pillar") or pillar_above
        titles: dict[str, str] = {}
        changed = False
        for level in levels:
            typed = cell(cells, level.value)
            if typed and same_text(typed) != same_text(above.get(level.value, "")):
                changed = True
            if typed:
                titles[level.value] = typed
            elif changed or level.value not in above:
                higher = next((item.value for item in levels if item.value in titles and item != level), "")
                add(
                    level.value,
                    ValueProblem(
                        _(
                            "This cell is blank and there is no %(level)s above it to repeat (the row starts "
                            "a new %(higher)s). Type the %(level)s this activity belongs to."
                        )
                        if higher
                        else _("This cell is blank and there is no %(level)s above it to repeat. Type it."),
                        {"level": level.value, "higher": higher},
                    ),
                )
                titles[level.value] = ""
            else:
                titles[level.value] = above[level.value]
        activity_text = cell(cells, "activity")
        indicator = cell(cells, "indicator")
        if not activity_text:
            activity_bits = [
                cell(cells, name) for name in ("timeframe", "lead", "partners", "budget", "unit_cost")
            ]
            if any(activity_bits) or not indicator:
                add(
                    "activity",
                    ValueProblem(
                        _(
                            "The activity is blank but the row has other activity details. Type the activity "
                            "(each row is one activity; a row with only an indicator adds that indicator)."
                        )
                    ),
                )
        timeframe: tuple[Span, ...] = ()
        time_text = cell(cells, "timeframe") or cell(cells, "year")
        time_field = "timeframe" if cell(cells, "timeframe") else "year"
        if time_text:
            spans, problem = parse_timeframe(time_text, plan_period)
            if problem:
                add(time_field, problem)
            timeframe = spans
        currency = cell(cells, "currency").upper() or default_currency
        budget, budget_tbd, problem = parse_budget(cell(cells, "budget"), currency)
        if problem:
            add("budget", problem)
        unit_cost, _tbd, problem = parse_budget(cell(cells, "unit_cost"), currency)
        if problem:
            add("unit_cost", problem)
        quantity: Decimal | None = None
        if cell(cells, "quantity"):
            try:
                quantity = Decimal(cell(cells, "quantity").replace(",", "").replace(" ", ""))
            except InvalidOperation:
                add(
                    "quantity",
                    ValueProblem(
                        _("“%(value)s” is not a number. Type a quantity such as 12."),
                        {"value": cell(cells, "quantity")},
                    ),
                )
        if budget is None and unit_cost is not None and quantity is not None:
            budget = Money(unit_cost.amount * quantity, unit_cost.currency)
        level_text = fold(cell(cells, "indicator_level"))
        if level_text and level_text not in INDICATOR_LEVELS:
            add(
                "indicator_level",
                ValueProblem(
                    _("“%(value)s” is not a level. Type objective, outcome, output or activity."),
                    {"value": cell(cells, "indicator_level")},
                ),
            )
        lead_names = split_agencies(cell(cells, "lead"), known_agencies)
        partner_names = split_agencies(cell(cells, "partners"), known_agencies)
        if len(lead_names) > 1:
            add(
                "lead",
                ValueProblem(
                    _(
                        "Several lead agencies are named; “%(lead)s” is kept as the lead and the others as partners."
                    ),
                    {"lead": lead_names[0]},
                ),
                into=warnings,
            )
        lead = match_in(lead_names[0], index, 3) if lead_names else None
        partners = tuple(match_in(name, index, 3) for name in [*lead_names[1:], *partner_names])
        funding_text = cell(cells, "funding_source")
        record = MatrixRow(
            row=number,
            pillar=pillar,
            titles=titles,
            activity=activity_text,
            activity_code=cell(cells, "activity_code"),
            indicator=indicator,
            indicator_level=level_text,
            baseline=cell(cells, "baseline"),
            target=cell(cells, "target"),
            timeframe=timeframe,
            lead=lead,
            partners=partners,
            budget=budget,
            budget_to_be_determined=budget_tbd,
            unit_cost=unit_cost,
            quantity=quantity,
            funding_source=parse_funding_source(funding_text),
            funding_text=funding_text,
            location=cell(cells, "location"),
        )
        for level in levels:
            if titles[level.value]:
                above[level.value] = titles[level.value]
        pillar_above = pillar
        parsed.append(record)
        if found:
            bad_rows.add(number)
            problems.extend(found)

    tree = build_tree(parsed, levels, warnings, locate)
    return MatrixPreview(
        rows=tuple(parsed),
        tree=tuple(tree),
        problems=tuple(problems),
        warnings=tuple(warnings),
        summary=summarise(parsed, tree, bad_rows),
    )
