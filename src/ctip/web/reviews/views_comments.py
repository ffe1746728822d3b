"""A reviewer's comment: adding one (on the round's page, or on its own page from the version tree's
"Comment" link), editing or deleting one's own before it has a response, and the author's response with its
decision and the change that resolved it. A stale form shows both values and keeps what was typed."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.reviews import selectors, services
from ctip.web.reviews.forms import CommentEditForm, RespondForm
from ctip.web.reviews.models import DeliverableVersion, ReviewComment
from ctip.web.reviews.views import (
    comment_of,
    deliverable_label,
    error_text,
    kind_labels,
    relocated,
    render_page,
    round_of,
    to_round,
)
from ctip.web.reviews.views_rounds import comment_form, round_page


def _with_current_version(form: forms.Form, data: QueryDict, version: int, **kwargs: Any) -> forms.Form:
    """The form bound again to what was typed, with the stored record's version, so that a deliberate second
    submit overwrites knowingly."""
    fresh = data.copy()
    fresh["expected_version"] = str(version)
    rebound = type(form)(fresh, **kwargs)
    rebound.is_valid()
    return rebound


@workspace_view(Permission.COMMENT_AND_VALIDATE)
def comment_add(request: HttpRequest, review_round: Any) -> HttpResponse:
    round = round_of(request, review_round)
    element = request.GET.get("element", "")
    form = comment_form(request, round, request.POST or None, element=element)
    if request.method == "POST":
        if form.is_valid():
            try:
                comment = services.comment_add(
                    round=round,
                    element_id=form.cleaned_data["element"],
                    text=form.cleaned_data["text"],
                    organisation=form.cleaned_data["organisation"],
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, relocated(error, {"element_id": "element"}))
            else:
                messages.success(request, _("Comment %(number)s added.") % {"number": comment.number})
                return to_round(request, round, f"comment-{comment.number}")
        if request.POST.get("from") == "round":
            return round_page(request, round, form=form, status=400)
    context = {
        "round": round,
        "version": round.deliverable_version,
        "deliverable": deliverable_label(round.deliverable_version.deliverable),
        "form": form,
        "element_label": dict(_flat(form.fields["element"].choices)).get(element, ""),
        "is_open": round.status == "open",
    }
    return render_page(
        request, "reviews/comment_add.html", context, status=400 if request.method == "POST" else 200
    )


def _flat(choices: Any) -> list[tuple[str, str]]:
    """Options of a select, groups flattened."""
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.extend((str(item), str(text).strip("\u00a0")) for item, text in label)
        else:
            flat.append((str(value), str(label)))
    return flat


@workspace_view(Permission.COMMENT_AND_VALIDATE)
def comment_edit(request: HttpRequest, review_comment: Any) -> HttpResponse:
    """Edit (or, with ``action=delete``, delete) one's own comment while it has no response."""
    comment = comment_of(request, review_comment)
    if comment.reviewer_id is None or comment.reviewer_id != request.user.pk:
        raise PermissionDenied("Only the reviewer who wrote a comment may change it")
    round = comment.round
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.comment_delete(comment=comment, acting_user=request.user)
        except DomainError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Comment %(number)s deleted.") % {"number": comment.number})
        return to_round(request, round)
    form: forms.Form = CommentEditForm(
        request.POST or None, initial={"text": comment.text, "expected_version": comment.version}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_update(
                    comment=comment,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["expected_version"],
                    acting_user=request.user,
                )
            except DomainError as error:
                if error.code == ErrorCode.CONFLICT:
                    stored = ReviewComment.objects.get(pk=comment.pk)
                    form = _with_current_version(form, request.POST, stored.version)
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Comment %(number)s saved.") % {"number": comment.number})
                return to_round(request, round, f"comment-{comment.number}")
    context = {
        "comment": comment,
        "round": round,
        "version": round.deliverable_version,
        "deliverable": deliverable_label(round.deliverable_version.deliverable),
        "form": form,
    }
    return render_page(request, "reviews/comment_edit.html", context, status=status)


def _later_versions(comment: ReviewComment) -> Any:
    reviewed = comment.round.deliverable_version
    return DeliverableVersion.objects.filter(
        workspace=reviewed.workspace,
        deliverable=reviewed.deliverable,
        subject=reviewed.subject,
        number__gt=reviewed.number,
    ).order_by("-number")


def _target_version(request: HttpRequest, comment: ReviewComment, later: Any) -> DeliverableVersion | None:
    """The version whose changes fill the element select: the one posted, else the one already chosen,
    else the latest."""
    chosen = request.POST.get("resolved_in") or request.GET.get("resolved_in")
    if chosen:
        found = later.filter(uuid=chosen).first() if _is_uuid(chosen) else None
        if found is not None:
            return found
    if comment.resolved_in is not None:
        return comment.resolved_in
    return later.first()


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _changed_elements(comment: ReviewComment, target: DeliverableVersion | None) -> list[tuple[str, str]]:
    """(id, "Kind: label") of each element that changed from the reviewed version to ``target``."""
    if target is None:
        return []
    kinds = kind_labels(target.deliverable)
    seen: dict[str, str] = {}
    for change in selectors.versions_diff(comment.round.deliverable_version, target):
        if change.id not in seen:
            seen[change.id] = f"{kinds.get(change.element_kind, change.element_kind)}: {change.label}"
    return list(seen.items())


def _resolved_in(cleaned: dict[str, Any], target: DeliverableVersion | None) -> DeliverableVersion | None:
    """The version chosen; when only a change was chosen, the version its list was made from."""
    if cleaned["resolved_in"] is None and cleaned["resolved_element_id"]:
        return target
    return cleaned["resolved_in"]


@workspace_view(Permission.EDIT_CONTENT)
def comment_respond(request: HttpRequest, review_comment: Any) -> HttpResponse:
    comment = comment_of(request, review_comment)
    round = comment.round
    later = _later_versions(comment)
    target = _target_version(request, comment, later)
    options = {"versions": later, "changed_elements": _changed_elements(comment, target)}
    initial = {
        "response": comment.response,
        "decision": comment.decision,
        "reason": comment.reason,
        "resolved_in": comment.resolved_in.uuid if comment.resolved_in else None,
        "resolved_element_id": comment.resolved_element_id,
        "expected_version": comment.version,
    }
    form: forms.Form = RespondForm(request.POST or None, initial=initial, **options)
    status = 200
    if request.method == "POST" and "refresh" in request.POST:
        form.is_valid()  # show the changes of the chosen version; nothing is saved
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_respond(
                    comment=comment,
                    response=form.cleaned_data["response"],
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    resolved_in=_resolved_in(form.cleaned_data, target),
                    resolved_element_id=form.cleaned_data["resolved_element_id"],
                    expected_version=form.cleaned_data["expected_version"],
                    acting_user=request.user,
                )
            except DomainError as error:
                if error.code == ErrorCode.CONFLICT:
                    stored = ReviewComment.objects.get(pk=comment.pk)
                    form = _with_current_version(form, request.POST, stored.version, **options)
                apply_domain_error(form, error)
            else:
                messages.success(
                    request, _("Response to comment %(number)s saved.") % {"number": comment.number}
                )
                return to_round(request, round, f"comment-{comment.number}")
    context = {
        "comment": comment,
        "round": round,
        "version": round.deliverable_version,
        "deliverable": deliverable_label(round.deliverable_version.deliverable),
        "kind": kind_labels(round.deliverable_version.deliverable).get(
            comment.element_kind, comment.element_kind
        ),
        "form": form,
        "target": target,
        "has_later_versions": target is not None,
        "is_final": round.deliverable_version.status == "final",
    }
    return render_page(request, "reviews/comment_respond.html", context, status=status)
