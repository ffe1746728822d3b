"""Versions of a deliverable: saving the snapshot, the status steps, validation behind its gate, the final
freeze and deleting an unused draft."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.diff import diff, element_from_json, element_to_json
from ctip.core.review.workflow import CommentState, VersionStatus, transition_check, validation_check
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.meetings.models import Meeting
from ctip.web.reviews.deliverables import deliverable_get, deliverable_snapshot
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound
from ctip.web.reviews.services.common import (
    actor_name,
    audit,
    bump,
    locked_version,
    refuse_if_final,
)

__all__ = [
    "version_delete",
    "version_finalise",
    "version_save",
    "version_status_set",
    "version_update",
    "version_validate",
]

VERSION_FIELDS = [
    "deliverable",
    "subject",
    "number",
    "title",
    "status",
    "note",
    "validation_meeting",
    "validation_decision",
    "validation_conditions",
]


def _subject_title(workspace: Workspace, deliverable: str, subject: str) -> str:
    registered = deliverable_get(deliverable)
    for key, title in registered.subjects(workspace):
        if key == subject:
            return title
    raise DomainError(
        ErrorCode.NOT_FOUND,
        _("There is no %(deliverable)s “%(subject)s” in this workspace to save a version of."),
        {"deliverable": str(registered.label).lower(), "subject": subject or "—"},
        problems=[FieldProblem("subject", _("Choose one of the workspace's deliverables."))],
    )


def version_save(
    *,
    workspace: Workspace,
    deliverable: str,
    subject: str = "",
    note: str = "",
    acting_user: User | None,
) -> DeliverableVersion:
    """Save the live content of a deliverable as its next version. After a version under review the new one
    is "revised"; otherwise (first version, or after a final version) it starts as a draft."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    title = _subject_title(workspace, deliverable, subject)
    elements = deliverable_snapshot(deliverable_get(deliverable), workspace, subject)
    with transaction.atomic():
        previous = (
            DeliverableVersion.objects.select_for_update()
            .filter(workspace=workspace, deliverable=deliverable, subject=subject)
            .order_by("-number")
            .first()
        )
        if previous is not None and not diff(
            [element_from_json(item) for item in previous.elements], elements
        ):
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "Nothing has changed since version %(number)s: make the changes first, then save a new "
                    "version."
                ),
                {"number": previous.number},
            )
        reviewed = previous is not None and previous.status == VersionStatus.UNDER_REVIEW
        number = (
            DeliverableVersion.objects.filter(
                workspace=workspace, deliverable=deliverable, subject=subject
            ).aggregate(top=Max("number"))["top"]
            or 0
        ) + 1
        version = DeliverableVersion.objects.create(
            workspace=workspace,
            deliverable=deliverable,
            subject=subject,
            number=number,
            title=title[:250],
            status=VersionStatus.REVISED if reviewed else VersionStatus.DRAFT,
            note=note.strip(),
            elements=[element_to_json(element) for element in elements],
            author=acting_user,
            author_label=actor_name(acting_user),
            based_on=previous,
        )
        audit(acting_user=acting_user, instance=version, action="version.save", fields=VERSION_FIELDS)
    return version


def version_update(
    *,
    version: DeliverableVersion,
    note: str | None = None,
    title: str | None = None,
    expected_version: int | None = None,
    acting_user: User | None,
) -> DeliverableVersion:
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    changes: dict[str, str] = {}
    if note is not None:
        changes["note"] = note.strip()
    if title is not None:
        changes["title"] = " ".join(title.split())
        if not changes["title"]:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The version cannot be saved; correct the fields listed."),
                problems=[FieldProblem("title", _("This field is required."))],
            )
    with transaction.atomic():
        current = locked_version(version)
        refuse_if_final(current, _("changing its title or note"))
        conflict_check(current=current, expected_version=expected_version, submitted=changes)
        before = {name: getattr(current, name) for name in changes}
        if all(getattr(current, name) == value for name, value in changes.items()):
            return current
        for name, value in changes.items():
            setattr(current, name, value)
        bump(current)
        current.save()
        audit(
            acting_user=acting_user,
            instance=current,
            action="version.update",
            before=before,
            fields=list(changes),
        )
    return current


def version_status_set(
    *,
    version: DeliverableVersion,
    status: str,
    acting_user: User | None,
    expected_version: int | None = None,
) -> DeliverableVersion:
    """Move a version to "under review" or "revised"; "validated" and "final" have their own services."""
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = locked_version(version)
        conflict_check(current=current, expected_version=expected_version, submitted={"status": status})
        target = transition_check(current.status, status, number=current.number)
        if target in (VersionStatus.VALIDATED, VersionStatus.FINAL):
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _(
                    "A version is validated with the record of its validation meeting, and made final after "
                    "that: use the Validate and Make final actions."
                ),
            )
        before = {"status": current.status}
        current.status = target
        bump(current)
        current.save()
        audit(
            acting_user=acting_user,
            instance=current,
            action="version.status",
            before=before,
            fields=["status"],
        )
    return current


def _comment_states(version: DeliverableVersion) -> list[CommentState]:
    """The comments of every round on this version and on the earlier versions of the deliverable."""
    comments = ReviewComment.objects.filter(
        round__deliverable_version__workspace=version.workspace,
        round__deliverable_version__deliverable=version.deliverable,
        round__deliverable_version__subject=version.subject,
        round__deliverable_version__number__lte=version.number,
    ).select_related("round")
    return [
        CommentState(
            number=comment.number,
            round_title=comment.round.title,
            element_label=comment.element_label or str(_("the document as a whole")),
            decision=comment.decision,
            reason=comment.reason,
        )
        for comment in comments.order_by("round__created_at", "number")
    ]


def version_validate(
    *,
    version: DeliverableVersion,
    meeting: Meeting | None,
    decision: str,
    conditions: str = "",
    acting_user: User | None,
    expected_version: int | None = None,
) -> DeliverableVersion:
    """Validate a version with the record of its validation meeting — refused while comments of its rounds
    (or of earlier versions' rounds) are unresolved."""
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    require_permission(acting_user, version.workspace, Permission.COMMENT_AND_VALIDATE)
    problems: list[FieldProblem] = []
    if meeting is None:
        problems.append(
            FieldProblem("meeting", _("Choose the validation meeting (record it under Meetings first)."))
        )
    elif meeting.workspace_id != version.workspace_id:
        problems.append(FieldProblem("meeting", _("That meeting belongs to another workspace.")))
    decision = decision.strip()
    if not decision:
        problems.append(FieldProblem("decision", _("Write the decision of the validation meeting.")))
    with transaction.atomic():
        current = locked_version(version)
        conflict_check(
            current=current,
            expected_version=expected_version,
            submitted={"validation_decision": decision, "validation_conditions": conditions.strip()},
        )
        validation_check(number=current.number, status=current.status, comments=_comment_states(current))
        if problems:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("Version %(number)s cannot be validated yet; correct the fields listed."),
                {"number": current.number},
                problems=problems,
            )
        before = {"status": current.status}
        current.status = VersionStatus.VALIDATED
        current.validation_meeting = meeting
        current.validation_decision = decision
        current.validation_conditions = conditions.strip()
        current.validated_at = timezone.now()
        current.validated_by = acting_user
        bump(current)
        current.save()
        ReviewRound.objects.filter(
            deliverable_version__workspace=current.workspace,
            deliverable_version__deliverable=current.deliverable,
            deliverable_version__subject=current.subject,
            deliverable_version__number__lte=current.number,
            status="open",
        ).update(status="closed", closed_at=timezone.now())
        audit(
            acting_user=acting_user,
            instance=current,
            action="version.validate",
            before=before,
            fields=["status", "validation_meeting", "validation_decision", "validation_conditions"],
        )
    return current


def version_finalise(
    *, version: DeliverableVersion, acting_user: User | None, expected_version: int | None = None
) -> DeliverableVersion:
    """Make a validated version final: it never changes again."""
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    require_permission(acting_user, version.workspace, Permission.COMMENT_AND_VALIDATE)
    with transaction.atomic():
        current = locked_version(version)
        conflict_check(current=current, expected_version=expected_version, submitted={"status": "final"})
        transition_check(current.status, VersionStatus.FINAL, number=current.number)
        before = {"status": current.status}
        current.status = VersionStatus.FINAL
        current.finalised_at = timezone.now()
        current.finalised_by = acting_user
        bump(current)
        current.save()
        current.rounds.filter(status="open").update(status="closed", closed_at=timezone.now())
        audit(
            acting_user=acting_user,
            instance=current,
            action="version.finalise",
            before=before,
            fields=["status"],
        )
    return current


def version_delete(*, version: DeliverableVersion, acting_user: User | None) -> None:
    """Delete a draft nobody reviewed yet (saved by mistake). Versions with rounds, validated or final stay."""
    require_permission(acting_user, version.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = locked_version(version)
        refuse_if_final(current, _("deleting it"))
        if current.status != VersionStatus.DRAFT or current.rounds.exists():
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "Version %(number)s has been reviewed or validated and is kept as a record; only a draft "
                    "without review rounds can be deleted."
                ),
                {"number": current.number},
            )
        audit(
            acting_user=acting_user,
            instance=current,
            action="version.delete",
            before={"number": current.number, "title": current.title, "status": current.status},
        )
        current.delete()
