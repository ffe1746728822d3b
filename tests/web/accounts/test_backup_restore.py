"""Backup → empty database → restore gives identical content."""

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts import services
from ctip.web.accounts.models import ApiToken, AuditEntry, LoginFailure, Membership, User, Workspace
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.factories import member_make, user_make


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    ApiToken.objects.all().delete()
    LoginFailure.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def busy_workspace(workspace, admin_user):
    trainer = member_make(workspace, "trainer", user_make("priya", first_name="Priya", last_name="Seetohul"))
    member_make(workspace, "reviewer", user_make("olivier", first_name="Olivier", last_name="Bénard"))
    services.membership_change_role(membership=trainer, role="coordinator", acting_user=admin_user)
    services.workspace_update(
        workspace=workspace,
        acting_user=admin_user,
        name="Programme de Maurice",
        languages=("en", "fr", "mfe"),
    )
    return workspace


@pytest.mark.django_db
def test_round_trip_into_an_empty_database_gives_identical_content(busy_workspace, admin_user):
    original = backup_loads(backup_dumps(workspace_backup(workspace=busy_workspace, acting_user=admin_user)))
    original_password = User.objects.get(username="priya").password
    empty_the_database()
    assert not Workspace.objects.exists() and not User.objects.exists()

    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = workspace_backup(workspace=restored, acting_user=None)

    accounts, accounts_again = original["sections"]["accounts"], again["sections"]["accounts"]
    assert accounts_again["workspace"] == accounts["workspace"]
    assert accounts_again["users"] == accounts["users"]
    assert accounts_again["memberships"] == accounts["memberships"]
    # The audit log is kept entry for entry, and the restore itself is recorded at the end.
    assert accounts_again["audit_log"][:-1] == accounts["audit_log"]
    assert accounts_again["audit_log"][-1]["action"] == "workspace.restore"
    assert [e["action"] for e in accounts["audit_log"]] == [
        "workspace.create",
        "membership.add",
        "membership.add",
        "membership.add",
        "membership.change_role",
        "workspace.update",
    ]
    # People can sign in with the same password as before.
    assert User.objects.get(username="priya").password == original_password
    assert Workspace.objects.get().name == "Programme de Maurice"


@pytest.mark.django_db
def test_restoring_over_an_existing_workspace_is_refused_and_changes_nothing(busy_workspace, admin_user):
    document = workspace_backup(workspace=busy_workspace, acting_user=admin_user)
    counts = (Workspace.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code is ErrorCode.RESTORE_TARGET_NOT_EMPTY
    assert (Workspace.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.django_db
def test_a_damaged_backup_changes_nothing(busy_workspace, admin_user):
    document = workspace_backup(workspace=busy_workspace, acting_user=admin_user)
    empty_the_database()
    document["sections"]["accounts"]["memberships"][1]["username"] = "ghost"
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert "memberships[1]" in caught.value.message and "ghost" in caught.value.message
    assert not Workspace.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_backup_with_a_missing_field_names_it(busy_workspace, admin_user):
    document = workspace_backup(workspace=busy_workspace, acting_user=admin_user)
    empty_the_database()
    del document["sections"]["accounts"]["audit_log"][2]["changes"]
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code is ErrorCode.BACKUP_FORMAT
    assert "audit_log[2] lacks changes" in caught.value.message
    assert not Workspace.objects.exists()


@pytest.mark.django_db
def test_only_admins_may_back_up(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        workspace_backup(workspace=workspace, acting_user=viewer)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


@pytest.mark.django_db
def test_backup_holds_nothing_of_other_workspaces(workspace, admin_user, outsider):
    document = workspace_backup(workspace=workspace, acting_user=admin_user)
    text = backup_dumps(document)
    assert "outsider" not in text and "rwanda" not in text
