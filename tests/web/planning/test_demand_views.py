"""The demand pages: the table by segment, deriving from the page with a summary, editing a row and a
segment, the workbook, and a fixed number of queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ctip.web.planning import services
from ctip.web.planning.models import DemandRow, PlanSegment
from tests.web.planning.factories import planning_survey_make

pytestmark = pytest.mark.django_db


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def test_deriving_from_the_page_shows_what_changed_and_the_table(admin_client, workspace):
    planning_survey_make(workspace)
    empty = admin_client.get(_url("plan-demand", workspace))
    assert "No demand yet" in empty.content.decode()

    response = admin_client.post(_url("plan-demand", workspace), {}, follow=True)

    page = response.content.decode()
    assert "Segments: 4 new" in page and "Demand rows: 8 new" in page
    assert "S01 · Anti-Trafficking Unit" in page and "Frontline staff" in page
    assert "Derive again from the TNA" in page


def test_a_failed_derivation_says_why(admin_client, workspace):
    response = admin_client.post(_url("plan-demand", workspace), {}, follow=True)
    assert "no survey instrument" in response.content.decode()


def test_editing_a_row_and_a_segment_from_their_forms(admin_client, workspace):
    planning_survey_make(workspace)
    services.demand_derive(workspace=workspace, acting_user=None)
    row = DemandRow.objects.get(workspace=workspace, segment__organisation__key="SHS", competency="FD01")

    refused = admin_client.post(
        _url("plan-demand-row-edit", workspace, row=row.uuid),
        {"staff_female": "99", "staff_male": "1", "weight": "2", "version": row.version},
    )
    assert refused.status_code == 400 and "more than the segment" in refused.content.decode()
    saved = admin_client.post(
        _url("plan-demand-row-edit", workspace, row=row.uuid),
        {"staff_female": "5", "staff_male": "1", "weight": "2.5", "note": "fewer", "version": row.version},
    )
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.staff_female, row.weight, row.edited) == (5, 2.5, True)

    segment = row.segment
    response = admin_client.post(
        _url("plan-segment-edit", workspace, segment=segment.uuid),
        {
            "role_group": "caseworkers",
            "location": "Curepipe",
            "is_frontline": "on",
            "staff_female": "12",
            "staff_male": "6",
            "version": segment.version,
        },
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.role_group == "caseworkers" and segment.staff_male == 6 and segment.edited


def test_the_workbook_holds_the_demand_and_the_segments(admin_client, workspace):
    planning_survey_make(workspace)
    services.demand_derive(workspace=workspace, acting_user=None)

    response = admin_client.get(_url("plan-demand-export", workspace))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    demand, segments = workbook.worksheets
    rows = list(demand.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "segment",
        "organisation",
        "role group",
        "location",
        "competency",
        "title",
        "staff in need: women",
        "staff in need: men",
    )
    assert len(rows) == 1 + DemandRow.objects.filter(workspace=workspace).count()
    assert segments.max_row == 1 + PlanSegment.objects.filter(workspace=workspace).count()


def test_a_viewer_sees_the_demand_but_cannot_derive(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(_url("plan-demand", workspace)).status_code == 200
    assert client.post(_url("plan-demand", workspace), {}).status_code == 403


def test_the_demand_page_uses_a_fixed_number_of_queries(admin_client, workspace):
    planning_survey_make(workspace)
    services.demand_derive(workspace=workspace, acting_user=None)
    url = _url("plan-demand", workspace)
    segment = PlanSegment.objects.get(workspace=workspace, code="S04")
    with CaptureQueriesContext(connection) as first:
        admin_client.get(url)
    DemandRow.objects.create(
        workspace=workspace, segment=segment, competency="FD02", staff_female=1, staff_male=1
    )
    with CaptureQueriesContext(connection) as second:
        admin_client.get(url)
    assert len(second) == len(first)
