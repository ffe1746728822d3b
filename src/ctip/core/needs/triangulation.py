"""Triangulation: does the qualitative evidence (interviews and focus-group discussions coded to themes)
point at the same needs as the survey?

For each item, the survey's Locus for Focus priority is set against the number of sources (interviews or
discussions) with an excerpt coded to a theme of that competency:

================  =====================================  ==================================
Survey priority   ≥ ``min_sources`` sources               fewer sources
================  =====================================  ==================================
1 (HH)            ``agree`` — both say it is a need       ``survey_only``
2 (HL, LH)        ``agree`` — both point at a need        ``neither``
3 (LL)            ``interviews_only`` (a disagreement)    ``neither`` — both say it is no need
none (no ratings) ``interviews_only``                     ``neither``
================  =====================================  ==================================

``sources`` adds the sources of every theme coded to the item, so an interview coded to two of its
themes counts twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.needs.model import ItemNeed
from ctip.core.tna.model import Text

AGREE = "agree"
SURVEY_ONLY = "survey_only"
INTERVIEWS_ONLY = "interviews_only"
NEITHER = "neither"


@dataclass(frozen=True)
class ThemeEvidence:
    """One qualitative theme coded to a competency."""

    theme: str  # theme code
    title: Text
    sources: int  # interviews/FGDs with an excerpt coded to it
    organisation_types: tuple[str, ...]
    quote: str = ""  # an anonymised quote ("" when none)


@dataclass(frozen=True)
class Triangulated:
    """One item's survey priority next to its qualitative evidence."""

    code: str
    rank: int | None
    priority: int | None
    themes: tuple[ThemeEvidence, ...]
    sources: int  # total sources over the themes
    agreement: str  # "agree" | "survey_only" | "interviews_only" | "neither"


def _agreement(priority: int | None, supported: bool) -> str:
    if priority == 1:
        return AGREE if supported else SURVEY_ONLY
    if priority == 2:
        return AGREE if supported else NEITHER
    return INTERVIEWS_ONLY if supported else NEITHER


def triangulate(
    items: Sequence[ItemNeed],
    evidence: Mapping[str, Sequence[ThemeEvidence]],
    *,
    min_sources: int = 2,
) -> tuple[Triangulated, ...]:
    """One :class:`Triangulated` per item, in the order of ``items``; ``evidence`` maps a competency code
    to its themes (codes without a theme have none)."""
    if min_sources < 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Interviews support a need from at least 1 source, not %(value)s."),
            {"value": min_sources},
        )
    result = []
    for item in items:
        themes = tuple(evidence.get(item.code, ()))
        sources = sum(theme.sources for theme in themes)
        result.append(
            Triangulated(
                code=item.code,
                rank=item.rank,
                priority=item.priority,
                themes=themes,
                sources=sources,
                agreement=_agreement(item.priority, sources >= min_sources),
            )
        )
    return tuple(result)
