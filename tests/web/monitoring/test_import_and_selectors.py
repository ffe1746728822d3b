"""Importing values (preview, then all or nothing) and the reads: progress, the rows for the plan
documents, and the target-vs-actual workbook."""

import io

import openpyxl
import pytest

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.monitoring import report, selectors, services
from ctip.web.monitoring.models import IndicatorValue
from ctip.web.monitoring.selectors import FrameworkRow, framework_rows
from ctip.web.monitoring.services import ValueInput
from tests.web.monitoring.factories import framework_make, node_make

pytestmark = pytest.mark.django_db

CSV = (
    "indicator,period,sex,location,value,source,note\n"
    "OUT1,2025,female,,40,Attendance sheets,\n"
    "OUT1,2025,male,,50,Attendance sheets,\n"
    "OC1,2025,,,35,Follow-up survey,first measurement\n"
)


def test_preview_says_what_changes_and_apply_writes_every_row(workspace, admin_user):
    made = framework_make(workspace)
    services.indicator_value_set(
        indicator=made["trained"],
        item=ValueInput("actual", "2025", "female", "", 38, "Attendance sheets"),
        acting_user=admin_user,
    )
    preview = services.values_import_preview(
        workspace=workspace, data=CSV.encode(), filename="v.csv", acting_user=admin_user
    )
    assert [(row.row, row.action, row.before) for row in preview.rows] == [
        (2, "update", "38"),
        (3, "create", ""),
        (4, "create", ""),
    ]
    assert IndicatorValue.objects.count() == 1  # nothing written by the preview
    services.values_import_apply(
        workspace=workspace, data=CSV.encode(), filename="v.csv", acting_user=admin_user
    )
    stored = {
        (v.indicator.code, v.sex): float(v.value) for v in IndicatorValue.objects.select_related("indicator")
    }
    assert stored == {("OUT1", "female"): 40, ("OUT1", "male"): 50, ("OC1", ""): 35}
    again = services.values_import_apply(
        workspace=workspace, data=CSV.encode(), filename="v.csv", acting_user=admin_user
    )
    assert not again.has_changes


def test_one_bad_row_imports_nothing(workspace, admin_user):
    framework_make(workspace)
    bad = CSV + "OC1,2026,,,120,Survey,\n"
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.values_import_apply(
            workspace=workspace, data=bad.encode(), filename="v.csv", acting_user=admin_user
        )
    assert [p.location for p in caught.value.problems] == ["row 5, column “value” (E)"]
    assert not IndicatorValue.objects.exists() and AuditEntry.objects.count() == audit_before


def test_framework_rows_follow_the_tree_with_targets_baseline_and_smart(workspace, admin_user):
    made = framework_make(workspace)
    node_make(workspace, "2", made["goal"], statement_en="Cases are prosecuted")
    for period, value in (("2025", 100), ("2026", 150)):
        services.indicator_value_set(
            indicator=made["trained"],
            item=ValueInput("target", period, "", "", value, ""),
            acting_user=admin_user,
        )
    rows = framework_rows(workspace, "en")
    assert [(row.tier_label, row.code, row.indicator_code) for row in rows] == [
        ("Goal", "G", ""),
        ("Outcome", "1", "OC1"),
        ("Output", "1.1", "OUT1"),
        ("Outcome", "2", ""),
    ]
    trained = rows[2]
    assert isinstance(trained, FrameworkRow)
    assert trained.targets_by_year == {2025: 100.0, 2026: 150.0}
    assert trained.life_of_plan_target == 250.0  # cumulative: the sum of the years
    assert trained.baseline_text == "0 (2024)"
    assert (trained.unit, trained.frequency, trained.responsible_agency) == (
        "Number",
        "Quarterly",
        "Police Training School",
    )
    assert trained.smart_summary.split()[:8] == [
        "S",
        "✓",
        "M",
        "✓",
        "A",
        "✓",
        "R",
        "✓",
    ]  # T follows the clock
    assert rows[1].smart_summary.startswith("S ") and "✗" in rows[1].smart_summary  # no target, no baseline
    assert rows[0].smart_summary == "" and rows[0].targets_by_year == {}
    french = framework_rows(workspace, "fr")
    assert french[0].tier_label == "Objectif global"  # the stored French tier name


def test_the_framework_tree_reads_in_a_fixed_number_of_queries(
    workspace, admin_user, django_assert_max_num_queries
):
    made = framework_make(workspace)
    with django_assert_max_num_queries(6) as captured:
        selectors.framework_tree(workspace, "en")
    small = len(captured)
    for code in ("2", "3", "4"):
        node_make(workspace, code, made["goal"])
    for period in ("2025", "2026"):
        services.indicator_value_set(
            indicator=made["percent"],
            item=ValueInput("target", period, "", "", 40, ""),
            acting_user=admin_user,
        )
    with django_assert_max_num_queries(small):
        selectors.framework_tree(workspace, "en")


def test_the_workbook_shows_targets_actuals_and_status_per_year(workspace, admin_user):
    trained = framework_make(workspace)["trained"]
    for item in (
        ValueInput("target", "2025", "", "", 100, ""),
        ValueInput("actual", "2025-Q1", "female", "", 10, "Sheets"),
        ValueInput("actual", "2025-Q1", "male", "", 12, "Sheets"),
        ValueInput("actual", "2025-Q2", "", "", 30, "Sheets"),
    ):
        services.indicator_value_set(indicator=trained, item=item, acting_user=admin_user)
    workbook = openpyxl.load_workbook(io.BytesIO(report.target_actual_xlsx(workspace, language="en")))
    assert workbook.sheetnames[:4] == ["Progress", "By sex and location", "Life of plan", "Values"]
    rows = [[cell.value for cell in row] for row in workbook["Progress"].iter_rows()]
    header = rows[0]
    row_2025 = next(r for r in rows[1:] if r[1] == "OUT1" and r[header.index("Year")] == 2025)
    # Q1 = 10 + 12 = 22, Q2 = 30: 52 of an expected 100 × 2/4 = 50 → on track.
    assert row_2025[header.index("Actual of the year")] == 52
    assert row_2025[header.index("Expected to date")] == 50
    assert row_2025[header.index("Status")] == "On track"
    french = openpyxl.load_workbook(io.BytesIO(report.target_actual_xlsx(workspace, language="fr")))
    assert (
        len(french.sheetnames) == 4 and french[french.sheetnames[0]].max_row == workbook["Progress"].max_row
    )
