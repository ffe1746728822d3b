"""Reads of the stakeholder registry: lists, one organisation with what hangs off it, labels, and the
mapping (matrix, influence/interest grid, counts, network) computed by ``ctip.core.stakeholder_mapping``.

The inception report uses :func:`stakeholder_matrix`, :func:`stakeholder_counts` and
:func:`stakeholder_mapping_charts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from ctip.core.stakeholder_mapping import (
    InfluenceInterestGrid,
    MappedOrganisation,
    MappedRelation,
    ReferralNetwork,
    StakeholderCounts,
    StakeholderMatrix,
    influence_interest_grid,
    referral_network,
)
from ctip.core.stakeholder_mapping import stakeholder_counts as count_stakeholders
from ctip.core.stakeholder_mapping import stakeholder_matrix as matrix_of
from ctip.core.stakeholders import (
    CHAIN_STAGE_LABELS,
    LEVEL_LABELS,
    PILLAR_LABELS,
    RELATION_KIND_LABELS,
    SECTOR_LABELS,
    Sector,
)
from ctip.formats.charts import Chart
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import (
    FocalPoint,
    Organisation,
    OrganisationRelation,
    OrganisationType,
    PriorTraining,
)


@dataclass(frozen=True)
class OrganisationFilter:
    type: str = ""
    sector: str = ""
    location: str = ""
    pillar: str = ""
    search: str = ""


def organisation_types(workspace: Workspace) -> QuerySet[OrganisationType]:
    return OrganisationType.objects.filter(workspace=workspace).order_by("label")


def organisation_type_usage(workspace: Workspace) -> dict[str, int]:
    """Type code → number of organisations of that type."""
    rows = Organisation.objects.filter(workspace=workspace).values("type").annotate(organisations=Count("pk"))
    return {row["type"]: row["organisations"] for row in rows}


def type_labels(workspace: Workspace) -> dict[str, str]:
    """Type code → label in the reader's language (the default labels are translated; labels a workspace
    typed itself are shown as typed)."""
    return {row.code: gettext(row.label) for row in OrganisationType.objects.filter(workspace=workspace)}


@dataclass(frozen=True)
class MappingLabels:
    """Every code of the registry → its label in the reader's language."""

    types: Mapping[str, str]
    sectors: Mapping[str, str]
    levels: Mapping[str, str]
    pillars: Mapping[str, str]
    stages: Mapping[str, str]
    relations: Mapping[str, str]

    def type(self, code: str) -> str:
        return self.types.get(code, code) or gettext("Not specified")

    def sector(self, code: str) -> str:
        return self.sectors.get(code, code) or gettext("Not specified")


def stakeholder_labels(workspace: Workspace) -> MappingLabels:
    return MappingLabels(
        types=type_labels(workspace),
        sectors={code.value: gettext(label) for code, label in SECTOR_LABELS.items()},
        levels={code.value: gettext(label) for code, label in LEVEL_LABELS.items()},
        pillars={code.value: gettext(label) for code, label in PILLAR_LABELS.items()},
        stages={code.value: gettext(label) for code, label in CHAIN_STAGE_LABELS.items()},
        relations={code.value: gettext(label) for code, label in RELATION_KIND_LABELS.items()},
    )


def organisations(workspace: Workspace, filters: OrganisationFilter | None = None) -> QuerySet[Organisation]:
    """The registry, by name, with each organisation's parent and its numbers of focal points and prior
    trainings (a fixed number of queries however long the list)."""
    found = (
        Organisation.objects.filter(workspace=workspace)
        .select_related("parent")
        .annotate(
            focal_point_count=Count("focal_points", distinct=True),
            prior_training_count=Count("prior_trainings", distinct=True),
        )
        .order_by("name", "key")
    )
    if filters is None:
        return found
    if filters.type:
        found = found.filter(type=filters.type)
    if filters.sector:
        found = found.filter(sector=filters.sector)
    if filters.location:
        found = found.filter(location__iexact=filters.location)
    if filters.pillar:
        # Works on SQLite and PostgreSQL alike: the codes are stored as a JSON list of quoted strings.
        found = found.filter(pillars__icontains=f'"{filters.pillar}"')
    if filters.search:
        term = filters.search.strip()
        found = found.filter(Q(name__icontains=term) | Q(acronym__icontains=term) | Q(key__icontains=term))
    return found


def organisation_locations(workspace: Workspace) -> list[str]:
    values = (
        Organisation.objects.filter(workspace=workspace)
        .exclude(location="")
        .values_list("location", flat=True)
    )
    return sorted({" ".join(value.split()) for value in values}, key=str.casefold)


def organisation_detail(workspace: Workspace, uuid: object) -> QuerySet[Organisation]:
    """One organisation (filter of ``workspace``) with its focal points, trainings, relations and children."""
    return (
        Organisation.objects.filter(workspace=workspace, uuid=uuid)
        .select_related("parent")
        .prefetch_related(
            Prefetch("focal_points", queryset=FocalPoint.objects.order_by("name")),
            Prefetch("prior_trainings", queryset=PriorTraining.objects.order_by("-year", "topic")),
            Prefetch("relations_out", queryset=OrganisationRelation.objects.select_related("target")),
            Prefetch("relations_in", queryset=OrganisationRelation.objects.select_related("source")),
            Prefetch("children", queryset=Organisation.objects.order_by("name")),
        )
    )


def relations_of(workspace: Workspace) -> QuerySet[OrganisationRelation]:
    return OrganisationRelation.objects.filter(source__workspace=workspace).select_related("source", "target")


# --- Mapping -------------------------------------------------------------------------------------------


def mapped_organisations(workspace: Workspace) -> list[MappedOrganisation]:
    return [
        MappedOrganisation(
            key=o.key,
            name=o.name,
            acronym=o.acronym,
            type=o.type,
            sector=o.sector,
            level=o.level,
            location=o.location,
            pillars=tuple(o.pillars or ()),
            chain_stages=tuple(o.chain_stages or ()),
            influence=o.influence,
            interest=o.interest,
            staff_women=o.staff_women,
            staff_men=o.staff_men,
            staff_total=o.staff_total,
            frontline_women=o.frontline_women,
            frontline_men=o.frontline_men,
        )
        for o in Organisation.objects.filter(workspace=workspace).order_by("name")
    ]


def mapped_relations(workspace: Workspace) -> list[MappedRelation]:
    return [
        MappedRelation(source=source, target=target, kind=kind)
        for source, target, kind in OrganisationRelation.objects.filter(
            source__workspace=workspace
        ).values_list("source__key", "target__key", "kind")
    ]


def stakeholder_matrix(workspace: Workspace) -> StakeholderMatrix:
    """Pillars × response-chain stages, with the organisations in each cell (see
    :class:`ctip.core.stakeholder_mapping.StakeholderMatrix`; labels from :func:`stakeholder_labels`)."""
    return matrix_of(mapped_organisations(workspace))


def stakeholder_grid(workspace: Workspace) -> InfluenceInterestGrid:
    return influence_interest_grid(mapped_organisations(workspace))


def stakeholder_counts(workspace: Workspace) -> StakeholderCounts:
    """Organisations and staff (by sex) by type, sector and location."""
    type_order = [row.code for row in OrganisationType.objects.filter(workspace=workspace).order_by("label")]
    return count_stakeholders(
        mapped_organisations(workspace),
        type_order=type_order,
        sector_order=[code.value for code in Sector],
    )


def stakeholder_network(workspace: Workspace) -> ReferralNetwork:
    return referral_network(mapped_organisations(workspace), mapped_relations(workspace))


def stakeholder_mapping_charts(workspace: Workspace) -> dict[str, Chart]:
    """The mapping's charts, in the reader's language: ``matrix``, ``grid``, ``network``, ``by_type``,
    ``by_sector``, ``by_location`` and ``staff``. The same definitions give SVG for pages
    (``ctip.formats.charts.render_svg``) and PNG for documents (``render_png``)."""
    from ctip.web.stakeholders.mapping import mapping_charts

    organisations_list = mapped_organisations(workspace)
    return mapping_charts(
        organisations=organisations_list,
        relations=mapped_relations(workspace),
        labels=stakeholder_labels(workspace),
        counts=count_stakeholders(
            organisations_list,
            type_order=[
                row.code for row in OrganisationType.objects.filter(workspace=workspace).order_by("label")
            ],
            sector_order=[code.value for code in Sector],
        ),
    )
