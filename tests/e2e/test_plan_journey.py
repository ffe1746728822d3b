"""The capacity plan in a real browser: an analyst creates a scenario, solves it (the progress line shows
while the optimizer runs), edits one session by hand (it is locked), re-optimises around it, copies the
scenario with a budget 20 % lower, solves the copy, compares the two (table and chart), downloads the plan
as a Word file, and looks at the scenario and the comparison on a phone. Then a scenario short of money
shows which needs stay unmet and why, and one that cannot be solved names the conflicting constraints.

The solve request is held back in the browser (Playwright routing) until the progress line has been seen,
so the check does not depend on how fast the optimizer is."""

import dataclasses
import io

import pytest
from docx import Document
from playwright.sync_api import expect

from ctip.core.planning.model import Parameters
from ctip.web.planning.models import PlanScenario, PlanSession
from ctip.web.planning.services import scenarios as services
from tests.web.factories import PASSWORD, member_make, user_make, workspace_make
from tests.web.planning.plan_setup import MAURITIUS, plan_inputs_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_workspace(db):
    admin = user_make("ada", first_name="Ada", last_name="Admin")
    workspace = workspace_make("mauritius", admin=admin, name="Mauritius C-TIP programme")
    plan_inputs_make(workspace)
    member_make(workspace, "analyst", user_make("anjali", first_name="Anjali", last_name="Ramdin"))
    return workspace


def solve_showing_progress(page, button_name: str) -> list:
    """Click the solve button while the server's answer is held back, check the progress line shows and
    the button is disabled meanwhile, then let the answer through."""
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/solve/", hold)
    progress = page.locator("#plan-solving")
    expect(progress).to_be_hidden()
    page.get_by_role("button", name=button_name).click()
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Solving…")
    expect(page.get_by_role("button", name=button_name)).to_be_disabled()
    return held


def release(page, held, message: str = "Solved in") -> None:
    # The progress line shows on click, a moment before the browser hands the request to the route: wait
    # for it (up to 10 s) instead of racing it.
    for _attempt in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1, "the solve was posted once"
    held[0].continue_()
    page.unroute("**/solve/")
    expect(page.locator(".messages")).to_contain_text(message)
    expect(page.locator(".plan-figures")).to_be_visible()


def row_of(table, label: str):
    return table.locator("tbody tr").filter(has=table.page.get_by_role("rowheader", name=label, exact=True))


def figure_locator(page, label: str):
    return page.locator(".plan-figures > div", has_text=label).locator("dd")


def figure(page, label: str) -> str:
    return figure_locator(page, label).inner_text()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")


def test_solve_edit_reoptimise_copy_compare_and_download_the_plan(
    page, live_server, plan_workspace, screenshot, tmp_path
):
    workspace = plan_workspace
    sign_in(page, live_server, "anjali")

    # Create a scenario from the list page, with the default constraints.
    page.goto(f"{live_server.url}/w/mauritius/plan/scenarios/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan scenarios")
    expect(page.get_by_text("No scenario yet.")).to_be_visible()
    page.get_by_text("New scenario").click()
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value("Baseline plan")
    screenshot(page, "plan-01-new-scenario")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/plan/scenarios/*-*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Baseline plan adopted plan")
    expect(page.get_by_text("Not solved yet.")).to_be_visible()
    baseline = PlanScenario.objects.get(workspace=workspace, name="Baseline plan")

    # Solve: the progress line shows while the request runs, then the page shows the result.
    held = solve_showing_progress(page, "Solve")
    screenshot(page, "plan-02-solving")
    release(page, held)
    assert page.url.endswith("#results")
    expect(page.locator("#plan-solving")).to_be_hidden()
    assert figure(page, "Status of the last solve") == "Optimal"
    sessions = PlanSession.objects.filter(scenario=baseline).count()
    assert sessions > 0
    assert figure(page, "Sessions").startswith(str(sessions))
    expect(page.locator("table.plan-schedule td.plan-busy").first).to_be_visible()
    screenshot(page, "plan-03-solved")

    # Edit a session by hand: another quarter and other seats; the session is then locked.
    row = (
        PlanSession.objects.filter(scenario=baseline, module__code="F1", location=MAURITIUS)
        .order_by("quarter", "id")
        .first()
    )
    quarter = 3 if row.quarter == 2 else 2
    page.locator(f"#session-{row.uuid}").get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit session")
    page.get_by_label("Quarter").select_option(str(quarter))
    page.locator("#id_seats_S01_female").fill("6")
    page.locator("#id_seats_S01_male").fill("4")
    screenshot(page, "plan-04-session-form")
    page.get_by_role("button", name="Save and lock").click()
    page.wait_for_url("**#sessions")
    expect(page.locator(".messages")).to_contain_text("Session saved and locked")
    edited = page.locator(f"#session-{row.uuid}")
    expect(edited.locator(".badge", has_text="locked")).to_be_visible()
    expect(edited.locator("td").first).to_contain_text(f"Q{quarter}")
    expect(edited.locator("td[data-label='Women']")).to_have_text("6")
    expect(edited.locator("td[data-label='Men']")).to_have_text("4")
    expect(page.locator("#results .notice")).to_contain_text("changed since the last solve")
    screenshot(page, "plan-05-session-locked")

    # Re-optimise: the edited session is kept as it is, the rest is planned around it.
    held = solve_showing_progress(page, "Re-optimise")
    release(page, held)
    edited = page.locator(f"#session-{row.uuid}")
    expect(edited.locator(".badge", has_text="locked")).to_be_visible()
    expect(edited.locator("td").first).to_contain_text(f"Q{quarter}")
    expect(edited.locator("td[data-label='Women']")).to_have_text("6")
    expect(edited.locator("td[data-label='Men']")).to_have_text("4")
    expect(page.locator("#results .notice")).to_have_count(0)
    kept = PlanSession.objects.get(pk=row.pk)
    assert (kept.quarter, kept.locked, kept.seats) == (
        quarter,
        True,
        [{"segment": "S01", "female": 6, "male": 4}],
    )
    assert PlanSession.objects.filter(scenario=baseline, locked=False).exists()
    screenshot(page, "plan-06-reoptimised")

    # Copy the scenario with a budget 20 % lower, then solve the copy.
    page.get_by_text("Copy as a new scenario…").click()
    expect(page.get_by_label("Name of the copy")).to_have_value("Baseline plan, budget −20 %")
    page.get_by_label("Change of the budget (%)").fill("-20")
    screenshot(page, "plan-07-copy-form")
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Baseline plan, budget −20 %")
    expect(page.locator(".messages")).to_contain_text("Scenario copied")
    copy = PlanScenario.objects.get(workspace=workspace, name="Baseline plan, budget −20 %")
    assert copy.based_on_id == baseline.pk
    budget = services.scenario_parameters(baseline).budget_per_year
    assert services.scenario_parameters(copy).budget_per_year == pytest.approx(
        tuple(value * 0.8 for value in budget)
    )
    release(page, solve_showing_progress(page, "Re-optimise" if copy.solved_at else "Solve"))
    assert figure(page, "Status of the last solve") == "Optimal"
    screenshot(page, "plan-08-copy-solved")

    # Compare the two on the compare page: a table and a chart.
    page.get_by_role("link", name="All scenarios").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    screenshot(page, "plan-09-list")
    page.get_by_label("Scenario", exact=True).select_option(label="Baseline plan")
    page.get_by_label("Compared with").select_option(label="Baseline plan, budget −20 %")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/scenarios/compare/?*")
    table = page.locator("table.plan-compare")
    expect(table).to_be_visible()
    total_budget = row_of(table, "Total budget")
    expect(total_budget.locator("td").nth(2)).to_have_text(f"−{round(sum(budget) * 0.2):,}")
    expect(page.locator("figure.plan-chart svg")).to_be_visible()
    # The budgets (150,000 a year) dwarf these costs: the chart leaves them to the table and says so.
    expect(page.locator("figure.plan-chart figcaption")).to_contain_text("The budgets, far above these costs")
    expect(total_budget.locator("td").nth(0)).to_have_text(f"{round(sum(budget)):,}")
    # Counts differ by whole sessions; a difference too small to show is "±0", never "−0.0 %".
    change = (
        PlanSession.objects.filter(scenario=copy).count()
        - PlanSession.objects.filter(scenario=baseline).count()
    )
    shown = "±0" if change == 0 else f"{'+' if change > 0 else '−'}{abs(change)}"
    expect(row_of(table, "Sessions").locator("td").nth(2)).to_have_text(shown)
    expect(row_of(table, "Optimality gap").locator("td").nth(2)).not_to_have_text("−0.0 %")
    screenshot(page, "plan-10-compare")

    # The plan as a Word file, from the baseline's documents page.
    page.get_by_role("link", name="Baseline plan", exact=True).click()
    page.get_by_role("link", name="Plan documents (Word, Excel, PowerPoint)").click()
    page.wait_for_url("**/documents/")
    screenshot(page, "plan-11-documents")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan (Word)").click()
    download = download_info.value
    assert download.suggested_filename == "capacity-plan-mauritius-en.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([*(paragraph.text for paragraph in document.paragraphs), *cells])
    assert "Baseline plan" in text
    assert "Trafficking in persons: the basics" in text and "Screening presumed victims" in text

    # On a phone the scenario page does not scroll sideways.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/w/mauritius/plan/scenarios/{baseline.uuid}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the page is {width}px wide on a 360px phone"
    screenshot(page, "plan-12-phone")
    page.goto(f"{live_server.url}/w/mauritius/plan/scenarios/compare/?a={baseline.uuid}&b={copy.uuid}")
    expect(page.locator("figure.plan-chart svg")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the comparison is {width}px wide on a 360px phone"
    screenshot(page, "plan-12-phone-compare")


def test_a_short_budget_leaves_needs_unmet_and_an_impossible_one_names_the_conflict(
    page, live_server, plan_workspace, screenshot
):
    # 2,500 a year buys all but one session; 1,500 cannot pay for one session at Rodrigues (1,500 a
    # session plus 60 a participant), whose staff must get at least 5 % of their need covered. No
    # foundational floor for frontline groups in year 1, so that the location floor is the only conflict.
    tight = dataclasses.replace(Parameters(), budget_per_year=(2_500.0,) * 3, frontline_year1_seats=0)
    ada = plan_workspace.memberships.get(role="admin").user
    scenario = services.scenario_create(
        workspace=plan_workspace, name="Lean", parameters=tight, acting_user=ada
    )
    services.scenario_solve(scenario, acting_user=ada, time_limit=10)
    sign_in(page, live_server, "anjali")

    page.goto(f"{live_server.url}/w/mauritius/plan/scenarios/{scenario.uuid}/")
    unmet = page.locator("#unmet")
    expect(unmet.get_by_role("heading", level=2)).to_have_text("Needs left unmet, and why")
    expect(unmet.locator(".plan-reasons li").first).to_contain_text("budget")
    expect(unmet.locator("tbody tr").first.locator("td[data-label='Why not more']")).to_have_text("budget")
    screenshot(page, "plan-13-unmet")

    for year in (1, 2, 3):
        page.get_by_label(f"Budget of year {year}").fill("1500")
    page.get_by_role("button", name="Save parameters").click()
    expect(page.locator(".messages")).to_contain_text("Parameters saved")
    release(page, solve_showing_progress(page, "Re-optimise"), message="No plan keeps every constraint")
    conflicts = page.locator("#results .errors")
    expect(conflicts).to_contain_text("minimum share of need covered in each location")
    expect(figure_locator(page, "Status of the last solve")).to_have_text("Infeasible")
    expect(figure_locator(page, "Weighted need covered")).to_have_text("—")
    expect(conflicts).to_contain_text("The sessions below are kept as they were")
    screenshot(page, "plan-14-infeasible")
