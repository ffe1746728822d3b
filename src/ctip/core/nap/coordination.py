"""The coordination arrangement of a National Action Plan (issue 8, item 2): who leads and who supports
each output, and how the coordination bodies report to one another.

**Lead/support matrix.** An agency *leads* an output when it leads any activity of the output, and
*supports* it when it supports any of them without leading one (leading wins). The coordinator can
change any cell: an override replaces the derived role (``none`` takes the agency off the output) and
stays until it is reset. Agencies are identified by a key chosen by the caller (an organisation id, or
the name as written in an imported draft); outputs by their path (see :mod:`.model`).

**Reporting lines.** Each body reports to at most one other body. The lines form a forest: the bodies
that report to nobody are at the top (level 0), a body is one level below the body it reports to.
:func:`reporting_cycle` says whether a new line would close a loop; :func:`reporting_tree` lays out
stored lines and breaks (and reports) any loop it finds, so a page never hangs on bad data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ctip.core.errors import _
from ctip.core.nap.model import Flag, Nap, Output, Severity, join, walk


class Role(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"
    NONE = "none"


ROLE_LETTERS: dict[Role, str] = {Role.LEAD: _("L"), Role.SUPPORT: _("S"), Role.NONE: ""}
"""The letter shown in a matrix cell (translated by the page)."""


# --- Lead/support matrix ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityAgencies:
    """The agencies of one activity: ``lead`` (``""`` when nobody leads it) and ``supporting``."""

    lead: str = ""
    supporting: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputAgencies:
    """An output (``key``: its path) with the agencies of its activities, in order."""

    key: str
    code: str
    name: str
    activities: tuple[ActivityAgencies, ...] = ()


@dataclass(frozen=True)
class MatrixCell:
    agency: str
    output: str
    derived: Role
    override: Role | None = None

    @property
    def role(self) -> Role:
        """The role in force: the override if there is one, else the role derived from the activities."""
        return self.override if self.override is not None else self.derived

    @property
    def overridden(self) -> bool:
        return self.override is not None


@dataclass(frozen=True)
class LeadSupportMatrix:
    """Agencies (rows) × outputs (columns). ``agencies`` are those with a role somewhere or an override,
    in order of first appearance (outputs in plan order, the lead before the supporters);
    ``outputs`` every output of the plan, in plan order."""

    agencies: tuple[str, ...]
    outputs: tuple[OutputAgencies, ...]
    cells: Mapping[tuple[str, str], MatrixCell] = field(default_factory=dict)

    def cell(self, agency: str, output: str) -> MatrixCell:
        found = self.cells.get((agency, output))
        return found if found is not None else MatrixCell(agency, output, Role.NONE)

    def role(self, agency: str, output: str) -> Role:
        return self.cell(agency, output).role

    def agencies_with(self, output: str, role: Role) -> tuple[str, ...]:
        return tuple(agency for agency in self.agencies if self.role(agency, output) == role)

    def counts(self, agency: str) -> tuple[int, int]:
        """(outputs led, outputs supported) by the agency."""
        roles = [self.role(agency, output.key) for output in self.outputs]
        return roles.count(Role.LEAD), roles.count(Role.SUPPORT)

    def flags(self) -> list[Flag]:
        """Outputs nobody leads, and outputs led by several agencies (shared accountability is nobody's)."""
        flags: list[Flag] = []
        for output in self.outputs:
            leads = self.agencies_with(output.key, Role.LEAD)
            if not leads:
                flags.append(
                    Flag(
                        "output_without_lead",
                        Severity.WARNING,
                        _("No agency leads output %(code)s: name a lead agency for one of its activities."),
                        {"code": output.code},
                        output.key,
                    )
                )
            elif len(leads) > 1:
                flags.append(
                    Flag(
                        "output_several_leads",
                        Severity.WARNING,
                        _(
                            "%(count)s agencies lead output %(code)s: consider making one of them accountable "
                            "and the others supporting."
                        ),
                        {"count": len(leads), "code": output.code},
                        output.key,
                    )
                )
        return flags


def derived_roles(outputs: Iterable[OutputAgencies]) -> dict[tuple[str, str], Role]:
    """(agency, output) → lead or support, from the activities alone (cells without a role are absent)."""
    roles: dict[tuple[str, str], Role] = {}
    for output in outputs:
        for activity in output.activities:
            if activity.lead:
                roles[(activity.lead, output.key)] = Role.LEAD
        for activity in output.activities:
            for agency in activity.supporting:
                if agency and (agency, output.key) not in roles:
                    roles[(agency, output.key)] = Role.SUPPORT
    return roles


def lead_support_matrix(
    outputs: Sequence[OutputAgencies], overrides: Mapping[tuple[str, str], Role] | None = None
) -> LeadSupportMatrix:
    """The matrix derived from the activities, with the coordinator's ``overrides`` applied
    ((agency, output key) → role). An override of an output that is no longer in the plan is ignored."""
    derived = derived_roles(outputs)
    known = {output.key for output in outputs}
    overrides = {key: Role(role) for key, role in (overrides or {}).items() if key[1] in known}
    order: dict[str, None] = {}
    for output in outputs:
        for activity in output.activities:
            for agency in (activity.lead, *activity.supporting):
                if agency and (agency, output.key) in derived:
                    order.setdefault(agency, None)
    for agency, _output in overrides:
        order.setdefault(agency, None)
    cells = {
        key: MatrixCell(key[0], key[1], derived.get(key, Role.NONE), overrides.get(key))
        for key in {*derived, *overrides}
    }
    return LeadSupportMatrix(tuple(order), tuple(outputs), cells)


def outputs_of(nap: Nap) -> tuple[OutputAgencies, ...]:
    """The plan's outputs with the agencies of their activities, agencies named as written."""
    found: list[OutputAgencies] = []
    for path, element in walk(nap):
        if isinstance(element, Output):
            found.append(
                OutputAgencies(
                    path,
                    element.code,
                    element.name,
                    tuple(
                        ActivityAgencies(activity.lead_agency, activity.supporting_agencies)
                        for activity in element.activities
                    ),
                )
            )
    return tuple(found)


# --- Reporting lines -------------------------------------------------------------------------------------


def reporting_cycle(
    reports_to: Mapping[str, str | None], body: str, new_parent: str | None
) -> tuple[str, ...] | None:
    """The loop ``body`` → ``new_parent`` → … → ``body`` that the line would close, or ``None``.

    ``reports_to`` holds the current lines (body → the body it reports to, ``None`` for none). A body
    reporting to itself is the shortest loop: ``(body, body)``."""
    if new_parent is None:
        return None
    chain = [body]
    current: str | None = new_parent
    seen = {body}
    while current is not None:
        chain.append(current)
        if current == body:
            return tuple(chain)
        if current in seen:  # a loop further up that does not pass through ``body``: not ours to report
            return None
        seen.add(current)
        current = reports_to.get(current)
    return None


def cycle_text(cycle: Sequence[str], names: Mapping[str, str]) -> str:
    """``"Technical committee → Working group 1 → Technical committee"``."""
    return " → ".join(names.get(key, key) for key in cycle)


@dataclass(frozen=True)
class TreeRow:
    """A body in the reporting tree: its depth (0 at the top), the body it reports to (``None`` at the
    top, also when its stored line was broken) and how many bodies report to it."""

    key: str
    depth: int
    parent: str | None
    children: int


@dataclass(frozen=True)
class ReportingTree:
    """The bodies in tree order (each body followed by those reporting to it), and the stored lines
    that were left out: to an unknown body, or closing a loop (``broken``: body → the line it had)."""

    rows: tuple[TreeRow, ...]
    broken: Mapping[str, str] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        """The number of levels (0 for no body)."""
        return max((row.depth for row in self.rows), default=-1) + 1

    def levels(self) -> list[list[str]]:
        """Bodies by level, top first, each level in tree order."""
        levels: list[list[str]] = [[] for _ in range(self.depth)]
        for row in self.rows:
            levels[row.depth].append(row.key)
        return levels


def reporting_tree(bodies: Sequence[tuple[str, str | None]]) -> ReportingTree:
    """Lay out ``(body, reports_to)`` pairs, given in display order. A line to a body not in the list,
    or one that closes a loop, is dropped (the body goes to the top) and listed in ``broken``."""
    keys = [key for key, _parent in bodies]
    known = set(keys)
    parent_of: dict[str, str | None] = {}
    broken: dict[str, str] = {}
    for key, parent in bodies:
        if parent is not None and parent not in known:
            broken[key] = parent
            parent = None
        parent_of[key] = parent
    for key in keys:  # break each loop at the first of its bodies in display order
        if reporting_cycle({k: v for k, v in parent_of.items() if k != key}, key, parent_of[key]):
            broken[key] = parent_of[key] or ""
            parent_of[key] = None
    children: dict[str | None, list[str]] = {}
    for key in keys:
        children.setdefault(parent_of[key], []).append(key)
    rows: list[TreeRow] = []

    def visit(key: str, depth: int) -> None:
        rows.append(TreeRow(key, depth, parent_of[key], len(children.get(key, []))))
        for child in children.get(key, []):
            visit(child, depth + 1)

    for root in children.get(None, []):
        visit(root, 0)
    return ReportingTree(tuple(rows), broken)


# --- The default arrangement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyTemplate:
    """A body of the typical arrangement: ``key`` names it within the set, ``reports_to`` is the key of
    the body above; ``pillar`` the code of the pillar of a working group; ``chair`` says who chairs it:
    ``"lead"`` the lead ministry, ``"pillar_lead"`` the agency leading most activities of the pillar,
    ``""`` to be named. Texts are marked for translation and translated by the caller."""

    key: str
    name: str
    kind: str
    reports_to: str | None
    meeting_frequency: str
    mandate: str
    chair: str = ""
    pillar: str = ""
    name_params: Mapping[str, str] = field(default_factory=dict)


def default_arrangement(pillars: Sequence[tuple[str, str]]) -> tuple[BodyTemplate, ...]:
    """The typical arrangement for a plan with these ``(code, name)`` pillars: an inter-ministerial
    committee chaired by the lead ministry, a technical committee reporting to it, one working group per
    pillar reporting to the technical committee, and an independent national rapporteur."""
    bodies = [
        BodyTemplate(
            "imc",
            _("Inter-ministerial committee"),
            "interministerial",
            None,
            _("Twice a year"),
            _(
                "Gives the plan its political direction, adopts the annual work plans and budgets, and "
                "resolves what the technical committee cannot."
            ),
            chair="lead",
        ),
        BodyTemplate(
            "technical",
            _("Technical committee"),
            "technical",
            "imc",
            _("Quarterly"),
            _(
                "Coordinates implementation across agencies, reviews progress against the indicators "
                "and prepares the reports to the inter-ministerial committee."
            ),
            chair="lead",
        ),
    ]
    for code, name in pillars:
        bodies.append(
            BodyTemplate(
                f"wg-{code}",
                _("Working group: %(pillar)s"),
                "working_group",
                "technical",
                _("Monthly"),
                _(
                    "Plans and follows the activities of the pillar, and reports on them to the technical "
                    "committee."
                ),
                chair="pillar_lead",
                pillar=code,
                name_params={"pillar": name},
            )
        )
    bodies.append(
        BodyTemplate(
            "rapporteur",
            _("National rapporteur"),
            "rapporteur",
            None,
            _("Reports once a year"),
            _(
                "Independently monitors the implementation of the plan and the trends in trafficking, "
                "and reports on them to government and parliament."
            ),
        )
    )
    return tuple(bodies)


def most_frequent_lead(outputs: Iterable[OutputAgencies], prefix: str = "") -> str:
    """The agency leading the most activities (of the outputs whose path starts with ``prefix``, e.g. a
    pillar code followed by "/"); ties go to the first one met; ``""`` when no activity has a lead."""
    counts: dict[str, int] = {}
    for output in outputs:
        if not output.key.startswith(prefix):
            continue
        for activity in output.activities:
            if activity.lead:
                counts[activity.lead] = counts.get(activity.lead, 0) + 1
    return max(counts, key=lambda agency: counts[agency], default="")


def pillar_prefix(code: str) -> str:
    """The path prefix of a pillar's elements."""
    return join(code, "")
