"""The structure of a National Action Plan (issue 8): NAP → pillars → strategic objectives → strategic
priorities → outcomes → outputs → activities → cost lines, with indicators at outcome and output level.

Everything is a frozen dataclass holding plain values; the web layer stores the same data in models and
builds these objects from them. Money is :class:`decimal.Decimal`, never ``float`` (see :mod:`.budget`).

Every element has a ``code``. Codes are unique per level across the whole plan (two outputs never share a
code), except cost lines, whose codes are unique within their activity. An element's *path* joins the
codes from its pillar down to it with ``/``, e.g. ``"P2/SO2.1/SP2.1.1/OC2.1.1.1/OP1/A2.1.1.3/C2"``: pages
use it to link a flag to the element to fix. :func:`walk` yields every element with its path;
:func:`structure_problems` lists what makes a plan unusable (duplicate codes, impossible dates, negative
costs) as :class:`~ctip.core.errors.FieldProblem` located at the element's path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

Translate = Callable[[str], str]
Quarter = tuple[int, int]
"""A (year, quarter) pair of an activity's timeline, quarter 1–4."""

SEP = "/"
"""Joins codes into an element's path."""


class FundingSource(StrEnum):
    """Who pays for a cost line."""

    GOVERNMENT = "government"
    DONOR = "donor"
    UNFUNDED = "unfunded"  # costed but nobody has committed money yet: the funding gap


FUNDING_SOURCE_LABELS: dict[FundingSource, str] = {
    FundingSource.GOVERNMENT: _("Government"),
    FundingSource.DONOR: _("Donor"),
    FundingSource.UNFUNDED: _("Unfunded"),
}


class GenderMarker(IntEnum):
    """The OECD-DAC gender equality policy marker (also IATI's policy-significance codes, DOMAIN.md §2)."""

    NOT_TARGETED = 0
    SIGNIFICANT = 1  # gender equality is an important but secondary objective
    PRINCIPAL = 2  # gender equality is the main objective


GENDER_MARKER_LABELS: dict[GenderMarker, str] = {
    GenderMarker.NOT_TARGETED: _("0 — not targeted"),
    GenderMarker.SIGNIFICANT: _("1 — significant objective"),
    GenderMarker.PRINCIPAL: _("2 — principal objective"),
}


class IndicatorLevel(StrEnum):
    OUTCOME = "outcome"
    OUTPUT = "output"


class Severity(StrEnum):
    ERROR = "error"  # the plan is wrong or incomplete here
    WARNING = "warning"  # worth a second look


@dataclass(frozen=True)
class Flag:
    """One finding on a plan, for the checks panel. ``kind`` is stable (pages filter and count on it);
    ``template`` is a ``%``-style message marked for translation and filled with ``params`` (as in
    :mod:`ctip.core.errors`); ``path`` is the element to fix (``""``: the plan as a whole)."""

    kind: str
    severity: Severity
    template: str
    params: Mapping[str, object] = field(default_factory=dict)
    path: str = ""

    @property
    def message(self) -> str:
        return self.render()

    def render(self, translate: Translate = str) -> str:
        """The message in the reader's language (``translate``: e.g. Django's ``gettext``)."""
        text = translate(self.template)
        return text % dict(self.params) if self.params else text


@dataclass(frozen=True)
class CostLine:
    """One line of an activity's budget. Amount = ``unit_cost × quantity × frequency`` (:mod:`.budget`).

    ``unit`` says what one unit is ("participant-day", "workshop"); ``frequency`` how many times the
    quantity recurs (e.g. 4 quarterly meetings); ``year`` the budget year; ``currency`` an ISO 4217 code.
    ``gender_marker`` is 0, 1 or 2 (:class:`GenderMarker`) and ``marker_justification`` says why (required
    for 1 and 2). ``beneficiaries_*`` count the people the line reaches; ``None`` means not recorded.
    ``targets_women_or_girls`` is ticked when the line is meant for women or girls."""

    code: str
    description: str
    unit: str
    unit_cost: Decimal
    quantity: Decimal
    frequency: Decimal = Decimal(1)
    year: int | None = None
    currency: str = "USD"
    funding_source: FundingSource = FundingSource.UNFUNDED
    gender_marker: GenderMarker = GenderMarker.NOT_TARGETED
    marker_justification: str = ""
    beneficiaries_women: int | None = None
    beneficiaries_men: int | None = None
    beneficiaries_girls: int | None = None
    beneficiaries_boys: int | None = None
    targets_women_or_girls: bool = False

    @property
    def beneficiaries(self) -> tuple[int | None, int | None, int | None, int | None]:
        """(women, men, girls, boys)."""
        return (
            self.beneficiaries_women,
            self.beneficiaries_men,
            self.beneficiaries_girls,
            self.beneficiaries_boys,
        )


@dataclass(frozen=True)
class IndicatorTarget:
    """A target for one year; ``sex`` ``""`` is the total, ``"female"`` / ``"male"`` a part of it."""

    year: int
    value: str | int | float
    sex: str = ""


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator of an outcome or output, with the metadata the SMART checker judges.

    ``name`` is the statement; ``unit`` number, percent, milestone …; ``baseline`` as entered (``None``:
    not given) measured in ``baseline_year``; ``targets`` one per year (and per sex when disaggregated);
    ``source`` the data source / means of verification; ``responsible_agency`` who reports it;
    ``frequency`` how often it is collected."""

    code: str
    level: IndicatorLevel
    name: str
    unit: str = ""
    baseline: str | int | float | None = None
    baseline_year: int | None = None
    targets: tuple[IndicatorTarget, ...] = ()
    source: str = ""
    responsible_agency: str = ""
    frequency: str = ""


@dataclass(frozen=True)
class Activity:
    """What somebody does. ``lead_agency`` is accountable, ``supporting_agencies`` help (names as in the
    organisation registry); ``timeline`` the (year, quarter) pairs it runs in; ``target_groups`` who it is
    for (e.g. "women survivors", "labour inspectors"); ``gender_marker`` and ``child_sensitive`` describe
    the activity as a whole; ``depends_on`` lists codes of activities that must come first."""

    code: str
    description: str
    lead_agency: str = ""
    supporting_agencies: tuple[str, ...] = ()
    timeline: tuple[Quarter, ...] = ()
    location: str = ""
    target_groups: tuple[str, ...] = ()
    cost_lines: tuple[CostLine, ...] = ()
    gender_marker: GenderMarker = GenderMarker.NOT_TARGETED
    child_sensitive: bool = False
    assumptions: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()

    @property
    def start(self) -> Quarter | None:
        """The earliest quarter of the timeline (``None`` when not scheduled)."""
        return min(self.timeline) if self.timeline else None


@dataclass(frozen=True)
class Output:
    """A product or service delivered by the activities (e.g. "SOPs for victim identification adopted")."""

    code: str
    name: str
    indicators: tuple[IndicatorRef, ...] = ()
    activities: tuple[Activity, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """A change the outputs bring about (e.g. "Victims are identified and referred early")."""

    code: str
    name: str
    indicators: tuple[IndicatorRef, ...] = ()
    outputs: tuple[Output, ...] = ()


@dataclass(frozen=True)
class StrategicPriority:
    code: str
    name: str
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class StrategicObjective:
    code: str
    name: str
    priorities: tuple[StrategicPriority, ...] = ()


@dataclass(frozen=True)
class Pillar:
    """A pillar of the response: the 4Ps by default (:func:`default_pillars`), configurable (e.g. a fifth
    "Coordination and data" pillar)."""

    code: str
    name: str
    objectives: tuple[StrategicObjective, ...] = ()


DEFAULT_PILLARS: tuple[tuple[str, str], ...] = (
    ("P1", _("Prevention")),
    ("P2", _("Protection")),
    ("P3", _("Prosecution")),
    ("P4", _("Partnership")),
)


def default_pillars(translate: Translate = str) -> tuple[Pillar, ...]:
    """The 4Ps, empty, named in the reader's language."""
    return tuple(Pillar(code, translate(name)) for code, name in DEFAULT_PILLARS)


DEFAULT_PRINCIPLES: tuple[str, ...] = (
    _("Victim-centred"),
    _("Human-rights-based"),
    _("Child-sensitive"),
    _("Gender-sensitive"),
)


@dataclass(frozen=True)
class Nap:
    """The plan: ``period_start``–``period_end`` are years (2025–2029); ``principles`` the guiding
    principles (see :data:`DEFAULT_PRINCIPLES`)."""

    title: str
    period_start: int
    period_end: int
    vision: str = ""
    goal: str = ""
    principles: tuple[str, ...] = ()
    pillars: tuple[Pillar, ...] = ()

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)


Element = (
    Pillar | StrategicObjective | StrategicPriority | Outcome | Output | Activity | IndicatorRef | CostLine
)


def join(*codes: str) -> str:
    return SEP.join(codes)


def walk(nap: Nap) -> Iterator[tuple[str, Element]]:
    """Every element of the plan with its path, in document order (an outcome's indicators right after
    the outcome, an activity's cost lines right after the activity)."""
    for pillar in nap.pillars:
        yield pillar.code, pillar
        for objective in pillar.objectives:
            so_path = join(pillar.code, objective.code)
            yield so_path, objective
            for priority in objective.priorities:
                sp_path = join(so_path, priority.code)
                yield sp_path, priority
                for outcome in priority.outcomes:
                    oc_path = join(sp_path, outcome.code)
                    yield oc_path, outcome
                    for indicator in outcome.indicators:
                        yield join(oc_path, indicator.code), indicator
                    for output in outcome.outputs:
                        op_path = join(oc_path, output.code)
                        yield op_path, output
                        for indicator in output.indicators:
                            yield join(op_path, indicator.code), indicator
                        for activity in output.activities:
                            a_path = join(op_path, activity.code)
                            yield a_path, activity
                            for line in activity.cost_lines:
                                yield join(a_path, line.code), line


def activities(nap: Nap) -> Iterator[tuple[str, Activity]]:
    """Every activity with its path."""
    for path, element in walk(nap):
        if isinstance(element, Activity):
            yield path, element


def pillar_code(path: str) -> str:
    """The code of the pillar an element sits under."""
    return path.split(SEP, 1)[0]


def parent_path(path: str) -> str:
    return path.rsplit(SEP, 1)[0] if SEP in path else ""


def ancestor_paths(path: str) -> tuple[str, ...]:
    """The paths of the element's ancestors, the pillar first."""
    parts = path.split(SEP)
    return tuple(SEP.join(parts[:i]) for i in range(1, len(parts)))


def _level(element: Element) -> str:
    return type(element).__name__


def structure_problems(nap: Nap) -> list[FieldProblem]:
    """What makes the plan unusable, each located at the element's path (``"nap"`` for the plan itself):
    an empty or duplicate code, a code containing ``/``, a period that ends before it starts, a quarter
    outside 1–4, a cost given as ``float`` or negative, a marker outside 0–2, negative beneficiaries."""
    problems: list[FieldProblem] = []
    if nap.period_end < nap.period_start:
        problems.append(
            FieldProblem(
                "nap",
                _("The plan ends in %(end)s, before it starts in %(start)s: check the period."),
                {"start": nap.period_start, "end": nap.period_end},
            )
        )
    seen: dict[tuple[str, str], str] = {}
    for path, element in walk(nap):
        code = element.code
        level = _level(element)
        if not code.strip() or SEP in code:
            problems.append(
                FieldProblem(
                    path or "nap",
                    _("“%(code)s” cannot be a code: give a non-empty code without “/”."),
                    {"code": code},
                )
            )
        scope = parent_path(path) if isinstance(element, CostLine) else ""
        key = (level, f"{scope}{SEP}{code}")
        if key in seen:
            problems.append(
                FieldProblem(
                    path,
                    _(
                        "The code “%(code)s” is used twice (also at %(other)s): give each element its own code."
                    ),
                    {"code": code, "other": seen[key]},
                )
            )
        else:
            seen[key] = path
        if isinstance(element, Activity):
            problems.extend(_activity_problems(path, element))
        elif isinstance(element, CostLine):
            problems.extend(_cost_line_problems(path, element))
    return problems


def _activity_problems(path: str, activity: Activity) -> list[FieldProblem]:
    return [
        FieldProblem(
            f"{path}, timeline",
            _("“%(year)s-Q%(quarter)s” is not a quarter: quarters are numbered 1 to 4."),
            {"year": year, "quarter": quarter},
        )
        for year, quarter in activity.timeline
        if not 1 <= quarter <= 4
    ]


def _cost_line_problems(path: str, line: CostLine) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name in ("unit_cost", "quantity", "frequency"):
        value = getattr(line, name)
        if not isinstance(value, Decimal):
            problems.append(
                FieldProblem(
                    f"{path}, {name}",
                    _("%(value)s is not a decimal number: money and quantities are stored as decimals."),
                    {"value": value},
                )
            )
        elif not value.is_finite() or value < 0:
            problems.append(
                FieldProblem(
                    f"{path}, {name}",
                    _("%(value)s cannot be used: enter 0 or a positive number."),
                    {"value": value},
                )
            )
    if line.gender_marker not in (0, 1, 2):
        problems.append(
            FieldProblem(
                f"{path}, gender_marker",
                _(
                    "%(value)s is not a gender marker: use 0 (not targeted), 1 (significant) or 2 (principal)."
                ),
                {"value": line.gender_marker},
            )
        )
    if len(line.currency) != 3 or not line.currency.isalpha() or not line.currency.isupper():
        problems.append(
            FieldProblem(
                f"{path}, currency",
                _("“%(value)s” is not a currency code: use the three capital letters of ISO 4217, e.g. USD."),
                {"value": line.currency},
            )
        )
    for label, count in zip(("women", "men", "girls", "boys"), line.beneficiaries, strict=True):
        if count is not None and count < 0:
            problems.append(
                FieldProblem(
                    f"{path}, beneficiaries_{label}",
                    _("%(value)s beneficiaries cannot be: enter 0 or more, or leave it empty."),
                    {"value": count},
                )
            )
    return problems


def validate(nap: Nap) -> Nap:
    """``nap`` unchanged, or :class:`DomainError` (``invalid_value``) listing :func:`structure_problems`."""
    problems = structure_problems(nap)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The action plan has %(count)s problem(s): fix them and try again."),
            {"count": len(problems)},
            problems=problems,
        )
    return nap
