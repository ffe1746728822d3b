"""Comments of a review round and the author's responses: the rows of the comment matrix."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.diff import diff, element_from_json
from ctip.core.review.workflow import DECISION_LABELS, response_check
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound
from ctip.web.reviews.services.common import actor_name, audit, bump, refuse_if_round_settled
from ctip.web.reviews.services.notifications import notification_queue

__all__ = ["comment_add", "comment_delete", "comment_respond", "comment_update"]

COMMENT_FIELDS = ["number", "element_id", "text", "organisation"]
RESPONSE_FIELDS = ["response", "decision", "reason", "resolved_in", "resolved_element_id"]
TEXT_LIMIT = 10_000


def _round_url(review_round: ReviewRound) -> str:
    return settings.CTIP_SITE_URL + reverse(
        "reviews-round", kwargs={"workspace": review_round.workspace.slug, "review_round": review_round.uuid}
    )


def _comment_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The comment cannot be saved; correct the fields listed."),
            problems=[FieldProblem("text", _("Write the comment."))],
        )
    if len(cleaned) > TEXT_LIMIT:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The comment cannot be saved; correct the fields listed."),
            problems=[
                FieldProblem(
                    "text",
                    _("This has %(length)s characters; at most %(limit)s fit. Shorten it."),
                    {"length": len(cleaned), "limit": TEXT_LIMIT},
                )
            ],
        )
    return cleaned


def _element(version: DeliverableVersion, element_id: str) -> tuple[str, str]:
    """The kind and label of ``element_id`` in the version's snapshot ("" for the document as a whole)."""
    if not element_id:
        return "", ""
    for item in version.elements:
        if item.get("id") == element_id:
            return str(item.get("kind", "")), str(item.get("label", ""))[:300]
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        _("The comment cannot be saved; correct the fields listed."),
        problems=[
            FieldProblem(
                "element_id",
                _("Version %(number)s has no element “%(element)s”: choose one from the list."),
                {"number": version.number, "element": element_id},
            )
        ],
    )


def _locked_round(review_round: ReviewRound) -> ReviewRound:
    return (
        ReviewRound.objects.select_for_update().select_related("deliverable_version").get(pk=review_round.pk)
    )


def comment_add(
    *,
    round: ReviewRound,
    element_id: str,
    text: str,
    organisation: str = "",
    acting_user: User | None,
) -> ReviewComment:
    """A reviewer's comment on one element of the round's version, or on the document as a whole. The
    version's author hears of it in the next digest."""
    require_permission(acting_user, round.workspace, Permission.COMMENT_AND_VALIDATE)
    cleaned = _comment_text(text)
    with transaction.atomic():
        current = _locked_round(round)
        refuse_if_round_settled(current, _("commenting"))
        if current.status != "open":
            raise DomainError(
                ErrorCode.CONFLICT,
                _("The round “%(round)s” is closed: comments are no longer taken."),
                {"round": current.title},
            )
        kind, label = _element(current.deliverable_version, element_id.strip())
        number = (current.comments.aggregate(top=Max("number"))["top"] or 0) + 1
        comment = ReviewComment.objects.create(
            workspace=current.workspace,
            round=current,
            number=number,
            element_id=element_id.strip(),
            element_kind=kind,
            element_label=label,
            text=cleaned,
            reviewer=acting_user,
            reviewer_label=actor_name(acting_user),
            organisation=" ".join(organisation.split())[:250],
        )
        audit(acting_user=acting_user, instance=comment, action="comment.add", fields=COMMENT_FIELDS)
        params = {
            "reviewer": comment.reviewer_label,
            "organisation": comment.organisation or "—",
            "element": label or gettext_lazy("the document as a whole"),
            "round": current.title,
            "text": cleaned if len(cleaned) <= 160 else cleaned[:157] + "…",
        }
        for recipient in {current.deliverable_version.author, current.opened_by} - {None, acting_user}:
            notification_queue(
                workspace=current.workspace,
                recipient=recipient,
                kind="comment",
                template=_(
                    "%(reviewer)s (%(organisation)s) commented on %(element)s in “%(round)s”: %(text)s"
                ),
                params=params,
                url=_round_url(current),
            )
    return comment


def _own_open_comment(comment: ReviewComment, acting_user: User | None, what: str) -> ReviewComment:
    current = (
        ReviewComment.objects.select_for_update()
        .select_related("round__deliverable_version")
        .get(pk=comment.pk)
    )
    refuse_if_round_settled(current.round, what)
    if acting_user is not None and current.reviewer_id != acting_user.pk:
        raise DomainError(
            ErrorCode.PERMISSION_DENIED, _("Only the reviewer who wrote a comment can change or delete it.")
        )
    if current.decision or current.response:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("Comment #%(number)s already has a response; add a new comment instead of changing it."),
            {"number": current.number},
        )
    return current


def comment_update(
    *,
    comment: ReviewComment,
    text: str,
    expected_version: int | None = None,
    acting_user: User | None,
) -> ReviewComment:
    require_permission(acting_user, comment.workspace, Permission.COMMENT_AND_VALIDATE)
    cleaned = _comment_text(text)
    with transaction.atomic():
        current = _own_open_comment(comment, acting_user, _("changing a comment"))
        conflict_check(current=current, expected_version=expected_version, submitted={"text": cleaned})
        if current.text == cleaned:
            return current
        before = {"text": current.text}
        current.text = cleaned
        bump(current)
        current.save()
        audit(
            acting_user=acting_user, instance=current, action="comment.update", before=before, fields=["text"]
        )
    return current


def comment_delete(*, comment: ReviewComment, acting_user: User | None) -> None:
    require_permission(acting_user, comment.workspace, Permission.COMMENT_AND_VALIDATE)
    with transaction.atomic():
        current = _own_open_comment(comment, acting_user, _("deleting a comment"))
        audit(
            acting_user=acting_user,
            instance=current,
            action="comment.delete",
            before={"number": current.number, "element_id": current.element_id, "text": current.text},
        )
        current.delete()


def _resolution_check(
    comment: ReviewComment, resolved_in: DeliverableVersion | None, resolved_element_id: str
) -> None:
    base = comment.round.deliverable_version
    if resolved_in is None:
        if resolved_element_id:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The response cannot be saved; correct the fields listed."),
                problems=[FieldProblem("resolved_in", _("Choose the version the change is in."))],
            )
        return
    if (
        resolved_in.workspace_id != base.workspace_id
        or resolved_in.deliverable != base.deliverable
        or resolved_in.subject != base.subject
        or resolved_in.number <= base.number
    ):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The response cannot be saved; correct the fields listed."),
            problems=[
                FieldProblem(
                    "resolved_in",
                    _("Choose a later version of the same deliverable than the reviewed version %(number)s."),
                    {"number": base.number},
                )
            ],
        )
    if resolved_element_id:
        changed = {
            change.id
            for change in diff(
                [element_from_json(item) for item in base.elements],
                [element_from_json(item) for item in resolved_in.elements],
            )
        }
        if resolved_element_id not in changed:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("The response cannot be saved; correct the fields listed."),
                problems=[
                    FieldProblem(
                        "resolved_element_id",
                        _("That element did not change between version %(old)s and version %(new)s."),
                        {"old": base.number, "new": resolved_in.number},
                    )
                ],
            )


def comment_respond(
    *,
    comment: ReviewComment,
    response: str,
    decision: str = "",
    reason: str = "",
    resolved_in: DeliverableVersion | None = None,
    resolved_element_id: str = "",
    expected_version: int | None = None,
    acting_user: User | None,
) -> ReviewComment:
    """Record the author's response, the decision (a reason for partly or not accepted) and, when a change
    resolved the comment, the version and element of that change. The reviewer hears of it in the digest."""
    require_permission(acting_user, comment.workspace, Permission.EDIT_CONTENT)
    response, reason = response.strip(), reason.strip()
    chosen = response_check(decision=decision.strip(), reason=reason, response=response)
    with transaction.atomic():
        current = (
            ReviewComment.objects.select_for_update()
            .select_related("round__deliverable_version")
            .get(pk=comment.pk)
        )
        refuse_if_round_settled(current.round, _("responding to its comments"))
        values = {
            "response": response,
            "decision": chosen.value if chosen else "",
            "reason": reason,
            "resolved_in": resolved_in,
            "resolved_element_id": resolved_element_id.strip(),
        }
        conflict_check(current=current, expected_version=expected_version, submitted=values)
        _resolution_check(current, resolved_in, values["resolved_element_id"])  # type: ignore[arg-type]
        before = {
            "response": current.response,
            "decision": current.decision,
            "reason": current.reason,
            "resolved_in": str(current.resolved_in.uuid) if current.resolved_in else None,
            "resolved_element_id": current.resolved_element_id,
        }
        for name, value in values.items():
            setattr(current, name, value)
        current.responded_by = acting_user
        current.responded_at = timezone.now()
        bump(current)
        current.save()
        audit(
            acting_user=acting_user,
            instance=current,
            action="comment.respond",
            before=before,
            fields=RESPONSE_FIELDS,
        )
        decided = gettext_lazy(DECISION_LABELS[chosen]) if chosen else gettext_lazy("no decision yet")
        if current.reviewer is not None and current.reviewer != acting_user:
            notification_queue(
                workspace=current.workspace,
                recipient=current.reviewer,
                kind="response",
                template=_(
                    "Your comment #%(number)s in “%(round)s” has a response (%(decision)s): %(response)s"
                ),
                params={
                    "number": current.number,
                    "round": current.round.title,
                    "decision": decided,
                    "response": response if len(response) <= 160 else response[:157] + "…",
                },
                url=_round_url(current.round),
            )
    return current
