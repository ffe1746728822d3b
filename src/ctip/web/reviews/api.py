"""API endpoints of review and validation, mounted under /api/v1/ (see ctip.web.api).

Versions, rounds and comments are identified by UUID (``id``). A version carries the snapshot of its
deliverable's structured content (``elements``, in the detail only) and ``version``, the number to send back
as ``expected_version`` to be told of a conflicting change (409, with both values). A final version never
changes: every change to it, its rounds or their comments is refused with 409.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.diff import element_to_json
from ctip.web.accounts.api import ERRORS
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import may, workspace_access
from ctip.web.meetings.models import Meeting
from ctip.web.reviews import selectors, services
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound

router = Router(tags=["reviews"])

LIVE = "live"


class VersionIn(Schema):
    """``deliverable``: inception_report, tna_report, capacity_plan or nap; ``subject``: which one when the
    workspace has several (a NAP's id), empty otherwise; ``note``: what changed."""

    deliverable: str
    subject: str = ""
    note: str = ""


class VersionPatch(Schema):
    """The fields to change. ``status``: under_review or revised (validation and finalisation have their
    own endpoints)."""

    note: str | None = None
    title: str | None = None
    status: str | None = None
    expected_version: int | None = None


class ValidateIn(Schema):
    """``meeting``: the id of the validation meeting (a meeting of the workspace); ``decision``: what the
    meeting decided; ``conditions``: the conditions attached, if any."""

    meeting: uuid.UUID | None = None
    decision: str = ""
    conditions: str = ""
    expected_version: int | None = None


class FinaliseIn(Schema):
    expected_version: int | None = None


class RoundIn(Schema):
    """``meeting``: the id of the meeting the round belongs to (a Technical Committee workshop);
    ``reviewers``: usernames of members who may comment."""

    title: str
    meeting: uuid.UUID | None = None
    due_date: dt.date | None = None
    reviewers: list[str] = []


class CommentIn(Schema):
    """``element_id``: the id of an element of the round's version, or empty for the document as a whole."""

    element_id: str = ""
    text: str
    organisation: str = ""


class CommentPatch(Schema):
    text: str
    expected_version: int | None = None


class ResponseIn(Schema):
    """``decision``: accepted, partly_accepted, not_accepted, or empty (no decision yet); partly or not
    accepted needs a ``reason``. ``resolved_in``: the id of the later version whose change resolved the
    comment, and ``resolved_element_id`` the element changed there."""

    response: str = ""
    decision: str = ""
    reason: str = ""
    resolved_in: uuid.UUID | None = None
    resolved_element_id: str = ""
    expected_version: int | None = None


class ValidationOut(Schema):
    meeting: uuid.UUID | None
    decision: str
    conditions: str
    validated_at: dt.datetime | None


class VersionOut(Schema):
    id: uuid.UUID
    deliverable: str
    subject: str
    number: int
    title: str
    status: str
    note: str
    author: str
    created_at: dt.datetime
    based_on: uuid.UUID | None
    version: int
    validation: ValidationOut
    finalised_at: dt.datetime | None


class VersionDetailOut(VersionOut):
    elements: list[dict[str, Any]]


class CommentOut(Schema):
    id: uuid.UUID
    number: int
    element_id: str
    element_label: str
    text: str
    reviewer: str
    organisation: str
    created_at: dt.datetime
    response: str
    decision: str
    reason: str
    resolved_in: uuid.UUID | None
    resolved_element_id: str
    version: int


class RoundOut(Schema):
    id: uuid.UUID
    version: uuid.UUID
    title: str
    meeting: uuid.UUID | None
    due_date: dt.date | None
    status: str
    reviewers: list[str]
    comments: list[CommentOut]


class CompareOut(Schema):
    from_: uuid.UUID = Field(..., alias="from")
    to: str
    """A version's id, or ``live`` for the live content."""
    changes: list[dict[str, Any]]


def _version_out(version: DeliverableVersion) -> VersionOut:
    meeting = version.validation_meeting
    based_on = version.based_on
    return VersionOut(
        id=version.uuid,
        deliverable=version.deliverable,
        subject=version.subject,
        number=version.number,
        title=version.title,
        status=version.status,
        note=version.note,
        author=version.author_label,
        created_at=version.created_at,
        based_on=based_on.uuid if based_on is not None else None,
        version=version.version,
        validation=ValidationOut(
            meeting=meeting.uuid if meeting is not None else None,
            decision=version.validation_decision,
            conditions=version.validation_conditions,
            validated_at=version.validated_at,
        ),
        finalised_at=version.finalised_at,
    )


def _version_detail_out(version: DeliverableVersion) -> VersionDetailOut:
    return VersionDetailOut(
        **_version_out(version).dict(),
        elements=[element_to_json(element) for element in selectors.version_elements(version)],
    )


def _comment_out(comment: ReviewComment) -> CommentOut:
    resolved_in = comment.resolved_in
    return CommentOut(
        id=comment.uuid,
        number=comment.number,
        element_id=comment.element_id,
        element_label=comment.element_label,
        text=comment.text,
        reviewer=comment.reviewer_label,
        organisation=comment.organisation,
        created_at=comment.created_at,
        response=comment.response,
        decision=comment.decision,
        reason=comment.reason,
        resolved_in=resolved_in.uuid if resolved_in is not None else None,
        resolved_element_id=comment.resolved_element_id,
        version=comment.version,
    )


def _round_out(round_: ReviewRound) -> RoundOut:
    meeting = round_.meeting
    return RoundOut(
        id=round_.uuid,
        version=round_.deliverable_version.uuid,
        title=round_.title,
        meeting=meeting.uuid if meeting is not None else None,
        due_date=round_.due_date,
        status=round_.status,
        reviewers=sorted(user.username for user in round_.reviewers.all()),
        comments=[_comment_out(comment) for comment in selectors.round_comments(round_)],
    )


def _version(workspace: Workspace, version: uuid.UUID) -> DeliverableVersion:
    return get_object_or_404(
        DeliverableVersion.objects.select_related("based_on", "validation_meeting"),
        workspace=workspace,
        uuid=version,
    )


def _round(workspace: Workspace, round_: uuid.UUID) -> ReviewRound:
    return get_object_or_404(
        ReviewRound.objects.select_related("deliverable_version", "meeting"), workspace=workspace, uuid=round_
    )


def _comment(workspace: Workspace, comment: uuid.UUID) -> ReviewComment:
    return get_object_or_404(
        ReviewComment.objects.select_related("round__deliverable_version", "resolved_in"),
        workspace=workspace,
        uuid=comment,
    )


def _meeting_of(workspace: Workspace, meeting: uuid.UUID | None, *, location: str) -> Meeting | None:
    if meeting is None:
        return None
    found = Meeting.objects.filter(workspace=workspace, uuid=meeting).first()
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no meeting %(id)s in this workspace: send the id of one of its meetings."),
            {"id": str(meeting)},
            problems=[FieldProblem(location, _("No such meeting in this workspace."))],
        )
    return found


def _version_of(workspace: Workspace, value: str, *, location: str) -> DeliverableVersion:
    """The version of the workspace whose id is ``value`` (a query or body value, checked here)."""
    try:
        wanted = uuid.UUID(value)
    except ValueError:
        wanted = None
    found = DeliverableVersion.objects.filter(workspace=workspace, uuid=wanted).first() if wanted else None
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no version %(id)s in this workspace: send the id of one of its versions."),
            {"id": value},
            problems=[FieldProblem(location, _("No such version in this workspace."))],
        )
    return found


def _reviewers_of(workspace: Workspace, usernames: list[str]) -> list[User]:
    """The members named by ``usernames``; every name that is not a member of the workspace is reported."""
    members = {
        user.username: user
        for user in User.objects.filter(username__in=usernames, memberships__workspace=workspace)
    }
    problems = [
        FieldProblem(
            f"reviewers.{index}",
            _("“%(username)s” is not a member of this workspace: invite them as a reviewer first."),
            {"username": username},
        )
        for index, username in enumerate(usernames)
        if username not in members
    ]
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Some reviewers are not members of this workspace; see problems."),
            problems=problems,
        )
    return [members[username] for username in dict.fromkeys(usernames)]


def _validator_access(request: HttpRequest, workspace: str) -> Workspace:
    """Validating and finalising need both editing and commenting-and-validating (coordinators, admins)."""
    found, membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    if not may(membership, Permission.COMMENT_AND_VALIDATE):
        raise PermissionDenied(
            gettext("Your role (%(role)s) does not allow validating or finalising a version.")
            % {"role": membership.role}
        )
    return found


@router.get("w/{workspace}/reviews/versions", response={200: list[VersionOut], **ERRORS})
def version_list(
    request: HttpRequest, workspace: str, deliverable: str | None = None, subject: str | None = None
) -> list[VersionOut]:
    """The saved versions, by deliverable and subject, newest first. Filter with ``deliverable`` and
    ``subject``."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    versions = DeliverableVersion.objects.filter(workspace=found).select_related(
        "based_on", "validation_meeting"
    )
    if deliverable is not None:
        versions = versions.filter(deliverable=deliverable)
    if subject is not None:
        versions = versions.filter(subject=subject)
    return [_version_out(version) for version in versions]


@router.post("w/{workspace}/reviews/versions", response={201: VersionDetailOut, **ERRORS})
def version_create(request: HttpRequest, workspace: str, payload: VersionIn) -> Status[VersionDetailOut]:
    """Save a new version: a snapshot of the deliverable's live content, numbered after the last one.
    Refused (409) when nothing changed since the latest version."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    version = services.version_save(
        workspace=found,
        deliverable=payload.deliverable,
        subject=payload.subject,
        note=payload.note,
        acting_user=request.user,
    )
    return Status(201, _version_detail_out(_version(found, version.uuid)))


@router.get("w/{workspace}/reviews/versions/{review_version}", response={200: VersionDetailOut, **ERRORS})
def version_detail(request: HttpRequest, workspace: str, review_version: uuid.UUID) -> VersionDetailOut:
    """A version with its snapshot (``elements``: id, kind, label, parent, position, fields)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _version_detail_out(_version(found, review_version))


@router.patch("w/{workspace}/reviews/versions/{review_version}", response={200: VersionDetailOut, **ERRORS})
def version_patch(
    request: HttpRequest, workspace: str, review_version: uuid.UUID, payload: VersionPatch
) -> VersionDetailOut:
    """Change the note or title, or move the status to under_review or revised. A final version is
    refused (409)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    status = changes.pop("status", None)
    details = {name: value for name, value in changes.items() if value is not None}
    if not details and status is None:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Nothing to change: send note, title or status."),
        )
    version = _version(found, review_version)
    with transaction.atomic():
        if details:
            version = services.version_update(
                version=version, expected_version=expected, acting_user=request.user, **details
            )
            expected = version.version
        if status is not None:
            version = services.version_status_set(
                version=version, status=status, expected_version=expected, acting_user=request.user
            )
    return _version_detail_out(_version(found, review_version))


@router.delete("w/{workspace}/reviews/versions/{review_version}", response={204: None, **ERRORS})
def version_delete(request: HttpRequest, workspace: str, review_version: uuid.UUID) -> Status[None]:
    """Delete a draft version that has no review rounds. A final version is refused (409)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    services.version_delete(version=_version(found, review_version), acting_user=request.user)
    return Status(204, None)


@router.post(
    "w/{workspace}/reviews/versions/{review_version}/validate", response={200: VersionDetailOut, **ERRORS}
)
def version_validate(
    request: HttpRequest, workspace: str, review_version: uuid.UUID, payload: ValidateIn
) -> VersionDetailOut:
    """Record the validation meeting's decision. Refused (409, listing them) while comments of the
    deliverable's review rounds are unresolved."""
    found = _validator_access(request, workspace)
    version = _version(found, review_version)
    services.version_validate(
        version=version,
        meeting=_meeting_of(found, payload.meeting, location="meeting"),
        decision=payload.decision,
        conditions=payload.conditions,
        expected_version=payload.expected_version,
        acting_user=request.user,
    )
    return _version_detail_out(_version(found, review_version))


@router.post(
    "w/{workspace}/reviews/versions/{review_version}/finalise", response={200: VersionDetailOut, **ERRORS}
)
def version_finalise(
    request: HttpRequest, workspace: str, review_version: uuid.UUID, payload: FinaliseIn | None = None
) -> VersionDetailOut:
    """Make a validated version final: it never changes again; further edits go into a new version."""
    found = _validator_access(request, workspace)
    services.version_finalise(
        version=_version(found, review_version),
        expected_version=payload.expected_version if payload is not None else None,
        acting_user=request.user,
    )
    return _version_detail_out(_version(found, review_version))


@router.get("w/{workspace}/reviews/compare", response={200: CompareOut, **ERRORS}, by_alias=True)
def versions_compare(
    request: HttpRequest,
    workspace: str,
    from_: str = Query(..., alias="from"),
    to: str = LIVE,
) -> CompareOut:
    """What changed from version ``from`` to version ``to`` (``live``, the default: the content as it is
    now). Each change: kind (added, removed, moved, changed), id, element_kind, label, field, before,
    after."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    old = _version_of(found, from_, location="from")
    new = None if to == LIVE else _version_of(found, to, location="to")
    if new is not None and (new.deliverable, new.subject) != (old.deliverable, old.subject):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Versions of different deliverables cannot be compared: choose two versions of "
                "%(title)s, or “live” for its content as it is now."
            ),
            {"title": old.title},
            problems=[FieldProblem("to", _("Not a version of the same deliverable."))],
        )
    changes = selectors.versions_diff(old, new)
    return CompareOut(
        **{"from": old.uuid},
        to=str(new.uuid) if new is not None else LIVE,
        changes=[change.to_json() for change in changes],
    )


@router.post("w/{workspace}/reviews/versions/{review_version}/rounds", response={201: RoundOut, **ERRORS})
def round_create(
    request: HttpRequest, workspace: str, review_version: uuid.UUID, payload: RoundIn
) -> Status[RoundOut]:
    """Open a review round on a version (which becomes under review); each reviewer gets an email."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    version = _version(found, review_version)
    round_ = services.round_open(
        version=version,
        title=payload.title,
        meeting=_meeting_of(found, payload.meeting, location="meeting"),
        due_date=payload.due_date,
        reviewers=_reviewers_of(found, payload.reviewers),
        acting_user=request.user,
    )
    return Status(201, _round_out(_round(found, round_.uuid)))


@router.get("w/{workspace}/reviews/rounds/{review_round}", response={200: RoundOut, **ERRORS})
def round_detail(request: HttpRequest, workspace: str, review_round: uuid.UUID) -> RoundOut:
    """A review round with its comments, their responses and decisions (the comment matrix)."""
    found, _membership = workspace_access(request.user, workspace, Permission.VIEW_WORKSPACE)
    return _round_out(_round(found, review_round))


@router.post("w/{workspace}/reviews/rounds/{review_round}/comments", response={201: CommentOut, **ERRORS})
def comment_create(
    request: HttpRequest, workspace: str, review_round: uuid.UUID, payload: CommentIn
) -> Status[CommentOut]:
    """Comment on an element of the round's version (``element_id``) or on the document as a whole."""
    found, _membership = workspace_access(request.user, workspace, Permission.COMMENT_AND_VALIDATE)
    comment = services.comment_add(
        round=_round(found, review_round),
        element_id=payload.element_id,
        text=payload.text,
        organisation=payload.organisation,
        acting_user=request.user,
    )
    return Status(201, _comment_out(_comment(found, comment.uuid)))


@router.patch("w/{workspace}/reviews/comments/{review_comment}", response={200: CommentOut, **ERRORS})
def comment_patch(
    request: HttpRequest, workspace: str, review_comment: uuid.UUID, payload: CommentPatch
) -> CommentOut:
    """Change a comment's text. Send ``expected_version`` to get 409 (with both texts) instead of
    overwriting someone else's change."""
    found, _membership = workspace_access(request.user, workspace, Permission.COMMENT_AND_VALIDATE)
    comment = services.comment_update(
        comment=_comment(found, review_comment),
        text=payload.text,
        expected_version=payload.expected_version,
        acting_user=request.user,
    )
    return _comment_out(_comment(found, comment.uuid))


@router.post("w/{workspace}/reviews/comments/{review_comment}/response", response={200: CommentOut, **ERRORS})
def comment_response(
    request: HttpRequest, workspace: str, review_comment: uuid.UUID, payload: ResponseIn
) -> CommentOut:
    """Respond to a comment and record the decision (and the change that resolved it)."""
    found, _membership = workspace_access(request.user, workspace, Permission.EDIT_CONTENT)
    comment = services.comment_respond(
        comment=_comment(found, review_comment),
        response=payload.response,
        decision=payload.decision,
        reason=payload.reason,
        resolved_in=(
            _version_of(found, str(payload.resolved_in), location="resolved_in")
            if payload.resolved_in is not None
            else None
        ),
        resolved_element_id=payload.resolved_element_id,
        expected_version=payload.expected_version,
        acting_user=request.user,
    )
    return _comment_out(_comment(found, comment.uuid))
