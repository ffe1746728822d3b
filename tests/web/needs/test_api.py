"""The gap analysis through the API: the same numbers as the dashboard, disaggregations and filters from
the query, methods to choose, clear errors, learning profiles for analysts only, and nothing for
non-members."""

from __future__ import annotations

import pytest

from ctip.web.accounts import services as account_services
from ctip.web.needs import data
from ctip.web.tna import services
from tests.web.needs.test_data import registry_of_four, survey_rows
from tests.web.qualitative.factories import excerpt_make, record_make, theme_make
from tests.web.tna.factories import instrument_make, kobo_csv

pytestmark = pytest.mark.django_db

URL = "/api/v1/w/mauritius/needs/analysis"


def token_of(user):
    _token, secret = account_services.api_token_create(user=user, name="script", acting_user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def auth(admin_user):
    return token_of(admin_user)


@pytest.fixture
def instrument(workspace):
    registry_of_four(workspace)
    made = instrument_make(workspace)
    services.survey_import_apply(
        workspace=workspace,
        instrument=made,
        data=kobo_csv(survey_rows(30)),
        filename="s.csv",
        acting_user=None,
    )
    theme = theme_make(workspace, "T01", name="No SOPs", competency_codes=["FD01"])
    excerpt_make(record_make(workspace, "Interview: police"), theme, "No checklist.")
    return made


def test_the_analysis_of_the_default_instrument(client, workspace, auth, instrument):
    response = client.get(URL, **auth)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["format"] == "ctip-tna-analysis" and body["version"] == 1
    assert body["instrument"] == {"id": str(instrument.uuid), "title": instrument.title}
    assert body["filters"] == {}
    _kept, analysis = data.analysis_for(workspace, instrument)
    assert body["n_respondents"] == analysis.n_respondents == 30
    assert [item["code"] for item in body["items"]] == [item.code for item in analysis.items]
    assert [item["mwds"] for item in body["items"]] == [round(item.mwds, 4) for item in analysis.items]
    triangulation = {row["code"]: row for row in body["triangulation"]}
    assert [theme["theme"] for theme in triangulation["FD01"]["themes"]] == ["T01"]
    assert body["learning_profiles"] == []


def test_disaggregations_filters_and_methods_from_the_query(client, auth, instrument):
    body = client.get(
        URL,
        {
            "by": "sex,organisation,sex+location",
            "sex": ["female", "male"],
            "adjustment": "bh",
            "missing": "pairwise",
        },
        **auth,
    ).json()

    assert [table["by"] for table in body["disaggregations"]] == [
        ["sex"],
        ["organisation"],
        ["sex", "location"],
    ]
    assert body["filters"] == {"sex": ["female", "male"]}
    assert body["n_respondents"] == 20  # the 10 of unstated sex are left out
    assert body["options"]["adjustment"] == "bh" and body["options"]["missing"] == "pairwise"
    explicit = client.get(URL, {"instrument": str(instrument.uuid), "sex": "female"}, **auth).json()
    assert explicit["n_respondents"] == 10


def test_too_small_a_group_and_bad_parameters_are_refused_clearly(client, auth, instrument):
    small = client.get(URL, {"sex": "male", "organisation": "Safe Haven Shelter (SHS)"}, **auth)
    assert small.status_code == 400 and small.json()["code"] == "invalid_value"
    assert "Fewer than 5 respondents" in small.json()["message"]

    unknown = client.get(URL, {"instrument": "8d7e0c55-1d0c-4a1e-9c43-3a9d7f1c2b11"}, **auth)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"

    crossed = client.get(URL, {"by": "sex+location+organisation"}, **auth)
    assert crossed.status_code == 400 and crossed.json()["problems"][0]["location"] == "by"

    attribute = client.get(URL, {"by": "shoe_size"}, **auth)
    assert attribute.status_code == 400 and "shoe_size" in attribute.json()["message"] + str(
        attribute.json()["problems"]
    )

    method = client.get(URL, {"weighting": "heaviest"}, **auth)
    assert method.status_code == 422 and method.json()["code"] == "invalid_request"


def test_a_workspace_without_an_instrument_says_so(client, auth, workspace):
    response = client.get(URL, **auth)
    assert response.status_code == 404 and "no survey instrument" in response.json()["message"]


def test_learning_profiles_only_for_members_who_analyse_data(client, workspace, make_member, instrument):
    viewer = make_member(workspace, "viewer").user
    refused = client.get(URL, {"profiles": "true"}, **token_of(viewer))
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.get(URL, **token_of(viewer)).status_code == 200

    analyst = make_member(workspace, "analyst").user
    body = client.get(URL, {"profiles": "true"}, **token_of(analyst)).json()
    assert len(body["learning_profiles"]) == 30


def test_non_members_get_404(client, outsider, instrument):
    assert client.get(URL, **token_of(outsider)).status_code == 404
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
