"""Backup round trip of the M&E framework, and the fictional demo framework."""

import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.monitoring import selectors, services
from ctip.web.monitoring.demo import seed_monitoring
from ctip.web.monitoring.models import Indicator, IndicatorValue, ResultNode
from ctip.web.monitoring.services import ValueInput
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.monitoring.factories import framework_make

pytestmark = pytest.mark.django_db


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


def test_backup_round_trip_gives_the_same_framework(workspace, admin_user):
    made = framework_make(workspace)
    services.logframe_tiers_update(
        workspace=workspace,
        tiers=[("Impact", "Impact"), ("Outcome", "Effet"), ("Output", "Produit")],
        acting_user=admin_user,
    )
    services.indicator_value_set(
        indicator=made["trained"],
        item=ValueInput("actual", "2025-Q3", "female", "Rodrigues", 7.5, "Sheets", "late"),
        acting_user=admin_user,
    )
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    section = original["sections"]["monitoring"]
    assert len(section["results"]) == 3 and len(section["indicators"]) == 2 and len(section["values"]) == 1
    assert "id" not in section["indicators"][0]
    empty_the_database()
    assert not ResultNode.objects.exists()
    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = workspace_backup(workspace=restored, acting_user=None)
    assert again["sections"]["monitoring"] == section
    value = IndicatorValue.objects.get()
    assert (value.entered_by.username, value.location, value.note) == ("ada", "Rodrigues", "late")
    assert ResultNode.objects.get(code="1.1").parent.code == "1"


def test_a_damaged_monitoring_section_restores_nothing(workspace, admin_user):
    framework_make(workspace)
    document = workspace_backup(workspace=workspace, acting_user=admin_user)
    del document["sections"]["monitoring"]["indicators"][0]["result"]
    empty_the_database()
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code is ErrorCode.BACKUP_FORMAT and "indicators[0]" in caught.value.message
    assert not Workspace.objects.exists() and not ResultNode.objects.exists()


def test_the_demo_framework_has_ten_indicators_with_tna_baselines_and_results_figures(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    demo_tna(workspace=workspace, acting_user=admin_user)
    seed_monitoring(workspace, admin_user)
    assert Indicator.objects.filter(workspace=workspace).count() == 10
    for code in ("OC1.1", "OUT2.1a"):
        indicator = Indicator.objects.get(workspace=workspace, code=code)
        assert indicator.baseline_detail["source"] == "tna" and 0 <= indicator.baseline_value <= 100
        assert indicator.baseline_detail["n"] >= 20
    trained = Indicator.objects.get(workspace=workspace, code="OUT1.1a")
    assert (
        IndicatorValue.objects.filter(indicator=trained, kind="target").count() == 6
    )  # no adopted plan: draft
    statuses = {
        item.indicator.code: item.progress.status.value
        for node in selectors.framework_tree(workspace, "en")
        for item in node.indicators
    }
    assert statuses["OC2.2"] == "on_track"  # 3 prosecutions against a target of 3 in 2025
    assert statuses["OC2.1"] == "on_track"  # non-cumulative, 2026 H1: 3 + 2 = 5 against 10 × 2/4 = 5
    # Cumulative, 2026 H1: 19 (2025) + 5 + 4 = 28 against 20 + 25 × 2/4 = 32.5; 28 < 90 % of it (29.25).
    assert statuses["OC1.2"] == "off_track"
    count = AuditEntry.objects.count()
    seed_monitoring(workspace, admin_user)  # idempotent
    assert AuditEntry.objects.count() == count
