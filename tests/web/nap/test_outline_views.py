"""The plan pages: creating a plan, the outline editor (tree, counts, costs, flags, moving, renaming,
adding, deleting with confirmation, a constant number of queries), the element page with the activity
fields and cost lines, and the indicator page with its SMART verdict. Errors are named per field, a stale
form shows the conflict and nothing is saved on error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctip.web.nap import services
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.stakeholders.models import Organisation
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make

pytestmark = pytest.mark.django_db


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def _page(response):
    return response.content.decode()


def _form_data(form, **changes):
    """What the browser sends for ``form`` as shown, with ``changes``."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _grow(plan, activities):
    """Under one output of P1: ``activities`` activities, each with a cost line, made in bulk (the
    factories make the ancestors and one activity through the services)."""
    first = element_make(plan, "activity", code="A1.1.1.1.1.1")
    output = first.parent
    cost_line_make(first, code="C1")
    indicator_make(output)
    made = NapElement.objects.bulk_create(
        NapElement(
            workspace=plan.workspace,
            plan=plan,
            parent=output,
            level="activity",
            code=f"A{number}",
            title=f"Activity {number}",
            position=number,
            lead_name="Police",
            timeline=[[plan.period_start, 2]],
        )
        for number in range(2, activities + 1)
    )
    NapCostLine.objects.bulk_create(
        NapCostLine(
            workspace=plan.workspace,
            activity=activity,
            code="C1",
            description="Workshop",
            unit_cost=Decimal("100"),
            quantity=Decimal("2"),
            currency=plan.currency,
        )
        for activity in made
    )
    return output


# --- The plan list and the plan form ---------------------------------------------------------------------


def test_a_new_plan_gets_the_workspace_currency_the_preset_principles_and_the_four_pillars(
    admin_client, workspace
):
    assert _page(admin_client.get(_url("nap-home", workspace))).count("Create a plan") >= 1
    page = admin_client.get(_url("nap-plan-new", workspace))
    form = page.context["form"]
    assert form.initial["currency"] == workspace.currency
    assert (
        len(form.initial["principles"]) == 4
    )  # victim-centred, human-rights-based, child-, gender-sensitive

    data = _form_data(form, title="NAP 2026–2030", period_start="2026", period_end="2030")
    data["other_principles"] = "Do no harm"
    response = admin_client.post(_url("nap-plan-new", workspace), data)

    plan = ActionPlan.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert response["Location"] == _url("nap-outline", workspace, plan=plan.uuid)
    assert plan.currency == workspace.currency
    assert plan.principles == [
        "Victim-centred",
        "Human-rights-based",
        "Child-sensitive",
        "Gender-sensitive",
        "Do no harm",
    ]
    codes = list(NapElement.objects.filter(plan=plan).values_list("code", flat=True))
    assert codes == ["P1", "P2", "P3", "P4"]
    outline = _page(admin_client.get(response["Location"]))
    for name in ("Prevention", "Protection", "Prosecution", "Partnership"):
        assert name in outline


def test_a_plan_whose_last_year_is_before_its_first_is_refused_on_that_field(admin_client, workspace):
    form = admin_client.get(_url("nap-plan-new", workspace)).context["form"]
    data = _form_data(form, title="NAP", period_start="2030", period_end="2026")

    response = admin_client.post(_url("nap-plan-new", workspace), data)

    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert "before the first year" in _page(response)
    assert not ActionPlan.objects.filter(workspace=workspace).exists()


def test_the_list_shows_every_plan_and_a_single_plan_opens_its_outline(admin_client, workspace):
    plan = plan_make(workspace)
    assert admin_client.get(_url("nap-home", workspace))["Location"] == _url(
        "nap-outline", workspace, plan=plan.uuid
    )
    plan_make(workspace, title="Earlier draft", period_start=2020, period_end=2024)
    page = _page(admin_client.get(_url("nap-home", workspace)))
    assert "Earlier draft" in page and "National Action Plan against Trafficking in Persons" in page


# --- The outline ----------------------------------------------------------------------------------------


def test_the_outline_shows_codes_levels_counts_costs_lead_and_flags(admin_client, workspace):
    plan = plan_make(workspace)
    output = _grow(plan, 3)

    response = admin_client.get(_url("nap-outline", workspace, plan=plan.uuid))

    assert response.status_code == 200
    page = _page(response)
    assert f'id="el-{output.uuid}"' in page
    assert "Strategic objective" in page and "Activity" in page
    assert "3 below" in page  # the output's three activities
    assert "1 indicator" in page
    # 500.00 for the factory line (10 × 50) + 2 × 200.00 for the bulk ones, rolled up to the pillar
    assert "900.00 USD" in page
    assert "Lead: Ministry of Labour" in page and "Lead: Police" in page
    roots = response.context["roots"]
    assert [node.element.code for node in roots] == ["P1", "P2", "P3", "P4"]
    assert response.context["summary"]["flags"] > 0  # e.g. pillars P2–P4 without objectives
    assert "flags" in page
    # The tree is written flat (one loop, no include per element): every element is nested in its parent.
    nested = _nesting(page)
    elements = NapElement.objects.filter(plan=plan).select_related("parent")
    assert {element.code: nested[f"el-{element.uuid}"] for element in elements} == {
        element.code: (f"el-{element.parent.uuid}" if element.parent else "") for element in elements
    }


def _nesting(page: str) -> dict[str, str]:
    """Each <details id="el-…"> of the page → the id of the <details> it sits in ("" at the top)."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.parents: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            if tag == "details":
                ident = dict(attrs).get("id") or ""
                self.parents[ident] = next((item for item in reversed(self.stack) if item), "")
                self.stack.append(ident)

        def handle_endtag(self, tag):
            if tag == "details":
                self.stack.pop()

    parser = Parser()
    parser.feed(page)
    assert not parser.stack, "every <details> is closed"
    return {key: value for key, value in parser.parents.items() if key.startswith("el-")}


def test_the_outline_reads_the_plan_in_the_same_number_of_queries_for_10_and_200_activities(
    admin_client, workspace, django_assert_num_queries
):
    small = plan_make(workspace, title="Small")
    _grow(small, 10)
    large = plan_make(workspace, title="Large", period_start=2026, period_end=2030)
    _grow(large, 200)
    admin_client.get(_url("nap-outline", workspace, plan=small.uuid))  # warm the session

    # Without the flags in the cache (the worst case): the same count whatever the size.
    cache.clear()
    with CaptureQueriesContext(connection) as small_queries:
        response = admin_client.get(_url("nap-outline", workspace, plan=small.uuid))
    assert response.status_code == 200
    cache.clear()
    with django_assert_num_queries(len(small_queries)):
        response = admin_client.get(_url("nap-outline", workspace, plan=large.uuid))
    assert _page(response).count('class="nap-node nap-activity"') == 200


def test_the_flags_are_recomputed_when_the_plan_changes(admin_client, workspace):
    plan = plan_make(workspace)
    output = _grow(plan, 2)
    url = _url("nap-outline", workspace, plan=plan.uuid)
    before = admin_client.get(url).context["summary"]["flags"]
    assert admin_client.get(url).context["summary"]["flags"] == before  # from the cache
    activity = NapElement.objects.filter(parent=output, level="activity", timeline__isnull=False).last()
    services.element_update(element=activity, values={"timeline": []}, acting_user=None)
    assert admin_client.get(url).context["summary"]["flags"] > before  # no timeline: a new flag


def test_moving_an_element_down_and_up_changes_the_order_of_its_siblings(admin_client, workspace):
    plan = plan_make(workspace)
    p1 = NapElement.objects.get(plan=plan, code="P1")
    url = _url("nap-element-move", workspace, plan=plan.uuid, element=p1.uuid)

    response = admin_client.post(url, {"offset": "1"})

    assert response.status_code == 302 and response["Location"].endswith(f"#el-{p1.uuid}")

    def order():
        return list(
            NapElement.objects.filter(plan=plan, parent=None)
            .order_by("position")
            .values_list("code", flat=True)
        )

    assert order() == ["P2", "P1", "P3", "P4"]
    admin_client.post(url, {"offset": "-1"})
    assert order() == ["P1", "P2", "P3", "P4"]


def test_renaming_in_place_with_htmx_and_without(admin_client, workspace):
    plan = plan_make(workspace)
    p4 = NapElement.objects.get(plan=plan, code="P4")
    url = _url("nap-element-title", workspace, plan=plan.uuid, element=p4.uuid)

    form = admin_client.get(url, HTTP_HX_REQUEST="true")
    assert 'name="title"' in _page(form) and "Partnership" in _page(form)
    saved = admin_client.post(
        url, {"title": "Partnership and coordination", "version": p4.version}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200
    assert 'hx-swap-oob="true">Partnership and coordination<' in _page(saved)

    plain = admin_client.get(url)
    assert plain["Location"] == _url("nap-element-edit", workspace, plan=plan.uuid, element=p4.uuid)
    p4.refresh_from_db()
    admin_client.post(url, {"title": "Partnership", "version": p4.version})
    p4.refresh_from_db()
    assert p4.title == "Partnership"


def test_a_stale_rename_is_refused_and_leaves_the_title(admin_client, workspace):
    plan = plan_make(workspace)
    p4 = NapElement.objects.get(plan=plan, code="P4")
    url = _url("nap-element-title", workspace, plan=plan.uuid, element=p4.uuid)

    response = admin_client.post(
        url, {"title": "Other", "version": p4.version - 1 or 99}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert "Someone else changed" in _page(response)
    p4.refresh_from_db()
    assert p4.title == "Partnership"


def test_deleting_asks_first_naming_what_goes_then_deletes_it_all(admin_client, workspace):
    plan = plan_make(workspace)
    output = _grow(plan, 3)
    pillar = NapElement.objects.get(plan=plan, code="P1")
    url = _url("nap-element-delete", workspace, plan=plan.uuid, element=pillar.uuid)

    confirm = _page(admin_client.get(url))

    assert "Delete P1?" in confirm
    assert "3 × Activity" in confirm and "1 × Output" in confirm
    assert "3 cost lines" in confirm and "1 indicator" in confirm
    assert NapElement.objects.filter(pk=output.pk).exists()  # nothing gone yet
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not NapElement.objects.filter(plan=plan, code__in=["P1", output.code]).exists()
    assert not NapCostLine.objects.filter(activity__plan=plan).exists()
    assert list(NapElement.objects.filter(plan=plan).values_list("code", flat=True)) == ["P2", "P3", "P4"]


def test_adding_a_child_makes_an_element_of_the_next_level(admin_client, workspace):
    plan = plan_make(workspace)
    p2 = NapElement.objects.get(plan=plan, code="P2")
    url = _url("nap-element-new", workspace, plan=plan.uuid) + f"?parent={p2.uuid}"
    page = admin_client.get(url)
    assert "Add a strategic objective" in _page(page)

    response = admin_client.post(url, _form_data(page.context["form"], title="Victims are protected"))

    assert response.status_code == 302
    child = NapElement.objects.get(plan=plan, parent=p2)
    assert (child.level, child.title) == ("objective", "Victims are protected")


def test_a_viewer_sees_the_outline_without_edit_controls_and_cannot_move(client, workspace, make_member):
    plan = plan_make(workspace)
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    p1 = NapElement.objects.get(plan=plan, code="P1")

    page = _page(client.get(_url("nap-outline", workspace, plan=plan.uuid)))
    response = client.post(
        _url("nap-element-move", workspace, plan=plan.uuid, element=p1.uuid), {"offset": "1"}
    )

    assert "Prevention" in page and "nap-element-move" not in page and "Delete" not in page
    assert response.status_code == 403
    assert NapElement.objects.get(pk=p1.pk).position == p1.position


def test_another_workspace_cannot_see_the_plan(client, workspace, outsider):
    plan = plan_make(workspace)
    client.force_login(outsider)
    assert client.get(_url("nap-outline", workspace, plan=plan.uuid)).status_code == 404


# --- The element page -------------------------------------------------------------------------------------


def test_an_activity_saves_every_field_from_its_page(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    labour = Organisation.objects.create(
        workspace=workspace, name="Ministry of Labour", type="government", key="labour"
    )
    ngo = Organisation.objects.create(workspace=workspace, name="Safe Haven NGO", type="ngo", key="haven")
    url = _url("nap-element-edit", workspace, plan=plan.uuid, element=activity.uuid)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "2025" in _page(page) and "Q4" in _page(page)  # the timeline grid

    data = _form_data(
        page.context["form"],
        title="Train labour inspectors on indicators of forced labour",
        lead=str(labour.uuid),
        lead_name="",
        supporting=[str(ngo.uuid)],
        supporting_names="IOM",
        timeline=["2025-Q3", "2025-Q4", "2026-Q1"],
        location="Port Louis",
        target_groups="labour inspectors\nemployers",
        gender_marker="1",
        child_sensitive="on",
        assumptions="Inspectors are released for training",
        risks="Turnover",
        depends_on="",
        citations="legal:P15",
    )
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    activity.refresh_from_db()
    assert activity.lead == labour
    assert activity.supporting == [
        {"organisation": str(ngo.uuid), "name": "Safe Haven NGO"},
        {"organisation": "", "name": "IOM"},
    ]
    assert activity.timeline == [[2025, 3], [2025, 4], [2026, 1]]
    assert activity.target_groups == ["labour inspectors", "employers"]
    assert (activity.gender_marker, activity.child_sensitive, activity.location) == (1, True, "Port Louis")
    assert activity.citations == ["legal:P15"]
    again = admin_client.get(url).context["form"]
    assert again.initial["lead"] == labour.uuid and again.initial["timeline"] == [
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]


def test_a_stale_element_form_shows_both_values_and_saves_nothing(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity", title="Old description")
    url = _url("nap-element-edit", workspace, plan=plan.uuid, element=activity.uuid)
    form = admin_client.get(url).context["form"]
    # someone else saves first
    admin_client.post(url, _form_data(form, title="Their description"))

    response = admin_client.post(url, _form_data(form, title="My description"))

    assert response.status_code == 400
    page = _page(response)
    assert "Someone else changed" in page
    assert "Their description" in page and "My description" in page
    activity.refresh_from_db()
    assert activity.title == "Their description"


def test_an_element_error_is_named_on_its_field_and_nothing_is_saved(admin_client, workspace):
    plan = plan_make(workspace)
    first = element_make(plan, "activity")
    second = element_make(plan, "activity", parent=first.parent)
    url = _url("nap-element-edit", workspace, plan=plan.uuid, element=second.uuid)
    form = admin_client.get(url).context["form"]

    response = admin_client.post(url, _form_data(form, code=first.code, title="Changed"))

    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    second.refresh_from_db()
    assert second.title != "Changed"


# --- Cost lines ------------------------------------------------------------------------------------------


def test_cost_lines_are_added_shown_with_their_amount_edited_and_deleted(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    new_url = _url("nap-cost-line-new", workspace, plan=plan.uuid, element=activity.uuid)
    form = admin_client.get(new_url).context["form"]
    assert form.initial["currency"] == "USD" and form.initial["code"]

    data = _form_data(
        form,
        description="Three-day workshop",
        unit="participant-day",
        unit_cost="45.50",
        quantity="20",
        frequency="3",
        year="2026",
        funding_source="donor",
        funder="EU",
        gender_marker="1",
        marker_justification="Half the seats are for women inspectors",
        beneficiaries_women="10",
        beneficiaries_men="10",
    )
    response = admin_client.post(new_url, data)
    assert response.status_code == 302
    line = NapCostLine.objects.get(activity=activity)
    assert (line.unit_cost, line.quantity, line.frequency, line.funder) == (Decimal("45.50"), 20, 3, "EU")

    element_page = _page(
        admin_client.get(_url("nap-element-edit", workspace, plan=plan.uuid, element=activity.uuid))
    )
    assert "2,730.00 USD" in element_page  # 45.50 × 20 × 3

    edit_url = _url("nap-cost-line-edit", workspace, plan=plan.uuid, cost_line=line.uuid)
    edit_form = admin_client.get(edit_url).context["form"]
    admin_client.post(edit_url, _form_data(edit_form, quantity="10"))
    line.refresh_from_db()
    assert line.quantity == 10

    admin_client.post(edit_url, {"action": "delete"})
    assert not NapCostLine.objects.filter(pk=line.pk).exists()


def test_a_bad_cost_line_is_refused_field_by_field_and_nothing_is_saved(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    url = _url("nap-cost-line-new", workspace, plan=plan.uuid, element=activity.uuid)
    form = admin_client.get(url).context["form"]

    response = admin_client.post(url, _form_data(form, description="Workshop", unit_cost="-5", currency="1$"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"unit_cost", "currency"}
    assert not NapCostLine.objects.filter(activity=activity).exists()


def test_a_stale_cost_line_form_gets_a_conflict_with_both_values(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    line = cost_line_make(activity)
    url = _url("nap-cost-line-edit", workspace, plan=plan.uuid, cost_line=line.uuid)
    form = admin_client.get(url).context["form"]
    admin_client.post(url, _form_data(form, quantity="12"))

    response = admin_client.post(url, _form_data(form, quantity="30"))

    assert response.status_code == 400
    page = _page(response)
    assert "Someone else changed" in page and "12" in page and "30" in page
    line.refresh_from_db()
    assert line.quantity == 12


# --- Indicators ------------------------------------------------------------------------------------------


def test_an_indicator_is_added_to_an_output_and_shows_its_smart_verdict(admin_client, workspace):
    plan = plan_make(workspace)
    output = element_make(plan, "output")
    url = _url("nap-indicator-new", workspace, plan=plan.uuid, element=output.uuid)
    form = admin_client.get(url).context["form"]

    response = admin_client.post(
        url,
        _form_data(
            form,
            name="Number of labour inspectors trained on forced-labour indicators",
            unit="number",
            baseline="0",
            baseline_year="2024",
            targets="2027; 40\n2029; 80\n2029; 40; female",
            source="Training records of the Ministry of Labour",
            responsible_agency="Ministry of Labour",
            frequency="annual",
        ),
    )

    assert response.status_code == 302
    indicator = NapIndicator.objects.get(element=output)
    assert indicator.targets == [
        {"year": 2027, "value": "40", "sex": ""},
        {"year": 2029, "value": "80", "sex": ""},
        {"year": 2029, "value": "40", "sex": "female"},
    ]
    page = admin_client.get(response["Location"])
    criteria = page.context["smart"]
    assert [criterion.letter for criterion in criteria] == ["S", "M", "A", "R", "T"]
    assert all(criterion.passed for criterion in criteria), [(c.letter, c.reasons) for c in criteria]
    assert "SMART check" in _page(page)


def test_a_vague_indicator_fails_measurable_and_an_unreadable_target_is_named(admin_client, workspace):
    plan = plan_make(workspace)
    output = element_make(plan, "output")
    indicator = indicator_make(output, name="Improved awareness", unit="", baseline="", targets=[])
    url = _url("nap-indicator-edit", workspace, plan=plan.uuid, nap_indicator=indicator.uuid)
    page = admin_client.get(url)
    verdicts = {criterion.letter: criterion.passed for criterion in page.context["smart"]}
    assert verdicts["M"] is False

    response = admin_client.post(url, _form_data(page.context["form"], targets="next year; many"))

    assert response.status_code == 400
    assert "Line 1" in str(response.context["form"].errors["targets"])
    indicator.refresh_from_db()
    assert indicator.targets == []


# --- Languages -----------------------------------------------------------------------------------------


def test_the_outline_and_element_pages_render_in_french(admin_client, workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity")
    outline = admin_client.get(_url("nap-outline", workspace, plan=plan.uuid), HTTP_ACCEPT_LANGUAGE="fr")
    element = admin_client.get(
        _url("nap-element-edit", workspace, plan=plan.uuid, element=activity.uuid), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert outline.status_code == 200 and element.status_code == 200
    assert 'lang="fr"' in _page(outline)


def test_the_plan_form_sets_the_status_and_the_thresholds_of_the_checks(admin_client, workspace):
    plan = plan_make(workspace)
    form = admin_client.get(_url("nap-plan-edit", workspace, plan=plan.uuid)).context["form"]
    assert form.initial["capacity_per_quarter"] == 5
    data = _form_data(form, status="validated", capacity_per_quarter="3", unfunded_threshold="0.50")
    assert admin_client.post(_url("nap-plan-edit", workspace, plan=plan.uuid), data).status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.capacity_per_quarter, str(plan.unfunded_threshold)) == ("validated", 3, "0.50")
    bad = _form_data(form, unfunded_threshold="1.5")
    bad["version"] = str(plan.version)
    response = admin_client.post(_url("nap-plan-edit", workspace, plan=plan.uuid), bad)
    assert response.status_code == 400 or "unfunded_threshold" in response.context["form"].errors
    plan.refresh_from_db()
    assert str(plan.unfunded_threshold) == "0.50"
