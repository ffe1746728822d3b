"""Inception in a real browser: import the stakeholder registry from a file, look at the mapping, generate
the inception report and check the downloaded Word file."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from ctip.web.stakeholders.demo import demo_registry_csv
from tests.web.factories import PASSWORD, user_make, workspace_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(db):
    user = user_make("anjali", first_name="Anjali", last_name="Ramdin")
    workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    return user


def test_import_stakeholders_see_the_matrix_and_generate_the_inception_report(
    page, live_server, coordinator, screenshot, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/w/mauritius/phase/inception/")
    page.get_by_role("link", name="Stakeholder registry").click()

    # Import: upload, preview, apply.
    page.goto(f"{live_server.url}/w/mauritius/stakeholders/import/")
    upload = tmp_path / "registry.csv"
    upload.write_bytes(demo_registry_csv())
    page.get_by_label("Spreadsheet (.xlsx or .csv)").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Apply the import")).to_be_visible()
    screenshot(page, "inception-01-import-preview")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("link", name="Go to the registry")).to_be_visible()

    # Mapping: the pillar × stage matrix lists organisations; charts are inline SVG.
    page.goto(f"{live_server.url}/w/mauritius/stakeholders/mapping/")
    matrix = page.locator("table").first
    expect(matrix).to_contain_text("Prosecution")
    expect(matrix).to_contain_text("ODPP")
    assert page.locator("svg").count() >= 2
    screenshot(page, "inception-02-mapping")

    # The inception report, downloaded from its page.
    page.goto(f"{live_server.url}/w/mauritius/inception/report/")
    screenshot(page, "inception-03-report-page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the inception report (Word)").click()
    path = tmp_path / "report.docx"
    download_info.value.save_as(path)
    document = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Stakeholder mapping" in headings and "Legal framework" in headings
    assert any("ODPP" in cell.text for table in document.tables for row in table.rows for cell in row.cells)
