"""Versions, rounds, comments, the validation gate, the final freeze and the digest, through the services
(issue 9), on a deliverable registered for the tests (tests/web/reviews/notebook.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry, Membership
from ctip.web.meetings import services as meetings
from ctip.web.reviews import selectors, services
from ctip.web.reviews.models import DeliverableVersion, PendingNotification
from tests.web.factories import member_make, user_make
from tests.web.reviews.notebook import KIND, notebook_registered


@pytest.fixture
def notebook(db):
    with notebook_registered() as registered:
        yield registered


@pytest.fixture
def people(workspace):
    author = user_make("ana", email="ana@example.org")
    reviewer = user_make("rita", email="rita@example.org")
    coordinator = user_make("cora")
    for user, role in ((author, "analyst"), (reviewer, "reviewer"), (coordinator, "coordinator")):
        member_make(workspace, role, user)
    return author, reviewer, coordinator


def save(workspace, user, note=""):
    return services.version_save(workspace=workspace, deliverable=KIND, note=note, acting_user=user)


def meeting(workspace, kind="validation_meeting"):
    return meetings.meeting_create(
        workspace=workspace,
        kind=kind,
        title="Validation meeting",
        date=dt.date(2026, 11, 20),
        acting_user=None,
    )


def test_saving_versions_numbers_them_and_refuses_an_unchanged_one(workspace, notebook, people):
    author, *_ = people
    first = save(workspace, author, "First draft")
    assert (first.number, first.status, first.author_label) == (1, "draft", "ana")
    assert [item["id"] for item in first.elements] == ["intro", "method"]
    with pytest.raises(DomainError) as caught:
        save(workspace, author)
    assert caught.value.code is ErrorCode.CONFLICT
    assert "Nothing has changed since version 1" in caught.value.message
    notebook.sections["intro"] = "A better introduction"
    second = save(workspace, author)
    assert (second.number, second.status, second.based_on) == (2, "draft", first)
    assert AuditEntry.objects.filter(action="review.version.save").count() == 2


def test_a_reviewer_cannot_save_a_version(workspace, notebook, people):
    _author, reviewer, _coordinator = people
    with pytest.raises(DomainError) as caught:
        save(workspace, reviewer)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    assert not DeliverableVersion.objects.exists()


def full_round(workspace, notebook, people):
    author, reviewer, _coordinator = people
    version = save(workspace, author)
    review_round = services.round_open(
        version=version,
        title="Technical Committee review",
        meeting=meeting(workspace, "technical_committee_workshop"),
        reviewers=[reviewer],
        acting_user=author,
    )
    return version, review_round


def test_opening_a_round_puts_the_version_under_review_and_emails_the_reviewers(
    workspace, notebook, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version, review_round = full_round(workspace, notebook, people)
    version.refresh_from_db()
    assert version.status == "under_review"
    assert [message.to for message in mail.outbox] == [["rita@example.org"]]
    assert "Technical Committee review" in mail.outbox[0].body
    assert f"/reviews/rounds/{review_round.uuid}/" in mail.outbox[0].body


def test_comments_reach_the_author_as_one_digest(workspace, notebook, people):
    _author, reviewer, _ = people
    _version, review_round = full_round(workspace, notebook, people)
    for text in ("Too long", "Cite the law", "Add a baseline"):
        services.comment_add(
            round=review_round, element_id="intro", text=text, organisation="RIB", acting_user=reviewer
        )
    services.comment_add(round=review_round, element_id="", text="Overall fine", acting_user=reviewer)
    mail.outbox.clear()
    assert services.notifications_send_digest() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    body = mail.outbox[0].body
    assert "4 review updates" in mail.outbox[0].subject
    assert "rita (RIB) commented on Intro" in body and "Add a baseline" in body
    assert "the document as a whole" in body
    assert services.notifications_send_digest() == 0
    assert not PendingNotification.objects.filter(sent_at__isnull=True).exists()


def test_a_comment_on_an_unknown_element_is_refused_and_nothing_is_stored(workspace, notebook, people):
    _author, reviewer, _ = people
    _version, review_round = full_round(workspace, notebook, people)
    with pytest.raises(DomainError) as caught:
        services.comment_add(round=review_round, element_id="annex", text="?", acting_user=reviewer)
    assert caught.value.problems[0].location == "element_id"
    assert "no element “annex”" in caught.value.problems[0].message
    with pytest.raises(DomainError):
        services.comment_add(round=review_round, element_id="intro", text="   ", acting_user=reviewer)
    assert not review_round.comments.exists()


def test_validation_waits_for_every_comment_then_final_freezes(workspace, notebook, people):
    author, reviewer, coordinator = people
    _version, review_round = full_round(workspace, notebook, people)
    first = services.comment_add(
        round=review_round, element_id="intro", text="Say who leads", acting_user=reviewer
    )
    second = services.comment_add(
        round=review_round, element_id="method", text="Drop it", acting_user=reviewer
    )
    notebook.sections["intro"] = "MINIJUST leads."
    revised = save(workspace, author, "Comments of the Technical Committee")
    assert revised.status == "revised"
    record = meeting(workspace)
    with pytest.raises(DomainError) as caught:
        services.version_validate(
            version=revised, meeting=record, decision="Validated", acting_user=coordinator
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert "#1 (Intro)" in caught.value.message and "#2 (Method)" in caught.value.message
    services.comment_respond(
        comment=first,
        response="Lead named.",
        decision="accepted",
        resolved_in=revised,
        resolved_element_id="intro",
        acting_user=author,
    )
    with pytest.raises(DomainError, match="reason"):
        services.comment_respond(
            comment=second, response="Kept.", decision="not_accepted", acting_user=author
        )
    services.comment_respond(
        comment=second,
        response="Kept.",
        decision="not_accepted",
        reason="Required by the TOR.",
        acting_user=author,
    )
    assert selectors.unresolved_comments(revised) == []
    with pytest.raises(DomainError) as caught:
        services.version_validate(version=revised, meeting=record, decision="Validated", acting_user=author)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    validated = services.version_validate(
        version=revised,
        meeting=record,
        decision="Validated",
        conditions="Add the foreword",
        acting_user=coordinator,
    )
    assert (validated.status, validated.validation_meeting, validated.validation_conditions) == (
        "validated",
        record,
        "Add the foreword",
    )
    final = services.version_finalise(version=validated, acting_user=coordinator)
    assert final.status == "final"
    stored = DeliverableVersion.objects.values().get(pk=final.pk)
    attempts = [
        lambda: services.version_update(version=final, note="late edit", acting_user=author),
        lambda: services.version_status_set(version=final, status="under_review", acting_user=author),
        lambda: services.version_delete(version=final, acting_user=author),
        lambda: services.round_open(version=final, title="Another look", acting_user=author),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as caught:
            attempt()
        assert caught.value.code is ErrorCode.CONFLICT
        assert "final" in caught.value.message
    assert DeliverableVersion.objects.values().get(pk=final.pk) == stored
    notebook.sections["method"] = "A new method"
    after = save(workspace, author)
    assert (after.number, after.status, after.based_on) == (3, "draft", final)


def test_responses_on_a_final_version_are_refused(workspace, notebook, people):
    author, reviewer, coordinator = people
    version, review_round = full_round(workspace, notebook, people)
    comment = services.comment_add(round=review_round, element_id="intro", text="Fine", acting_user=reviewer)
    services.comment_respond(comment=comment, response="Thanks", decision="accepted", acting_user=author)
    services.version_validate(
        version=version, meeting=meeting(workspace), decision="OK", acting_user=coordinator
    )
    services.version_finalise(version=version, acting_user=coordinator)
    with pytest.raises(DomainError, match="final and frozen"):
        services.comment_respond(
            comment=comment, response="Changed my mind", decision="accepted", acting_user=author
        )
    with pytest.raises(DomainError, match="final and frozen"):
        services.comment_add(round=review_round, element_id="", text="Late", acting_user=reviewer)
    comment.refresh_from_db()
    assert comment.response == "Thanks"


def test_the_resolving_change_must_be_in_the_diff(workspace, notebook, people):
    author, reviewer, _ = people
    version, review_round = full_round(workspace, notebook, people)
    comment = services.comment_add(round=review_round, element_id="intro", text="x", acting_user=reviewer)
    notebook.sections["intro"] = "Changed"
    revised = save(workspace, author)
    with pytest.raises(DomainError) as caught:
        services.comment_respond(
            comment=comment,
            response="Done",
            decision="accepted",
            resolved_in=revised,
            resolved_element_id="method",
            acting_user=author,
        )
    assert caught.value.problems[0].location == "resolved_element_id"
    with pytest.raises(DomainError) as caught:
        services.comment_respond(
            comment=comment, response="Done", decision="accepted", resolved_in=version, acting_user=author
        )
    assert caught.value.problems[0].location == "resolved_in"
    comment.refresh_from_db()
    assert comment.decision == ""


def test_two_people_responding_at_once_get_a_conflict_with_both_values(workspace, notebook, people):
    author, reviewer, coordinator = people
    _version, review_round = full_round(workspace, notebook, people)
    comment = services.comment_add(round=review_round, element_id="intro", text="x", acting_user=reviewer)
    started_from = comment.version
    services.comment_respond(
        comment=comment,
        response="Agreed, rewritten.",
        decision="accepted",
        expected_version=started_from,
        acting_user=author,
    )
    with pytest.raises(DomainError) as caught:
        services.comment_respond(
            comment=comment,
            response="Not in scope.",
            decision="not_accepted",
            reason="TOR",
            expected_version=started_from,
            acting_user=coordinator,
        )
    assert caught.value.code is ErrorCode.CONFLICT
    shown = {problem.location: problem.message for problem in caught.value.problems}
    assert "Not in scope." in shown["response"] and "Agreed, rewritten." in shown["response"]
    comment.refresh_from_db()
    assert comment.response == "Agreed, rewritten."


def test_an_invited_reviewer_joins_with_only_the_reviewer_role(
    workspace, notebook, people, django_capture_on_commit_callbacks
):
    author, *_ = people
    _version, review_round = full_round(workspace, notebook, people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.reviewer_invite(
            workspace=workspace,
            email="tc.member@minijust.example",
            name="T. Member",
            organisation_name="MINIJUST",
            round=review_round,
            link_base="https://ctip.example",
            acting_user=author,
        )
    assert mail.outbox[-1].to == ["tc.member@minijust.example"]
    assert "https://ctip.example/invitations/" in mail.outbox[-1].body
    assert invitation.token_hash and len(invitation.token_hash) == 64
    token = mail.outbox[-1].body.split("/invitations/")[1].split("/")[0]
    found = services.invitation_for_token(token)
    assert found == invitation
    user = services.invitation_accept_new_user(
        invitation=found, username="tcmember", password="a long pass phrase 42"
    )
    membership = Membership.objects.get(workspace=workspace, user=user)
    assert membership.role == "reviewer"
    assert user.email == "tc.member@minijust.example"
    assert review_round.reviewers.filter(pk=user.pk).exists()
    with pytest.raises(DomainError, match="already used"):
        services.invitation_accept(invitation=found, user=user)
    assert services.invitation_for_token("not-a-token") is None
