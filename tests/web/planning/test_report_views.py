"""The plan documents page and its downloads (Word, Excel, PowerPoint) in the language asked for."""

from __future__ import annotations

import io
import uuid

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from ctip.web.planning.models import PlanScenario
from tests.web.planning.report_factories import plan_make

# The paths are those given for ctip.web.planning.urls, mounted in a small URL configuration of their own.
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def scenario(workspace):
    return plan_make(workspace)


def base(workspace, scenario):
    return f"/w/{workspace.slug}/plan/scenarios/{scenario.uuid}"


def test_the_page_offers_the_three_documents_in_both_languages(admin_client, workspace, scenario):
    page = admin_client.get(f"{base(workspace, scenario)}/documents/").content.decode()
    for name in ("capacity-plan.docx", "capacity-plan.xlsx", "capacity-plan-deck.pptx"):
        assert f"{base(workspace, scenario)}/{name}" in page
        assert f"{base(workspace, scenario)}/{name}?language=fr" in page
    assert "Download the plan (Word)" in page
    assert "This is the adopted plan." in page


def test_downloads_in_the_language_asked_for(admin_client, workspace, scenario):
    report = admin_client.get(f"{base(workspace, scenario)}/capacity-plan.docx?language=fr")
    assert report.status_code == 200
    assert "capacity-plan-mauritius-fr.docx" in report["Content-Disposition"]
    assert Document(io.BytesIO(report.content)).core_properties.language.startswith("fr")
    workbook = admin_client.get(f"{base(workspace, scenario)}/capacity-plan.xlsx?language=fr")
    assert workbook["Content-Type"].endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames == [
        "Calendrier",
        "Places",
        "Budget",
        "Cibles",
    ]
    deck = admin_client.get(f"{base(workspace, scenario)}/capacity-plan-deck.pptx?language=en")
    assert "capacity-plan-deck-mauritius-en.pptx" in deck["Content-Disposition"]
    assert len(Presentation(io.BytesIO(deck.content)).slides) >= 8


def test_viewers_may_download_the_plan(client, workspace, scenario, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(f"{base(workspace, scenario)}/capacity-plan.xlsx").status_code == 200


def test_a_scenario_without_sessions_says_so_and_downloads_go_back_to_the_page(admin_client, workspace):
    empty = PlanScenario.objects.create(workspace=workspace, name="Empty")
    page = admin_client.get(f"{base(workspace, empty)}/documents/").content.decode()
    assert "has no sessions yet" in page
    assert "capacity-plan.docx" not in page
    response = admin_client.get(f"{base(workspace, empty)}/capacity-plan.docx", follow=True)
    assert response.redirect_chain[-1][0] == f"{base(workspace, empty)}/documents/"
    assert "The scenario “Empty” has no sessions yet" in response.content.decode()


def test_another_workspaces_or_an_unknown_scenario_is_not_found(admin_client, workspace, outsider):
    from tests.web.factories import workspace_make

    other = workspace_make("seychelles", admin=outsider, country="SC", currency="SCR")
    theirs = plan_make(other)
    assert admin_client.get(f"{base(workspace, theirs)}/documents/").status_code == 404
    assert admin_client.get(f"{base(workspace, theirs)}/capacity-plan.docx").status_code == 404
    unknown = f"/w/{workspace.slug}/plan/scenarios/{uuid.uuid4()}/capacity-plan.xlsx"
    assert admin_client.get(unknown).status_code == 404
