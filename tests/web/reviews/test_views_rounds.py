"""Review rounds and their comments through the pages: opening a round, the comment matrix with its
filters and per-row actions, adding, editing and deleting one's comment, the author's response (with the
link to the change that resolved it), closing a round and inviting a reviewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.reviews import selectors, services
from ctip.web.reviews.models import ReviewComment, ReviewerInvitation, ReviewRound
from tests.web.factories import member_make, user_make
from tests.web.reviews.factories import (
    activity_rename,
    comment_make,
    first_element_id,
    nap_version_make,
    plan_of_version,
    reviewer_make,
    round_make,
    tc_meeting_make,
    validation_meeting_make,
)

pytestmark = pytest.mark.django_db


def url(workspace, path=""):
    return f"/w/{workspace.slug}/reviews/{path}"


def round_url(review_round, path=""):
    return url(review_round.workspace, f"rounds/{review_round.uuid}/{path}")


def comment_url(comment, path):
    return url(comment.workspace, f"comments/{comment.uuid}/{path}")


def member_client(client, workspace, role):
    user = user_make()
    member_make(workspace, role, user)
    client.force_login(user)
    return client


# --- Opening a round --------------------------------------------------------------------------------------


def test_the_round_form_offers_committee_workshops_first_and_only_members_who_comment(
    admin_client, workspace
):
    version = nap_version_make(workspace)
    validation_meeting_make(workspace, "A validation meeting", date=dt.date(2026, 9, 1))
    tc_meeting_make(workspace, "TC workshop March")
    reviewer_make(workspace, "rita", first_name="Rita", last_name="Reviewer")
    member_make(workspace, "viewer", user_make("victor", first_name="Victor"))
    page = admin_client.get(url(workspace, f"versions/{version.uuid}/rounds/new/")).content.decode()
    assert page.index("TC workshop March") < page.index("A validation meeting")
    assert "Rita Reviewer" in page and "Victor" not in page
    assert "Technical Committee review of version 1" in page
    assert f"/w/{workspace.slug}/meetings/new/" in page


def test_opening_a_round_puts_the_version_under_review_and_emails_the_reviewers(
    admin_client, workspace, django_capture_on_commit_callbacks
):
    version = nap_version_make(workspace)
    meeting = tc_meeting_make(workspace)
    rita = reviewer_make(workspace, "rita")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(workspace, f"versions/{version.uuid}/rounds/new/"),
            {"title": "TC review", "meeting": meeting.pk, "due_date": "2026-04-01", "reviewers": [rita.pk]},
        )
    review = ReviewRound.objects.get(deliverable_version=version)
    assert response.status_code == 302 and response["Location"] == round_url(review)
    assert (review.title, review.meeting, review.due_date) == ("TC review", meeting, dt.date(2026, 4, 1))
    assert list(review.reviewers.all()) == [rita]
    version.refresh_from_db()
    assert version.status == "under_review"
    assert [message.to for message in mail.outbox] == [["rita@example.org"]]


def test_a_round_without_a_title_is_refused_and_nothing_is_opened(admin_client, workspace):
    version = nap_version_make(workspace)
    response = admin_client.post(url(workspace, f"versions/{version.uuid}/rounds/new/"), {"title": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode() or "Give the round a title" in (
        response.content.decode()
    )
    assert not ReviewRound.objects.exists()


def test_reviewers_cannot_open_rounds(client, workspace):
    version = nap_version_make(workspace)
    member = member_client(client, workspace, "reviewer")
    assert member.get(url(workspace, f"versions/{version.uuid}/rounds/new/")).status_code == 403
    assert (
        member.post(url(workspace, f"versions/{version.uuid}/rounds/new/"), {"title": "X"}).status_code == 403
    )
    assert not ReviewRound.objects.exists()


# --- The round page ---------------------------------------------------------------------------------------


def test_the_round_page_shows_the_matrix_with_unresolved_comments_marked(admin_client, workspace):
    version = nap_version_make(workspace)
    review = round_make(version, title="TC review", meeting=tc_meeting_make(workspace, "TC workshop"))
    rita = reviewer_make(workspace, "rita", first_name="Rita", last_name="Reviewer")
    element = first_element_id(version)
    comment_make(review, element_id=element, text="Cost this activity", organisation="IOM", acting_user=rita)
    page = admin_client.get(round_url(review)).content.decode()
    assert "TC workshop" in page and "Cost this activity" in page and "Rita Reviewer" in page
    assert "(IOM)" in page
    assert 'class="is-unresolved"' in page
    assert f"versions/{version.uuid}/#element-{element}" in page
    assert "comment-matrix.docx" in page and "comment-matrix.xlsx" in page
    assert "Close the round" in page and "Respond" in page


@pytest.mark.parametrize(("role", "status"), [("viewer", 200), ("reviewer", 200), ("analyst", 200)])
def test_every_member_may_read_the_round(client, workspace, role, status):
    review = round_make(nap_version_make(workspace))
    page = member_client(client, workspace, role).get(round_url(review))
    assert page.status_code == status
    text = page.content.decode()
    assert ("Add the comment" in text) is (role == "reviewer")
    assert ("Close the round" in text) is (role == "analyst")


def test_the_matrix_filters_by_decision_and_by_reviewer(admin_client, workspace, admin_user):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita", first_name="Rita")
    omar = reviewer_make(workspace, "omar", first_name="Omar")
    answered = comment_make(review, text="Rita accepted", acting_user=rita)
    comment_make(review, text="Rita open", acting_user=rita)
    comment_make(review, text="Omar open", acting_user=omar)
    services.comment_respond(comment=answered, response="Done", decision="accepted", acting_user=admin_user)
    page = admin_client.get(round_url(review) + "?decision=open").content.decode()
    assert "Rita open" in page and "Omar open" in page and "Rita accepted" not in page
    page = admin_client.get(round_url(review) + "?reviewer=omar").content.decode()
    assert "Omar open" in page and "Rita open" not in page
    page = admin_client.get(round_url(review) + "?decision=accepted&reviewer=rita").content.decode()
    assert "Rita accepted" in page and "Rita open" not in page


def test_a_reviewer_may_edit_only_their_own_unanswered_comments(client, workspace, admin_user):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita")
    omar = reviewer_make(workspace, "omar")
    own = comment_make(review, text="Mine", acting_user=rita)
    answered = comment_make(review, text="Mine, answered", acting_user=rita)
    other = comment_make(review, text="Omar's", acting_user=omar)
    services.comment_respond(comment=answered, response="Noted", acting_user=admin_user)
    client.force_login(rita)
    page = client.get(round_url(review)).content.decode()
    assert comment_url(own, "edit/") in page
    assert comment_url(answered, "edit/") not in page and comment_url(other, "edit/") not in page
    assert "respond/" not in page
    assert client.get(comment_url(other, "edit/")).status_code == 403
    assert client.post(comment_url(other, "edit/"), {"text": "Hijacked"}).status_code == 403
    assert ReviewComment.objects.get(pk=other.pk).text == "Omar's"


def test_the_round_page_uses_a_fixed_number_of_queries(admin_client, workspace, admin_user):
    version = nap_version_make(workspace)
    review = round_make(version)
    rita = reviewer_make(workspace, "rita")
    comment_make(review, acting_user=rita)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(round_url(review)).status_code == 200
        return len(captured)

    before = queries()
    later = _next_version(version, admin_user)
    element = first_element_id(version)
    for index in range(10):
        reviewer = reviewer_make(workspace, f"reviewer{index}")
        comment = comment_make(review, element_id=element, text=f"Comment {index}", acting_user=reviewer)
        services.comment_respond(
            comment=comment,
            response="Done",
            decision="accepted",
            resolved_in=later,
            resolved_element_id=element,
            acting_user=admin_user,
        )
    assert queries() == before


def _next_version(version, user):
    activity_rename(plan_of_version(version), "Train border and labour officers")
    return services.version_save(
        workspace=version.workspace, deliverable="nap", subject=version.subject, acting_user=user
    )


# --- Comments ---------------------------------------------------------------------------------------------


def test_a_reviewer_comments_on_an_element_from_the_round_page(client, workspace):
    version = nap_version_make(workspace)
    review = round_make(version)
    rita = reviewer_make(workspace, "rita")
    client.force_login(rita)
    page = client.get(round_url(review)).content.decode()
    assert "The document as a whole" in page and "<optgroup" in page
    element = first_element_id(version)
    response = client.post(
        round_url(review, "comments/add/"),
        {
            "element": element,
            "text": "Add a target for women officers",
            "organisation": "UNODC",
            "from": "round",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#comment-1")
    comment = ReviewComment.objects.get(round=review)
    assert (comment.element_id, comment.organisation, comment.reviewer) == (element, "UNODC", rita)
    assert "Train border officers" in comment.element_label
    assert 'value="UNODC"' in client.get(round_url(review)).content.decode()  # prefilled next time


def test_the_comment_link_of_the_version_tree_preselects_the_element(client, workspace):
    version = nap_version_make(workspace)
    review = round_make(version)
    client.force_login(reviewer_make(workspace))
    element = first_element_id(version)
    page = client.get(round_url(review, "comments/add/") + f"?element={element}").content.decode()
    assert f'value="{element}" selected' in page
    assert "<strong>" in page and "Train border officers" in page


def test_an_empty_comment_is_refused_on_the_round_page_and_nothing_is_stored(client, workspace):
    review = round_make(nap_version_make(workspace))
    client.force_login(reviewer_make(workspace))
    response = client.post(round_url(review, "comments/add/"), {"element": "", "text": "  ", "from": "round"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert "Comment matrix" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_comment_on_an_unknown_element_is_refused(client, workspace):
    review = round_make(nap_version_make(workspace))
    client.force_login(reviewer_make(workspace))
    response = client.post(round_url(review, "comments/add/"), {"element": "no-such-part", "text": "Hm"})
    assert response.status_code == 400
    assert "is not a part of version 1" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_analysts_and_viewers_cannot_comment(client, workspace):
    review = round_make(nap_version_make(workspace))
    for role in ("analyst", "viewer"):
        member = member_client(client, workspace, role)
        assert member.post(round_url(review, "comments/add/"), {"text": "x"}).status_code == 403
    assert not ReviewComment.objects.exists()


def test_a_closed_round_takes_no_more_comments(client, workspace, admin_user):
    review = round_make(nap_version_make(workspace))
    services.round_close(round=review, acting_user=admin_user)
    client.force_login(reviewer_make(workspace))
    page = client.get(round_url(review)).content.decode()
    assert "Add the comment" not in page and "This round is closed" in page
    response = client.post(round_url(review, "comments/add/"), {"text": "Late"})
    assert "is closed" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_reviewer_edits_their_comment(client, workspace):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita")
    comment = comment_make(review, text="First thought", acting_user=rita)
    client.force_login(rita)
    assert "First thought" in client.get(comment_url(comment, "edit/")).content.decode()
    response = client.post(
        comment_url(comment, "edit/"), {"text": "Second thought", "expected_version": comment.version}
    )
    assert response.status_code == 302
    assert ReviewComment.objects.get(pk=comment.pk).text == "Second thought"


def test_a_stale_edit_shows_both_texts_and_keeps_the_typed_one(client, workspace):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita")
    comment = comment_make(review, text="First thought", acting_user=rita)
    stale = comment.version
    services.comment_update(comment=comment, text="Edited in another tab", acting_user=rita)
    client.force_login(rita)
    response = client.post(
        comment_url(comment, "edit/"), {"text": "My new wording", "expected_version": stale}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your value: “My new wording”. Value saved now: “Edited in another tab”." in page
    assert "My new wording</textarea>" in page
    current = ReviewComment.objects.get(pk=comment.pk)
    assert f'name="expected_version" value="{current.version}"' in page
    assert current.text == "Edited in another tab"


def test_a_reviewer_deletes_their_comment(client, workspace):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita")
    comment = comment_make(review, acting_user=rita)
    client.force_login(rita)
    response = client.post(comment_url(comment, "edit/"), {"action": "delete"}, follow=True)
    assert "Comment 1 deleted." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_comment_with_a_response_can_no_longer_be_edited(client, workspace, admin_user):
    review = round_make(nap_version_make(workspace))
    rita = reviewer_make(workspace, "rita")
    comment = comment_make(review, text="Original", acting_user=rita)
    services.comment_respond(comment=comment, response="Noted", acting_user=admin_user)
    client.force_login(rita)
    response = client.post(comment_url(comment, "edit/"), {"text": "Changed", "expected_version": 99})
    assert "already has a response" in response.content.decode()
    assert ReviewComment.objects.get(pk=comment.pk).text == "Original"


# --- Responses --------------------------------------------------------------------------------------------


def test_the_response_links_the_change_that_resolved_the_comment(admin_client, workspace, admin_user):
    version = nap_version_make(workspace)
    review = round_make(version)
    element = first_element_id(version)
    comment = comment_make(review, element_id=element, text="Name the officers")
    later = _next_version(version, admin_user)
    page = admin_client.get(comment_url(comment, "respond/")).content.decode()
    assert "Name the officers" in page
    assert f'<option value="{later.uuid}">' in page  # offered, not chosen for the author
    assert f'<option value="{element}"' in page  # the changes of the latest version are listed
    response = admin_client.post(
        comment_url(comment, "respond/"),
        {
            "response": "Renamed the activity",
            "decision": "accepted",
            "resolved_in": str(later.uuid),
            "resolved_element_id": element,
            "expected_version": comment.version,
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.decision, comment.resolved_in, comment.resolved_element_id) == (
        "accepted",
        later,
        element,
    )
    page = admin_client.get(round_url(review)).content.decode()
    anchor = selectors.change_anchor(element)
    assert f"compare/?from={version.uuid}&amp;to={later.uuid}#{anchor}" in page
    assert 'class="is-unresolved"' not in page
    compare = admin_client.get(
        url(workspace, f"compare/?from={version.uuid}&to={later.uuid}")
    ).content.decode()
    assert f'id="{anchor}"' in compare


def test_choosing_only_the_change_takes_the_version_its_list_came_from(admin_client, workspace, admin_user):
    version = nap_version_make(workspace)
    element = first_element_id(version)
    comment = comment_make(round_make(version), element_id=element)
    later = _next_version(version, admin_user)
    response = admin_client.post(
        comment_url(comment, "respond/"),
        {"response": "Renamed", "decision": "accepted", "resolved_in": "", "resolved_element_id": element},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.resolved_in, comment.resolved_element_id) == (later, element)


def test_a_response_without_a_change_links_no_version(admin_client, workspace, admin_user):
    version = nap_version_make(workspace)
    comment = comment_make(round_make(version))
    _next_version(version, admin_user)
    admin_client.post(comment_url(comment, "respond/"), {"response": "Noted", "decision": "accepted"})
    comment.refresh_from_db()
    assert (comment.decision, comment.resolved_in) == ("accepted", None)


def test_partly_accepting_without_a_reason_is_refused_and_nothing_is_stored(admin_client, workspace):
    comment = comment_make(round_make(nap_version_make(workspace)))
    response = admin_client.post(
        comment_url(comment, "respond/"),
        {"response": "We did part of it", "decision": "partly_accepted", "expected_version": comment.version},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the reason why the comment is partly accepted" in page
    assert "We did part of it</textarea>" in page
    stored = ReviewComment.objects.get(pk=comment.pk)
    assert (stored.response, stored.decision) == ("", "")


def test_a_stale_response_shows_both_values_and_keeps_the_typed_text(admin_client, workspace, admin_user):
    comment = comment_make(round_make(nap_version_make(workspace)))
    stale = comment.version
    services.comment_respond(comment=comment, response="Colleague's answer", acting_user=admin_user)
    response = admin_client.post(
        comment_url(comment, "respond/"), {"response": "My answer", "decision": "", "expected_version": stale}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your value: “My answer”. Value saved now: “Colleague&#x27;s answer”." in page or (
        "Your value: “My answer”. Value saved now: “Colleague's answer”." in page
    )
    assert "My answer</textarea>" in page
    assert ReviewComment.objects.get(pk=comment.pk).response == "Colleague's answer"


def test_choosing_another_version_lists_its_changes_without_saving(admin_client, workspace, admin_user):
    version = nap_version_make(workspace)
    comment = comment_make(round_make(version))
    later = _next_version(version, admin_user)
    response = admin_client.post(
        comment_url(comment, "respond/"),
        {"response": "Draft answer", "resolved_in": str(later.uuid), "refresh": "1"},
    )
    assert response.status_code == 200
    assert "The list shows what changed from version 1 to version 2." in response.content.decode()
    assert ReviewComment.objects.get(pk=comment.pk).response == ""


def test_reviewers_cannot_respond(client, workspace):
    comment = comment_make(round_make(nap_version_make(workspace)))
    member = member_client(client, workspace, "reviewer")
    assert member.post(comment_url(comment, "respond/"), {"response": "x"}).status_code == 403
    assert ReviewComment.objects.get(pk=comment.pk).response == ""


# --- Closing and inviting ---------------------------------------------------------------------------------


def test_closing_a_round(admin_client, workspace):
    review = round_make(nap_version_make(workspace))
    response = admin_client.post(round_url(review, "close/"), follow=True)
    assert "closed: no more comments can be added" in response.content.decode()
    assert ReviewRound.objects.get(pk=review.pk).status == "closed"


def test_inviting_a_reviewer_sends_a_link(admin_client, workspace, django_capture_on_commit_callbacks):
    review = round_make(nap_version_make(workspace))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            round_url(review, "invite/"),
            {"email": "expert@ngo.example", "name": "Esther Expert", "organisation_name": "NGO"},
            follow=True,
        )
    assert "Invitation sent to expert@ngo.example" in response.content.decode()
    invitation = ReviewerInvitation.objects.get()
    assert (invitation.round, invitation.organisation_name) == (review, "NGO")
    assert len(mail.outbox) == 1 and "/invitations/" in mail.outbox[0].body


def test_an_invitation_to_a_bad_address_is_refused(admin_client, workspace):
    review = round_make(nap_version_make(workspace))
    response = admin_client.post(round_url(review, "invite/"), {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not ReviewerInvitation.objects.exists()
