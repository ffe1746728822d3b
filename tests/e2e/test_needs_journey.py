"""The gap analysis in a real browser: open the dashboard on the demo survey, filter by sex and by
organisation (the panel updates in place), look at it on a phone, then download the TNA report."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from ctip.web.needs import data
from ctip.web.qualitative.demo import demo_qualitative
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from tests.web.factories import PASSWORD, member_make, user_make, workspace_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_workspace(db):
    admin = user_make("ada", first_name="Ada", last_name="Admin")
    workspace = workspace_make("mauritius", admin=admin, name="Mauritius C-TIP programme (demo)")
    demo_stakeholders(workspace=workspace, acting_user=admin)
    instrument = demo_tna(workspace=workspace, acting_user=admin)
    demo_qualitative(workspace=workspace, acting_user=admin)
    member_make(workspace, "analyst", user_make("anjali", first_name="Anjali", last_name="Ramdin"))
    return workspace, instrument


def respondents(page) -> int:
    figure = page.locator(".needs-figures dd").first.inner_text()
    return int(figure.split()[0])


def test_filter_the_gap_analysis_and_download_the_report(
    page, live_server, demo_workspace, screenshot, tmp_path
):
    workspace, instrument = demo_workspace
    needs = data.workspace_needs_data(workspace, instrument)
    women = Counter(needs.attributes["sex"])["female"]
    organisation, in_organisation = Counter(
        name
        for name, sex in zip(needs.attributes["organisation"], needs.attributes["sex"], strict=True)
        if sex == "female"
    ).most_common(1)[0]

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")

    page.goto(f"{live_server.url}/w/mauritius/needs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    expect(page.get_by_role("table", name="Training needs by competency")).to_be_visible()
    everyone = respondents(page)
    assert everyone == len(needs.respondents)
    first_row = page.locator("table.needs-priorities tbody tr").first.inner_text()
    # The interviews' themes beside the first priority, with a quote.
    page.locator("details.needs-evidence summary").first.click()
    expect(page.locator("details.needs-evidence blockquote").first).to_be_visible()
    screenshot(page, "needs-01-dashboard")

    # Filtering swaps the panel in place (htmx): no page load, the address follows.
    page.evaluate("window.__same_page = true")
    page.get_by_label("Sex", exact=True).select_option(label="Women")
    expect(page.locator(".needs-figures dd").first).to_contain_text(str(women))
    assert page.evaluate("window.__same_page") is True
    assert "sex=female" in page.url
    assert page.locator("table.needs-priorities tbody tr").first.inner_text() != first_row

    page.get_by_label("Organisation", exact=True).select_option(organisation)
    expect(page.locator(".needs-figures dd").first).to_contain_text(str(in_organisation))
    expect(page.locator("table.needs-heat tbody tr")).to_have_count(1)
    assert page.evaluate("window.__same_page") is True
    screenshot(page, "needs-02-filtered")

    # Sorting by a column heading, also in place.
    page.get_by_role("link", name="MWDS").click()
    expect(page.get_by_role("columnheader", name="MWDS")).to_have_attribute("aria-sort", "descending")
    assert page.evaluate("window.__same_page") is True

    # On a phone the table stacks and the charts scale down.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/w/mauritius/needs/?sex=female")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the page is {width}px wide on a 360px phone"
    screenshot(page, "needs-03-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="TNA report, annex and deck").first.click()
    page.wait_for_url("**/needs/report/**")
    with page.expect_download() as download_info:
        page.locator("a[href$='report.docx'], a[href*='report.docx?']").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    screenshot(page, "needs-04-report")
