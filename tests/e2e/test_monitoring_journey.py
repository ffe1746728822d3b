"""The M&E framework in a real browser: the demo framework, an indicator's SMART verdict, entering an
actual and seeing the status, and importing actuals from a file (preview, then apply)."""

import pytest
from playwright.sync_api import expect

from ctip.web.monitoring.demo import seed_monitoring
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from tests.web.factories import PASSWORD, user_make, workspace_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(db):
    user = user_make("anjali", first_name="Anjali", last_name="Ramdin")
    workspace = workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    demo_stakeholders(workspace=workspace, acting_user=user)
    demo_tna(workspace=workspace, acting_user=user)
    seed_monitoring(workspace, user)
    return user


def test_framework_indicator_values_and_import(page, live_server, coordinator, screenshot, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/w/mauritius/monitoring/")
    expect(page.get_by_role("heading", name="M&E framework")).to_be_visible()
    screenshot(page, "monitoring-01-framework")

    page.get_by_role(
        "link", name="Number of presumed victims of trafficking identified by the authorities"
    ).click()
    expect(page.get_by_text("Off track").first).to_be_visible()
    screenshot(page, "monitoring-02-indicator-values")

    page.get_by_label("Period").fill("2026-Q3")
    page.get_by_label("Value").fill("12")
    page.get_by_label("Source").fill("Quarterly return Q3 (fictional)")
    page.get_by_role("button", name="Save the value").click()
    expect(page.get_by_text("Value added.")).to_be_visible()

    page.get_by_role("link", name="Edit the indicator").click()
    expect(page.get_by_role("heading", name="SMART check")).to_be_visible()
    screenshot(page, "monitoring-03-indicator-form-smart")

    upload = tmp_path / "actuals.csv"
    upload.write_text(
        "indicator,period,value,source\nOC2.2,2026,2,DPP annual report (fictional)\n", encoding="utf-8"
    )
    page.goto(f"{live_server.url}/w/mauritius/monitoring/import/")
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Apply the import")).to_be_visible()
    screenshot(page, "monitoring-04-import-preview")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_text("Values imported: 1 added, 0 changed.")).to_be_visible()
