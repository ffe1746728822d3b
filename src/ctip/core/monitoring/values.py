"""Checking a table of indicator values (actuals, or targets) typed in a spreadsheet or sent to the API.

Columns (English or French names; case, spaces and hyphens do not matter): ``indicator`` (the indicator's
code), ``period`` (2026 or 2026-Q2), ``sex`` (empty or all, women, men), ``location`` (empty: all),
``value``, ``source`` (required: where the figure comes from) and ``note``; ``kind`` (actual or target)
is optional and defaults to actual. Every problem is reported at once, each with its row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.indicators import parse_number
from ctip.core.monitoring.model import ALL, Period, Sex, Unit, ValueKind, parse_period, value_problems

COLUMNS: tuple[str, ...] = ("indicator", "period", "sex", "location", "value", "source", "note", "kind")
REQUIRED_COLUMNS: tuple[str, ...] = ("indicator", "period", "value")
COLUMN_ALIASES: Mapping[str, str] = {
    "indicateur": "indicator",
    "code": "indicator",
    "indicator_code": "indicator",
    "période": "period",
    "periode": "period",
    "sexe": "sex",
    "lieu": "location",
    "localisation": "location",
    "valeur": "value",
    "remarque": "note",
    "type": "kind",
    "nature": "kind",
}
MAX_TEXT = 250
_MAX_PROBLEMS = 100

_SEX_WORDS: Mapping[str, str] = {
    "": ALL,
    "all": ALL,
    "total": ALL,
    "both": ALL,
    "tous": ALL,
    "ensemble": ALL,
    "female": Sex.FEMALE.value,
    "f": Sex.FEMALE.value,
    "woman": Sex.FEMALE.value,
    "women": Sex.FEMALE.value,
    "femme": Sex.FEMALE.value,
    "femmes": Sex.FEMALE.value,
    "male": Sex.MALE.value,
    "m": Sex.MALE.value,
    "h": Sex.MALE.value,
    "man": Sex.MALE.value,
    "men": Sex.MALE.value,
    "homme": Sex.MALE.value,
    "hommes": Sex.MALE.value,
}
_KIND_WORDS: Mapping[str, ValueKind] = {
    "": ValueKind.ACTUAL,
    "actual": ValueKind.ACTUAL,
    "réel": ValueKind.ACTUAL,
    "reel": ValueKind.ACTUAL,
    "réalisé": ValueKind.ACTUAL,
    "realise": ValueKind.ACTUAL,
    "target": ValueKind.TARGET,
    "cible": ValueKind.TARGET,
}
_ALL_LOCATIONS = {"all", "total", "tous", "toutes", "ensemble"}

Locate = Callable[[int, str], str]


def default_locate(row: int, column: str) -> str:
    return f"row {row}, column “{column}”"


@dataclass(frozen=True)
class ValueEntry:
    """One checked row: ``row`` is the spreadsheet row (or the position in an API list, from 1)."""

    row: int
    indicator: str
    kind: ValueKind
    period: Period
    sex: str
    location: str
    value: float
    source: str
    note: str

    @property
    def key(self) -> tuple[str, ValueKind, Period, str, str]:
        return (self.indicator, self.kind, self.period, self.sex, self.location.casefold())


def canonical_columns(values: Mapping[str, str]) -> dict[str, str]:
    """The row with French and alternative column names turned into the canonical ones."""
    return {COLUMN_ALIASES.get(name, name): value for name, value in values.items()}


def parse_value(text: str, language: str = "en") -> float | None:
    """A number as typed: ``12``, ``12.5``, ``1,250`` (English), ``1 250,5`` (French), ``45 %``."""
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return parse_number(cleaned, language)


def parse_value_rows(
    rows: Sequence[tuple[int, Mapping[str, str]]],
    *,
    units: Mapping[str, Unit],
    language: str = "en",
    locate: Locate = default_locate,
) -> list[ValueEntry]:
    """Check every row; return the entries or raise one :class:`DomainError` listing every problem.

    ``units`` maps each known indicator code to its unit (codes are compared ignoring case); a row for an
    unknown indicator, a period that is not a year or quarter, a sex that is not women/men/all, a value
    that is not a number (or a percentage outside 0–100), a missing source, or the same indicator ×
    kind × period × sex × location twice in the file is a problem."""
    by_code = {code.casefold(): code for code in units}
    problems: list[FieldProblem] = []
    present = {name for _number, values in rows for name in canonical_columns(values)}
    for column in REQUIRED_COLUMNS:
        if rows and column not in present:
            problems.append(
                FieldProblem(
                    "header",
                    _("The column “%(column)s” is missing: add it to the header row (see the template)."),
                    {"column": column},
                )
            )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("The file does not have the columns needed."), problems=problems
        )
    if not rows:
        raise DomainError(ErrorCode.REQUIRED, _("The file has no rows of values under its header."))
    entries: list[ValueEntry] = []
    seen: dict[tuple[str, ValueKind, Period, str, str], int] = {}
    for number, raw in rows:
        values = canonical_columns(raw)
        found: list[FieldProblem] = []

        def add(column: str, template: str, params: Mapping[str, object] | None = None) -> None:
            found.append(FieldProblem(locate(number, column), template, dict(params or {})))  # noqa: B023

        code_text = values.get("indicator", "").strip()
        code = by_code.get(code_text.casefold())
        if not code_text:
            add("indicator", _("Give the indicator's code."))
        elif code is None:
            add(
                "indicator",
                _("There is no indicator “%(code)s” in the framework. Known codes: %(known)s."),
                {"code": code_text, "known": ", ".join(sorted(units)) or "—"},
            )
        kind_text = values.get("kind", "").strip().casefold()
        kind = _KIND_WORDS.get(kind_text)
        if kind is None:
            add(
                "kind",
                _("“%(value)s” is not a kind of value: write “actual” or “target”."),
                {"value": kind_text},
            )
        period: Period | None = None
        try:
            period = parse_period(values.get("period", ""))
        except DomainError as error:
            add("period", error.template, error.params)
        sex_text = values.get("sex", "").strip()
        sex = _SEX_WORDS.get(sex_text.casefold())
        if sex is None:
            add(
                "sex",
                _("“%(value)s” is not a sex: write “women”, “men”, or leave it empty for all."),
                {"value": sex_text},
            )
        location = values.get("location", "").strip()
        if location.casefold() in _ALL_LOCATIONS:
            location = ALL
        value_text = values.get("value", "").strip()
        value = parse_value(value_text, language)
        if not value_text:
            add("value", _("Give the value (a number)."))
        elif value is None:
            add("value", _("“%(value)s” is not a number."), {"value": value_text})
        elif code is not None:
            for _field, template, params in value_problems(units[code], value, "value"):
                add("value", template, params)
        source = values.get("source", "").strip()
        if not source and kind is ValueKind.ACTUAL:
            add("source", _("Say where the figure comes from (the report, register or database)."))
        note = values.get("note", "").strip()
        for column, text in (("location", location), ("source", source), ("note", note)):
            if len(text) > MAX_TEXT:
                add(
                    column,
                    _("At most %(limit)s characters, not %(count)s."),
                    {"limit": MAX_TEXT, "count": len(text)},
                )
        if found or code is None or kind is None or period is None or sex is None or value is None:
            problems.extend(found)
            continue
        entry = ValueEntry(number, code, kind, period, sex, location, value, source, note)
        first = seen.get(entry.key)
        if first is not None:
            problems.append(
                FieldProblem(
                    locate(number, "indicator"),
                    _(
                        "Row %(first)s already gives this value (same indicator, kind, period, sex and "
                        "location): keep one of the two rows."
                    ),
                    {"first": first},
                )
            )
            continue
        seen[entry.key] = number
        entries.append(entry)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Problems found in the file: %(count)s. Nothing was imported; correct them and upload the file again."
            ),
            {"count": len(problems)},
            problems=problems[:_MAX_PROBLEMS],
        )
    return entries
