"""Who the plan trains, and in what: segments and their demand, drawn from the TNA.

**Segments.** A segment is the staff of one organisation in one *role group* at one *location*. Each survey
respondent whose organisation is in the registry belongs to exactly one segment:

* the *location* is their answer to "Where do you mainly work?" (else the organisation's location in the
  registry, else the place most respondents named, else :data:`NO_LOCATION`);
* the *role group* comes from their answer to "What is your role or rank?" (free text):
  ``management`` when it names a managerial post (manager, director, head, chief, supervisor,
  commissioner, coordinator, … in English or French); otherwise ``frontline`` when the organisation
  reports frontline staff or the answer names a frontline post (officer, inspector, social worker, nurse,
  prosecutor, …); otherwise ``other_staff``.

Respondents whose organisation is not in the registry have no staff figures: they count in the overall
shares below but belong to no segment (:attr:`DemandDerivation.unmatched_respondents` says how many).

**Staff of a segment, by sex.** The registry gives each organisation its staff (women, men, or only a
total) and its frontline staff (women, men). An organisation's segments share these figures in proportion
to the number of respondents in each, on the assumption that the survey reached every group and place
about as often as it employs people there:

* frontline segments share the frontline staff and the other segments share the rest (staff − frontline)
  when the registry gives both and the rest is not zero; otherwise all the organisation's segments share
  its whole staff;
* a staff total without a split by sex is split by the share of women among the organisation's
  respondents who gave their sex (half and half when none did);
* without any staff figure a segment counts its own respondents (women, men, and the others shared half
  and half): at least the people who answered;
* shares are rounded to whole people by the largest-remainder method, so the parts add up exactly to the
  figure shared; ties go to the segment that comes first (role group, then location).

**Staff in need of a competency.** For each segment and each competency of the instrument: the segment's
staff (by sex) × the share of the segment's respondents with a gap (own competence lower than the
importance they give it) among those who rated both. A segment with fewer than ``min_respondents`` such
respondents uses the share over all respondents instead (too few answers say little, and could point at
the people who gave them). Each figure is rounded half up. Rows with nobody in need are left out.

**Weight.** The item's Borich mean weighted discrepancy score (MWDS, from the TNA analysis) over all
respondents, floored at ``min_weight`` so that a row with people in need is never worth nothing to the
plan. The MWDS itself is kept as the row's need score.

**Training locations.** Given ``venues`` (place → training location, see :mod:`ctip.core.planning.venues`),
each segment is computed at its place as above, then moved to its place's training location (a place the
map does not name stays where it is). Segments of one organisation and role group that land at the same
training location are merged: their staff and respondents are summed; their demand rows for a competency
too (staff in need summed, ``rated`` summed), with the need score and the weight the means of the parts
weighted by their staff in need, and the share the staff in need over the merged staff (``segment`` when
every part used its own share, else ``overall``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ctip.core.needs.model import (
    ATTRIBUTE_LOCATION,
    ATTRIBUTE_ROLE,
    ATTRIBUTE_SEX,
    NeedsData,
)

ROLE_FRONTLINE = "frontline"
ROLE_MANAGEMENT = "management"
ROLE_OTHER = "other_staff"
ROLE_GROUPS = (ROLE_FRONTLINE, ROLE_MANAGEMENT, ROLE_OTHER)
NO_LOCATION = "(location not stated)"
MIN_RESPONDENTS = 5
MIN_WEIGHT = 0.1

SHARE_SEGMENT = "segment"
SHARE_OVERALL = "overall"

STAFF_FRONTLINE = "frontline"
STAFF_NON_FRONTLINE = "non_frontline"
STAFF_TOTAL = "total"
STAFF_RESPONDENTS = "respondents"

_MANAGEMENT_WORDS = (
    "manager",
    "management",
    "director",
    "head",
    "chief",
    "supervisor",
    "commissioner",
    "coordinator",
    "superintendent",
    "commander",
    "permanent secretary",
    "directeur",
    "directrice",
    "chef",
    "cheffe",
    "responsable",
    "commissaire",
    "coordonnateur",
    "coordonnatrice",
    "coordinateur",
    "coordinatrice",
    "gestionnaire",
    "superviseur",
    "superviseure",
)
_FRONTLINE_WORDS = (
    "officer",
    "inspector",
    "constable",
    "sergeant",
    "corporal",
    "investigator",
    "detective",
    "social worker",
    "caseworker",
    "case worker",
    "counsellor",
    "counselor",
    "nurse",
    "doctor",
    "physician",
    "teacher",
    "prosecutor",
    "magistrate",
    "judge",
    "guard",
    "outreach",
    "interpreter",
    "frontline",
    "front-line",
    "policier",
    "policière",
    "gendarme",
    "inspecteur",
    "inspectrice",
    "enquêteur",
    "enquêtrice",
    "travailleur social",
    "travailleuse sociale",
    "assistant social",
    "assistante sociale",
    "éducateur",
    "éducatrice",
    "infirmier",
    "infirmière",
    "médecin",
    "enseignant",
    "enseignante",
    "procureur",
    "juge",
    "agent",
    "conseiller",
    "conseillère",
)


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + r")s?(?!\w)")


_MANAGEMENT = _pattern(_MANAGEMENT_WORDS)
_FRONTLINE = _pattern(_FRONTLINE_WORDS)


@dataclass(frozen=True)
class OrganisationStaff:
    """An organisation's staff figures from the registry (``None``: not known)."""

    key: str
    location: str = ""
    staff_women: int | None = None
    staff_men: int | None = None
    staff_total: int | None = None
    frontline_women: int | None = None
    frontline_men: int | None = None

    @property
    def has_frontline(self) -> bool:
        return (self.frontline_women or 0) + (self.frontline_men or 0) > 0


@dataclass(frozen=True)
class Respondent:
    """One survey respondent as the demand needs them: ``rated`` are the competencies they rated for both
    importance and own competence, ``gaps`` those of them with competence lower than importance."""

    key: str
    organisation: str  # OrganisationStaff.key; "" when not in the registry
    role: str
    location: str
    sex: str  # "female", "male", anything else: not stated
    rated: frozenset[str]
    gaps: frozenset[str]


@dataclass(frozen=True)
class DerivedSegment:
    organisation: str
    role_group: str
    location: str
    is_frontline: bool
    staff_female: int
    staff_male: int
    respondents: int
    staff_source: (
        str  # which figure was shared: STAFF_FRONTLINE, STAFF_NON_FRONTLINE, STAFF_TOTAL, STAFF_RESPONDENTS
    )

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.organisation, self.role_group, self.location)


@dataclass(frozen=True)
class DerivedDemand:
    organisation: str
    role_group: str
    location: str
    competency: str
    staff_female: int
    staff_male: int
    need_score: float | None  # the item's MWDS
    weight: float
    share: float  # share of respondents with a gap that was applied
    share_source: str  # SHARE_SEGMENT or SHARE_OVERALL
    rated: int  # the segment's respondents who rated the competency

    @property
    def segment_key(self) -> tuple[str, str, str]:
        return (self.organisation, self.role_group, self.location)


@dataclass(frozen=True)
class DemandDerivation:
    segments: tuple[DerivedSegment, ...]
    demands: tuple[DerivedDemand, ...]
    unmatched_respondents: int  # respondents whose organisation is not in the registry


def role_group(role: str, *, organisation_has_frontline: bool) -> str:
    """The role group of a role/rank answer (see the module docstring)."""
    text = " ".join(role.casefold().split())
    if text and _MANAGEMENT.search(text):
        return ROLE_MANAGEMENT
    if organisation_has_frontline or (text and _FRONTLINE.search(text)):
        return ROLE_FRONTLINE
    return ROLE_OTHER


def respondents_from_needs_data(
    data: NeedsData, organisation_of: Mapping[str, str]
) -> tuple[Respondent, ...]:
    """The respondents of the gap-analysis input, each with the registry organisation ``organisation_of``
    gives for their submission key (``""`` when it gives none)."""
    codes = [item.code for item in data.items]
    rated = ~np.isnan(data.importance) & ~np.isnan(data.competence)
    with np.errstate(invalid="ignore"):
        gaps = rated & (data.competence < data.importance)
    count = len(data.respondents)
    blank = ("",) * count
    roles = data.attributes.get(ATTRIBUTE_ROLE, blank)
    locations = data.attributes.get(ATTRIBUTE_LOCATION, blank)
    sexes = data.attributes.get(ATTRIBUTE_SEX, blank)
    return tuple(
        Respondent(
            key=key,
            organisation=organisation_of.get(key, ""),
            role=roles[row],
            location=locations[row].strip(),
            sex=sexes[row],
            rated=frozenset(code for column, code in enumerate(codes) if rated[row, column]),
            gaps=frozenset(code for column, code in enumerate(codes) if gaps[row, column]),
        )
        for row, key in enumerate(data.respondents)
    )


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers that add up to ``total`` (Hamilton's
    method; ties go to the earlier weight). All zeros when the weights sum to zero."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [math.floor(value) for value in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda index: (-(exact[index] - parts[index]), index))
    for index in order[:left]:
        parts[index] += 1
    return parts


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _location(respondent: Respondent, organisation: OrganisationStaff, fallback: str) -> str:
    return respondent.location or organisation.location.strip() or fallback or NO_LOCATION


def _by_sex(total: int, members: Sequence[Respondent]) -> tuple[int, int]:
    women = sum(1 for member in members if member.sex == "female")
    men = sum(1 for member in members if member.sex == "male")
    if women + men == 0:
        women = men = 1
    female, male = largest_remainder(total, [women, men])
    return female, male


def _total_staff(organisation: OrganisationStaff, members: Sequence[Respondent]) -> tuple[int, int] | None:
    if organisation.staff_women is not None or organisation.staff_men is not None:
        return organisation.staff_women or 0, organisation.staff_men or 0
    if organisation.staff_total is not None:
        return _by_sex(organisation.staff_total, members)
    return None


def _respondent_staff(members: Sequence[Respondent]) -> tuple[int, int]:
    women = sum(1 for member in members if member.sex == "female")
    men = sum(1 for member in members if member.sex == "male")
    others = len(members) - women - men
    return women + others // 2, men + others - others // 2


def _share_pool(
    pool: tuple[int, int], groups: Sequence[tuple[tuple[str, str], list[Respondent]]]
) -> list[tuple[int, int]]:
    sizes = [len(members) for _key, members in groups]
    women = largest_remainder(pool[0], sizes)
    men = largest_remainder(pool[1], sizes)
    return list(zip(women, men, strict=True))


def _organisation_segments(
    organisation: OrganisationStaff, members: Sequence[Respondent], fallback_location: str
) -> list[tuple[DerivedSegment, list[Respondent]]]:
    grouped: dict[tuple[str, str], list[Respondent]] = {}
    for member in members:
        group = role_group(member.role, organisation_has_frontline=organisation.has_frontline)
        grouped.setdefault((group, _location(member, organisation, fallback_location)), []).append(member)
    ordered = sorted(grouped.items(), key=lambda item: (ROLE_GROUPS.index(item[0][0]), item[0][1]))
    total = _total_staff(organisation, members)
    staff: dict[tuple[str, str], tuple[int, int]] = {}
    source: dict[tuple[str, str], str] = {}
    if total is None:
        for key, group_members in ordered:
            staff[key] = _respondent_staff(group_members)
            source[key] = STAFF_RESPONDENTS
    else:
        frontline = (organisation.frontline_women or 0, organisation.frontline_men or 0)
        rest = (max(total[0] - frontline[0], 0), max(total[1] - frontline[1], 0))
        if organisation.has_frontline and sum(rest) > 0:
            pools = [
                (frontline, STAFF_FRONTLINE, [item for item in ordered if item[0][0] == ROLE_FRONTLINE]),
                (rest, STAFF_NON_FRONTLINE, [item for item in ordered if item[0][0] != ROLE_FRONTLINE]),
            ]
        else:
            pools = [(total, STAFF_TOTAL, ordered)]
        for pool, name, pool_groups in pools:
            for (key, _members), figures in zip(pool_groups, _share_pool(pool, pool_groups), strict=True):
                staff[key] = figures
                source[key] = name
    return [
        (
            DerivedSegment(
                organisation=organisation.key,
                role_group=group,
                location=location,
                is_frontline=group == ROLE_FRONTLINE,
                staff_female=staff[(group, location)][0],
                staff_male=staff[(group, location)][1],
                respondents=len(group_members),
                staff_source=source[(group, location)],
            ),
            group_members,
        )
        for (group, location), group_members in ordered
    ]


def derive_demand(
    respondents: Sequence[Respondent],
    organisations: Mapping[str, OrganisationStaff],
    competencies: Sequence[str],
    need_scores: Mapping[str, float | None],
    *,
    min_respondents: int = MIN_RESPONDENTS,
    min_weight: float = MIN_WEIGHT,
    venues: Mapping[str, str] | None = None,
) -> DemandDerivation:
    """Segments and their demand (see the module docstring for the method). ``competencies`` are the
    instrument's codes, in the order the rows should follow; ``need_scores`` maps a code to its MWDS over
    all respondents. Deterministic: the same input gives the same output, in the same order (organisation
    key, role group, location, then competency). ``venues`` maps places to training locations (see the
    module docstring)."""
    stated = Counter(respondent.location for respondent in respondents if respondent.location)
    fallback = min(stated.items(), key=lambda item: (-item[1], item[0]))[0] if stated else ""
    overall_rated = Counter(code for respondent in respondents for code in respondent.rated)
    overall_gaps = Counter(code for respondent in respondents for code in respondent.gaps)
    members_of: dict[str, list[Respondent]] = {}
    unmatched = 0
    for respondent in respondents:
        if respondent.organisation in organisations:
            members_of.setdefault(respondent.organisation, []).append(respondent)
        else:
            unmatched += 1
    segments: list[DerivedSegment] = []
    demands: list[DerivedDemand] = []
    for key in sorted(members_of):
        for segment, members in _organisation_segments(organisations[key], members_of[key], fallback):
            segments.append(segment)
            for code in competencies:
                if not overall_rated[code]:
                    continue
                rated = sum(1 for member in members if code in member.rated)
                if rated >= min_respondents:
                    share = sum(1 for member in members if code in member.gaps) / rated
                    source = SHARE_SEGMENT
                else:
                    share = overall_gaps[code] / overall_rated[code]
                    source = SHARE_OVERALL
                female = min(_round_half_up(segment.staff_female * share), segment.staff_female)
                male = min(_round_half_up(segment.staff_male * share), segment.staff_male)
                if female + male == 0:
                    continue
                score = need_scores.get(code)
                demands.append(
                    DerivedDemand(
                        organisation=segment.organisation,
                        role_group=segment.role_group,
                        location=segment.location,
                        competency=code,
                        staff_female=female,
                        staff_male=male,
                        need_score=score,
                        weight=max(score if score is not None else 0.0, min_weight),
                        share=share,
                        share_source=source,
                        rated=rated,
                    )
                )
    if venues:
        segments, demands = segments_at_venues(segments, demands, venues, competencies)
    return DemandDerivation(tuple(segments), tuple(demands), unmatched)


def _weighted_mean(pairs: Sequence[tuple[float, int]]) -> float:
    total = sum(weight for _value, weight in pairs)
    if total == 0:
        return sum(value for value, _weight in pairs) / len(pairs)
    return sum(value * weight for value, weight in pairs) / total


def _merged_demand(parts: Sequence[DerivedDemand], segment: DerivedSegment, competency: str) -> DerivedDemand:
    female = sum(part.staff_female for part in parts)
    male = sum(part.staff_male for part in parts)
    scores = [
        (part.need_score, part.staff_female + part.staff_male)
        for part in parts
        if part.need_score is not None
    ]
    staff = segment.staff_female + segment.staff_male
    return DerivedDemand(
        organisation=segment.organisation,
        role_group=segment.role_group,
        location=segment.location,
        competency=competency,
        staff_female=female,
        staff_male=male,
        need_score=_weighted_mean(scores) if scores else None,
        weight=_weighted_mean([(part.weight, part.staff_female + part.staff_male) for part in parts]),
        share=(female + male) / staff if staff else 0.0,
        share_source=SHARE_SEGMENT
        if all(part.share_source == SHARE_SEGMENT for part in parts)
        else SHARE_OVERALL,
        rated=sum(part.rated for part in parts),
    )


def segments_at_venues(
    segments: Sequence[DerivedSegment],
    demands: Sequence[DerivedDemand],
    venues: Mapping[str, str],
    competencies: Sequence[str],
) -> tuple[list[DerivedSegment], list[DerivedDemand]]:
    """The segments and demand moved to their training locations, merged where they meet."""
    grouped: dict[tuple[str, str, str], list[DerivedSegment]] = {}
    for segment in segments:
        venue = venues.get(segment.location, segment.location) or segment.location
        grouped.setdefault((segment.organisation, segment.role_group, venue), []).append(segment)
    rows_of: dict[tuple[str, str, str], list[DerivedDemand]] = {}
    for demand in demands:
        rows_of.setdefault(demand.segment_key, []).append(demand)
    position = {code: index for index, code in enumerate(competencies)}
    merged_segments: list[DerivedSegment] = []
    merged_demands: list[DerivedDemand] = []
    for (_organisation, _group, venue), parts in sorted(
        grouped.items(), key=lambda item: (item[0][0], ROLE_GROUPS.index(item[0][1]), item[0][2])
    ):
        if len(parts) == 1:
            merged = replace(parts[0], location=venue)
            merged_segments.append(merged)
            merged_demands.extend(replace(row, location=venue) for row in rows_of.get(parts[0].key, []))
            continue
        merged = replace(
            parts[0],
            location=venue,
            staff_female=sum(part.staff_female for part in parts),
            staff_male=sum(part.staff_male for part in parts),
            respondents=sum(part.respondents for part in parts),
        )
        merged_segments.append(merged)
        by_competency: dict[str, list[DerivedDemand]] = {}
        for part in parts:
            for row in rows_of.get(part.key, []):
                by_competency.setdefault(row.competency, []).append(row)
        for code in sorted(by_competency, key=lambda code: position.get(code, len(position))):
            merged_demands.append(_merged_demand(by_competency[code], merged, code))
    return merged_segments, merged_demands
