"""A version's page (header, status steps, actions, rounds, validation record and the snapshot as a tree with
the comments of the open round) and its actions: change the status, validate (behind the gate of unresolved
comments), finalise and delete a draft, each confirmed on its own page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.review.diff import Element
from ctip.core.review.workflow import DECISIONS_NEEDING_REASON, STATUS_LABELS, VersionStatus
from ctip.formats.review_documents import display_value
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.reviews import selectors, services
from ctip.web.reviews.forms import ValidateForm, VersionStatusForm
from ctip.web.reviews.models import DeliverableVersion, ReviewRound
from ctip.web.reviews.views import (
    abilities,
    compare_url,
    deliverable_label,
    error_text,
    field_labels,
    kind_labels,
    language,
    render_page,
    to_version,
    version_of,
)

STEPS = (
    VersionStatus.DRAFT,
    VersionStatus.UNDER_REVIEW,
    VersionStatus.REVISED,
    VersionStatus.VALIDATED,
    VersionStatus.FINAL,
)
VALIDATABLE = frozenset({VersionStatus.DRAFT, VersionStatus.UNDER_REVIEW, VersionStatus.REVISED})


def element_anchor(element_id: str) -> str:
    """The id of an element's row in the version tree (``element-…``, safe in a URL fragment)."""
    return "element-" + selectors.change_anchor(element_id).removeprefix("change-")


def status_steps(status: str, *, skipped: frozenset[VersionStatus] = frozenset()) -> list[dict[str, Any]]:
    """The steps draft → … → final, each done, skipped, current or to come."""
    current = STEPS.index(VersionStatus(status))
    steps = []
    for index, step in enumerate(STEPS):
        if index < current:
            state = "skipped" if step in skipped else "done"
        else:
            state = "current" if index == current else "todo"
        steps.append({"status": step.value, "label": _(STATUS_LABELS[step]), "state": state})
    return steps


def skipped_steps(version: DeliverableVersion, rounds: Sequence[ReviewRound]) -> frozenset[VersionStatus]:
    """The steps a version passed without going through them: no review round means it was never under
    review, and it was revised only after a round (its own, or its predecessor's)."""
    if rounds:
        return frozenset()
    if version.based_on is not None and version.based_on.rounds.exists():
        return frozenset({VersionStatus.UNDER_REVIEW})
    return frozenset({VersionStatus.UNDER_REVIEW, VersionStatus.REVISED})


def tree_rows(
    elements: Sequence[Element],
    *,
    kinds: Mapping[str, str],
    fields: Mapping[str, str],
    counts: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The snapshot depth first, each element with its depth, labels and displayed fields."""
    known = {element.id for element in elements}
    children: dict[str | None, list[Element]] = {}
    for element in elements:
        children.setdefault(element.parent if element.parent in known else None, []).append(element)
    reader = language()
    rows: list[dict[str, Any]] = []
    stack: list[tuple[Element, int]] = [(element, 0) for element in reversed(children.get(None, []))]
    while stack:
        element, depth = stack.pop()
        rows.append(
            {
                "id": element.id,
                "anchor": element_anchor(element.id),
                "depth": min(depth, 6),
                "kind": kinds.get(element.kind, element.kind.replace("_", " ").capitalize()),
                "label": element.label,
                "fields": [
                    {
                        "label": fields.get(name, name.replace("_", " ").capitalize()),
                        "value": display_value(value, reader),
                    }
                    for name, value in element.fields.items()
                ],
                "comments": (counts or {}).get(element.id, 0),
            }
        )
        stack.extend((child, depth + 1) for child in reversed(children.get(element.id, [])))
    return rows


def _rounds(version: DeliverableVersion) -> list[ReviewRound]:
    unresolved = Q(comments__decision="") | Q(
        comments__decision__in=[decision.value for decision in DECISIONS_NEEDING_REASON], comments__reason=""
    )
    return list(
        version.rounds.select_related("meeting").annotate(
            comment_count=Count("comments", distinct=True),
            unresolved_count=Count("comments", filter=unresolved, distinct=True),
        )
    )


def _actions(request: HttpRequest, version: DeliverableVersion, rounds: list[ReviewRound]) -> dict[str, bool]:
    allowed = abilities(request)
    status = VersionStatus(version.status)
    return {
        "may_open_round": allowed["can_edit"] and status in VALIDATABLE,
        "may_mark_revised": allowed["can_edit"] and status is VersionStatus.UNDER_REVIEW,
        "may_validate": allowed["can_validate"] and status in VALIDATABLE,
        "may_finalise": allowed["can_validate"] and status is VersionStatus.VALIDATED,
        "may_delete": allowed["can_edit"] and status is VersionStatus.DRAFT and not rounds,
    }


@workspace_view(Permission.VIEW_WORKSPACE)
def version_detail(request: HttpRequest, review_version: Any) -> HttpResponse:
    version = version_of(request, review_version)
    rounds = _rounds(version)
    open_round = next((found for found in reversed(rounds) if found.status == "open"), None)
    counts = selectors.comment_counts(open_round) if open_round is not None else {}
    slug = request.workspace.slug
    newest = (
        DeliverableVersion.objects.filter(
            workspace=request.workspace, deliverable=version.deliverable, subject=version.subject
        )
        .order_by("-number")
        .values_list("number", "uuid")
        .first()
    )
    meeting = version.validation_meeting
    context = {
        "version": version,
        "deliverable": deliverable_label(version.deliverable),
        "steps": status_steps(version.status, skipped=skipped_steps(version, rounds)),
        "is_final": version.status == VersionStatus.FINAL,
        "rounds": rounds,
        "open_round": open_round,
        "whole_document_comments": counts.get("", 0),
        "tree": tree_rows(
            selectors.version_elements(version),
            kinds=kind_labels(version.deliverable),
            fields=field_labels(version.deliverable),
            counts=counts,
        ),
        "based_on_compare": compare_url(slug, version.based_on, version) if version.based_on else "",
        "live_compare": compare_url(slug, version, None),
        "newest": newest if newest and newest[0] != version.number else None,
        "attendee_count": meeting.attendees.count() if meeting is not None else 0,
        "earlier_rounds": list(
            ReviewRound.objects.filter(deliverable_version=version.based_on).order_by("created_at")
        )
        if version.based_on is not None and not rounds
        else [],
        "status_form": VersionStatusForm(initial={"status": "revised", "expected_version": version.version}),
        **_actions(request, version, rounds),
    }
    return render_page(request, "reviews/version.html", context)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def version_status(request: HttpRequest, review_version: Any) -> HttpResponse:
    version = version_of(request, review_version)
    form = VersionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose “under review” or “revised”: the other steps have their own pages.")
        )
        return to_version(request, version)
    try:
        changed = services.version_status_set(
            version=version,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["expected_version"],
            acting_user=request.user,
        )
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Version %(number)s is now %(status)s.")
            % {"number": changed.number, "status": changed.get_status_display().lower()},
        )
    return to_version(request, version)


def _require_validator(request: HttpRequest) -> None:
    """Validating and finalising take both editing and validating rights (coordinator, administrator)."""
    if not may(request.membership, Permission.COMMENT_AND_VALIDATE):
        raise PermissionDenied("Validating a version needs the right to edit content and to validate")


@workspace_view(Permission.EDIT_CONTENT)
def version_validate(request: HttpRequest, review_version: Any) -> HttpResponse:
    _require_validator(request)
    version = version_of(request, review_version)
    blockers = selectors.unresolved_comments(version)
    initial = {"expected_version": version.version, "decision": version.validation_decision}
    form = ValidateForm(request.POST or None, initial=initial, workspace=request.workspace)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.version_validate(
                    version=version,
                    meeting=form.cleaned_data["meeting"],
                    decision=form.cleaned_data["decision"],
                    conditions=form.cleaned_data["conditions"],
                    expected_version=form.cleaned_data["expected_version"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Version %(number)s is validated. Finalise it when the document is submitted.")
                    % {"number": version.number},
                )
                return to_version(request, version)
    context = {
        "version": version,
        "deliverable": deliverable_label(version.deliverable),
        "blockers": blockers,
        "form": form,
        "may_validate": VersionStatus(version.status) in VALIDATABLE and not blockers,
    }
    return render_page(request, "reviews/version_validate.html", context, status=status)


@workspace_view(Permission.EDIT_CONTENT)
def version_finalise(request: HttpRequest, review_version: Any) -> HttpResponse:
    _require_validator(request)
    version = version_of(request, review_version)
    if request.method == "POST":
        try:
            services.version_finalise(
                version=version, expected_version=_posted_version(request), acting_user=request.user
            )
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s is final. It can no longer change; new edits start a new draft version."
                )
                % {"number": version.number},
            )
        return to_version(request, version)
    context = {"version": version, "deliverable": deliverable_label(version.deliverable)}
    return render_page(request, "reviews/version_finalise.html", context)


@workspace_view(Permission.EDIT_CONTENT)
def version_delete(request: HttpRequest, review_version: Any) -> HttpResponse:
    version = version_of(request, review_version)
    if request.method == "POST":
        try:
            services.version_delete(version=version, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error_text(error))
            return to_version(request, version)
        messages.success(request, _("Draft version %(number)s deleted.") % {"number": version.number})
        return redirect("reviews-home", workspace=request.workspace.slug)
    context = {"version": version, "deliverable": deliverable_label(version.deliverable)}
    return render_page(request, "reviews/version_delete.html", context)


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("expected_version", "")
    return int(raw) if raw.isdigit() else None
