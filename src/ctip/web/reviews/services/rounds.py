"""Review rounds: opening one on a version (tied to a meeting), its reviewers, closing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.access import Permission, role_allows
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.workflow import VersionStatus
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import Membership, User
from ctip.web.accounts.permissions import require_permission
from ctip.web.meetings.models import Meeting
from ctip.web.reviews.models import DeliverableVersion, ReviewRound
from ctip.web.reviews.services.common import (
    audit,
    bump,
    locked_version,
    refuse_if_final,
    refuse_if_round_settled,
)
from ctip.web.reviews.services.notifications import notify_now

__all__ = ["round_close", "round_open", "round_reviewer_add", "round_update"]

ROUND_FIELDS = ["title", "meeting", "due_date", "status"]
_UNSET = object()


def _reviewer_check(round_version: DeliverableVersion, user: User) -> None:
    membership = Membership.objects.filter(workspace=round_version.workspace, user=user).first()
    if membership is None or not role_allows(membership.role, Permission.COMMENT_AND_VALIDATE):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("%(user)s cannot review: invite them as a reviewer first, or give them a role that comments."),
            {"user": user.username},
            problems=[FieldProblem("reviewers", _("%(user)s may not comment."), {"user": user.username})],
        )


def _meeting_check(version: DeliverableVersion, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.workspace_id != version.workspace_id:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("That meeting belongs to another workspace."),
            problems=[FieldProblem("meeting", _("Choose a meeting of this workspace."))],
        )


def _tell_reviewer(review_round: ReviewRound, user: User) -> None:
    version = review_round.deliverable_version
    path = reverse(
        "reviews-round", kwargs={"workspace": version.workspace.slug, "review_round": review_round.uuid}
    )
    body = gettext(
        "Hello %(name)s,\n\nYou are invited to review %(title)s, version %(number)s, in %(workspace)s: "
        "%(round)s.%(due)s\n\nOpen the review: %(path)s\n\n— C-TIP Planner"
    ) % {
        "name": user.get_full_name() or user.username,
        "title": version.title,
        "number": version.number,
        "workspace": version.workspace.name,
        "round": review_round.title,
        "due": (" " + gettext("Comments are due by %(date)s.") % {"date": review_round.due_date.isoformat()})
        if review_round.due_date
        else "",
        "path": settings.CTIP_SITE_URL + path,
    }
    notify_now(
        workspace=version.workspace,
        recipient=user,
        subject=gettext("Review open: %(title)s v%(number)s")
        % {"title": version.title, "number": version.number},
        body=body,
    )


def round_open(
    *,
    version: DeliverableVersion,
    title: str,
    meeting: Meeting | None = None,
    due_date: dt.date | None = None,
    reviewers: Iterable[User] = (),
    acting_user: User | None,
) -> ReviewRound:
    """Open a round of comments on ``version`` (which becomes "under review"); each reviewer is emailed."""
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    title = " ".join(title.split())
    if not title:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The review round cannot be opened; correct the fields listed."),
            problems=[FieldProblem("title", _("Give the round a title, e.g. “Technical Committee review”."))],
        )
    people = list(dict.fromkeys(reviewers))
    with transaction.atomic():
        current = locked_version(version)
        refuse_if_final(current, _("opening a review round"))
        if current.status == VersionStatus.VALIDATED:
            raise DomainError(
                ErrorCode.CONFLICT,
                _("Version %(number)s is already validated: save a new version to review further changes."),
                {"number": current.number},
            )
        _meeting_check(current, meeting)
        for person in people:
            _reviewer_check(current, person)
        review_round = ReviewRound.objects.create(
            workspace=current.workspace,
            deliverable_version=current,
            title=title[:250],
            meeting=meeting,
            due_date=due_date,
            opened_by=acting_user,
        )
        review_round.reviewers.set(people)
        if current.status != VersionStatus.UNDER_REVIEW:
            before = {"status": current.status}
            current.status = VersionStatus.UNDER_REVIEW
            bump(current)
            current.save()
            audit(
                acting_user=acting_user,
                instance=current,
                action="version.status",
                before=before,
                fields=["status"],
            )
        audit(acting_user=acting_user, instance=review_round, action="round.open", fields=ROUND_FIELDS)
        for person in people:
            _tell_reviewer(review_round, person)
    return review_round


def _locked_round(review_round: ReviewRound) -> ReviewRound:
    return (
        ReviewRound.objects.select_for_update().select_related("deliverable_version").get(pk=review_round.pk)
    )


def round_update(
    *,
    round: ReviewRound,
    title: str | None = None,
    meeting: Meeting | object | None = _UNSET,
    due_date: dt.date | object | None = _UNSET,
    expected_version: int | None = None,
    acting_user: User | None,
) -> ReviewRound:
    require_permission(acting_user, round.workspace, Permission.EDIT_CONTENT)
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = " ".join(title.split())
        if not changes["title"]:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The review round cannot be saved; correct the fields listed."),
                problems=[FieldProblem("title", _("This field is required."))],
            )
    if meeting is not _UNSET:
        changes["meeting"] = meeting
    if due_date is not _UNSET:
        changes["due_date"] = due_date
    with transaction.atomic():
        current = _locked_round(round)
        refuse_if_round_settled(current, _("changing its review round"))
        conflict_check(current=current, expected_version=expected_version, submitted=changes)
        if "meeting" in changes:
            _meeting_check(current.deliverable_version, changes["meeting"])  # type: ignore[arg-type]
        before = {name: getattr(current, name) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        bump(current)
        current.save()
        audit(
            acting_user=acting_user,
            instance=current,
            action="round.update",
            before={name: str(value) if value is not None else None for name, value in before.items()},
            fields=ROUND_FIELDS,
        )
    return current


def round_reviewer_add(*, round: ReviewRound, user: User, acting_user: User | None) -> ReviewRound:
    require_permission(acting_user, round.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = _locked_round(round)
        refuse_if_round_settled(current, _("adding reviewers"))
        _reviewer_check(current.deliverable_version, user)
        if current.reviewers.filter(pk=user.pk).exists():
            return current
        current.reviewers.add(user)
        audit(
            acting_user=acting_user,
            instance=current,
            action="round.reviewer_add",
            before=None,
            fields=["title"],
        )
        if current.status == "open":
            _tell_reviewer(current, user)
    return current


def round_close(*, round: ReviewRound, acting_user: User | None) -> ReviewRound:
    """Close a round: no new comments; responses and decisions can still be recorded."""
    require_permission(acting_user, round.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = _locked_round(round)
        if current.status == "closed":
            return current
        current.status = "closed"
        current.closed_at = timezone.now()
        bump(current)
        current.save()
        audit(
            acting_user=acting_user,
            instance=current,
            action="round.close",
            before={"status": "open"},
            fields=["status"],
        )
    return current
