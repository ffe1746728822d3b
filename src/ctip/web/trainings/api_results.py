"""API of the training results, mounted under /api/v1/ (see ctip.web.api): one event's results (scores
by participant code, the pre/post evaluation and item analysis as ``ctip.core.evaluation`` gives them, the
pass-mark share, attendance and surveys), the programme summary (trainings against the plan, pooled
learning, recommendations), and the indicators the training data feed with the trace of every value.

The same numbers as the results page and the reports."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, _
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.permissions import workspace_access
from ctip.web.monitoring.models import IndicatorValue
from ctip.web.trainings.models import FeedTrace, IndicatorFeed, TrainingEvent
from ctip.web.trainings.report_advice import recommendations
from ctip.web.trainings.services.feeds import TRAINING_SOURCE
from ctip.web.trainings.services.programme import programme_results
from ctip.web.trainings.services.results import PhaseScore, event_results

router = Router(tags=["trainings"])


def _language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _phase(score: PhaseScore | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "correct": score.correct,
        "total": score.total,
        "answered": score.answered,
        "percent": round(score.percent, 4),
        "channel": score.channel,
    }


@router.get("w/{workspace}/trainings/events/{event}/results", response={200: dict[str, Any], **ERRORS})
def event_results_get(request: HttpRequest, workspace: str, event: uuid.UUID) -> dict[str, Any]:
    """One training's results: ``participants`` (code, sex, organisation, location, days present, pre and
    post scores, pass), ``prepost`` (the evaluation; ``null`` with ``prepost_missing`` saying why),
    ``items`` (the item analysis; a parallel post-test item appears under its pre-test partner's code,
    ``parallel_pairs`` maps post → pre), ``passing``, ``attendance``, ``reactions`` and ``follow_up``."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    training = TrainingEvent.objects.filter(workspace=found, uuid=event).first()
    if training is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such training in this workspace."))
    language = _language(request)
    with translation.override(language):
        r = event_results(training, language=language)
        missing = r.prepost_missing
    return {
        "event": {
            "id": str(training.uuid),
            "code": training.code,
            "title": training.title,
            "status": training.status,
            "location": training.location,
            "start_date": training.start_date.isoformat(),
            "end_date": training.end_date.isoformat(),
            "pass_mark": training.pass_mark,
        },
        "scoring": r.scoring_rule,
        "pre_items": r.pre_items,
        "post_items": r.post_items,
        "percent_scale": r.percent_scale,
        "max_score": r.max_score,
        "participants": [
            {
                "id": row.uuid,
                "code": row.code,
                "sex": row.sex,
                "organisation": row.organisation,
                "location": row.location,
                "days_present": row.days_present,
                "pre": _phase(row.pre),
                "post": _phase(row.post),
                "passed": row.passed,
            }
            for row in r.participants
        ],
        "prepost": r.prepost,
        "prepost_missing": missing,
        "items": r.items,
        "parallel_pairs": dict(r.parallel_pairs),
        "passing": {
            "takers": r.passing.takers,
            "passed": r.passing.passed,
            "share": r.passing.share,
            "by_sex": {sex: {"takers": t, "passed": p} for sex, (t, p) in r.passing.by_sex.items()},
        },
        "attendance": {
            "registered": dict(r.attendance.registered),
            "present_one_day": dict(r.attendance.attended),
            "present_every_day": dict(r.attendance.all_days),
            "days": [
                {"day": day.day.isoformat(), "present": day.present, "recorded": day.recorded}
                for day in r.attendance.days
            ],
        },
        "reactions": r.reactions,
        "follow_up": r.follow_up,
    }


@router.get("w/{workspace}/trainings/programme", response={200: dict[str, Any], **ERRORS})
def programme_get(request: HttpRequest, workspace: str) -> dict[str, Any]:
    """The programme over every delivered or reported training: ``plan`` (sessions planned in the adopted
    scenario, due by now, held and scheduled, seats and people trained by sex, per module and training
    location), ``participants`` (registered and present, by sex, organisation and location), ``pooled``
    (the pre/post evaluation over all trainings, scores in per cent), ``modules`` (learning and pass rate
    per module), ``events`` (per training), ``reactions``, ``follow_up`` and the generated
    ``recommendations`` (plain text, ``**bold**`` marks the key words)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    language = _language(request)
    with translation.override(language):
        p = programme_results(found, language=language)
        advice = recommendations(p)
    return {
        "scenario": p.scenario_name,
        "events_held": len(p.events),
        "events_scheduled": p.upcoming,
        "events_cancelled": p.cancelled,
        "plan": [
            {
                "module": cell.module_code,
                "location": cell.location,
                "planned": cell.planned,
                "due": cell.due,
                "held": cell.held,
                "scheduled": cell.upcoming,
                "planned_female": cell.planned_female,
                "planned_male": cell.planned_male,
                "trained_female": cell.trained_female,
                "trained_male": cell.trained_male,
                "trained": cell.trained_total,
            }
            for cell in p.plan
        ],
        "participants": {
            name: {value: {"registered": r, "present": n} for value, (r, n) in totals.rows.items()}
            for name, totals in (
                ("sex", p.by_sex),
                ("organisation", p.by_organisation),
                ("location", p.by_location),
            )
        },
        "pooled": p.pooled,
        "pooled_missing": p.pooled_missing,
        "modules": [
            {
                "module": gain.module_code,
                "events": gain.events,
                "learning": gain.learning,
                "post_takers": gain.passing.takers,
                "passed": gain.passing.passed,
            }
            for gain in p.modules
        ],
        "events": [
            {
                "id": str(line.event.uuid),
                "code": line.event.code,
                "location": line.event.location,
                "modules": [module.code for module in line.modules],
                "registered": line.results.attendance.registered.get("total", 0),
                "present": line.results.attendance.attended.get("total", 0),
                "overall": (line.results.prepost or {}).get("overall"),
                "post_takers": line.results.passing.takers,
                "passed": line.results.passing.passed,
            }
            for line in p.events
        ],
        "reactions": p.reactions,
        "follow_up": p.follow_up,
        "recommendations": advice,
    }


@router.get("w/{workspace}/trainings/indicator-feeds", response={200: list[dict[str, Any]], **ERRORS})
def feeds_list(request: HttpRequest, workspace: str) -> list[dict[str, Any]]:
    """Each indicator the training data feed: its metric, when it was last computed, and every actual
    computed from the trainings with the events it came from (count and out of)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    feeds = list(
        IndicatorFeed.objects.filter(workspace=found).select_related("indicator").order_by("indicator__code")
    )
    values = list(
        IndicatorValue.objects.filter(
            indicator__in=[feed.indicator for feed in feeds], kind="actual", source=TRAINING_SOURCE
        ).order_by("period", "sex", "location")
    )
    traces: dict[int, list[dict[str, Any]]] = {}
    for trace in FeedTrace.objects.filter(value__in=values).select_related("event").order_by("event__code"):
        traces.setdefault(trace.value_id, []).append(
            {
                "event": str(trace.event.uuid),
                "code": trace.event.code,
                "numerator": float(trace.numerator),
                "denominator": float(trace.denominator) if trace.denominator is not None else None,
            }
        )
    return [
        {
            "id": str(feed.uuid),
            "indicator": {
                "id": str(feed.indicator.uuid),
                "code": feed.indicator.code,
                "unit": feed.indicator.unit,
            },
            "metric": feed.metric,
            "updated_at": feed.updated_at_values.isoformat() if feed.updated_at_values else None,
            "values": [
                {
                    "period": value.period,
                    "sex": value.sex,
                    "location": value.location,
                    "value": float(value.value),
                    "note": value.note,
                    "events": traces.get(value.pk, []),
                }
                for value in values
                if value.indicator_id == feed.indicator_id
            ],
        }
        for feed in feeds
    ]
