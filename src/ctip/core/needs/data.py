"""Building, checking and filtering the input of the gap analysis (:class:`NeedsData`).

:func:`needs_data_from_submissions` turns survey submissions into the two rating matrices and the
respondent attributes; :func:`rating_codes` checks a :class:`NeedsData` built any other way and turns its
ratings into small integer codes (0 = missing) that the analysis counts with.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.needs.model import (
    ATTRIBUTE_AGE,
    ATTRIBUTE_LOCATION,
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_PRIOR_TRAINING,
    ATTRIBUTE_ROLE,
    ATTRIBUTE_SEX,
    ATTRIBUTE_YEARS,
    NOT_STATED,
    Item,
    NeedsData,
)
from ctip.core.tna.model import Instrument, Submission, competence_field, importance_field

CodeMatrix = npt.NDArray[np.int8]

YEARS_BANDS: tuple[tuple[int, str], ...] = ((20, "20+"), (10, "10–19"), (5, "5–9"), (0, "0–4"))
"""Years of service are reported in these bands (lower bound, label), never as raw numbers."""

_NO_ATTRIBUTES: Mapping[str, Mapping[str, str]] = MappingProxyType({})

# More problems than this in one import would bury the first ones; the message says how many there were.
_MAX_PROBLEMS = 50


@dataclass(frozen=True)
class RatingCodes:
    """The ratings as int8 codes: 1..scale_max, 0 where missing."""

    importance: CodeMatrix
    competence: CodeMatrix
    scale_max: int


def years_band(value: str) -> str:
    """The band of a number of years of service (``""`` when missing, negative or not a number)."""
    text = value.strip().replace(",", ".")
    if not text:
        return ""
    try:
        years = float(text)
    except ValueError:
        return ""
    if not math.isfinite(years) or years < 0:
        return ""
    return next(label for lower, label in YEARS_BANDS if years >= lower)


def _prior_training(value: str) -> str:
    answer = value.strip().lower()
    return answer if answer in ("yes", "no") else ""


def _is_rating(value: object, scale_max: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= scale_max


def _rating_problem(value: object, scale_max: int, location: str) -> FieldProblem:
    return FieldProblem(
        location,
        _("“%(value)s” is not a rating: ratings are whole numbers from 1 to %(scale_max)s."),
        {"value": value, "scale_max": scale_max},
    )


def needs_data_from_submissions(
    instrument: Instrument,
    submissions: Sequence[Submission],
    *,
    attributes: Mapping[str, Mapping[str, str]] = _NO_ATTRIBUTES,
) -> NeedsData:
    """The gap-analysis input from survey submissions.

    Items are the instrument's competencies (group = pillar). Attributes per respondent: ``sex``,
    ``organisation`` (as given), ``location``, ``role`` (the role/rank answer), ``age_band``,
    ``prior_training`` (``"yes"``/``"no"``/``""``) and ``years_of_service`` in bands (0–4, 5–9, 10–19,
    20+). ``attributes`` adds or overrides attributes by submission key (for example the registry's
    organisation names and types); respondents it does not mention keep their value (``""`` for a new
    attribute). Raises :class:`DomainError` when a rating is outside 1..scale_max or a key repeats."""
    competencies = instrument.competencies
    items = tuple(Item(c.code, c.title, c.pillar, c.level.value) for c in competencies)
    scale_max = instrument.scale_max
    problems: list[FieldProblem] = []
    keys = tuple(s.key for s in submissions)
    for key in sorted(key for key, count in Counter(keys).items() if count > 1):
        problems.append(
            FieldProblem(
                key,
                _(
                    "The submission key “%(key)s” appears more than once; each respondent needs their own key."
                ),
                {"key": key},
            )
        )
    importance = np.full((len(submissions), len(items)), np.nan)
    competence = np.full((len(submissions), len(items)), np.nan)
    for row, submission in enumerate(submissions):
        ratings = submission.ratings
        for column, competency in enumerate(competencies):
            rating = ratings.get(competency.code)
            if rating is None:
                continue
            for matrix, value, field_name in (
                (importance, rating.importance, importance_field(competency.code)),
                (competence, rating.competence, competence_field(competency.code)),
            ):
                if value is None:
                    continue
                if _is_rating(value, scale_max):
                    matrix[row, column] = value
                else:
                    problems.append(_rating_problem(value, scale_max, f"{submission.key}, {field_name}"))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("%(count)s answers cannot be analysed; correct them in the survey data and try again."),
            {"count": len(problems)},
            problems=problems[:_MAX_PROBLEMS],
        )
    values: dict[str, tuple[str, ...]] = {
        ATTRIBUTE_SEX: tuple(s.sex.value for s in submissions),
        ATTRIBUTE_ORGANISATION: tuple(s.organisation.strip() for s in submissions),
        ATTRIBUTE_LOCATION: tuple(s.profile.get("location", "").strip() for s in submissions),
        ATTRIBUTE_ROLE: tuple(s.profile.get("role_rank", "").strip() for s in submissions),
        ATTRIBUTE_AGE: tuple(s.profile.get("age_band", "").strip() for s in submissions),
        ATTRIBUTE_PRIOR_TRAINING: tuple(
            _prior_training(s.profile.get("prior_training", "")) for s in submissions
        ),
        ATTRIBUTE_YEARS: tuple(years_band(s.profile.get("years_of_service", "")) for s in submissions),
    }
    for name, by_key in attributes.items():
        current = values.get(name, ("",) * len(submissions))
        values[name] = tuple(by_key.get(key, old) for key, old in zip(keys, current, strict=True))
    institutional = {
        question.name: tuple(s.institutional.get(question.name, "").strip() for s in submissions)
        for question in instrument.institutional_questions
    }
    return NeedsData(
        items=items,
        respondents=keys,
        importance=importance,
        competence=competence,
        scale_max=scale_max,
        attributes=values,
        institutional=institutional,
    )


def _matrix_codes(matrix: npt.NDArray[np.float64], scale_max: int, rating: str) -> CodeMatrix:
    # fmin/fmax ignore NaN, so the range check is one pass each; fmax(x, 0) turns NaN into the code 0.
    if matrix.size:
        low = float(np.fmin.reduce(matrix, axis=None))
        high = float(np.fmax.reduce(matrix, axis=None))
        if (not math.isnan(low) and low < 1) or (not math.isnan(high) and high > scale_max):
            bad = low if low < 1 else high
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The %(rating)s ratings include %(value)s; ratings run from 1 to %(scale_max)s."),
                {"rating": rating, "value": bad, "scale_max": scale_max},
            )
    zero_filled = np.fmax(matrix, 0.0)
    codes = zero_filled.astype(np.int8)
    if np.any(codes != zero_filled):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The %(rating)s ratings include values that are not whole numbers; ratings are whole numbers."),
            {"rating": rating},
        )
    return codes


def rating_codes(data: NeedsData) -> RatingCodes:
    """Check ``data`` (shapes, scale, ratings, attribute lengths) and return its ratings as codes."""
    shape = (len(data.respondents), len(data.items))
    if not 2 <= data.scale_max <= 100:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The rating scale must run from 1 to a maximum between 2 and 100, not %(scale_max)s."),
            {"scale_max": data.scale_max},
        )
    for rating, matrix in (("importance", data.importance), ("competence", data.competence)):
        if matrix.shape != shape:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _(
                    "The %(rating)s ratings have shape %(shape)s; expected %(expected)s (respondents × items)."
                ),
                {"rating": rating, "shape": matrix.shape, "expected": shape},
            )
    for mapping in (data.attributes, data.institutional):
        for name, values in mapping.items():
            if len(values) != shape[0]:
                raise DomainError(
                    ErrorCode.INVALID_VALUE,
                    _("“%(name)s” has %(count)s values for %(respondents)s respondents."),
                    {"name": name, "count": len(values), "respondents": shape[0]},
                )
    return RatingCodes(
        importance=_matrix_codes(np.asarray(data.importance, dtype=np.float64), data.scale_max, "importance"),
        competence=_matrix_codes(np.asarray(data.competence, dtype=np.float64), data.scale_max, "competence"),
        scale_max=data.scale_max,
    )


def _unknown_attribute(name: str, data: NeedsData) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _("There is no respondent attribute “%(name)s”. Known attributes: %(known)s."),
        {"name": name, "known": ", ".join(sorted(data.attributes)) or "—"},
    )


def attribute_column(data: NeedsData, name: str) -> tuple[str, ...]:
    """The values of one attribute, one per respondent; :class:`DomainError` for an unknown name."""
    try:
        return data.attributes[name]
    except KeyError:
        raise _unknown_attribute(name, data) from None


def filter_respondents(data: NeedsData, filters: Mapping[str, Collection[str]]) -> NeedsData:
    """Keep the respondents whose value of every filtered attribute is in the given set.

    ``NOT_STATED`` in a set also keeps the respondents who left that attribute empty (that is how the
    analysis shows them). An unknown attribute raises :class:`DomainError` naming the known ones."""
    keep = np.ones(len(data.respondents), dtype=bool)
    for name, wanted in filters.items():
        column = attribute_column(data, name)
        accepted = set(wanted)
        if NOT_STATED in accepted:
            accepted.add("")
        keep &= np.fromiter((value in accepted for value in column), dtype=bool, count=len(column))
    rows = np.flatnonzero(keep)
    return NeedsData(
        items=data.items,
        respondents=tuple(data.respondents[i] for i in rows),
        importance=data.importance[rows],
        competence=data.competence[rows],
        scale_max=data.scale_max,
        attributes={name: tuple(values[i] for i in rows) for name, values in data.attributes.items()},
        institutional={name: tuple(values[i] for i in rows) for name, values in data.institutional.items()},
    )


def encode_values(values: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Integer codes for text values: ``codes[i]`` indexes the distinct values (in order of first
    appearance). A C-speed pass (``dict.fromkeys`` and ``map``) rather than a Python loop."""
    index = {value: position for position, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, list(index)


def _natural_key(value: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", value)
        if part
    )
    return (1 if value == NOT_STATED else 0, parts)


def sort_values(values: Collection[str]) -> list[str]:
    """Attribute values in reading order: numbers by value ("5–9" before "10–19"), NOT_STATED last."""
    return sorted(values, key=_natural_key)


def attribute_values(data: NeedsData, attribute: str) -> tuple[str, ...]:
    """The distinct values of an attribute, sorted as :func:`sort_values` does; empty values appear as
    ``NOT_STATED``."""
    column = attribute_column(data, attribute)
    return tuple(sort_values({value or NOT_STATED for value in set(column)}))
