"""Links from the NAP to findings (issue 8, item 5): which legal gaps and top TNA needs no element of the
plan addresses yet, and which elements rest on no finding at all.

Any element (pillar … activity) can cite findings. A citation is a finding id ``"<source>:<code>"``:
``"legal:P09"`` (a legal-review gap, by checklist item code), ``"tna:FD01"`` (a TNA need, by competency
code), ``"library:…"`` (a library finding). Citations are given as a mapping from element path (see
:func:`ctip.core.nap.model.walk`) to the set of ids the element cites.

An element *rests on no finding* when neither it, nor an element above it, nor one below it cites
anything: an activity under a cited output is grounded, and so is a pillar one of whose activities cites
a TNA need. Indicators and cost lines are not judged (they belong to their outcome, output or activity).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from ctip.core.nap.model import SEP, CostLine, IndicatorRef, Nap, ancestor_paths, walk

LEGAL = "legal"
TNA = "tna"
LIBRARY = "library"


def finding_id(source: str, code: str) -> str:
    """``finding_id("legal", "P09")`` → ``"legal:P09"``."""
    return f"{source}:{code}"


Citations = Mapping[str, Set[str]]
"""Element path → the finding ids it cites."""


@dataclass(frozen=True)
class CoverageItem:
    """A legal gap or TNA need and the paths of the elements that cite it (empty: not addressed)."""

    id: str
    code: str
    label: str
    cited_by: tuple[str, ...] = ()

    @property
    def addressed(self) -> bool:
        return bool(self.cited_by)


@dataclass(frozen=True)
class Coverage:
    """``gaps`` and ``needs`` in the order given, each with who cites it; ``ungrounded`` the paths of the
    elements resting on no finding, in document order; ``unknown_citations`` the ids an element cites
    that are neither a listed gap nor a listed need although they claim to be one (``legal:`` or ``tna:``
    ids no longer in the lists: a gap since closed, a need no longer on top); ``unknown_paths`` cited
    paths that are not in the plan (an element since deleted or renumbered)."""

    gaps: tuple[CoverageItem, ...]
    needs: tuple[CoverageItem, ...]
    ungrounded: tuple[str, ...]
    unknown_citations: Mapping[str, tuple[str, ...]]
    unknown_paths: tuple[str, ...]

    @property
    def unaddressed_gaps(self) -> tuple[CoverageItem, ...]:
        return tuple(item for item in self.gaps if not item.addressed)

    @property
    def unaddressed_needs(self) -> tuple[CoverageItem, ...]:
        return tuple(item for item in self.needs if not item.addressed)

    @property
    def complete(self) -> bool:
        """Every gap and need addressed, and every element grounded."""
        return not (self.unaddressed_gaps or self.unaddressed_needs or self.ungrounded)


def element_paths(nap: Nap) -> tuple[str, ...]:
    """The paths of the elements that can cite findings (pillars … activities), in document order."""
    return tuple(path for path, element in walk(nap) if not isinstance(element, (IndicatorRef, CostLine)))


def coverage(
    nap: Nap,
    citations: Citations,
    *,
    legal_gaps: Mapping[str, str] | None = None,
    tna_needs: Mapping[str, str] | None = None,
) -> Coverage:
    """The coverage view. ``legal_gaps`` and ``tna_needs`` map codes (``"P09"``, ``"FD01"``) to labels."""
    paths = element_paths(nap)
    known = set(paths)
    cited = {path: frozenset(ids) for path, ids in citations.items() if path in known and ids}

    def items(source: str, listed: Mapping[str, str] | None) -> tuple[CoverageItem, ...]:
        return tuple(
            CoverageItem(
                id=finding_id(source, code),
                code=code,
                label=label,
                cited_by=tuple(p for p in paths if finding_id(source, code) in cited.get(p, ())),
            )
            for code, label in (listed or {}).items()
        )

    gaps, needs = items(LEGAL, legal_gaps), items(TNA, tna_needs)
    listed_ids = {item.id for item in gaps + needs}
    unknown: dict[str, tuple[str, ...]] = {}
    for path in paths:
        stale = sorted(
            finding
            for finding in cited.get(path, ())
            if finding.startswith((f"{LEGAL}:", f"{TNA}:")) and finding not in listed_ids
        )
        if stale:
            unknown[path] = tuple(stale)
    grounded: set[str] = set()
    for path in cited:
        grounded.add(path)
        grounded.update(ancestor_paths(path))
    ungrounded = tuple(
        path
        for path in paths
        if path not in grounded and not any(ancestor in cited for ancestor in ancestor_paths(path))
    )
    return Coverage(
        gaps=gaps,
        needs=needs,
        ungrounded=ungrounded,
        unknown_citations=unknown,
        unknown_paths=tuple(sorted(path for path, ids in citations.items() if path not in known)),
    )


def is_under(path: str, ancestor: str) -> bool:
    """True when ``path`` is ``ancestor`` or sits below it."""
    return path == ancestor or path.startswith(ancestor + SEP)
