"""Reading the files of a training evaluation: test scores (one row per participant) for
:func:`ctip.core.evaluation.evaluate_prepost`, and test answers with their answer key for
:func:`ctip.core.evaluation.analyse_items`.

Files are read by :func:`ctip.formats.tabular.read_table` (CSV with ``,`` ``;`` or tab, any BOM or line
ending, or XLSX), so column names are compared ignoring case, spaces and hyphens. Participant ids are
compared ignoring case and extra spaces, and shown in capitals (``p07`` and ``P07 `` are the same
participant). Every problem names the file, the row and the column, and says how to fix it.

* Scores: the id column; the score column (by default the one named ``score``, else the only column
  besides the id whose cells are mostly numbers); an optional ``max_score`` column (one value for the whole file); every other
  column is an attribute for grouping (``sex``, ``organisation``…). A row with an id and no score is left
  out (the participant did not take the test) and listed in :attr:`ScoreFile.skipped`.
* Answer key: columns ``item`` and ``correct`` (the correct option keys, several separated by spaces,
  commas or semicolons).
* Answers: the id column and one column per item code holding the option key(s) chosen, separated the
  same way. Option keys are compared ignoring case. A row whose item cells are all empty is left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.formats.tabular import MAX_PROBLEMS, Table, column_letter, normalise_header, read_table

MAX_FILE_MB = 64
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
SCORE_COLUMN = "score"
MAX_SCORE_COLUMN = "max_score"
ID_COLUMNS = ("participant", "participant_id", "participant_code", "id", "code")
"""Tried in this order when no id column is named."""
KEY_ITEM_COLUMNS = ("item", "item_code", "code")
KEY_CORRECT_COLUMNS = ("correct", "correct_answer", "answer", "key")
SEX_VALUES = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "women": "female",
    "femme": "female",
    "féminin": "female",
    "feminin": "female",
    "male": "male",
    "m": "male",
    "man": "male",
    "men": "male",
    "homme": "male",
    "h": "male",
    "masculin": "male",
}
"""Common spellings of the sex column's values (English and French), read as ``female`` and ``male``."""
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class ScoreFile:
    source: str
    scores: dict[str, float]
    rows: dict[str, int]
    """Participant id → the row number the spreadsheet shows."""
    max_score: float | None
    """The maximum the scores were checked against: the one given, else the file's ``max_score`` column;
    ``None`` when neither exists."""
    attributes: dict[str, dict[str, str]]
    attribute_columns: tuple[str, ...]
    id_label: str
    score_label: str
    skipped: tuple[int, ...] = ()
    """Rows with an id and no score, left out."""


@dataclass(frozen=True)
class AnswerFile:
    source: str
    answers: dict[str, dict[str, tuple[str, ...]]]
    """Participant id → item code (as in the key) → option keys chosen (lower case; empty: unanswered)."""
    rows: dict[str, int]
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: tuple[int, ...] = ()


def participant_id(text: str) -> str:
    """``" p07 "`` → ``P07``: how ids are compared."""
    return " ".join(text.split()).upper()


def option_keys(text: str) -> tuple[str, ...]:
    """``"A; c"`` → ``("a", "c")``: the option keys in a cell, lower case, in order, without repeats."""
    return tuple(dict.fromkeys(part.casefold() for part in _SEPARATORS.split(text) if part))


def _where(table: Table, row: int, column: str) -> str:
    label = table.labels.get(column, column)
    letter = table.letters.get(column) or column_letter(table.columns.index(column) + 1)
    return f"row {row}, column “{label}” ({letter})"


def _columns_list(table: Table) -> str:
    return ", ".join(f"“{table.labels.get(name, name)}”" for name in table.columns)


def _number(text: str) -> float | None:
    """``"12"``, ``"12.5"`` or ``"12,5"`` (decimal comma) as a float; ``None`` when not a number."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _fail(table: Table, template: str, params: Mapping[str, object], problems: list[FieldProblem]) -> None:
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            template,
            {"file": table.source, "count": len(problems), **params},
            problems=problems[:MAX_PROBLEMS],
        )


def _id_column(table: Table, id_column: str | None) -> str:
    if id_column:
        name = normalise_header(id_column)
        if name in table.columns:
            return name
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” has no column “%(column)s” for the participant ids. Its columns are: %(columns)s. "
                "Name the column that holds the participant ids."
            ),
            {"file": table.source, "column": id_column, "columns": _columns_list(table)},
        )
    for name in ID_COLUMNS:
        if name in table.columns:
            return name
    raise DomainError(
        ErrorCode.REQUIRED,
        _(
            "“%(file)s”: which column holds the participant ids? None is called %(expected)s. Its columns "
            "are: %(columns)s. Name the id column."
        ),
        {"file": table.source, "expected": ", ".join(ID_COLUMNS), "columns": _columns_list(table)},
    )


def _ids(table: Table, column: str, kept: Sequence[int]) -> tuple[dict[str, int], list[FieldProblem]]:
    """Participant id → row for the rows ``kept``, and the problems: empty or repeated ids."""
    rows: dict[str, list[int]] = {}
    problems: list[FieldProblem] = []
    by_number = {row.number: row for row in table.rows}
    for number in kept:
        text = by_number[number].values[column]
        if not text:
            problems.append(
                FieldProblem(
                    _where(table, number, column),
                    _(
                        "This row has results but no participant id. Type the participant's id, or delete the row."
                    ),
                )
            )
            continue
        rows.setdefault(participant_id(text), []).append(number)
    for pid, numbers in rows.items():
        for number in numbers[1:]:
            problems.append(
                FieldProblem(
                    _where(table, number, column),
                    _(
                        "The participant id “%(id)s” is on several rows (%(rows)s). Each participant has one "
                        "row: delete the repeated rows or correct the ids."
                    ),
                    {"id": pid, "rows": ", ".join(str(n) for n in numbers)},
                )
            )
    return {pid: numbers[0] for pid, numbers in rows.items()}, problems


def _row_of(problem: FieldProblem) -> int:
    match = re.match(r"row (\d+)", problem.location)
    return int(match.group(1)) if match else 0


def _raise_problems(table: Table, template: str, problems: list[FieldProblem]) -> None:
    _fail(table, template, {}, sorted(problems, key=_row_of))


def _score_column(table: Table, id_name: str, score_column: str | None) -> str:
    if score_column:
        name = normalise_header(score_column)
        if name in table.columns:
            return name
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(file)s” has no column “%(column)s” for the scores. Its columns are: %(columns)s."),
            {"file": table.source, "column": score_column, "columns": _columns_list(table)},
        )
    if SCORE_COLUMN in table.columns:
        return SCORE_COLUMN
    numeric = [
        name
        for name in table.columns
        if name not in (id_name, MAX_SCORE_COLUMN)
        and _mostly_numbers([row.values[name] for row in table.rows])
    ]
    if len(numeric) == 1:
        return numeric[0]
    raise DomainError(
        ErrorCode.REQUIRED,
        _(
            "“%(file)s”: which column holds the scores? There is no column “score”, and %(count)s columns hold "
            "numbers. Its columns are: %(columns)s. Name the score column, or call it “score”."
        ),
        {"file": table.source, "count": len(numeric), "columns": _columns_list(table)},
    )


def _mostly_numbers(cells: Sequence[str]) -> bool:
    """Whether most of the filled cells are numbers (a mistyped score still leaves its column numeric, so
    the mistake is reported on its cell)."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and sum(_number(cell) is not None for cell in filled) * 2 > len(filled)


def _attribute_value(column: str, text: str) -> str:
    if column == "sex":
        return SEX_VALUES.get(text.casefold(), text)
    return text


def read_scores(
    data: bytes,
    *,
    filename: str,
    id_column: str | None = None,
    score_column: str | None = None,
    max_score: float | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ScoreFile:
    """The scores in one file. ``max_score``: the test's maximum when known (else the file's
    ``max_score`` column, if any); every score is checked to lie between 0 and it."""
    table = read_table(data, filename=filename, max_bytes=max_bytes)
    id_name = _id_column(table, id_column)
    score_name = _score_column(table, id_name, score_column)
    if score_name == id_name:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(file)s”: the id column and the score column must be different columns."),
            {"file": table.source},
        )
    problems: list[FieldProblem] = []
    kept: list[int] = []
    skipped: list[int] = []
    values: dict[int, float] = {}
    maxima: dict[float, list[int]] = {}
    for row in table.rows:
        text = row.values[score_name]
        if not text:
            if row.values[id_name]:
                skipped.append(row.number)
            continue
        kept.append(row.number)
        value = _number(text)
        if value is None:
            problems.append(
                FieldProblem(
                    _where(table, row.number, score_name),
                    _("“%(value)s” is not a number. Type the score as a number, e.g. 14 or 14.5."),
                    {"value": text},
                )
            )
        else:
            values[row.number] = value
        if max_score is None and MAX_SCORE_COLUMN in table.columns and row.values[MAX_SCORE_COLUMN]:
            maximum = _number(row.values[MAX_SCORE_COLUMN])
            if maximum is None or maximum <= 0:
                problems.append(
                    FieldProblem(
                        _where(table, row.number, MAX_SCORE_COLUMN),
                        _("“%(value)s” is not a maximum score: type a number above 0."),
                        {"value": row.values[MAX_SCORE_COLUMN]},
                    )
                )
            else:
                maxima.setdefault(maximum, []).append(row.number)
    if len(maxima) > 1:
        described = "; ".join(
            f"{value:g} on row(s) {', '.join(str(n) for n in numbers[:10])}"
            for value, numbers in maxima.items()
        )
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s”: the column “max_score” has different values (%(values)s). One test has one maximum "
                "score: correct the column, or give the maximum separately."
            ),
            {"file": table.source, "values": described},
        )
    limit = max_score if max_score is not None else next(iter(maxima), None)
    for number, value in values.items():
        if limit is not None and not 0 <= value <= limit:
            problems.append(
                FieldProblem(
                    _where(table, number, score_name),
                    _("The score %(value)s is not between 0 and the maximum score %(max)s. Correct it."),
                    {"value": f"{value:g}", "max": f"{limit:g}"},
                )
            )
        elif value < 0:
            problems.append(
                FieldProblem(
                    _where(table, number, score_name),
                    _("The score %(value)s is below 0. Correct it."),
                    {"value": f"{value:g}"},
                )
            )
    rows, id_problems = _ids(table, id_name, kept)
    _raise_problems(
        table, _("“%(file)s” cannot be read: %(count)s problem(s), listed below."), problems + id_problems
    )
    by_number = {row.number: row for row in table.rows}
    attribute_columns = tuple(
        name for name in table.columns if name not in (id_name, score_name, MAX_SCORE_COLUMN)
    )
    return ScoreFile(
        source=table.source,
        scores={pid: values[number] for pid, number in rows.items()},
        rows=rows,
        max_score=limit,
        attributes={
            pid: {
                name: _attribute_value(name, by_number[number].values[name])
                for name in attribute_columns
                if by_number[number].values[name]
            }
            for pid, number in rows.items()
        },
        attribute_columns=attribute_columns,
        id_label=table.labels.get(id_name, id_name),
        score_label=table.labels.get(score_name, score_name),
        skipped=tuple(skipped),
    )


def _pick(table: Table, candidates: Sequence[str], what: str) -> str:
    for name in candidates:
        if name in table.columns:
            return name
    raise DomainError(
        ErrorCode.REQUIRED,
        _("“%(file)s” has no column “%(column)s” (%(what)s). Its columns are: %(columns)s."),
        {"file": table.source, "column": candidates[0], "what": what, "columns": _columns_list(table)},
    )


def read_answer_key(
    data: bytes, *, filename: str, max_bytes: int = MAX_FILE_BYTES
) -> dict[str, tuple[str, ...]]:
    """Item code (as typed) → its correct option keys (lower case), in the file's order."""
    table = read_table(data, filename=filename, max_bytes=max_bytes)
    item_name = _pick(table, KEY_ITEM_COLUMNS, _("the item codes"))
    correct_name = _pick(table, KEY_CORRECT_COLUMNS, _("the correct option keys"))
    key: dict[str, tuple[str, ...]] = {}
    first_row: dict[str, int] = {}
    problems: list[FieldProblem] = []
    for row in table.rows:
        code = row.values[item_name]
        correct = option_keys(row.values[correct_name])
        if not code:
            problems.append(
                FieldProblem(
                    _where(table, row.number, item_name),
                    _("This row has no item code. Type the item's code, or delete the row."),
                )
            )
            continue
        if normalise_header(code) in first_row:
            problems.append(
                FieldProblem(
                    _where(table, row.number, item_name),
                    _("The item “%(code)s” is already on row %(row)s. Keep one row per item."),
                    {"code": code, "row": first_row[normalise_header(code)]},
                )
            )
            continue
        if not correct:
            problems.append(
                FieldProblem(
                    _where(table, row.number, correct_name),
                    _(
                        "No correct option for item “%(code)s”. Type the correct option key(s), e.g. b or a;c."
                    ),
                    {"code": code},
                )
            )
            continue
        first_row[normalise_header(code)] = row.number
        key[code] = correct
    _fail(
        table,
        _("The answer key “%(file)s” cannot be read: %(count)s problem(s), listed below."),
        {},
        problems,
    )
    return key


def read_answers(
    data: bytes,
    *,
    filename: str,
    items: Sequence[str],
    id_column: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> AnswerFile:
    """The options each participant chose for each of ``items`` (the answer key's item codes)."""
    table = read_table(data, filename=filename, max_bytes=max_bytes)
    id_name = _id_column(table, id_column)
    columns = {code: normalise_header(code) for code in items}
    missing = [code for code, name in columns.items() if name not in table.columns]
    if missing:
        raise DomainError(
            ErrorCode.REQUIRED,
            _(
                "“%(file)s” has no column for %(count)s item(s) of the answer key: %(missing)s. Its columns are: "
                "%(columns)s. Add one column per item, named with the item's code."
            ),
            {
                "file": table.source,
                "count": len(missing),
                "missing": ", ".join(missing),
                "columns": _columns_list(table),
            },
        )
    kept = [row.number for row in table.rows if any(row.values[name] for name in columns.values())]
    kept_set = set(kept)
    skipped = tuple(row.number for row in table.rows if row.number not in kept_set and row.values[id_name])
    rows, problems = _ids(table, id_name, kept)
    _raise_problems(table, _("“%(file)s” cannot be read: %(count)s problem(s), listed below."), problems)
    by_number = {row.number: row for row in table.rows}
    used = {id_name, *columns.values()}
    attribute_columns = [name for name in table.columns if name not in used]
    return AnswerFile(
        source=table.source,
        answers={
            pid: {code: option_keys(by_number[number].values[name]) for code, name in columns.items()}
            for pid, number in rows.items()
        },
        rows=rows,
        attributes={
            pid: {
                name: _attribute_value(name, by_number[number].values[name])
                for name in attribute_columns
                if by_number[number].values[name]
            }
            for pid, number in rows.items()
        },
        skipped=skipped,
    )
