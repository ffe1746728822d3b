"""The life of a deliverable's version and of the comments made on it, without the database.

A version moves draft → under review → revised → validated → final (DOMAIN.md §1: the TNA, the capacity
plan and the NAP are each presented, commented on, revised and validated, then submitted as final). A
version cannot be validated while a comment of its review rounds is unresolved, and a final version never
changes again: further edits go into a new draft version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ctip.core.errors import DomainError, ErrorCode, _


class VersionStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    REVISED = "revised"
    VALIDATED = "validated"
    FINAL = "final"


STATUS_LABELS: dict[VersionStatus, str] = {
    VersionStatus.DRAFT: _("Draft"),
    VersionStatus.UNDER_REVIEW: _("Under review"),
    VersionStatus.REVISED: _("Revised"),
    VersionStatus.VALIDATED: _("Validated"),
    VersionStatus.FINAL: _("Final"),
}

TRANSITIONS: dict[VersionStatus, frozenset[VersionStatus]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.UNDER_REVIEW, VersionStatus.VALIDATED}),
    VersionStatus.UNDER_REVIEW: frozenset({VersionStatus.REVISED, VersionStatus.VALIDATED}),
    VersionStatus.REVISED: frozenset({VersionStatus.UNDER_REVIEW, VersionStatus.VALIDATED}),
    VersionStatus.VALIDATED: frozenset({VersionStatus.FINAL}),
    VersionStatus.FINAL: frozenset(),
}
"""Which status a version may move to from each status. A revised version is usually created as such (the
new version saved after a round); ``under_review → revised`` covers revising in place before any new save."""


class Decision(StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_ACCEPTED = "not_accepted"


DECISION_LABELS: dict[Decision, str] = {
    Decision.ACCEPTED: _("Accepted"),
    Decision.PARTLY_ACCEPTED: _("Partly accepted"),
    Decision.NOT_ACCEPTED: _("Not accepted"),
}

DECISIONS_NEEDING_REASON = frozenset({Decision.PARTLY_ACCEPTED, Decision.NOT_ACCEPTED})


def transition_check(current: str, target: str, *, number: int) -> VersionStatus:
    """The target status when version ``number`` may move there from ``current``; a
    :class:`~ctip.core.errors.DomainError` naming the allowed moves otherwise."""
    try:
        wanted = VersionStatus(target)
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(status)s” is not a version status: use draft, under_review, revised, validated or final."),
            {"status": target},
        ) from None
    now = VersionStatus(current)
    if now is VersionStatus.FINAL:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "Version %(number)s is final and can no longer change. Save a new version to go on "
                "editing: it starts as a draft."
            ),
            {"number": number},
        )
    if wanted not in TRANSITIONS[now]:
        allowed = " or ".join(
            f"“{STATUS_LABELS[status].lower()}”" for status in VersionStatus if status in TRANSITIONS[now]
        )
        raise DomainError(
            ErrorCode.CONFLICT,
            _("Version %(number)s is “%(current)s”; it can move to %(allowed)s, not to “%(target)s”."),
            {
                "number": number,
                "current": STATUS_LABELS[now].lower(),
                "allowed": allowed,
                "target": STATUS_LABELS[wanted].lower(),
            },
        )
    return wanted


@dataclass(frozen=True)
class CommentState:
    """What the gate needs to know of one comment."""

    number: int
    round_title: str
    element_label: str
    decision: str
    reason: str = ""

    @property
    def is_resolved(self) -> bool:
        if not self.decision:
            return False
        return Decision(self.decision) not in DECISIONS_NEEDING_REASON or bool(self.reason.strip())


def unresolved(comments: Iterable[CommentState]) -> list[CommentState]:
    """The comments that still block validation, in the order given."""
    return [comment for comment in comments if not comment.is_resolved]


def validation_check(*, number: int, status: str, comments: Sequence[CommentState]) -> None:
    """Refuse to validate version ``number`` when its status does not allow it or while comments of its
    rounds are unresolved (the error lists them by round and number)."""
    transition_check(status, VersionStatus.VALIDATED, number=number)
    blocking = unresolved(comments)
    if blocking:
        listed = "; ".join(
            f"{item.round_title} #{item.number} ({item.element_label})" for item in blocking[:20]
        )
        if len(blocking) > 20:
            listed += "; …"
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "Version %(number)s cannot be validated: %(count)s comment(s) have no decision yet, or "
                "are partly or not accepted without a reason: %(listed)s. Respond to them first."
            ),
            {"number": number, "count": len(blocking), "listed": listed},
        )


def response_check(*, decision: str, reason: str, response: str) -> Decision | None:
    """The decision of a response, checked: partly or not accepted needs a reason; a decision needs a
    response or a reason. ``None`` when no decision was taken yet (a response may be drafted first)."""
    if not decision:
        return None
    try:
        chosen = Decision(decision)
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(decision)s” is not a decision: use accepted, partly_accepted or not_accepted."),
            {"decision": decision},
        ) from None
    if chosen in DECISIONS_NEEDING_REASON and not reason.strip():
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Give the reason why the comment is %(decision)s: the Technical Committee will read it."),
            {"decision": DECISION_LABELS[chosen].lower()},
        )
    if not (response.strip() or reason.strip()):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Write the response to the comment before recording a decision."),
        )
    return chosen
