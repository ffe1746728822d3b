"""The TNA pages: what they show, the edit and import flows, who may do what, free text only for analysts,
and list pages at a fixed number of queries."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.tna import services
from ctip.web.tna.models import (
    ColumnMapping,
    ImportBatch,
    SurveyInstrument,
    SurveySubmission,
    WorkspaceCompetency,
)
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, plain_csv, registry_make

BASE = "/w/mauritius/tna/"


def _file(data, name):
    return SimpleUploadedFile(name, data)


def upload(client, instrument, data, name="kobo.csv", **extra):
    return client.post(
        f"{BASE}imports/", {"instrument": str(instrument.uuid), "file": _file(data, name), **extra}
    )


@pytest.fixture
def instrument(workspace):
    registry_make(workspace)
    return instrument_make(workspace)


@pytest.mark.django_db
def test_the_framework_page_lists_competencies_by_pillar_with_filters(admin_client, workspace):
    response = admin_client.get(f"{BASE}competencies/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index('id="pillar-prevention"') < page.index('id="pillar-protection"')
    assert "Defining trafficking in persons" in page and "Retire" in page
    filtered = admin_client.get(f"{BASE}competencies/?pillar=prosecution&level=specialised").content.decode()
    assert "Charging trafficking offences" in filtered and "Defining trafficking in persons" not in filtered
    by_type = admin_client.get(f"{BASE}competencies/?target_type=labour_inspection").content.decode()
    assert (
        "Inspecting workplaces for forced labour" in by_type and "Collecting digital evidence" not in by_type
    )
    french = admin_client.get(f"{BASE}competencies/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and french.status_code == 200


@pytest.mark.django_db
def test_add_edit_retire_and_restore_a_competency(admin_client, workspace):
    response = admin_client.post(
        f"{BASE}competencies/new/",
        {
            "code": "HT01",
            "title_en": "Hotel staff awareness",
            "pillar": "prevention",
            "chain_stage": "prevention",
            "level": "specialised",
            "target_types": ["corporate_business"],
        },
    )
    assert response.status_code == 302
    added = WorkspaceCompetency.objects.get(workspace=workspace, code="HT01")
    assert added.target_types == ["corporate_business"]
    edit = f"{BASE}competencies/{added.uuid}/edit/"
    assert admin_client.get(edit).status_code == 200
    response = admin_client.post(
        edit,
        {
            "title_en": "Hotel and tourism staff awareness",
            "pillar": "prevention",
            "chain_stage": "prevention",
            "level": "specialised",
            "version": "1",
        },
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.title_en == "Hotel and tourism staff awareness" and added.target_types == []
    stale = admin_client.post(
        edit,
        {
            "title_en": "Old",
            "pillar": "prevention",
            "chain_stage": "prevention",
            "level": "specialised",
            "version": "1",
        },
    )
    assert stale.status_code == 400 and "Someone else changed" in stale.content.decode()
    bad = admin_client.post(
        f"{BASE}competencies/new/",
        {
            "code": "HT01",
            "title_en": "x",
            "pillar": "prevention",
            "chain_stage": "prevention",
            "level": "specialised",
        },
    )
    assert bad.status_code == 400 and "already in the framework" in bad.content.decode()
    admin_client.post(f"{BASE}competencies/", {"competency": str(added.uuid), "action": "retire"})
    added.refresh_from_db()
    assert added.is_retired
    admin_client.post(f"{BASE}competencies/", {"competency": str(added.uuid), "action": "restore"})
    added.refresh_from_db()
    assert not added.is_retired


@pytest.mark.django_db
def test_the_framework_import_page_previews_then_applies(admin_client, workspace):
    services.framework_ensure(workspace=workspace, acting_user=None)
    data = plain_csv(
        ["code", "title_en", "pillar", "chain_stage", "level"],
        [["NEW1", "A new skill", "protection", "referral", "specialised"]],
    )
    response = admin_client.post(f"{BASE}competencies/import/", {"file": _file(data, "framework.csv")})
    page = response.content.decode()
    assert response.status_code == 200 and "Check before importing" in page and "NEW1" in page
    digest = response.context["digest"]
    assert not WorkspaceCompetency.objects.filter(code="NEW1").exists()
    response = admin_client.post(f"{BASE}competencies/import/", {"apply": "1", "digest": digest})
    assert response.status_code == 302 and WorkspaceCompetency.objects.filter(code="NEW1").exists()
    bad = plain_csv(["code", "title_en"], [["X1", "No pillar"]])
    response = admin_client.post(f"{BASE}competencies/import/", {"file": _file(bad, "bad.csv")})
    assert response.status_code == 400 and "pillar" in response.content.decode()
    export = admin_client.get(f"{BASE}competencies/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


@pytest.mark.django_db
def test_a_new_instrument_preselects_the_segments_competencies(admin_client, workspace):
    registry_make(workspace)
    response = admin_client.get(f"{BASE}instruments/new/?segment=labour_inspection")
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert {"FD01", "LI01", "LI02"} <= set(initial["competencies"]) and "DE01" not in initial["competencies"]
    assert "Labour inspection" in initial["title"]
    response = admin_client.post(
        f"{BASE}instruments/new/",
        {
            "title": "Labour inspectors",
            "segment": "labour_inspection",
            "scale_max": "7",
            "competencies": ["FD01", "LI01"],
        },
    )
    created = SurveyInstrument.objects.get(workspace=workspace)
    assert response.status_code == 302 and response["Location"] == f"{BASE}instruments/{created.uuid}/"
    assert created.scale_max == 7
    detail = admin_client.get(response["Location"]).content.decode()
    assert "Labour inspectors" in detail and "xlsform.xlsx" in detail and "LI01" in detail
    refused = admin_client.post(
        f"{BASE}instruments/new/", {"title": "Empty", "segment": "", "scale_max": "5"}
    )
    assert refused.status_code == 400 and "at least one competency" in refused.content.decode()
    listing = admin_client.get(f"{BASE}instruments/").content.decode()
    assert "Labour inspectors" in listing


@pytest.mark.django_db
def test_the_import_flow_for_a_kobo_export(admin_client, workspace, instrument):
    data = kobo_csv([kobo_row(1), kobo_row(2, organisation="Ministry of Magic"), kobo_row(3, sex="")])
    response = upload(admin_client, instrument, data)
    assert response.status_code == 302 and response["Location"] == f"{BASE}imports/preview/"
    page = admin_client.get(f"{BASE}imports/preview/").content.decode()
    assert "Ministry of Magic" in page and "Import the valid rows only" in page
    assert 'value="all" disabled' in page and "every row or none" in page
    response = admin_client.post(f"{BASE}imports/preview/", {"apply": "all"})
    assert response.status_code == 302 and not SurveySubmission.objects.exists()
    response = admin_client.post(f"{BASE}imports/preview/", {"apply": "valid"})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"{BASE}imports/{batch.uuid}/"
    assert SurveySubmission.objects.count() == 2
    result = admin_client.get(response["Location"]).content.decode()
    assert "rejected.csv" in result
    rejected = admin_client.get(f"{BASE}imports/{batch.uuid}/rejected.csv")
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rejected["Content-Disposition"] == 'attachment; filename="kobo-rejected.csv"'
    assert rows[0][-1] == "problem" and len(rows) == 2
    # The session no longer holds the file.
    assert admin_client.get(f"{BASE}imports/preview/").status_code == 302
    # The same file again: nothing new.
    upload(admin_client, instrument, data)
    response = admin_client.post(f"{BASE}imports/preview/", {"apply": "valid"}, follow=True)
    assert "Nothing new was imported" in response.content.decode() and ImportBatch.objects.count() == 1


@pytest.mark.django_db
def test_the_import_flow_for_a_generic_file_goes_through_the_mapping(admin_client, workspace, instrument):
    data = plain_csv(
        [
            "Timestamp",
            "Gender",
            "Which organisation do you work for",
            "Defining trafficking - importance",
            "Defining trafficking - competence",
        ],
        [["2026/03/04 10:15:00", "F", "SHS", "5", "2"], ["2026/03/04 11:00:00", "M", "ATU", "4", "4"]],
    )
    response = upload(admin_client, instrument, data, "google.csv")
    assert response["Location"] == f"{BASE}imports/mapping/"
    page = admin_client.get(f"{BASE}imports/mapping/")
    form = page.context["form"]
    assert form.initial["field_organisation"] == "Which organisation do you work for"
    assert form.initial["field_submitted_at"] == "Timestamp"
    response = admin_client.post(
        f"{BASE}imports/mapping/",
        {
            "field_submitted_at": "Timestamp",
            "field_sex": "Gender",
            "field_organisation": "Which organisation do you work for",
            "field_imp_FD01": "Defining trafficking - importance",
            "field_comp_FD01": "Defining trafficking - competence",
            "save_as": "Google form",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{BASE}imports/preview/"
    saved = ColumnMapping.objects.get(workspace=workspace, name="Google form")
    assert (
        saved.mapping["Gender"] == "sex"
        and saved.mapping["Which organisation do you work for"] == "organisation"
    )
    response = admin_client.post(f"{BASE}imports/preview/", {"apply": "all"})
    assert response.status_code == 302
    assert SurveySubmission.objects.filter(source="mapped_file").count() == 2
    # Next time, the saved mapping is chosen on the upload form and the preview comes straight away.
    response = upload(admin_client, instrument, data, "google.csv", mapping=str(saved.uuid))
    assert response["Location"] == f"{BASE}imports/preview/"
    missing = admin_client.post(f"{BASE}imports/mapping/", {"field_sex": "Gender"})
    assert missing.status_code == 400


@pytest.mark.django_db
def test_free_text_is_shown_to_analysts_only(client, workspace, instrument, make_member):
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(1, obstacle="Secret remark")]),
        filename="k.csv",
        acting_user=None,
    )
    viewer, analyst = make_member(workspace, "viewer").user, make_member(workspace, "analyst").user
    client.force_login(viewer)
    page = client.get(f"{BASE}responses/").content.decode()
    assert "Anti-Trafficking Unit" in page and "Secret remark" not in page
    assert "shown only to members who analyse" in page
    batch = ImportBatch.objects.get()
    assert client.get(f"{BASE}imports/{batch.uuid}/rejected.csv").status_code == 403
    client.force_login(analyst)
    page = client.get(f"{BASE}responses/?instrument={instrument.uuid}").content.decode()
    assert "Secret remark" in page


@pytest.mark.django_db
def test_viewers_read_but_cannot_change_anything(client, workspace, instrument, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    competency = WorkspaceCompetency.objects.get(workspace=workspace, code="FD01")
    for url in (
        "competencies/",
        "instruments/",
        f"instruments/{instrument.uuid}/",
        "imports/",
        "responses/",
        "competencies/export.xlsx",
        f"instruments/{instrument.uuid}/xlsform.xlsx",
    ):
        assert client.get(BASE + url).status_code == 200, url
    for url in (
        "competencies/new/",
        f"competencies/{competency.uuid}/edit/",
        "competencies/import/",
        "instruments/new/",
        "imports/mapping/",
        "imports/preview/",
    ):
        assert client.get(BASE + url).status_code == 403, url
    assert (
        client.post(
            f"{BASE}competencies/", {"competency": str(competency.uuid), "action": "retire"}
        ).status_code
        == 403
    )
    assert upload(client, instrument, kobo_csv([kobo_row(1)])).status_code == 403
    assert not SurveySubmission.objects.exists()
    assert "Check the file" not in client.get(f"{BASE}imports/").content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_list_pages_use_a_fixed_number_of_queries(admin_client, workspace, instrument):
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(1)]),
        filename="a.csv",
        acting_user=None,
    )
    urls = [f"{BASE}{path}" for path in ("competencies/", "instruments/", "imports/", "responses/")]
    small = [count_queries(admin_client, url) for url in urls]
    instrument_make(workspace, title="Second")
    services.competency_create(
        workspace=workspace,
        code="XX01",
        title_en="More",
        pillar="protection",
        chain_stage="referral",
        level="foundational",
        acting_user=None,
    )
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(n, organisation=["SHS", "RRA", "MPF-ATU"][n % 3]) for n in range(2, 12)]),
        filename="b.csv",
        acting_user=None,
    )
    assert [count_queries(admin_client, url) for url in urls] == small
