"""The catalogue pages: the list by pillar, editing a module with its costs table, the actions, who may do
what, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctip.web.planning import services
from ctip.web.planning.models import TrainingModule
from tests.web.planning.factories import planning_registry_make

pytestmark = pytest.mark.django_db


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def test_the_catalogue_lists_the_modules_by_pillar_with_days_seats_and_costs(admin_client, workspace):
    planning_registry_make(workspace)

    response = admin_client.get(_url("plan-catalogue", workspace))

    assert response.status_code == 200
    page = response.content.decode()
    for pillar in ("Prevention", "Protection", "Prosecution", "Partnership"):
        assert f">{pillar}</h2>" in page
    assert "Victim identification and screening with the IOM tools" in page
    assert "12–20" in page  # SCR seats
    assert "Rodrigues" in page
    assert "US dollars" in page  # the workspace counts in MUR


def test_the_catalogue_is_shown_in_french(admin_client, workspace):
    response = admin_client.get(_url("plan-catalogue", workspace), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Identification des victimes et entretien de repérage" in response.content.decode()


def test_editing_a_module_saves_its_costs_by_location(admin_client, workspace):
    planning_registry_make(workspace)
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    module = TrainingModule.objects.get(workspace=workspace, code="MEDIA")
    url = _url("plan-module-edit", workspace, module=module.uuid)
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        **{name: value for name, value in form.initial.items() if not isinstance(value, list | bool)},
        "competencies": ["PV02"],
        "prerequisites": ["FND_PREV"],
        "duration_days": "1.5",
        "costs-TOTAL_FORMS": "2",
        "costs-INITIAL_FORMS": "0",
        "costs-0-location": "Port Louis",
        "costs-0-offered": "on",
        "costs-0-session": "1000",
        "costs-0-participant": "22.50",
        "costs-1-location": "Mahébourg",
        "costs-1-offered": "on",
        "costs-1-session": "1200",
        "costs-1-participant": "30",
        "costs-1-remote": "on",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    module.refresh_from_db()
    assert float(module.duration_days) == 1.5
    assert module.costs == {
        "Port Louis": {"session": 1000.0, "participant": 22.5},
        "Mahébourg": {"session": 1200.0, "participant": 30.0, "remote": True},
    }


def test_an_invalid_module_form_shows_the_problem_and_saves_nothing(admin_client, workspace):
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    module = TrainingModule.objects.get(workspace=workspace, code="INT_TI")
    url = _url("plan-module-edit", workspace, module=module.uuid)
    form = admin_client.get(url).context["form"]
    data = {
        **{name: value for name, value in form.initial.items() if not isinstance(value, list | bool)},
        "competencies": ["IV01"],
        "prerequisites": ["INT_CH"],  # INT_CH requires INT_TI
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-0-location": "Port Louis",
        "costs-0-offered": "on",
        "costs-0-session": "10",
        "costs-0-participant": "1",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 400
    assert "go round in a circle" in response.content.decode()
    module.refresh_from_db()
    assert module.prerequisites == ["FND_PROT"]


def test_withdraw_reset_and_add_a_location_from_the_list(admin_client, workspace):
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    media = TrainingModule.objects.get(workspace=workspace, code="MEDIA")
    url = _url("plan-catalogue", workspace)

    admin_client.post(url, {"action": "deactivate", "module": str(media.uuid)})
    admin_client.post(url, {"action": "add_location", "location": "Rodrigues", "remote": ""})
    refused = admin_client.post(
        url,
        {
            "action": "deactivate",
            "module": str(TrainingModule.objects.get(workspace=workspace, code="FND_PREV").uuid),
        },
        follow=True,
    )

    media.refresh_from_db()
    assert not media.is_active and "Rodrigues" in media.costs and media.costs["Rodrigues"]["remote"]
    assert "cannot be withdrawn" in refused.content.decode()


def test_a_viewer_sees_the_catalogue_but_cannot_change_it(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    module = TrainingModule.objects.get(workspace=workspace, code="SCR")

    assert client.get(_url("plan-catalogue", workspace)).status_code == 200
    assert client.get(_url("plan-module-edit", workspace, module=module.uuid)).status_code == 403
    assert (
        client.post(
            _url("plan-catalogue", workspace), {"action": "deactivate", "module": str(module.uuid)}
        ).status_code
        == 403
    )
    assert TrainingModule.objects.get(pk=module.pk).is_active


def test_the_catalogue_page_uses_a_fixed_number_of_queries(admin_client, workspace):
    services.catalogue_ensure(workspace=workspace, acting_user=None)
    url = _url("plan-catalogue", workspace)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as first:
        admin_client.get(url)
    services.module_create(
        workspace=workspace,
        code="EXTRA",
        title_en="Extra",
        pillar="prevention",
        level="specialised",
        competencies=["PV01"],
        duration_days=1,
        delivery_mode="online",
        participants_min=5,
        participants_max=30,
        prerequisites=["FND_PREV"],
        acting_user=None,
    )
    with CaptureQueriesContext(connection) as second:
        admin_client.get(url)
    assert len(second) == len(first)
