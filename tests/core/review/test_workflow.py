"""The version life cycle and the validation gate, without the database."""

from __future__ import annotations

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.review.workflow import (
    CommentState,
    Decision,
    VersionStatus,
    response_check,
    transition_check,
    unresolved,
    validation_check,
)


def comment(number: int, decision: str = "", reason: str = "") -> CommentState:
    return CommentState(number, "Technical Committee review", f"Activity {number}", decision, reason)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "under_review"),
        ("under_review", "revised"),
        ("revised", "under_review"),
        ("revised", "validated"),
        ("validated", "final"),
    ],
)
def test_the_steps_of_the_issue_are_allowed(current, target):
    assert transition_check(current, target, number=2) is VersionStatus(target)


def test_a_final_version_cannot_move_at_all():
    for target in VersionStatus:
        with pytest.raises(DomainError) as caught:
            transition_check("final", target.value, number=3)
        assert caught.value.code is ErrorCode.CONFLICT
        assert "Version 3 is final" in caught.value.message


def test_skipping_validation_is_refused_with_the_allowed_moves():
    with pytest.raises(DomainError) as caught:
        transition_check("draft", "final", number=1)
    assert caught.value.code is ErrorCode.CONFLICT
    assert caught.value.message == (
        "Version 1 is “draft”; it can move to “under review” or “validated”, not to “final”."
    )


def test_an_unknown_status_is_named():
    with pytest.raises(DomainError) as caught:
        transition_check("draft", "approved", number=1)
    assert "“approved” is not a version status" in caught.value.message


def test_a_comment_is_resolved_by_a_decision_and_a_reason_where_one_is_needed():
    assert not comment(1).is_resolved
    assert comment(2, "accepted").is_resolved
    assert not comment(3, "not_accepted").is_resolved
    assert comment(4, "not_accepted", "Outside the plan's scope").is_resolved
    assert not comment(5, "partly_accepted", "   ").is_resolved
    assert [
        item.number for item in unresolved([comment(1), comment(2, "accepted"), comment(3, "not_accepted")])
    ] == [
        1,
        3,
    ]


def test_the_gate_lists_the_blocking_comments():
    with pytest.raises(DomainError) as caught:
        validation_check(
            number=2,
            status="revised",
            comments=[comment(1, "accepted"), comment(2), comment(7, "partly_accepted")],
        )
    message = caught.value.message
    assert caught.value.code is ErrorCode.CONFLICT
    assert "2 comment(s)" in message
    assert "Technical Committee review #2 (Activity 2)" in message
    assert "#7 (Activity 7)" in message
    assert "#1 " not in message


def test_the_gate_opens_when_every_comment_is_resolved():
    validation_check(
        number=2, status="revised", comments=[comment(1, "accepted"), comment(2, "not_accepted", "x")]
    )


def test_a_response_needs_a_reason_for_partly_or_not_accepted():
    assert response_check(decision="", reason="", response="Draft reply") is None
    assert response_check(decision="accepted", reason="", response="Done") is Decision.ACCEPTED
    with pytest.raises(DomainError, match="reason"):
        response_check(decision="not_accepted", reason="", response="No")
    with pytest.raises(DomainError, match="not a decision"):
        response_check(decision="maybe", reason="", response="No")
    with pytest.raises(DomainError, match="Write the response"):
        response_check(decision="accepted", reason="", response="  ")
