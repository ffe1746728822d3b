"""The logframe services: results and indicators are created, changed and deleted with their audit rows;
bad input is refused with a specific message and leaves the stored data as it was."""

import decimal
from unittest import mock

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.monitoring import services
from ctip.web.monitoring.models import Indicator, IndicatorValue, Logframe, ResultNode
from ctip.web.monitoring.services import ValueInput
from tests.web.monitoring.factories import framework_make, indicator_make, node_make

pytestmark = pytest.mark.django_db


def actions(workspace):
    return list(
        AuditEntry.objects.filter(workspace=workspace).order_by("id").values_list("action", flat=True)
    )


def test_results_sit_one_tier_below_their_parent_and_are_audited(workspace, admin_user):
    goal = services.result_node_create(
        workspace=workspace,
        parent=None,
        code="G",
        statement_en="Victims are protected",
        acting_user=admin_user,
    )
    outcome = services.result_node_create(
        workspace=workspace,
        parent=goal,
        code="1",
        statement_en="Victims are identified",
        pillar="protection",
        acting_user=admin_user,
    )
    assert (goal.tier, outcome.tier, outcome.parent_id) == (1, 2, goal.pk)
    entry = AuditEntry.objects.filter(action="resultnode.create", object_id=outcome.uuid).get()
    assert entry.changes["code"] == [None, "1"] and entry.changes["tier"] == [None, 2]


def test_the_lowest_tier_takes_no_results_under_it(workspace):
    activity = node_make(
        workspace, "1.1.1", node_make(workspace, "1.1", node_make(workspace, "1", node_make(workspace, "G")))
    )
    with pytest.raises(DomainError) as caught:
        node_make(workspace, "1.1.1.1", activity)
    assert caught.value.problems[0].location == "parent"
    assert "lowest tier (Activity)" in caught.value.problems[0].message
    assert not ResultNode.objects.filter(code="1.1.1.1").exists()


def test_tier_names_are_configurable_but_cannot_drop_tiers_in_use(workspace, admin_user):
    node_make(workspace, "1", node_make(workspace, "G"))
    services.logframe_tiers_update(
        workspace=workspace,
        tiers=[("Impact", "Impact"), ("Intermediate result", "Résultat intermédiaire"), ("Output", "")],
        acting_user=admin_user,
    )
    assert [t["en"] for t in services.tier_names(workspace)] == ["Impact", "Intermediate result", "Output"]
    assert actions(workspace)[-1] == "logframe.create"
    with pytest.raises(DomainError) as caught:
        services.logframe_tiers_update(workspace=workspace, tiers=[("Impact", "")], acting_user=admin_user)
    assert "Results use 2 tiers" in caught.value.problems[0].message
    assert len(Logframe.objects.get(workspace=workspace).tiers) == 3


def test_codes_are_unique_ignoring_case_and_the_failed_create_leaves_nothing(workspace):
    goal = node_make(workspace, "G")
    indicator_make(workspace, goal, "OUT1")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        indicator_make(workspace, goal, "out1")
    assert caught.value.problems[0].location == "code"
    assert Indicator.objects.filter(workspace=workspace).count() == 1
    assert AuditEntry.objects.count() == before


def test_indicator_metadata_is_checked_field_by_field(workspace):
    goal = node_make(workspace, "G")
    with pytest.raises(DomainError) as caught:
        indicator_make(
            workspace,
            goal,
            "OC1",
            name_en="",
            unit="percent",
            cumulative_rule="cumulative",
            frequency="weekly",
            disaggregation=["sex", "religion"],
        )
    locations = sorted(problem.location for problem in caught.value.problems)
    assert locations == ["disaggregation", "frequency", "name_en"]
    with pytest.raises(DomainError) as caught:
        indicator_make(workspace, goal, "OC1", unit="percent", cumulative_rule="cumulative", lop_target=140)
    assert sorted(p.location for p in caught.value.problems) == ["cumulative_rule", "lop_target"]
    with pytest.raises(DomainError) as caught:
        indicator_make(workspace, goal, "OC1", baseline_not_applicable=True, baseline_value=3)
    assert caught.value.problems[0].location == "baseline_value"
    assert not Indicator.objects.exists()


def test_indicator_update_audits_field_changes_and_refuses_a_stale_version(workspace, admin_user):
    made = framework_make(workspace)
    trained = made["trained"]
    updated = services.indicator_update(
        indicator=trained,
        acting_user=admin_user,
        expected_version=trained.version,
        lop_target=300,
        responsible_agency="Police",
    )
    assert updated.lop_target == decimal.Decimal("300") and updated.version == trained.version + 1
    entry = AuditEntry.objects.filter(action="indicator.update").latest("id")
    assert entry.changes["responsible_agency"] == ["Police Training School", "Police"]
    with pytest.raises(DomainError) as caught:
        services.indicator_update(
            indicator=trained, acting_user=admin_user, expected_version=trained.version, lop_target=1
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert Indicator.objects.get(pk=trained.pk).lop_target == decimal.Decimal("300")


def test_a_result_with_something_under_it_cannot_be_deleted(workspace, admin_user):
    made = framework_make(workspace)
    with pytest.raises(DomainError, match="delete or move them first"):
        services.result_node_delete(node=made["outcome"], acting_user=admin_user)
    services.indicator_delete(indicator=made["trained"], acting_user=admin_user)
    services.result_node_delete(node=made["output"], acting_user=admin_user)
    assert not ResultNode.objects.filter(code="1.1").exists()
    assert actions(workspace)[-2:] == ["indicator.delete", "resultnode.delete"]


def test_values_are_set_once_per_key_and_changed_in_place(workspace, admin_user):
    trained = framework_make(workspace)["trained"]
    item = ValueInput("actual", "2025-q1", "female", " Rodrigues ", 12, "Attendance sheets")
    value, action = services.indicator_value_set(indicator=trained, item=item, acting_user=admin_user)
    assert (action, value.period, value.location, value.entered_by) == (
        "create",
        "2025-Q1",
        "Rodrigues",
        admin_user,
    )
    _same, action = services.indicator_value_set(indicator=trained, item=item, acting_user=admin_user)
    assert action == "unchanged"
    changed = ValueInput("actual", "Q1 2025", "female", "rodrigues", 14, "Attendance sheets, corrected")
    value, action = services.indicator_value_set(indicator=trained, item=changed, acting_user=admin_user)
    assert action == "update" and value.value == 14
    assert IndicatorValue.objects.filter(indicator=trained).count() == 1
    entry = AuditEntry.objects.filter(action="indicatorvalue.update").get()
    assert entry.changes["value"] == ["12.0000", "14"]


def test_a_bad_value_is_refused_with_each_field_named(workspace, admin_user):
    made = framework_make(workspace)
    bad = ValueInput("actual", "2025-Q7", "other", "", 140, "")
    with pytest.raises(DomainError) as caught:
        services.indicator_value_set(indicator=made["percent"], item=bad, acting_user=admin_user)
    assert sorted(p.location for p in caught.value.problems) == ["period", "sex", "source", "value"]
    assert not IndicatorValue.objects.exists()


def test_viewers_cannot_change_the_framework(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.result_node_create(
            workspace=workspace, parent=None, code="G", statement_en="x", acting_user=viewer
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


def test_a_failing_audit_write_rolls_the_value_back(workspace, admin_user):
    trained = framework_make(workspace)["trained"]
    with (
        mock.patch("ctip.web.accounts.records.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.indicator_value_set(
            indicator=trained, item=ValueInput("target", "2025", "", "", 100, ""), acting_user=admin_user
        )
    assert not IndicatorValue.objects.exists()
