"""Review rounds: opening one on a version, the round's page (the comment matrix with its filters, the form
to add a comment, downloads), closing it, and inviting a reviewer by email."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.review.workflow import DECISION_LABELS, Decision, VersionStatus
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import workspace_view
from ctip.web.reviews import selectors, services
from ctip.web.reviews.forms import DECISION_FILTERS, CommentForm, InviteForm, RoundOpenForm, element_choices
from ctip.web.reviews.models import ReviewComment, ReviewRound
from ctip.web.reviews.views import (
    abilities,
    deliverable_label,
    error_text,
    kind_labels,
    render_page,
    round_of,
    to_round,
    version_of,
)
from ctip.web.reviews.views_versions import element_anchor


def is_unresolved(comment: ReviewComment) -> bool:
    """Still blocks validation: no decision, or partly / not accepted without a reason."""
    if not comment.decision:
        return True
    return Decision(comment.decision) is not Decision.ACCEPTED and not comment.reason.strip()


@workspace_view(Permission.EDIT_CONTENT)
def round_open(request: HttpRequest, review_version: Any) -> HttpResponse:
    version = version_of(request, review_version)
    initial = {"title": _("Technical Committee review of version %(number)s") % {"number": version.number}}
    form = RoundOpenForm(request.POST or None, initial=initial, workspace=request.workspace)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                opened = services.round_open(
                    version=version,
                    title=form.cleaned_data["title"],
                    meeting=form.cleaned_data["meeting"],
                    due_date=form.cleaned_data["due_date"],
                    reviewers=list(form.cleaned_data["reviewers"]),
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Review round “%(title)s” opened; version %(number)s is under review.")
                    % {"title": opened.title, "number": version.number},
                )
                return to_round(request, opened)
    context = {
        "version": version,
        "deliverable": deliverable_label(version.deliverable),
        "form": form,
        "is_final": version.status == VersionStatus.FINAL,
    }
    return render_page(request, "reviews/round_open.html", context, status=status)


def comment_form(
    request: HttpRequest, round: ReviewRound, data: Any = None, element: str = ""
) -> CommentForm:
    """The add-comment form: the element select from the round version's snapshot, the organisation from
    the reviewer's last comment."""
    version = round.deliverable_version
    choices = element_choices(
        selectors.version_elements(version),
        kind_labels(version.deliverable),
        whole_document=_("The document as a whole"),
    )
    last = (
        ReviewComment.objects.filter(reviewer=request.user)
        .exclude(organisation="")
        .order_by("-created_at")
        .values_list("organisation", flat=True)
        .first()
    )
    form = CommentForm(data, initial={"element": element, "organisation": last or ""}, choices=choices)
    form.fields["element"].error_messages["invalid_choice"] = _(
        "“%(value)s” is not a part of version %(number)s: choose one from the list."
    ) % {"value": "%(value)s", "number": version.number}
    return form


def _row(
    request: HttpRequest, comment: ReviewComment, round: ReviewRound, kinds: dict[str, str]
) -> dict[str, Any]:
    allowed = abilities(request)
    is_final = round.deliverable_version.status == VersionStatus.FINAL
    change_url = ""
    if comment.resolved_in_id is not None and comment.resolved_in is not None:
        change_url = (
            reverse("reviews-compare", kwargs={"workspace": request.workspace.slug})
            + f"?from={round.deliverable_version.uuid}&to={comment.resolved_in.uuid}"
        )
        if comment.resolved_element_id:
            change_url += "#" + selectors.change_anchor(comment.resolved_element_id)
    not_answered = not comment.response and not comment.decision
    return {
        "comment": comment,
        "kind": kinds.get(comment.element_kind, comment.element_kind),
        "element_anchor": element_anchor(comment.element_id) if comment.element_id else "",
        "decision_label": _(DECISION_LABELS[Decision(comment.decision)]) if comment.decision else "",
        "is_unresolved": is_unresolved(comment),
        "change_url": change_url,
        "may_respond": allowed["can_edit"] and not is_final,
        "may_change": allowed["can_comment"]
        and not is_final
        and not_answered
        and comment.reviewer_id is not None
        and comment.reviewer_id == request.user.pk,
    }


def _filtered(comments: list[ReviewComment], decision: str, reviewer_id: int | None) -> list[ReviewComment]:
    if decision == "open":
        comments = [comment for comment in comments if not comment.decision]
    elif decision:
        comments = [comment for comment in comments if comment.decision == decision]
    if reviewer_id is not None:
        comments = [comment for comment in comments if comment.reviewer_id == reviewer_id]
    return comments


def _reviewer_filters(comments: list[ReviewComment]) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """(username, name) of everyone who commented, by name, and each username's user id (one query)."""
    labels: dict[int, str] = {}
    for comment in comments:
        if comment.reviewer_id is not None:
            labels.setdefault(comment.reviewer_id, comment.reviewer_label)
    usernames = dict(User.objects.filter(pk__in=labels).values_list("pk", "username")) if labels else {}
    choices = sorted(
        ((usernames[pk], label) for pk, label in labels.items() if pk in usernames),
        key=lambda item: item[1].lower(),
    )
    return choices, {username: pk for pk, username in usernames.items()}


@workspace_view(Permission.VIEW_WORKSPACE)
def round_detail(request: HttpRequest, review_round: Any) -> HttpResponse:
    return round_page(request, round_of(request, review_round))


def round_page(
    request: HttpRequest, round: ReviewRound, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    version = round.deliverable_version
    comments = selectors.round_comments(round)
    decision = request.GET.get("decision", "")
    reviewer = request.GET.get("reviewer", "")
    decision = decision if decision in dict(DECISION_FILTERS) else ""
    kinds = kind_labels(version.deliverable)
    reviewer_choices, reviewer_ids = _reviewer_filters(comments)
    reviewer = reviewer if reviewer in reviewer_ids else ""
    allowed = abilities(request)
    is_final = version.status == VersionStatus.FINAL
    may_comment = allowed["can_comment"] and round.status == "open" and not is_final
    if may_comment and form is None:
        form = comment_form(request, round)
    context = {
        "round": round,
        "version": version,
        "deliverable": deliverable_label(version.deliverable),
        "is_final": is_final,
        "rows": [
            _row(request, comment, round, kinds)
            for comment in _filtered(comments, decision, reviewer_ids.get(reviewer))
        ],
        "total": len(comments),
        "unresolved": sum(1 for comment in comments if is_unresolved(comment)),
        "round_reviewers": list(round.reviewers.order_by("first_name", "last_name", "username")),
        "decision_filters": DECISION_FILTERS,
        "reviewer_filters": reviewer_choices,
        "decision": decision,
        "reviewer": reviewer,
        "is_filtered": bool(decision or reviewer),
        "form": form if may_comment else None,
        "may_close": allowed["can_edit"] and round.status == "open" and not is_final,
        "may_invite": allowed["can_edit"] and not is_final,
    }
    return render_page(request, "reviews/round.html", context, status=status)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def round_close(request: HttpRequest, review_round: Any) -> HttpResponse:
    round = round_of(request, review_round)
    try:
        services.round_close(round=round, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Review round “%(title)s” closed: no more comments can be added.") % {"title": round.title},
        )
    return to_round(request, round)


@workspace_view(Permission.EDIT_CONTENT)
def round_invite(request: HttpRequest, review_round: Any) -> HttpResponse:
    round = round_of(request, review_round)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                invitation = services.reviewer_invite(
                    workspace=request.workspace,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    organisation_name=form.cleaned_data["organisation_name"],
                    round=round,
                    link_base=request.build_absolute_uri("/").rstrip("/"),
                    acting_user=request.user,
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Invitation sent to %(email)s. The link lets them join as a reviewer until %(date)s; "
                        "it can be used once."
                    )
                    % {"email": invitation.email, "date": f"{invitation.expires_at:%Y-%m-%d}"},
                )
                return to_round(request, round)
    context = {
        "round": round,
        "version": round.deliverable_version,
        "deliverable": deliverable_label(round.deliverable_version.deliverable),
        "form": form,
    }
    return render_page(request, "reviews/round_invite.html", context, status=status)
