"""The National Action Plan in a browser: a coordinator imports an existing draft (the fictional Rwanda
implementation matrix, XLSX with merged cells), checks the preview, imports it, changes the unit cost of an
activity's budget line, sees the budget roll-up change by exactly that amount, and downloads the NAP."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from docx import Document
from playwright.sync_api import expect

from ctip.core.nap.matrix_example import EXAMPLE_AGENCIES, example_matrix_rows
from ctip.formats.nap_matrix_io import write_example_matrix_xlsx
from ctip.web.nap.models import ActionPlan, NapCostLine
from tests.web.factories import PASSWORD, user_make, workspace_make
from tests.web.stakeholders.factories import organisation_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(db, tmp_path):
    user = user_make("coordinator-aline")
    workspace = workspace_make("rwanda", admin=user, name="Rwanda C-TIP programme (demo)", currency="RWF")
    for key, names in EXAMPLE_AGENCIES.items():
        if key != "UMUCYO":  # left out of the registry: the preview suggests it
            organisation_make(workspace, key, name=names[0], acronym=key)
    matrix = tmp_path / "nap-draft-matrix.xlsx"
    matrix.write_bytes(write_example_matrix_xlsx(example_matrix_rows()))
    return {"workspace": workspace, "matrix": matrix}


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("coordinator-aline")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/**")


def rwf(text: str) -> Decimal:
    """An amount in whole francs as the page writes it ("1,234,500 RWF")."""
    return Decimal(re.sub(r"[^\d]", "", text.replace("RWF", "")))


def test_import_a_draft_edit_a_budget_line_see_the_roll_up_and_export(
    page, live_server, coordinator, screenshot
):
    base = live_server.url
    sign_in(page, base)
    page.goto(f"{base}/w/rwanda/nap/import/")
    page.get_by_label("Implementation matrix (.xlsx or .csv)").set_input_files(str(coordinator["matrix"]))
    page.get_by_label("Title of the new plan").fill("National Action Plan 2025–2029 (fictional draft)")
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2029")
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("heading", name="Which column holds what?")).to_be_visible()
    page.get_by_role("button", name="Check the import").click()
    expect(page.get_by_role("heading", name="Check before importing")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Agencies not in the registry")
    screenshot(page, "nap-01-import-preview")
    assert not ActionPlan.objects.exists()  # nothing saved before the last step
    page.get_by_role("button", name="Import into the plan").click()
    expect(page.get_by_role("heading", name="Import done")).to_be_visible()
    plan = ActionPlan.objects.get()

    page.goto(f"{base}/w/rwanda/nap/{plan.uuid}/budget/")
    total = page.locator('[data-figure="total"]').first
    before = rwf(total.inner_text())
    screenshot(page, "nap-02-budget-before")

    line = NapCostLine.objects.filter(activity__plan=plan).order_by("activity__code").first()
    page.goto(f"{base}/w/rwanda/nap/{plan.uuid}/cost-lines/{line.uuid}/")
    new_cost = line.unit_cost + Decimal(1_000_000)
    page.get_by_label("Unit cost").fill(str(new_cost))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    line.refresh_from_db()
    assert line.unit_cost == new_cost

    page.goto(f"{base}/w/rwanda/nap/{plan.uuid}/budget/")
    after = rwf(page.locator('[data-figure="total"]').first.inner_text())
    assert after - before == Decimal(1_000_000) * line.quantity * line.frequency
    screenshot(page, "nap-03-budget-after")

    page.goto(f"{base}/w/rwanda/nap/{plan.uuid}/documents/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan (Word)").click()
    document = Document(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "National Action Plan 2025–2029 (fictional draft)" in text
