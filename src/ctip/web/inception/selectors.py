"""Reads: the sampling plan built from the stakeholder registry, the programme timeline (saved or
suggested) and the workspace's report templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.errors import _ as mark
from ctip.core.sampling import Note, SamplingPlan, Stratum, sampling_plan
from ctip.web.accounts.models import Workspace
from ctip.web.inception.models import PhaseDates, ReportTemplate, SamplingSettings
from ctip.web.inception.services import PhaseDatesInput
from ctip.web.shell.phases import PHASES, PHASES_BY_SLUG
from ctip.web.stakeholders.models import Organisation

# --- Sampling ------------------------------------------------------------------------------------------


def sampling_settings_for(workspace: Workspace) -> SamplingSettings:
    """The workspace's sampling parameters; the defaults (not saved) until someone sets them."""
    found = SamplingSettings.objects.filter(workspace=workspace).first()
    return found if found is not None else SamplingSettings(workspace=workspace)


@dataclass(frozen=True)
class RegistryStrata:
    """The registry's organisations as sampling strata.

    ``split_unknown``: keys of organisations whose staff is known only as a total (their stratum carries
    the total as ``women`` with ``men`` 0, for the allocation only); ``inferred``: organisations where one
    sex was worked out as the total minus the other; ``without_staff``: organisations left out."""

    strata: tuple[Stratum, ...]
    split_unknown: frozenset[str]
    inferred: tuple[str, ...]
    without_staff: tuple[str, ...]


def registry_strata(workspace: Workspace) -> RegistryStrata:
    strata: list[Stratum] = []
    split_unknown: set[str] = set()
    inferred: list[str] = []
    without_staff: list[str] = []
    for organisation in Organisation.objects.filter(workspace=workspace).order_by("name", "key"):
        women, men, total = organisation.staff_women, organisation.staff_men, organisation.staff_total
        label = str(organisation)
        if women is not None and men is not None:
            strata.append(Stratum(organisation.key, label, women, men))
        elif total is not None and women is not None and women <= total:
            strata.append(Stratum(organisation.key, label, women, total - women))
            inferred.append(label)
        elif total is not None and men is not None and men <= total:
            strata.append(Stratum(organisation.key, label, total - men, men))
            inferred.append(label)
        elif total is not None:
            strata.append(Stratum(organisation.key, label, total, 0))
            split_unknown.add(organisation.key)
        else:
            without_staff.append(label)
    return RegistryStrata(tuple(strata), frozenset(split_unknown), tuple(inferred), tuple(without_staff))


def inception_sampling_plan(workspace: Workspace, registry: RegistryStrata | None = None) -> SamplingPlan:
    """The TNA sampling plan: Cochran's sample size for all the staff of the registry's organisations
    (one stratum per organisation), allocated in proportion to their staff and split by sex, with the
    interviews and focus groups of the workspace's sampling parameters.

    An organisation whose staff is known only as a total gets its share of the sample without a split by
    sex (``allocated_women`` and ``allocated_men`` are 0 for it, and a note says so); organisations with no
    staff numbers are left out (a note lists them). Raises ``DomainError`` when no organisation has staff
    numbers."""
    registry = registry or registry_strata(workspace)
    if not registry.strata:
        raise DomainError(
            ErrorCode.REQUIRED,
            mark(
                "No organisation in the stakeholder registry has staff numbers yet, so there is nothing to "
                "sample from. Enter the staff (women and men, or at least the total) of each organisation "
                "in the registry."
            ),
        )
    parameters = sampling_settings_for(workspace)
    plan = sampling_plan(
        strata=registry.strata,
        confidence=float(parameters.confidence),
        margin=float(parameters.margin),
        minimum_per_stratum=parameters.minimum_per_organisation,
        interviews_per_stratum=parameters.interviews_per_organisation,
        focus_groups=parameters.focus_groups,
        focus_group_size=parameters.focus_group_size,
    )
    return _with_registry_notes(plan, registry)


def _with_registry_notes(plan: SamplingPlan, registry: RegistryStrata) -> SamplingPlan:
    notes = list(plan.notes)
    allocation = plan.allocation
    women, men = plan.women, plan.men
    if registry.split_unknown:
        labels = [s.label for s in registry.strata if s.key in registry.split_unknown]
        rows = tuple(
            dataclasses.replace(row, women=0, men=0, allocated_women=0, allocated_men=0)
            if row.key in registry.split_unknown
            else row
            for row in allocation.strata
        )
        allocation = dataclasses.replace(allocation, strata=rows)
        women = sum(s.women for s in registry.strata if s.key not in registry.split_unknown)
        men = sum(s.men for s in registry.strata if s.key not in registry.split_unknown)
        notes.append(
            Note(
                "sex_split_unknown",
                mark(
                    "Only the total staff is known for %(organisations)s: their respondents are allocated on "
                    "that total, without a split between women and men (shown as “—”). Enter their staff by "
                    "sex in the stakeholder registry to plan a sample balanced by sex."
                ),
                {"organisations": ", ".join(labels), "keys": ", ".join(sorted(registry.split_unknown))},
            )
        )
    if registry.inferred:
        notes.append(
            Note(
                "sex_split_inferred",
                mark(
                    "For %(organisations)s the registry gives the total and one sex only; the other was "
                    "worked out as the total minus the one given."
                ),
                {"organisations": ", ".join(registry.inferred)},
            )
        )
    if registry.without_staff:
        notes.append(
            Note(
                "organisations_without_staff",
                mark(
                    "%(count)s organisation(s) are not in the plan because the registry has no staff numbers "
                    "for them: %(organisations)s. Enter their staff to include them."
                ),
                {"count": len(registry.without_staff), "organisations": ", ".join(registry.without_staff)},
            )
        )
    return dataclasses.replace(plan, allocation=allocation, women=women, men=men, notes=tuple(notes))


# --- Timeline ------------------------------------------------------------------------------------------

SUGGESTED_WEIGHTS = {
    "inception": 3,
    "needs": 4,
    "plan": 3,
    "trainings": 14,
    "action-plan": 6,
    "monitoring": 6,
}
"""Relative length of each phase in the suggested timeline (in months, for a three-year plan period)."""

NEAR_PLAN_PERIOD = dt.timedelta(days=183)
"""Dates up to about six months before or after the plan period are normal (inception often starts
before it); further out, the timeline page warns."""


def plan_period(workspace: Workspace) -> tuple[dt.date, dt.date]:
    return dt.date(workspace.plan_start_year, 1, 1), dt.date(workspace.plan_end_year, 12, 31)


def timeline_suggestion(workspace: Workspace) -> list[PhaseDatesInput]:
    """The six programme phases one after the other over the plan period, each given a share of it that
    fits its usual length (inception a few months, trainings the longest)."""
    first, last = plan_period(workspace)
    days = (last - first).days + 1
    weights = [SUGGESTED_WEIGHTS.get(phase.slug, 1) for phase in PHASES]
    total = sum(weights)
    suggestion: list[PhaseDatesInput] = []
    done = 0
    for phase, weight in zip(PHASES, weights, strict=True):
        start = first + dt.timedelta(days=round(days * done / total))
        done += weight
        end = first + dt.timedelta(days=round(days * done / total) - 1)
        suggestion.append(PhaseDatesInput(phase=phase.slug, label=str(phase.title), start=start, end=end))
    return suggestion


def phase_dates_of(workspace: Workspace) -> list[PhaseDates]:
    return list(PhaseDates.objects.filter(workspace=workspace).order_by("start", "phase"))


def inception_timeline(workspace: Workspace) -> list[tuple[str, dt.date, dt.date]]:
    """The saved timeline as (label, first day, last day), in date order; empty when nobody has set it
    (``timeline_suggestion`` gives a suggestion)."""
    return [(row.label, row.start, row.end) for row in phase_dates_of(workspace)]


@dataclass(frozen=True)
class TimelineRow:
    """One line of the timeline page: a programme phase (or a phase added through the API) and its saved
    dates, if any."""

    phase: str
    label: str
    saved: PhaseDates | None
    is_programme_phase: bool


def timeline_rows(workspace: Workspace) -> list[TimelineRow]:
    saved = {row.phase: row for row in phase_dates_of(workspace)}
    rows = [
        TimelineRow(
            phase.slug,
            saved[phase.slug].label if phase.slug in saved else str(phase.title),
            saved.get(phase.slug),
            True,
        )
        for phase in PHASES
    ]
    rows += [
        TimelineRow(slug, row.label, row, False) for slug, row in saved.items() if slug not in PHASES_BY_SLUG
    ]
    return rows


def timeline_warnings(workspace: Workspace, *, label: str, start: dt.date, end: dt.date) -> list[str]:
    """Why the dates of a phase look unusual (in the reader's language), or nothing."""
    first, last = plan_period(workspace)
    warnings: list[str] = []
    if start < first - NEAR_PLAN_PERIOD or end > last + NEAR_PLAN_PERIOD:
        warnings.append(
            _(
                "%(label)s (%(start)s to %(end)s) lies well outside the plan period %(first)s–%(last)s. The "
                "dates are saved; check them, or the plan period in the workspace settings."
            )
            % {
                "label": label,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "first": workspace.plan_start_year,
                "last": workspace.plan_end_year,
            }
        )
    return warnings


# --- Report templates ----------------------------------------------------------------------------------


def report_template_for(workspace: Workspace, kind: str) -> bytes | None:
    """The workspace's own Word template for ``kind`` (e.g. ``inception_report``), or ``None`` for the
    default one."""
    content = (
        ReportTemplate.objects.filter(workspace=workspace, kind=kind)
        .values_list("content", flat=True)
        .first()
    )
    return bytes(content) if content is not None else None


def report_template_info(workspace: Workspace, kind: str) -> ReportTemplate | None:
    """The template's name, date and uploader, without its content."""
    return (
        ReportTemplate.objects.filter(workspace=workspace, kind=kind)
        .defer("content")
        .select_related("uploaded_by")
        .first()
    )
