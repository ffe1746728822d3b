"""The SMART checker: judges one indicator row per criterion, with a reason for every finding.

Each rule in :data:`~ctip.core.indicators.rules.RULES` is one small function below, grouped by criterion.
The statement alone rarely carries its own date or target (DOMAIN.md §2), so the rules read the whole row:
text, unit, baseline, target, dates, data source, responsible agency and disaggregation.

The checker never raises on odd input: whatever was typed gets findings, not exceptions. The one argument
it rejects is an unknown ``language`` (a programming error, reported as :class:`DomainError`). It does not
read the clock: the "target date passed" rule applies only when the caller passes ``today``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.indicators import vocabulary as vocab
from ctip.core.indicators.model import (
    CRITERIA,
    Finding,
    IndicatorCheck,
    IndicatorRow,
    SmartVerdict,
    Value,
)
from ctip.core.indicators.rules import (
    MAX_COUNT_MULTIPLE,
    MAX_PERCENT_POINTS,
    MIN_WORDS,
    RULES_BY_ID,
)

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class _Context:
    """What the rules share about one row, worked out once."""

    row: IndicatorRow
    text: str  # folded statement
    unit: str  # "number", "percent", "milestone", "scale" or "" when not given
    baseline: str  # folded, as entered
    target: str
    baseline_number: float | None
    target_number: float | None
    target_year: int | None  # the target year, or the last year of the period
    language: str
    today: dt.date | None


_Check = Callable[[_Context], Iterator[Finding]]


def _finding(
    rule_id: str, template: str, params: Mapping[str, object] | None = None, field: str = ""
) -> Finding:
    rule = RULES_BY_ID[rule_id]
    return Finding(rule.criterion, rule.id, rule.severity, template, dict(params or {}), field)


# ---------------------------------------------------------------------------------------------------
# Reading values


def _as_text(value: Value) -> str:
    if value is None:
        return ""
    return vocab.fold(str(value))


_FR_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:[ .]\d{3})+(?:,\d+)?$|^[-+]?\d+(?:,\d+)?$")
_EN_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")


def parse_number(value: Value, language: str = "en") -> float | None:
    """The number in ``value`` (``"1,250"`` in English, ``"1 250,5"`` in French, ``"45 %"``), else None.

    A trailing percent sign is dropped; whether the number is a percentage is the unit's business."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = _as_text(value).replace("\u202f", " ").replace("\u00a0", " ").removesuffix("%").strip()
    if language == "fr" and _FR_NUMBER.match(text):
        return float(text.replace(" ", "").replace(".", "").replace(",", "."))
    if _EN_NUMBER.match(text):
        return float(text.replace(",", ""))
    # A French row may still use a decimal point ("12.5"), and an English one a bare decimal comma.
    if _FR_NUMBER.match(text):
        return float(text.replace(" ", "").replace(".", "").replace(",", "."))
    return None


def _unit_kind(unit: str) -> str:
    folded = vocab.fold(unit)
    if not folded:
        return ""
    return vocab.UNIT_KINDS.get(folded, "number")


def _target_year(row: IndicatorRow) -> int | None:
    if row.target_year is not None:
        return row.target_year
    years = [int(year) for year in vocab.YEAR.findall(row.period)]
    return max(years) if years else None


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------------
# Specific


def _specific_empty(ctx: _Context) -> Iterator[Finding]:
    if not ctx.text:
        yield _finding(
            "specific.empty",
            _("The indicator has no statement: write what is counted and for whom."),
            field="text",
        )


def _specific_placeholder(ctx: _Context) -> Iterator[Finding]:
    match = vocab.PLACEHOLDER.search(ctx.text)
    if match:
        yield _finding(
            "specific.placeholder",
            _(
                "The statement still holds the placeholder “%(placeholder)s”: replace it with the real value or population."
            ),
            {"placeholder": match.group(0)},
            "text",
        )


def _specific_bundled(ctx: _Context) -> Iterator[Finding]:
    match = vocab.BUNDLED_MEASURES.search(ctx.text)
    if match:
        yield _finding(
            "specific.bundled_measures",
            _(
                "“%(words)s” asks for two measures in one indicator: keep one, or split the row into two indicators."
            ),
            {"words": match.group(0).strip()},
            "text",
        )


def _specific_and_or(ctx: _Context) -> Iterator[Finding]:
    if vocab.AND_OR.search(ctx.text) and not vocab.BUNDLED_MEASURES.search(ctx.text):
        yield _finding(
            "specific.and_or",
            _("“and/or” leaves open what is counted: say whether both or either condition counts."),
            field="text",
        )


def _specific_vague_verb(ctx: _Context) -> Iterator[Finding]:
    match = vocab.VAGUE_VERB.search(ctx.text)
    if match and not vocab.MEASURE.search(ctx.text):
        yield _finding(
            "specific.vague_verb",
            _(
                "“%(verb)s” says what should happen, not what will be measured: name the number, percentage, rate or score to observe."
            ),
            {"verb": match.group(0)},
            "text",
        )


def _specific_too_short(ctx: _Context) -> Iterator[Finding]:
    words = len(ctx.text.split())
    if 0 < words < MIN_WORDS:
        yield _finding(
            "specific.too_short",
            _(
                "The statement has %(count)d words: say what is counted, among whom and under which condition."
            ),
            {"count": words},
            "text",
        )


# ---------------------------------------------------------------------------------------------------
# Measurable


def _measurable_no_unit(ctx: _Context) -> Iterator[Finding]:
    if not ctx.unit:
        yield _finding(
            "measurable.no_unit",
            _("No unit: choose a number, a percentage, a yes/no milestone or a described scale."),
            field="unit",
        )


def _value_fields(ctx: _Context) -> Iterator[tuple[str, str, float | None]]:
    yield "baseline", ctx.baseline, ctx.baseline_number
    yield "target", ctx.target, ctx.target_number


# One template per field, so that translators see whole sentences ("la référence", "la cible").
_PLACEHOLDER_VALUE = {
    "baseline": _("The baseline is the placeholder “%(placeholder)s”: enter the value."),
    "target": _("The target is the placeholder “%(placeholder)s”: enter the value."),
}
_NOT_YES_NO = {
    "baseline": _("The baseline “%(value)s” is not yes or no: enter yes or no, or change the unit."),
    "target": _("The target “%(value)s” is not yes or no: enter yes or no, or change the unit."),
}
_NOT_A_NUMBER = {
    "baseline": _(
        "The baseline “%(value)s” is not a number: enter a number, or change the unit to a described scale."
    ),
    "target": _(
        "The target “%(value)s” is not a number: enter a number, or change the unit to a described scale."
    ),
}
_PERCENT_OUT_OF_RANGE = {
    "baseline": _("The baseline is %(value)s %%, outside 0–100: correct it, or change the unit to a number."),
    "target": _("The target is %(value)s %%, outside 0–100: correct it, or change the unit to a number."),
}
_NEGATIVE_COUNT = {
    "baseline": _("The baseline is %(value)s, but a count cannot be below zero."),
    "target": _("The target is %(value)s, but a count cannot be below zero."),
}


def _measurable_placeholder_value(ctx: _Context) -> Iterator[Finding]:
    for name, text, _number in _value_fields(ctx):
        match = vocab.PLACEHOLDER.search(text)
        if match:
            yield _finding(
                "measurable.placeholder_value",
                _PLACEHOLDER_VALUE[name],
                {"placeholder": match.group(0)},
                name,
            )


def _measurable_no_target(ctx: _Context) -> Iterator[Finding]:
    if not ctx.target:
        yield _finding(
            "measurable.no_target",
            _("No target: enter the value to reach by the target date."),
            field="target",
        )


def _measurable_no_baseline(ctx: _Context) -> Iterator[Finding]:
    if not ctx.baseline:
        yield _finding(
            "measurable.no_baseline",
            _("No baseline: enter the starting value, or “not applicable” when there can be none."),
            field="baseline",
        )


def _is_quantity(ctx: _Context, text: str, number: float | None) -> bool:
    if number is not None:
        return True
    if ctx.unit == "milestone":
        return bool(vocab.YES_NO.match(text))
    return ctx.unit == "scale"


def _measurable_not_numeric(ctx: _Context) -> Iterator[Finding]:
    if not ctx.unit:
        return
    for name, text, number in _value_fields(ctx):
        if not text or vocab.PLACEHOLDER.search(text):
            continue  # reported by the missing-value and placeholder rules
        if name == "baseline" and vocab.NOT_APPLICABLE.match(text):
            continue
        if not _is_quantity(ctx, text, number):
            templates = _NOT_YES_NO if ctx.unit == "milestone" else _NOT_A_NUMBER
            yield _finding("measurable.not_numeric", templates[name], {"value": _quote(text)}, name)


def _measurable_scale_undefined(ctx: _Context) -> Iterator[Finding]:
    if ctx.unit == "scale" and not ctx.row.scale.strip():
        yield _finding(
            "measurable.scale_undefined",
            _("The indicator is qualitative but its scale is not described: say what each level means."),
            field="scale",
        )


def _measurable_percent_range(ctx: _Context) -> Iterator[Finding]:
    if ctx.unit != "percent":
        return
    for name, _text, number in _value_fields(ctx):
        if number is not None and not 0 <= number <= 100:
            yield _finding(
                "measurable.percent_out_of_range",
                _PERCENT_OUT_OF_RANGE[name],
                {"value": f"{number:g}"},
                name,
            )


def _measurable_negative_count(ctx: _Context) -> Iterator[Finding]:
    if ctx.unit != "number":
        return
    for name, _text, number in _value_fields(ctx):
        if number is not None and number < 0:
            yield _finding(
                "measurable.negative_count",
                _NEGATIVE_COUNT[name],
                {"value": f"{number:g}"},
                name,
            )


def _measurable_target_equals_baseline(ctx: _Context) -> Iterator[Finding]:
    if ctx.baseline_number is not None and ctx.baseline_number == ctx.target_number:
        yield _finding(
            "measurable.target_equals_baseline",
            _(
                "The target equals the baseline (%(value)s): set the change you expect, or say the aim is to maintain the level."
            ),
            {"value": f"{ctx.baseline_number:g}"},
            "target",
        )


def _measurable_unit_mismatch(ctx: _Context) -> Iterator[Finding]:
    says_percent = bool(vocab.PERCENT_STATEMENT.search(ctx.text))
    says_number = bool(vocab.NUMBER_STATEMENT.search(ctx.text))
    if ctx.unit == "number" and says_percent and not says_number:
        yield _finding(
            "measurable.unit_mismatch",
            _(
                "The statement speaks of a percentage but the unit is a number: align the unit with the statement."
            ),
            field="unit",
        )
    elif ctx.unit == "percent" and says_number and not says_percent:
        yield _finding(
            "measurable.unit_mismatch",
            _(
                "The statement counts a number but the unit is a percentage: align the unit with the statement."
            ),
            field="unit",
        )


# ---------------------------------------------------------------------------------------------------
# Achievable


def _achievable_absolute(ctx: _Context) -> Iterator[Finding]:
    match = vocab.ABSOLUTE.search(ctx.text)
    if match:
        yield _finding(
            "achievable.absolute_target",
            _(
                "“%(words)s” sets an absolute target, rarely reachable within the plan: set one the programme can reach."
            ),
            {"words": match.group(0)},
            "text",
        )
    elif ctx.unit == "percent" and ctx.target_number == 100:
        yield _finding(
            "achievable.absolute_target",
            _("A target of 100 %% is rarely reachable within the plan: set one the programme can reach."),
            field="target",
        )
    elif ctx.unit == "number" and ctx.target_number == 0 and (ctx.baseline_number or 0) > 0:
        yield _finding(
            "achievable.absolute_target",
            _(
                "A target of zero from a baseline of %(baseline)s is rarely reachable within the plan: set one the programme can reach."
            ),
            {"baseline": f"{ctx.baseline_number:g}"},
            "target",
        )


def _achievable_implausible(ctx: _Context) -> Iterator[Finding]:
    baseline, target = ctx.baseline_number, ctx.target_number
    if baseline is None or target is None:
        return
    if ctx.unit == "percent" and abs(target - baseline) > MAX_PERCENT_POINTS:
        yield _finding(
            "achievable.implausible_change",
            _(
                "The target moves %(points)s percentage points from the baseline (more than %(limit)s): check it against past trends and resources."
            ),
            {"points": f"{abs(target - baseline):g}", "limit": f"{MAX_PERCENT_POINTS:g}"},
            "target",
        )
    elif ctx.unit == "number" and baseline > 0 and target > MAX_COUNT_MULTIPLE * baseline:
        yield _finding(
            "achievable.implausible_change",
            _(
                "The target is %(ratio)s times the baseline (more than %(limit)s): check it against past trends and resources."
            ),
            {"ratio": f"{target / baseline:.1f}", "limit": f"{MAX_COUNT_MULTIPLE:g}"},
            "target",
        )


# ---------------------------------------------------------------------------------------------------
# Relevant


def _relevant_data_source(ctx: _Context) -> Iterator[Finding]:
    if not ctx.row.data_source.strip():
        yield _finding(
            "relevant.no_data_source",
            _("No data source: name the register, report or survey the value comes from."),
            field="data_source",
        )


def _relevant_responsible(ctx: _Context) -> Iterator[Finding]:
    if not ctx.row.responsible.strip():
        yield _finding(
            "relevant.no_responsible",
            _("No responsible agency: name the agency that collects and reports the value."),
            field="responsible",
        )


def _relevant_sex_disaggregation(ctx: _Context) -> Iterator[Finding]:
    people = vocab.PEOPLE.search(ctx.text)
    if not people:
        return
    if any(vocab.SEX_BREAKDOWN.search(vocab.fold(item)) for item in ctx.row.disaggregation):
        return
    yield _finding(
        "relevant.no_sex_disaggregation",
        _(
            "The indicator counts people (“%(word)s”) but is not disaggregated by sex: add sex to the disaggregation."
        ),
        {"word": people.group(0)},
        "disaggregation",
    )


# ---------------------------------------------------------------------------------------------------
# Time-bound


def _time_no_target_date(ctx: _Context) -> Iterator[Finding]:
    if ctx.target_year is None:
        yield _finding(
            "time_bound.no_target_date",
            _("No target date: enter the target year or a period with years, e.g. “2026–2028”."),
            field="target_year",
        )


def _time_target_in_past(ctx: _Context) -> Iterator[Finding]:
    if ctx.today is not None and ctx.target_year is not None and ctx.target_year < ctx.today.year:
        yield _finding(
            "time_bound.target_in_past",
            _("The target year %(year)s has passed: move it forward, or record the result as an actual."),
            {"year": ctx.target_year},
            "target_year",
        )


def _time_baseline_before_target(ctx: _Context) -> Iterator[Finding]:
    baseline_year = ctx.row.baseline_year
    if baseline_year is not None and ctx.target_year is not None and baseline_year >= ctx.target_year:
        yield _finding(
            "time_bound.baseline_not_before_target",
            _(
                "The baseline year %(baseline_year)s is not before the target year %(target_year)s: correct one of them."
            ),
            {"baseline_year": baseline_year, "target_year": ctx.target_year},
            "baseline_year",
        )


def _time_no_baseline_year(ctx: _Context) -> Iterator[Finding]:
    if ctx.baseline_number is not None and ctx.row.baseline_year is None:
        yield _finding(
            "time_bound.no_baseline_year",
            _("The baseline has no year: enter the year it was measured."),
            field="baseline_year",
        )


def _time_no_frequency(ctx: _Context) -> Iterator[Finding]:
    if not ctx.row.frequency.strip():
        yield _finding(
            "time_bound.no_frequency",
            _("No reporting frequency: say how often the value is collected, e.g. yearly."),
            field="frequency",
        )


CHECKS: tuple[_Check, ...] = (
    _specific_empty,
    _specific_placeholder,
    _specific_bundled,
    _specific_and_or,
    _specific_vague_verb,
    _specific_too_short,
    _measurable_no_unit,
    _measurable_placeholder_value,
    _measurable_no_target,
    _measurable_no_baseline,
    _measurable_not_numeric,
    _measurable_scale_undefined,
    _measurable_percent_range,
    _measurable_negative_count,
    _measurable_target_equals_baseline,
    _measurable_unit_mismatch,
    _achievable_absolute,
    _achievable_implausible,
    _relevant_data_source,
    _relevant_responsible,
    _relevant_sex_disaggregation,
    _time_no_target_date,
    _time_target_in_past,
    _time_baseline_before_target,
    _time_no_baseline_year,
    _time_no_frequency,
)


def _language(language: str) -> str:
    code = language.lower().split("-")[0].split("_")[0]
    if code not in LANGUAGES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(language)s” is not a language the indicator checker knows: use “en” or “fr”."),
            {"language": language},
        )
    return code


def check_indicator(
    row: IndicatorRow, *, language: str = "en", today: dt.date | None = None
) -> IndicatorCheck:
    """Judge ``row`` on each SMART criterion.

    ``language`` is the row's language ("en", "fr", or a regional variant such as "fr-MU"); it decides
    how numbers are read ("1,250" vs "1 250,5"). Word lists of both languages always apply. ``today``
    enables the "target date passed" rule; without it that rule is skipped."""
    code = _language(language)
    baseline, target = _as_text(row.baseline), _as_text(row.target)
    ctx = _Context(
        row=row,
        text=vocab.fold(row.text),
        unit=_unit_kind(row.unit),
        baseline=baseline,
        target=target,
        baseline_number=parse_number(row.baseline, code),
        target_number=parse_number(row.target, code),
        target_year=_target_year(row),
        language=code,
        today=today,
    )
    findings = [finding for check in CHECKS for finding in check(ctx)]
    verdicts = tuple(
        SmartVerdict(criterion, tuple(finding for finding in findings if finding.criterion is criterion))
        for criterion in CRITERIA
    )
    return IndicatorCheck(row, verdicts)


def check_indicators(
    rows: Sequence[IndicatorRow], *, language: str = "en", today: dt.date | None = None
) -> tuple[IndicatorCheck, ...]:
    """:func:`check_indicator` on each row, in order."""
    return tuple(check_indicator(row, language=language, today=today) for row in rows)
