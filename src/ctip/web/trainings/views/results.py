"""The results of a training event (page and Word report), the capacity development report over the
programme (page, Word and PowerPoint), and the indicators that the training data feed (the list with the
metric of each, "recompute now", and one feed's trace from each value back to its events).

Any member may read the results and download the reports: participants appear by their code only, and
groups of fewer than five are withheld. Choosing an indicator's metric needs ``edit_content``;
recomputing the actuals ``edit_content`` or ``run_trainings``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.model import METRIC_LABELS
from ctip.formats.documents.model import bold_spans
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.monitoring.models import Indicator, IndicatorValue
from ctip.web.trainings import report_charts as charts
from ctip.web.trainings import report_content as content
from ctip.web.trainings.models import FeedTrace, IndicatorFeed, TrainingEvent
from ctip.web.trainings.report_advice import recommendations
from ctip.web.trainings.report_event import event_report_docx, module_titles, trainer_lines
from ctip.web.trainings.report_programme import programme_report_docx
from ctip.web.trainings.report_programme_deck import programme_report_pptx
from ctip.web.trainings.services.feeds import (
    METRIC_UNITS,
    TRAINING_SOURCE,
    feed_conflicts,
    feed_set,
    feeds_recompute_report,
)
from ctip.web.trainings.services.programme import programme_results
from ctip.web.trainings.services.results import event_results

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
REPORT_LANGUAGES = (("en", "English"), ("fr", "Français"))


def _page_language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _report_language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in dict(REPORT_LANGUAGES) else _page_language(request)


def _event(request: HttpRequest, event: uuid.UUID) -> TrainingEvent:
    return get_object_or_404(
        TrainingEvent.objects.select_related("workspace"), workspace=request.workspace, uuid=event
    )


def _file(content_bytes: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content_bytes, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _svg(chart: Any) -> str:
    # Drawn by ctip.formats.charts from our own definitions (matplotlib escapes the labels, which are user
    # data); nothing else is marked safe.
    return mark_safe(charts.svg(chart))


# --- One event -------------------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def results_page(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    found = _event(request, event)
    language = _page_language(request)
    r = event_results(found, language=language)
    prepost = r.prepost or {}
    context: dict[str, Any] = {
        "event": found,
        "r": r,
        "modules": module_titles(found, language),
        "trainers": trainer_lines(found),
        "matching": content.matching_text(prepost) if r.prepost else "",
        "independent": content.independent_text(prepost) if r.prepost else None,
        "group_rows": content.group_rows(r.prepost),
        "item_rows": content.item_rows(r),
        "reliability": content.reliability_text(r.items),
        "adjustment": content.adjustment_label(str((r.items or {}).get("adjustment", "holm"))),
        "pass_rows": content.pass_rows(r.passing),
        "reaction_rows": content.reaction_rows(r.reactions, language),
        "reaction_comments": r.reactions.get("comments") or {},
        "follow_up_lines": content.follow_up_lines(r.follow_up, language),
        "definitions": content.definitions(found.pass_mark),
        "defs": content.definition_texts(found.pass_mark),
        "participants_svg": _svg(charts.participants_chart(r)) if (r.pre_takers or r.post_takers) else "",
        "groups_svg": _svg(charts.groups_chart(r)) if r.paired and charts.shows_groups(r.prepost) else "",
        "reaction_svg": _svg(charts.reaction_chart(r.reactions, language)) if r.reactions.get("n") else "",
        "days": [
            {
                "day": day.day,
                "present": day.present,
                "recorded": day.recorded,
                "share": content.percent(day.present / r.attendance.registered["total"])
                if r.attendance.registered.get("total")
                else "—",
            }
            for day in r.attendance.days
        ],
        "attendance_by_sex": [
            (
                content.sex_label(sex),
                r.attendance.registered.get(sex, 0),
                r.attendance.attended.get(sex, 0),
                r.attendance.all_days.get(sex, 0),
            )
            for sex in ("female", "male", "not_stated")
            if r.attendance.registered.get(sex)
        ],
        "participant_rows": [
            {
                "row": row,
                "sex": content.sex_label(row.sex),
                "pre": content.score_percent(row.pre.percent) if row.pre else "—",
                "post": content.score_percent(row.post.percent) if row.post else "—",
                "change": content.score_percent(row.change_percent)
                if row.change_percent is not None
                else "—",
            }
            for row in r.participants
        ],
        "languages": REPORT_LANGUAGES,
    }
    return render(request, "trainings/results.html", context)


@workspace_view(Permission.VIEW_WORKSPACE)
def report_docx(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    """The training report of the event (Word), in ``?language=`` (en, fr) or the page's language."""
    found = _event(request, event)
    language = _report_language(request)
    try:
        data = event_report_docx(found, language)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("training-results", workspace=request.workspace.slug, event=found.uuid)
    return _file(data, DOCX, f"training-report-{found.code}-{language}.docx")


# --- The programme ---------------------------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def programme_page(request: HttpRequest) -> HttpResponse:
    language = _page_language(request)
    p = programme_results(request.workspace, language=language)
    context = {
        "p": p,
        "by_location": p.plan_by("location"),
        "by_module": [
            {"cell": cell, "title": p.module_title(cell.module, cell.module_code)}
            for cell in p.plan_by("module")
        ],
        "group_rows": [
            row for row in content.group_rows(p.pooled) if row.attribute in ("", "sex", "location")
        ],
        "matching": content.matching_text(p.pooled) if p.pooled else "",
        "independent": content.independent_text(p.pooled) if p.pooled else None,
        "events": [
            {
                "line": line,
                "modules": ", ".join(module.code for module in line.modules),
                "overall": (line.results.prepost or {}).get("overall") or {},
                "pre": content.score_percent(
                    ((line.results.prepost or {}).get("overall") or {}).get("pre_mean_pct")
                ),
                "post": content.score_percent(
                    ((line.results.prepost or {}).get("overall") or {}).get("post_mean_pct")
                ),
                "hake": content.number_or_absent(
                    ((line.results.prepost or {}).get("overall") or {}).get("hake_g")
                ),
                "passed": content.percent(line.results.passing.share),
            }
            for line in p.events
        ],
        "recommendations": [bold_spans(text) for text in recommendations(p)],
        "plan_svg": _svg(charts.plan_by_location_chart(p)) if p.plan else "",
        "modules_svg": _svg(charts.module_gain_chart(p)) if p.pooled else "",
        "languages": REPORT_LANGUAGES,
    }
    return render(request, "trainings/programme_report.html", context)


def _programme_file(
    request: HttpRequest, build: Callable[[Any, str], bytes], content_type: str, extension: str
) -> HttpResponse:
    language = _report_language(request)
    try:
        data = build(request.workspace, language)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect("training-programme-report", workspace=request.workspace.slug)
    return _file(
        data, content_type, f"capacity-development-report-{request.workspace.slug}-{language}.{extension}"
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def programme_docx(request: HttpRequest) -> HttpResponse:
    return _programme_file(request, programme_report_docx, DOCX, "docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def programme_pptx(request: HttpRequest) -> HttpResponse:
    return _programme_file(request, programme_report_pptx, PPTX, "pptx")


# --- Indicator feeds -------------------------------------------------------------------------------------


def _metric_choices() -> list[tuple[str, str]]:
    return [(metric.value, _(label)) for metric, label in METRIC_LABELS.items()]


def _conflict_text(conflict: Any) -> str:
    return _(
        "%(code)s, %(period)s, %(cell)s: a value typed by hand (%(typed)s, source “%(source)s”) differs from "
        "the training data (%(computed)s) and was kept. Delete it on the indicator's page if the training data "
        "should count."
    ) % {
        "code": conflict.indicator,
        "period": conflict.period,
        "cell": _cell_label(conflict.sex, conflict.location),
        "typed": content.number_or_absent(conflict.typed),
        "source": conflict.typed_source or "—",
        "computed": content.number_or_absent(conflict.computed),
    }


def _cell_label(sex: str, location: str) -> str:
    parts = [content.sex_label(sex) if sex else _("Everyone")]
    parts.append(location or _("all locations"))
    return ", ".join(parts)


def _feeds_post(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    back = redirect("training-feeds", workspace=workspace.slug)
    action = request.POST.get("action", "")
    if action == "recompute":
        if not (
            may(request.membership, Permission.EDIT_CONTENT)
            or may(request.membership, Permission.RUN_TRAININGS)
        ):
            messages.error(request, _("Your role cannot recompute the indicators."))
            return back
        report = feeds_recompute_report(workspace, request.user)
        messages.success(
            request,
            _("Actuals recomputed: %(written)s written, %(removed)s removed, %(unchanged)s unchanged.")
            % {"written": report.written, "removed": report.removed, "unchanged": report.unchanged},
        )
        for conflict in report.conflicts:
            messages.warning(request, _conflict_text(conflict))
        for code, problem in report.skipped:
            messages.error(request, f"{code}: {problem.render(_)}")
        return back
    if action == "set":
        if not may(request.membership, Permission.EDIT_CONTENT):
            messages.error(request, _("Your role cannot change which indicators the training data feed."))
            return back
        try:
            indicator_uuid = uuid.UUID(request.POST.get("indicator", ""))
        except ValueError:
            messages.error(request, _("Choose an indicator of the framework."))
            return back
        indicator = Indicator.objects.filter(workspace=workspace, uuid=indicator_uuid).first()
        if indicator is None:
            messages.error(request, _("There is no such indicator in this workspace."))
            return back
        try:
            feed, report = feed_set(
                workspace=workspace,
                indicator=indicator,
                metric=request.POST.get("metric", ""),
                acting_user=request.user,
            )
        except DomainError as error:
            messages.error(
                request, " ".join([error.render(_), *(problem.render(_) for problem in error.problems)])
            )
            return back
        if feed is None:
            messages.success(
                request, _("%(code)s is no longer fed by the training data.") % {"code": indicator.code}
            )
        else:
            messages.success(
                request,
                _("%(code)s is now computed from the training data: %(written)s values written.")
                % {"code": indicator.code, "written": report.written},
            )
            for conflict in report.conflicts:
                messages.warning(request, _conflict_text(conflict))
        return back
    messages.error(request, _("Unknown action."))
    return back


@workspace_view(Permission.VIEW_WORKSPACE)
def feeds_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _feeds_post(request)
    workspace = request.workspace
    language = _page_language(request)
    feeds = {
        feed.indicator_id: feed
        for feed in IndicatorFeed.objects.filter(workspace=workspace).select_related("indicator")
    }
    counts: dict[int, int] = defaultdict(int)
    for indicator_id in IndicatorValue.objects.filter(
        workspace=workspace, kind="actual", source=TRAINING_SOURCE
    ).values_list("indicator_id", flat=True):
        counts[indicator_id] += 1
    rows = []
    for indicator in (
        Indicator.objects.filter(workspace=workspace)
        .select_related("node")
        .order_by("node__tier", "node__position", "position", "code")
    ):
        feed = feeds.get(indicator.pk)
        rows.append(
            {
                "indicator": indicator,
                "name": indicator.name(language),
                "feed": feed,
                "values": counts.get(indicator.pk, 0),
                "fits": [metric for metric, unit in METRIC_UNITS.items() if unit == indicator.unit],
            }
        )
    return render(
        request,
        "trainings/feeds.html",
        {
            "rows": rows,
            "metrics": _metric_choices(),
            "source": TRAINING_SOURCE,
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
            "can_recompute": may(request.membership, Permission.EDIT_CONTENT)
            or may(request.membership, Permission.RUN_TRAININGS),
        },
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def feed_page(request: HttpRequest, feed: uuid.UUID) -> HttpResponse:
    workspace = request.workspace
    found = get_object_or_404(
        IndicatorFeed.objects.select_related("indicator", "indicator__node"), workspace=workspace, uuid=feed
    )
    language = _page_language(request)
    values = list(
        IndicatorValue.objects.filter(indicator=found.indicator, kind="actual").order_by(
            "period", "sex", "location", "id"
        )
    )
    traces: dict[int, list[FeedTrace]] = defaultdict(list)
    for trace in (
        FeedTrace.objects.filter(value__in=values)
        .select_related("event")
        .order_by("event__start_date", "event__code")
    ):
        traces[trace.value_id].append(trace)
    is_rate = found.indicator.unit == "percent"
    with translation.override(language):
        rows = [
            {
                "value": value,
                "cell": _cell_label(value.sex, value.location),
                "text": content.number_or_absent(float(value.value), 2 if is_rate else 0),
                "ours": value.source == TRAINING_SOURCE,
                "traces": [
                    {
                        "trace": trace,
                        "numerator": content.number_or_absent(float(trace.numerator), 0),
                        "denominator": content.number_or_absent(float(trace.denominator), 0)
                        if trace.denominator is not None
                        else "—",
                    }
                    for trace in traces.get(value.pk, [])
                ],
            }
            for value in values
        ]
    return render(
        request,
        "trainings/feeds_detail.html",
        {
            "feed": found,
            "indicator": found.indicator,
            "name": found.indicator.name(language),
            "metric_label": dict(_metric_choices()).get(found.metric, found.metric),
            "rows": rows,
            "conflicts": [_conflict_text(conflict) for conflict in feed_conflicts(found)],
            "is_rate": is_rate,
            "source": TRAINING_SOURCE,
        },
    )
