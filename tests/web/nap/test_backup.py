"""Backup round trip of the nap section: plans, elements (parents first), cost lines, indicators,
coordination bodies and lead/support overrides, organisations by UUID; a damaged section restores nothing."""

from __future__ import annotations

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web import workspace_backup as backups
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.nap import backup, selectors
from ctip.web.nap.models import ActionPlan, CoordinationBody, LeadSupportOverride, NapElement
from ctip.web.stakeholders.models import Organisation
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nap_section(monkeypatch):
    """The section as ``NapConfig.ready()`` registers it."""
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


def nap_make(workspace):
    ministry = Organisation.objects.create(
        workspace=workspace, key="MOL", name="Ministry of Labour", type="government"
    )
    police = Organisation.objects.create(
        workspace=workspace, key="NPF", name="Police Force", type="government"
    )
    plan = plan_make(workspace)
    activity = element_make(plan, "activity", lead=ministry, supporting=[police], citations=["tna:C1"])
    element_make(plan, "activity", parent=activity.parent, depends_on=[activity.code], timeline=[[2027, 2]])
    cost_line_make(
        activity, unit_cost="1250.55", quantity="2.5", gender_marker=2, marker_justification="For women"
    )
    indicator_make(activity.parent)
    committee = CoordinationBody.objects.create(
        workspace=workspace, plan=plan, name="Committee", chair=ministry
    )
    committee.members.set([ministry, police])
    CoordinationBody.objects.create(
        workspace=workspace,
        plan=plan,
        name="Prevention working group",
        reports_to=committee,
        pillar=NapElement.objects.get(plan=plan, code="P1"),
    )
    LeadSupportOverride.objects.create(
        workspace=workspace, output=activity.parent, organisation=police, role="lead"
    )
    plan_make(workspace, title="Earlier draft", period_start=2020, period_end=2024, pillars=())
    return plan


def test_the_round_trip_gives_the_same_plan(workspace, admin_user):
    plan = nap_make(workspace)
    core = selectors.nap_core(plan)
    original = backup_loads(
        backup_dumps(backups.workspace_backup(workspace=workspace, acting_user=admin_user))
    )
    section = original["sections"]["nap"]
    assert [
        len(section[key])
        for key in ("plans", "elements", "cost_lines", "indicators", "bodies", "role_overrides")
    ] == [
        2,
        10,
        1,
        1,
        2,
        1,
    ]
    assert section["cost_lines"][0]["unit_cost"] == "1250.55"
    empty_the_database()
    restored = backups.workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = backups.workspace_backup(workspace=restored, acting_user=None)
    assert again["sections"]["nap"] == section
    plan = ActionPlan.objects.get(workspace=restored, title=plan.title)
    assert selectors.nap_core(plan) == core
    group = CoordinationBody.objects.get(name="Prevention working group")
    assert group.reports_to.name == "Committee" and group.pillar.code == "P1"
    assert sorted(CoordinationBody.objects.get(name="Committee").members.values_list("key", flat=True)) == [
        "MOL",
        "NPF",
    ]


def test_a_damaged_nap_section_restores_nothing(workspace, admin_user):
    nap_make(workspace)
    document = backups.workspace_backup(workspace=workspace, acting_user=admin_user)
    document["sections"]["nap"]["cost_lines"][0]["activity"] = "00000000-0000-0000-0000-000000000000"
    empty_the_database()
    with pytest.raises(DomainError) as caught:
        backups.workspace_restore(document=document, acting_user=None)
    assert caught.value.code == ErrorCode.BACKUP_FORMAT
    assert "cost_lines[0]" in caught.value.render()
    assert not Workspace.objects.exists() and not ActionPlan.objects.exists()
