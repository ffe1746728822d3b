"""Plan scenarios through the services and the pages: solve (with the greedy baseline in the same call),
lock and edit a session then re-optimise the rest, copy with a lower budget and compare, infeasible
constraints named, bad session input refused with nothing changed, permissions and workspace isolation."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.core.planning.model import Parameters
from ctip.web.accounts.models import AuditEntry
from ctip.web.planning.models import PlanScenario, PlanSession
from ctip.web.planning.scenario_data import comparison_rows, scenario_figures
from ctip.web.planning.services import scenarios as services
from tests.web.factories import workspace_make
from tests.web.planning.plan_setup import MAURITIUS, RODRIGUES, plan_inputs_make

GENEROUS = Parameters(budget_per_year=(20_000.0, 20_000.0, 20_000.0))


@pytest.fixture
def inputs(workspace):
    return plan_inputs_make(workspace)


@pytest.fixture
def scenario(workspace, admin_user, inputs):
    return services.scenario_create(
        workspace=workspace, name="Baseline", parameters=GENEROUS, acting_user=admin_user
    )


def _solve(scenario, user):
    return services.scenario_solve(scenario, acting_user=user, time_limit=10)


def test_the_first_scenario_is_adopted_and_names_are_unique(workspace, admin_user, scenario):
    assert scenario.is_adopted
    with pytest.raises(DomainError) as error:
        services.scenario_create(workspace=workspace, name=" Baseline ", acting_user=admin_user)
    assert error.value.problems[0].location == "name"
    second = services.scenario_create(workspace=workspace, name="Other", acting_user=admin_user)
    assert not second.is_adopted


def test_solving_stores_the_plan_its_sessions_and_the_greedy_baseline(scenario, admin_user):
    outcome = _solve(scenario, admin_user)
    scenario.refresh_from_db()
    assert scenario.status == "optimal"
    assert scenario.result["status"] == "optimal"
    assert scenario.greedy["objective"] == pytest.approx(outcome.greedy.objective)
    assert scenario.result["objective"] >= scenario.greedy["objective"] - 1e-6
    rows = list(scenario.sessions.all())
    assert len(rows) == len(outcome.plan.sessions) > 0
    # Every specialised session comes after a foundational one at the same place (the prerequisite).
    first_foundational = {
        row.location: row.quarter for row in sorted(rows, key=lambda r: -r.quarter) if row.module.code == "F1"
    }
    for row in rows:
        if row.module.code == "S1":
            assert first_foundational[row.location] < row.quarter
    # Seats are whole people within the module's maximum, and only for groups at the session's place.
    for row in rows:
        assert sum(seat["female"] + seat["male"] for seat in row.seats) <= 20
        for seat in row.seats:
            assert seat["segment"] == ("S01" if row.location == MAURITIUS else "S02")
    figures = scenario_figures(scenario)
    assert figures.total_cost <= sum(GENEROUS.budget_per_year) + 1e-6
    assert AuditEntry.objects.filter(action="solve", object_id=str(scenario.uuid)).exists()


def test_a_locked_and_edited_session_survives_re_optimising(scenario, admin_user, inputs):
    _solve(scenario, admin_user)
    row = scenario.sessions.filter(module__code="F1", location=MAURITIUS).order_by("quarter").first()
    edited = services.session_save(
        scenario,
        module=inputs["foundational"],
        location=MAURITIUS,
        quarter=2,
        trainer="international",
        seats=[{"segment": "S01", "female": 6, "male": 4}],
        acting_user=admin_user,
        session=row,
    )
    assert edited.locked
    scenario.refresh_from_db()
    assert scenario.status == "draft"  # the solver's figures are out of date until the next solve
    _solve(scenario, admin_user)
    kept = PlanSession.objects.get(pk=edited.pk)
    assert (kept.quarter, kept.trainer, kept.seats) == (
        2,
        "international",
        [{"segment": "S01", "female": 6, "male": 4}],
    )
    assert scenario.sessions.filter(locked=False).exists()  # the rest was planned around it


def test_a_bad_session_is_refused_with_the_field_named_and_nothing_changes(scenario, admin_user, inputs):
    _solve(scenario, admin_user)
    before = list(scenario.sessions.values_list("pk", "quarter", "seats", "locked").order_by("pk"))
    with pytest.raises(DomainError) as error:
        services.session_save(
            scenario,
            module=inputs["foundational"],
            location=MAURITIUS,
            quarter=13,
            trainer="national",
            seats=[{"segment": "S02", "female": 15, "male": 10}],
            acting_user=admin_user,
        )
    where = {problem.location for problem in error.value.problems}
    assert where == {"quarter", "seats[0].segment", "seats"}
    assert list(scenario.sessions.values_list("pk", "quarter", "seats", "locked").order_by("pk")) == before


def test_an_infeasible_scenario_names_the_conflict_and_keeps_its_sessions(scenario, admin_user):
    _solve(scenario, admin_user)
    kept = list(scenario.sessions.values_list("pk", flat=True).order_by("pk"))
    tight = dataclasses.replace(GENEROUS, budget_per_year=(0.0, 0.0, 0.0), frontline_year1_seats=1)
    services.scenario_update(
        scenario, name="Baseline", description="", parameters=tight, acting_user=admin_user
    )
    outcome = _solve(scenario, admin_user)
    scenario.refresh_from_db()
    assert scenario.status == "infeasible"
    assert "frontline_year1" in {group.value for group in outcome.plan.conflicts}
    assert list(scenario.sessions.values_list("pk", flat=True).order_by("pk")) == kept


def test_a_copy_with_a_lower_budget_compares_side_by_side(scenario, admin_user):
    _solve(scenario, admin_user)
    copy = services.scenario_copy(scenario, name="Budget −20 %", budget_factor=0.8, acting_user=admin_user)
    assert services.scenario_parameters(copy).budget_per_year == (16_000.0, 16_000.0, 16_000.0)
    assert copy.sessions.count() == scenario.sessions.count()
    assert copy.based_on == scenario and copy.status == "draft"
    _solve(copy, admin_user)
    scenario.refresh_from_db()
    copy.refresh_from_db()
    rows = {row.label: row for row in comparison_rows(scenario_figures(scenario), scenario_figures(copy))}
    assert rows["Total budget"].difference == pytest.approx(-12_000.0)
    assert rows["Weighted need covered"].second <= rows["Weighted need covered"].first + 1e-6


def test_adopting_one_scenario_unadopts_the_other(scenario, workspace, admin_user):
    other = services.scenario_create(workspace=workspace, name="Other", acting_user=admin_user)
    services.scenario_adopt(other, acting_user=admin_user)
    assert list(PlanScenario.objects.filter(workspace=workspace, is_adopted=True)) == [other]


# --- Pages -----------------------------------------------------------------------------------------------


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def test_the_pages_solve_lock_edit_and_compare(admin_client, workspace, scenario, inputs):
    page = admin_client.get(_url("plan-scenario", workspace, scenario=scenario.uuid))
    assert page.status_code == 200 and "Not solved yet." in page.content.decode()
    solved = admin_client.post(_url("plan-scenario-solve", workspace, scenario=scenario.uuid), follow=True)
    text = solved.content.decode()
    assert "Solved in" in text and "Weighted need covered" in text and "Gaps it serves" in text
    row = scenario.sessions.order_by("quarter", "id").first()
    admin_client.post(
        _url("plan-session-lock", workspace, scenario=scenario.uuid, session=row.uuid), {"locked": "1"}
    )
    row.refresh_from_db()
    assert row.locked
    form = admin_client.get(_url("plan-session-edit", workspace, scenario=scenario.uuid, session=row.uuid))
    assert form.status_code == 200
    bad = admin_client.post(
        _url("plan-session-edit", workspace, scenario=scenario.uuid, session=row.uuid),
        {
            "module": "F1",
            "location": RODRIGUES,
            "quarter": "3",
            "trainer": "national",
            "seats_S01_female": "3",
            "version": row.version,
        },
    )
    assert bad.status_code == 200 and "works at Mauritius, not at Rodrigues" in bad.content.decode()
    copied = admin_client.post(
        _url("plan-scenario-copy", workspace, scenario=scenario.uuid),
        {"name": "Lean", "budget_change": "-20"},
    )
    lean = PlanScenario.objects.get(workspace=workspace, name="Lean")
    assert copied.status_code == 302
    compare = admin_client.get(_url("plan-compare", workspace), {"a": scenario.uuid, "b": lean.uuid})
    text = compare.content.decode()
    assert compare.status_code == 200 and "Lean" in text and "Difference" in text and "<svg" in text


def test_solving_through_htmx_redirects_the_browser(admin_client, workspace, scenario):
    response = admin_client.post(
        _url("plan-scenario-solve", workspace, scenario=scenario.uuid), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith(f"/plan/scenarios/{scenario.uuid}/#results")
    assert "HX-Refresh" not in response  # posted from elsewhere: the redirect alone changes the page


def test_solving_from_the_scenario_page_through_htmx_reloads_it(admin_client, workspace, scenario):
    """A redirect to the same page with only ``#results`` added would just scroll: htmx must reload."""
    page = "http://testserver" + _url("plan-scenario", workspace, scenario=scenario.uuid)
    response = admin_client.post(
        _url("plan-scenario-solve", workspace, scenario=scenario.uuid),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page,
    )
    assert response["HX-Refresh"] == "true"


def test_a_viewer_sees_the_plan_but_cannot_solve_or_edit(client, workspace, scenario, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(_url("plan-scenario", workspace, scenario=scenario.uuid)).status_code == 200
    assert client.post(_url("plan-scenario-solve", workspace, scenario=scenario.uuid)).status_code == 403
    assert client.post(_url("plan-scenario-adopt", workspace, scenario=scenario.uuid)).status_code == 403


def test_another_workspaces_scenario_is_not_found(client, outsider, scenario, workspace):
    client.force_login(outsider)
    other = workspace_make("seychelles", admin=outsider)
    assert client.get(_url("plan-scenario", other, scenario=scenario.uuid)).status_code == 404
    assert client.get(_url("plan-scenario", workspace, scenario=scenario.uuid)).status_code == 404
