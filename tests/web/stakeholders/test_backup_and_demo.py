"""Backup round trip of the registry, and the fictional demo registry."""

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.stakeholders import demo
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.stakeholders.models import FocalPoint, Organisation, OrganisationRelation, PriorTraining
from ctip.web.workspace_backup import workspace_backup, workspace_restore


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.django_db
def test_backup_round_trip_gives_the_same_registry(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    section = original["sections"]["stakeholders"]
    assert len(section["organisations"]) == len(demo.ORGANISATIONS)
    assert len(section["relations"]) == len(demo.RELATIONS)
    assert "id" not in section["organisations"][0]  # UUIDs only, never database ids
    empty_the_database()
    assert not Organisation.objects.exists() and not FocalPoint.objects.exists()

    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = workspace_backup(workspace=restored, acting_user=None)
    assert again["sections"]["stakeholders"] == section
    unit = Organisation.objects.get(workspace=restored, key="MPF-ATU")
    assert unit.parent.key == "MPF" and unit.focal_points.count() == 1


@pytest.mark.django_db
def test_a_backup_naming_an_unknown_organisation_restores_nothing(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    document = workspace_backup(workspace=workspace, acting_user=admin_user)
    empty_the_database()
    document["sections"]["stakeholders"]["relations"][0]["target"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code is ErrorCode.BACKUP_FORMAT
    assert "relations[0].target" in caught.value.message
    assert not Workspace.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_the_demo_registry_is_fictional_complete_and_idempotent(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    organisations = Organisation.objects.filter(workspace=workspace)
    assert 38 <= organisations.count() <= 45
    assert all(o.figures_fictional for o in organisations if o.staff_total is not None)
    keys = set(organisations.values_list("key", flat=True))
    assert {"PMO", "MPF-ATU", "PIO", "ODPP", "CDU", "MOL-SMWU", "RRA", "IOM", "UNODC", "US-EMB"} <= keys
    assert organisations.get(key="RRA").location == "Rodrigues"
    assert organisations.get(key="MPF-ROD").parent.key == "MPF"
    assert OrganisationRelation.objects.filter(
        source__key="MPF-ATU", target__key="NGO-SHELTER", kind="refers_cases_to"
    ).exists()
    assert FocalPoint.objects.filter(organisation__workspace=workspace).count() == len(demo.FOCAL_POINTS)
    assert PriorTraining.objects.filter(organisation__workspace=workspace).count() == len(
        demo.PRIOR_TRAININGS
    )
    assert "fictional" in (demo.__doc__ or "").lower()
    created = AuditEntry.objects.filter(workspace=workspace, action="organisation.create")
    assert created.count() == organisations.count() and {e.actor for e in created} == {admin_user}

    audit_rows = AuditEntry.objects.count()
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    assert AuditEntry.objects.count() == audit_rows
    assert Organisation.objects.filter(workspace=workspace).count() == organisations.count()
