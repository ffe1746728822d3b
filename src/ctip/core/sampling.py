"""Sampling plan for a training needs assessment (TNA) survey.

Three steps, each usable alone:

1. :func:`cochran_sample_size` — how many respondents are needed to estimate a proportion within
   ``margin`` at ``confidence``: Cochran's n0 = z²·p·q / e², then the finite-population correction
   n = n0 / (1 + (n0 − 1) / N) (Cochran 1977, *Sampling Techniques*, 3rd ed.; Israel 1992, *Determining
   Sample Size*, PEOD-6). Both are rounded up: a sample cannot hold a fraction of a person.
2. :func:`allocate` — share a total between strata (institutions, locations) in proportion to their
   staff, by the largest-remainder (Hamilton) method, with a floor per stratum and never more than its
   staff; then split each stratum's share between women and men the same way.
3. :func:`sampling_plan` — the two above for the whole staff, plus the planned key-informant
   interviews and focus-group discussions.

All arithmetic that decides who gets a seat is exact (:class:`fractions.Fraction`), so the same input
always gives the same plan; ties go to the stratum whose key sorts first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import NormalDist

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, Translate, _

SMALL_CELL = 5
"""Below this many respondents, statistics for a stratum are flagged (see DOMAIN.md §4)."""

# A computed size such as 96.00000000001 must not become 97 because of binary floating point.
_CEIL_TOLERANCE = 1e-9


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class Note:
    """A remark on a plan that the reader should see, e.g. “everyone is surveyed”.

    ``code`` is a stable key for programs; ``template`` and ``params`` give the text, translated when
    shown (like :class:`ctip.core.errors.FieldProblem`)."""

    code: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.render()

    def render(self, translate: Translate = _identity) -> str:
        text = translate(self.template)
        return text % dict(self.params) if self.params else text


@dataclass(frozen=True)
class SampleSize:
    """Cochran's sample size for a proportion.

    ``n0`` is the size for an infinite population (unrounded), ``n0_rounded`` its ceiling, and ``n``
    the size after the finite-population correction, rounded up (equal to ``n0_rounded`` when
    ``population`` is ``None``)."""

    z: float
    n0: float
    n0_rounded: int
    n: int
    population: int | None
    confidence: float
    margin: float
    proportion: float


@dataclass(frozen=True)
class Stratum:
    """One group of staff to sample from (an institution, a unit, a location), counted by sex."""

    key: str
    label: str
    women: int
    men: int

    @property
    def population(self) -> int:
        return self.women + self.men


@dataclass(frozen=True)
class StratumAllocation:
    key: str
    label: str
    population: int
    women: int
    men: int
    allocated_total: int
    allocated_women: int
    allocated_men: int
    sampling_fraction: float
    """``allocated_total / population`` (0.0 for a stratum with no staff)."""


@dataclass(frozen=True)
class Allocation:
    strata: tuple[StratumAllocation, ...]
    requested_total: int
    total_allocated: int
    population: int
    minimum_per_stratum: int
    notes: tuple[Note, ...]

    @property
    def allocated_women(self) -> int:
        return sum(stratum.allocated_women for stratum in self.strata)

    @property
    def allocated_men(self) -> int:
        return sum(stratum.allocated_men for stratum in self.strata)


@dataclass(frozen=True)
class StratumInterviews:
    key: str
    label: str
    planned: int


@dataclass(frozen=True)
class SamplingPlan:
    population: int
    women: int
    men: int
    sample_size: SampleSize
    allocation: Allocation
    interviews_per_stratum: int
    interviews: tuple[StratumInterviews, ...]
    total_interviews: int
    focus_groups: int
    focus_group_size: int
    focus_group_participants: int
    notes: tuple[Note, ...]


# ---------------------------------------------------------------------------------------------------
# Validation


def _is_count(value: object) -> bool:
    """A whole number of 0 or more (``True``/``False`` are not counts)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_open_unit(value: object) -> bool:
    """A finite number strictly between 0 and 1."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value < 1
    )


def _sample_size_problems(
    *, population: object, confidence: object, margin: object, proportion: object
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not _is_open_unit(confidence):
        problems.append(
            FieldProblem(
                "confidence",
                _(
                    "The confidence level is %(value)s; give it as a number strictly between 0 and 1, "
                    "for example 0.95 for 95%%."
                ),
                {"value": confidence},
            )
        )
    if not _is_open_unit(margin):
        problems.append(
            FieldProblem(
                "margin",
                _(
                    "The margin of error is %(value)s; give it as a number strictly between 0 and 1, "
                    "for example 0.05 for ±5 percentage points."
                ),
                {"value": margin},
            )
        )
    if not _is_open_unit(proportion):
        problems.append(
            FieldProblem(
                "proportion",
                _(
                    "The expected proportion is %(value)s; give it as a number strictly between 0 and 1, "
                    "or 0.5 when it is unknown (the safest choice)."
                ),
                {"value": proportion},
            )
        )
    if population is not None and not (_is_count(population) and population != 0):
        problems.append(
            FieldProblem(
                "population",
                _(
                    "The population is %(value)s; give the number of people in it as a whole number of at "
                    "least 1, or leave it empty when it is very large or unknown."
                ),
                {"value": population},
            )
        )
    return problems


def _count_problem(location: str, value: object, template: str) -> FieldProblem | None:
    """``template`` says which count is wrong and takes ``%(value)s``."""
    if _is_count(value):
        return None
    return FieldProblem(location, template, {"value": value})


def _strata_problems(strata: Sequence[Stratum]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not strata:
        problems.append(
            FieldProblem(
                "strata",
                _("No strata were given: list at least one institution or group with its staff by sex."),
            )
        )
        return problems
    seen: dict[str, int] = {}
    for index, stratum in enumerate(strata):
        where = f"strata[{index}]"
        key = stratum.key.strip() if isinstance(stratum.key, str) else ""
        if not key:
            problems.append(
                FieldProblem(
                    f"{where}.key",
                    _(
                        "Stratum %(position)s has no key: give each stratum a short unique key, e.g. “police”."
                    ),
                    {"position": index + 1},
                )
            )
        elif key in seen:
            problems.append(
                FieldProblem(
                    f"{where}.key",
                    _(
                        "The key “%(key)s” is used by strata %(first)s and %(position)s: keys must be unique; "
                        "merge the two rows or rename one."
                    ),
                    {"key": key, "first": seen[key] + 1, "position": index + 1},
                )
            )
        else:
            seen[key] = index
        for problem in (
            _count_problem(
                f"{where}.women",
                stratum.women,
                _("The number of women is %(value)s; give a whole number of 0 or more."),
            ),
            _count_problem(
                f"{where}.men",
                stratum.men,
                _("The number of men is %(value)s; give a whole number of 0 or more."),
            ),
        ):
            if problem is not None:
                problems.append(problem)
    return problems


def _raise_if(problems: list[FieldProblem], template: str) -> None:
    if problems:
        raise DomainError(ErrorCode.INVALID_VALUE, template, {"count": len(problems)}, problems=problems)


# ---------------------------------------------------------------------------------------------------
# Sample size


def _ceil(value: float) -> int:
    return math.ceil(value - _CEIL_TOLERANCE * max(1.0, abs(value)))


def cochran_sample_size(
    *,
    population: int | None,
    confidence: float = 0.95,
    margin: float = 0.05,
    proportion: float = 0.5,
) -> SampleSize:
    """Cochran's sample size for estimating a proportion, with the finite-population correction.

    ``z`` is the two-sided normal quantile for ``confidence`` (1.959964… for 95%, not the rounded 1.96
    of printed tables, so n0 at 95%, ±5%, p = 0.5 is 384.15 rather than 384.16; both round up to 385).
    """
    _raise_if(
        _sample_size_problems(
            population=population, confidence=confidence, margin=margin, proportion=proportion
        ),
        _("The sample size cannot be computed: %(count)s value(s) need correcting."),
    )
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    n0_rounded = _ceil(n0)
    if population is None:
        n = n0_rounded
    else:
        corrected = n0 / (1 + (n0 - 1) / population)
        n = min(_ceil(corrected), population)
    return SampleSize(
        z=z,
        n0=n0,
        n0_rounded=n0_rounded,
        n=n,
        population=population,
        confidence=confidence,
        margin=margin,
        proportion=proportion,
    )


# ---------------------------------------------------------------------------------------------------
# Allocation


def _largest_remainder(seats: int, quotas: Sequence[tuple[Fraction, int]]) -> list[int]:
    """Hamilton's method: everyone gets the floor of their quota (capped), then the seats left go one
    each to the largest fractional remainders. ``quotas`` is (quota, cap) in tie-break order: of two
    equal remainders the earlier entry wins."""
    shares = [min(math.floor(quota), cap) for quota, cap in quotas]
    left = seats - sum(shares)
    order = sorted(
        range(len(quotas)),
        key=lambda index: (-(quotas[index][0] - math.floor(quotas[index][0])), index),
    )
    while left > 0:
        given = False
        for index in order:
            if left == 0:
                break
            if shares[index] < quotas[index][1]:
                shares[index] += 1
                left -= 1
                given = True
        if not given:  # every entry is at its cap
            break
    return shares


def _proportional_with_minimums(
    total: int, strata: Sequence[Stratum], minimums: Mapping[str, int]
) -> dict[str, int]:
    """Seats per stratum key: proportional to population, never below its minimum. A stratum whose
    proportional quota falls below its minimum is fixed at the minimum and the rest is shared again
    among the others, until no quota falls below its minimum."""
    fixed: dict[str, int] = {}
    while True:
        free = [stratum for stratum in strata if stratum.key not in fixed]
        remaining = total - sum(fixed.values())
        free_population = sum(stratum.population for stratum in free)
        quotas = {stratum.key: Fraction(remaining * stratum.population, free_population) for stratum in free}
        below = [stratum for stratum in free if quotas[stratum.key] < minimums[stratum.key]]
        if not below:
            break
        for stratum in below:
            fixed[stratum.key] = minimums[stratum.key]
    shares = _largest_remainder(remaining, [(quotas[stratum.key], stratum.population) for stratum in free])
    result = dict(fixed)
    result.update({stratum.key: share for stratum, share in zip(free, shares, strict=True)})
    return result


def _split_by_sex(seats: int, stratum: Stratum) -> tuple[int, int]:
    if seats == 0 or stratum.population == 0:
        return 0, 0
    # Women first on a tie: in most C-TIP institutions (police, immigration, prosecution) they are the
    # smaller group, and an equal split should not under-represent them.
    women, men = _largest_remainder(
        seats,
        [
            (Fraction(seats * stratum.women, stratum.population), stratum.women),
            (Fraction(seats * stratum.men, stratum.population), stratum.men),
        ],
    )
    return women, men


def allocate(*, strata: Sequence[Stratum], total: int, minimum_per_stratum: int = 0) -> Allocation:
    """Share ``total`` respondents between ``strata`` in proportion to their staff.

    Every stratum gets at least ``min(minimum_per_stratum, its population)`` and never more than its
    population; a stratum with no staff gets 0. When the minimums add up to more than ``total`` the
    minimums win and the total is exceeded; when the whole population is not larger than ``total``,
    everyone is surveyed. Each case is explained in ``notes``. The strata keep the order given."""
    problems = _strata_problems(strata)
    for problem in (
        _count_problem("total", total, _("The total sample is %(value)s; give a whole number of 0 or more.")),
        _count_problem(
            "minimum_per_stratum",
            minimum_per_stratum,
            _("The minimum per stratum is %(value)s; give a whole number of 0 or more."),
        ),
    ):
        if problem is not None:
            problems.append(problem)
    _raise_if(problems, _("The sample cannot be allocated: %(count)s value(s) need correcting."))

    strata = [
        Stratum(key=stratum.key.strip(), label=stratum.label, women=stratum.women, men=stratum.men)
        for stratum in strata
    ]
    population = sum(stratum.population for stratum in strata)
    staffed = sorted((stratum for stratum in strata if stratum.population > 0), key=lambda s: s.key)
    minimums = {stratum.key: min(minimum_per_stratum, stratum.population) for stratum in staffed}
    notes: list[Note] = []

    if population == 0:
        seats: dict[str, int] = {}
        notes.append(
            Note(
                "no_population",
                _("No stratum has any staff, so nobody can be sampled: enter the staff numbers first."),
            )
        )
    elif population <= total:
        seats = {stratum.key: stratum.population for stratum in staffed}
        notes.append(
            Note(
                "census",
                _(
                    "The population (%(population)s) is not larger than the sample asked for (%(total)s), "
                    "so everyone is surveyed (a census) and no sampling error applies."
                ),
                {"population": population, "total": total},
            )
        )
    elif sum(minimums.values()) >= total:
        seats = dict(minimums)
        if sum(minimums.values()) > total:
            notes.append(
                Note(
                    "minimums_exceed_total",
                    _(
                        "The minimum of %(minimum)s per stratum needs %(needed)s respondents, more than the "
                        "%(total)s asked for; the minimums were kept, so %(needed)s are planned. Lower the "
                        "minimum or raise the total to keep the allocation proportional."
                    ),
                    {"minimum": minimum_per_stratum, "needed": sum(minimums.values()), "total": total},
                )
            )
    else:
        seats = _proportional_with_minimums(total, staffed, minimums)

    whole = [s.key for s in staffed if minimum_per_stratum > s.population and population > total]
    if whole:
        notes.append(
            Note(
                "strata_fully_surveyed",
                _(
                    "These strata have fewer staff than the minimum of %(minimum)s, so all their staff are "
                    "surveyed: %(keys)s."
                ),
                {"minimum": minimum_per_stratum, "keys": ", ".join(whole)},
            )
        )
    empty = [stratum.key for stratum in strata if stratum.population == 0]
    if empty and population > 0:
        notes.append(
            Note(
                "empty_strata",
                _("These strata have no staff and get no respondents: %(keys)s."),
                {"keys": ", ".join(empty)},
            )
        )
    small = [stratum.key for stratum in staffed if 0 < seats.get(stratum.key, 0) < SMALL_CELL]
    if small:
        notes.append(
            Note(
                "small_strata",
                _(
                    "These strata get fewer than %(limit)s respondents; report their results only combined "
                    "with others, to protect respondents from being identified: %(keys)s."
                ),
                {"limit": SMALL_CELL, "keys": ", ".join(small)},
            )
        )

    rows: list[StratumAllocation] = []
    for stratum in strata:
        allocated = seats.get(stratum.key, 0)
        women, men = _split_by_sex(allocated, stratum)
        rows.append(
            StratumAllocation(
                key=stratum.key,
                label=stratum.label,
                population=stratum.population,
                women=stratum.women,
                men=stratum.men,
                allocated_total=allocated,
                allocated_women=women,
                allocated_men=men,
                sampling_fraction=allocated / stratum.population if stratum.population else 0.0,
            )
        )
    return Allocation(
        strata=tuple(rows),
        requested_total=total,
        total_allocated=sum(row.allocated_total for row in rows),
        population=population,
        minimum_per_stratum=minimum_per_stratum,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------------------------------
# Whole plan


def sampling_plan(
    *,
    strata: Sequence[Stratum],
    confidence: float = 0.95,
    margin: float = 0.05,
    minimum_per_stratum: int = 0,
    interviews_per_stratum: int,
    focus_groups: int,
    focus_group_size: int,
    proportion: float = 0.5,
) -> SamplingPlan:
    """The survey sample (Cochran size for the whole staff, allocated to strata), plus the qualitative
    work: ``interviews_per_stratum`` key-informant interviews in each stratum (fewer where it has fewer
    staff) and ``focus_groups`` discussions of ``focus_group_size`` participants."""
    problems = _strata_problems(strata)
    problems += _sample_size_problems(
        population=None, confidence=confidence, margin=margin, proportion=proportion
    )
    for problem in (
        _count_problem(
            "minimum_per_stratum",
            minimum_per_stratum,
            _("The minimum per stratum is %(value)s; give a whole number of 0 or more."),
        ),
        _count_problem(
            "interviews_per_stratum",
            interviews_per_stratum,
            _("The number of interviews per stratum is %(value)s; give a whole number of 0 or more."),
        ),
        _count_problem(
            "focus_groups",
            focus_groups,
            _("The number of focus groups is %(value)s; give a whole number of 0 or more."),
        ),
        _count_problem(
            "focus_group_size",
            focus_group_size,
            _("The focus group size is %(value)s; give a whole number of 0 or more."),
        ),
    ):
        if problem is not None:
            problems.append(problem)
    if _is_count(focus_groups) and focus_groups > 0 and focus_group_size == 0:
        problems.append(
            FieldProblem(
                "focus_group_size",
                _(
                    "%(groups)s focus groups are planned with no participants: give the number of people "
                    "per group (often 6 to 10), or plan 0 focus groups."
                ),
                {"groups": focus_groups},
            )
        )
    if not problems and sum(stratum.population for stratum in strata) == 0:
        problems.append(
            FieldProblem(
                "strata",
                _("No stratum has any staff: enter the number of women and men in each stratum."),
            )
        )
    _raise_if(problems, _("The sampling plan cannot be made: %(count)s value(s) need correcting."))

    population = sum(stratum.population for stratum in strata)
    size = cochran_sample_size(
        population=population, confidence=confidence, margin=margin, proportion=proportion
    )
    allocation = allocate(strata=strata, total=size.n, minimum_per_stratum=minimum_per_stratum)
    interviews = tuple(
        StratumInterviews(
            key=stratum.key.strip(),
            label=stratum.label,
            planned=min(interviews_per_stratum, stratum.population),
        )
        for stratum in strata
    )
    notes = list(allocation.notes)
    participants = focus_groups * focus_group_size
    if participants > population:
        notes.append(
            Note(
                "focus_groups_exceed_population",
                _(
                    "The focus groups need %(participants)s participants but there are only %(population)s "
                    "staff: plan fewer or smaller groups, or let people take part in more than one."
                ),
                {"participants": participants, "population": population},
            )
        )
    return SamplingPlan(
        population=population,
        women=sum(stratum.women for stratum in strata),
        men=sum(stratum.men for stratum in strata),
        sample_size=size,
        allocation=allocation,
        interviews_per_stratum=interviews_per_stratum,
        interviews=interviews,
        total_interviews=sum(row.planned for row in interviews),
        focus_groups=focus_groups,
        focus_group_size=focus_group_size,
        focus_group_participants=participants,
        notes=tuple(notes),
    )
