"""The registry through the API: read, write, import (dry run and real) and the mapping as JSON."""

import pytest

from ctip.web.accounts import services as account_services
from ctip.web.accounts.models import AuditEntry
from ctip.web.stakeholders.models import Organisation
from tests.web.stakeholders.factories import organisation_make, relation_make

API = "/api/v1/w/mauritius"


@pytest.fixture
def token(admin_user):
    _token, secret = account_services.api_token_create(user=admin_user, name="script", acting_user=admin_user)
    return secret


def call(client, method, url, token, **kwargs):
    kwargs.setdefault("content_type", "application/json")
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)


@pytest.mark.django_db
def test_organisation_lifecycle_through_the_api(client, workspace, token):
    police = call(
        client,
        "post",
        f"{API}/organisations",
        token,
        data={
            "name": "Mauritius Police Force",
            "acronym": "MPF",
            "type": "law_enforcement",
            "sector": "government",
        },
    )
    assert police.status_code == 201, police.content
    police_id = police.json()["id"]
    unit = call(
        client,
        "post",
        f"{API}/organisations",
        token,
        data={
            "name": "Anti-Trafficking Unit",
            "key": "ATU",
            "type": "law_enforcement",
            "parent": police_id,
            "pillars": ["prosecution", "protection"],
            "staff_women": 8,
            "staff_men": 16,
        },
    ).json()
    assert unit["parent"] == police_id and unit["staff_total"] == 24 and unit["version"] == 1
    listed = call(client, "get", f"{API}/organisations", token).json()
    assert [o["key"] for o in listed] == ["ATU", "MPF"]
    changed = call(
        client,
        "patch",
        f"{API}/organisations/{unit['id']}",
        token,
        data={"influence": 5, "expected_version": 1},
    )
    assert changed.status_code == 200 and changed.json()["influence"] == 5 and changed.json()["version"] == 2
    unparented = call(client, "patch", f"{API}/organisations/{unit['id']}", token, data={"parent": None})
    assert unparented.json()["parent"] is None
    conflict = call(
        client, "patch", f"{API}/organisations/{unit['id']}", token, data={"name": "x", "expected_version": 1}
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    detail = call(client, "get", f"{API}/organisations/{unit['id']}", token).json()
    assert detail["name"] == "Anti-Trafficking Unit" and detail["focal_points"] == []
    assert call(client, "delete", f"{API}/organisations/{unit['id']}", token).status_code == 204
    assert call(client, "get", f"{API}/organisations/{unit['id']}", token).status_code == 404
    actions = set(
        AuditEntry.objects.filter(workspace=workspace, actor__username="ada").values_list("action", flat=True)
    )
    assert {"organisation.create", "organisation.update", "organisation.delete"} <= actions


@pytest.mark.django_db
def test_invalid_organisations_are_refused_with_their_fields(client, workspace, token):
    response = call(
        client,
        "post",
        f"{API}/organisations",
        token,
        data={"name": "X", "key": "X", "type": "spaceship", "pillars": ["magic"], "staff_women": -1},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_value"
    assert {p["location"] for p in body["problems"]} >= {"type", "pillars", "staff_women"}
    foreign_parent = call(
        client,
        "post",
        f"{API}/organisations",
        token,
        data={"name": "X", "key": "X", "type": "ngo", "parent": "00000000-0000-0000-0000-000000000000"},
    )
    assert foreign_parent.status_code == 400 and foreign_parent.json()["problems"][0]["location"] == "parent"
    assert not Organisation.objects.filter(workspace=workspace).exists()


@pytest.mark.django_db
def test_import_through_the_api_with_and_without_dry_run(client, workspace, token):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(data, dry_run):
        return client.post(
            f"{API}/organisations/import" + ("?dry_run=true" if dry_run else ""),
            {"file": SimpleUploadedFile("registry.csv", data, content_type="text/csv")},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    data = b"id,name,type\r\nATU,Anti-Trafficking Unit,law_enforcement\r\nSHS,Shelter,ngo\r\n"
    dry = upload(data, True)
    assert dry.status_code == 200, dry.content
    assert dry.json()["dry_run"] is True and dry.json()["created"] == 2
    assert not Organisation.objects.filter(workspace=workspace).exists()
    real = upload(data, False).json()
    assert (real["created"], real["updated"], real["unchanged"]) == (2, 0, 0)
    again = upload(data, False).json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    bad = upload(b"id,name,type\r\nA,Alpha,spaceship\r\n", False)
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["location"] == "row 2, column “type”"


@pytest.mark.django_db
def test_mapping_as_json(client, workspace, token):
    unit = organisation_make(
        workspace,
        "ATU",
        pillars=["prosecution"],
        chain_stages=["investigation"],
        influence=5,
        interest=4,
        staff_women=2,
        staff_men=3,
    )
    shelter = organisation_make(workspace, "SHS", influence=1, interest=5)
    relation_make(unit, shelter)
    body = call(client, "get", f"{API}/stakeholder-mapping", token).json()
    cell = next(c for c in body["matrix"] if (c["pillar"], c["stage"]) == ("prosecution", "investigation"))
    assert cell["organisations"] == ["ATU"]
    assert {p["key"]: p["quadrant"] for p in body["grid"]} == {
        "ATU": "manage_closely",
        "SHS": "keep_informed",
    }
    assert body["counts"]["total"]["staff_total"] == 5
    assert body["network"] == [{"source": "ATU", "target": "SHS", "kind": "refers_cases_to"}]


@pytest.mark.django_db
def test_viewers_read_through_the_api_but_cannot_write(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    _token, secret = account_services.api_token_create(user=viewer, name="v", acting_user=viewer)
    organisation_make(workspace, "SHS")
    assert call(client, "get", f"{API}/organisations", secret).status_code == 200
    refused = call(
        client, "post", f"{API}/organisations", secret, data={"name": "X", "type": "ngo", "key": "X"}
    )
    assert refused.status_code == 403
