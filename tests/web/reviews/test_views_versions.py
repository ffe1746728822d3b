"""The overview of deliverables and a version's pages: saving a version, the version page (status steps,
actions by role, the snapshot tree, rounds, the validation record), the status change, the validation page
behind its gate, finalising (the frozen version refuses every change) and deleting a draft."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.accounts.models import AuditEntry
from ctip.web.meetings import services as meetings
from ctip.web.reviews import services
from ctip.web.reviews.models import DeliverableVersion, ReviewRound
from tests.web.factories import member_make, user_make
from tests.web.nap.factories import element_make
from tests.web.reviews.factories import (
    comment_accept,
    comment_make,
    first_element_id,
    nap_change,
    nap_version_make,
    plan_for_review,
    plan_of_version,
    reviewer_make,
    round_make,
    validation_meeting_make,
)

pytestmark = pytest.mark.django_db


def url(workspace, path=""):
    return f"/w/{workspace.slug}/reviews/{path}"


def version_url(version, path=""):
    return url(version.workspace, f"versions/{version.uuid}/{path}")


def client_for(client, workspace, role):
    user = user_make()
    member_make(workspace, role, user)
    client.force_login(user)
    return client


def stored(version):
    """What must not change when a change is refused."""
    found = DeliverableVersion.objects.get(pk=version.pk)
    return (found.status, found.note, found.version, found.elements, found.validation_decision)


def validated(version, user):
    meeting = validation_meeting_make(version.workspace)
    return services.version_validate(
        version=version, meeting=meeting, decision="Validated.", acting_user=user
    )


# --- The overview -----------------------------------------------------------------------------------------


def test_the_overview_has_a_card_per_deliverable_with_a_save_form(admin_client, workspace):
    plan_for_review(workspace, title="NAP 2025-2029")
    page = admin_client.get(url(workspace)).content.decode()
    assert "National Action Plan: NAP 2025-2029" in page
    assert "No version saved yet" in page
    assert url(workspace, "versions/save/") in page


def test_the_overview_lists_versions_and_the_changes_since_the_latest(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, note="First draft for the committee", acting_user=admin_user)
    round_make(version)
    nap_change(plan_of_version(version))
    page = admin_client.get(url(workspace)).content.decode()
    assert "First draft for the committee" in page
    assert "change since version 1" in page or "changes since version 1" in page
    assert f"compare/?from={version.uuid}&amp;to=live" in page
    assert "Under review" in page


def test_the_overview_says_edits_after_a_final_version_start_a_new_draft(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    services.version_finalise(version=validated(version, admin_user), acting_user=admin_user)
    nap_change(plan_of_version(version))
    page = admin_client.get(url(workspace)).content.decode()
    assert "is final and frozen. Your edits since then start a new draft version." in page


def test_saving_a_version_snapshots_the_plan_and_opens_its_page(admin_client, workspace):
    plan = plan_for_review(workspace)
    response = admin_client.post(
        url(workspace, "versions/save/"),
        {"deliverable": "nap", "subject": str(plan.uuid), "note": "For the Technical Committee"},
    )
    version = DeliverableVersion.objects.get(workspace=workspace)
    assert response.status_code == 302 and response["Location"] == version_url(version)
    assert (version.number, version.status, version.note) == (1, "draft", "For the Technical Committee")
    assert AuditEntry.objects.filter(action="review.version.save").count() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert "Version 1 of" in page and "Train border officers" in page


def test_saving_an_unchanged_deliverable_says_so_and_stores_nothing(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    response = admin_client.post(
        url(workspace, "versions/save/"), {"deliverable": "nap", "subject": version.subject}, follow=True
    )
    assert "Nothing has changed since version 1" in response.content.decode()
    assert DeliverableVersion.objects.filter(workspace=workspace).count() == 1


def test_saving_without_a_deliverable_is_refused_clearly(admin_client, workspace):
    response = admin_client.post(url(workspace, "versions/save/"), {"note": "x"}, follow=True)
    assert "Choose the deliverable to save a version of" in response.content.decode()
    assert not DeliverableVersion.objects.exists()


def test_viewers_see_the_overview_but_cannot_save(client, workspace):
    plan = plan_for_review(workspace)
    viewer = client_for(client, workspace, "viewer")
    page = viewer.get(url(workspace)).content.decode()
    assert "Save a new version" not in page
    response = viewer.post(
        url(workspace, "versions/save/"), {"deliverable": "nap", "subject": str(plan.uuid)}
    )
    assert response.status_code == 403
    assert not DeliverableVersion.objects.exists()


# --- The version page -------------------------------------------------------------------------------------


def test_the_version_page_shows_the_header_steps_tree_and_rounds(admin_client, workspace, admin_user):
    first = nap_version_make(workspace, acting_user=admin_user)
    review = round_make(first, title="TC workshop review")
    comment_make(review, element_id=first_element_id(first))
    page = admin_client.get(version_url(first)).content.decode()
    assert "review-steps" in page and 'aria-current="step"' in page
    assert "Under review" in page
    assert "TC workshop review" in page
    assert "Train border officers" in page and "Activity" in page
    assert "1 comment" in page
    assert f"comments/add/?element={first_element_id(first)}" in page
    assert "element-" + first_element_id(first) in page


def test_a_later_version_links_to_the_comparison_with_the_one_it_is_based_on(
    admin_client, workspace, admin_user
):
    first = nap_version_make(workspace, acting_user=admin_user)
    nap_change(plan_of_version(first))
    second = services.version_save(
        workspace=workspace, deliverable="nap", subject=first.subject, acting_user=admin_user
    )
    page = admin_client.get(version_url(second)).content.decode()
    assert f"compare/?from={first.uuid}&amp;to={second.uuid}" in page


@pytest.mark.parametrize(
    ("role", "sees_edit", "sees_validate"),
    [
        ("coordinator", True, True),
        ("analyst", True, False),
        ("reviewer", False, False),
        ("viewer", False, False),
    ],
)
def test_actions_are_shown_only_to_who_may_use_them(client, workspace, role, sees_edit, sees_validate):
    version = nap_version_make(workspace)
    page = client_for(client, workspace, role).get(version_url(version)).content.decode()
    assert ("Open a review round" in page) is sees_edit
    assert ("Delete this draft" in page) is sees_edit
    assert ("Validate…" in page) is sees_validate


def test_a_reviewer_sees_comment_links_while_a_round_is_open(client, workspace):
    version = nap_version_make(workspace)
    round_make(version)
    reviewer = reviewer_make(workspace)
    client.force_login(reviewer)
    page = client.get(version_url(version)).content.decode()
    assert "Comment on the document as a whole" in page
    assert "Open a review round" not in page


def test_non_members_get_404_from_the_version_page(client, workspace, outsider):
    version = nap_version_make(workspace)
    client.force_login(outsider)
    assert client.get(version_url(version)).status_code == 404


def test_the_version_page_uses_a_fixed_number_of_queries(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    review = round_make(version)
    comment_make(review)

    def queries(target):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(version_url(target)).status_code == 200
        return len(captured)

    small = queries(version)
    plan = plan_of_version(version)
    for index in range(6):
        element_make(plan, "activity", title=f"Activity {index}")
    bigger = services.version_save(
        workspace=workspace, deliverable="nap", subject=version.subject, acting_user=admin_user
    )
    bigger_round = round_make(bigger)
    round_make(bigger, title="Second round")
    for index in range(8):
        comment_make(bigger_round, element_id=first_element_id(bigger), text=f"Comment {index}")
    assert queries(bigger) == small


# --- Status, validation, final, delete --------------------------------------------------------------------


def test_marking_a_version_under_review_as_revised(admin_client, workspace):
    version = nap_version_make(workspace)
    round_make(version)
    version.refresh_from_db()
    response = admin_client.post(
        version_url(version, "status/"),
        {"status": "revised", "expected_version": version.version},
        follow=True,
    )
    assert "Version 1 is now revised." in response.content.decode()
    assert DeliverableVersion.objects.get(pk=version.pk).status == "revised"


def test_a_status_change_from_a_stale_page_is_refused_and_changes_nothing(admin_client, workspace):
    version = nap_version_make(workspace)
    round_make(version)
    version.refresh_from_db()
    before = stored(version)
    response = admin_client.post(
        version_url(version, "status/"),
        {"status": "revised", "expected_version": version.version - 1},
        follow=True,
    )
    assert "while you were editing" in response.content.decode()
    assert stored(version) == before


def test_a_status_the_page_does_not_offer_is_refused(admin_client, workspace):
    version = nap_version_make(workspace)
    response = admin_client.post(version_url(version, "status/"), {"status": "final"}, follow=True)
    assert "Choose “under review” or “revised”" in response.content.decode()
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


def test_the_validation_page_lists_the_comments_that_block_it(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    review = round_make(version, title="TC review")
    blocking = comment_make(review, element_id=first_element_id(version), text="Cost the training")
    validation_meeting_make(workspace)
    page = admin_client.get(version_url(version, "validate/")).content.decode()
    assert "These comments block validation" in page
    assert "TC review #1" in page and "Cost the training" in page
    assert f"comments/{blocking.uuid}/respond/" in page
    assert "disabled" in page
    assert "Validate version 1</button>" not in page


def test_validating_while_comments_are_open_is_refused_and_changes_nothing(
    admin_client, workspace, admin_user
):
    version = nap_version_make(workspace, acting_user=admin_user)
    comment_make(round_make(version))
    meeting = validation_meeting_make(workspace)
    version.refresh_from_db()
    before = stored(version)
    response = admin_client.post(
        version_url(version, "validate/"),
        {"meeting": meeting.pk, "decision": "Validated.", "expected_version": version.version},
    )
    assert response.status_code == 400
    assert "cannot be validated" in response.content.decode()
    assert stored(version) == before


def test_validating_records_the_meeting_and_the_page_shows_it(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    comment_accept(comment_make(round_make(version)), acting_user=admin_user)
    meeting = validation_meeting_make(workspace, title="National validation meeting")
    meetings.attendee_add(workspace=workspace, meeting=meeting, name="A. Person", acting_user=None)
    meetings.attendee_add(workspace=workspace, meeting=meeting, name="B. Person", acting_user=None)
    page = admin_client.get(version_url(version, "validate/")).content.decode()
    assert "National validation meeting" in page and "2 attendees" in page
    version.refresh_from_db()
    response = admin_client.post(
        version_url(version, "validate/"),
        {
            "meeting": meeting.pk,
            "decision": "Validated with the conditions below",
            "conditions": "Add the budget annex",
            "expected_version": version.version,
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.validation_meeting, version.validation_conditions) == (
        "validated",
        meeting,
        "Add the budget annex",
    )
    page = admin_client.get(version_url(version)).content.decode()
    assert "National validation meeting" in page and "Add the budget annex" in page
    assert f"/meetings/{meeting.uuid}/" in page
    assert "Make final…" in page


def test_validating_without_a_meeting_or_decision_names_the_fields(admin_client, workspace):
    version = nap_version_make(workspace)
    response = admin_client.post(version_url(version, "validate/"), {"decision": " "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the validation meeting" in page and "Write the decision of the validation meeting" in page
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


@pytest.mark.parametrize("role", ["analyst", "reviewer", "viewer"])
def test_only_coordinators_and_administrators_validate_or_finalise(client, workspace, role):
    version = nap_version_make(workspace)
    member = client_for(client, workspace, role)
    assert member.get(version_url(version, "validate/")).status_code == 403
    assert member.post(version_url(version, "finalise/")).status_code == 403
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


def test_a_coordinator_validates_and_finalises(client, workspace):
    version = nap_version_make(workspace)
    coordinator = client_for(client, workspace, "coordinator")
    meeting = validation_meeting_make(workspace)
    version.refresh_from_db()
    assert (
        coordinator.post(
            version_url(version, "validate/"), {"meeting": meeting.pk, "decision": "Validated."}
        ).status_code
        == 302
    )
    page = coordinator.get(version_url(version, "finalise/")).content.decode()
    assert "A final version can never change again" in page
    assert "save a new version, which starts as a draft" in page
    coordinator.post(version_url(version, "finalise/"))
    assert DeliverableVersion.objects.get(pk=version.pk).status == "final"


def test_finalising_a_version_that_is_not_validated_is_refused(admin_client, workspace):
    version = nap_version_make(workspace)
    page = admin_client.get(version_url(version, "finalise/")).content.decode()
    assert "Only a validated version can be made final" in page
    response = admin_client.post(version_url(version, "finalise/"), follow=True)
    assert "it can move to" in response.content.decode()
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


def test_a_final_version_shows_the_frozen_banner_and_no_edit_buttons(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    services.version_finalise(version=validated(version, admin_user), acting_user=admin_user)
    page = admin_client.get(version_url(version)).content.decode()
    assert "This version is final and frozen." in page
    assert page.count("(skipped)") == 2  # validated straight from the draft: never under review
    for button in ("Open a review round", "Mark as revised", "Validate…", "Make final…", "Delete this draft"):
        assert button not in page


def test_every_change_to_a_final_version_is_refused_with_the_message(admin_client, workspace, admin_user):
    version = nap_version_make(workspace, acting_user=admin_user)
    review = round_make(version)
    comment = comment_make(review)
    comment_accept(comment, acting_user=admin_user)
    services.version_finalise(version=validated(version, admin_user), acting_user=admin_user)
    before = stored(version)
    rounds = ReviewRound.objects.count()
    attempts = [
        (version_url(version, "status/"), {"status": "revised"}),
        (version_url(version, "delete/"), {}),
        (version_url(version, "rounds/new/"), {"title": "Another round"}),
        (url(workspace, f"rounds/{review.uuid}/comments/add/"), {"text": "Late", "element": ""}),
        (
            url(workspace, f"comments/{comment.uuid}/respond/"),
            {"response": "Changed", "decision": "accepted"},
        ),
    ]
    for address, data in attempts:
        page = admin_client.post(address, data, follow=True).content.decode()
        assert "is no longer possible" in page or "is final and can no longer change" in page, address
    assert stored(version) == before
    assert ReviewRound.objects.count() == rounds
    assert review.comments.count() == 1


def test_deleting_a_draft_asks_first_then_deletes_it(admin_client, workspace):
    version = nap_version_make(workspace)
    page = admin_client.get(version_url(version, "delete/")).content.decode()
    assert "Only a draft that was never reviewed can be deleted" in page
    response = admin_client.post(version_url(version, "delete/"))
    assert response.status_code == 302 and response["Location"] == url(workspace)
    assert not DeliverableVersion.objects.filter(pk=version.pk).exists()


def test_a_reviewed_version_cannot_be_deleted(admin_client, workspace):
    version = nap_version_make(workspace)
    round_make(version)
    response = admin_client.post(version_url(version, "delete/"), follow=True)
    assert "kept as a record" in response.content.decode()
    assert DeliverableVersion.objects.filter(pk=version.pk).exists()
