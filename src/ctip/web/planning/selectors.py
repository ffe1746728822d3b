"""Reads of the module catalogue and the demand: the lists the pages show, and the demand workbook. A fixed
number of queries whatever the number of modules, segments or rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop

from ctip.core.planning.demand import ROLE_FRONTLINE, ROLE_MANAGEMENT, ROLE_OTHER
from ctip.core.stakeholders import PILLAR_LABELS, Pillar
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.planning.models import DemandRow, PlanSegment, TrainingModule
from ctip.web.tna.models import WorkspaceCompetency

ROLE_GROUP_LABELS = {
    ROLE_FRONTLINE: gettext_noop("Frontline staff"),
    ROLE_MANAGEMENT: gettext_noop("Management"),
    ROLE_OTHER: gettext_noop("Other staff"),
}
"""English labels of the derived role groups (translated where shown); a group typed by hand shows as
typed."""


def role_group_label(code: str) -> str:
    label = ROLE_GROUP_LABELS.get(code)
    return gettext(label) if label else code


def modules(workspace: Workspace) -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(workspace=workspace).order_by("position", "code")


@dataclass(frozen=True)
class PillarGroup:
    pillar: str
    label: str
    modules: list[TrainingModule]


def modules_by_pillar(rows: Sequence[TrainingModule]) -> list[PillarGroup]:
    """Modules grouped by pillar, in the order of the 4Ps (foundational modules first within a pillar)."""
    order = [pillar.value for pillar in Pillar]
    labels = {pillar.value: gettext(label) for pillar, label in PILLAR_LABELS.items()}
    groups = []
    for pillar in order:
        members = sorted(
            (row for row in rows if row.pillar == pillar),
            key=lambda row: (row.level != "foundational", row.position, row.code),
        )
        if members:
            groups.append(PillarGroup(pillar, labels[pillar], members))
    return groups


def competency_titles(workspace: Workspace, language: str) -> dict[str, str]:
    french = language.startswith("fr")
    return {
        code: (title_fr or title_en) if french else title_en
        for code, title_en, title_fr in WorkspaceCompetency.objects.filter(workspace=workspace).values_list(
            "code", "title_en", "title_fr"
        )
    }


def segments(workspace: Workspace) -> QuerySet[PlanSegment]:
    return PlanSegment.objects.filter(workspace=workspace).select_related("organisation").order_by("code")


def demand_rows(workspace: Workspace) -> QuerySet[DemandRow]:
    return (
        DemandRow.objects.filter(workspace=workspace)
        .select_related("segment", "segment__organisation")
        .order_by("segment__code", "competency")
    )


@dataclass(frozen=True)
class DemandTotals:
    segments: int
    rows: int
    staff_female: int
    staff_male: int
    edited: int

    @property
    def staff(self) -> int:
        return self.staff_female + self.staff_male


def demand_totals(rows: Sequence[DemandRow], segment_count: int) -> DemandTotals:
    return DemandTotals(
        segments=segment_count,
        rows=len(rows),
        staff_female=sum(row.staff_female for row in rows),
        staff_male=sum(row.staff_male for row in rows),
        edited=sum(1 for row in rows if row.edited),
    )


def demand_xlsx(workspace: Workspace, *, language: str = "en") -> bytes:
    """The segments and their demand as a workbook: one sheet of segments, one of demand rows."""
    titles = competency_titles(workspace, language)
    segment_header = (
        gettext("segment"),
        gettext("organisation"),
        gettext("role group"),
        gettext("location"),
        gettext("frontline"),
        gettext("staff: women"),
        gettext("staff: men"),
        gettext("edited by hand"),
    )
    yes, no = gettext("yes"), gettext("no")
    segment_rows: list[list[object]] = [
        [
            segment.code,
            str(segment.organisation),
            role_group_label(segment.role_group),
            segment.location,
            yes if segment.is_frontline else no,
            segment.staff_female,
            segment.staff_male,
            yes if segment.edited else no,
        ]
        for segment in segments(workspace)
    ]
    demand_header = (
        gettext("segment"),
        gettext("organisation"),
        gettext("role group"),
        gettext("location"),
        gettext("competency"),
        gettext("title"),
        gettext("staff in need: women"),
        gettext("staff in need: men"),
        gettext("need score (MWDS)"),
        gettext("weight"),
        gettext("edited by hand"),
        gettext("note"),
    )
    rows: list[list[object]] = [
        [
            row.segment.code,
            str(row.segment.organisation),
            role_group_label(row.segment.role_group),
            row.segment.location,
            row.competency,
            titles.get(row.competency, ""),
            row.staff_female,
            row.staff_male,
            "" if row.need_score is None else round(row.need_score, 2),
            round(row.weight, 2),
            yes if row.edited else no,
            row.note,
        ]
        for row in demand_rows(workspace)
    ]
    notes = {
        demand_header[8]: gettext(
            "Borich mean weighted discrepancy score of the competency over all respondents (TNA)."
        ),
        demand_header[9]: gettext("What one person trained in this competency is worth to the plan."),
    }
    return write_xlsx(
        [
            Sheet(name=gettext("demand"), header=demand_header, rows=rows, column_notes=notes),
            Sheet(name=gettext("segments"), header=segment_header, rows=segment_rows),
        ]
    )
