"""Reads of the tna app: querysets with what list pages need, at a fixed number of queries."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.stakeholders import CHAIN_STAGE_LABELS, PILLAR_LABELS, Pillar
from ctip.core.tna.framework import FRAMEWORK_COLUMNS, framework_to_rows
from ctip.core.tna.instrument import competencies_by_pillar as competencies_by_pillar_of
from ctip.core.tna.model import Instrument
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.tna.models import (
    ColumnMapping,
    ImportBatch,
    KoboConnection,
    SurveyInstrument,
    SurveySubmission,
    WorkspaceCompetency,
)
from ctip.web.tna.services.competencies import RETIRED_COLUMN, competency_of
from ctip.web.tna.snapshot import instrument_from_json


@dataclass(frozen=True)
class CompetencyFilter:
    pillar: str = ""
    level: str = ""
    target_type: str = ""
    search: str = ""
    show_retired: bool = False


def competencies(
    workspace: Workspace, filters: CompetencyFilter | None = None
) -> QuerySet[WorkspaceCompetency]:
    found = WorkspaceCompetency.objects.filter(workspace=workspace).order_by("position", "code")
    filters = filters or CompetencyFilter()
    if not filters.show_retired:
        found = found.filter(is_retired=False)
    if filters.pillar:
        found = found.filter(pillar=filters.pillar)
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.search:
        found = found.filter(
            Q(code__icontains=filters.search)
            | Q(title_en__icontains=filters.search)
            | Q(title_fr__icontains=filters.search)
        )
    rows = found
    if filters.target_type:
        # JSON containment is not portable to SQLite; the framework is small, so filter in Python.
        keep = [row.pk for row in rows if not row.target_types or filters.target_type in row.target_types]
        rows = WorkspaceCompetency.objects.filter(pk__in=keep).order_by("position", "code")
    return rows


def competencies_by_pillar(
    rows: list[WorkspaceCompetency],
) -> list[tuple[str, str, list[WorkspaceCompetency]]]:
    """``(pillar code, label, competencies)`` in the order of the 4Ps (and unknown pillars last)."""
    groups: dict[str, list[WorkspaceCompetency]] = {}
    for row in rows:
        groups.setdefault(row.pillar, []).append(row)
    order = [pillar.value for pillar in Pillar] + sorted(set(groups) - {p.value for p in Pillar})
    labels = {pillar.value: label for pillar, label in PILLAR_LABELS.items()}
    return [(code, labels.get(code, code), groups[code]) for code in order if code in groups]


def chain_stage_label(code: str) -> str:
    return {stage.value: label for stage, label in CHAIN_STAGE_LABELS.items()}.get(code, code)


def instruments(workspace: Workspace) -> QuerySet[SurveyInstrument]:
    return (
        SurveyInstrument.objects.filter(workspace=workspace)
        .select_related("created_by")
        .annotate(competency_count=Count("competencies", distinct=True))
        .annotate(submission_count=Count("submissions", distinct=True))
        .order_by("-created_at", "title")
    )


def batches(workspace: Workspace) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(workspace=workspace)
        .select_related("instrument", "created_by")
        .defer("rejected_csv")
        .order_by("-created_at", "-id")
    )


def column_mappings(
    workspace: Workspace, instrument: SurveyInstrument | None = None
) -> QuerySet[ColumnMapping]:
    found = ColumnMapping.objects.filter(workspace=workspace).select_related("instrument").order_by("name")
    return found.filter(instrument=instrument) if instrument is not None else found


def kobo_connections(workspace: Workspace) -> QuerySet[KoboConnection]:
    return (
        KoboConnection.objects.filter(workspace=workspace).select_related("instrument").order_by("server_url")
    )


def submissions(
    workspace: Workspace, *, instrument: SurveyInstrument | None = None
) -> QuerySet[SurveySubmission]:
    found = (
        SurveySubmission.objects.filter(workspace=workspace)
        .select_related("instrument", "organisation")
        .prefetch_related("ratings")
        .order_by("-submitted_at", "key")
    )
    return found.filter(instrument=instrument) if instrument is not None else found


@dataclass
class ResponseCounts:
    """How many submissions, by organisation, sex and location (``location`` from the profile answers)."""

    total: int = 0
    by_organisation: list[tuple[str, int]] = field(default_factory=list)
    by_sex: list[tuple[str, int]] = field(default_factory=list)
    by_location: list[tuple[str, int]] = field(default_factory=list)


def response_counts(workspace: Workspace, *, instrument: SurveyInstrument | None = None) -> ResponseCounts:
    """Counted in Python over one query (the profile is JSON, whose lookups differ between databases)."""
    found = SurveySubmission.objects.filter(workspace=workspace)
    if instrument is not None:
        found = found.filter(instrument=instrument)
    organisations: Counter[str] = Counter()
    sexes: Counter[str] = Counter()
    locations: Counter[str] = Counter()
    total = 0
    for row in found.values("organisation__name", "organisation_text", "sex", "profile"):
        total += 1
        organisations[row["organisation__name"] or row["organisation_text"] or "—"] += 1
        sexes[row["sex"]] += 1
        profile: Any = row["profile"] or {}
        locations[str(profile.get("location", "") if isinstance(profile, dict) else "") or "—"] += 1

    def ordered(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))

    return ResponseCounts(
        total=total,
        by_organisation=ordered(organisations),
        by_sex=ordered(sexes),
        by_location=ordered(locations),
    )


def framework_xlsx(workspace: Workspace) -> bytes:
    """The framework as a workbook in the import's columns (retired competencies too, marked)."""
    rows = list(WorkspaceCompetency.objects.filter(workspace=workspace).order_by("position", "code"))
    body = framework_to_rows([competency_of(row) for row in rows])
    header = (*FRAMEWORK_COLUMNS, RETIRED_COLUMN)
    notes = {
        "code": "Letters, digits and _; matched with the framework (ignoring case). Never change it.",
        "pillar": "prevention, protection, prosecution or partnership",
        "level": "foundational or specialised",
        "target_types": "Organisation type codes separated by ';' (empty: everyone)",
        RETIRED_COLUMN: "yes: kept out of new instruments",
    }
    return write_xlsx(
        [
            Sheet(
                name="competencies",
                header=header,
                rows=[
                    [*cells, "yes" if row.is_retired else "no"] for cells, row in zip(body, rows, strict=True)
                ],
                column_notes=notes,
                choices={
                    "level": ("foundational", "specialised"),
                    "child_sensitive": ("yes", "no"),
                    "gender_sensitive": ("yes", "no"),
                    RETIRED_COLUMN: ("yes", "no"),
                },
            )
        ]
    )


def instrument_competency_groups(instrument: Instrument, *, french: bool = False) -> list[dict[str, Any]]:
    """The competencies an instrument rates, grouped by pillar (the order of the survey)."""
    labels = {pillar.value: label for pillar, label in PILLAR_LABELS.items()}
    return [
        {
            "pillar": pillar,
            "label": gettext(labels.get(pillar, pillar)),
            "competencies": [
                {
                    "code": competency.code,
                    "title": competency.title.get("fr" if french else "en"),
                    "level": competency.level.value,
                }
                for competency in items
            ],
        }
        for pillar, items in competencies_by_pillar_of(instrument.competencies)
    ]


@dataclass
class AnswerLabels:
    """Labels for the choice names and question names stored in submissions (from the instruments as they
    were built): ``port_louis`` → "Port Louis", ``obstacle`` → "What is the biggest obstacle …"."""

    locations: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)

    def location(self, name: str) -> str:
        return self.locations.get(name, name)

    def question(self, name: str) -> str:
        return self.questions.get(name, name)


def answer_labels(instruments: list[SurveyInstrument], *, language: str = "en") -> AnswerLabels:
    labels = AnswerLabels()
    for row in instruments:
        built = instrument_from_json(row.snapshot)
        for question in (*built.profile_questions, *built.institutional_questions, *built.open_questions):
            labels.questions.setdefault(question.name, question.label.get(language))
            if question.name == "location":
                for choice in question.choices:
                    labels.locations.setdefault(choice.name, choice.label.get(language))
    return labels


def instrument_chosen(workspace: Workspace, instrument: str | None = None) -> SurveyInstrument:
    """The instrument named by its UUID or, when none is named, the workspace's only instrument (for the
    command line). Raises ``not_found`` or ``required`` with what to do."""
    found = SurveyInstrument.objects.filter(workspace=workspace)
    if instrument:
        try:
            chosen = found.filter(uuid=uuid.UUID(str(instrument))).first()
        except ValueError:
            chosen = None
        if chosen is None:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                _("There is no instrument “%(id)s” in this workspace."),
                {"id": instrument},
            )
        return chosen
    candidates = list(found.order_by("-created_at")[:2])
    if len(candidates) != 1:
        raise DomainError(
            ErrorCode.REQUIRED,
            _(
                "Say which instrument to use (its id, shown on the instrument's page): the workspace has %(count)s."
            ),
            {"count": found.count()},
            problems=[FieldProblem("instrument", _("Give the instrument's id."))],
        )
    return candidates[0]
