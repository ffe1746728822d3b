"""Survey data in a real browser: map the columns of a Google Forms file and import it; upload a Kobo export
with one bad row, see why it is rejected, import the valid rows, download the rejected row, fix it and
import it — then nothing else changes."""

import csv
import io

import pytest
from playwright.sync_api import expect

from ctip.web.tna.models import SurveyRating, SurveySubmission
from tests.web.factories import PASSWORD, user_make, workspace_make
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, plain_csv, registry_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst_workspace(db):
    user = user_make("anjali", first_name="Anjali", last_name="Ramdin")
    workspace = workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    registry_make(workspace)
    instrument_make(workspace, title="Survey of frontline officers")
    return workspace


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/w/mauritius/tna/imports/")
    page.get_by_label("Survey data (.csv, .xlsx, or the .zip of ODK Central)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_import_fix_a_rejected_row_and_import_it(page, live_server, analyst_workspace, screenshot, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")

    rows = [kobo_row(1), kobo_row(2), kobo_row(3, ratings={"FD01": ("9", "3")})]  # 9 is off the 1–5 scale
    export = tmp_path / "kobo-export.csv"
    export.write_bytes(kobo_csv(rows))
    upload(page, live_server, export)
    screenshot(page, "tna-01-preview-with-rejection")
    expect(page.get_by_role("button", name="Import the valid rows only")).to_be_visible()
    expect(page.locator("main")).to_contain_text("imp_FD01")
    screenshot(page, "tna-01-preview-with-rejection")

    page.get_by_role("button", name="Import the valid rows only").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the rejected rows (.csv)").click()
    rejected = tmp_path / "rejected.csv"
    download_info.value.save_as(rejected)
    screenshot(page, "tna-02-result")
    assert SurveySubmission.objects.count() == 2

    table = list(csv.DictReader(io.StringIO(rejected.read_bytes().decode("utf-8-sig"))))
    assert len(table) == 1 and table[0]["problem"]
    fixed_row = {key: value for key, value in table[0].items() if key != "problem"}
    fixed_row["ratings_protection/imp_FD01"] = "4"
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(kobo_csv([fixed_row]))
    upload(page, live_server, fixed)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("main")).to_contain_text("1")
    assert SurveySubmission.objects.count() == 3


def test_map_the_columns_of_a_google_forms_file_and_import_it(
    page, live_server, analyst_workspace, screenshot, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")

    export = tmp_path / "google-forms.csv"
    export.write_bytes(
        plain_csv(
            ["Timestamp", "Your gender", "Agency", "Defining TIP (how important)", "Defining TIP (my level)"],
            [["2026/03/04 10:15:00", "F", "SHS", "5", "2"], ["2026/03/04 11:00:00", "M", "ATU", "4", "4"]],
        )
    )
    upload(page, live_server, export)
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    page.locator("#id_field_sex").select_option("Your gender")
    page.locator("#id_field_organisation").select_option("Agency")
    page.locator("#id_field_imp_FD01").select_option("Defining TIP (how important)")
    page.locator("#id_field_comp_FD01").select_option("Defining TIP (my level)")
    page.get_by_label("Save this mapping as").fill("Google form, March")
    screenshot(page, "tna-03-mapping")
    page.get_by_role("button", name="Continue to the preview").click()
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_visible()
    screenshot(page, "tna-04-mapped-preview")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("main")).to_contain_text("2")
    rows = SurveySubmission.objects.filter(source="mapped_file")
    assert rows.count() == 2 and sorted(rows.values_list("sex", flat=True)) == ["female", "male"]
    assert {(r.code, r.importance, r.competence) for r in SurveyRating.objects.all()} == {
        ("FD01", 5, 2),
        ("FD01", 4, 4),
    }
