"""Services change state and write their audit row in the same transaction."""

from unittest import mock

import pytest
from django.db import transaction

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts import services
from ctip.web.accounts.models import AuditEntry, Membership, Workspace
from tests.web.factories import member_make, user_make, workspace_make


@pytest.mark.django_db
def test_workspace_create_records_every_field_and_the_first_admin(admin_user):
    workspace = workspace_make("mauritius", admin=admin_user)
    entries = list(AuditEntry.objects.filter(workspace=workspace).order_by("at", "id"))
    assert [e.action for e in entries] == ["workspace.create", "membership.add"]
    assert entries[0].changes["currency"] == [None, "MUR"]
    assert entries[0].changes["languages"] == [None, ["en", "fr"]]
    assert entries[0].actor_label.startswith("command line")
    assert entries[1].changes == {"role": [None, "admin"], "user": [None, "ada"]}


@pytest.mark.django_db
def test_workspace_update_audits_field_level_before_and_after(workspace, admin_user):
    services.workspace_update(workspace=workspace, acting_user=admin_user, plan_end_year=2029, name="Renamed")
    entry = AuditEntry.objects.filter(workspace=workspace, action="workspace.update").get()
    assert entry.actor == admin_user
    assert entry.changes == {"name": ["Mauritius C-TIP programme", "Renamed"], "plan_end_year": [2027, 2029]}
    workspace.refresh_from_db()
    assert workspace.version == 2


@pytest.mark.django_db
def test_update_without_change_writes_nothing(workspace, admin_user):
    before = AuditEntry.objects.count()
    services.workspace_update(workspace=workspace, acting_user=admin_user, name=workspace.name)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_failing_audit_write_rolls_the_change_back(workspace, admin_user):
    with (
        mock.patch("ctip.web.accounts.services.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.workspace_update(workspace=workspace, acting_user=admin_user, name="Should not stick")
    workspace.refresh_from_db()
    assert workspace.name == "Mauritius C-TIP programme"
    assert workspace.version == 1


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(workspace):
    from ctip.web.accounts.audit import audit_record

    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(acting_user=None, workspace=workspace, action="x", obj=workspace)


@pytest.mark.django_db
def test_stale_version_is_a_conflict_not_an_overwrite(workspace, admin_user):
    services.workspace_update(
        workspace=workspace, acting_user=admin_user, expected_version=1, name="First edit"
    )
    with pytest.raises(DomainError) as caught:
        services.workspace_update(
            workspace=workspace, acting_user=admin_user, expected_version=1, name="Second edit"
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert "version 1" in caught.value.message and "version 2" in caught.value.message
    workspace.refresh_from_db()
    assert workspace.name == "First edit"


@pytest.mark.django_db
def test_invalid_update_changes_nothing(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.workspace_update(
            workspace=workspace, acting_user=admin_user, currency="Rupees", plan_end_year=2020
        )
    assert {p.location for p in caught.value.problems} == {"currency", "plan_end_year"}
    workspace.refresh_from_db()
    assert (workspace.currency, workspace.plan_end_year, workspace.version) == ("MUR", 2027, 1)


@pytest.mark.django_db
def test_duplicate_slug_is_refused(workspace):
    with pytest.raises(DomainError) as caught:
        workspace_make("mauritius")
    assert caught.value.code is ErrorCode.ALREADY_EXISTS
    assert Workspace.objects.filter(slug="mauritius").count() == 1


@pytest.mark.django_db
def test_only_staff_create_workspaces_through_the_app():
    from ctip.core.workspace_profile import WorkspaceProfile

    user = user_make()
    with pytest.raises(DomainError) as caught:
        services.workspace_create(
            profile=WorkspaceProfile(slug="x", name="X", country="MU"), admin=None, acting_user=user
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


@pytest.mark.django_db
def test_members_without_the_permission_cannot_change_things(workspace):
    analyst = member_make(workspace, "analyst").user
    with pytest.raises(DomainError) as caught:
        services.workspace_update(workspace=workspace, acting_user=analyst, name="Hijacked")
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        services.membership_add(workspace=workspace, user=user_make(), role="admin", acting_user=analyst)


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted_or_removed(workspace, admin_user):
    membership = Membership.objects.get(workspace=workspace, user=admin_user)
    with pytest.raises(DomainError) as demote:
        services.membership_change_role(membership=membership, role="viewer", acting_user=admin_user)
    assert demote.value.code is ErrorCode.LAST_ADMIN
    with pytest.raises(DomainError):
        services.membership_remove(membership=membership, acting_user=admin_user)
    membership.refresh_from_db()
    assert membership.role == "admin"


@pytest.mark.django_db
def test_role_change_and_removal_are_audited(workspace, admin_user):
    membership = member_make(workspace, "trainer")
    services.membership_change_role(membership=membership, role="coordinator", acting_user=admin_user)
    services.membership_remove(membership=membership, acting_user=admin_user)
    change, removal = AuditEntry.objects.filter(
        workspace=workspace, action__in=["membership.change_role", "membership.remove"]
    ).order_by("at", "id")
    assert change.changes == {"role": ["trainer", "coordinator"]}
    assert removal.changes == {"role": ["coordinator", None], "user": [membership.user.username, None]}
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_adding_an_existing_member_twice_is_a_clear_error(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.membership_add(workspace=workspace, user=admin_user, role="viewer", acting_user=admin_user)
    assert "already a member" in caught.value.message


@pytest.mark.django_db
def test_unknown_role_is_refused(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.membership_add(workspace=workspace, user=user_make(), role="boss", acting_user=admin_user)
    assert "choose one of admin, coordinator" in caught.value.message


@pytest.mark.django_db
def test_user_create_validates_everything_at_once():
    user_make("taken")
    with pytest.raises(DomainError) as caught:
        services.user_create(username="Taken", email="not-an-email", password="123", acting_user=None)
    assert {p.location for p in caught.value.problems} == {"username", "email", "password"}


@pytest.mark.django_db
def test_api_token_secret_is_not_stored(admin_user):
    token, secret = services.api_token_create(user=admin_user, name="Kobo sync", acting_user=admin_user)
    assert secret.startswith("ctip_")
    assert secret not in token.key_hash
    assert token.key_hash == services.api_token_hash(secret)
    services.api_token_revoke(token=token, acting_user=admin_user)
    token.refresh_from_db()
    assert not token.is_active


@pytest.mark.django_db(transaction=True)
def test_services_are_atomic_on_their_own():
    """Outside any test transaction, a failure half-way leaves nothing behind."""
    admin = user_make("solo")
    with (
        mock.patch("ctip.web.accounts.services._membership_insert", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        workspace_make("halfway", admin=admin)
    assert not Workspace.objects.filter(slug="halfway").exists()
    assert not AuditEntry.objects.filter(action="workspace.create").exists()
    assert transaction.get_autocommit()
