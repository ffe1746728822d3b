"""Backup round trip of the reviews section: versions with their snapshots, rounds tied to meetings,
comments with responses, decisions and the version that resolved them, the validation meeting, the final
freeze and the accepted invitations; people by username; a damaged section restores nothing."""

from __future__ import annotations

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web import workspace_backup as backups
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.reviews import backup, selectors, services
from ctip.web.reviews.models import (
    DeliverableVersion,
    PendingNotification,
    ReviewComment,
    ReviewerInvitation,
    ReviewRound,
)
from tests.web.reviews.factories import (
    comment_accept,
    comment_make,
    first_element_id,
    nap_version_make,
    reviewer_make,
    round_make,
    tc_meeting_make,
    validation_meeting_make,
    version_next,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reviews_section(monkeypatch):
    """The section as ``ReviewsConfig.ready()`` registers it (after the meetings and nap sections)."""
    monkeypatch.setitem(
        backups.SECTIONS,
        backup.SECTION,
        backups.BackupSection(export=backup.section_export, restore=backup.section_import),
    )


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


def invite(workspace, round, email, acting_user):
    return services.reviewer_invite(
        workspace=workspace,
        email=email,
        organisation_name="NGO",
        round=round,
        link_base="http://testserver",
        acting_user=acting_user,
    )


def review_history_make(workspace, admin_user):
    """A NAP reviewed by the Technical Committee, revised, validated at a meeting and made final; one
    invitation accepted, one still pending."""
    olivier = reviewer_make(workspace, "olivier", first_name="Olivier", last_name="Bénard")
    first = nap_version_make(workspace, note="For the Technical Committee", acting_user=admin_user)
    review = round_make(
        first,
        meeting=tc_meeting_make(workspace),
        reviewers=[olivier],
        title="Technical Committee review",
        acting_user=admin_user,
    )
    on_activity = comment_make(
        review,
        element_id=first_element_id(first),
        text="Name the training institute.",
        organisation="Police Force",
        acting_user=olivier,
    )
    on_document = comment_make(review, text="Drop the annex.", acting_user=olivier)
    accepted = invite(workspace, review, "expert@ngo.example", admin_user)
    services.invitation_accept_new_user(
        invitation=accepted, username="esther", password="a long pass phrase 42", first_name="Esther"
    )
    invite(workspace, review, "late@ngo.example", admin_user)
    services.round_close(round=review, acting_user=admin_user)
    revised = version_next(first, note="Technical Committee comments", acting_user=admin_user)
    added = next(e["id"] for e in revised.elements if e["id"] not in {f["id"] for f in first.elements})
    comment_accept(
        on_activity,
        response="Institute named.",
        resolved_in=revised,
        resolved_element_id=added,
        acting_user=admin_user,
    )
    services.comment_respond(
        comment=on_document,
        response="Kept.",
        decision="not_accepted",
        reason="Required by the terms of reference.",
        acting_user=admin_user,
    )
    validated = services.version_validate(
        version=revised,
        meeting=validation_meeting_make(workspace),
        decision="Validated by the National Coordinating Committee.",
        conditions="Add the foreword.",
        acting_user=admin_user,
    )
    return services.version_finalise(version=validated, acting_user=admin_user)


def test_the_round_trip_gives_the_same_review_history(workspace, admin_user):
    final = review_history_make(workspace, admin_user)
    assert PendingNotification.objects.filter(workspace=workspace).exists()
    original = backup_loads(
        backup_dumps(backups.workspace_backup(workspace=workspace, acting_user=admin_user))
    )
    section = original["sections"]["reviews"]
    assert [len(section[key]) for key in ("versions", "rounds", "comments", "invitations")] == [2, 1, 2, 2]
    assert set(section) == {"versions", "rounds", "comments", "invitations"}
    assert not any("token_hash" in row for row in section["invitations"])
    versions_before = {v.uuid: list(v.elements) for v in DeliverableVersion.objects.all()}

    empty_the_database()
    restored = backups.workspace_restore(document=copy.deepcopy(original), acting_user=None)

    again = backups.workspace_backup(workspace=restored, acting_user=None)["sections"]["reviews"]
    assert again["versions"] == section["versions"]
    assert again["rounds"] == section["rounds"]
    assert again["comments"] == section["comments"]
    assert {v.uuid: v.elements for v in DeliverableVersion.objects.all()} == versions_before
    version = DeliverableVersion.objects.get(uuid=final.uuid)
    assert (version.status, version.number, version.based_on.number) == ("final", 2, 1)
    assert version.validation_meeting.title == "Validation meeting"
    assert version.validation_conditions == "Add the foreword."
    # The subject is still the plan's UUID: the restored NAP is what the final version holds.
    assert selectors.versions_diff(version, None) == []
    review = ReviewRound.objects.get()
    assert (review.status, review.meeting.title) == ("closed", "Technical Committee workshop")
    assert sorted(review.reviewers.values_list("username", flat=True)) == ["esther", "olivier"]
    comments = list(ReviewComment.objects.order_by("number"))
    assert [(c.reviewer.username, c.reviewer_label, c.decision) for c in comments] == [
        ("olivier", "Olivier Bénard", "accepted"),
        ("olivier", "Olivier Bénard", "not_accepted"),
    ]
    assert comments[0].resolved_in == version and comments[0].resolved_element_id
    assert comments[1].reason == "Required by the terms of reference."
    assert PendingNotification.objects.count() == 0


def test_only_accepted_invitations_come_back_and_their_links_open_nothing(workspace, admin_user):
    review_history_make(workspace, admin_user)
    hashes = set(ReviewerInvitation.objects.values_list("token_hash", flat=True))
    document = backups.workspace_backup(workspace=workspace, acting_user=admin_user)
    empty_the_database()

    backups.workspace_restore(document=document, acting_user=None)

    invitation = ReviewerInvitation.objects.get()
    assert (invitation.email, invitation.accepted_by.username) == ("expert@ngo.example", "esther")
    assert invitation.round.title == "Technical Committee review"
    assert invitation.token_hash not in hashes


def test_a_person_no_longer_member_is_left_out_but_their_name_is_kept(workspace, admin_user):
    final = review_history_make(workspace, admin_user)
    Membership.objects.filter(workspace=workspace, user__username="olivier").delete()
    document = backups.workspace_backup(workspace=workspace, acting_user=admin_user)
    assert document["sections"]["reviews"]["rounds"][0]["reviewers"] == ["esther", "olivier"]
    empty_the_database()
    # Somebody else with the same username in the target database is not taken for the reviewer.
    stranger = User.objects.create(username="olivier")

    backups.workspace_restore(document=document, acting_user=None)

    assert list(ReviewRound.objects.get().reviewers.values_list("username", flat=True)) == ["esther"]
    assert list(ReviewComment.objects.values_list("reviewer", "reviewer_label")) == [
        (None, "Olivier Bénard"),
        (None, "Olivier Bénard"),
    ]
    assert not ReviewRound.objects.filter(reviewers=stranger).exists()
    assert DeliverableVersion.objects.get(uuid=final.uuid).status == "final"


def damage_comment_round(section):
    section["comments"][1]["round"] = "00000000-0000-0000-0000-000000000000"
    return "comments[1]", "review round 00000000-0000-0000-0000-000000000000 is not in the backup"


def damage_version_status(section):
    section["versions"][1]["status"] = "approved"
    return "versions[1]", "the status 'approved' is not one of"


def damage_snapshot(section):
    section["versions"][0]["elements"][0].pop("id")
    return "versions[0]", "element 1 of the snapshot has no id"


def damage_missing_field(section):
    del section["rounds"][0]["deliverable_version"]
    return "rounds[0]", "the version is missing"


def damage_repeated_number(section):
    section["comments"][1]["number"] = section["comments"][0]["number"]
    return "comments[1]", "cannot be stored"


def damage_uuid(section):
    section["rounds"][0]["uuid"] = "round-one"
    return "rounds[0]", "“round-one” is not a valid UUID."


def damage_row_shape(section):
    section["invitations"][1] = ["expert@ngo.example"]
    return "invitations[1]", "the row is not an object"


@pytest.mark.parametrize(
    "damage",
    [
        damage_comment_round,
        damage_version_status,
        damage_snapshot,
        damage_missing_field,
        damage_repeated_number,
        damage_uuid,
        damage_row_shape,
    ],
)
def test_a_damaged_reviews_section_restores_nothing_and_says_which_row(workspace, admin_user, damage):
    review_history_make(workspace, admin_user)
    document = backups.workspace_backup(workspace=workspace, acting_user=admin_user)
    where, problem = damage(document["sections"]["reviews"])
    empty_the_database()

    with pytest.raises(DomainError) as caught:
        backups.workspace_restore(document=document, acting_user=None)

    assert caught.value.code == ErrorCode.BACKUP_FORMAT
    assert f"({where})" in caught.value.render()
    assert [p.location for p in caught.value.problems] == [where]
    assert problem in caught.value.problems[0].message
    assert not Workspace.objects.exists()
    assert not DeliverableVersion.objects.exists() and not ReviewComment.objects.exists()
