"""The M&E link: indicators of the framework whose actuals the training data compute.

An :class:`~ctip.web.trainings.models.IndicatorFeed` ties an indicator to a metric
(``ctip.core.training.model.Metric``). :func:`feeds_recompute` computes, for every feed, the actual of each
calendar year (the year of an event's last day) × sex (``""`` all, ``female``, ``male``) × training location
(``""`` all, and each location) from the delivered and reported events, and writes it as an
``IndicatorValue`` of kind "actual" with the source :data:`TRAINING_SOURCE` and a note naming the events,
through the monitoring app's :func:`~ctip.web.monitoring.services.values.write_value` (audited). A
:class:`~ctip.web.trainings.models.FeedTrace` per value and event records what each event contributed.

- ``people_trained``: participants present at least one day (a person at two trainings counts twice, as
  the plan's seats do). For an indicator whose values are totals to date (cumulative, non-summing), each
  year's value is the total since the first training.
- ``pass_rate``: per cent of post-test takers (submitted) whose score reached their event's pass mark.
- ``application_rate``: per cent of follow-up respondents who applied the training
  (``ctip.core.training.surveys.applied_training``).

Values this module wrote earlier that no longer apply are removed. A value typed by hand (any other source)
is never overwritten: the cell is reported as a conflict instead.

:func:`feeds_recompute` checks no permission: it is called by the services of the trainings app after a
change that members were allowed to make (an event's status, an import, a closed test), and derives the
actuals from the data. Choosing an indicator's metric needs ``edit_content``.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.monitoring import CumulativeRule, Unit, ValueKind
from ctip.core.training.model import Metric, Phase, SurveyKind
from ctip.core.training.scoring import score
from ctip.core.training.surveys import applied_training
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.monitoring.services.framework import VALUE_FIELDS
from ctip.web.monitoring.services.values import UNCHANGED, ValueInput, existing_value, write_value
from ctip.web.trainings.models import (
    Attempt,
    Attendance,
    FeedTrace,
    IndicatorFeed,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services.results import HELD_STATUSES, form_key

__all__ = [
    "TRAINING_SOURCE",
    "feed_remove",
    "feed_set",
    "feeds_recompute",
    "feeds_recompute_report",
]

TRAINING_SOURCE = "Training data (C-TIP trainings)"
"""The source of every actual computed here; values with another source were typed by hand."""
NOTE_MAX = 250
SEXES = ("", "female", "male")
METRIC_UNITS: dict[str, str] = {
    Metric.PEOPLE_TRAINED.value: Unit.NUMBER.value,
    Metric.PASS_RATE.value: Unit.PERCENT.value,
    Metric.APPLICATION_RATE.value: Unit.PERCENT.value,
}
FEED_FIELDS = ("indicator", "metric")


@dataclass(frozen=True)
class Tally:
    """What one event contributes to one cell: ``numerator`` out of ``denominator``."""

    numerator: int
    denominator: int


@dataclass(frozen=True)
class Cell:
    """One computed actual, with the events it came from."""

    period: str
    sex: str
    location: str
    value: float
    contributions: Mapping[int, Tally]
    """Event id → its tally."""
    event_codes: tuple[str, ...]

    @property
    def note(self) -> str:
        codes = ", ".join(self.event_codes)
        text = f"Events: {codes}"
        if len(text) > NOTE_MAX:
            text = f"{len(self.event_codes)} events: {codes}"[: NOTE_MAX - 1] + "…"
        return text


@dataclass(frozen=True)
class Conflict:
    indicator: str
    period: str
    sex: str
    location: str
    typed: float
    typed_source: str
    computed: float


@dataclass
class RecomputeReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[tuple[str, FieldProblem]] = field(default_factory=list)
    """(indicator code, reason) of feeds whose indicator's unit does not fit the metric any more."""

    @property
    def changed(self) -> int:
        return self.written + self.removed


# --- Computing -------------------------------------------------------------------------------------------


def _event_tallies(events: Sequence[TrainingEvent], metric: str) -> dict[int, dict[str, Tally]]:
    """Event id → sex (``""`` all, ``female``, ``male``) → tally for ``metric``."""
    counts: dict[int, dict[str, list[int]]] = {event.pk: defaultdict(lambda: [0, 0]) for event in events}

    def add(event_id: int, sex: str, hit: bool) -> None:
        for key in {"", sex} if sex in ("female", "male") else {""}:
            counts[event_id][key][0] += int(hit)
            counts[event_id][key][1] += 1

    if metric == Metric.PEOPLE_TRAINED.value:
        present = set(
            Attendance.objects.filter(participant__event__in=events, present=True).values_list(
                "participant_id", flat=True
            )
        )
        for pk, event_id, sex in Participant.objects.filter(event__in=events).values_list(
            "pk", "event_id", "sex"
        ):
            add(event_id, sex, pk in present)
    elif metric == Metric.PASS_RATE.value:
        marks = {event.pk: event.pass_mark for event in events}
        attempts = (
            Attempt.objects.filter(
                form__event__in=events, form__phase=Phase.POST.value, submitted_at__isnull=False
            )
            .select_related("form", "participant")
            .prefetch_related("answers")
        )
        keys: dict[int, dict[str, list[str]]] = {}
        for attempt in attempts:
            key = keys.setdefault(attempt.form_id, form_key(attempt.form))
            if not key:
                continue
            responses = {answer.item_code: list(answer.response or []) for answer in attempt.answers.all()}
            event_id = attempt.form.event_id
            add(event_id, attempt.participant.sex, score(key, responses).percent >= marks[event_id])
    else:
        for event_id, answers, sex in SurveyResponse.objects.filter(
            event__in=events, kind=SurveyKind.FOLLOW_UP.value
        ).values_list("event_id", "answers", "participant__sex"):
            add(event_id, sex or "", applied_training(answers or {}))
    return {
        event_id: {sex: Tally(values[0], values[1]) for sex, values in by_sex.items()}
        for event_id, by_sex in counts.items()
    }


def feed_cells(feed: IndicatorFeed) -> list[Cell]:
    """The actuals ``feed`` computes now, year × sex × location, in a stable order."""
    events = list(
        TrainingEvent.objects.filter(workspace_id=feed.workspace_id, status__in=HELD_STATUSES).order_by(
            "end_date", "code"
        )
    )
    if not events:
        return []
    tallies = _event_tallies(events, feed.metric)
    is_count = feed.metric == Metric.PEOPLE_TRAINED.value
    to_date = is_count and feed.indicator.cumulative_rule == CumulativeRule.CUMULATIVE_NON_SUMMING.value
    years = sorted({event.end_date.year for event in events})
    locations = sorted({event.location for event in events}, key=str.casefold)
    cells = []
    for year in years:
        for location in ["", *locations]:
            chosen = [
                event
                for event in events
                if (event.end_date.year <= year if to_date else event.end_date.year == year)
                and (not location or event.location == location)
            ]
            if not chosen:
                continue
            for sex in SEXES:
                contributions = {event.pk: tallies[event.pk].get(sex, Tally(0, 0)) for event in chosen}
                numerator = sum(tally.numerator for tally in contributions.values())
                denominator = sum(tally.denominator for tally in contributions.values())
                if is_count:
                    value = float(numerator)
                elif denominator:
                    value = round(100.0 * numerator / denominator, 2)
                else:
                    continue
                kept = {pk: tally for pk, tally in contributions.items() if tally.denominator or is_count}
                cells.append(
                    Cell(
                        period=str(year),
                        sex=sex,
                        location=location,
                        value=value,
                        contributions=kept,
                        event_codes=tuple(event.code for event in chosen if event.pk in kept),
                    )
                )
    return cells


# --- Writing ---------------------------------------------------------------------------------------------


def unit_problem(indicator: Indicator, metric: str) -> FieldProblem | None:
    """Why ``metric`` cannot feed ``indicator`` (its unit does not fit), or ``None``."""
    if metric not in METRIC_UNITS:
        return FieldProblem(
            "metric",
            _("“%(metric)s” is not something the training data compute; choose %(choices)s."),
            {"metric": metric, "choices": ", ".join(METRIC_UNITS)},
        )
    wanted = METRIC_UNITS[metric]
    if indicator.unit == wanted:
        return None
    if wanted == Unit.NUMBER.value:
        return FieldProblem(
            "metric",
            _(
                "People trained is a number, but the indicator “%(code)s” is a percentage. Choose a rate for it, "
                "or change its unit to a number on the M&E framework first."
            ),
            {"code": indicator.code},
        )
    return FieldProblem(
        "metric",
        _(
            "This rate is a percentage, but the indicator “%(code)s” counts a number. Choose people trained for "
            "it, or change its unit to a percentage on the M&E framework first."
        ),
        {"code": indicator.code},
    )


def _sync_traces(value: IndicatorValue, cell: Cell) -> None:
    FeedTrace.objects.filter(value=value).delete()
    FeedTrace.objects.bulk_create(
        FeedTrace(
            value=value,
            event_id=event_id,
            numerator=decimal.Decimal(tally.numerator),
            denominator=decimal.Decimal(tally.denominator),
        )
        for event_id, tally in cell.contributions.items()
    )


def _recompute_feed(feed: IndicatorFeed, acting_user: User | None, report: RecomputeReport) -> None:
    indicator = feed.indicator
    keep: set[tuple[str, str, str]] = set()
    for cell in feed_cells(feed):
        current = existing_value(indicator, ValueKind.ACTUAL.value, cell.period, cell.sex, cell.location)
        keep.add((cell.period, cell.sex, cell.location.casefold()))
        if current is not None and current.source != TRAINING_SOURCE:
            if current.value != decimal.Decimal(str(cell.value)):
                report.conflicts.append(
                    Conflict(
                        indicator.code,
                        cell.period,
                        cell.sex,
                        cell.location,
                        float(current.value),
                        current.source,
                        cell.value,
                    )
                )
            continue
        item = ValueInput(
            ValueKind.ACTUAL.value,
            cell.period,
            cell.sex,
            cell.location,
            cell.value,
            TRAINING_SOURCE,
            cell.note,
        )
        value, action = write_value(indicator=indicator, item=item, acting_user=acting_user)
        if action == UNCHANGED:
            report.unchanged += 1
        else:
            report.written += 1
        if value is not None:
            _sync_traces(value, cell)
    for old in IndicatorValue.objects.filter(
        indicator=indicator, kind=ValueKind.ACTUAL.value, source=TRAINING_SOURCE
    ).order_by("id"):
        if (old.period, old.sex, old.location.casefold()) not in keep:
            record_delete(
                instance=old,
                workspace=indicator.workspace,
                acting_user=acting_user,
                audited_fields=VALUE_FIELDS,
            )
            report.removed += 1


def feeds_recompute_report(
    workspace: Workspace, acting_user: User | None = None, *, feeds: Iterable[IndicatorFeed] | None = None
) -> RecomputeReport:
    """Recompute the actuals of every feed of ``workspace`` (or of ``feeds``) in one transaction."""
    report = RecomputeReport()
    chosen = (
        list(feeds)
        if feeds is not None
        else list(
            IndicatorFeed.objects.filter(workspace=workspace).select_related(
                "indicator", "indicator__workspace"
            )
        )
    )
    with transaction.atomic():
        for feed in chosen:
            problem = unit_problem(feed.indicator, feed.metric)
            if problem is not None:
                report.skipped.append((feed.indicator.code, problem))
                continue
            _recompute_feed(feed, acting_user, report)
            IndicatorFeed.objects.filter(pk=feed.pk).update(updated_at_values=timezone.now())
    return report


def feeds_recompute(workspace: Workspace, acting_user: User | None = None) -> int:
    """Recompute every indicator fed by the training data; returns how many values were written or
    removed. Hand-typed values are left alone (see :func:`feeds_recompute_report` for the conflicts)."""
    return feeds_recompute_report(workspace, acting_user).changed


# --- Choosing the metric ---------------------------------------------------------------------------------


def feed_set(
    *, workspace: Workspace, indicator: Indicator, metric: str, acting_user: User | None
) -> tuple[IndicatorFeed | None, RecomputeReport]:
    """Feed ``indicator`` from ``metric`` (an empty metric stops feeding it and removes the actuals the
    training data wrote), then compute its actuals. The unit must fit: a number for people trained, a
    percentage for the rates."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if indicator.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such indicator in this workspace."))
    current = IndicatorFeed.objects.filter(indicator=indicator).first()
    if not metric:
        if current is not None:
            feed_remove(feed=current, acting_user=acting_user)
        return None, RecomputeReport()
    problem = unit_problem(indicator, metric)
    if problem is not None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The indicator “%(code)s” cannot be fed from this metric; nothing was changed."),
            {"code": indicator.code},
            problems=[problem],
        )
    with transaction.atomic():
        if current is None:
            feed = record_create(
                model=IndicatorFeed,
                workspace=workspace,
                values={"workspace": workspace, "indicator": indicator, "metric": metric},
                acting_user=acting_user,
                audited_fields=FEED_FIELDS,
            )
        else:
            feed = record_update(
                instance=current,
                workspace=workspace,
                changes={"metric": metric},
                acting_user=acting_user,
                audited_fields=FEED_FIELDS,
            )
        feed.indicator = indicator
        report = feeds_recompute_report(workspace, acting_user, feeds=[feed])
    return feed, report


def feed_remove(*, feed: IndicatorFeed, acting_user: User | None) -> int:
    """Stop feeding the indicator; the actuals the training data wrote for it are removed (hand-typed ones
    stay). Returns how many values were removed."""
    workspace = feed.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        removed = 0
        for value in IndicatorValue.objects.filter(
            indicator_id=feed.indicator_id, kind=ValueKind.ACTUAL.value, source=TRAINING_SOURCE
        ).order_by("id"):
            record_delete(
                instance=value, workspace=workspace, acting_user=acting_user, audited_fields=VALUE_FIELDS
            )
            removed += 1
        record_delete(instance=feed, workspace=workspace, acting_user=acting_user, audited_fields=FEED_FIELDS)
    return removed


def feed_conflicts(feed: IndicatorFeed) -> list[Conflict]:
    """The cells where a hand-typed actual differs from what the training data compute (no write)."""
    found = []
    for cell in feed_cells(feed):
        current = existing_value(feed.indicator, ValueKind.ACTUAL.value, cell.period, cell.sex, cell.location)
        if (
            current is not None
            and current.source != TRAINING_SOURCE
            and current.value != decimal.Decimal(str(cell.value))
        ):
            found.append(
                Conflict(
                    feed.indicator.code,
                    cell.period,
                    cell.sex,
                    cell.location,
                    float(current.value),
                    current.source,
                    cell.value,
                )
            )
    return found
