"""Review and validation through the API: versions, compare, rounds, comments and responses, the validation
gate, the final freeze (nothing about a final version changes, byte for byte), permissions and isolation."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ctip.web.accounts.models import AuditEntry
from ctip.web.reviews import services
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound
from tests.web.factories import member_make, workspace_make
from tests.web.reviews.factories import (
    activity_rename,
    comment_accept,
    comment_make,
    first_element_id,
    nap_change,
    nap_version_make,
    plan_for_review,
    plan_of_version,
    reviewer_make,
    round_make,
    tc_meeting_make,
    validation_meeting_make,
)


def api(workspace, path=""):
    return f"/api/v1/w/{workspace.slug}/reviews{path}"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


def patch(client, url, payload):
    return client.patch(url, payload, content_type="application/json")


def stored_version(version) -> dict:
    """Everything stored about a version, as JSON text compared byte for byte."""
    row = DeliverableVersion.objects.filter(pk=version.pk).values().get()
    return {
        "row": json.dumps(row, sort_keys=True, default=str),
        "rounds": json.dumps(
            list(ReviewRound.objects.filter(deliverable_version=version).order_by("pk").values()),
            sort_keys=True,
            default=str,
        ),
        "comments": json.dumps(
            list(ReviewComment.objects.filter(round__deliverable_version=version).order_by("pk").values()),
            sort_keys=True,
            default=str,
        ),
    }


@pytest.mark.django_db
def test_save_list_read_and_compare_versions(admin_client, workspace):
    # given a NAP to review
    plan = plan_for_review(workspace)
    subject = str(plan.uuid)

    # when the first version is saved through the API
    created = post(
        admin_client, api(workspace, "/versions"), {"deliverable": "nap", "subject": subject, "note": "First"}
    )

    # then it is version 1, a draft, with the plan's snapshot
    assert created.status_code == 201, created.content
    first = created.json()
    assert (first["number"], first["status"], first["note"], first["based_on"]) == (1, "draft", "First", None)
    assert first["deliverable"] == "nap" and first["subject"] == subject and first["author"] == "Ada Admin"
    assert first["validation"] == {"meeting": None, "decision": "", "conditions": "", "validated_at": None}
    kinds = {element["kind"] for element in first["elements"]}
    assert {"plan", "pillar", "activity"} <= kinds
    assert set(first["elements"][0]) == {"id", "kind", "label", "parent", "position", "fields"}

    # saving again without a change is refused and stores nothing
    again = post(admin_client, api(workspace, "/versions"), {"deliverable": "nap", "subject": subject})
    assert again.status_code == 409 and "Nothing has changed" in again.json()["message"]
    assert DeliverableVersion.objects.count() == 1

    # after a change the second version is based on the first
    added = nap_change(plan, title="Set up a hotline")
    second = post(
        admin_client, api(workspace, "/versions"), {"deliverable": "nap", "subject": subject}
    ).json()
    assert (second["number"], second["based_on"]) == (2, first["id"])

    listed = admin_client.get(api(workspace, "/versions"), {"deliverable": "nap", "subject": subject}).json()
    assert [item["number"] for item in listed] == [2, 1]
    assert "elements" not in listed[0]
    assert admin_client.get(api(workspace, "/versions"), {"deliverable": "tna_report"}).json() == []

    detail = admin_client.get(api(workspace, f"/versions/{second['id']}")).json()
    assert str(added.uuid) in {element["id"] for element in detail["elements"]}

    compared = admin_client.get(api(workspace, "/compare"), {"from": first["id"], "to": second["id"]})
    assert compared.status_code == 200, compared.content
    body = compared.json()
    assert (body["from"], body["to"]) == (first["id"], second["id"])
    assert body["changes"] == [
        {
            "kind": "added",
            "id": str(added.uuid),
            "element_kind": "activity",
            "label": body["changes"][0]["label"],
            "field": "",
            "before": None,
            "after": None,
        }
    ]
    assert "Set up a hotline" in body["changes"][0]["label"]

    # compared with the live content (the default "to"), the next edit shows before it is saved
    added_live = nap_change(plan, title="Open shelters")
    live = admin_client.get(api(workspace, "/compare"), {"from": second["id"]}).json()
    assert live["to"] == "live"
    assert [(c["kind"], c["id"]) for c in live["changes"]] == [("added", str(added_live.uuid))]


@pytest.mark.django_db
def test_compare_refuses_unknown_versions_and_other_deliverables(admin_client, workspace):
    version = nap_version_make(workspace)
    other = nap_version_make(workspace)  # another plan: another subject

    unknown = admin_client.get(api(workspace, "/compare"), {"from": "not-a-uuid"})
    assert unknown.status_code == 404
    assert unknown.json()["problems"][0]["location"] == "from"

    mixed = admin_client.get(api(workspace, "/compare"), {"from": str(version.uuid), "to": str(other.uuid)})
    assert mixed.status_code == 400
    assert "different deliverables" in mixed.json()["message"]

    missing = admin_client.get(api(workspace, "/compare"))
    assert missing.status_code == 422


@pytest.mark.django_db
def test_patch_note_title_and_status_then_delete_a_draft(admin_client, workspace):
    version = nap_version_make(workspace)
    url = api(workspace, f"/versions/{version.uuid}")

    changed = patch(
        admin_client, url, {"note": "Costs revised", "title": "NAP 2025–2029", "expected_version": 1}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["note"], changed.json()["title"]) == ("Costs revised", "NAP 2025–2029")

    moved = patch(
        admin_client, url, {"status": "under_review", "expected_version": changed.json()["version"]}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "under_review"

    nothing = patch(admin_client, url, {})
    assert nothing.status_code == 400 and "Nothing to change" in nothing.json()["message"]

    # "validated" goes through its own endpoint
    refused = patch(admin_client, url, {"status": "validated"})
    assert refused.status_code == 400
    assert DeliverableVersion.objects.get(pk=version.pk).status == "under_review"

    draft = nap_version_make(workspace)
    assert admin_client.delete(api(workspace, f"/versions/{draft.uuid}")).status_code == 204
    assert not DeliverableVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="review.version.delete").exists()

    # a version under review is kept as a record
    kept = admin_client.delete(url)
    assert kept.status_code == 409
    assert DeliverableVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.django_db
def test_a_failed_status_change_keeps_the_note_too(admin_client, workspace):
    # given a draft
    version = nap_version_make(workspace, note="As saved")

    # when a PATCH changes the note and asks for an impossible status
    response = patch(
        admin_client, api(workspace, f"/versions/{version.uuid}"), {"note": "New", "status": "final"}
    )

    # then nothing is stored
    assert response.status_code in (400, 409)
    stored = DeliverableVersion.objects.get(pk=version.pk)
    assert (stored.note, stored.status, stored.version) == ("As saved", "draft", 1)


@pytest.mark.django_db
def test_round_comments_and_responses(admin_client, workspace):
    # given a version, a Technical Committee workshop and a reviewer
    version = nap_version_make(workspace)
    meeting = tc_meeting_make(workspace)
    reviewer = reviewer_make(workspace, "tc-member", first_name="Tara", last_name="Comm")
    element_id = first_element_id(version)

    # when a round is opened with that reviewer
    opened = post(
        admin_client,
        api(workspace, f"/versions/{version.uuid}/rounds"),
        {
            "title": "Technical Committee review",
            "meeting": str(meeting.uuid),
            "due_date": "2026-03-31",
            "reviewers": ["tc-member"],
        },
    )

    # then the round is open and the version under review
    assert opened.status_code == 201, opened.content
    round_body = opened.json()
    assert round_body["version"] == str(version.uuid) and round_body["meeting"] == str(meeting.uuid)
    assert (round_body["status"], round_body["due_date"], round_body["reviewers"]) == (
        "open",
        "2026-03-31",
        ["tc-member"],
    )
    assert round_body["comments"] == []
    assert admin_client.get(api(workspace, f"/versions/{version.uuid}")).json()["status"] == "under_review"

    # the reviewer comments on an element and on the document, then corrects the first comment
    reviewer_client = client_of(reviewer)
    comments_url = api(workspace, f"/rounds/{round_body['id']}/comments")
    on_element = post(
        reviewer_client,
        comments_url,
        {"element_id": element_id, "text": "Say who trains them.", "organisation": "IOM"},
    )
    assert on_element.status_code == 201, on_element.content
    comment = on_element.json()
    assert (comment["number"], comment["element_id"], comment["reviewer"], comment["organisation"]) == (
        1,
        element_id,
        "Tara Comm",
        "IOM",
    )
    assert "Train border officers" in comment["element_label"]
    whole = post(reviewer_client, comments_url, {"text": "Add a glossary."})
    assert whole.status_code == 201 and whole.json()["element_id"] == ""

    edited = patch(
        reviewer_client,
        api(workspace, f"/comments/{comment['id']}"),
        {"text": "Say who trains them, and how often.", "expected_version": comment["version"]},
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["text"] == "Say who trains them, and how often."

    # the editor responds, pointing at the change in the next version that resolved it
    activity_rename(plan_of_version(version), "Train border officers with the police academy")
    revised = services.version_save(
        workspace=workspace, deliverable="nap", subject=version.subject, acting_user=None
    )
    responded = post(
        admin_client,
        api(workspace, f"/comments/{comment['id']}/response"),
        {
            "response": "The national police academy trains them twice a year.",
            "decision": "accepted",
            "resolved_in": str(revised.uuid),
            "resolved_element_id": element_id,
            "expected_version": edited.json()["version"],
        },
    )
    assert responded.status_code == 200, responded.content
    answer = responded.json()
    assert (answer["decision"], answer["resolved_in"], answer["resolved_element_id"]) == (
        "accepted",
        str(revised.uuid),
        element_id,
    )

    # and the round reads as the comment matrix
    matrix = admin_client.get(api(workspace, f"/rounds/{round_body['id']}")).json()
    assert [(c["number"], c["decision"]) for c in matrix["comments"]] == [(1, "accepted"), (2, "")]
    assert matrix["comments"][0]["response"].startswith("The national police academy")


@pytest.mark.django_db
def test_round_with_unknown_reviewers_or_meeting_is_refused_and_stores_nothing(
    admin_client, workspace, outsider
):
    version = nap_version_make(workspace)

    strangers = post(
        admin_client,
        api(workspace, f"/versions/{version.uuid}/rounds"),
        {"title": "TC review", "reviewers": ["nobody", "outsider"]},
    )
    assert strangers.status_code == 400
    assert [p["location"] for p in strangers.json()["problems"]] == ["reviewers.0", "reviewers.1"]

    no_meeting = post(
        admin_client,
        api(workspace, f"/versions/{version.uuid}/rounds"),
        {"title": "TC review", "meeting": "00000000-0000-0000-0000-000000000000"},
    )
    assert no_meeting.status_code == 404
    assert no_meeting.json()["problems"][0]["location"] == "meeting"

    assert not ReviewRound.objects.exists()
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


@pytest.mark.django_db
def test_validation_gate_lists_unresolved_comments_then_validates_and_finalises(admin_client, workspace):
    # given a round with one unanswered comment
    version = nap_version_make(workspace)
    review = round_make(version, reviewers=[reviewer_make(workspace)])
    comment = comment_make(review, element_id=first_element_id(version), text="Budget is too low.")
    meeting = validation_meeting_make(workspace)
    url = api(workspace, f"/versions/{version.uuid}/validate")
    payload = {
        "meeting": str(meeting.uuid),
        "decision": "Validated as presented.",
        "conditions": "Annex B to follow.",
    }

    # when validation is asked for, it is refused and says which comment blocks it
    blocked = post(admin_client, url, payload)
    assert blocked.status_code == 409
    assert "Technical Committee review #1" in blocked.json()["message"]
    assert DeliverableVersion.objects.get(pk=version.pk).status == "under_review"

    # a validation without meeting or decision says what is missing
    comment_accept(comment)
    incomplete = post(admin_client, url, {})
    assert incomplete.status_code == 400
    assert {p["location"] for p in incomplete.json()["problems"]} == {"meeting", "decision"}

    # after the response it goes through, with the meeting's record
    validated = post(admin_client, url, payload)
    assert validated.status_code == 200, validated.content
    record = validated.json()
    assert record["status"] == "validated"
    assert record["validation"]["meeting"] == str(meeting.uuid)
    assert record["validation"]["decision"] == "Validated as presented."
    assert record["validation"]["conditions"] == "Annex B to follow."
    assert record["validation"]["validated_at"]

    # and finalising freezes it
    final = post(
        admin_client,
        api(workspace, f"/versions/{version.uuid}/finalise"),
        {"expected_version": record["version"]},
    )
    assert final.status_code == 200, final.content
    assert final.json()["status"] == "final" and final.json()["finalised_at"]


@pytest.mark.django_db
def test_finalise_without_a_body_and_only_after_validation(admin_client, workspace):
    version = nap_version_make(workspace)

    # a POST with no body at all (curl -X POST) is read as "no expected version"
    too_early = admin_client.generic("POST", api(workspace, f"/versions/{version.uuid}/finalise"))
    assert too_early.status_code == 409, too_early.content
    assert DeliverableVersion.objects.get(pk=version.pk).status == "draft"


@pytest.fixture
def final_version(workspace):
    """A final version with a closed round holding one accepted comment."""
    version = nap_version_make(workspace, note="As validated")
    review = round_make(version, reviewers=[reviewer_make(workspace, "tc-final")])
    comment = comment_make(review, element_id=first_element_id(version))
    comment_accept(comment)
    services.version_validate(
        version=version, meeting=validation_meeting_make(workspace), decision="Validated.", acting_user=None
    )
    services.version_finalise(version=version, acting_user=None)
    version.refresh_from_db()
    assert version.status == "final"
    return version


@pytest.mark.django_db
def test_a_final_version_cannot_change_through_the_api(admin_client, workspace, final_version):
    # given a final version and what is stored about it
    before = stored_version(final_version)
    review = ReviewRound.objects.get(deliverable_version=final_version)
    comment = ReviewComment.objects.get(round=review)
    reviewer_client = client_of(review.reviewers.get())
    url = api(workspace, f"/versions/{final_version.uuid}")
    attempts = {
        "patch note": lambda: patch(admin_client, url, {"note": "Edited after the fact"}),
        "patch status": lambda: patch(admin_client, url, {"status": "revised"}),
        "delete": lambda: admin_client.delete(url),
        "open a round": lambda: post(admin_client, f"{url}/rounds", {"title": "Another look"}),
        "comment": lambda: post(
            admin_client, api(workspace, f"/rounds/{review.uuid}/comments"), {"text": "Late."}
        ),
        "reviewer comment": lambda: post(
            reviewer_client, api(workspace, f"/rounds/{review.uuid}/comments"), {"text": "Late."}
        ),
        "edit comment": lambda: patch(
            reviewer_client, api(workspace, f"/comments/{comment.uuid}"), {"text": "Changed."}
        ),
        "response": lambda: post(
            admin_client,
            api(workspace, f"/comments/{comment.uuid}/response"),
            {"response": "Rewritten.", "decision": "not_accepted", "reason": "Changed our mind."},
        ),
        "validate again": lambda: post(admin_client, f"{url}/validate", {"decision": "Again."}),
        "finalise again": lambda: post(admin_client, f"{url}/finalise"),
    }

    for what, attempt in attempts.items():
        # when anything is attempted
        response = attempt()

        # then it is refused as a conflict, with a message that says why
        assert response.status_code == 409, (what, response.status_code, response.content)
        assert response.json()["code"] == "conflict", what
        assert "final" in response.json()["message"], (what, response.json()["message"])

    # and every stored byte of the version, its round and its comment is unchanged
    assert stored_version(final_version) == before


@pytest.mark.django_db
def test_editing_goes_on_in_a_new_draft_after_a_final_version(admin_client, workspace, final_version):
    nap_change(plan_of_version(final_version))
    created = post(
        admin_client, api(workspace, "/versions"), {"deliverable": "nap", "subject": final_version.subject}
    )
    assert created.status_code == 201
    assert (created.json()["number"], created.json()["status"]) == (2, "draft")


@pytest.mark.django_db
def test_stale_comment_edit_is_a_conflict_with_both_texts(workspace):
    # given a comment read by its reviewer twice (two tabs)
    version = nap_version_make(workspace)
    reviewer = reviewer_make(workspace, "tc-two-tabs")
    review = round_make(version, reviewers=[reviewer])
    comment = comment_make(review, text="First wording.", acting_user=reviewer)
    reviewer_client = client_of(reviewer)
    url = api(workspace, f"/comments/{comment.uuid}")
    saved = patch(reviewer_client, url, {"text": "Second wording.", "expected_version": comment.version})
    assert saved.status_code == 200

    # when the other tab saves from the old version
    stale = patch(reviewer_client, url, {"text": "Third wording.", "expected_version": comment.version})

    # then it is refused with both texts and nothing is overwritten
    assert stale.status_code == 409
    problems = stale.json()["problems"]
    assert [p["location"] for p in problems] == ["text"]
    assert "Third wording." in problems[0]["message"] and "Second wording." in problems[0]["message"]
    assert ReviewComment.objects.get(pk=comment.pk).text == "Second wording."


@pytest.mark.django_db
def test_reviewer_comments_but_cannot_create_versions_rounds_or_respond(workspace):
    version = nap_version_make(workspace)
    reviewer = reviewer_make(workspace, "tc-reader")
    review = round_make(version, reviewers=[reviewer])
    client = client_of(reviewer)
    subject = version.subject

    assert client.get(api(workspace, "/versions")).status_code == 200
    nap_change(plan_of_version(version))
    assert (
        post(client, api(workspace, "/versions"), {"deliverable": "nap", "subject": subject}).status_code
        == 403
    )
    assert (
        post(client, api(workspace, f"/versions/{version.uuid}/rounds"), {"title": "Mine"}).status_code == 403
    )
    assert patch(client, api(workspace, f"/versions/{version.uuid}"), {"note": "x"}).status_code == 403
    assert client.delete(api(workspace, f"/versions/{version.uuid}")).status_code == 403
    assert post(client, api(workspace, f"/versions/{version.uuid}/validate"), {}).status_code == 403
    assert DeliverableVersion.objects.count() == 1 and ReviewRound.objects.count() == 1

    commented = post(client, api(workspace, f"/rounds/{review.uuid}/comments"), {"text": "Looks good."})
    assert commented.status_code == 201
    response = post(
        client, api(workspace, f"/comments/{commented.json()['id']}/response"), {"response": "Thanks."}
    )
    assert response.status_code == 403
    assert ReviewComment.objects.get().response == ""


@pytest.mark.django_db
def test_viewer_reads_but_cannot_comment_and_analyst_cannot_validate(workspace):
    version = nap_version_make(workspace)
    review = round_make(version)
    viewer = client_of(member_make(workspace, "viewer").user)
    analyst = client_of(member_make(workspace, "analyst").user)

    assert viewer.get(api(workspace, f"/rounds/{review.uuid}")).status_code == 200
    assert viewer.get(api(workspace, f"/versions/{version.uuid}")).status_code == 200
    refused = post(viewer, api(workspace, f"/rounds/{review.uuid}/comments"), {"text": "Hi."})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert not ReviewComment.objects.exists()

    # an analyst edits content but does not validate: both permissions are needed
    validate = post(analyst, api(workspace, f"/versions/{version.uuid}/validate"), {"decision": "OK"})
    assert validate.status_code == 403 and "validating" in validate.json()["message"]
    assert post(analyst, api(workspace, f"/versions/{version.uuid}/finalise")).status_code == 403
    assert DeliverableVersion.objects.get(pk=version.pk).status == "under_review"


@pytest.mark.django_db
def test_objects_of_another_workspace_are_not_found(admin_client, admin_user, workspace):
    # given a second workspace the same administrator runs, with its own version, round and comment
    other = workspace_make("seychelles", admin=admin_user, country="SC", currency="SCR")
    version = nap_version_make(other)
    review = round_make(version)
    comment = comment_make(review)

    # when they are reached through the first workspace's paths, they are not found
    paths = [
        ("get", f"/versions/{version.uuid}"),
        ("patch", f"/versions/{version.uuid}"),
        ("delete", f"/versions/{version.uuid}"),
        ("post", f"/versions/{version.uuid}/rounds"),
        ("post", f"/versions/{version.uuid}/validate"),
        ("post", f"/versions/{version.uuid}/finalise"),
        ("get", f"/rounds/{review.uuid}"),
        ("post", f"/rounds/{review.uuid}/comments"),
        ("patch", f"/comments/{comment.uuid}"),
        ("post", f"/comments/{comment.uuid}/response"),
    ]
    bodies = {"/rounds": {"title": "x"}, "/comments": {"text": "x"}, "/validate": {"decision": "x"}}
    for method, path in paths:
        body = next(
            (value for key, value in bodies.items() if path.endswith(key)), {"text": "x", "note": "x"}
        )
        response = getattr(admin_client, method)(api(workspace, path), body, content_type="application/json")
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found"
    compare = admin_client.get(api(workspace, "/compare"), {"from": str(version.uuid)})
    assert compare.status_code == 404
    assert admin_client.get(api(workspace, "/versions")).json() == []

    # and a version of the other workspace cannot be named as the one that resolved a comment
    own = round_make(nap_version_make(workspace))
    own_comment = comment_make(own)
    response = post(
        admin_client,
        api(workspace, f"/comments/{own_comment.uuid}/response"),
        {"response": "Done.", "decision": "accepted", "resolved_in": str(version.uuid)},
    )
    assert response.status_code == 404 and response.json()["problems"][0]["location"] == "resolved_in"
    assert ReviewComment.objects.get(pk=own_comment.pk).response == ""
    assert ReviewComment.objects.get(pk=comment.pk).text == comment.text


@pytest.mark.django_db
def test_non_members_get_404(client, outsider, workspace):
    version = nap_version_make(workspace)
    client.force_login(outsider)
    assert client.get(api(workspace, "/versions")).status_code == 404
    assert client.get(api(workspace, f"/versions/{version.uuid}")).status_code == 404


@pytest.mark.django_db
def test_openapi_schema_lists_the_review_paths(admin_client):
    response = admin_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/w/{workspace}/reviews/versions",
        "/api/v1/w/{workspace}/reviews/versions/{review_version}",
        "/api/v1/w/{workspace}/reviews/versions/{review_version}/validate",
        "/api/v1/w/{workspace}/reviews/versions/{review_version}/finalise",
        "/api/v1/w/{workspace}/reviews/versions/{review_version}/rounds",
        "/api/v1/w/{workspace}/reviews/compare",
        "/api/v1/w/{workspace}/reviews/rounds/{review_round}",
        "/api/v1/w/{workspace}/reviews/rounds/{review_round}/comments",
        "/api/v1/w/{workspace}/reviews/comments/{review_comment}",
        "/api/v1/w/{workspace}/reviews/comments/{review_comment}/response",
    ]:
        assert path in paths, path
    compare = paths["/api/v1/w/{workspace}/reviews/compare"]["get"]
    assert "from" in {parameter["name"] for parameter in compare["parameters"]}
