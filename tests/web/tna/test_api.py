"""The TNA through the API: the framework, instruments (read, create, XLSForm), imports (dry run, all or
nothing, valid rows only, with a mapping) and submissions (paged; free text only for analysts)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.formats.xlsform import xlsform_problems
from ctip.web.accounts import services as account_services
from ctip.web.tna.models import ImportBatch, SurveyInstrument, SurveySubmission
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, plain_csv, registry_make

API = "/api/v1/w/mauritius"


def token_of(user):
    _token, secret = account_services.api_token_create(user=user, name="script", acting_user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def auth(admin_user):
    return token_of(admin_user)


@pytest.mark.django_db
def test_the_framework_and_instruments_through_the_api(client, workspace, auth):
    registry_make(workspace)
    competencies = client.get(f"{API}/competencies", **auth)
    assert competencies.status_code == 200
    codes = [row["code"] for row in competencies.json()]
    assert codes[:2] == ["FD01", "FD02"] and len(codes) == 48
    created = client.post(
        f"{API}/instruments",
        {
            "title": "Police survey",
            "segment": "law_enforcement",
            "competency_codes": ["FD01", "IN01"],
            "scale_max": 5,
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["competencies"] == ["FD01", "IN01"] and body["submissions"] == 0
    listed = client.get(f"{API}/instruments", **auth).json()
    assert [row["id"] for row in listed] == [body["id"]]
    xlsform = client.get(f"{API}/instruments/{body['id']}/xlsform", **auth)
    assert xlsform.status_code == 200 and xlsform_problems(xlsform.content) == []
    refused = client.post(
        f"{API}/instruments",
        {"title": "Bad", "competency_codes": ["NOPE"], "scale_max": 5},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["problems"][0]["location"] == "competencies"


@pytest.mark.django_db
def test_imports_through_the_api(client, workspace, auth):
    registry_make(workspace)
    instrument = instrument_make(workspace)
    url = f"{API}/instruments/{instrument.uuid}/imports"
    data = kobo_csv([kobo_row(1), kobo_row(2, organisation="Ministry of Magic")])

    dry = client.post(url, {"file": SimpleUploadedFile("k.csv", data), "dry_run": "true"}, **auth)
    assert dry.status_code == 200, dry.content
    assert (dry.json()["created"], dry.json()["rejected"], dry.json()["batch"]) == (1, 1, None)
    assert not SurveySubmission.objects.exists()

    refused = client.post(url, {"file": SimpleUploadedFile("k.csv", data)}, **auth)
    assert refused.status_code == 400 and refused.json()["problems"][0]["location"].startswith("row 3")
    assert not SurveySubmission.objects.exists()

    partial = client.post(url, {"file": SimpleUploadedFile("k.csv", data), "valid_rows_only": "true"}, **auth)
    assert partial.status_code == 200
    assert partial.json()["batch"] == str(ImportBatch.objects.get().uuid)
    assert "Ministry of Magic" in partial.json()["rejected_rows_csv"]
    rejected = next(row for row in partial.json()["rows"] if row["action"] == "reject")
    assert rejected["problems"][0]["column"] == "profile/organisation"

    generic = plain_csv(["Sex", "Agency", "FD01 importance", "FD01 competence"], [["F", "SHS", "4", "2"]])
    mapped = client.post(
        url,
        {"file": SimpleUploadedFile("g.csv", generic), "mapping": '{"Agency": "organisation"}'},
        **auth,
    )
    assert mapped.status_code == 200, mapped.content
    assert mapped.json()["created"] == 1 and mapped.json()["shape"] == "generic"
    bad_mapping = client.post(url, {"file": SimpleUploadedFile("g.csv", generic), "mapping": "[1]"}, **auth)
    assert bad_mapping.status_code == 400 and bad_mapping.json()["problems"][0]["location"] == "mapping"


@pytest.mark.django_db
def test_viewers_cannot_import_or_create_through_the_api(client, workspace, make_member):
    registry_make(workspace)
    instrument = instrument_make(workspace)
    viewer = token_of(make_member(workspace, "viewer").user)
    response = client.post(
        f"{API}/instruments/{instrument.uuid}/imports",
        {"file": SimpleUploadedFile("k.csv", kobo_csv([kobo_row(1)]))},
        **viewer,
    )
    assert response.status_code == 403
    response = client.post(
        f"{API}/instruments",
        {"title": "x", "competency_codes": ["FD01"]},
        content_type="application/json",
        **viewer,
    )
    assert response.status_code == 403 and SurveyInstrument.objects.count() == 1


@pytest.mark.django_db
def test_submissions_are_paged_and_free_text_goes_to_analysts_only(client, workspace, make_member):
    registry_make(workspace)
    instrument = instrument_make(workspace)
    from ctip.web.tna import services

    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(n, obstacle=f"Remark {n}") for n in range(1, 6)]),
        filename="k.csv",
        acting_user=None,
    )
    analyst = token_of(make_member(workspace, "analyst").user)
    viewer = token_of(make_member(workspace, "viewer").user)
    page = client.get(f"{API}/submissions?page=2&page_size=2", **analyst).json()
    assert (page["count"], page["page"], len(page["results"]), page["free_text_included"]) == (5, 2, 2, True)
    first = page["results"][0]
    assert first["open_answers"]["obstacle"].startswith("Remark")
    assert {r["code"] for r in first["ratings"]} == {"FD01", "FD02", "FD03"}
    hidden = client.get(f"{API}/submissions?instrument={instrument.uuid}", **viewer).json()
    assert hidden["count"] == 5 and not hidden["free_text_included"]
    assert all(row["open_answers"] is None for row in hidden["results"])
    assert "Remark" not in str(hidden)
