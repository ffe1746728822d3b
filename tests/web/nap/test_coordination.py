"""The coordination arrangement: bodies (validation, reporting loops refused, deletion re-attaches the
bodies below), the typical arrangement, the lead/support matrix from the activities with overrides, and
the page (diagram, matrix, forms) for editors and viewers, in English and French."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.nap.coordination import Role
from ctip.web.accounts.models import AuditEntry
from ctip.web.nap.models import CoordinationBody, LeadSupportOverride, NapElement
from ctip.web.nap.services import coordination as services
from tests.web.factories import user_make, workspace_make
from tests.web.nap.factories import element_make, plan_make
from tests.web.stakeholders.factories import organisation_make

pytestmark = pytest.mark.django_db


def problems(caught) -> dict[str, str]:
    return {problem.location: problem.render() for problem in caught.value.problems}


@pytest.fixture
def agencies(workspace):
    return {
        key: organisation_make(workspace, key, name=name, acronym=key)
        for key, name in (
            ("MINIJUST", "Ministry of Justice"),
            ("RIB", "Rwanda Investigation Bureau"),
            ("MIGEPROF", "Ministry of Gender and Family Promotion"),
            ("NGO", "Haguruka"),
        )
    }


@pytest.fixture
def plan(workspace, agencies):
    """P1 has output OP-A (two activities: MINIJUST leads with RIB, RIB leads with MINIJUST and NGO);
    P2 has output OP-B (MIGEPROF leads with NGO) and MINIJUST leads a third activity in P1."""
    plan = plan_make(workspace)
    pillars = {p.code: p for p in NapElement.objects.filter(plan=plan, level="pillar")}
    a = element_make(plan, "activity", lead=agencies["MINIJUST"].uuid, supporting=[agencies["RIB"]])
    output_a = a.parent
    element_make(
        plan,
        "activity",
        parent=output_a,
        lead=agencies["RIB"].uuid,
        supporting=[agencies["MINIJUST"], agencies["NGO"]],
    )
    element_make(plan, "activity", parent=output_a, lead=agencies["MINIJUST"].uuid)
    objective = element_make(plan, "objective", parent=pillars["P2"])
    priority = element_make(plan, "priority", parent=objective)
    outcome = element_make(plan, "outcome", parent=priority)
    output_b = element_make(plan, "output", parent=outcome, code="OP-B")
    element_make(
        plan, "activity", parent=output_b, lead=agencies["MIGEPROF"].uuid, supporting=[agencies["NGO"]]
    )
    return plan


def _outputs(plan):
    return list(NapElement.objects.filter(plan=plan, level="output").order_by("id"))


# --- Services ---------------------------------------------------------------------------------------------


def test_a_body_is_created_with_its_chair_members_and_line_and_audited(plan, agencies):
    top = services.body_create(
        plan=plan,
        values={"name": "Inter-ministerial committee", "kind": "interministerial"},
        acting_user=None,
    )
    body = services.body_create(
        plan=plan,
        values={
            "name": "Technical committee",
            "kind": "technical",
            "chair": str(agencies["MINIJUST"].uuid),
            "members": [str(agencies["RIB"].uuid), agencies["NGO"]],
            "meeting_frequency": "Quarterly",
            "reports_to": str(top.uuid),
            "mandate": "Coordinates implementation.",
        },
        acting_user=None,
    )
    assert body.chair == agencies["MINIJUST"] and body.reports_to == top and body.position == 1
    assert set(body.members.values_list("key", flat=True)) == {"RIB", "NGO"}
    entry = AuditEntry.objects.filter(action="nap.body.create").order_by("id").last()
    assert entry.object_id == str(body.uuid)


def test_bad_values_are_refused_by_field_and_nothing_is_stored(plan, workspace):
    other = organisation_make(workspace_make("elsewhere"), "X1")
    with pytest.raises(DomainError) as caught:
        services.body_create(
            plan=plan,
            values={
                "name": "",
                "kind": "club",
                "chair": "not-a-uuid",
                "members": [str(other.uuid)],
                "reports_to": "nope",
            },
            acting_user=None,
        )
    found = problems(caught)
    assert set(found) == {"name", "kind", "chair", "members", "reports_to"}
    assert "registry" in found["members"]
    assert CoordinationBody.objects.count() == 0


def test_a_body_cannot_report_to_itself_or_close_a_loop(plan):
    top = services.body_create(plan=plan, values={"name": "Committee"}, acting_user=None)
    middle = services.body_create(
        plan=plan, values={"name": "Technical", "reports_to": top}, acting_user=None
    )
    low = services.body_create(
        plan=plan, values={"name": "Working group", "reports_to": middle}, acting_user=None
    )
    with pytest.raises(DomainError) as caught:
        services.body_update(body=top, values={"reports_to": str(top.uuid)}, acting_user=None)
    assert "itself" in problems(caught)["reports_to"]
    with pytest.raises(DomainError) as caught:
        services.body_update(body=top, values={"reports_to": str(low.uuid)}, acting_user=None)
    assert "Committee → Working group → Technical → Committee" in problems(caught)["reports_to"]
    top.refresh_from_db()
    assert top.reports_to is None and top.version == 1
    # A line that is no loop is fine, and bumps the version.
    updated = services.body_update(body=low, values={"reports_to": top}, acting_user=None, expected_version=1)
    assert updated.reports_to == top and updated.version == 2
    with pytest.raises(DomainError) as stale:
        services.body_update(body=low, values={"name": "WG"}, acting_user=None, expected_version=1)
    assert stale.value.code == ErrorCode.CONFLICT


def test_deleting_a_body_moves_the_bodies_below_it_up(plan):
    top = services.body_create(plan=plan, values={"name": "Committee"}, acting_user=None)
    middle = services.body_create(
        plan=plan, values={"name": "Technical", "reports_to": top}, acting_user=None
    )
    low = services.body_create(
        plan=plan, values={"name": "Working group", "reports_to": middle}, acting_user=None
    )
    services.body_delete(body=middle, acting_user=None)
    low.refresh_from_db()
    assert low.reports_to == top
    assert AuditEntry.objects.filter(action="nap.body.delete").count() == 1


def test_a_viewer_cannot_change_the_arrangement(plan, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.body_create(plan=plan, values={"name": "Committee"}, acting_user=viewer)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        services.role_overrides_reset(plan=plan, acting_user=viewer)


def test_the_matrix_follows_the_activities_and_the_overrides(plan, agencies):
    view = services.matrix_of(plan)
    op_a, op_b = (output.key for output in view.matrix.outputs)
    key = {name: str(org.uuid) for name, org in agencies.items()}
    assert view.matrix.role(key["MINIJUST"], op_a) is Role.LEAD
    assert view.matrix.role(key["RIB"], op_a) is Role.LEAD
    assert view.matrix.role(key["NGO"], op_a) is Role.SUPPORT
    assert view.matrix.role(key["MIGEPROF"], op_b) is Role.LEAD
    assert view.matrix.role(key["MINIJUST"], op_b) is Role.NONE
    assert [column.label for column in view.agencies] == ["MINIJUST", "RIB", "NGO", "MIGEPROF"]
    output_a, output_b = _outputs(plan)
    services.role_override_set(
        plan=plan, output=output_a, organisation=agencies["RIB"], role="support", acting_user=None
    )
    services.role_override_set(
        plan=plan, output=output_b, organisation=agencies["MINIJUST"], role="support", acting_user=None
    )
    view = services.matrix_of(plan)
    cell = view.matrix.cell(key["RIB"], op_a)
    assert (cell.role, cell.derived, cell.overridden) == (Role.SUPPORT, Role.LEAD, True)
    assert view.matrix.role(key["MINIJUST"], op_b) is Role.SUPPORT
    assert services.role_override_clear(
        plan=plan, output=output_a, organisation=agencies["RIB"], acting_user=None
    )
    assert services.matrix_of(plan).matrix.role(key["RIB"], op_a) is Role.LEAD
    assert services.role_overrides_reset(plan=plan, acting_user=None) == 1
    assert LeadSupportOverride.objects.count() == 0
    actions = set(AuditEntry.objects.filter(action__startswith="nap.role").values_list("action", flat=True))
    assert actions == {"nap.role.set", "nap.role.clear"}


def test_an_unknown_role_is_refused(plan, agencies):
    with pytest.raises(DomainError) as caught:
        services.role_override_set(
            plan=plan, output=_outputs(plan)[0], organisation=agencies["RIB"], role="boss", acting_user=None
        )
    assert "role" in problems(caught)
    assert LeadSupportOverride.objects.count() == 0


def test_the_typical_arrangement(plan, agencies):
    bodies = services.default_arrangement_create(plan=plan, acting_user=None)
    assert [body.kind for body in bodies] == ["interministerial", "technical"] + ["working_group"] * 4 + [
        "rapporteur"
    ]
    imc, technical, wg1, wg2 = bodies[:4]
    assert imc.chair == agencies["MINIJUST"]  # leads the most activities
    assert technical.reports_to == imc and wg1.reports_to == technical
    assert wg1.pillar.code == "P1" and wg2.chair == agencies["MIGEPROF"]
    assert wg2.name == "Working group: Protection"
    assert set(wg2.members.values_list("key", flat=True)) == {"MIGEPROF", "NGO"}
    assert set(technical.members.values_list("key", flat=True)) == set(agencies)
    assert bodies[-1].reports_to is None
    with pytest.raises(DomainError) as caught:
        services.default_arrangement_create(plan=plan, acting_user=None)
    assert caught.value.code == ErrorCode.ALREADY_EXISTS
    assert CoordinationBody.objects.filter(plan=plan).count() == 7


# --- Pages ------------------------------------------------------------------------------------------------


def _url(name, plan, **kwargs):
    return reverse(name, kwargs={"workspace": plan.workspace.slug, "plan": plan.uuid, **kwargs})


def test_the_page_shows_bodies_diagram_and_matrix(admin_client, plan):
    response = admin_client.get(_url("nap-coordination", plan))
    assert response.status_code == 200
    assert "Create the typical arrangement" in response.content.decode()
    response = admin_client.post(_url("nap-coordination-default", plan), {"lead": ""})
    assert response.status_code == 302
    page = admin_client.get(_url("nap-coordination", plan)).content.decode()
    assert "<svg" in page and "Technical committee" in page
    assert 'data-role="lead"' in page and 'data-role="support"' in page
    assert "agencies lead output" in page  # OP-A has two leads
    png = admin_client.get(_url("nap-coordination-png", plan))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"


def test_a_cell_is_changed_marked_and_reset_through_the_page(admin_client, plan, agencies):
    output_a = _outputs(plan)[0]
    values = {
        "organisation": str(agencies["NGO"].uuid),
        "output": str(output_a.uuid),
        "role": "lead",
        "action": "set",
    }
    assert admin_client.post(_url("nap-coordination-cell", plan), values).status_code == 302
    page = admin_client.get(_url("nap-coordination", plan)).content.decode()
    assert 'data-overridden="1"' in page and "Cells changed by hand" in page
    admin_client.post(_url("nap-coordination-cell", plan), values | {"action": "reset"})
    assert LeadSupportOverride.objects.count() == 0
    response = admin_client.post(
        _url("nap-coordination-cell", plan), values | {"output": "nope"}, follow=True
    )
    assert "Choose an agency from the registry" in response.content.decode()


def test_the_body_form_shows_errors_and_saves(admin_client, plan, agencies):
    top = services.body_create(plan=plan, values={"name": "Committee"}, acting_user=None)
    response = admin_client.post(_url("nap-body-new", plan), {"name": "", "kind": "technical"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = admin_client.post(
        _url("nap-body-new", plan),
        {
            "name": "Technical committee",
            "kind": "technical",
            "reports_to": str(top.uuid),
            "members": [str(agencies["RIB"].uuid)],
        },
    )
    assert response.status_code == 302
    technical = CoordinationBody.objects.get(name="Technical committee")
    edit = _url("nap-body-edit", plan, body=top.uuid)
    response = admin_client.post(
        edit,
        {"name": "Committee", "kind": "other", "reports_to": str(technical.uuid), "version": top.version},
    )
    assert response.status_code == 400 and "loop" in response.content.decode()
    assert admin_client.post(edit, {"action": "delete"}).status_code == 302
    technical.refresh_from_db()
    assert technical.reports_to is None


def test_viewers_see_the_page_without_forms_and_cannot_post(client, plan, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(_url("nap-coordination", plan)).content.decode()
    assert "Who leads, who supports" in page and "Change a cell" not in page
    assert client.post(_url("nap-coordination-default", plan)).status_code == 403
    outsider = user_make("stranger")
    client.force_login(outsider)
    assert client.get(_url("nap-coordination", plan)).status_code == 404


def test_the_page_in_french(admin_client, plan):
    response = admin_client.get(_url("nap-coordination", plan), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.headers.get("Content-Language", "fr").startswith("fr")
