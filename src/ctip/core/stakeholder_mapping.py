"""Stakeholder mapping computed from the registry: who acts where in the national response.

Four views of the same list of organisations, each a plain dataclass that pages, the API and the inception
report turn into tables and charts:

* :func:`stakeholder_matrix`: the 4Ps pillars × the stages of the response chain, listing in each cell the
  organisations that work on that pillar *and* act at that stage. Empty cells are the gaps of the response.
* :func:`influence_interest_grid`: the power/interest grid. Influence and interest are scored 1–5; a score
  at or above the cut (3 by default) is high. High influence and high interest: *manage closely*; high
  influence, low interest: *keep satisfied*; low influence, high interest: *keep informed*; both low:
  *monitor*. Organisations without both scores are listed apart, never guessed.
* :func:`stakeholder_counts`: organisations and their staff (women, men, total, frontline) by type, sector
  and location. Staff figures are summed over the organisations that report them; how many do not is
  counted too, so a total is never mistaken for complete.
* :func:`referral_network`: the organisations that have relations (refers cases to, coordinates with,
  funds) and those relations, for a network chart.

Pure: no Django, no files. Labels are left to the caller (codes in, codes out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ctip.core.errors import _
from ctip.core.stakeholders import SCORE_MAX, SCORE_MIN, ChainStage, Pillar

DEFAULT_CUT = 3
"""Influence and interest at or above this score (on the 1–5 scale) count as high."""


@dataclass(frozen=True)
class MappedOrganisation:
    """What the mapping needs to know about one organisation (codes, not labels)."""

    key: str
    name: str
    acronym: str = ""
    type: str = ""
    sector: str = ""
    level: str = ""
    location: str = ""
    pillars: tuple[str, ...] = ()
    chain_stages: tuple[str, ...] = ()
    influence: int | None = None
    interest: int | None = None
    staff_women: int | None = None
    staff_men: int | None = None
    staff_total: int | None = None
    frontline_women: int | None = None
    frontline_men: int | None = None

    @property
    def short_name(self) -> str:
        """The acronym when there is one (charts have little room), otherwise the name."""
        return self.acronym or self.name


@dataclass(frozen=True)
class MappedRelation:
    """A directed relation between two organisations, by key: ``source`` refers cases to / coordinates
    with / funds ``target``."""

    source: str
    target: str
    kind: str


# --- Matrix --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StakeholderMatrix:
    """``cells[(pillar, stage)]``: the organisations working on that pillar at that stage, by name.

    ``pillar_only``: organisations with pillars but no response-chain stage (they appear in no cell);
    ``stage_only``: the reverse; ``unplaced``: organisations with neither.
    """

    pillars: tuple[str, ...]
    stages: tuple[str, ...]
    cells: Mapping[tuple[str, str], tuple[MappedOrganisation, ...]]
    pillar_only: tuple[MappedOrganisation, ...] = ()
    stage_only: tuple[MappedOrganisation, ...] = ()
    unplaced: tuple[MappedOrganisation, ...] = ()

    def cell(self, pillar: str, stage: str) -> tuple[MappedOrganisation, ...]:
        return self.cells.get((pillar, stage), ())

    @property
    def gaps(self) -> tuple[tuple[str, str], ...]:
        """The (pillar, stage) cells no organisation covers, in table order."""
        return tuple((p, s) for p in self.pillars for s in self.stages if not self.cell(p, s))

    def rows(self) -> list[tuple[str, list[tuple[str, tuple[MappedOrganisation, ...]]]]]:
        """``[(pillar, [(stage, organisations), …]), …]``: the table, row by row."""
        return [(p, [(s, self.cell(p, s)) for s in self.stages]) for p in self.pillars]


def _by_name(organisation: MappedOrganisation) -> tuple[str, str]:
    return (organisation.name.casefold(), organisation.key.casefold())


def stakeholder_matrix(
    organisations: Iterable[MappedOrganisation],
    *,
    pillars: Sequence[str] = tuple(Pillar),
    stages: Sequence[str] = tuple(ChainStage),
) -> StakeholderMatrix:
    """Place each organisation in every cell of its pillars × its response-chain stages."""
    pillar_list = tuple(str(p) for p in pillars)
    stage_list = tuple(str(s) for s in stages)
    cells: dict[tuple[str, str], list[MappedOrganisation]] = defaultdict(list)
    pillar_only: list[MappedOrganisation] = []
    stage_only: list[MappedOrganisation] = []
    unplaced: list[MappedOrganisation] = []
    for organisation in sorted(organisations, key=_by_name):
        own_pillars = [p for p in pillar_list if p in organisation.pillars]
        own_stages = [s for s in stage_list if s in organisation.chain_stages]
        if own_pillars and own_stages:
            for pillar in own_pillars:
                for stage in own_stages:
                    cells[(pillar, stage)].append(organisation)
        elif own_pillars:
            pillar_only.append(organisation)
        elif own_stages:
            stage_only.append(organisation)
        else:
            unplaced.append(organisation)
    return StakeholderMatrix(
        pillars=pillar_list,
        stages=stage_list,
        cells={position: tuple(found) for position, found in cells.items()},
        pillar_only=tuple(pillar_only),
        stage_only=tuple(stage_only),
        unplaced=tuple(unplaced),
    )


# --- Influence / interest grid -------------------------------------------------------------------------


class Quadrant(StrEnum):
    MANAGE_CLOSELY = "manage_closely"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"


QUADRANT_LABELS: dict[Quadrant, str] = {
    Quadrant.MANAGE_CLOSELY: _("Manage closely"),
    Quadrant.KEEP_SATISFIED: _("Keep satisfied"),
    Quadrant.KEEP_INFORMED: _("Keep informed"),
    Quadrant.MONITOR: _("Monitor"),
}

QUADRANT_DESCRIPTIONS: dict[Quadrant, str] = {
    Quadrant.MANAGE_CLOSELY: _("High influence, high interest: involve in every decision."),
    Quadrant.KEEP_SATISFIED: _("High influence, low interest: consult on what matters to them."),
    Quadrant.KEEP_INFORMED: _("Low influence, high interest: inform regularly, draw on their knowledge."),
    Quadrant.MONITOR: _("Low influence, low interest: watch, inform when needed."),
}


def quadrant_of(
    influence: int, interest: int, *, influence_cut: float = DEFAULT_CUT, interest_cut: float = DEFAULT_CUT
) -> Quadrant:
    """The grid quadrant of one pair of scores; a score equal to the cut is high."""
    high_influence = influence >= influence_cut
    high_interest = interest >= interest_cut
    if high_influence and high_interest:
        return Quadrant.MANAGE_CLOSELY
    if high_influence:
        return Quadrant.KEEP_SATISFIED
    if high_interest:
        return Quadrant.KEEP_INFORMED
    return Quadrant.MONITOR


@dataclass(frozen=True)
class GridPoint:
    organisation: MappedOrganisation
    influence: int
    interest: int
    quadrant: Quadrant


@dataclass(frozen=True)
class InfluenceInterestGrid:
    """Scored organisations with their quadrant (``points``, by name), the cuts used, and the
    organisations that lack a score (``unscored``)."""

    points: tuple[GridPoint, ...]
    influence_cut: float = DEFAULT_CUT
    interest_cut: float = DEFAULT_CUT
    unscored: tuple[MappedOrganisation, ...] = ()
    scale: tuple[int, int] = (SCORE_MIN, SCORE_MAX)

    def in_quadrant(self, quadrant: Quadrant) -> tuple[GridPoint, ...]:
        return tuple(point for point in self.points if point.quadrant == quadrant)

    def quadrant_counts(self) -> dict[Quadrant, int]:
        return {quadrant: len(self.in_quadrant(quadrant)) for quadrant in Quadrant}


def influence_interest_grid(
    organisations: Iterable[MappedOrganisation],
    *,
    influence_cut: float = DEFAULT_CUT,
    interest_cut: float = DEFAULT_CUT,
) -> InfluenceInterestGrid:
    points: list[GridPoint] = []
    unscored: list[MappedOrganisation] = []
    for organisation in sorted(organisations, key=_by_name):
        if organisation.influence is None or organisation.interest is None:
            unscored.append(organisation)
            continue
        points.append(
            GridPoint(
                organisation=organisation,
                influence=organisation.influence,
                interest=organisation.interest,
                quadrant=quadrant_of(
                    organisation.influence,
                    organisation.interest,
                    influence_cut=influence_cut,
                    interest_cut=interest_cut,
                ),
            )
        )
    return InfluenceInterestGrid(
        points=tuple(points),
        influence_cut=influence_cut,
        interest_cut=interest_cut,
        unscored=tuple(unscored),
    )


# --- Counts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """Organisations sharing one value (a type code, a sector code or a location; ``""`` when not given)
    and the staff they report. ``without_staff_figures``: how many of them give no staff total."""

    value: str
    organisations: int = 0
    staff_women: int = 0
    staff_men: int = 0
    staff_total: int = 0
    frontline_women: int = 0
    frontline_men: int = 0
    without_staff_figures: int = 0

    @property
    def frontline_total(self) -> int:
        return self.frontline_women + self.frontline_men


@dataclass(frozen=True)
class StakeholderCounts:
    by_type: tuple[CountRow, ...]
    by_sector: tuple[CountRow, ...]
    by_location: tuple[CountRow, ...]
    total: CountRow = field(default_factory=lambda: CountRow(value=""))


def _count_row(value: str, organisations: Sequence[MappedOrganisation]) -> CountRow:
    return CountRow(
        value=value,
        organisations=len(organisations),
        staff_women=sum(o.staff_women or 0 for o in organisations),
        staff_men=sum(o.staff_men or 0 for o in organisations),
        staff_total=sum(o.staff_total or 0 for o in organisations),
        frontline_women=sum(o.frontline_women or 0 for o in organisations),
        frontline_men=sum(o.frontline_men or 0 for o in organisations),
        without_staff_figures=sum(1 for o in organisations if o.staff_total is None),
    )


def _grouped(
    organisations: Sequence[MappedOrganisation],
    value_of: Callable[[MappedOrganisation], str],
    order: Sequence[str] = (),
) -> tuple[CountRow, ...]:
    """One row per value: the values of ``order`` first, in that order (when present), then the others by
    number of organisations (most first) and name; the empty value ("not given") last."""
    groups: dict[str, list[MappedOrganisation]] = defaultdict(list)
    for organisation in organisations:
        groups[value_of(organisation)].append(organisation)
    rank = {value: index for index, value in enumerate(order)}

    def sort_key(value: str) -> tuple[int, int, int, str]:
        return (value == "", rank.get(value, len(rank)), -len(groups[value]), value.casefold())

    return tuple(_count_row(value, groups[value]) for value in sorted(groups, key=sort_key))


def stakeholder_counts(
    organisations: Iterable[MappedOrganisation],
    *,
    type_order: Sequence[str] = (),
    sector_order: Sequence[str] = (),
) -> StakeholderCounts:
    """Counts by type, sector and location. ``type_order``/``sector_order``: the code-list order in which
    to show these rows (other values follow, most organisations first)."""
    listed = list(organisations)
    return StakeholderCounts(
        by_type=_grouped(listed, lambda o: o.type, type_order),
        by_sector=_grouped(listed, lambda o: o.sector, sector_order),
        by_location=_grouped(listed, lambda o: " ".join(o.location.split())),
        total=_count_row("", listed),
    )


# --- Referral network ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkNode:
    key: str
    label: str
    group: str
    degree: int


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class ReferralNetwork:
    """Organisations that take part in at least one relation (``group``: their type) and the relations,
    by the organisations' keys."""

    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]


def referral_network(
    organisations: Iterable[MappedOrganisation],
    relations: Iterable[MappedRelation],
    *,
    kinds: Iterable[str] | None = None,
) -> ReferralNetwork:
    """Nodes and edges of the relations of ``kinds`` (all kinds when ``None``). Relations naming an
    organisation that is not in ``organisations`` are left out."""
    by_key = {organisation.key: organisation for organisation in organisations}
    wanted = None if kinds is None else {str(kind) for kind in kinds}
    edges = sorted(
        {
            NetworkEdge(source=r.source, target=r.target, kind=r.kind)
            for r in relations
            if r.source in by_key and r.target in by_key and (wanted is None or r.kind in wanted)
        },
        key=lambda e: (by_key[e.source].name.casefold(), by_key[e.target].name.casefold(), e.kind),
    )
    degree: dict[str, int] = defaultdict(int)
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    nodes = [
        NetworkNode(key=key, label=by_key[key].short_name, group=by_key[key].type, degree=degree[key])
        for key in sorted(degree, key=lambda k: _by_name(by_key[k]))
    ]
    return ReferralNetwork(nodes=tuple(nodes), edges=tuple(edges))
