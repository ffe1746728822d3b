"""The NAP API: create a plan, add elements, cost lines and indicators, read the plan back as a tree with
its budget (decimal strings) and flags, change with expected_version (409 when stale), delete (409 when not
empty unless cascading); refusals as JSON naming the field; viewers read only; other workspaces are 404."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve
from ninja import NinjaAPI
from ninja.testing import TestClient

from ctip.web.api import api
from ctip.web.nap.api import router
from ctip.web.nap.models import NapCostLine, NapElement

pytestmark = pytest.mark.django_db


def _mounted() -> bool:
    try:
        resolve("/api/v1/w/any/nap/plans")
    except (Resolver404, NoReverseMatch):
        return False
    return True


class Client:
    """Calls the router through /api/v1/ when ``ctip.web.api`` mounts it, else through a test API with the
    same error handlers."""

    def __init__(self, django_client, user):
        self.user = user
        self.django = django_client
        self.mounted = _mounted()
        if self.mounted:
            django_client.force_login(user)
        else:
            test_api = NinjaAPI(urls_namespace=f"nap-test-{id(self)}")
            test_api._exception_handlers.update(api._exception_handlers)
            test_api.add_router("", router)
            self.ninja = TestClient(test_api)

    def call(self, method: str, path: str, payload=None):
        if self.mounted:
            function = getattr(self.django, method)
            if payload is None:
                response = function(f"/api/v1/{path}")
            else:
                response = function(f"/api/v1/{path}", payload, content_type="application/json")
            return response.status_code, (response.json() if response.content else None)
        response = self.ninja.request(method.upper(), f"/{path}", json=payload, user=self.user)
        return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def admin_api(client, admin_user):
    return Client(client, admin_user)


def test_a_plan_is_built_and_read_through_the_api(admin_api, workspace):
    base = f"w/{workspace.slug}/nap"
    status, plan = admin_api.call(
        "post",
        f"{base}/plans",
        {"values": {"title": "NAP", "period_start": 2025, "period_end": 2027, "currency": "usd"}},
    )
    assert status == 201 and plan["currency"] == "USD"
    assert [element["code"] for element in plan["elements"]] == ["P1", "P2", "P3", "P4"]
    parent = plan["elements"][0]["id"]
    for level in ("objective", "priority", "outcome", "output", "activity"):
        status, made = admin_api.call(
            "post",
            f"{base}/plans/{plan['id']}/elements",
            {"parent": parent, "level": level, "values": {"title": level}},
        )
        assert status == 201, made
        parent = made["id"]
    status, refused = admin_api.call(
        "post",
        f"{base}/plans/{plan['id']}/elements",
        {"parent": parent, "level": "outcome", "values": {"title": "x"}},
    )
    assert status == 400 and refused["problems"][0]["location"] == "parent"
    status, line = admin_api.call(
        "post",
        f"{base}/elements/{parent}/cost-lines",
        {"values": {"description": "Workshop", "unit_cost": "1250.55", "quantity": "2"}},
    )
    assert status == 201 and line["unit_cost"] == "1250.55" and line["code"] == "C1"
    status, refused = admin_api.call(
        "post",
        f"{base}/elements/{parent}/cost-lines",
        {"values": {"description": "Bad", "unit_cost": "-1", "year": 2030}},
    )
    assert status == 400 and {p["location"] for p in refused["problems"]} == {"unit_cost", "year"}
    assert NapCostLine.objects.count() == 1
    output = NapElement.objects.get(level="output")
    status, indicator = admin_api.call(
        "post",
        f"{base}/elements/{output.uuid}/indicators",
        {"values": {"name": "Victims referred", "targets": [{"year": 2027, "value": "50"}]}},
    )
    assert status == 201 and indicator["targets"] == [{"year": 2027, "value": "50", "sex": ""}]

    status, read = admin_api.call("get", f"{base}/plans/{plan['id']}")
    assert status == 200
    activity = read["elements"][0]["children"][0]["children"][0]["children"][0]["children"][0]["children"][0]
    assert activity["path"].endswith("/A1.1.1.1.1.1") and activity["cost_lines"][0]["id"] == line["id"]
    assert read["budget"] == [
        {
            "currency": "USD",
            "total": "2501.10",
            "funded": "0.00",
            "unfunded": "2501.10",
            "gender_amount": "0",
            "by_pillar": {"P1": "2501.10"},
            "by_year": {"": "2501.10"},
            "by_agency": read["budget"][0]["by_agency"],
            "by_marker": {"0": "2501.10", "1": "0", "2": "0"},
            "by_funding": {"government": "0", "donor": "0", "unfunded": "2501.10"},
        }
    ]
    assert any(flag["kind"] == "activity_without_lead" for flag in read["flags"])

    status, changed = admin_api.call(
        "patch", f"{base}/cost-lines/{line['id']}", {"values": {"quantity": "3"}, "expected_version": 1}
    )
    assert status == 200 and changed["version"] == 2
    status, stale = admin_api.call(
        "patch", f"{base}/cost-lines/{line['id']}", {"values": {"quantity": "4"}, "expected_version": 1}
    )
    assert status == 409 and stale["code"] == "conflict"
    status, refused = admin_api.call("delete", f"{base}/elements/{read['elements'][0]['id']}")
    assert status == 409
    status, _none = admin_api.call("delete", f"{base}/elements/{read['elements'][0]['id']}?cascade=true")
    assert status == 204 and NapElement.objects.count() == 3
    status, listed = admin_api.call("get", f"{base}/plans")
    assert status == 200 and [item["title"] for item in listed] == ["NAP"]


def test_viewers_read_only_and_outsiders_see_nothing(client, workspace, make_member, outsider):
    viewer = Client(client, make_member(workspace, "viewer").user)
    status, _body = viewer.call("get", f"w/{workspace.slug}/nap/plans")
    assert status == 200
    status, _body = viewer.call("post", f"w/{workspace.slug}/nap/plans", {"values": {"title": "x"}})
    assert status == 403
    status, _body = Client(client, outsider).call("get", f"w/{workspace.slug}/nap/plans")
    assert status == 404
